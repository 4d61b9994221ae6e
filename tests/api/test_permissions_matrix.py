"""Every operation of the API × every role has an expected answer.

The operations are read from the generated OpenAPI schema; one missing from ``EXPECTED``
fails ``test_every_operation_has_an_entry``. Writes are made with valid bodies, so a
manager's or an admin's answer is the success status and a funder's 403 is the role's
doing, not the body's.
"""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from portfolio.models import ConsortiumMember
from tests.api.conftest import API, ROLES, World
from tests.factories import ContactFactory, OrganisationFactory, business_id

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def schema_operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every operation the API documents."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in METHODS
        if method in item
    ]


def documented_answers() -> dict[tuple[str, str], set[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path): set(item[method]["responses"])
        for path, item in schema["paths"].items()
        for method in METHODS
        if method in item
    }


OPERATIONS = schema_operations()
WRITES = [op for op in OPERATIONS if op[0] != "GET"]
READS = [op for op in OPERATIONS if op[0] == "GET"]

READ = {"anonymous": 401, "funder": 200, "manager": 200, "admin": 200}
PERSONAL_READ = {"anonymous": 401, "funder": 403, "manager": 200, "admin": 200}
CREATE = {"anonymous": 401, "funder": 403, "manager": 201, "admin": 201}
UPDATE = {"anonymous": 401, "funder": 403, "manager": 200, "admin": 200}
DELETE = {"anonymous": 401, "funder": 403, "manager": 204, "admin": 204}
MOVE = UPDATE  # a stage move answers with the moved idea

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("GET", f"{API}/applications/"): READ,
    ("POST", f"{API}/applications/"): CREATE,
    ("GET", f"{API}/applications/{{id}}/"): READ,
    ("PUT", f"{API}/applications/{{id}}/"): UPDATE,
    ("PATCH", f"{API}/applications/{{id}}/"): UPDATE,
    ("GET", f"{API}/calls/"): READ,
    ("GET", f"{API}/calls/{{id}}/"): READ,
    ("GET", f"{API}/contacts/"): PERSONAL_READ,
    ("POST", f"{API}/contacts/"): CREATE,
    ("GET", f"{API}/contacts/{{id}}/"): PERSONAL_READ,
    ("PUT", f"{API}/contacts/{{id}}/"): UPDATE,
    ("PATCH", f"{API}/contacts/{{id}}/"): UPDATE,
    ("DELETE", f"{API}/contacts/{{id}}/"): DELETE,
    ("GET", f"{API}/events/"): READ,
    ("POST", f"{API}/events/"): CREATE,
    ("GET", f"{API}/events/{{id}}/"): READ,
    ("PUT", f"{API}/events/{{id}}/"): UPDATE,
    ("PATCH", f"{API}/events/{{id}}/"): UPDATE,
    ("GET", f"{API}/ideas/"): READ,
    ("POST", f"{API}/ideas/"): CREATE,
    ("GET", f"{API}/ideas/{{id}}/"): READ,
    ("PUT", f"{API}/ideas/{{id}}/"): UPDATE,
    ("PATCH", f"{API}/ideas/{{id}}/"): UPDATE,
    ("POST", f"{API}/ideas/{{id}}/transition/"): MOVE,
    ("GET", f"{API}/implementations/"): READ,
    ("POST", f"{API}/implementations/"): CREATE,
    ("GET", f"{API}/implementations/{{id}}/"): READ,
    ("PUT", f"{API}/implementations/{{id}}/"): UPDATE,
    ("PATCH", f"{API}/implementations/{{id}}/"): UPDATE,
    ("GET", f"{API}/instruments/"): READ,
    ("GET", f"{API}/instruments/{{id}}/"): READ,
    ("GET", f"{API}/members/"): READ,
    ("POST", f"{API}/members/"): CREATE,
    ("GET", f"{API}/members/{{id}}/"): READ,
    ("PUT", f"{API}/members/{{id}}/"): UPDATE,
    ("PATCH", f"{API}/members/{{id}}/"): UPDATE,
    ("DELETE", f"{API}/members/{{id}}/"): DELETE,
    ("GET", f"{API}/organisations/"): READ,
    ("POST", f"{API}/organisations/"): CREATE,
    ("GET", f"{API}/organisations/{{id}}/"): READ,
    ("PUT", f"{API}/organisations/{{id}}/"): UPDATE,
    ("PATCH", f"{API}/organisations/{{id}}/"): UPDATE,
    ("GET", f"{API}/regions/"): READ,
    ("GET", f"{API}/regions/{{id}}/"): READ,
    ("GET", f"{API}/themes/"): READ,
    ("GET", f"{API}/themes/{{id}}/"): READ,
    ("GET", f"{API}/transitions/"): READ,
    ("GET", f"{API}/transitions/{{id}}/"): READ,
}


