from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import FundingApplication, Implementation
from funding.services import application_save, implementation_save
from tests.factories import (
    FundingApplicationFactory,
    FundingCallFactory,
    IdeaFactory,
    OrganisationFactory,
    instrument,
)

pytestmark = pytest.mark.django_db


def application(**fields) -> FundingApplication:
    values = {
        "idea": IdeaFactory(in_application=True),
        "instrument": instrument("akke"),
        "applicant": OrganisationFactory(),
        "total_budget": Decimal("300000"),
        "requested": Decimal("240000"),
        "status": "submitted",
        "submitted_on": date(2023, 2, 1),
    }
    return FundingApplication(**{**values, **fields})


def test_valid_application_is_saved_with_history(manager_user):
    saved = application_save(application=application(), by=manager_user)
    assert saved.pk
    assert saved.history.get().history_user == manager_user


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"requested": Decimal("300001")}, "requested", "cannot exceed the total budget"),
        ({"status": "approved", "granted": Decimal("250000"), "decided_on": date(2023, 5, 1)},
         "granted", "cannot exceed the requested amount"),
        ({"status": "approved", "decided_on": date(2023, 1, 1)}, "decided_on", "cannot be before"),
        ({"total_budget": Decimal("-1"), "requested": Decimal("-1")}, None, "cannot be negative"),
        ({"status": "approved"}, "decided_on", "Give the decision date"),
        ({"submitted_on": None}, "submitted_on", "Give the date"),
    ],
)
def test_bad_application_gets_a_clear_message(manager_user, fields, field, words):
    with pytest.raises(ValidationError) as exc:
        application_save(application=application(**fields), by=manager_user)
    if field:
        assert words in " ".join(exc.value.message_dict[field])
    else:
        assert words in str(exc.value)
    assert not FundingApplication.objects.exists()


UNDECIDED = ["draft", "submitted", "withdrawn"]


@pytest.mark.parametrize("status", UNDECIDED)
@pytest.mark.parametrize("decided", ["approved", "rejected"])
def test_an_undecided_status_clears_the_decision(manager_user, decided, status):
    stored = FundingApplicationFactory(**{decided: True})
    stored.status = status
    if status == "draft":  # a draft has not been submitted
        stored.submitted_on = None

    saved = application_save(application=stored, by=manager_user)

    saved.refresh_from_db()
    assert (saved.status, saved.granted, saved.decided_on) == (status, None, None)
    assert saved.history.first().history_user == manager_user


def test_a_rejection_records_no_granted_amount(manager_user):
    rejected = application(status="rejected", granted=Decimal("1"), decided_on=date(2023, 5, 1))
    saved = application_save(application=rejected, by=manager_user)
    saved.refresh_from_db()
    assert (saved.status, saved.granted, saved.decided_on) == ("rejected", None, date(2023, 5, 1))


def test_rejecting_an_approved_application_drops_its_granted_amount(manager_user):
    approved = FundingApplicationFactory(approved=True)
    approved.status = "rejected"
    saved = application_save(application=approved, by=manager_user)
    saved.refresh_from_db()
    assert (saved.status, saved.granted, saved.decided_on) == (
        "rejected", None, date(2023, 6, 1),
    )


def test_an_undecided_status_gives_no_reason_to_refuse_a_decision_amount(manager_user):
    # A granted amount above the request would break a rule, but it is not recorded at all.
    draft = application(
        status="draft", submitted_on=None, granted=Decimal("999999"), decided_on=date(2000, 1, 1)
    )
    saved = application_save(application=draft, by=manager_user)
    assert (saved.granted, saved.decided_on) == (None, None)


def test_a_draft_with_a_submission_date_is_refused(manager_user):
    # It would count in € requested as if it had been submitted.
    with pytest.raises(ValidationError) as exc:
        application_save(application=application(status="draft"), by=manager_user)
    assert "A draft has not been submitted" in exc.value.message_dict["submitted_on"][0]
    assert not FundingApplication.objects.exists()


def test_call_must_belong_to_the_instrument(manager_user):
    call = FundingCallFactory(instrument=instrument("bf-co-innovation"))
    with pytest.raises(ValidationError) as exc:
        application_save(application=application(call=call), by=manager_user)
    assert "another instrument" in exc.value.message_dict["call"][0]


def test_implementation_dates_are_checked(manager_user):
    idea = IdeaFactory(in_implementation=True)
    bad = Implementation(
        idea=idea, lead_organisation=OrganisationFactory(),
        start=date(2024, 1, 1), end=date(2023, 12, 31),
    )
    with pytest.raises(ValidationError) as exc:
        implementation_save(implementation=bad, by=manager_user)
    assert "cannot be before the start" in exc.value.message_dict["end"][0]
    bad.end = date(2025, 12, 31)
    assert implementation_save(implementation=bad, by=manager_user).pk
