"""What each roadshow event led to (portfolio.selectors.outcomes), on the portfolio of
tests/outcomes_data.py, with numbers worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portfolio.models import RoadshowEvent
from portfolio.selectors.outcomes import (
    Window,
    applications_model,
    event_outcomes,
    leverage_grants,
    network_window,
    outcome_totals,
    sorted_outcomes,
)
from tests import outcomes_data

pytestmark = pytest.mark.django_db

FIELDS = ("born", "consortium", "applied", "requested", "funded", "granted")


@pytest.fixture(autouse=True)
def network(settings):
    settings.NETWORK_START_DATE = date(2022, 1, 1)
    settings.NETWORK_END_DATE = date(2023, 12, 31)
    settings.NETWORK_FOLLOW_ON_START = None
    settings.NETWORK_FOLLOW_ON_END = None


@pytest.fixture
def portfolio() -> dict:
    return outcomes_data.build()


def by_title(window: Window) -> dict[str, tuple]:
    return {
        event.title: tuple(getattr(event, name) for name in FIELDS) + (event.conversion,)
        for event in event_outcomes(window)
    }


def test_outcomes_in_the_funding_period(portfolio):
    assert by_title(network_window("funding")) == {
        # A and Other; A reached consortium; A (1.12.2022) and Other (rejected, 1.4.2023)
        # applied for 100 000 + 150 000; A was granted 100 000.
        "Tampere": (2, 1, 2, Decimal(250000), 1, Decimal(100000), 0.5),
        # B and C; B reached consortium; B applied twice (50 000 on 1.12.2022, 200 000 on
        # 1.12.2023); C's application was submitted before the window. B's 50 000 and the
        # since-dropped C's 30 000 were granted in it.
        "Oulu": (2, 1, 1, Decimal(250000), 2, Decimal(80000), 1.0),
        "Quiet": (0, 0, 0, Decimal(0), 0, Decimal(0), None),
    }


def test_outcomes_of_all_decisions_to_date(portfolio):
    assert by_title(network_window("all")) == {
        # Other's four applications: 40 000 (2020), 150 000 rejected, 150 000 pending.
        "Tampere": (2, 1, 2, Decimal(440000), 2, Decimal(140000), 1.0),
        "Oulu": (2, 1, 2, Decimal(280000), 2, Decimal(280000), 1.0),
        "Quiet": (0, 0, 0, Decimal(0), 0, Decimal(0), None),
    }


@pytest.mark.parametrize("key", ["funding", "all"])
def test_granted_over_the_events_is_the_grants_counted_as_leverage(portfolio, key):
    window = network_window(key)
    counted = leverage_grants(applications_model().objects.all(), window)
    total = sum(a.granted for a in counted)

    assert outcome_totals(event_outcomes(window)).granted == total
    assert total == {"funding": Decimal(180000), "all": Decimal(420000)}[key]


def test_grants_to_ideas_without_an_event_are_never_counted(portfolio):
    counted = leverage_grants(applications_model().objects.all(), network_window("all"))
    assert "Outside" not in {a.idea.title for a in counted}


def test_totals_and_conversion(portfolio):
    totals = outcome_totals(event_outcomes(network_window("funding")))
    assert (totals.born, totals.funded, totals.granted) == (4, 3, Decimal(180000))
    assert totals.conversion == 0.75


def test_sorting_by_a_column_and_back(portfolio):
    events = event_outcomes(network_window("funding"))

    assert [e.title for e in sorted_outcomes(events, "-granted")] == ["Tampere", "Oulu", "Quiet"]
    assert [e.title for e in sorted_outcomes(events, "granted")] == ["Quiet", "Oulu", "Tampere"]
    # Without a conversion (nothing born) an event sorts last either way.
    assert [e.title for e in sorted_outcomes(events, "-conversion")][-1] == "Quiet"
    assert [e.title for e in sorted_outcomes(events, "conversion")][-1] == "Quiet"
    # An unknown column: newest first.
    assert [e.title for e in sorted_outcomes(events, "nonsense")] == ["Quiet", "Oulu", "Tampere"]


def test_three_queries_however_many_events(portfolio, django_assert_num_queries):
    # The events, their ideas grouped by event, their applications grouped by event.
    with django_assert_num_queries(3):
        event_outcomes(network_window("all"), events=RoadshowEvent.objects.all())
    events = list(RoadshowEvent.objects.all())
    # Given as rows: the same over their pks.
    with django_assert_num_queries(2):
        event_outcomes(network_window("all"), events=events)
