"""The dashboard page: every panel over the same filters, read-only roles, xlsx downloads."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.panels import PANELS
from tests.factories import (
    ConsortiumMemberFactory,
    ContactFactory,
    IdeaFactory,
    ThemeFactory,
    region,
)
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def figures(body: str) -> dict[str, dict]:
    blocks = re.findall(r'<script type="application/json" id="([a-z_]+)-figure">(.*?)</script>', body, re.S)
    return {key: json.loads(text) for key, text in blocks}


def test_funder_sees_every_panel_with_its_figure_caption_and_table(funder):
    IdeaFactory.create_batch(3, in_consortium=True)
    funder.cookies["django_language"] = "en"
    response = funder.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'nonce="' in body and "plotly.min.js" in body and "js/dashboard.js" in body
    shown = figures(body)
    assert set(shown) == {panel.key for panel in PANELS}
    for key, figure in shown.items():
        assert figure["data"], key
        assert f'id="{key}-caption"' in body
        assert f'href="{reverse("dashboard-download", args=[key])}' in body
    assert "Data table" in body
    assert_no_inline_code(body)


@pytest.mark.parametrize("query", ["stage=consortium", "stage=idea&stage=consortium&year=2023"])
def test_a_stage_filter_draws_every_panel(funder, query):
    IdeaFactory.create_batch(2, in_consortium=True)
    response = funder.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    assert set(figures(response.content.decode())) == {panel.key for panel in PANELS}


@pytest.mark.parametrize(
    ("query", "as_at"),
    [("year=2023&quarter=2", "as at 30.6.2023"), ("", "as at 13.5.2026")],
)
def test_every_caption_says_the_day_its_figures_are_as_at(funder, query, as_at):
    """Under a period, its end; without one, today (the clock's day)."""
    IdeaFactory.create_batch(2, in_consortium=True)
    funder.cookies["django_language"] = "en"
    response = funder.get(f"{DASHBOARD}?{query}")
    panels = response.context["panels"]
    assert [panel.key for panel in panels] == [panel.key for panel in PANELS]
    for panel in panels:
        assert panel.caption.count(as_at) == 1, (panel.key, panel.caption)


def test_no_personal_data_on_the_dashboard(funder):
    member = ConsortiumMemberFactory(idea=IdeaFactory(in_consortium=True))
    person = ContactFactory(organisation=member.organisation, name="Pirjo Persoona")
    member.contact = person
    member.save()
    body = funder.get(DASHBOARD).content.decode()
    assert "Pirjo Persoona" not in body and person.email not in body


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"quarter": "2"}, "year"),
        ({"start": "2024-05-01", "end": "2024-01-01"}, "end"),
        ({"year": "1999"}, "year"),
        ({"end": "9999-12-31"}, "end"),
        ({"start": "0001-01-01"}, "start"),
        # Alone, a start after today or an end before the network began has no period.
        ({"start": "2099-01-01"}, "start"),
        ({"end": "1950-01-01"}, "end"),
    ],
)
def test_bad_filters_are_named_and_nothing_is_drawn(manager, query, field):
    response = manager.get(DASHBOARD, query)
    assert response.status_code == 200
    assert field in response.context["filter"].form.errors
    assert response.context["panels"] == []


def test_the_metric_switch_keeps_the_filters(manager):
    theme = ThemeFactory()
    IdeaFactory(themes=[theme], regions=[region("06")])
    response = manager.get(DASHBOARD, {"theme": theme.pk, "metric": "granted"})
    body = response.content.decode()
    assert f"theme={theme.pk}" in body and 'metric=requested' in body
    assert response.context["panels"][0].options == {"metric": "granted"}


