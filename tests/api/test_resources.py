"""What a script author relies on: writes through the API keep the same rules, in the same
words, as the pages; lists, pages and ids answer predictably; tokens and languages work."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import ApiToken
from funding.forms import ApplicationForm, DecisionForm
from funding.models import FundingApplication, FundingInstrument, Implementation
from portfolio.forms.consortium import MemberForm
from portfolio.forms.events import EventForm
from portfolio.forms.organisations import OrganisationForm
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    Organisation,
    RoadshowEvent,
    StageTransition,
)
from tests.api.conftest import API, api_client
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    ImplementationFactory,
    OrganisationFactory,
    RoadshowEventFactory,
    ThemeFactory,
    business_id,
    instrument,
    region,
)

pytestmark = pytest.mark.django_db

HUGE_ID = "99999999999999999999999"  # beyond 64 bits


def form_messages(form: forms.BaseForm) -> set[str]:
    """Every message the page would show for ``form``."""
    assert not form.is_valid()
    return {message for messages in form.errors.values() for message in messages}


# Ideas ---------------------------------------------------------------------------------------


def test_create_idea(manager_api, manager_user):
    themes = [ThemeFactory(), ThemeFactory()]
    event = RoadshowEventFactory()

    response = manager_api.post(
        f"{API}/ideas/",
        {
            "title": "Akkumateriaalien kierrätys",
            "summary": "A shared recycling line",
            "owner": manager_user.pk,
            "origin_event": event.pk,
            "themes": [t.pk for t in themes],
            "regions": [region("06").pk],
            "estimated_budget": "250000.50",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    idea = Idea.objects.get(pk=body["id"])
    assert body["stage"] == "idea"
    assert body["version"] == 1
    assert body["owner_name"] == "Maija Manageri"
    assert sorted(body["themes"]) == sorted(t.pk for t in themes)
    assert body["estimated_budget"] == "250000.50"
    assert idea.origin_event == event
    assert set(idea.regions.all()) == {region("06")}
    first = StageTransition.objects.get(idea=idea)
    assert (first.from_stage, first.to_stage, first.by) == ("", "idea", manager_user)


def test_update_idea(manager_api):
    idea = IdeaFactory(themes=[ThemeFactory()])
    theme = ThemeFactory()

    response = manager_api.patch(
        f"{API}/ideas/{idea.pk}/",
        {"title": "Renamed", "themes": [theme.pk], "owner": None},
        format="json",
    )

    assert response.status_code == 200, response.json()
    idea.refresh_from_db()
    assert idea.title == "Renamed"
    assert list(idea.themes.all()) == [theme]
    assert idea.owner is None
    assert response.json()["owner_name"] is None
    # The answer shows the idea as saved, not the themes read before the change.
    assert response.json()["themes"] == [theme.pk]


def test_idea_with_negative_budget_is_refused_in_the_model_words(manager_api):
    response = manager_api.post(
        f"{API}/ideas/", {"title": "Budget", "estimated_budget": "-1.00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"estimated_budget": ["The estimated budget cannot be negative."]}
    assert not Idea.objects.filter(title="Budget").exists()


def test_idea_owner_must_be_a_project_manager(manager_api, funder_user):
    response = manager_api.post(
        f"{API}/ideas/", {"title": "Owned", "owner": funder_user.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["owner"]


def test_idea_cannot_get_an_inactive_theme(manager_api):
    retired = ThemeFactory(is_active=False)
    response = manager_api.post(
        f"{API}/ideas/", {"title": "Retired theme", "themes": [retired.pk]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["themes"]


def test_idea_keeps_an_inactive_theme_it_already_has(manager_api):
    retired = ThemeFactory()
    idea = IdeaFactory(themes=[retired])
    retired.is_active = False
    retired.save()
    response = manager_api.patch(
        f"{API}/ideas/{idea.pk}/", {"themes": [retired.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()


# Consortium members ----------------------------------------------------------------------------


def test_create_update_and_remove_member(manager_api):
    idea = IdeaFactory(in_consortium=True)
    organisation = OrganisationFactory()
    contact = ContactFactory(organisation=organisation)

    created = manager_api.post(
        f"{API}/members/",
        {
            "idea": idea.pk,
            "organisation": organisation.pk,
            "role": "lead",
            "status": "interested",
            "budget_share": "40000.00",
            "contact": contact.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    updated = manager_api.patch(f"{API}/members/{pk}/", {"status": "committed"}, format="json")
    assert updated.status_code == 200, updated.json()
    assert ConsortiumMember.objects.get(pk=pk).status == "committed"

    removed = manager_api.delete(f"{API}/members/{pk}/")
    assert removed.status_code == 204
    assert not ConsortiumMember.objects.filter(pk=pk).exists()


def test_second_lead_is_refused_with_the_words_of_the_page(manager_api):
    idea = IdeaFactory(in_consortium=True)
    ConsortiumMemberFactory(idea=idea, role="lead")
    second = OrganisationFactory()

    response = manager_api.post(
        f"{API}/members/",
        {"idea": idea.pk, "organisation": second.pk, "role": "lead", "status": "invited"},
        format="json",
    )

    assert response.status_code == 400
    message = (
        "The consortium already has a lead organisation; make this one a partner "
        "or change the current lead first."
    )
    assert response.json() == {"role": [message]}
    page = MemberForm(
        {"organisation": second.pk, "role": "lead", "status": "invited"},
        instance=ConsortiumMember(idea=idea),
    )
    assert message in form_messages(page)
    assert idea.consortium_members.count() == 1


def test_same_organisation_twice_is_refused(manager_api):
    member = ConsortiumMemberFactory()
    response = manager_api.post(
        f"{API}/members/",
        {"idea": member.idea_id, "organisation": member.organisation_id, "role": "partner"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"organisation": ["This organisation is already in the consortium."]}


def test_member_contact_must_work_at_the_member_organisation(manager_api):
    member = ConsortiumMemberFactory()
    elsewhere = ContactFactory()
    response = manager_api.patch(
        f"{API}/members/{member.pk}/", {"contact": elsewhere.pk}, format="json"
    )
    assert response.status_code == 400
    message = "The contact person must work at the member organisation."
    assert response.json() == {"contact": [message]}
    data = {
        "organisation": member.organisation_id,
        "role": member.role,
        "status": member.status,
        "contact": elsewhere.pk,
    }
    page = MemberForm(data, instance=ConsortiumMember(idea=member.idea))
    assert message in form_messages(page)


def test_membership_stays_with_its_idea(manager_api):
    member = ConsortiumMemberFactory()
    other = IdeaFactory()
    response = manager_api.patch(f"{API}/members/{member.pk}/", {"idea": other.pk}, format="json")
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.idea_id != other.pk


# Roadshow events -------------------------------------------------------------------------------


def test_create_and_update_event(manager_api):
    organisations = [OrganisationFactory(), OrganisationFactory()]
    theme = ThemeFactory()

    created = manager_api.post(
        f"{API}/events/",
        {
            "title": "Roadshow Kokkola",
            "date": "2024-09-12",
            "host_region": region("16").pk,
            "format": "hybrid",
            "participants_onsite": 18,
            "participants_online": 7,
            "organisations": [o.pk for o in organisations],
            "themes": [theme.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["participants"] == 25
    event = RoadshowEvent.objects.get(pk=body["id"])
    assert set(event.organisations.all()) == set(organisations)

    updated = manager_api.patch(
        f"{API}/events/{event.pk}/", {"organisations": [organisations[0].pk]}, format="json"
    )
    assert updated.status_code == 200, updated.json()
    assert list(event.organisations.all()) == [organisations[0]]
    # Fields not sent are left alone, the themes included.
    assert list(event.themes.all()) == [theme]


def test_onsite_event_with_online_participants_is_refused_in_the_page_words(manager_api):
    data = {
        "title": "Roadshow Vaasa",
        "date": "2024-05-02",
        "host_region": region("15").pk,
        "format": "onsite",
        "participants_onsite": 10,
        "participants_online": 5,
    }
    response = manager_api.post(f"{API}/events/", data, format="json")
    assert response.status_code == 400
    message = "An on-site event has no online participants; choose the hybrid format."
    assert response.json() == {"participants_online": [message]}
    assert message in form_messages(EventForm(data))


# Organisations and contact persons ------------------------------------------------------------


def test_create_and_update_organisation(manager_api):
    created = manager_api.post(
        f"{API}/organisations/",
        {
            "name": "Merenkurkun Teknologia Oy",
            # Pasted with spaces around it: stored without them, as on the page.
            "business_id": " 2252888-5 ",
            "kind": "company",
            "size": "small",
            "region": region("15").pk,
            "website": "https://example.fi",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert Organisation.objects.get(pk=pk).business_id == "2252888-5"

    updated = manager_api.patch(
        f"{API}/organisations/{pk}/", {"municipality": "Vaasa"}, format="json"
    )
    assert updated.status_code == 200, updated.json()
    assert Organisation.objects.get(pk=pk).municipality == "Vaasa"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1234567-8", "The check digit of Y-tunnus 1234567-8 is wrong; check the number."),
        (
            "1234567",
            "“1234567” is not a Y-tunnus: write seven digits, a hyphen and a check digit, "
            "for example 2252888-5.",
        ),
    ],
)
def test_bad_business_id_is_refused_in_the_page_words(manager_api, value, message):
    data = {"name": "Tarkistus Oy", "business_id": value, "kind": "company", "size": "small"}
    response = manager_api.post(f"{API}/organisations/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"business_id": [message]}
    assert form_messages(OrganisationForm(data)) == {message}


def test_business_id_is_unique(manager_api):
    existing = OrganisationFactory()
    data = {"name": "Kopio Oy", "business_id": existing.business_id, "kind": "company"}
    response = manager_api.post(f"{API}/organisations/", data, format="json")
    assert response.status_code == 400
    message = "An organisation with this Y-tunnus already exists."
    assert response.json() == {"business_id": [message]}
    assert message in form_messages(OrganisationForm(data))


def test_create_update_and_erase_contact(manager_api):
    member = ConsortiumMemberFactory()

    created = manager_api.post(
        f"{API}/contacts/",
        {
            "organisation": member.organisation_id,
            "name": "Liisa Laine",
            "email": "liisa@example.fi",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    manager_api.patch(f"{API}/members/{member.pk}/", {"contact": pk}, format="json")

    updated = manager_api.patch(f"{API}/contacts/{pk}/", {"title": "CEO"}, format="json")
    assert updated.status_code == 200
    assert Contact.objects.get(pk=pk).title == "CEO"

    bad = manager_api.patch(f"{API}/contacts/{pk}/", {"email": "not an address"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["email"]

    erased = manager_api.delete(f"{API}/contacts/{pk}/")
    assert erased.status_code == 204
    assert not Contact.objects.filter(pk=pk).exists()
    member.refresh_from_db()
    assert member.contact is None


# Funding applications and decisions -----------------------------------------------------------


def application_data(idea: Idea, **changes) -> dict:
    return {
        "idea": idea.pk,
        "instrument": instrument("akke").pk,
        "applicant": OrganisationFactory().pk,
        "total_budget": "200000.00",
        "requested": "150000.00",
        "status": "submitted",
        "submitted_on": "2024-03-01",
        **changes,
    }


def test_create_application_and_record_the_approval(manager_api):
    idea = IdeaFactory(in_application=True)

    created = manager_api.post(f"{API}/applications/", application_data(idea), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    decided = manager_api.patch(
        f"{API}/applications/{pk}/",
        {"status": "approved", "granted": "120000.00", "decided_on": "2024-06-14"},
        format="json",
    )

    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "approved"
    assert decided.json()["granted"] == "120000.00"
    application = FundingApplication.objects.get(pk=pk)
    assert application.granted == Decimal("120000.00")
    assert application.decided_on.isoformat() == "2024-06-14"


def test_record_a_rejection(manager_api):
    application = FundingApplicationFactory()
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/",
        {"status": "rejected", "decided_on": "2024-06-14"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["granted"] is None


def test_requested_above_the_total_budget_is_refused_in_the_page_words(manager_api):
    idea = IdeaFactory()
    data = application_data(idea, total_budget="100000.00", requested="150000.00")

    response = manager_api.post(f"{API}/applications/", data, format="json")

    assert response.status_code == 400
    message = "The requested amount cannot exceed the total budget."
    assert response.json() == {"requested": [message]}
    page = ApplicationForm(data, instance=FundingApplication(idea=idea))
    assert message in form_messages(page)


@pytest.mark.parametrize("status", ["draft", "submitted", "withdrawn"])
@pytest.mark.parametrize("decided", ["approved", "rejected"])
def test_an_undecided_status_clears_the_decision_as_on_the_page(manager_api, decided, status):
    # The same outcome as the idea page's (tests/funding/test_views_idea_funding.py).
    application = FundingApplicationFactory(**{decided: True})
    # A draft has not been submitted, so it leaves the submission date too.
    change = {"status": status, **({"submitted_on": None} if status == "draft" else {})}
    response = manager_api.patch(f"{API}/applications/{application.pk}/", change, format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["status"], answer["granted"], answer["decided_on"]) == (status, None, None)
    application.refresh_from_db()
    assert (application.status, application.granted, application.decided_on) == (
        status,
        None,
        None,
    )


def test_granted_amount_is_not_recorded_without_approval(manager_api):
    application = FundingApplicationFactory()
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/", {"granted": "1000.00"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["granted"] is None
    application.refresh_from_db()
    assert application.granted is None


def test_rejection_records_no_granted_amount_as_on_the_page(manager_api):
    # The same outcome as the idea page's (tests/funding/test_views_idea_funding.py).
    application = FundingApplicationFactory()
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/",
        {"status": "rejected", "granted": "5000.00", "decided_on": "2024-06-14"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["granted"]) == ("rejected", None)
    application.refresh_from_db()
    assert (application.status, application.granted) == ("rejected", None)


def test_rejecting_an_approved_application_drops_its_granted_amount(manager_api):
    # The same outcome as the idea page's (tests/funding/test_views_idea_funding.py).
    application = FundingApplicationFactory(approved=True)
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/",
        {"status": "rejected", "decided_on": "2023-07-01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    application.refresh_from_db()
    assert (application.status, application.granted, application.decided_on.isoformat()) == (
        "rejected",
        None,
        "2023-07-01",
    )


def test_granted_above_the_request_is_refused_in_the_page_words(manager_api):
    application = FundingApplicationFactory()
    data = {"granted": "150000.01", "decided_on": "2024-06-14"}
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/",
        {"status": "approved", **data},
        format="json",
    )
    assert response.status_code == 400
    message = "The granted amount cannot exceed the requested amount."
    assert response.json() == {"granted": [message]}
    page = DecisionForm({"outcome": "approved", **data}, instance=application)
    assert message in form_messages(page)


def test_approval_without_granted_amount_is_refused_in_the_page_words(manager_api):
    application = FundingApplicationFactory()
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/",
        {"status": "approved", "decided_on": "2024-06-14"},
        format="json",
    )
    assert response.status_code == 400
    message = "Give the granted amount of an approved application."
    assert response.json() == {"granted": [message]}
    page = DecisionForm(
        {"outcome": "approved", "decided_on": "2024-06-14"}, instance=application
    )
    assert message in form_messages(page)


def test_decision_before_submission_is_refused(manager_api):
    application = FundingApplicationFactory(submitted_on=timezone.localdate())
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/",
        {"status": "rejected", "decided_on": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "decided_on": ["The decision date cannot be before the submission date."]
    }


def test_call_of_another_instrument_is_refused(manager_api):
    other = FundingInstrument.objects.exclude(code="akke").first()
    data = application_data(IdeaFactory(), call=FundingCallFactory(instrument=other).pk)

    response = manager_api.post(f"{API}/applications/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {"call": ["The call belongs to another instrument."]}


def test_application_stays_with_its_idea(manager_api):
    application = FundingApplicationFactory()
    other = IdeaFactory()
    response = manager_api.patch(
        f"{API}/applications/{application.pk}/", {"idea": other.pk}, format="json"
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.idea_id != other.pk


# Implementations --------------------------------------------------------------------------------


def test_create_and_update_implementation(manager_api):
    idea = IdeaFactory(in_implementation=True)
    lead = OrganisationFactory()

    created = manager_api.post(
        f"{API}/implementations/",
        {
            "idea": idea.pk,
            "lead_organisation": lead.pk,
            "start": "2024-01-01",
            "total_budget": "300000.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    end = (timezone.localdate() - timedelta(days=1)).isoformat()
    updated = manager_api.patch(
        f"{API}/implementations/{pk}/", {"end": end, "health": "late"}, format="json"
    )
    assert updated.status_code == 200, updated.json()
    implementation = Implementation.objects.get(pk=pk)
    assert implementation.end.isoformat() == end
    assert implementation.health == "late"


def test_implementation_ending_before_it_starts_is_refused(manager_api):
    implementation = ImplementationFactory()
    response = manager_api.patch(
        f"{API}/implementations/{implementation.pk}/", {"end": "2020-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"end": ["The end date cannot be before the start date."]}


def test_an_idea_has_one_implementation(manager_api):
    implementation = ImplementationFactory()
    response = manager_api.post(
        f"{API}/implementations/",
        {
            "idea": implementation.idea_id,
            "lead_organisation": implementation.lead_organisation_id,
            "start": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["idea"]
    assert Implementation.objects.filter(idea=implementation.idea).count() == 1


# Lists: filters and pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "name", "value"),
    [
        ("ideas", "stage", "nowhere"),
        ("ideas", "theme", "abc"),
        ("ideas", "region", HUGE_ID),
        ("ideas", "owner", "-5"),
        ("ideas", "origin_event", "987654"),
        ("ideas", "ordering", "password"),
        ("events", "year", "1850"),
        ("organisations", "kind", "pirate"),
        ("organisations", "region", "x"),
        ("members", "idea", HUGE_ID),
        ("members", "role", "boss"),
        ("contacts", "organisation", "abc"),
        ("transitions", "after", "yesterday"),
        ("transitions", "to_stage", "nowhere"),
        ("applications", "status", "pending"),
        ("applications", "year", "abc"),
        ("implementations", "health", "so-so"),
        ("instruments", "level", "galactic"),
        ("calls", "deadline_after", "2024-13-45"),
    ],
)
def test_bad_filter_value_is_400_naming_the_filter(manager_api, resource, name, value):
    response = manager_api.get(f"{API}/{resource}/", {name: value})
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert list(body) == [name]
    assert body[name] and all(isinstance(m, str) and m for m in body[name])


@pytest.mark.parametrize("value", ["onsite", "online", "hybrid"])
def test_events_filter_by_format(manager_api, value):
    wanted = RoadshowEventFactory(
        format=value,
        participants_onsite=0 if value == "online" else 10,
        participants_online=0 if value == "onsite" else 10,
    )
    for other in {"onsite", "online", "hybrid"} - {value}:
        RoadshowEventFactory(format=other, participants_onsite=0, participants_online=0)

    response = manager_api.get(f"{API}/events/", {"format": value})

    assert response.status_code == 200, response.content[:300]
    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_bad_event_format_filter_is_400_naming_the_filter(manager_api):
    response = manager_api.get(f"{API}/events/", {"format": "by-post"})
    assert response.status_code == 400
    assert list(response.json()) == ["format"]


def test_bad_boolean_filter_value_is_400_naming_the_filter(manager_api):
    response = manager_api.get(f"{API}/instruments/", {"is_active": "perhaps"})
    assert response.status_code == 400
    assert list(response.json()) == ["is_active"]


def test_boolean_filter_selects_rows(manager_api):
    retired = instrument("akke")
    retired.is_active = False
    retired.save()
    rows = manager_api.get(f"{API}/instruments/", {"is_active": "false"}).json()["results"]
    assert [row["id"] for row in rows] == [retired.pk]


def test_filters_select_rows(manager_api):
    wanted = IdeaFactory(in_consortium=True, title="Vetyklusteri")
    IdeaFactory(title="Muu")
    response = manager_api.get(f"{API}/ideas/", {"stage": "consortium", "q": "vety"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_page_past_the_end_is_404_with_a_message(manager_api):
    IdeaFactory()
    response = manager_api.get(f"{API}/ideas/", {"page": 7})
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page “7”: That page contains no results"}


def test_page_that_is_not_a_number_is_400_naming_it(manager_api):
    response = manager_api.get(f"{API}/ideas/", {"page": "first"})
    assert response.status_code == 400
    assert response.json() == {"page": ["Enter a page number of 1 or more, or “last”."]}


def test_page_size_is_at_most_200(manager_api):
    Organisation.objects.bulk_create(
        Organisation(name=f"Massa {n} Oy", business_id=business_id(5_000_000 + n * 11))
        for n in range(205)
    )

    largest = manager_api.get(f"{API}/organisations/", {"page_size": 200}).json()
    small = manager_api.get(f"{API}/organisations/", {"page_size": 7}).json()
    default = manager_api.get(f"{API}/organisations/").json()
    too_large = manager_api.get(f"{API}/organisations/", {"page_size": 1000})

    assert largest["count"] == 205
    assert len(largest["results"]) == 200
    assert largest["next"] is not None
    assert len(small["results"]) == 7
    assert len(default["results"]) == 50
    assert too_large.status_code == 400
    assert too_large.json() == {"page_size": ["Enter a whole number from 1 to 200."]}


# Ids and authentication --------------------------------------------------------------------------

DETAILS = [
    "applications", "calls", "contacts", "events", "ideas", "implementations", "instruments",
    "members", "organisations", "regions", "themes", "transitions",
]


@pytest.mark.parametrize("resource", DETAILS)
@pytest.mark.parametrize("pk", [HUGE_ID, "987654", "-1", "abc"])
def test_unknown_id_is_404(manager_api, resource, pk):
    response = manager_api.get(f"{API}/{resource}/{pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


WRITABLE = [
    ("put", "applications"), ("patch", "applications"),
    ("put", "contacts"), ("patch", "contacts"), ("delete", "contacts"),
    ("put", "events"), ("patch", "events"),
    ("put", "ideas"), ("patch", "ideas"),
    ("put", "implementations"), ("patch", "implementations"),
    ("put", "members"), ("patch", "members"), ("delete", "members"),
    ("put", "organisations"), ("patch", "organisations"),
]


@pytest.mark.parametrize(("method", "resource"), WRITABLE)
def test_write_to_an_id_beyond_64_bits_is_404(manager_api, method, resource):
    response = getattr(manager_api, method)(f"{API}/{resource}/{HUGE_ID}/", {}, format="json")
    assert response.status_code == 404


def test_move_of_an_id_beyond_64_bits_is_404(manager_api):
    response = manager_api.post(
        f"{API}/ideas/{HUGE_ID}/transition/",
        {"to_stage": "consortium", "expected_stage": "idea"},
        format="json",
    )
    assert response.status_code == 404


def test_anonymous_is_told_how_to_authenticate(anonymous_api):
    response = anonymous_api.get(f"{API}/ideas/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def token_client(token: str) -> APIClient:
    """A client that authenticates with a personal token only, as a script does."""
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_token_reads_and_writes(manager_user):
    _, token = ApiToken.objects.create(user=manager_user, name="Monthly import")
    client = token_client(token)

    assert client.get(f"{API}/ideas/").status_code == 200
    created = client.post(f"{API}/ideas/", {"title": "From a script"}, format="json")
    assert created.status_code == 201, created.json()
    first = StageTransition.objects.get(idea_id=created.json()["id"])
    assert first.by == manager_user


def test_funder_token_only_reads(funder_user):
    _, token = ApiToken.objects.create(user=funder_user, name="Reporting")
    client = token_client(token)
    assert client.get(f"{API}/ideas/").status_code == 200
    assert client.post(f"{API}/ideas/", {"title": "No"}, format="json").status_code == 403


def test_expired_token_is_refused(manager_user):
    instance, token = ApiToken.objects.create(user=manager_user, name="Old script")
    ApiToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = token_client(token).get(f"{API}/ideas/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_revoked_token_is_refused(manager_user):
    instance, token = ApiToken.objects.create(user=manager_user, name="Leaked")
    instance.delete()

    response = token_client(token).get(f"{API}/ideas/")

    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Token salkku_not-a-real-token", "Token", "Token a b"])
def test_malformed_or_unknown_token_is_refused(header):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(f"{API}/ideas/").status_code == 401


def test_token_of_a_deactivated_account_is_refused(manager_user):
    _, token = ApiToken.objects.create(user=manager_user, name="Script")
    manager_user.is_active = False
    manager_user.save()
    assert token_client(token).get(f"{API}/ideas/").status_code == 401


def test_token_of_an_account_without_a_group_gets_nothing(no_group_user):
    _, token = ApiToken.objects.create(user=no_group_user, name="Script")
    assert token_client(token).get(f"{API}/ideas/").status_code == 403


# Languages ---------------------------------------------------------------------------------------


def bad_business_id(client):
    return client.post(
        f"{API}/organisations/",
        {"name": "Kieli Oy", "business_id": "1234567-8", "kind": "company"},
        format="json",
    )


def test_accept_language_en_gives_english_messages(manager_user):
    response = bad_business_id(api_client(manager_user, language="en"))
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json() == {
        "business_id": ["The check digit of Y-tunnus 1234567-8 is wrong; check the number."]
    }


def test_finnish_is_the_default_language(manager_user):
    client = api_client(manager_user)
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE")
    response = bad_business_id(client)
    with translation.override("fi"):
        finnish = translation.gettext(
            "The check digit of Y-tunnus %(value)s is wrong; check the number."
        ) % {"value": "1234567-8"}
    assert response["Content-Language"] == "fi"
    assert response.json() == {"business_id": [finnish]}
    assert finnish != "The check digit of Y-tunnus 1234567-8 is wrong; check the number."


def test_move_refusal_reasons_follow_the_language(manager_user):
    idea = IdeaFactory()
    body = {"to_stage": "dropped", "expected_stage": "idea"}
    english = api_client(manager_user, language="en").post(
        f"{API}/ideas/{idea.pk}/transition/", body, format="json"
    )
    finnish = api_client(manager_user, language="fi").post(
        f"{API}/ideas/{idea.pk}/transition/", body, format="json"
    )
    assert english.json()["reasons"] == ["Give the reason for dropping the idea."]
    with translation.override("fi"):
        assert finnish.json()["reasons"] == [
            translation.gettext("Give the reason for dropping the idea.")
        ]
    assert finnish.json()["reasons"] != english.json()["reasons"]


@pytest.mark.parametrize("ordering", [",,", "title,", ",-created_at"])
def test_empty_sort_terms_are_ignored(manager_api, ordering):
    response = manager_api.get(f"{API}/ideas/", {"ordering": ordering})
    assert response.status_code == 200
