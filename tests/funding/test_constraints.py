"""Each database constraint of the funding models rejects a bad row by itself."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from funding.models import Funder, FundingCall, FundingInstrument
from tests.factories import FundingApplicationFactory, ImplementationFactory, instrument

pytestmark = pytest.mark.django_db


def rejected(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_funder_rules():
    rejected(lambda: Funder.objects.create(name="", level="eu"))
    rejected(lambda: Funder.objects.create(name="Somebody", level="galactic"))
    rejected(lambda: Funder.objects.create(name="Business Finland", level="national"))


def test_instrument_rules():
    funder = Funder.objects.get(name="Business Finland")

    def make(**fields):
        values = {"code": "x", "name_fi": "X", "funder": funder, "level": "national"}
        return lambda: FundingInstrument.objects.create(**{**values, **fields})

    rejected(make(typical_max_rate=Decimal("100.01")))
    rejected(make(typical_max_rate=Decimal("-1")))
    rejected(make(level="local"))
    rejected(make(name_fi=""))
    rejected(make(code="akke"))


def test_call_needs_a_title():
    rejected(
        lambda: FundingCall.objects.create(
            instrument=instrument(), title="", deadline=timezone.now()
        )
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"requested": Decimal("200000.01")},  # above the total budget
        {"status": "approved", "granted": Decimal("150000.01"), "decided_on": date(2023, 6, 1)},
        {"status": "rejected", "granted": Decimal("1"), "decided_on": date(2023, 6, 1)},
        {"status": "submitted", "granted": Decimal("1")},
        {"status": "approved", "decided_on": date(2023, 3, 31)},  # before submission
        {"status": "pending"},
        {"total_budget": Decimal("-1"), "requested": Decimal("-2")},
        {"status": "approved", "granted": Decimal("-1"), "decided_on": date(2023, 6, 1)},
    ],
    ids=[
        "requested>total",
        "granted>requested",
        "granted-when-rejected",
        "granted-when-submitted",
        "decided-before-submitted",
        "unknown-status",
        "negative-amounts",
        "negative-grant",
    ],
)
def test_application_rules(fields):
    application = FundingApplicationFactory()
    for name, value in fields.items():
        setattr(application, name, value)
    rejected(application.save)


def test_application_granted_up_to_requested_is_fine():
    application = FundingApplicationFactory(approved=True, granted=Decimal("150000.00"))
    assert application.granted == application.requested


@pytest.mark.parametrize(
    "fields",
    [
        {"end": date(2023, 6, 30)},
        {"total_budget": Decimal("-1")},
        {"health": "sick"},
        {"final_report_date": date(2023, 1, 1)},
    ],
)
def test_implementation_rules(fields):
    implementation = ImplementationFactory()
    for name, value in fields.items():
        setattr(implementation, name, value)
    rejected(implementation.save)


def test_one_implementation_per_idea():
    implementation = ImplementationFactory()
    rejected(
        lambda: ImplementationFactory(
            idea=implementation.idea, start=date.today() - timedelta(days=1)
        )
    )
