"""Every money field of every form, sent through its page in each UI language: Finnish and
English writing are stored as the same amount, and a value that reads two ways is refused
beside its field with nothing saved or changed.

tests/core/test_number_reading.py checks the fields themselves; this checks what the pages do
with them (the view, the form's other rules, the service and the database), where a field's
reading could still be lost: a form that cleans the amount again, a template that renders it
in a way the field cannot read back, a service that refuses what the field accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import escape

from dashboards.models import Indicator, ManualValue, Target
from funding.models import FundingApplication, Implementation
from portfolio.models import ConsortiumMember, Idea
from tests.core.test_number_reading import MONEY_FIELDS
from tests.factories import (
    ConsortiumMemberFactory,
    FundingApplicationFactory,
    IdeaFactory,
    ImplementationFactory,
    OrganisationFactory,
    instrument,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]
AMOUNT = Decimal("12500.50")
WRITINGS = [
    "12 500,50",
    "12\u00a0500,50 €",  # a no-break space between thousands, as a Finnish document has it
    "12,500.50",
]
AMBIGUOUS = "1,250"
# The two readings of "1,250" as each language writes them in the refusal.
READINGS = {
    "fi": ("1\u00a0250", "1,25"),
    "sv": ("1\u00a0250", "1,25"),
    "en": ("1\u00a0250", "1.25"),
}


@dataclass(frozen=True)
class Posting:
    """What a page is sent: its address, a valid form but for the amount, and the row the
    amount lands in (the one created, or the one edited)."""

    url: str
    data: dict[str, str]
    rows: QuerySet


@dataclass(frozen=True)
class Page:
    name: str
    form: str  # the form's class name, as MONEY_FIELDS names it
    field: str
    prepare: Callable[[Any], Posting]  # the page's objects, made for this user
    edits: bool = False  # the page changes an existing row

    def __str__(self) -> str:
        return f"{self.name}:{self.field}"


# --- what each page needs --------------------------------------------------------------


def _idea_data(user, **fields) -> dict[str, str]:
    return {"title": "Robottisolu pk-yrityksille", "summary": "Yhteinen pilottilinja",
            "owner": user.pk, "origin_event": "", "estimated_budget": "150000", **fields}


def idea_create(user) -> Posting:
    data = _idea_data(user)
    return Posting(reverse("idea-create"), data, Idea.objects.filter(title=data["title"]))


def idea_edit(user) -> Posting:
    idea = IdeaFactory(owner=user)
    return Posting(
        reverse("idea-edit", args=[idea.pk]),
        _idea_data(user, title=idea.title, summary=idea.summary),
        Idea.objects.filter(pk=idea.pk),
    )


def _application_data(applicant) -> dict[str, str]:
    # The other amount leaves room for 12 500,50 either way: requested ≤ total budget.
    return {
        "instrument": instrument("akke").pk, "call": "", "applicant": applicant.pk,
        "reference": "PIR-2023-17", "total_budget": "200000", "requested": "1000",
        "status": FundingApplication.Status.SUBMITTED, "submitted_on": "2023-04-01",
    }


def application_add(user) -> Posting:
    idea = IdeaFactory(owner=user, in_consortium=True)
    return Posting(
        reverse("application-add", args=[idea.pk]),
        _application_data(OrganisationFactory()),
        FundingApplication.objects.filter(idea=idea),
    )


def application_edit(user) -> Posting:
    application = FundingApplicationFactory(
        idea=IdeaFactory(owner=user, in_consortium=True), requested=Decimal(1000)
    )
    return Posting(
        reverse("application-edit", args=[application.idea_id, application.pk]),
        _application_data(application.applicant),
        FundingApplication.objects.filter(pk=application.pk),
    )


def application_decision(user) -> Posting:
    # Approved with 120 000 of the 150 000 requested; the decision is changed to 12 500,50.
    application = FundingApplicationFactory(
        idea=IdeaFactory(owner=user, in_consortium=True), approved=True
    )
    return Posting(
        reverse("application-decision", args=[application.idea_id, application.pk]),
        {"outcome": FundingApplication.Status.APPROVED, "granted": "", "decided_on": "2023-06-01"},
        FundingApplication.objects.filter(pk=application.pk),
    )


def _implementation_data(lead) -> dict[str, str]:
    return {"lead_organisation": lead.pk, "start": "2023-07-01", "end": "2024-12-31",
            "total_budget": "", "health": Implementation.Health.ON_TRACK,
            "final_report_date": "2025-02-28"}


def implementation_create(user) -> Posting:
    idea = IdeaFactory(owner=user, in_application=True)
    return Posting(
        reverse("implementation-edit", args=[idea.pk]),
        _implementation_data(OrganisationFactory()),
        Implementation.objects.filter(idea=idea),
    )


def implementation_edit(user) -> Posting:
    implementation = ImplementationFactory(idea=IdeaFactory(owner=user, in_application=True))
    return Posting(
        reverse("implementation-edit", args=[implementation.idea_id]),
        _implementation_data(implementation.lead_organisation),
        Implementation.objects.filter(pk=implementation.pk),
    )


def _member_data(organisation) -> dict[str, str]:
    return {"organisation": organisation.pk, "role": ConsortiumMember.Role.PARTNER,
            "status": ConsortiumMember.Status.INVITED, "budget_share": "", "contact": ""}


def member_add(user) -> Posting:
    idea = IdeaFactory(owner=user)
    return Posting(
        reverse("member-add", args=[idea.pk]),
        _member_data(OrganisationFactory()),
        ConsortiumMember.objects.filter(idea=idea),
    )


def member_edit(user) -> Posting:
    member = ConsortiumMemberFactory(idea=IdeaFactory(owner=user), budget_share=Decimal(40000))
    return Posting(
        reverse("member-edit", args=[member.idea_id, member.pk]),
        _member_data(member.organisation),
        ConsortiumMember.objects.filter(pk=member.pk),
    )


def _target(indicator: str, **fields) -> Target:
    return Target.objects.create(indicator=indicator, start_date=date(2023, 1, 1),
                                 target_date=date(2023, 12, 31), **fields)


def _target_data() -> dict[str, str]:
    # € granted: a target in euros.
    return {"indicator": Indicator.GRANTED, "name": "", "target_value": "",
            "start_date": "2023-01-01", "target_date": "2023-12-31", "note": ""}


def target_create(user) -> Posting:
    return Posting(reverse("target-create"), _target_data(),
                   Target.objects.filter(indicator=Indicator.GRANTED))


def target_edit(user) -> Posting:
    target = _target(Indicator.GRANTED, target_value=Decimal(1500000))
    return Posting(reverse("target-edit", args=[target.pk]), _target_data(),
                   Target.objects.filter(pk=target.pk))


def _manual_target() -> Target:
    return _target(Indicator.MANUAL, name="Viestinnän tavoittavuus", target_value=1000)


def _value_data() -> dict[str, str]:
    return {"period_start": "2023-01-01", "period_end": "2023-03-31", "value": "", "note": ""}


def manual_value_create(user) -> Posting:
    target = _manual_target()
    return Posting(reverse("target-value-create", args=[target.pk]), _value_data(),
                   ManualValue.objects.filter(target=target))


def manual_value_edit(user) -> Posting:
    value = ManualValue.objects.create(target=_manual_target(), period_start=date(2023, 1, 1),
                                       period_end=date(2023, 3, 31), value=Decimal(300))
    return Posting(reverse("target-value-edit", args=[value.pk]), _value_data(),
                   ManualValue.objects.filter(pk=value.pk))


PAGES = [
    Page("idea-create", "IdeaForm", "estimated_budget", idea_create),
    Page("idea-edit", "IdeaForm", "estimated_budget", idea_edit, edits=True),
    Page("application-add", "ApplicationForm", "total_budget", application_add),
    Page("application-add", "ApplicationForm", "requested", application_add),
    Page("application-edit", "ApplicationForm", "total_budget", application_edit, edits=True),
    Page("application-edit", "ApplicationForm", "requested", application_edit, edits=True),
    Page("application-decision", "DecisionForm", "granted", application_decision, edits=True),
    Page("implementation-new", "ImplementationForm", "total_budget", implementation_create),
    Page("implementation-edit", "ImplementationForm", "total_budget", implementation_edit,
         edits=True),
    Page("member-add", "MemberForm", "budget_share", member_add),
    Page("member-edit", "MemberForm", "budget_share", member_edit, edits=True),
    Page("target-create", "TargetForm", "target_value", target_create),
    Page("target-edit", "TargetForm", "target_value", target_edit, edits=True),
    Page("target-value-create", "ManualValueForm", "value", manual_value_create),
    Page("target-value-edit", "ManualValueForm", "value", manual_value_edit, edits=True),
]


def _stored(posting: Posting, field: str) -> list[tuple]:
    """Every row of the page's table with its amount: what a refusal must leave as it was."""
    return list(posting.rows.model.objects.order_by("pk").values_list("pk", field))


