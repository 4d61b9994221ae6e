"""A panel's download says what it holds: a file name with the period and the filters, and
a sheet that starts with the title, the period, the filters and the time it was made."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dashboards.filters import dashboard_filter
from tests.factories import IdeaFactory, ThemeFactory, instrument, region

pytestmark = pytest.mark.django_db


def download(client, key: str, query: dict | None = None):
    response = client.get(reverse("dashboard-download", args=[key]), query or {})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return response, sheet


def filename(response) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"year": "2023", "quarter": "2"}, "salkku-balance-2023Q2.xlsx"),
        ({"year": "2023"}, "salkku-balance-2023.xlsx"),
        ({"start": "2023-01-15", "end": "2023-03-31"}, "salkku-balance-2023-01-15_2023-03-31.xlsx"),
        # Without an end the period runs to today (the tests' clock: 13.5.2026).
        ({"start": "2023-01-15"}, "salkku-balance-2023-01-15_2026-05-13.xlsx"),
        ({}, "salkku-balance-all-to-2026-05-13.xlsx"),
    ],
)
def test_the_file_name_carries_the_period(manager, query, name):
    response, _sheet = download(manager, "balance", query)
    assert filename(response) == name


def test_the_file_name_carries_the_filters_as_short_ascii_slugs(manager):
    theme = ThemeFactory(slug="robotics")
    query = {
        "year": "2023",
        "quarter": "2",
        "region": [region("06").pk, region("14").pk],
        "theme": theme.pk,
        "instrument": instrument("akke").pk,
        "stage": ["idea"],
    }
    response, _sheet = download(manager, "time_in_stage", query)
    assert filename(response) == (
        "salkku-time-in-stage-2023Q2-robotics-etela-pohjanmaa+pirkanmaa-akke-idea.xlsx"
    )


def test_many_values_are_counted_and_the_name_is_capped(manager):
    codes = ["01", "02", "04", "05", "06", "07"]
    response, _sheet = download(manager, "balance", {"region": [region(c).pk for c in codes]})
    name = filename(response)
    assert name == "salkku-balance-all-to-2026-05-13-6-regions.xlsx"
    themes = [ThemeFactory(slug=f"a-theme-with-a-long-name-{n}") for n in range(3)]
    response, _sheet = download(manager, "balance", {"theme": [t.pk for t in themes]})
    name = filename(response)
    assert len(name) <= 85 and name.endswith(".xlsx") and name.isascii()
    assert name.startswith("salkku-balance-all-to-2026-05-13-a-theme-with-a-long-name-0+")


def test_the_sheet_starts_with_title_period_filters_and_time_made(manager):
    IdeaFactory(themes=[ThemeFactory(name_en="Robotics")], regions=[region("06")])
    manager.cookies["django_language"] = "en"
    query = {"year": "2023", "quarter": "2", "region": [region("06").pk, region("13").pk]}
    _response, sheet = download(manager, "balance", query)
    rows = [row[0] for row in sheet.iter_rows(max_row=6, max_col=1, values_only=True)]
    assert rows[0] == "Portfolio balance"
    assert rows[1].startswith("Period: Q2/2023 (") and rows[1].endswith(")")
    assert rows[2] == "Filters: Region: Pirkanmaa, Central Finland"
    assert rows[3].startswith("Made ") and "13" in rows[3]
    assert rows[4] is None
    assert rows[5] == "Theme"
    assert sheet["A1"].font.bold
    # The table's header row is frozen and filtered, not the heading; the title does not
    # widen the first column.
    assert sheet.freeze_panes == "A7"
    assert sheet.auto_filter.ref.startswith("A6:")
    assert sheet.column_dimensions["A"].width == 40


def test_without_filters_the_sheet_says_so_with_the_days_in_the_language(manager):
    manager.cookies["django_language"] = "en"
    _response, sheet = download(manager, "funnel")
    lines = [row[0] for row in sheet.iter_rows(max_row=4, max_col=1, values_only=True)]
    assert lines[1].startswith("Period: all to date (")
    assert lines[2] == "Filters: no filters"
    manager.cookies["django_language"] = "fi"
    _response, sheet = download(manager, "funnel")
    lines = [row[0] for row in sheet.iter_rows(max_row=4, max_col=1, values_only=True)]
    assert "1.1.2022–13.5.2026" in lines[1]
    assert "13.5.2026" in lines[3]


def test_describe_and_slug_name_every_chosen_filter():
    theme = ThemeFactory(name_en="Energy", slug="energy")
    with_filters = dashboard_filter(
        {"theme": [theme.pk], "instrument": instrument("akke").pk, "stage": ["consortium", "idea"]}
    )
    with translation.override("en"):
        assert with_filters.describe() == (
            f"Theme: Energy; Funding instrument: {instrument('akke').name}; "
            "Stage: Consortium forming, Idea"
        )
    assert with_filters.slug() == "all-to-2026-05-13-energy-akke-consortium+idea"
    assert dashboard_filter({}).slug() == "all-to-2026-05-13"