def resource_of(path: str) -> str:
    return path.removeprefix(f"{API}/").split("/")[0]


def create_body(resource: str, world: World) -> dict[str, Any]:
    """A valid new object of ``resource``, built from the world's objects."""
    return {
        "applications": {
            "idea": world.idea.pk,
            "instrument": world.instrument.pk,
            "applicant": world.organisation.pk,
            "total_budget": "180000.00",
            "requested": "120000.00",
            "status": "submitted",
            "submitted_on": "2024-02-01",
        },
        "contacts": {
            "organisation": world.organisation.pk,
            "name": "Liisa Laine",
            "email": "liisa.laine@example.fi",
        },
        "events": {
            "title": "Roadshow Vaasa",
            "date": "2024-05-02",
            "host_region": world.region.pk,
            "format": "onsite",
            "participants_onsite": 12,
            "organisations": [world.organisation.pk],
            "themes": [world.theme.pk],
        },
        "ideas": {
            "title": "Akkumateriaalien kierrätys",
            "summary": "Recycling line shared by three SMEs",
            "themes": [world.theme.pk],
            "regions": [world.region.pk],
            "estimated_budget": "250000.00",
        },
        "implementations": {
            "idea": world.idea.pk,
            "lead_organisation": world.organisation.pk,
            "start": "2024-03-01",
        },
        "members": {
            "idea": world.idea.pk,
            "organisation": world.organisation.pk,
            "role": "lead",
            "status": "invited",
        },
        "organisations": {
            "name": "Uusi Teknologia Oy",
            "business_id": business_id(9_100_000),
            "kind": "company",
            "size": "micro",
            "region": world.region.pk,
        },
    }[resource]


def update_body(resource: str, world: World) -> dict[str, Any]:
    """A whole valid object for PUT over the world's object of ``resource``."""
    application, member = world.application, world.member
    return {
        "applications": {
            "instrument": application.instrument_id,
            "applicant": application.applicant_id,
            "reference": "AKKE-2024-17",
            "total_budget": "200000.00",
            "requested": "150000.00",
            "status": "submitted",
            "submitted_on": "2023-04-01",
        },
        "contacts": {
            "organisation": world.contact.organisation_id,
            "name": "Liisa Laine-Koski",
            "title": "CEO",
        },
        "events": {
            "title": "Roadshow Seinäjoki",
            "date": "2023-03-16",
            "host_region": world.region.pk,
            "format": "hybrid",
            "participants_onsite": 25,
            "participants_online": 40,
            "organisations": [world.organisation.pk],
            "themes": [],
        },
        "ideas": {"title": "Vetytalouden pilotti 2", "summary": "Revised", "themes": []},
        "implementations": {
            "lead_organisation": world.implementation.lead_organisation_id,
            "start": "2023-07-01",
            "end": "2024-06-30",
            "health": "at_risk",
        },
        "members": {
            "organisation": member.organisation_id,
            "role": "lead",
            "status": "committed",
            "budget_share": "50000.00",
            "contact": member.contact_id,
        },
        "organisations": {
            "name": "Pohjanmaan Akku Oyj",
            "business_id": world.organisation.business_id,
            "kind": "company",
            "size": "medium",
            "region": world.region.pk,
        },
    }[resource]


PATCH_BODIES: dict[str, dict[str, Any]] = {
    "applications": {"reference": "AKKE-2024-18"},
    "contacts": {"title": "Development manager"},
    "events": {"venue": "Technobothnia"},
    "ideas": {"summary": "Now with a pilot plant"},
    "implementations": {"health": "late"},
    "members": {"status": "committed"},
    "organisations": {"municipality": "Vaasa"},
}


def call(client, method: str, template: str, world: World):
    """Make the request of one operation with the world's object and a valid body."""
    resource = resource_of(template)
    path = template
    if "{id}" in template:
        path = template.replace("{id}", str(world.object_for(resource).pk))
    body: dict[str, Any] | None = None
    if template.endswith("/transition/"):
        body = {"to_stage": "consortium", "expected_stage": "idea", "note": "Partners found"}
    elif method == "POST":
        body = create_body(resource, world)
    elif method == "PUT":
        body = update_body(resource, world)
    elif method == "PATCH":
        body = PATCH_BODIES[resource]
    return getattr(client, method.lower())(path, body, format="json")


