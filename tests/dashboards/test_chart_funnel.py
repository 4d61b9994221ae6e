"""Pipeline funnel: ideas reaching each stage, conversion, and the drop reasons."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from dashboards.charts import funnel as chart
from dashboards.filters import dashboard_filter
from dashboards.selectors import DashboardData
from dashboards.selectors.funnel import PATH, funnel
from portfolio.services import idea_move
from tests.factories import IdeaFactory, instrument

pytestmark = pytest.mark.django_db


def data(query: str = "") -> DashboardData:
    return DashboardData.from_filter(dashboard_filter(QueryDict(query)))


@pytest.fixture
def portfolio():
    IdeaFactory.create_batch(2)  # stay ideas
    IdeaFactory(in_consortium=True)
    IdeaFactory(in_application=True)
    IdeaFactory(in_implementation=True)  # approved application (akke)
    IdeaFactory(dropped=True)  # "No partners found"
    late = IdeaFactory(in_consortium=True)
    idea_move(idea=late, to_stage="dropped", by=late.owner, note="Funding went elsewhere")


def test_reached_conversion_and_reasons(portfolio):
    rows = funnel(data())
    # 7 ideas; consortium: 4 (one of them later dropped); application: 2; implementation: 1.
    assert [rows.reached[stage] for stage in PATH] == [7, 4, 2, 1, 0]
    assert rows.conversion("consortium") == pytest.approx(4 / 7)
    assert rows.conversion("implementation") == pytest.approx(1 / 2)
    assert rows.conversion("idea") is None
    assert (rows.drops.now, rows.drops.ever) == (2, 2)
    assert sorted(rows.drops.reasons) == [
        ("Funding went elsewhere", 1), ("No partners found", 1),
    ]


def test_figure_caption_and_table(portfolio):
    rows = funnel(data())
    figure = chart.figure(rows)
    assert list(figure.data[0].x) == [7, 4, 2, 1, 0]
    assert sorted(figure.data[1].x) == [1, 1]
    text = chart.caption(rows)
    assert (
        "Of 7 ideas created in the period, 2 had reached a funding application and "
        "1 implementation (14.3\xa0%) as at 13.5.2026." in text
    )
    assert "Dropped now: 2; ever dropped: 2 (0 of them revived)." in text
    assert "Ever dropped: ideas dropped at least once" in text
    table = chart.table(rows)
    assert table.rows[1] == ["Consortium forming", 4, pytest.approx(4 / 7)]
    assert table.rows[5:] == [
        ["Dropped now", 2, None],
        ["Ever dropped (some revived)", 2, None],
        ["Revived after a drop", 0, None],
        ["Ever dropped, reason: Funding went elsewhere", 1, None],
        ["Ever dropped, reason: No partners found", 1, None],
    ]


def test_an_instrument_filter_keeps_only_ideas_that_applied_to_it(portfolio):
    rows = funnel(data(f"instrument={instrument('akke').pk}"))
    # The application-stage idea has no application yet; the implemented one applied to AKKE.
    assert [rows.reached[stage] for stage in PATH] == [1, 1, 1, 1, 0]


def test_empty_portfolio_gives_an_empty_funnel():
    rows = funnel(data())
    assert all(count == 0 for count in rows.reached.values())
    assert "Of 0 ideas" in chart.caption(rows)
    assert chart.figure(rows).to_json()


def test_queries_do_not_grow_with_ideas(portfolio, django_assert_max_num_queries):
    # The stages reached and the drops (reasons and dropped now), in one. The page's data is
    # made first: it reads whether the summary tables are ready, once per page.
    few = data()
    with django_assert_max_num_queries(1):
        funnel(few)
    IdeaFactory.create_batch(5, in_consortium=True)
    many = data()
    with django_assert_max_num_queries(1):
        funnel(many)


def test_an_idea_dropped_twice_counts_once_under_its_latest_reason():
    idea = IdeaFactory(dropped=True)  # "No partners found"
    idea = idea_move(idea=idea, to_stage="idea", by=idea.owner, note="New partner")
    idea_move(idea=idea, to_stage="dropped", by=idea.owner, note="Partner left <a href='x'>")
    rows = funnel(data())
    assert (rows.drops.now, rows.drops.ever) == (1, 1)
    assert rows.drops.reasons == [("Partner left <a href='x'>", 1)]
    # Plotly reads tags in labels: the note is shown as text, not as a link.
    assert list(chart.figure(rows).data[1].y) == ["Partner left &lt;a href='x'&gt;"]


def test_reasons_add_up_to_the_ever_dropped_with_other_reasons():
    """Twelve ideas dropped: "No partners" 3, "Budget" 2, and ten more reasons once each
    (one of them given twice the same, so nine distinct). Top 8 named: No partners 3,
    Budget 2, then six of the single reasons by name (alphabetical): 11 ideas; other
    reasons: the remaining... worked out below."""
    notes = ["No partners"] * 3 + ["Budget"] * 2 + [f"Reason {n}" for n in range(1, 10)]
    for note in notes:
        idea = IdeaFactory()
        idea_move(idea=idea, to_stage="dropped", by=idea.owner, note=note)

    rows = funnel(data())

    # 14 ever dropped; named: No partners 3, Budget 2, Reason 1–6 (6): 11; other: 3.
    assert rows.drops.ever == 14
    reason_rows = rows.drops.reason_rows()
    assert reason_rows[:2] == [("No partners", 3), ("Budget", 2)]
    assert reason_rows[-1] == ("Other reasons", 3)
    assert len(reason_rows) == 9
    assert sum(n for _reason, n in reason_rows) == rows.drops.ever
    bars = chart.figure(rows).data[1]
    assert sum(bars.x) == 14 and bars.y[0] == "Other reasons"


def test_dropped_now_and_ever_dropped_as_at_the_period_end():
    """Created and dropped in 2023; R revived in 2024, S revived in 2023 and dropped again
    in 2024. As at the end of 2023: dropped now P, Q, R (3), S revived (idea); ever dropped
    4. To date: dropped now P, Q, S (3): R revived; ever dropped 4."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    def at(*args):
        return datetime(*args, tzinfo=ZoneInfo("Europe/Helsinki"))

    ideas = {}
    for title in "PQRS":
        idea = IdeaFactory(title=title, at=at(2023, 2, 1, 10))
        ideas[title] = idea_move(
            idea=idea, to_stage="dropped", by=idea.owner, note=f"{title} off", at=at(2023, 3, 1)
        )
    idea_move(idea=ideas["R"], to_stage="idea", by=ideas["R"].owner, note="Back",
              at=at(2024, 2, 1))
    s = idea_move(idea=ideas["S"], to_stage="idea", by=ideas["S"].owner, note="Back",
                  at=at(2023, 6, 1))
    idea_move(idea=s, to_stage="dropped", by=s.owner, note="S off again", at=at(2024, 3, 1))

    in_2023 = funnel(data("year=2023")).drops
    assert (in_2023.now, in_2023.ever, in_2023.revived) == (3, 4, 1)
    # S counts under the reason it was last dropped for by then.
    assert dict(in_2023.reasons)["S off"] == 1
    to_date = funnel(data("start=2023-01-01")).drops
    assert (to_date.now, to_date.ever, to_date.revived) == (3, 4, 1)
    assert dict(to_date.reasons) == {"P off": 1, "Q off": 1, "R off": 1, "S off again": 1}