def _in_language(client, language: str):
    client.cookies["django_language"] = language
    return client


# --- the tests -------------------------------------------------------------------------------


def test_every_money_field_of_every_form_is_sent_through_a_page_here():
    # A money field added to a form fails here until its page is in PAGES.
    assert {(page.form, page.field) for page in PAGES} == {
        (form, field) for form, field, _f in MONEY_FIELDS
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("written", WRITINGS)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_an_amount_is_stored_alike_in_every_language(
    manager, manager_user, page, language, written
):
    posting = page.prepare(manager_user)
    response = _in_language(manager, language).post(
        posting.url, {**posting.data, page.field: written}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert getattr(posting.rows.get(), page.field) == AMOUNT


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_an_amount_that_reads_two_ways_is_refused_beside_its_field(
    manager, manager_user, page, language
):
    posting = page.prepare(manager_user)
    before = _stored(posting, page.field)
    response = _in_language(manager, language).post(
        posting.url, {**posting.data, page.field: AMBIGUOUS}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert type(form).__name__ == page.form
    [error] = form.errors.as_data()[page.field]
    assert error.code == "ambiguous"
    [message] = form.errors[page.field]
    assert AMBIGUOUS in message
    assert all(reading in message for reading in READINGS[language])
    body = response.content.decode()
    assert f'id="id_{page.field}_error"' in body and escape(message) in body
    assert _stored(posting, page.field) == before


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", [page for page in PAGES if page.edits], ids=str)
def test_an_amount_shown_on_an_edit_page_is_read_back_unchanged(
    manager, manager_user, page, language
):
    # Saving the form as it is shown keeps the stored amount, in the language it is shown in.
    posting = page.prepare(manager_user)
    row = posting.rows.get()
    setattr(row, page.field, AMOUNT)
    row.save(update_fields=[page.field])
    client = _in_language(manager, language)
    body = client.get(posting.url).content.decode()
    shown = re.search(rf'<input[^>]*name="{page.field}"[^>]*value="([^"]*)"', body)
    assert shown, f"{page.field} is not shown with its value"
    response = client.post(posting.url, {**posting.data, page.field: shown.group(1)})
    assert response.status_code == 302, response.context["form"].errors
    assert getattr(posting.rows.get(), page.field) == AMOUNT
