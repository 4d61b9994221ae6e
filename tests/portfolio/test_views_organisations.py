"""Organisation pages and contact persons; contact persons are never shown to funders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import FundingApplication
from portfolio.models import ConsortiumMember, Contact, Organisation
from portfolio.stages import Stage
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    FundingApplicationFactory,
    IdeaFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    region,
)
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

# The same bound holds for 5 and for 30 rows: queries must not grow with rows.
LIST_QUERIES = 6
DETAIL_QUERIES = 8


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    # Requests carry no Accept-Language header, so the pages use the default language.
    settings.LANGUAGE_CODE = "en"




def listed(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


def organisation_data(**overrides) -> dict:
    data = {
        "name": "Hervannan Sensoriikka Oy",
        "business_id": "2252888-5",
        "kind": Organisation.Kind.COMPANY,
        "size": Organisation.Size.SMALL,
        "region": region("06").pk,
        "municipality": "Tampere",
        "website": "https://sensoriikka.example.fi",
    }
    data.update(overrides)
    return data


def contact_data(**overrides) -> dict:
    data = {
        "name": "Pekka Yhteyshenkilö",
        "title": "Toimitusjohtaja",
        "email": "pekka@sensoriikka.example.fi",
        "phone": "040 123 4567",
    }
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------


def write_urls() -> list[str]:
    contact = ContactFactory()
    organisation = contact.organisation
    return [
        reverse("organisation-create"),
        reverse("organisation-edit", args=[organisation.pk]),
        reverse("contact-add", args=[organisation.pk]),
        reverse("contact-edit", args=[contact.pk]),
        reverse("contact-erase", args=[contact.pk]),
    ]


def test_anonymous_goes_to_login_everywhere(anonymous):
    organisation = OrganisationFactory()
    urls = [
        reverse("organisation-list"),
        reverse("organisation-detail", args=[organisation.pk]),
        *write_urls(),
    ]
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
        assert anonymous.post(url, contact_data()).status_code == 302, url
    assert Contact.objects.count() == 1


def test_funder_gets_403_on_every_write_url_and_nothing_changes(funder):
    urls = write_urls()
    contact = Contact.objects.get()
    for url in urls:
        assert funder.get(url).status_code == 403, url
        assert funder.post(url, {**organisation_data(), **contact_data()}).status_code == 403, url
    assert Organisation.objects.count() == 1
    assert Contact.objects.get().name == contact.name


def test_admin_may_open_the_forms(admin):
    for url in write_urls():
        assert admin.get(url).status_code == 200, url


def test_unknown_rows_are_404(manager):
    for name in (
        "organisation-detail",
        "organisation-edit",
        "contact-add",
        "contact-edit",
        "contact-erase",
    ):
        assert manager.get(reverse(name, args=[999999])).status_code == 404, name


# List ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "funder", "admin"])
def test_list_shows_organisations_by_name(request, persona):
    client = request.getfixturevalue(persona)
    OrganisationFactory(name="Öljy Oy")
    OrganisationFactory(name="Alavuden Muovi Oy")
    response = client.get(reverse("organisation-list"))
    assert response.status_code == 200
    assert listed(response)[0] == "Alavuden Muovi Oy"
    assert_no_inline_code(response.content.decode())


def test_list_columns_and_distinct_idea_count(manager):
    organisation = OrganisationFactory(
        name="Tampereen Yliopisto",
        business_id="0828308-4",
        municipality="Tampere",
        kind=Organisation.Kind.RESEARCH,
        size=Organisation.Size.LARGE,
    )
    for _ in range(2):
        ConsortiumMemberFactory(organisation=organisation)
    ConsortiumMemberFactory()  # another organisation's membership
    response = manager.get(reverse("organisation-list"))
    row = next(o for o in response.context["page"].object_list if o.pk == organisation.pk)
    assert row.idea_count == 2
    body = response.content.decode()
    for text in ("0828308-4", "Research organisation", "Large", "Pirkanmaa", "Tampere"):
        assert text in body, text
    assert f'href="{reverse("organisation-detail", args=[organisation.pk])}"' in body


def test_new_organisation_button_only_for_managers(manager, funder):
    url = reverse("organisation-create")
    assert f'href="{url}"' in manager.get(reverse("organisation-list")).content.decode()
    assert url not in funder.get(reverse("organisation-list")).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "muovi"}, ["Alavuden Muovi Oy"]),
        ({"q": "2252888"}, ["Alavuden Muovi Oy"]),
        ({"q": "0828308-4"}, ["Tampereen yliopisto"]),
        ({"kind": "research"}, ["Tampereen yliopisto"]),
        ({"size": "micro"}, ["Alavuden Muovi Oy"]),
        ({"region": "14"}, ["Alavuden Muovi Oy"]),
        ({"kind": "company", "region": "06"}, ["Kasvu Oy"]),
        ({"q": "  "}, ["Alavuden Muovi Oy", "Kasvu Oy", "Tampereen yliopisto"]),
    ],
)
def test_list_filters(manager, query, expected):
    OrganisationFactory(
        name="Alavuden Muovi Oy",
        business_id="2252888-5",
        size=Organisation.Size.MICRO,
        region=region("14"),
    )
    OrganisationFactory(
        name="Tampereen yliopisto",
        business_id="0828308-4",
        kind=Organisation.Kind.RESEARCH,
        size=Organisation.Size.LARGE,
    )
    OrganisationFactory(name="Kasvu Oy", business_id="2077474-0")
    params = dict(query)
    if "region" in params:
        params["region"] = region(params["region"]).pk
    response = manager.get(reverse("organisation-list"), params)
    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "spaceship"},
        {"size": "huge"},
        {"region": "abc"},
        {"region": "999999"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999"},
        {"q": "\x00"},
        {"q": "%_'\""},
    ],
)
def test_bad_filter_values_do_not_break_the_list(manager, query):
    OrganisationFactory()
    response = manager.get(reverse("organisation-list"), query)
    assert response.status_code == 200
    if set(query) - {"page", "q"}:
        assert response.context["filter"].form.errors
        assert 'class="field-errors"' in response.content.decode()


def test_list_is_paginated_by_50(manager):
    for _ in range(53):
        OrganisationFactory()
    first = manager.get(reverse("organisation-list"))
    assert len(first.context["page"].object_list) == 50
    assert 'rel="next"' in first.content.decode()
    second = manager.get(reverse("organisation-list"), {"page": "2"})
    assert len(second.context["page"].object_list) == 3
    assert not set(listed(first)) & set(listed(second))


@pytest.mark.parametrize("rows", [5, 30])
def test_list_queries_do_not_grow_with_rows(manager, rows, django_assert_max_num_queries):
    for _ in range(rows):
        ConsortiumMemberFactory()
    with django_assert_max_num_queries(LIST_QUERIES):
        response = manager.get(reverse("organisation-list"))
    assert response.context["page"].paginator.count >= rows


# Detail --------------------------------------------------------------------------------------


def make_organisation() -> tuple[Organisation, Contact]:
    organisation = OrganisationFactory(
        name="Hervannan Sensoriikka Oy",
        business_id="2252888-5",
        municipality="Tampere",
        website="https://sensoriikka.example.fi",
    )
    contact = ContactFactory(
        organisation=organisation,
        name="Pekka Yhteyshenkilö",
        title="Toimitusjohtaja",
        email="pekka@sensoriikka.example.fi",
        phone="040 123 4567",
    )
    idea = IdeaFactory(title="Sensoridata", in_consortium=True)
    ConsortiumMemberFactory(
        idea=idea,
        organisation=organisation,
        role=ConsortiumMember.Role.LEAD,
        status=ConsortiumMember.Status.COMMITTED,
        contact=contact,
    )
    FundingApplicationFactory(
        idea=idea,
        applicant=organisation,
        approved=True,
        requested=Decimal("150000.00"),
        granted=Decimal("120000.00"),
    )
    hosted = RoadshowEventFactory(title="Isännöity", host_organisation=organisation)
    attended = RoadshowEventFactory(title="Osallistuttu", date=date(2022, 5, 1))
    attended.organisations.add(organisation)
    hosted.organisations.add(organisation)
    RoadshowEventFactory(title="Muiden tapahtuma")
    return organisation, contact


def test_detail_for_a_manager_shows_everything_and_contact_controls(manager):
    organisation, contact = make_organisation()
    response = manager.get(reverse("organisation-detail", args=[organisation.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Hervannan Sensoriikka Oy",
        "2252888-5",
        "Company",
        "Small",
        "Pirkanmaa",
        "Tampere",
        "Sensoridata",
        "Lead",
        "Committed",
        str(Stage.CONSORTIUM.label),
        "Approved",
        "150,000.00&nbsp;€",
        "120,000.00&nbsp;€",
        "Isännöity",
        "Osallistuttu",
        "Host and attendee",
        "Attendee",
        contact.name,
        contact.title,
        "040 123 4567",
    ):
        assert text in body, text
    assert "Muiden tapahtuma" not in body
    assert f'href="mailto:{contact.email}"' in body
    assert 'href="https://sensoriikka.example.fi" rel="noopener noreferrer"' in body
    for url in (
        reverse("organisation-edit", args=[organisation.pk]),
        reverse("contact-add", args=[organisation.pk]),
        reverse("contact-edit", args=[contact.pk]),
        reverse("contact-erase", args=[contact.pk]),
    ):
        assert f'href="{url}"' in body, url
    assert_no_inline_code(body)


def test_detail_for_a_funder_has_no_contact_data_and_no_edit_links(funder):
    organisation, contact = make_organisation()
    response = funder.get(reverse("organisation-detail", args=[organisation.pk]))
    assert response.status_code == 200
    assert response.context["page"].contacts is None
    body = response.content.decode()
    assert "Hervannan Sensoriikka Oy" in body
    assert "Sensoridata" in body
    for personal in (
        contact.name,
        "Pekka",
        contact.email,
        "mailto:",
        "040 123 4567",
        "tel:",
        contact.title,
        'id="contacts-heading"',
    ):
        assert personal not in body, personal
    for url in (
        reverse("organisation-edit", args=[organisation.pk]),
        reverse("contact-add", args=[organisation.pk]),
        reverse("contact-edit", args=[contact.pk]),
        reverse("contact-erase", args=[contact.pk]),
    ):
        assert url not in body, url
    assert "/edit/" not in body


def test_detail_in_finnish_formats_money_the_finnish_way(manager):
    organisation, _contact = make_organisation()
    body = manager.get(
        reverse("organisation-detail", args=[organisation.pk]), headers={"accept-language": "fi"}
    ).content.decode()
    assert "150\xa0000,00&nbsp;€" in body


def test_detail_of_an_organisation_with_nothing_yet(manager):
    organisation = OrganisationFactory(business_id="", website="", region=None)
    response = manager.get(reverse("organisation-detail", args=[organisation.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="empty"') == 4


@pytest.mark.parametrize("rows", [5, 30])
def test_detail_queries_do_not_grow_with_rows(manager, rows, django_assert_max_num_queries):
    organisation = OrganisationFactory()
    for _ in range(rows):
        idea = IdeaFactory()
        ConsortiumMemberFactory(idea=idea, organisation=organisation)
        FundingApplicationFactory(idea=idea, applicant=organisation)
        ContactFactory(organisation=organisation)
        RoadshowEventFactory().organisations.add(organisation)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = manager.get(reverse("organisation-detail", args=[organisation.pk]))
    page = response.context["page"]
    assert len(page.memberships) == len(page.applications) == len(page.contacts) == rows
    assert len(page.events) == rows


# Create and edit -------------------------------------------------------------------------------


def test_create_form_explains_the_y_tunnus(manager):
    body = manager.get(reverse("organisation-create")).content.decode()
    assert "For example 2252888-5" in body
    assert 'aria-describedby="id_business_id_helptext"' in body
    assert_no_inline_code(body)


def test_create_strips_spaces_around_the_y_tunnus(manager):
    response = manager.post(
        reverse("organisation-create"), organisation_data(business_id="  2252888-5 ")
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation-detail", args=[organisation.pk])
    assert organisation.business_id == "2252888-5"
    assert organisation.region.code == "06"


def test_create_without_a_y_tunnus(manager):
    response = manager.post(reverse("organisation-create"), organisation_data(business_id=""))
    assert response.status_code == 302
    assert Organisation.objects.get().business_id == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"business_id": "2252888-4"},
            "business_id",
            "The check digit of Y-tunnus 2252888-4 is wrong; check the number.",
        ),
        ({"business_id": "2252888"}, "business_id", "is not a Y-tunnus"),
        ({"business_id": "22528885"}, "business_id", "is not a Y-tunnus"),
        ({"business_id": "abcdefg-h"}, "business_id", "is not a Y-tunnus"),
        ({"name": ""}, "name", "This field is required"),
        ({"kind": "alien"}, "kind", "Select a valid choice"),
        ({"region": "999999"}, "region", "Select a valid choice"),
        ({"website": "not a url at all"}, "website", "Enter a valid URL"),
    ],
)
def test_create_with_bad_input_shows_the_error_beside_the_field(manager, overrides, field, message):
    response = manager.post(reverse("organisation-create"), organisation_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert 'role="alert"' in body
    assert Organisation.objects.count() == 0


def test_duplicate_y_tunnus_is_refused_beside_the_field(manager):
    OrganisationFactory(name="Ensimmäinen", business_id="2252888-5")
    response = manager.post(
        reverse("organisation-create"), organisation_data(business_id=" 2252888-5")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["business_id"] == [
        "An organisation with this Y-tunnus already exists."
    ]
    assert Organisation.objects.count() == 1


def test_edit_changes_the_organisation(manager):
    organisation = OrganisationFactory(name="Vanha Oy")
    assert manager.get(reverse("organisation-edit", args=[organisation.pk])).status_code == 200
    response = manager.post(
        reverse("organisation-edit", args=[organisation.pk]),
        organisation_data(name="Uusi Oy", business_id="0170262-9"),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Uusi Oy"
    assert organisation.business_id == "0170262-9"


def test_edit_may_keep_its_own_y_tunnus(manager):
    organisation = OrganisationFactory(business_id="2252888-5")
    response = manager.post(
        reverse("organisation-edit", args=[organisation.pk]), organisation_data()
    )
    assert response.status_code == 302


def test_failed_edit_changes_nothing(manager):
    OrganisationFactory(business_id="2077474-0")
    organisation = OrganisationFactory(name="Tallennettu", business_id="2252888-5")
    response = manager.post(
        reverse("organisation-edit", args=[organisation.pk]),
        organisation_data(name="Ei tallennu", business_id="2077474-0"),
    )
    assert response.status_code == 200
    assert "Tallennettu" in response.content.decode()
    organisation.refresh_from_db()
    assert (organisation.name, organisation.business_id) == ("Tallennettu", "2252888-5")


# Contact persons ---------------------------------------------------------------------------


def test_add_contact(manager):
    organisation = OrganisationFactory()
    assert manager.get(reverse("contact-add", args=[organisation.pk])).status_code == 200
    response = manager.post(reverse("contact-add", args=[organisation.pk]), contact_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation-detail", args=[organisation.pk])
    contact = Contact.objects.get()
    assert contact.organisation == organisation
    assert (contact.name, contact.email, contact.phone) == (
        "Pekka Yhteyshenkilö",
        "pekka@sensoriikka.example.fi",
        "040 123 4567",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"name": "   "}, "name", "This field is required"),
        ({"email": "pekka at example"}, "email", "Enter a valid email address"),
        ({"phone": "0" * 41}, "phone", "at most 40 characters"),
    ],
)
def test_add_contact_with_bad_input(manager, overrides, field, message):
    organisation = OrganisationFactory()
    response = manager.post(
        reverse("contact-add", args=[organisation.pk]), contact_data(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Contact.objects.count() == 0


def test_edit_contact(manager):
    contact = ContactFactory(name="Vanha Nimi")
    assert manager.get(reverse("contact-edit", args=[contact.pk])).status_code == 200
    response = manager.post(
        reverse("contact-edit", args=[contact.pk]), contact_data(name="Uusi Nimi")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation-detail", args=[contact.organisation.pk])
    contact.refresh_from_db()
    assert contact.name == "Uusi Nimi"


def test_failed_contact_edit_changes_nothing(manager):
    contact = ContactFactory(name="Tallennettu", email="vanha@example.fi")
    response = manager.post(
        reverse("contact-edit", args=[contact.pk]), contact_data(name="", email="uusi@example.fi")
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.name, contact.email) == ("Tallennettu", "vanha@example.fi")


def test_erase_asks_first_and_explains_what_happens(manager):
    contact = ContactFactory(name="Pekka Poistettava")
    response = manager.get(reverse("contact-erase", args=[contact.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pekka Poistettava" in body
    assert "GDPR" in body
    assert 'method="post"' in body
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert_no_inline_code(body)


def test_erase_removes_the_person_and_keeps_the_membership(manager):
    organisation, contact = make_organisation()
    member = ConsortiumMember.objects.get(contact=contact)
    response = manager.post(reverse("contact-erase", args=[contact.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation-detail", args=[organisation.pk])
    assert not Contact.objects.filter(pk=contact.pk).exists()
    member.refresh_from_db()
    assert member.contact is None
    page = manager.get(response["Location"]).content.decode()
    assert "Pekka Yhteyshenkilö" not in page
    assert "erased" in page
    assert FundingApplication.objects.filter(applicant=organisation).exists()
