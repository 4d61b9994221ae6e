"""Platform pages: the filtered list, one platform's page with the ideas planning to use it,
and create and edit for project managers (funders read)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from network.models import Platform
from tests.factories import (
    IdeaFactory,
    OrganisationFactory,
    PlatformFactory,
    ThemeFactory,
    region,
)
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

# The same bound holds for few and for many rows: queries must not grow with rows.
LIST_QUERIES = 10
DETAIL_QUERIES = 8


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def listed(response) -> list[str]:
    return [platform.name for platform in response.context["page"].object_list]


def platform_data(**overrides) -> dict:
    data = {
        "name": "Robotiikan pilottilinja",
        "kind": Platform.Kind.PILOT_LINE,
        "host_organisation": OrganisationFactory(region=region("06")).pk,
        "region": "",
        "link": "https://vatek.example/linja",
        "themes": [],
        "description": "Yhteistyörobotit ja konenäkö",
        "access_terms": "Pk-yrityksille ensimmäinen päivä maksutta",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# The list --------------------------------------------------------------------------------------


@pytest.fixture
def platforms():
    """Four platforms that differ in every filtered property."""
    digital, circular = ThemeFactory(name_en="Digital"), ThemeFactory(name_en="Circular")
    vatek = OrganisationFactory(name="VATEK", region=region("06"))
    oulu = OrganisationFactory(name="Pohjolan yliopisto", region=region("17"))
    return {
        "robot": PlatformFactory(
            name="Robotiikan pilottilinja", kind=Platform.Kind.PILOT_LINE,
            host_organisation=vatek, themes=[digital],
        ),
        "5g": PlatformFactory(
            name="5G-testiverkko", kind=Platform.Kind.TEST_ENVIRONMENT,
            host_organisation=oulu, themes=[digital], description="Yksityinen kampusverkko",
        ),
        "lab": PlatformFactory(
            name="Materiaalilaboratorio", kind=Platform.Kind.LABORATORY,
            host_organisation=vatek, themes=[circular, digital],
        ),
        "data": PlatformFactory(
            name="Data-alusta", kind=Platform.Kind.DATA_PLATFORM, host_organisation=oulu,
            region=region("13"), themes=[],
        ),
        "digital": digital,
        "circular": circular,
        "vatek": vatek,
    }


def test_list_shows_every_platform_by_name(manager, platforms):
    response = manager.get(reverse("platform-list"))
    assert response.status_code == 200
    assert listed(response) == [
        "5G-testiverkko", "Data-alusta", "Materiaalilaboratorio", "Robotiikan pilottilinja"
    ]
    assert_no_inline_code(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda w: {"kind": "laboratory"}, ["Materiaalilaboratorio"]),
        (
            lambda w: {"region": region("06").pk},
            ["Materiaalilaboratorio", "Robotiikan pilottilinja"],
        ),
        (lambda w: {"region": region("13").pk}, ["Data-alusta"]),
        (
            lambda w: {"theme": w["digital"].pk},
            ["5G-testiverkko", "Materiaalilaboratorio", "Robotiikan pilottilinja"],
        ),
        (lambda w: {"theme": w["circular"].pk}, ["Materiaalilaboratorio"]),
        (
            lambda w: {"host_organisation": w["vatek"].pk},
            ["Materiaalilaboratorio", "Robotiikan pilottilinja"],
        ),
        (lambda w: {"q": "kampusverkko"}, ["5G-testiverkko"]),  # the description
        (lambda w: {"q": "pohjolan"}, ["5G-testiverkko", "Data-alusta"]),  # the host's name
        (lambda w: {"q": "robotiikan linja"}, ["Robotiikan pilottilinja"]),  # every word
        (lambda w: {"theme": w["digital"].pk, "kind": "test_environment"}, ["5G-testiverkko"]),
    ],
)
def test_list_filters(manager, platforms, query, expected):
    response = manager.get(reverse("platform-list"), query(platforms))
    assert listed(response) == expected
    assert response.context["is_filtered"]


@pytest.mark.parametrize(
    "query", [{"kind": "spaceport"}, {"region": "99999999999999999999999"}, {"theme": "x"}]
)
def test_invalid_filter_shows_the_error_and_no_rows(manager, platforms, query):
    response = manager.get(reverse("platform-list"), query)
    assert response.status_code == 200
    assert listed(response) == []
    assert "Some filter values are not valid" in response.content.decode()


def test_host_filter_offers_only_hosts(manager, platforms):
    OrganisationFactory(name="Ei alustaa Oy")
    form = manager.get(reverse("platform-list")).context["filter"].form
    hosts = [org.name for org in form.fields["host_organisation"].queryset]
    assert hosts == ["Pohjolan yliopisto", "VATEK"]


def test_list_counts_the_ideas_and_marks_a_retired_platform(funder, platforms):
    platforms["robot"].ideas.set([IdeaFactory(), IdeaFactory()])
    PlatformFactory(name="Suljettu linja", is_active=False)
    response = funder.get(reverse("platform-list"))
    counts = {p.name: p.idea_count for p in response.context["page"].object_list}
    assert counts["Robotiikan pilottilinja"] == 2
    assert counts["5G-testiverkko"] == 0
    body = response.content.decode()
    assert "no longer available" in body
    # Funders read; only project managers get the button.
    assert reverse("platform-create") not in body


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(manager, rows, django_assert_max_num_queries):
    themes = [ThemeFactory(), ThemeFactory()]
    ideas = [IdeaFactory(), IdeaFactory()]
    for _ in range(rows):
        PlatformFactory(themes=themes, ideas=ideas)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = manager.get(reverse("platform-list"), {"theme": themes[0].pk})
    assert response.context["page"].paginator.count == rows


# One platform's page ---------------------------------------------------------------------------


def test_platform_page_lists_its_ideas_in_pipeline_order(funder):
    later = IdeaFactory(title="B-hanke", in_consortium=True, regions=[region("06")])
    first = IdeaFactory(title="A-hanke", regions=[region("17"), region("13")])
    IdeaFactory(title="Ei mukana")
    platform = PlatformFactory(ideas=[later, first], themes=[ThemeFactory(name_en="Digital")])
    response = funder.get(reverse("platform-detail", args=[platform.pk]))
    assert response.status_code == 200
    assert [idea.title for idea in response.context["page"].ideas] == ["A-hanke", "B-hanke"]
    body = response.content.decode()
    assert 'class="stage-pill pill-consortium"' in body
    assert "Ei mukana" not in body
    assert reverse("theme-detail", args=[platform.themes.get().slug]) in body
    assert reverse("platform-edit", args=[platform.pk]) not in body
    assert_no_inline_code(body)


def test_unknown_platform_is_404(manager):
    assert manager.get(reverse("platform-detail", args=[999_999])).status_code == 404
    assert manager.get(reverse("platform-edit", args=[999_999])).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_platform_page_queries_do_not_grow(manager, rows, django_assert_max_num_queries):
    platform = PlatformFactory(
        themes=[ThemeFactory() for _ in range(rows)],
        ideas=[IdeaFactory(regions=[region("06"), region("17")]) for _ in range(rows)],
    )
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = manager.get(reverse("platform-detail", args=[platform.pk]))
    assert len(response.context["page"].ideas) == rows


# Create and edit -------------------------------------------------------------------------------


def test_funder_cannot_create_or_edit(funder):
    platform = PlatformFactory()
    for url in (reverse("platform-create"), reverse("platform-edit", args=[platform.pk])):
        assert funder.get(url).status_code == 403
        assert funder.post(url, platform_data()).status_code == 403
    assert Platform.objects.count() == 1


def test_manager_creates_a_platform_in_the_hosts_region(manager):
    theme = ThemeFactory()
    response = manager.post(reverse("platform-create"), platform_data(themes=[theme.pk]))
    platform = Platform.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("platform-detail", args=[platform.pk])
    assert platform.region == region("06")
    assert list(platform.themes.all()) == [theme]
    assert platform.is_active


def test_form_is_accessible_and_has_no_inline_code(manager):
    body = manager.get(reverse("platform-create")).content.decode()
    assert "Leave empty to use the host organisation&#x27;s region." in body
    assert_no_inline_code(body)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"kind": "spaceport"}, "kind", "Select a valid choice."),
        ({"host_organisation": ""}, "host_organisation", "This field is required."),
        ({"host_organisation": "9" * 20}, "host_organisation", "Select a valid choice."),
        ({"link": "not a link"}, "link", "Enter a valid URL."),
        ({"themes": ["abc"]}, "themes", "is not a valid value"),
    ],
)
def test_bad_input_is_refused_at_the_field(manager, overrides, field, message):
    response = manager.post(reverse("platform-create"), platform_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Platform.objects.exists()


def test_host_without_region_asks_for_the_region(manager):
    host = OrganisationFactory(region=None)
    response = manager.post(reverse("platform-create"), platform_data(host_organisation=host.pk))
    assert response.status_code == 200
    assert "host organisation has none" in response.context["form"].errors["region"][0]
    assert not Platform.objects.exists()


def test_a_second_platform_of_the_same_name_at_the_host_is_refused_at_the_name(manager):
    existing = PlatformFactory(name="Datalabra")
    response = manager.post(
        reverse("platform-create"),
        platform_data(name="datalabra", host_organisation=existing.host_organisation.pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "The host organisation already has a platform with this name."
    ]
    assert Platform.objects.count() == 1


def test_manager_edits_and_retires_a_platform(manager):
    platform = PlatformFactory(name="Vanha nimi", themes=[ThemeFactory()])
    data = platform_data(
        name="Uusi nimi",
        host_organisation=platform.host_organisation.pk,
        region=region("14").pk,
        themes=[],
    )
    del data["is_active"]
    response = manager.post(reverse("platform-edit", args=[platform.pk]), data)
    assert response.status_code == 302
    platform.refresh_from_db()
    assert (platform.name, platform.region, platform.is_active) == (
        "Uusi nimi", region("14"), False
    )
    assert not platform.themes.exists()


def test_failed_edit_keeps_the_stored_name_in_the_breadcrumb(manager):
    platform = PlatformFactory(name="Tallennettu nimi")
    response = manager.post(
        reverse("platform-edit", args=[platform.pk]),
        platform_data(name="", host_organisation=platform.host_organisation.pk),
    )
    assert response.status_code == 200
    assert "Tallennettu nimi" in response.content.decode()
    platform.refresh_from_db()
    assert platform.name == "Tallennettu nimi"
