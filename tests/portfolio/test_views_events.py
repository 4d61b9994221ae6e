"""Roadshow event pages: the list, one event's page, and the create and edit forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portfolio import services
from portfolio.models import RoadshowEvent
from portfolio.stages import Stage
from tests.factories import (
    IdeaFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    UserFactory,
    region,
)
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

# The same bound holds for 5 and for 30 rows: queries must not grow with rows.
# The list: the events, their ideas grouped by event and their applications grouped by
# event (sorted and paged in memory: a network holds tens of events, not thousands).
LIST_QUERIES = 9
# The page: two queries for the event's outcomes in each of the network's windows (two
# windows by default): its ideas and its applications.
DETAIL_QUERIES = 11


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    # Requests carry no Accept-Language header, so the pages use the default language.
    settings.LANGUAGE_CODE = "en"




def listed(response) -> list[str]:
    return [event.title for event in response.context["page"].object_list]


def event_data(**overrides) -> dict:
    data = {
        "title": "Roadshow Lahti: kiertotalous",
        "date": "2024-02-20",
        "host_region": region("07").pk,
        "city": "Lahti",
        "venue": "Sibeliustalo",
        "format": RoadshowEvent.Format.HYBRID,
        "host_organisation": "",
        "participants_onsite": "40",
        "participants_online": "25",
        "notes": "",
    }
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------


def write_urls() -> list[str]:
    event = RoadshowEventFactory()
    return [reverse("event-create"), reverse("event-edit", args=[event.pk])]


def test_anonymous_goes_to_login_everywhere(anonymous):
    event = RoadshowEventFactory()
    for url in [reverse("event-list"), reverse("event-detail", args=[event.pk]), *write_urls()]:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_funder_gets_403_on_every_write_url(funder):
    urls = write_urls()
    before = RoadshowEvent.objects.count()
    for url in urls:
        assert funder.get(url).status_code == 403, url
        assert funder.post(url, event_data()).status_code == 403, url
    assert RoadshowEvent.objects.count() == before
    assert not RoadshowEvent.objects.filter(title=event_data()["title"]).exists()


def test_admin_may_open_the_forms(admin):
    for url in write_urls():
        assert admin.get(url).status_code == 200, url


def test_unknown_event_is_404(manager):
    assert manager.get(reverse("event-detail", args=[999999])).status_code == 404
    assert manager.get(reverse("event-edit", args=[999999])).status_code == 404


# List ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "funder", "admin"])
def test_list_shows_events_newest_first(request, persona):
    client = request.getfixturevalue(persona)
    RoadshowEventFactory(title="Vanha", date=date(2022, 5, 1))
    RoadshowEventFactory(title="Uusi", date=date(2023, 9, 1))
    response = client.get(reverse("event-list"))
    assert response.status_code == 200
    assert listed(response) == ["Uusi", "Vanha"]
    assert_no_inline_code(response.content.decode())


def test_list_columns_and_idea_count(manager):
    event = RoadshowEventFactory(
        title="Roadshow Oulu",
        city="Oulu",
        host_region=region("17"),
        participants_onsite=12,
        participants_online=8,
    )
    for _ in range(3):
        IdeaFactory(origin_event=event)
    IdeaFactory()  # born elsewhere
    response = manager.get(reverse("event-list"))
    row = response.context["page"].object_list[0]
    assert row.born == 3
    body = response.content.decode()
    assert f'href="{reverse("event-detail", args=[event.pk])}"' in body
    assert "15.3.2023" in body
    assert "North Ostrobothnia" in body
    # The list shows all participants; on-site and online apart are on the event's page.
    for figure in (
        '<td class="num">20</td>',
        '<td class="num">3</td>',
    ):
        assert figure in body


def test_list_in_finnish_uses_finnish_dates_and_region_names(manager):
    RoadshowEventFactory(host_region=region("17"), date=date(2023, 12, 31))
    body = manager.get(reverse("event-list"), headers={"accept-language": "fi"}).content.decode()
    assert '<html lang="fi">' in body
    assert "31.12.2023" in body
    assert "Pohjois-Pohjanmaa" in body


def test_new_event_button_only_for_managers(manager, funder):
    url = reverse("event-create")
    assert f'href="{url}"' in manager.get(reverse("event-list")).content.decode()
    assert url not in funder.get(reverse("event-list")).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2022"}, ["Tampere 2022"]),
        ({"host_region": "region:14"}, ["Seinäjoki 2023"]),
        ({"format": "online"}, ["Etä 2023"]),
        ({"theme": "theme:ai"}, ["Seinäjoki 2023"]),
        ({"q": "sibelius"}, ["Etä 2023"]),
        ({"q": "seinäjoki"}, ["Seinäjoki 2023"]),
        ({"q": "2022"}, ["Tampere 2022"]),
        ({"year": "2023", "format": "hybrid"}, ["Seinäjoki 2023"]),
    ],
)
def test_list_filters(manager, query, expected):
    ai = ThemeFactory(slug="ai")
    RoadshowEventFactory(title="Tampere 2022", date=date(2022, 3, 1))
    seinajoki = RoadshowEventFactory(
        title="Seinäjoki 2023", date=date(2023, 4, 1), host_region=region("14"), city="Seinäjoki"
    )
    seinajoki.themes.add(ai)
    RoadshowEventFactory(
        title="Etä 2023",
        date=date(2023, 2, 1),
        format=RoadshowEvent.Format.ONLINE,
        participants_onsite=0,
        venue="Sibelius-verkkostudio",
    )
    params = dict(query)
    if "host_region" in params:
        params["host_region"] = region("14").pk
    if "theme" in params:
        params["theme"] = ai.pk
    response = manager.get(reverse("event-list"), params)
    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "1999"},
        {"host_region": "999999"},
        {"host_region": "x"},
        {"format": "teleport"},
        {"theme": "-1"},
        {"page": "abc"},
        {"page": "-5"},
        {"page": "99999"},
        {"q": "\x00"},
    ],
)
def test_bad_filter_values_do_not_break_the_list(manager, query):
    RoadshowEventFactory(title="Jäljellä")
    response = manager.get(reverse("event-list"), query)
    assert response.status_code == 200
    if set(query) - {"page", "q"}:
        assert response.context["filter"].form.errors
        assert 'class="field-errors"' in response.content.decode()


def test_a_bad_filter_shows_its_error_and_no_rows_rather_than_a_half_filtered_list(manager):
    RoadshowEventFactory(title="Hybridi", format=RoadshowEvent.Format.HYBRID)
    RoadshowEventFactory(
        title="Paikan päällä", format=RoadshowEvent.Format.ONSITE, participants_online=0
    )
    response = manager.get(reverse("event-list"), {"format": "onsite", "year": "abc"})
    assert listed(response) == []
    assert "year" in response.context["filter"].form.errors
    assert "so nothing is shown" in response.content.decode()

    response = manager.get(reverse("event-list"), {"format": "onsite"})
    assert listed(response) == ["Paikan päällä"]


def test_list_is_paginated_by_50(manager):
    for day in range(55):
        RoadshowEventFactory(date=date(2023, 1, 1) + timedelta(days=day))
    first = manager.get(reverse("event-list"))
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 55
    body = first.content.decode()
    assert 'rel="next"' in body and "page=2" in body
    second = manager.get(reverse("event-list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert not set(listed(first)) & set(listed(second))


def test_page_links_keep_the_filters(manager):
    for _ in range(51):
        RoadshowEventFactory(format=RoadshowEvent.Format.HYBRID)
    body = manager.get(reverse("event-list"), {"format": "hybrid"}).content.decode()
    assert "?format=hybrid&amp;page=2" in body


@pytest.mark.parametrize("rows", [5, 30])
def test_list_queries_do_not_grow_with_rows(manager, rows, django_assert_max_num_queries):
    theme = ThemeFactory()
    for _ in range(rows):
        event = RoadshowEventFactory()
        event.themes.add(theme)
        IdeaFactory(origin_event=event)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = manager.get(reverse("event-list"))
    assert len(response.context["page"].object_list) == rows


# Detail --------------------------------------------------------------------------------------


def make_event_with_ideas() -> tuple[RoadshowEvent, list]:
    host = OrganisationFactory(name="Business Tampere")
    event = RoadshowEventFactory(
        title="Roadshow Tampere",
        venue="Hervannan innovaatiotalo",
        host_organisation=host,
        participants_onsite=39,
        participants_online=65,
        notes="Järjestäjänä Business Tampere.",
    )
    event.organisations.add(OrganisationFactory(name="Alavuden Muovi Oy"), host)
    event.themes.add(ThemeFactory(name_en="Smart manufacturing"))
    owner = UserFactory(first_name="Kaisa", last_name="Mäkinen", manager=True)
    ideas = [
        IdeaFactory(title="Datan jakaminen", origin_event=event, owner=owner),
        IdeaFactory(title="Konsortio", origin_event=event, in_consortium=True),
        IdeaFactory(title="Pudonnut", origin_event=event, dropped=True),
    ]
    IdeaFactory(title="Muualta")
    return event, ideas


def test_detail_shows_everything_to_a_manager(manager):
    event, ideas = make_event_with_ideas()
    response = manager.get(reverse("event-detail", args=[event.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Roadshow Tampere",
        "15.3.2023",
        "Tampere",
        "Hervannan innovaatiotalo",
        "Hybrid",
        "39 on-site, 65 online, 104 in total",
        "Smart manufacturing",
        "Järjestäjänä Business Tampere.",
        "Alavuden Muovi Oy",
        "Kaisa Mäkinen",
    ):
        assert text in body, text
    assert f'href="{reverse("organisation-detail", args=[event.host_organisation.pk])}"' in body
    for org in event.organisations.all():
        assert f'href="{reverse("organisation-detail", args=[org.pk])}"' in body
    assert [idea.title for idea in response.context["ideas"]] == [
        "Datan jakaminen",
        "Konsortio",
        "Pudonnut",
    ]
    assert "Muualta" not in body
    for idea in ideas:
        assert f'href="{reverse("idea-detail", args=[idea.pk])}"' in body
    # The stage each idea is in now.
    assert str(Stage.CONSORTIUM.label) in body
    assert str(Stage.DROPPED.label) in body
    new_idea = f"{reverse('idea-create')}?origin_event={event.pk}"
    assert f'href="{new_idea}"' in body
    assert f'href="{reverse("event-edit", args=[event.pk])}"' in body
    assert_no_inline_code(body)


def test_detail_for_funder_has_no_edit_controls(funder):
    event, _ideas = make_event_with_ideas()
    response = funder.get(reverse("event-detail", args=[event.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Roadshow Tampere" in body
    assert reverse("idea-create") not in body
    assert reverse("event-edit", args=[event.pk]) not in body
    assert '<form method="post"' not in body.split("<main", 1)[1]


def test_detail_of_an_event_without_ideas_or_organisations(manager):
    event = RoadshowEventFactory(host_organisation=None)
    response = manager.get(reverse("event-detail", args=[event.pk]))
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()


@pytest.mark.parametrize("rows", [5, 30])
def test_detail_queries_do_not_grow_with_rows(manager, rows, django_assert_max_num_queries):
    event = RoadshowEventFactory(host_organisation=OrganisationFactory())
    event.organisations.add(*[OrganisationFactory() for _ in range(rows)])
    event.themes.add(*[ThemeFactory() for _ in range(rows)])
    for _ in range(rows):
        IdeaFactory(origin_event=event)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = manager.get(reverse("event-detail", args=[event.pk]))
    assert len(response.context["ideas"]) == rows


# Create and edit -------------------------------------------------------------------------------


def test_create_form_has_a_date_input_and_checkboxes(manager):
    OrganisationFactory()
    body = manager.get(reverse("event-create")).content.decode()
    assert 'type="date"' in body
    assert 'name="organisations"' in body and 'type="checkbox"' in body
    assert '<label for="id_title">' in body
    assert_no_inline_code(body)


def test_create_saves_the_event_with_organisations_and_themes(manager):
    orgs = [OrganisationFactory(), OrganisationFactory()]
    theme = ThemeFactory()
    host = OrganisationFactory()
    response = manager.post(
        reverse("event-create"),
        event_data(
            organisations=[o.pk for o in orgs], themes=[theme.pk], host_organisation=host.pk
        ),
    )
    event = RoadshowEvent.objects.get(title="Roadshow Lahti: kiertotalous")
    assert response.status_code == 302
    assert response["Location"] == reverse("event-detail", args=[event.pk])
    assert event.date == date(2024, 2, 20)
    assert event.host_region.code == "07"
    assert event.host_organisation == host
    assert set(event.organisations.all()) == set(orgs)
    assert list(event.themes.all()) == [theme]
    assert event.participants == 65


def test_create_accepts_the_finnish_date_format(manager):
    response = manager.post(reverse("event-create"), event_data(date="20.2.2024"))
    assert response.status_code == 302
    assert RoadshowEvent.objects.get().date == date(2024, 2, 20)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"format": "onsite", "participants_online": "5"},
            "participants_online",
            "An on-site event has no online participants",
        ),
        (
            {"format": "online", "participants_onsite": "5"},
            "participants_onsite",
            "An online event has no on-site participants",
        ),
        ({"participants_onsite": "-3"}, "participants_onsite", "greater than or equal to 0"),
        ({"participants_online": "-1"}, "participants_online", "greater than or equal to 0"),
        ({"participants_online": "many"}, "participants_online", "Enter a whole number"),
        ({"title": ""}, "title", "This field is required"),
        ({"date": "31.2.2024"}, "date", "Enter a valid date"),
        ({"host_region": ""}, "host_region", "This field is required"),
        ({"format": "teleport"}, "format", "Select a valid choice"),
        ({"organisations": ["999999"]}, "organisations", "Select a valid choice"),
    ],
)
def test_create_with_bad_input_shows_the_error_beside_the_field(manager, overrides, field, message):
    response = manager.post(reverse("event-create"), event_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert any(message in error for error in form.errors[field]), form.errors
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert 'role="alert"' in body
    assert RoadshowEvent.objects.count() == 0


def test_edit_changes_fields_and_replaces_organisations(manager):
    old_org, new_org = OrganisationFactory(), OrganisationFactory()
    event = RoadshowEventFactory(title="Vanha nimi")
    event.organisations.add(old_org)
    get = manager.get(reverse("event-edit", args=[event.pk]))
    assert get.status_code == 200
    assert 'value="2023-03-15"' in get.content.decode()
    response = manager.post(
        reverse("event-edit", args=[event.pk]),
        event_data(title="Uusi nimi", organisations=[new_org.pk]),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Uusi nimi"
    assert list(event.organisations.all()) == [new_org]
    assert RoadshowEvent.objects.count() == 1


def test_failed_edit_changes_nothing_and_keeps_the_stored_title_in_the_heading(manager):
    org = OrganisationFactory()
    event = RoadshowEventFactory(title="Tallennettu", format=RoadshowEvent.Format.HYBRID)
    event.organisations.add(org)
    response = manager.post(
        reverse("event-edit", args=[event.pk]),
        event_data(title="Ei tallennu", format="onsite", participants_online="9"),
    )
    assert response.status_code == 200
    assert "Tallennettu" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Tallennettu"
    assert event.format == RoadshowEvent.Format.HYBRID
    assert list(event.organisations.all()) == [org]


def test_edit_keeps_a_retired_theme_the_event_already_has(manager):
    retired = ThemeFactory(is_active=False, name_en="Vanha teema")
    ThemeFactory(is_active=False, name_en="Toinen vanha")
    event = RoadshowEventFactory()
    event.themes.add(retired)
    body = manager.get(reverse("event-edit", args=[event.pk])).content.decode()
    assert "Vanha teema" in body
    assert "Toinen vanha" not in body
    assert "Vanha teema" not in manager.get(reverse("event-create")).content.decode()


def test_theme_checkboxes_are_in_the_order_of_the_names_shown(manager):
    ThemeFactory(name_fi="Aaa suomeksi", name_en="Zzz in English")
    ThemeFactory(name_fi="Zzz suomeksi", name_en="Aaa in English")
    english = manager.get(reverse("event-create")).content.decode()
    assert english.index("Aaa in English") < english.index("Zzz in English")
    finnish = manager.get(
        reverse("event-create"), headers={"accept-language": "fi"}
    ).content.decode()
    assert finnish.index("Aaa suomeksi") < finnish.index("Zzz suomeksi")


def test_a_refusal_from_the_service_lands_beside_its_field_or_on_top(manager, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError(
            {"participants_online": ["Too many."], "created_at": ["Clock is wrong."]}
        )

    monkeypatch.setattr(services, "event_save", refuse)
    response = manager.post(reverse("event-create"), event_data())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["participants_online"] == ["Too many."]
    assert any("Clock is wrong." in error for error in form.non_field_errors())
    assert RoadshowEvent.objects.count() == 0


def test_clear_filters_link_only_when_filtering(manager):
    for _ in range(51):
        RoadshowEventFactory()
    assert "Clear filters" not in manager.get(reverse("event-list"), {"page": 2}).content.decode()
    filtered = manager.get(reverse("event-list"), {"q": "Roadshow"}).content.decode()
    assert f'<a href="{reverse("event-list")}">Clear filters</a>' in filtered
