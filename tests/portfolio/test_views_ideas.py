"""The idea pages: list, create and edit, the idea's page and its history, the move endpoint."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portfolio.models import ConsortiumMember, Idea, StageTransition
from portfolio.services import (
    consortium_member_remove,
    consortium_member_save,
    idea_move,
    idea_update,
)
from portfolio.stages import Stage
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    instrument,
    region,
)
from tests.portfolio.test_home import assert_no_inline_code

pytestmark = pytest.mark.django_db

LIST = reverse("idea-list")


def detail(idea: Idea) -> str:
    return reverse("idea-detail", args=[idea.pk])


def move_url(idea: Idea) -> str:
    return reverse("idea-move", args=[idea.pk])


def titles(response) -> list[str]:
    return [idea.title for idea, _days in response.context["rows"]]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


JSON = {"HTTP_ACCEPT": "application/json"}


# Pages render in the language the browser asks for (Finnish by default); these tests read
# English, and the Finnish ones ask for Finnish themselves.
@pytest.fixture
def manager(manager):
    manager.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return manager


@pytest.fixture
def funder(funder):
    funder.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return funder


# Who may open what ------------------------------------------------------------------------


def write_urls(idea: Idea) -> list[str]:
    return [reverse("idea-create"), reverse("idea-edit", args=[idea.pk]), move_url(idea)]


def read_urls(idea: Idea) -> list[str]:
    return [LIST, reverse("idea-export"), detail(idea)]


def test_anonymous_goes_to_login_everywhere(anonymous):
    idea = IdeaFactory()
    for url in read_urls(idea) + write_urls(idea):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_funder_reads_but_every_write_url_is_forbidden(funder):
    idea = IdeaFactory()
    for url in read_urls(idea):
        assert funder.get(url).status_code == 200, url
    for url in write_urls(idea):
        assert funder.get(url).status_code == 403, url
        assert funder.post(url, {"title": "x", "to_stage": "consortium"}).status_code == 403, url
    idea.refresh_from_db()
    assert idea.stage == Stage.IDEA
    assert Idea.objects.count() == 1


def test_user_without_a_role_is_forbidden(client):
    client.force_login(UserFactory(username="nobody"))
    idea = IdeaFactory()
    for url in read_urls(idea) + write_urls(idea):
        assert client.get(url).status_code == 403, url


def test_move_is_post_only(manager):
    idea = IdeaFactory()
    assert manager.get(move_url(idea)).status_code == 405


# The list -------------------------------------------------------------------------------


def test_list_shows_the_columns_and_the_total(manager):
    theme = ThemeFactory(name_en="Robotics")
    event = RoadshowEventFactory(title="Tampere roadshow")
    owner = UserFactory(first_name="Olli", last_name="Omistaja", manager=True)
    IdeaFactory(
        title="Robot cell",
        owner=owner,
        themes=[theme],
        regions=[region("06"), region("13")],
        origin_event=event,
        estimated_budget=Decimal("1234567.50"),
    )
    IdeaFactory(title="No budget", estimated_budget=None)

    response = manager.get(LIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert "2 ideas" in body
    assert "Robot cell" in body
    assert "Olli Omistaja" in body
    assert "Robotics" in body
    assert "Pirkanmaa, Central Finland" in body
    assert "1,234,567.50&nbsp;€" in body
    assert f'href="{reverse("idea-create")}"' in body
    assert_no_inline_code(body)


def test_list_in_finnish_formats_money(manager):
    IdeaFactory(estimated_budget=Decimal("1234567.50"))
    body = manager.get(LIST, headers={"accept-language": "fi"}).content.decode()
    assert "1\xa0234\xa0567,50&nbsp;€" in body


def test_funder_list_has_no_new_idea_button(funder):
    IdeaFactory()
    body = funder.get(LIST).content.decode()
    assert reverse("idea-create") not in body
    assert reverse("idea-export") in body


def test_filter_by_text_matches_title_and_summary(manager):
    IdeaFactory(title="Hydrogen valley", summary="x")
    IdeaFactory(title="Other", summary="Green hydrogen for ports")
    IdeaFactory(title="Robots", summary="Cells")
    response = manager.get(LIST, {"q": "hydrogen"})
    assert sorted(titles(response)) == ["Hydrogen valley", "Other"]


def test_filter_by_several_stages(manager):
    IdeaFactory(title="New")
    IdeaFactory(title="Forming", in_consortium=True)
    IdeaFactory(title="Gone", dropped=True)
    response = manager.get(LIST, {"stage": ["consortium", "dropped"]})
    assert sorted(titles(response)) == ["Forming", "Gone"]


def test_filter_by_theme_region_owner_event_and_instrument(manager):
    theme = ThemeFactory()
    event = RoadshowEventFactory()
    owner = UserFactory(manager=True)
    themed = IdeaFactory(title="Themed", themes=[theme, ThemeFactory()])
    IdeaFactory(title="In Lapland", regions=[region("19")])
    IdeaFactory(title="Owned", owner=owner)
    IdeaFactory(title="Born at event", origin_event=event)
    applied = IdeaFactory(title="Applied")
    FundingApplicationFactory(idea=applied, instrument=instrument("akke"))
    FundingApplicationFactory(idea=applied, instrument=instrument("akke"))

    assert titles(manager.get(LIST, {"theme": theme.pk})) == ["Themed"]
    assert titles(manager.get(LIST, {"region": region("19").pk})) == ["In Lapland"]
    assert titles(manager.get(LIST, {"owner": owner.pk})) == ["Owned"]
    assert titles(manager.get(LIST, {"origin_event": event.pk})) == ["Born at event"]
    # Two applications with the instrument still list the idea once.
    assert titles(manager.get(LIST, {"instrument": instrument("akke").pk})) == ["Applied"]
    assert themed.title in titles(manager.get(LIST))


def test_ordering_by_title_both_ways(manager):
    for title in ("Beta", "Alpha", "Gamma"):
        IdeaFactory(title=title)
    assert titles(manager.get(LIST, {"ordering": "title"})) == ["Alpha", "Beta", "Gamma"]
    assert titles(manager.get(LIST, {"ordering": "-title"})) == ["Gamma", "Beta", "Alpha"]


def test_default_order_is_newest_first(manager):
    IdeaFactory(title="Old", at=timezone.now() - timedelta(days=5))
    IdeaFactory(title="New")
    assert titles(manager.get(LIST)) == ["New", "Old"]


def test_stage_sorts_in_pipeline_order(manager):
    IdeaFactory(title="Dropped", dropped=True)
    IdeaFactory(title="Idea")
    IdeaFactory(title="Application", in_application=True)
    IdeaFactory(title="Consortium", in_consortium=True)
    assert titles(manager.get(LIST, {"ordering": "stage"})) == [
        "Idea",
        "Consortium",
        "Application",
        "Dropped",
    ]


def test_budget_sort_puts_missing_budgets_last_both_ways(manager):
    IdeaFactory(title="None", estimated_budget=None)
    IdeaFactory(title="Small", estimated_budget=Decimal(10))
    IdeaFactory(title="Big", estimated_budget=Decimal(1000))
    assert titles(manager.get(LIST, {"ordering": "estimated_budget"})) == ["Small", "Big", "None"]
    assert titles(manager.get(LIST, {"ordering": "-estimated_budget"})) == ["Big", "Small", "None"]


def test_sort_links_keep_the_filter_and_flip_direction(manager):
    IdeaFactory(title="Hydrogen")
    response = manager.get(LIST, {"q": "hydrogen", "ordering": "title", "page": "1"})
    body = response.content.decode()
    assert 'aria-sort="ascending"' in body
    assert 'href="?q=hydrogen&amp;ordering=-title"' in body
    assert 'href="?q=hydrogen&amp;ordering=stage"' in body
    assert f'href="{reverse("idea-export")}?q=hydrogen&amp;ordering=title"' in body


def make_many(count: int, **kwargs) -> None:
    owner = UserFactory(manager=True)
    start = timezone.now() - timedelta(days=count)
    for i in range(count):
        IdeaFactory(title=f"Idea {i:03d}", owner=owner, at=start + timedelta(hours=i), **kwargs)


def test_pagination_fifty_per_page_and_links_keep_the_filter(manager):
    make_many(51, summary="pump")
    first = manager.get(LIST, {"q": "pump"})
    assert len(first.context["rows"]) == 50
    assert 'href="?q=pump&amp;page=2"' in first.content.decode()
    second = manager.get(LIST, {"q": "pump", "page": "2"})
    assert titles(second) == ["Idea 000"]
    body = second.content.decode()
    assert 'href="?q=pump&amp;page=1"' in body
    assert "Showing 51–51 of 51" in body


@pytest.mark.parametrize("page, expected", [("999", 2), ("0", 2), ("-1", 2), ("abc", 1), ("", 1)])
def test_pages_out_of_range_or_bad_show_the_last_or_first(manager, page, expected):
    make_many(51)
    response = manager.get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == expected


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "abc"},
        {"region": "999999"},
        {"owner": "nobody"},
        {"origin_event": "-1"},
        {"instrument": "x"},
        {"stage": "nope"},
        {"ordering": "password"},
        {"page": "2", "ordering": "title'--"},
        {"owner": "99999999999999999999"},
        {"origin_event": "99999999999999999999"},
        {"instrument": "99999999999999999999"},
        {"theme": "99999999999999999999"},
        {"region": "99999999999999999999"},
    ],
)
def test_bad_filter_values_show_errors_and_no_rows(manager, params):
    IdeaFactory()
    response = manager.get(LIST, params)
    assert response.status_code == 200
    assert response.context["filter_invalid"]
    assert response.context["rows"] == []
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'class="field-errors"' in body


def test_list_queries_do_not_grow_with_rows(manager, django_assert_max_num_queries):
    for count in (5, 30):
        themes = [ThemeFactory(), ThemeFactory()]
        for _ in range(count):
            IdeaFactory(
                themes=themes,
                regions=[region("06"), region("13")],
                origin_event=RoadshowEventFactory(),
            )
        # 14: one of them finds the partner regions for the one-click filter.
        with django_assert_max_num_queries(14):
            response = manager.get(LIST, {"ordering": "-stage", "theme": themes[0].pk})
        assert len(response.context["rows"]) == count


# Create and edit ------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "title": "Robot welding cell",
        "summary": "Shared pilot line",
        "owner": "",
        "origin_event": "",
        "themes": [],
        "regions": [],
        "estimated_budget": "150000",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_new_idea_form_defaults_the_owner_to_me(manager, manager_user):
    response = manager.get(reverse("idea-create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["owner"] == manager_user.pk
    body = response.content.decode()
    assert '<label for="id_title">' in body
    assert "<legend>Themes" in body
    assert_no_inline_code(body)


def test_new_idea_from_an_event_prefills_it(manager):
    theme = ThemeFactory()
    event = RoadshowEventFactory(host_region=region("13"))
    event.themes.set([theme, ThemeFactory(is_active=False)])
    response = manager.get(reverse("idea-create"), {"origin_event": event.pk})
    initial = response.context["form"].initial
    assert initial["origin_event"] == event.pk
    assert initial["themes"] == [theme.pk]
    assert initial["regions"] == [region("13").pk]


@pytest.mark.parametrize("value", ["abc", "999999", "", "1.5", "99999999999999999999"])
def test_a_bad_origin_event_in_the_link_is_ignored(manager, value):
    response = manager.get(reverse("idea-create"), {"origin_event": value})
    assert response.status_code == 200
    assert "origin_event" not in response.context["form"].initial


def test_create_goes_through_the_service(manager, manager_user):
    theme = ThemeFactory()
    event = RoadshowEventFactory()
    response = manager.post(
        reverse("idea-create"),
        form_data(
            owner=manager_user.pk,
            origin_event=event.pk,
            themes=[theme.pk],
            regions=[region("06").pk, region("14").pk],
            estimated_budget="1 234,50",
        ),
        headers={"accept-language": "fi"},
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(idea)
    assert idea.title == "Robot welding cell"
    assert idea.owner == manager_user
    assert idea.origin_event == event
    assert idea.estimated_budget == Decimal("1234.50")
    assert list(idea.themes.all()) == [theme]
    assert {r.code for r in idea.regions.all()} == {"06", "14"}
    assert idea.stage == Stage.IDEA
    first = StageTransition.objects.get(idea=idea)
    assert first.by == manager_user and first.from_stage == ""
    assert idea.history.earliest().history_user == manager_user
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


@pytest.mark.parametrize("money, expected", [("1,234.50", "1234.50"), ("1234.50 €", "1234.50")])
def test_money_as_english_users_type_it(manager, money, expected):
    manager.post(reverse("idea-create"), form_data(estimated_budget=money))
    assert Idea.objects.get().estimated_budget == Decimal(expected)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"estimated_budget": "-5"}, "estimated_budget"),
        ({"estimated_budget": "lots"}, "estimated_budget"),
        ({"estimated_budget": "12345678901234"}, "estimated_budget"),
        ({"owner": "999999"}, "owner"),
        ({"owner": "99999999999999999999"}, "owner"),
        ({"origin_event": "99999999999999999999"}, "origin_event"),
        ({"themes": ["99999999999999999999"]}, "themes"),
        ({"themes": ["abc"]}, "themes"),
        ({"regions": ["999999"]}, "regions"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_written(manager, overrides, field):
    response = manager.post(reverse("idea-create"), form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert 'role="alert"' in body
    assert Idea.objects.count() == 0
    assert StageTransition.objects.count() == 0


def test_a_service_error_lands_on_its_field_or_on_top(manager):
    error = ValidationError({"title": ["Taken."], "stage": ["Not now."]})
    with mock.patch("portfolio.services.idea_create", side_effect=error):
        response = manager.post(reverse("idea-create"), form_data())
    form = response.context["form"]
    assert form.errors["title"] == ["Taken."]
    assert form.non_field_errors() == ["Stage: Not now."]  # a field the form lacks is named
    assert Idea.objects.count() == 0


def test_edit_form_is_prefilled(manager):
    idea = IdeaFactory(title="Before", themes=[ThemeFactory()])
    response = manager.get(reverse("idea-edit", args=[idea.pk]))
    assert response.status_code == 200
    assert response.context["form"].instance == idea
    assert 'value="Before"' in response.content.decode()


def test_edit_saves_through_the_service_and_keeps_the_stage(manager, manager_user):
    theme = ThemeFactory()
    idea = IdeaFactory(title="Before", in_consortium=True, regions=[region("06")])
    response = manager.post(
        reverse("idea-edit", args=[idea.pk]),
        form_data(
            title="After",
            owner=manager_user.pk,
            themes=[theme.pk],
            regions=[region("17").pk],
            estimated_budget="",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == detail(idea)
    idea.refresh_from_db()
    assert idea.title == "After"
    assert idea.owner == manager_user
    assert idea.estimated_budget is None
    assert idea.stage == Stage.CONSORTIUM
    assert list(idea.themes.all()) == [theme]
    assert [r.code for r in idea.regions.all()] == ["17"]
    assert idea.history.latest().history_user == manager_user


def test_edit_keeps_an_inactive_theme_the_idea_already_has(manager):
    retired = ThemeFactory(name_en="Retired theme", is_active=False)
    ThemeFactory(name_en="Another retired", is_active=False)
    idea = IdeaFactory(themes=[retired])
    response = manager.get(reverse("idea-edit", args=[idea.pk]))
    body = response.content.decode()
    assert "Retired theme" in body
    assert "Another retired" not in body


def test_bad_edit_changes_nothing(manager):
    idea = IdeaFactory(title="Before")
    response = manager.post(
        reverse("idea-edit", args=[idea.pk]), form_data(title="", estimated_budget="-1")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "estimated_budget"}
    idea.refresh_from_db()
    assert idea.title == "Before"


# The idea's page ------------------------------------------------------------------------


def test_idea_page_shows_everything_to_a_manager(manager):
    event = RoadshowEventFactory(title="Seinäjoki roadshow")
    idea = IdeaFactory(
        title="Hydrogen valley",
        summary="Electrolysers for SMEs",
        origin_event=event,
        themes=[ThemeFactory(name_en="Energy")],
        regions=[region("14")],
        estimated_budget=Decimal(250000),
    )
    contact = ContactFactory(name="Pekka Yhteyshenkilö", email="pekka@yritys.fi")
    ConsortiumMemberFactory(idea=idea, organisation=contact.organisation, contact=contact)
    response = manager.get(detail(idea))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Hydrogen valley", "Electrolysers for SMEs", "Energy", "South Ostrobothnia",
                 "250,000.00&nbsp;€", "Seinäjoki roadshow", "Pekka Yhteyshenkilö"):
        assert text in body, text
    assert reverse("event-detail", args=[event.pk]) in body
    assert reverse("idea-edit", args=[idea.pk]) in body
    assert f'action="{move_url(idea)}"' in body
    assert response.context["members"][0].contact == contact
    assert response.context["can_view_contacts"] is True
    assert_no_inline_code(body)


def test_funder_sees_stage_and_history_but_no_controls_or_contacts(funder):
    first = ContactFactory(name="Pekka Yhteyshenkilö", email="pekka@yritys.fi", phone="040 123")
    second = ContactFactory(
        organisation=first.organisation, name="Liisa Toinen", email="liisa@yritys.fi"
    )
    idea = IdeaFactory(title="Hydrogen valley", in_consortium=True)
    member = ConsortiumMemberFactory(idea=idea, organisation=first.organisation, contact=first)
    member.contact = second
    consortium_member_save(member=member, by=idea.owner)

    response = funder.get(detail(idea))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Consortium forming" in body
    assert 'id="history-heading"' in body
    for personal in ("Pekka", "Liisa", "pekka@yritys.fi", "liisa@yritys.fi", "040 123"):
        assert personal not in body, personal
    assert "Contact person" not in body
    for url in (reverse("idea-edit", args=[idea.pk]), move_url(idea), "<form method=\"post\""):
        assert url not in body
    assert response.context["moves"] == []
    assert_no_inline_code(body)


@pytest.mark.parametrize("pk", [999999, 99999999999999999999])
def test_unknown_idea_is_404(manager, pk):
    assert manager.get(reverse("idea-detail", args=[pk])).status_code == 404
    assert manager.get(reverse("idea-edit", args=[pk])).status_code == 404
    assert manager.post(reverse("idea-move", args=[pk]), {"to_stage": "idea"}).status_code == 404


def test_stage_section_offers_each_next_stage_and_explains_blocks(manager):
    idea = IdeaFactory(in_consortium=True)
    response = manager.get(detail(idea))
    moves = {move.stage: move for move in response.context["moves"]}
    assert list(moves) == [Stage.APPLICATION, Stage.DROPPED]
    assert moves[Stage.APPLICATION].blocked
    assert moves[Stage.APPLICATION].reasons == ["The consortium has no lead organisation."]
    assert not moves[Stage.DROPPED].blocked
    body = response.content.decode()
    assert "The consortium has no lead organisation." in body
    assert "disabled" in body
    assert 'for="note-dropped">Reason for dropping</label>' in body
    assert '<textarea name="note" id="note-dropped" rows="3" required>' in body
    # The reason is asked for by the form, so it is not listed as a block.
    assert "Give the reason for dropping" not in body


def test_ready_move_is_a_button_with_the_expected_stage(manager):
    idea = IdeaFactory()
    body = manager.get(detail(idea)).content.decode()
    assert '<input type="hidden" name="to_stage" value="consortium">' in body
    assert '<input type="hidden" name="expected_stage" value="idea">' in body


def test_dropped_idea_offers_revival_with_a_note(manager):
    idea = IdeaFactory(dropped=True)
    response = manager.get(detail(idea))
    assert [move.stage for move in response.context["moves"]] == [Stage.IDEA]
    body = response.content.decode()
    assert "Why is it revived?" in body
    assert "No partners found" in body  # the drop reason
    assert "Write a note saying why" not in body


def test_history_shows_field_changes_and_moves_newest_first(manager, manager_user):
    old_event = RoadshowEventFactory(title="Old event")
    new_event = RoadshowEventFactory(title="New event")
    created = IdeaFactory(title="Before", origin_event=old_event, estimated_budget=Decimal(1000))
    idea = Idea.objects.get(pk=created.pk)  # as a view loads it
    idea.title = "After"
    idea.origin_event = new_event
    idea.estimated_budget = Decimal("2500.50")
    idea_update(idea=idea, by=manager_user, themes=[ThemeFactory(name_en="Energy")])
    idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=manager_user)

    response = manager.get(detail(idea))

    timeline = response.context["timeline"]
    assert [entry.kind for entry in timeline] == ["move", "changed", "move"]
    changes = {change.label: (change.old, change.new) for change in timeline[1].changes}
    assert changes == {
        "Title": ("Before", "After"),
        "Origin event": (str(old_event), str(new_event)),
        "Estimated budget (€)": ("1,000.00", "2,500.50"),
        "Themes": ("—", "Energy"),
    }
    assert timeline[1].by == "Maija Manageri"
    body = response.content.decode()
    assert "Moved from “Idea” to “Consortium forming”" in body
    assert "Created in stage “Idea”" in body
    assert "<del><span class=\"visually-hidden\">was </span>Before</del>" in body


def test_an_edit_right_after_creating_shows_in_the_history(manager, manager_user):
    theme = ThemeFactory(name_en="Energy")
    manager.post(reverse("idea-create"), form_data(owner=manager_user.pk, themes=[theme.pk]))
    idea = Idea.objects.get()
    manager.post(
        reverse("idea-edit", args=[idea.pk]),
        form_data(title="Robot welding cells", owner=manager_user.pk, themes=[theme.pk]),
    )

    timeline = manager.get(detail(idea)).context["timeline"]

    assert [entry.kind for entry in timeline] == ["changed", "move"]
    assert [(c.label, c.old, c.new) for c in timeline[0].changes] == [
        ("Title", "Robot welding cell", "Robot welding cells")
    ]
    assert timeline[0].by == "Maija Manageri"


def test_history_of_members_applications_and_their_removal(manager, manager_user):
    idea = IdeaFactory(in_application=True)
    member = ConsortiumMember.objects.get(idea=idea)
    member.status = ConsortiumMember.Status.WITHDRAWN
    consortium_member_save(member=member, by=manager_user)
    application = FundingApplicationFactory(idea=idea)
    application.status = "rejected"
    application.decided_on = application.submitted_on + timedelta(days=30)
    application._history_user = manager_user
    application.save()

    timeline = manager.get(detail(idea)).context["timeline"]

    subjects = [(entry.kind, entry.subject) for entry in timeline if entry.kind != "move"]
    organisation = member.organisation.name
    assert ("added", f"Consortium member {organisation}") in subjects
    assert ("changed", f"Consortium member {organisation}") in subjects
    changed_member = next(e for e in timeline if e.kind == "changed" and "Consortium" in e.subject)
    assert [(c.label, c.old, c.new) for c in changed_member.changes] == [
        ("Status", "Committed", "Withdrawn")
    ]
    changed_application = next(
        e for e in timeline if e.kind == "changed" and "Funding application" in e.subject
    )
    assert ("Status", "Submitted", "Rejected") in [
        (c.label, c.old, c.new) for c in changed_application.changes
    ]

    consortium_member_remove(member=member, by=manager_user)
    timeline = manager.get(detail(idea)).context["timeline"]
    assert timeline[0].kind == "removed"
    assert timeline[0].subject == f"Consortium member {organisation}"


def test_funder_history_leaves_out_contact_changes(funder, manager):
    first = ContactFactory(name="Pekka Yhteyshenkilö")
    second = ContactFactory(organisation=first.organisation, name="Liisa Toinen")
    idea = IdeaFactory()
    member = ConsortiumMemberFactory(idea=idea, organisation=first.organisation, contact=first)
    member.contact = second
    consortium_member_save(member=member, by=idea.owner)

    manager_changes = [
        (c.label, c.old, c.new)
        for e in manager.get(detail(idea)).context["timeline"]
        for c in e.changes
    ]
    assert ("Contact person", "Pekka Yhteyshenkilö", "Liisa Toinen") in manager_changes
    funder_timeline = funder.get(detail(idea)).context["timeline"]
    assert not [e for e in funder_timeline if e.kind == "changed"]
    assert all(c.label != "Contact person" for e in funder_timeline for c in e.changes)


def test_idea_page_queries_do_not_grow_with_rows(
    manager, manager_user, django_assert_max_num_queries
):
    def fill(count: int) -> Idea:
        created = IdeaFactory(in_application=True, themes=[ThemeFactory()], regions=[region("06")])
        idea = Idea.objects.get(pk=created.pk)
        for i in range(count):
            contact = ContactFactory()
            member = ConsortiumMemberFactory(
                idea=idea, organisation=contact.organisation, contact=contact
            )
            member.status = ConsortiumMember.Status.COMMITTED
            member.budget_share = Decimal(i)
            consortium_member_save(member=member, by=manager_user)
            FundingApplicationFactory(idea=idea)
            idea.title = f"Title {i}"
            idea_update(idea=idea, by=manager_user, themes=[ThemeFactory()])
        return idea

    for count in (5, 30):
        idea = fill(count)
        with django_assert_max_num_queries(24):
            response = manager.get(detail(idea))
        assert len(response.context["members"]) == count + 1
        assert len(response.context["timeline"]) > count


# Moves ------------------------------------------------------------------------------------


def test_move_by_form_redirects_with_a_success_message(manager, manager_user):
    idea = IdeaFactory()
    response = manager.post(move_url(idea), {"to_stage": "consortium", "expected_stage": "idea"})
    assert response.status_code == 302
    assert response["Location"] == detail(idea)
    idea.refresh_from_db()
    assert idea.stage == Stage.CONSORTIUM
    assert StageTransition.objects.filter(idea=idea).last().by == manager_user
    assert messages_of(response) == ["Moved to “Consortium forming”."]


def test_refused_move_by_form_lists_every_reason(manager):
    idea = IdeaFactory(in_consortium=True)
    response = manager.post(move_url(idea), {"to_stage": "application"}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["The consortium has no lead organisation."]
    assert "The consortium has no lead organisation." in response.content.decode()
    idea.refresh_from_db()
    assert idea.stage == Stage.CONSORTIUM


def test_drop_without_a_reason_is_refused(manager):
    idea = IdeaFactory()
    response = manager.post(move_url(idea), {"to_stage": "dropped", "note": "   "})
    assert messages_of(response) == ["Give the reason for dropping the idea."]
    idea.refresh_from_db()
    assert idea.stage == Stage.IDEA


def test_drop_and_revive_by_form_keep_the_notes(manager):
    idea = IdeaFactory()
    manager.post(move_url(idea), {"to_stage": "dropped", "note": "No partners"})
    idea.refresh_from_db()
    assert idea.stage == Stage.DROPPED and idea.drop_reason == "No partners"
    manager.post(move_url(idea), {"to_stage": "idea", "note": "A partner found"})
    idea.refresh_from_db()
    assert idea.stage == Stage.IDEA
    assert StageTransition.objects.filter(idea=idea).last().note == "A partner found"


def test_conflicting_move_by_form_says_who_moved_it(manager):
    other = UserFactory(first_name="Olli", last_name="Other", manager=True)
    idea = IdeaFactory()
    idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=other)
    response = manager.post(
        move_url(idea), {"to_stage": "dropped", "note": "x", "expected_stage": "idea"}
    )
    [message] = messages_of(response)
    assert message.startswith("This idea was moved to “Consortium forming” by Olli Other at ")
    idea.refresh_from_db()
    assert idea.stage == Stage.CONSORTIUM


def test_move_by_json(manager):
    idea = IdeaFactory()
    response = manager.post(
        move_url(idea), {"to_stage": "consortium", "expected_stage": "idea"}, **JSON
    )
    assert response.status_code == 200
    data = response.json()
    idea.refresh_from_db()
    assert data == {
        "id": idea.pk,
        "stage": "consortium",
        "stage_label": "Consortium forming",
        "stage_entered_at": idea.stage_entered_at.isoformat(),
        "version": idea.version,
    }
    assert not messages_of(response)


def test_move_by_json_body(manager):
    idea = IdeaFactory()
    response = manager.post(
        move_url(idea),
        json.dumps({"to_stage": "consortium", "expected_stage": "idea"}),
        content_type="application/json",
        **JSON,
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "consortium"


def test_refused_move_by_json_lists_reasons(manager):
    idea = IdeaFactory(owner=None)
    response = manager.post(move_url(idea), {"to_stage": "consortium"}, **JSON)
    assert response.status_code == 400
    reason = "The idea has no owner: name the project manager who owns it."
    assert response.json() == {
        "error": "refused",
        "reasons": [reason],
        # Where the board's dialog sends the user to put it right.
        "fixes": [{"reason": reason, "url": f"/ideas/{idea.pk}/edit/", "label": "Name the owner"}],
    }


def test_a_refusal_links_each_unmet_condition_to_where_it_is_put_right(manager, manager_user):
    idea = IdeaFactory(owner=manager_user)
    idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=manager_user)
    response = manager.post(move_url(idea), {"to_stage": "application"}, **JSON)
    assert response.status_code == 400
    [fix] = response.json()["fixes"]
    assert fix == {
        "reason": "The consortium has no lead organisation.",
        "url": f"/ideas/{idea.pk}/#consortium",
        "label": "Add or confirm the lead organisation",
    }
    # A condition with nothing to open (the reason for dropping) has no link.
    response = manager.post(move_url(idea), {"to_stage": "dropped"}, **JSON)
    assert [fix["url"] for fix in response.json()["fixes"]] == [""]
    # In the page's language, the link's words too.
    for language, label in (("fi", "Lisää tai vahvista päätoteuttaja"),
                            ("sv", "Lägg till eller bekräfta den huvudansvariga organisationen")):
        manager.cookies["django_language"] = language
        response = manager.post(move_url(idea), {"to_stage": "application"}, **JSON)
        assert [fix["label"] for fix in response.json()["fixes"]] == [label]


@pytest.mark.parametrize(
    "data",
    [
        {"to_stage": "completed"},
        {"to_stage": "nonsense"},
        {},
        {"to_stage": "consortium", "expected_stage": "x"},
    ],
)
def test_impossible_or_malformed_moves_by_json_are_refused(manager, data):
    idea = IdeaFactory()
    response = manager.post(move_url(idea), data, **JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "refused"
    assert body["reasons"]
    idea.refresh_from_db()
    assert idea.stage == Stage.IDEA


def test_conflicting_move_by_json(manager):
    other = UserFactory(first_name="Olli", last_name="Other", manager=True)
    idea = IdeaFactory()
    moved = idea_move(idea=idea, to_stage=Stage.CONSORTIUM, by=other)
    response = manager.post(
        move_url(idea), {"to_stage": "consortium", "expected_stage": "idea"}, **JSON
    )
    assert response.status_code == 409
    data = response.json()
    assert data["error"] == "conflict"
    assert data["moved_to"] == "consortium"
    assert data["moved_to_label"] == "Consortium forming"
    assert data["moved_by"] == "Olli Other"
    assert data["moved_at"] == moved.stage_entered_at.isoformat()
    assert data["message"].startswith("This idea was moved to “Consortium forming” by Olli Other")


def test_move_of_an_unknown_idea(manager):
    url = reverse("idea-move", args=[999999])
    response = manager.post(url, {"to_stage": "consortium"}, **JSON)
    assert response.status_code == 404
    assert response.json() == {"error": "not_found"}
    assert manager.post(url, {"to_stage": "consortium"}).status_code == 404


def test_funder_cannot_move_by_json(funder):
    idea = IdeaFactory()
    response = funder.post(move_url(idea), {"to_stage": "consortium"}, **JSON)
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.stage == Stage.IDEA


def test_empty_sort_terms_in_the_address_are_ignored(manager):
    IdeaFactory.create_batch(2)
    response = manager.get(reverse("idea-list"), {"ordering": ",,"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "12 500,50"), ("en", "12,500.50"), ("fi", "12 500,50 €"), ("fi", "12,500.50")],
)
def test_an_amount_is_read_alike_on_the_finnish_and_the_english_page(
    manager, manager_user, language, written
):
    manager.cookies["django_language"] = language
    response = manager.post(
        reverse("idea-create"),
        form_data(owner=manager_user.pk, estimated_budget=written),
    )
    assert response.status_code == 302
    assert Idea.objects.get().estimated_budget == Decimal("12500.50")


@pytest.mark.parametrize("language", ["en", "fi"])
def test_an_amount_that_reads_two_ways_is_refused_and_nothing_is_saved(
    manager, manager_user, language
):
    manager.cookies["django_language"] = language
    response = manager.post(
        reverse("idea-create"), form_data(owner=manager_user.pk, estimated_budget="1,250")
    )
    assert response.status_code == 200
    assert not Idea.objects.exists()
    [message] = response.context["form"].errors["estimated_budget"]
    assert "1,250" in message
    decimal = r"1,25(?!\d)" if language == "fi" else r"1\.25(?!\d)"
    assert "1\xa0250" in message and re.search(decimal, message)


@pytest.mark.parametrize("page", ["idea-list", "board"])
def test_the_owner_filter_offers_people_by_their_full_names(manager, manager_user, page):
    named = UserFactory(manager=True, username="hnieminen", first_name="Hanna",
                        last_name="Nieminen")
    IdeaFactory(owner=named)
    options = response_options(manager.get(reverse(page)), "owner")
    assert "Hanna Nieminen" in options
    assert "hnieminen" not in options


def response_options(response, name: str) -> list[str]:
    field = response.context["filter"].form.fields[name]
    return [str(label) for _value, label in field.choices]