def test_download_has_the_panels_table(manager):
    theme = ThemeFactory(name_en="Robotics")
    IdeaFactory(themes=[theme], regions=[region("06")])
    manager.cookies["django_language"] = "en"
    response = manager.get(reverse("dashboard-download", args=["balance"]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    # The title, period, filters and time made, a blank row, then the table.
    assert rows[0][0] == "Portfolio balance" and rows[4] == (None,) * len(rows[4])
    assert rows[5][0] == "Theme" and rows[-1][0] == "Total"
    robotics = next(row for row in rows if row[0] == "Robotics")
    assert robotics[-1] == 1


def test_a_download_with_an_impossible_period_goes_back_to_the_filters(manager):
    response = manager.get(reverse("dashboard-download", args=["activity"]), {"start": "2099-01-01"})
    assert response.status_code == 302
    assert response["Location"].startswith(DASHBOARD)


def test_unknown_panel_is_404(manager):
    assert manager.get("/dashboards/nothing.xlsx").status_code == 404


def test_page_queries_do_not_grow_with_ideas(manager, settings, django_assert_max_num_queries):
    # Every open idea stalled, so the stalled list's own query is counted too.
    settings.STALE_AFTER_DAYS = 0
    IdeaFactory.create_batch(2, in_application=True)
    manager.get(DASHBOARD)
    # The page's budget: session, user and roles, three reference lists, whether the summary
    # tables are ready, the money (two: the shared-out totals, the ideas with money outside
    # the period), about one query per chart (time in stage two: the stays, the stalled;
    # outcomes per event three: the events, their ideas, their applications; flow two: the
    # ideas' facts, the events' host regions) and the plan's targets (their own and one per
    # group of indicators). Constant: it must not grow with the ideas.
    with django_assert_max_num_queries(22) as few:
        manager.get(DASHBOARD)
    IdeaFactory.create_batch(6, in_implementation=True)
    IdeaFactory.create_batch(4, dropped=True)
    with django_assert_max_num_queries(len(few)):
        manager.get(DASHBOARD)


def test_a_chosen_period_costs_the_charts_queries_three_times(
    manager, settings, django_assert_max_num_queries
):
    """With a period, each chart also reads the previous period and the same period a year
    earlier; the count still does not grow with ideas."""
    settings.STALE_AFTER_DAYS = 0
    IdeaFactory.create_batch(2, in_application=True)
    manager.get(DASHBOARD)
    with django_assert_max_num_queries(22) as alone:
        manager.get(DASHBOARD)
    quarter = {"year": "2023", "quarter": "2"}
    manager.get(DASHBOARD, quarter)
    with django_assert_max_num_queries(52) as compared:
        manager.get(DASHBOARD, quarter)
    # Session, user and roles and the three reference lists are read once, not three times.
    assert len(compared) < 3 * len(alone)
    # A year's previous year is also the year a year earlier: read once.
    with django_assert_max_num_queries(len(compared)) as year:
        manager.get(DASHBOARD, {"year": "2023"})
    assert len(year) < len(compared)
    IdeaFactory.create_batch(6, in_implementation=True)
    IdeaFactory.create_batch(4, dropped=True)
    with django_assert_max_num_queries(len(compared)):
        manager.get(DASHBOARD, quarter)


def test_one_filter_changes_every_chart_alike(manager):
    """An instrument chosen on the dashboard narrows the ideas of every panel."""
    from datetime import date

    from tests.factories import FundingApplicationFactory, instrument

    akke_idea = IdeaFactory(in_application=True, regions=[region("06")])
    FundingApplicationFactory(idea=akke_idea, instrument=instrument("akke"), submitted_on=date.today())
    other = IdeaFactory(in_application=True, regions=[region("01")])
    FundingApplicationFactory(idea=other, instrument=instrument("bf-rdi"), submitted_on=date.today())
    IdeaFactory()  # applied nowhere

    everything = {p.key: p for p in manager.get(DASHBOARD).context["panels"]}
    akke = {
        p.key: p
        for p in manager.get(DASHBOARD, {"instrument": instrument("akke").pk}).context["panels"]
    }
    first_column = lambda panel: [row[1] for row in panel.table.rows]  # noqa: E731
    # Funnel: ideas reaching the first stage — 3 in all, 1 that applied to AKKE.
    assert first_column(everything["funnel"])[0] == 3
    assert first_column(akke["funnel"])[0] == 1
    # Funding: only AKKE's row (and its level and total) remain.
    assert [row[0] for row in akke["funding"].table.rows][0] == instrument("akke").name
    assert instrument("bf-rdi").name not in [row[0] for row in akke["funding"].table.rows]
    # Balance and regions count the one AKKE idea.
    assert akke["balance"].table.rows[-1][-1] == 1
    assert everything["balance"].table.rows[-1][-1] == 3


def test_downloaded_money_columns_are_wide_enough_for_millions(manager):
    from datetime import date

    from tests.factories import FundingApplicationFactory

    FundingApplicationFactory(submitted_on=date.today())
    response = manager.get(reverse("dashboard-download", args=["funding"]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    # The first row of the table, under the four heading lines, a blank row and its header.
    money = [cell.column_letter for cell in sheet[7] if "€" in (cell.number_format or "")]
    assert money and all(sheet.column_dimensions[letter].width >= 18 for letter in money)
