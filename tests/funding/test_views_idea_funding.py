"""The idea page's funding applications, their decisions, and the implementation record."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from funding.models import FundingApplication, Implementation
from funding.selectors import idea_applications
from portfolio.models import ConsortiumMember
from tests.factories import (
    ConsortiumMemberFactory,
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    ImplementationFactory,
    OrganisationFactory,
    instrument,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(settings):
    # Requests without an Accept-Language header get the default language; read English here.
    settings.LANGUAGE_CODE = "en"


Status = FundingApplication.Status


def assert_no_inline_code(body: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body)


def idea_url(idea, part: str) -> str:
    return reverse("idea-detail", args=[idea.pk]) + f"#{part}"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def application_data(applicant, **fields) -> dict[str, str]:
    data = {
        "instrument": instrument("akke").pk,
        "call": "",
        "applicant": applicant.pk,
        "reference": "PIR-2023-17",
        "total_budget": "200000",
        "requested": "150000.50",
        "status": Status.SUBMITTED,
        "submitted_on": "2023-04-01",
    }
    return {**data, **fields}


def implementation_data(lead, **fields) -> dict[str, str]:
    data = {
        "lead_organisation": lead.pk,
        "start": "2023-07-01",
        "end": "2024-12-31",
        "total_budget": "250000",
        "health": Implementation.Health.ON_TRACK,
        "final_report_date": "2025-02-28",
    }
    return {**data, **fields}


@pytest.fixture
def idea():
    return IdeaFactory(title="Tekoälyä konepajoihin", in_consortium=True)


@pytest.fixture
def lead(idea):
    return ConsortiumMemberFactory(
        idea=idea,
        organisation=OrganisationFactory(name="Johtava Oy"),
        role=ConsortiumMember.Role.LEAD,
        status=ConsortiumMember.Status.COMMITTED,
    ).organisation


@pytest.fixture
def application(idea):
    return FundingApplicationFactory(idea=idea)


def urls(idea, application) -> dict[str, str]:
    return {
        "add": reverse("application-add", args=[idea.pk]),
        "edit": reverse("application-edit", args=[idea.pk, application.pk]),
        "decision": reverse("application-decision", args=[idea.pk, application.pk]),
        "implementation": reverse("implementation-edit", args=[idea.pk]),
    }


PAGES = ["add", "edit", "decision", "implementation"]


# Who may open the pages --------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_manager_gets_the_form_page(manager, idea, application, page):
    response = manager.get(urls(idea, application)[page])
    assert response.status_code == 200
    body = response.content.decode()
    assert "css/consortium.css" in body
    assert_no_inline_code(body)


@pytest.mark.parametrize("page", PAGES)
def test_admin_gets_the_form_page(admin, idea, application, page):
    assert admin.get(urls(idea, application)[page]).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_funder_is_refused_on_get_and_post(funder, idea, application, page):
    url = urls(idea, application)[page]
    assert funder.get(url).status_code == 403
    data = {
        **application_data(OrganisationFactory(), requested="1"),
        **implementation_data(OrganisationFactory()),
        "outcome": Status.APPROVED,
        "granted": "1",
        "decided_on": "2023-06-01",
    }
    assert funder.post(url, data).status_code == 403
    application.refresh_from_db()
    assert (application.status, application.requested) == (Status.SUBMITTED, Decimal("150000.00"))
    assert FundingApplication.objects.count() == 1
    assert not Implementation.objects.exists()


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_goes_to_login(anonymous, idea, application, page):
    url = urls(idea, application)[page]
    for response in (anonymous.get(url), anonymous.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("page", ["edit", "decision"])
def test_application_of_another_idea_is_not_found(manager, application, page):
    url = urls(IdeaFactory(), application)[page]
    assert manager.get(url).status_code == 404
    assert manager.post(url, {"outcome": "rejected", "decided_on": "2023-06-01"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["application-add", "implementation-edit"])
def test_unknown_idea_is_not_found(manager, name):
    assert manager.get(reverse(name, args=[999999])).status_code == 404


# Adding and editing applications -------------------------------------------------------------


def test_add_form_defaults_the_applicant_to_the_lead(manager, idea, lead):
    response = manager.get(reverse("application-add", args=[idea.pk]))
    form = response.context["form"]
    assert form["applicant"].value() == lead.pk
    assert list(dict(form.fields["status"].choices)) == ["draft", "submitted", "withdrawn"]
    assert 'type="date"' in response.content.decode()


def test_add_form_offers_only_active_instruments(manager, idea):
    retired = instrument("bf-veturi")
    retired.is_active = False
    retired.save()
    response = manager.get(reverse("application-add", args=[idea.pk]))
    offered = response.context["form"].fields["instrument"].queryset
    assert instrument("akke") in offered
    assert retired not in offered


def test_add_application_saves_and_returns(manager, manager_user, idea, lead):
    call = FundingCallFactory(instrument=instrument("akke"), title="AKKE-haku 2023")

    response = manager.post(
        reverse("application-add", args=[idea.pk]), application_data(lead, call=call.pk)
    )

    assert response.status_code == 302
    assert response["Location"] == idea_url(idea, "applications")
    saved = FundingApplication.objects.get(idea=idea)
    assert saved.applicant == lead
    assert saved.call == call
    assert saved.requested == Decimal("150000.50")
    assert saved.submitted_on == date(2023, 4, 1)
    assert saved.status == Status.SUBMITTED
    assert saved.history.get().history_user == manager_user
    assert messages_of(response) == ["The funding application was added."]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"requested": "250000"}, "requested", "cannot exceed the total budget"),
        ({"total_budget": "-1"}, "total_budget", "cannot be negative"),
        ({"submitted_on": ""}, "submitted_on", "Give the date the application was submitted"),
        ({"status": Status.DRAFT}, "submitted_on", "A draft has not been submitted"),
        ({"status": Status.APPROVED}, "status", "Select a valid choice"),
        ({"instrument": ""}, "instrument", "This field is required"),
        ({"submitted_on": "31.13.2023"}, "submitted_on", "Enter a valid date"),
    ],
)
def test_bad_application_is_refused_beside_the_field(manager, idea, lead, fields, field, words):
    response = manager.post(
        reverse("application-add", args=[idea.pk]), application_data(lead, **fields)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in errors[field][0]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not FundingApplication.objects.exists()


def test_call_of_another_instrument_is_refused(manager, idea, lead):
    call = FundingCallFactory(instrument=instrument("bf-rdi"))
    response = manager.post(
        reverse("application-add", args=[idea.pk]), application_data(lead, call=call.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["call"] == ["The call belongs to another instrument."]
    assert not FundingApplication.objects.exists()


def test_edit_application_saves(manager, idea, application):
    response = manager.post(
        reverse("application-edit", args=[idea.pk, application.pk]),
        application_data(application.applicant, requested="180000", status=Status.WITHDRAWN),
    )
    assert response.status_code == 302
    assert response["Location"] == idea_url(idea, "applications")
    application.refresh_from_db()
    assert (application.requested, application.status) == (Decimal("180000"), Status.WITHDRAWN)


def test_edit_to_requested_above_budget_changes_nothing(manager, idea, application):
    response = manager.post(
        reverse("application-edit", args=[idea.pk, application.pk]),
        application_data(application.applicant, requested="999999"),
    )
    assert response.status_code == 200
    assert "requested" in response.context["form"].errors
    application.refresh_from_db()
    assert application.requested == Decimal("150000.00")


def test_edit_of_a_decided_application_keeps_or_clears_the_decision(manager, idea):
    approved = FundingApplicationFactory(idea=idea, approved=True)
    url = reverse("application-edit", args=[idea.pk, approved.pk])
    form = manager.get(url).context["form"]
    assert "approved" in dict(form.fields["status"].choices)

    kept = manager.post(url, application_data(approved.applicant, status=Status.APPROVED))
    assert kept.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.granted) == (Status.APPROVED, Decimal("120000.00"))

    cleared = manager.post(url, application_data(approved.applicant, status=Status.SUBMITTED))
    assert cleared.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.granted, approved.decided_on) == (
        Status.SUBMITTED,
        None,
        None,
    )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN])
@pytest.mark.parametrize("decided", ["approved", "rejected"])
def test_an_undecided_status_clears_the_decision(manager, idea, decided, status):
    # The same outcome as the API's (tests/api/test_resources.py).
    application = FundingApplicationFactory(idea=idea, **{decided: True})
    response = manager.post(
        reverse("application-edit", args=[idea.pk, application.pk]),
        application_data(
            application.applicant, status=status,
            submitted_on="" if status == Status.DRAFT else "2023-04-01",
        ),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.granted, application.decided_on) == (
        status,
        None,
        None,
    )


def test_lowering_the_request_below_the_grant_is_refused_above_the_form(manager, idea):
    approved = FundingApplicationFactory(idea=idea, approved=True)
    response = manager.post(
        reverse("application-edit", args=[idea.pk, approved.pk]),
        application_data(approved.applicant, status=Status.APPROVED, requested="100000"),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The granted amount cannot exceed the requested amount."
    ]
    approved.refresh_from_db()
    assert approved.requested == Decimal("150000.00")


# Recording a decision --------------------------------------------------------------------------


def decision_url(idea, application) -> str:
    return reverse("application-decision", args=[idea.pk, application.pk])


def test_approval_with_granted_amount_is_recorded(manager, idea, application):
    response = manager.post(
        decision_url(idea, application),
        {"outcome": Status.APPROVED, "granted": "120000", "decided_on": "2023-06-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == idea_url(idea, "applications")
    application.refresh_from_db()
    assert (application.status, application.granted, application.decided_on) == (
        Status.APPROVED,
        Decimal("120000"),
        date(2023, 6, 1),
    )
    assert messages_of(response) == ["The application was recorded as approved."]


@pytest.mark.parametrize("granted", ["5000", "999999999", "paljon"])
def test_rejection_ignores_a_granted_amount(manager, idea, application, granted):
    response = manager.post(
        decision_url(idea, application),
        {"outcome": Status.REJECTED, "granted": granted, "decided_on": "2023-06-01"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.granted) == (Status.REJECTED, None)


def test_rejecting_an_approved_application_drops_its_granted_amount(manager, idea):
    # The same outcome as the API's (tests/api/test_resources.py).
    approved = FundingApplicationFactory(idea=idea, approved=True)
    url = decision_url(idea, approved)
    data = {name: str(value) for name, value in manager.get(url).context["form"].initial.items()}
    data.update(outcome=Status.REJECTED, decided_on="2023-07-01")

    response = manager.post(url, data)

    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.granted, approved.decided_on) == (
        Status.REJECTED,
        None,
        date(2023, 7, 1),
    )


def test_decision_page_shows_the_application_and_a_radio_choice(manager, idea, application):
    body = manager.get(decision_url(idea, application)).content.decode()
    assert 'type="radio" name="outcome" value="approved"' in body
    assert 'type="radio" name="outcome" value="rejected"' in body
    assert "<legend>Decision" in body
    assert "150,000.00&nbsp;€" in body
    assert 'name="submitted_on"' not in body  # already known, shown as text


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"outcome": "approved", "granted": "150000.01"}, "granted", "cannot exceed the requested"),
        ({"outcome": "approved", "granted": ""}, "granted", "Give the granted amount"),
        ({"outcome": "approved", "granted": "0"}, "granted", "above zero"),
        ({"outcome": "approved", "granted": "-1"}, "granted", "cannot be negative"),
        (
            {"outcome": "approved", "decided_on": "2023-03-31"},
            "decided_on",
            "cannot be before the submission",
        ),
        ({"outcome": "rejected", "decided_on": ""}, "decided_on", "Give the decision date"),
        ({"outcome": ""}, "outcome", "This field is required"),
        ({"outcome": "submitted"}, "outcome", "Select a valid choice"),
    ],
)
def test_bad_decision_is_refused_beside_the_field(manager, idea, application, data, field, words):
    response = manager.post(
        decision_url(idea, application),
        {"granted": "100000", "decided_on": "2023-06-01", **data},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in errors[field][0]
    assert len(errors[field]) == 1
    assert f'id="id_{field}_error"' in response.content.decode() or field == "outcome"
    application.refresh_from_db()
    assert (application.status, application.granted, application.decided_on) == (
        Status.SUBMITTED,
        None,
        None,
    )


def test_decision_on_a_draft_asks_for_the_submission_date(manager, idea):
    draft = FundingApplicationFactory(idea=idea, status=Status.DRAFT, submitted_on=None)
    url = decision_url(idea, draft)
    assert "submitted_on" in manager.get(url).context["form"].fields

    refused = manager.post(url, {"outcome": "rejected", "decided_on": "2023-06-01"})
    assert refused.status_code == 200
    assert "submitted_on" in refused.context["form"].errors

    late = manager.post(
        url, {"outcome": "rejected", "decided_on": "2023-06-01", "submitted_on": "2023-07-01"}
    )
    assert late.status_code == 200
    assert "cannot be before the submission" in late.context["form"].errors["decided_on"][0]

    saved = manager.post(
        url, {"outcome": "rejected", "decided_on": "2023-06-01", "submitted_on": "2023-05-01"}
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_on) == (Status.REJECTED, date(2023, 5, 1))


def test_decision_page_marks_its_dates_required(manager, idea):
    draft = FundingApplicationFactory(idea=idea, status=Status.DRAFT, submitted_on=None)
    body = manager.get(decision_url(idea, draft)).content.decode()
    for name, label in (("decided_on", "Decided on"), ("submitted_on", "Submitted on")):
        assert re.search(
            rf'<label for="id_{name}">{label}<span class="required" aria-hidden="true"> \*</span>',
            body,
        )
        assert re.search(rf'<input[^>]*name="{name}"[^>]*required', body)


def test_decision_form_starts_from_the_recorded_decision(manager, idea):
    approved = FundingApplicationFactory(idea=idea, approved=True)
    form = manager.get(decision_url(idea, approved)).context["form"]
    assert form["outcome"].value() == "approved"
    assert form["granted"].value() == Decimal("120000.00")


# Implementation ------------------------------------------------------------------------------


def implementation_url(idea) -> str:
    return reverse("implementation-edit", args=[idea.pk])


def test_new_implementation_defaults_the_lead(manager, idea, lead):
    response = manager.get(implementation_url(idea))
    assert response.context["form"]["lead_organisation"].value() == lead.pk
    assert response.content.decode().count('type="date"') == 3


def test_implementation_is_created_then_edited(manager, manager_user, idea, lead):
    response = manager.post(implementation_url(idea), implementation_data(lead))
    assert response.status_code == 302
    assert response["Location"] == idea_url(idea, "implementation")
    implementation = Implementation.objects.get(idea=idea)
    assert (implementation.start, implementation.end) == (date(2023, 7, 1), date(2024, 12, 31))
    assert implementation.total_budget == Decimal("250000")
    assert implementation.history.get().history_user == manager_user
    assert messages_of(response) == ["The implementation record was created."]

    response = manager.post(
        implementation_url(idea), implementation_data(lead, health=Implementation.Health.LATE)
    )
    assert response.status_code == 302
    assert Implementation.objects.get(idea=idea).health == Implementation.Health.LATE
    assert Implementation.objects.count() == 1
    # The first message was never shown (no page was rendered in between), so both are queued.
    assert messages_of(response)[-1] == "The implementation record was saved."


def test_edit_form_loads_the_existing_implementation(manager, idea):
    existing = ImplementationFactory(idea=idea, start=date(2023, 7, 1))
    response = manager.get(implementation_url(idea))
    assert response.context["form"].instance == existing
    assert 'value="2023-07-01"' in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"end": "2023-06-30"}, "end", "cannot be before the start"),
        (
            {"final_report_date": "2023-01-01"},
            "final_report_date",
            "cannot be dated before the start",
        ),
        ({"total_budget": "-10"}, "total_budget", "cannot be negative"),
        ({"start": ""}, "start", "This field is required"),
        ({"lead_organisation": ""}, "lead_organisation", "This field is required"),
        ({"health": "great"}, "health", "Select a valid choice"),
    ],
)
def test_bad_implementation_is_refused_beside_the_field(manager, idea, lead, fields, field, words):
    response = manager.post(implementation_url(idea), implementation_data(lead, **fields))
    assert response.status_code == 200
    assert words in response.context["form"].errors[field][0]
    assert not Implementation.objects.exists()


def test_bad_edit_of_an_implementation_changes_nothing(manager, idea, lead):
    existing = ImplementationFactory(idea=idea, start=date(2023, 7, 1), end=None)
    response = manager.post(implementation_url(idea), implementation_data(lead, end="2023-01-01"))
    assert response.status_code == 200
    existing.refresh_from_db()
    assert existing.end is None


# The applications and implementation parts of the idea page -------------------------------------


def render_applications(idea, *, can_edit: bool) -> str:
    return render_to_string(
        "funding/_idea_applications.html",
        {"idea": idea, "applications": list(idea_applications(idea)), "can_edit": can_edit},
    )


def render_implementation(idea, *, can_edit: bool) -> str:
    return render_to_string(
        "funding/_idea_implementation.html",
        {
            "idea": idea,
            "implementation": Implementation.objects.filter(idea=idea).first(),
            "can_edit": can_edit,
        },
    )


def test_manager_sees_applications_with_edit_and_decision_links(idea):
    submitted = FundingApplicationFactory(idea=idea, reference="PIR-17")
    approved = FundingApplicationFactory(idea=idea, approved=True)
    draft = FundingApplicationFactory(idea=idea, status=Status.DRAFT, submitted_on=None)

    html = render_applications(idea, can_edit=True)

    assert '<section id="applications"' in html
    assert "PIR-17" in html
    assert "120,000.00&nbsp;€" in html
    assert f'href="{reverse("application-add", args=[idea.pk])}"' in html
    for application in (submitted, approved, draft):
        assert f'href="{reverse("application-edit", args=[idea.pk, application.pk])}"' in html
    assert f'href="{decision_url(idea, submitted)}"' in html
    assert f'href="{decision_url(idea, approved)}"' in html
    # A draft is submitted first; then its decision can be recorded.
    assert f'href="{decision_url(idea, draft)}"' not in html
    assert_no_inline_code(html)


def test_funder_sees_applications_without_edit_links(idea):
    FundingApplicationFactory(idea=idea, approved=True)
    html = render_applications(idea, can_edit=False)
    assert "120,000.00&nbsp;€" in html
    assert "/applications/" not in html
    assert "Actions" not in html


def test_applications_money_and_dates_in_finnish(idea):
    FundingApplicationFactory(idea=idea, approved=True, requested=Decimal("150000.50"))
    with translation.override("fi"):
        html = render_applications(idea, can_edit=False)
    assert "150\xa0000,50&nbsp;€" in html
    assert "1.6.2023" in html


def test_no_applications_says_so(idea):
    assert "No funding applications yet." in render_applications(idea, can_edit=False)


@pytest.mark.parametrize("rows", [5, 30])
def test_applications_table_queries_do_not_grow(idea, rows, django_assert_max_num_queries):
    call = FundingCallFactory()
    for _ in range(rows):
        FundingApplicationFactory(idea=idea, call=call)
    with django_assert_max_num_queries(1):
        html = render_applications(idea, can_edit=True)
    assert html.count('class="row-actions"') == rows


def test_implementation_for_manager_and_funder(idea):
    implementation = ImplementationFactory(
        idea=idea,
        lead_organisation=OrganisationFactory(name="Toteuttaja Oy"),
        start=date(2023, 7, 1),
        end=date(2024, 12, 31),
        total_budget=Decimal("1234567.50"),
        health=Implementation.Health.AT_RISK,
    )
    edit_link = f'href="{implementation_url(idea)}"'

    manager_html = render_implementation(idea, can_edit=True)
    assert '<section id="implementation"' in manager_html
    assert "Toteuttaja Oy" in manager_html
    assert "At risk" in manager_html
    assert "1,234,567.50&nbsp;€" in manager_html
    assert edit_link in manager_html
    assert_no_inline_code(manager_html)

    funder_html = render_implementation(idea, can_edit=False)
    assert "Toteuttaja Oy" in funder_html
    assert edit_link not in funder_html

    with translation.override("fi"):
        finnish = render_implementation(idea, can_edit=False)
    assert "1.7.2023" in finnish
    assert "31.12.2024" in finnish
    assert "1\xa0234\xa0567,50&nbsp;€" in finnish
    assert implementation.pk


def test_missing_implementation_offers_to_start_one(idea):
    html = render_implementation(idea, can_edit=True)
    assert "No implementation record yet." in html
    assert f'href="{implementation_url(idea)}"' in html
    assert f'href="{implementation_url(idea)}"' not in render_implementation(idea, can_edit=False)
