"""Percentages and ratios are rounded half-up to one decimal on the page, in a download and
in the report (core.formatting): 2/3 → 66,7 %, 49/150 → 32,7 %, 0,05 % → 0,1 %."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.spreadsheets import table_workbook
from dashboards.charts import PERCENT, RATIO, Column, Table
from dashboards.panels import cell_text
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

SHARES = [
    (2 / 3, "66,7\xa0%", 0.667),
    (Decimal(49) / Decimal(150), "32,7\xa0%", 0.327),
    (0.0005, "0,1\xa0%", 0.001),  # half: up, not to even
    (Decimal("0.12345"), "12,3\xa0%", 0.123),
]


@pytest.mark.parametrize(("share", "text", "_cell"), SHARES)
def test_a_table_cell_on_the_page_is_rounded_half_up(share, text, _cell):
    with translation.override("fi"):
        assert cell_text(share, PERCENT) == text


def test_a_ratio_on_the_page_is_rounded_half_up():
    with translation.override("fi"):
        assert cell_text(Decimal("0.25"), RATIO) == "0,3\xa0×"
        assert cell_text(Decimal("123.94"), RATIO) == "123,9\xa0×"
    with translation.override("en"):
        assert cell_text(Decimal("0.25"), RATIO) == "0.3\xa0×"


def test_a_download_holds_the_rounded_share_in_the_percent_format():
    table = Table(
        columns=[Column("Row"), Column("Share", PERCENT), Column("Times", RATIO)],
        rows=[[f"row {n}", share, Decimal("0.25")] for n, (share, _t, _c) in enumerate(SHARES)],
    )
    out = BytesIO()
    table_workbook("Rounding", table, out)
    sheet = load_workbook(BytesIO(out.getvalue())).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[1].value for row in rows] == [cell for _s, _t, cell in SHARES]
    assert {row[1].number_format for row in rows} == {"0.0 %"}
    assert {row[2].value for row in rows} == {0.3}
    assert {row[2].number_format for row in rows} == {'0.0" ×"'}


def test_two_of_three_on_the_dashboard_and_in_its_download(manager):
    # 3 ideas began, 2 reached a consortium: the funnel's conversion is 2/3.
    IdeaFactory()
    IdeaFactory.create_batch(2, in_consortium=True)
    manager.cookies["django_language"] = "fi"

    body = manager.get(reverse("dashboard")).content.decode()
    assert "66,7\xa0%" in body
    assert "66,6" not in body

    response = manager.get(reverse("dashboard-download", args=["funnel"]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    shares = [row[2] for row in sheet.iter_rows(min_row=7) if row[2].value is not None]
    assert shares[0].value == 0.667 and shares[0].number_format == "0.0 %"
