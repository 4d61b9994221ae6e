"""A project manager's work without a mouse: every step below is a key press (Tab, Enter,
Escape, typing), and each element reached shows where the focus is."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portfolio.models import ConsortiumMember, Idea
from tests.e2e.keyboard import tab_to
from tests.factories import IdeaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

def test_a_manager_works_through_the_board_and_an_idea_by_keyboard(
    page: Page, live_server, manager_user, e2e_password
):
    idea = IdeaFactory(title="Vetyvarasto satamaan", owner=manager_user, in_consortium=True)
    IdeaFactory(title="Toinen idea taululla")
    partner = OrganisationFactory(name="Satamaoperaattori Oy")

    # Log in.
    page.goto(f"{live_server.url}/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(manager_user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(e2e_password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    # The language switch is in the header, one Enter away.
    tab_to(page, "form.lang button[value=en]")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The skip link is the first stop and leads into the main content.
    page.goto(f"{live_server.url}/board/")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()

    # Filter the board by the search field.
    tab_to(page, "#id_q")
    page.keyboard.type("Vetyvarasto")
    page.keyboard.press("Enter")
    page.wait_for_url("**/board/?*q=Vetyvarasto*")
    expect(page.locator(".card")).to_have_count(1)

    # Move the idea to the next stage through its "Move to…" menu: refused, with reasons.
    tab_to(page, f"#card-{idea.pk} [data-move]")
    page.keyboard.press("Enter")
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#move-dialog-stage")).to_be_focused()
    expect(page.locator("#move-dialog-stage")).to_have_value("application")
    tab_to(page, "#move-dialog button[value=move]")
    page.keyboard.press("Enter")
    refusal = page.locator("#refusal-dialog")
    expect(refusal).to_be_visible()
    expect(refusal.get_by_role("heading")).to_contain_text("Vetyvarasto satamaan")
    expect(refusal).to_contain_text("lead")
    # The refusal is read out in the board's live region too.
    expect(page.locator("[data-board-status]")).to_contain_text("Vetyvarasto satamaan")
    page.keyboard.press("Escape")
    expect(refusal).to_be_hidden()
    # The dialog hands the focus back to the card it was opened from.
    expect(page.locator(f"#card-{idea.pk} .card-title a")).to_be_focused()
    idea.refresh_from_db()
    assert idea.stage == "consortium"

    # Open the idea from its card.
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/ideas/{idea.pk}/")

    # Add a consortium member.
    tab_to(page, f"a[href='/ideas/{idea.pk}/members/add/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ideas/{idea.pk}/members/add/")
    tab_to(page, "#id_organisation")
    page.keyboard.type("Satamaoperaattori")
    tab_to(page, "#id_role")
    page.keyboard.type("Lead")
    tab_to(page, "#id_status")
    page.keyboard.type("Committed")
    tab_to(page, "form.stacked-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/ideas/{idea.pk}/*")
    member = ConsortiumMember.objects.get(idea=idea)
    assert (member.organisation, member.role, member.status) == (partner, "lead", "committed")

    # With a committed lead the same menu moves the idea, and the live region says so.
    page.goto(f"{live_server.url}/board/?q=Vetyvarasto")
    tab_to(page, f"#card-{idea.pk} [data-move]")
    page.keyboard.press("Enter")
    tab_to(page, "#move-dialog button[value=move]")
    page.keyboard.press("Enter")
    expect(page.locator("[data-board-status]")).to_contain_text("Vetyvarasto satamaan")
    expect(page.locator(f'section[data-stage="application"] #card-{idea.pk}')).to_be_visible()
    assert Idea.objects.get(pk=idea.pk).stage == "application"
