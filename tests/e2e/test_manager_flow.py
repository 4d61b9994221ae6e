"""The project manager's week, clicked through in Chromium; and the funder's read-only view."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portfolio.models import Idea, StageTransition
from tests.factories import OrganisationFactory, RoadshowEventFactory, instrument

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def to_english(page: Page) -> None:
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def drag_to(page: Page, idea: Idea, stage: str) -> None:
    page.drag_and_drop(f"#card-{idea.pk}", f'section.board-column[data-stage="{stage}"] ol')
    # The card is saving until the server answers; wait for that, whatever the answer.
    page.wait_for_function(
        f"() => !document.querySelector('#card-{idea.pk}').classList.contains('is-saving')"
    )


def test_manager_runs_an_idea_from_event_to_implementation(login, manager_user, live_server):
    event = RoadshowEventFactory(title="Seinäjoki roadshow", date=date(2026, 10, 1))
    lead = OrganisationFactory(name="Seinäjoen Automaatio Oy")
    page = login(manager_user.username)
    to_english(page)

    # An idea born at the event.
    page.goto(f"{live_server.url}/events/{event.pk}/")
    page.get_by_role("link", name="New idea from this event").click()
    page.fill("#id_title", "Shared robot cell for SMEs")
    page.get_by_role("button", name="Create idea").click()
    expect(page.get_by_role("heading", name="Shared robot cell for SMEs")).to_be_visible()
    idea = Idea.objects.get(title="Shared robot cell for SMEs")
    assert idea.origin_event == event

    # A committed lead organisation.
    page.get_by_role("link", name="Add a member").click()
    page.select_option("#id_organisation", label=lead.name)
    page.select_option("#id_role", "lead")
    page.select_option("#id_status", "committed")
    page.get_by_role("button", name="Add to the consortium").click()
    expect(page.locator("#consortium")).to_contain_text(lead.name)

    # On the board: idea → consortium → application by dragging.
    page.goto(f"{live_server.url}/board/")
    drag_to(page, idea, "consortium")
    expect(page.locator(f'section[data-stage="consortium"] #card-{idea.pk}')).to_be_visible()
    drag_to(page, idea, "application")
    expect(page.locator(f'section[data-stage="application"] #card-{idea.pk}')).to_be_visible()
    idea.refresh_from_db()
    assert idea.stage == "application"

    # Without an approved application the move to implementation is refused in a dialog
    # that says why and links to where it is put right.
    drag_to(page, idea, "implementation")
    dialog = page.locator("#refusal-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_contain_text("cannot move to Implementation yet")
    expect(dialog).to_contain_text("No funding application has been approved with a granted amount.")
    expect(dialog.get_by_role("link", name="Record the funding decision")).to_have_attribute(
        "href", f"/ideas/{idea.pk}/#applications"
    )
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#card-{idea.pk} .card-title a")).to_be_focused()
    expect(page.locator(f'section[data-stage="application"] #card-{idea.pk}')).to_be_visible()
    idea.refresh_from_db()
    assert idea.stage == "application"

    # Record an application and its approval.
    page.goto(f"{live_server.url}/ideas/{idea.pk}/")
    page.get_by_role("link", name="Add an application").click()
    page.select_option("#id_instrument", str(instrument("akke").pk))
    page.select_option("#id_applicant", label=lead.name)
    page.fill("#id_total_budget", "300000")
    page.fill("#id_requested", "240000")
    page.select_option("#id_status", "submitted")
    page.fill("#id_submitted_on", (timezone.localdate() - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Add the application").click()
    page.locator("#applications").get_by_role("link", name="Record the decision").click()
    page.get_by_role("radio", name="Approved").check()
    page.fill("#id_granted", "200000")
    page.fill("#id_decided_on", (timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#applications")).to_contain_text("Approved")

    # Now the board lets it through.
    page.goto(f"{live_server.url}/board/")
    drag_to(page, idea, "implementation")
    expect(page.locator(f'section[data-stage="implementation"] #card-{idea.pk}')).to_be_visible()
    idea.refresh_from_db()
    assert idea.stage == "implementation"

    # Both board moves are in the idea's history.
    page.goto(f"{live_server.url}/ideas/{idea.pk}/")
    history = page.locator("section[aria-labelledby=history-heading]")
    expect(history).to_contain_text("Moved from “Consortium forming” to “Funding application”")
    expect(history).to_contain_text("Moved from “Funding application” to “Implementation”")
    assert list(
        StageTransition.objects.filter(idea=idea).values_list("to_stage", flat=True)
    ) == ["idea", "consortium", "application", "implementation"]


def test_manager_moves_a_card_with_the_keyboard(login, manager_user, live_server):
    idea = Idea.objects.create(title="Keyboard idea", owner=manager_user)
    StageTransition.objects.create(idea=idea, from_stage="", to_stage="idea")
    page = login(manager_user.username)
    to_english(page)
    page.goto(f"{live_server.url}/board/")

    page.locator(f"#card-{idea.pk} .card-move").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Move “Keyboard idea”")
    # Dropping needs a reason: the dialog will not close without one.
    page.select_option("#move-dialog-stage", "dropped")
    dialog.get_by_role("button", name="Move").click()
    expect(dialog).to_be_visible()
    page.fill("#move-dialog-note", "No partners found")
    dialog.get_by_role("button", name="Move").click()

    expect(page.locator(f'section[data-stage="dropped"] #card-{idea.pk}')).to_be_visible()
    expect(page.locator(f"#card-{idea.pk} .card-title a")).to_be_focused()
    idea.refresh_from_db()
    assert (idea.stage, idea.drop_reason) == ("dropped", "No partners found")


def test_dragging_to_dropped_and_back_asks_why(login, manager_user, live_server):
    idea = Idea.objects.create(title="Idea to drop", owner=manager_user)
    StageTransition.objects.create(idea=idea, from_stage="", to_stage="idea")
    page = login(manager_user.username)
    to_english(page)
    page.goto(f"{live_server.url}/board/")
    dialog = page.locator("#note-dialog")

    page.drag_and_drop(f"#card-{idea.pk}", 'section.board-column[data-stage="dropped"] ol')
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Why is the idea dropped?")
    page.fill("#note-dialog-input", "The partner withdrew")
    dialog.get_by_role("button", name="OK").click()
    expect(page.locator(f'section[data-stage="dropped"] #card-{idea.pk}')).to_be_visible()
    page.wait_for_function(
        f"() => !document.querySelector('#card-{idea.pk}').classList.contains('is-saving')"
    )

    page.drag_and_drop(f"#card-{idea.pk}", 'section.board-column[data-stage="idea"] ol')
    expect(dialog.get_by_role("heading")).to_have_text("Why is the idea revived?")
    page.fill("#note-dialog-input", "A new partner")
    dialog.get_by_role("button", name="OK").click()
    expect(page.locator(f'section[data-stage="idea"] #card-{idea.pk}')).to_be_visible()
    page.wait_for_function(
        f"() => !document.querySelector('#card-{idea.pk}').classList.contains('is-saving')"
    )
    assert list(
        StageTransition.objects.filter(idea=idea).values_list("to_stage", "note")
    ) == [("idea", ""), ("dropped", "The partner withdrew"), ("idea", "A new partner")]


def test_funder_sees_the_board_read_only(login, funder_user, manager_user, live_server):
    idea = Idea.objects.create(title="Read-only idea", owner=manager_user)
    StageTransition.objects.create(idea=idea, from_stage="", to_stage="idea")
    page = login(funder_user.username)
    page.goto(f"{live_server.url}/board/")
    card = page.locator(f"#card-{idea.pk}")
    expect(card).to_be_visible()
    assert card.get_attribute("draggable") is None
    expect(page.locator(".card-move")).to_have_count(0)
    response = page.goto(f"{live_server.url}/ideas/{idea.pk}/edit/")
    assert response.status == 403
