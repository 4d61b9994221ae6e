"""Outcomes per event on the event list (sortable, with totals and an xlsx download) and on
each event's page, on the portfolio of tests/outcomes_data.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import outcomes_data
from tests.factories import IdeaFactory, RoadshowEventFactory
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

LIST = reverse("event-list")
EXPORT = reverse("event-outcomes-export")


@pytest.fixture(autouse=True)
def network(settings):
    settings.LANGUAGE_CODE = "en"
    settings.NETWORK_START_DATE = date(2022, 1, 1)
    settings.NETWORK_END_DATE = date(2023, 12, 31)
    settings.NETWORK_FOLLOW_ON_START = None
    settings.NETWORK_FOLLOW_ON_END = None


@pytest.fixture
def portfolio() -> dict:
    return outcomes_data.build()


def rows(response) -> dict[str, tuple]:
    return {
        e.title: (e.born, e.consortium, e.applied, e.requested, e.funded, e.granted,
                  e.conversion_text)
        for e in response.context["page"].object_list
    }


def test_list_shows_each_events_outcomes_in_the_funding_period(portfolio, funder):
    response = funder.get(LIST)

    assert response.status_code == 200
    assert rows(response) == {
        "Tampere": (2, 1, 2, Decimal(250000), 1, Decimal(100000), "50.0\xa0%"),
        "Oulu": (2, 1, 1, Decimal(250000), 2, Decimal(80000), "100.0\xa0%"),
        "Quiet": (0, 0, 0, Decimal(0), 0, Decimal(0), "—"),
    }
    totals = response.context["totals"]
    assert (totals.born, totals.funded, totals.granted) == (4, 3, Decimal(180000))
    body = response.content.decode()
    assert "the network&#x27;s funding period" in body
    assert "conversion = funded ÷ born" in body
    assert "180,000&nbsp;€" in body
    assert f'href="{EXPORT}' in body
    assert_no_inline_code(body)


def test_list_window_switch(portfolio, manager):
    response = manager.get(LIST, {"window": "all"})

    assert rows(response)["Tampere"][5] == Decimal(140000)
    assert response.context["totals"].granted == Decimal(420000)
    body = response.content.decode()
    assert "all decisions to date" in body
    # The filter form keeps the window.
    assert '<input type="hidden" name="window" value="all">' in body


def test_list_sorts_by_any_outcome_column(portfolio, manager):
    titles = lambda response: [e.title for e in response.context["page"].object_list]

    assert titles(manager.get(LIST, {"sort": "-granted"})) == ["Tampere", "Oulu", "Quiet"]
    assert titles(manager.get(LIST, {"sort": "granted"})) == ["Quiet", "Oulu", "Tampere"]
    assert titles(manager.get(LIST, {"sort": "-funded"})) == ["Oulu", "Tampere", "Quiet"]
    assert titles(manager.get(LIST, {"sort": "title"})) == ["Oulu", "Quiet", "Tampere"]
    response = manager.get(LIST, {"sort": "-granted"})
    assert 'aria-sort="descending"' in response.content.decode()
    assert titles(manager.get(LIST, {"sort": "'; drop"})) == ["Quiet", "Oulu", "Tampere"]


def test_list_filters_narrow_the_totals(portfolio, manager):
    response = manager.get(LIST, {"q": "Oulu"})
    assert list(rows(response)) == ["Oulu"]
    assert response.context["totals"].granted == Decimal(80000)


def test_outcomes_download_has_the_listed_rows(portfolio, funder):
    response = funder.get(EXPORT, {"window": "all", "sort": "-granted"})

    assert response.status_code == 200
    assert "event-outcomes-to-" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0] == (
        "Event", "Date", "Host region", "Ideas born", "Reached consortium", "Applied (ideas)",
        "€ requested", "Funded (ideas)", "€ granted", "Conversion",
    )
    assert [row[0] for row in values[1:]] == ["Oulu", "Tampere", "Quiet"]
    assert values[1][3:] == (2, 1, 2, 280000, 2, 280000, 1)
    assert values[3][-1] is None

    funding = funder.get(EXPORT)
    assert "event-outcomes-2022-01-01-2023-12-31.xlsx" in funding["Content-Disposition"]


def test_download_with_a_bad_filter_goes_back_to_the_list(manager):
    response = manager.get(EXPORT, {"year": "1000"})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST)


def test_event_page_shows_its_row_in_each_window(portfolio, funder, settings):
    settings.NETWORK_FOLLOW_ON_START = date(2024, 1, 1)
    settings.NETWORK_FOLLOW_ON_END = date(2025, 12, 31)
    oulu = portfolio["events"]["oulu"]

    response = funder.get(reverse("event-detail", args=[oulu.pk]))

    outcomes = response.context["outcomes"]
    assert [(row.funded, row.granted, row.conversion_text) for _window, row in outcomes] == [
        (2, Decimal(80000), "100.0\xa0%"),  # funding period: B's 50 000, C's 30 000
        (1, Decimal(200000), "50.0\xa0%"),  # follow-on: B's 200 000
        (2, Decimal(280000), "100.0\xa0%"),  # all to date
    ]
    body = response.content.decode()
    assert "funding period 1.1.2022–31.12.2023" in body
    assert "follow-on window 1.1.2024–31.12.2025" in body
    assert_no_inline_code(body)


@pytest.mark.parametrize("count", [3, 12])
def test_list_and_page_queries_do_not_grow_with_grants(manager, count,
                                                        django_assert_max_num_queries):
    for index in range(count):
        event = RoadshowEventFactory()
        idea = IdeaFactory(origin_event=event)
        outcomes_data.grant(idea, "1000", date(2023, 1, 1 + index))
    with django_assert_max_num_queries(9):
        manager.get(LIST)
    with django_assert_max_num_queries(9):
        manager.get(EXPORT)
    with django_assert_max_num_queries(11):
        manager.get(reverse("event-detail", args=[event.pk]))