def test_every_operation_has_an_entry():
    missing = sorted(set(OPERATIONS) - set(EXPECTED))
    assert not missing, f"operations without an expected answer per role: {missing}"


def test_every_entry_is_an_operation():
    stale = sorted(set(EXPECTED) - set(OPERATIONS))
    assert not stale, f"entries for operations the API no longer has: {stale}"


def test_every_expected_answer_is_documented():
    documented = documented_answers()
    undocumented = {
        (op, role, status)
        for op, answers in EXPECTED.items()
        for role, status in answers.items()
        if op in documented and str(status) not in documented[op]
    }
    assert not undocumented


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_role_gets_expected_answer(api_as, world, method, template, role):
    assert (method, template) in EXPECTED, "no expected answer for this operation"
    expected = EXPECTED[(method, template)][role]
    response = call(api_as(role), method, template, world)
    assert response.status_code == expected, response.content[:500]
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_account_without_a_group_is_refused_everywhere(api_as, world, method, template):
    response = call(api_as("none"), method, template, world)
    assert response.status_code == 403, response.content[:500]


@pytest.mark.parametrize(("method", "template"), WRITES, ids=[" ".join(o) for o in WRITES])
def test_refused_write_changes_nothing(api_as, world, method, template):
    resource = resource_of(template)
    before = snapshot(api_as("manager"), resource)
    for role in ("anonymous", "funder", "none"):
        assert call(api_as(role), method, template, world).status_code in (401, 403)
    assert snapshot(api_as("manager"), resource) == before


def snapshot(client, resource: str) -> list:
    response = client.get(f"{API}/{resource}/", {"page_size": 200})
    assert response.status_code == 200
    return response.json()["results"]


# Contact persons are personal data: a funder sees none of them, by any route.

SECRET_NAME = "Sinikka Salainen"
SECRET_EMAIL = "sinikka.salainen@example.fi"
SECRET_PHONE = "+358 40 765 4321"


@pytest.fixture
def named_contact(world):
    """A contact person named on a membership, with words that must never reach a funder."""
    contact = world.member.contact
    contact.name, contact.email, contact.phone = SECRET_NAME, SECRET_EMAIL, SECRET_PHONE
    contact.save()
    return contact


def keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def assert_no_personal_data(response) -> None:
    text = response.content.decode()
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE):
        assert secret not in text
    if response.status_code == 200:
        assert not {"contact", "contacts"} & keys_in(response.json())


def test_funder_listing_members_never_sees_the_contact_field(
    funder_api, manager_api, named_contact, world
):
    ConsortiumMember.objects.create(idea=world.idea, organisation=OrganisationFactory())

    rows = funder_api.get(f"{API}/members/").json()["results"]
    assert len(rows) == 2
    assert all("contact" not in row for row in rows)
    detail = funder_api.get(f"{API}/members/{world.member.pk}/").json()
    assert "contact" not in detail

    # A manager sees who the contact is; the field is hidden, not missing.
    seen_by_manager = manager_api.get(f"{API}/members/{world.member.pk}/").json()
    assert seen_by_manager["contact"] == named_contact.pk


@pytest.mark.parametrize(("method", "template"), READS, ids=[" ".join(o) for o in READS])
def test_funder_never_gets_a_contact(funder_api, world, named_contact, method, template):
    organisation = named_contact.organisation
    if "{id}" in template:
        responses = [call(funder_api, method, template, world)]
    else:
        # Every filter that could narrow a list down to the person's organisation.
        responses = [
            funder_api.get(template),
            funder_api.get(template, {"organisation": organisation.pk}),
            funder_api.get(template, {"organisation": organisation.pk, "q": "Sinikka"}),
        ]
    for response in responses:
        assert response.status_code in (200, 403), response.content[:500]
        assert_no_personal_data(response)


def test_funder_asking_for_the_contacts_of_an_organisation_is_refused(funder_api, named_contact):
    organisation = named_contact.organisation
    response = funder_api.get(f"{API}/contacts/", {"organisation": organisation.pk})
    assert response.status_code == 403
    assert_no_personal_data(response)
    response = funder_api.get(f"{API}/contacts/{named_contact.pk}/")
    assert response.status_code == 403
    assert_no_personal_data(response)


def test_funder_cannot_name_a_contact_through_a_membership_write(funder_api, world):
    # A write the funder may not make must not echo the person back either.
    other = ContactFactory(organisation=world.member.organisation, name=SECRET_NAME)
    response = funder_api.patch(
        f"{API}/members/{world.member.pk}/", {"contact": other.pk}, format="json"
    )
    assert response.status_code == 403
    assert SECRET_NAME not in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.contact_id != other.pk
