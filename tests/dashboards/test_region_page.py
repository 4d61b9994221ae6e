"""One region on one page (/regions/<code>/): numbers worked out by hand on a small
portfolio, who may see it, and its queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.filters import Period
from dashboards.selectors.region_page import region_page
from portfolio.stages import Stage
from tests.factories import (
    ConsortiumMemberFactory,
    FundingApplicationFactory,
    IdeaFactory,
    OrganisationFactory,
    PlatformFactory,
    RoadshowEventFactory,
    ThemeFactory,
    region,
)
from tests.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

D = Decimal
ALL = Period(date(2022, 1, 1), date(2026, 5, 13))
Q2 = Period(date(2023, 4, 1), date(2023, 6, 30))


@pytest.fixture(autouse=True)
def pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def application(idea, requested: str, granted: str | None = None):
    return FundingApplicationFactory(
        idea=idea,
        requested=D(requested),
        total_budget=D(requested),
        submitted_on=date(2023, 4, 1),
        **({"approved": True, "granted": D(granted), "decided_on": date(2023, 6, 1)}
           if granted else {}),
    )


@pytest.fixture
def portfolio():
    pirkanmaa, uusimaa = region("06"), region("01")
    robots = ThemeFactory(name_fi="Robotiikka", name_en="Robots")
    energy = ThemeFactory(name_fi="Energia", name_en="Energy")
    ThemeFactory(name_fi="Vanha", name_en="Old", is_active=False)
    # a: in Pirkanmaa and Uusimaa, no consortium shares: its € half to each.
    a = IdeaFactory(title="A", themes=[robots], regions=[pirkanmaa, uusimaa])
    application(a, "150000", "100000")
    # b: dropped, in Pirkanmaa only.
    b = IdeaFactory(title="B", themes=[robots, energy], regions=[pirkanmaa], dropped=True)
    application(b, "40000")
    # c: in Uusimaa, but a Pirkanmaa member plans 30 000 € of the 40 000 €: 3/4 to Pirkanmaa.
    c = IdeaFactory(title="C", themes=[energy], regions=[uusimaa])
    ConsortiumMemberFactory(idea=c, organisation=OrganisationFactory(region=pirkanmaa),
                            budget_share=D("30000"))
    ConsortiumMemberFactory(idea=c, organisation=OrganisationFactory(region=uusimaa),
                            budget_share=D("10000"))
    application(c, "150000", "80000")
    # d: no region; its money is in the portfolio's total only.
    d = IdeaFactory(title="D", themes=[energy], regions=[])
    application(d, "150000", "10000")
    RoadshowEventFactory(title="Spring", date=date(2023, 5, 10), host_region=pirkanmaa,
                         participants_onsite=30, participants_online=20)
    RoadshowEventFactory(title="Autumn", date=date(2023, 10, 1), host_region=pirkanmaa,
                         participants_onsite=40, participants_online=0)
    RoadshowEventFactory(title="Helsinki", date=date(2023, 5, 1), host_region=uusimaa)
    PlatformFactory(name="Robot cell", host_organisation=OrganisationFactory(region=pirkanmaa))
    PlatformFactory(name="Elsewhere", host_organisation=OrganisationFactory(region=uusimaa))
    return {"robots": robots, "energy": energy, "a": a, "b": b, "c": c}


def test_the_regions_numbers_by_hand(portfolio):
    page = region_page("06", ALL)

    assert page.region.code == "06" and page.is_partner
    assert page.idea_count == 2  # a and b; c names only Uusimaa
    robots, energy = portfolio["robots"], portfolio["energy"]
    rows = {row.theme: dict(zip(page.stages, row.counts, strict=True)) for row in page.by_theme}
    assert set(rows) == {robots, energy}
    assert rows[robots][Stage.IDEA] == 1 and rows[robots][Stage.DROPPED] == 1
    assert rows[energy][Stage.DROPPED] == 1 and sum(rows[energy].values()) == 1
    assert dict(zip(page.stages, page.stage_totals, strict=True))[Stage.DROPPED] == 1
    # Granted: half of a's 100 000 € and 3/4 of c's 80 000 €.
    assert page.granted == D("110000")
    assert page.portfolio_granted == D("190000")
    # Applied: half of a's 150 000, b's 40 000, 3/4 of c's 150 000.
    assert page.applied == D("227500")
    assert page.portfolio_applied == D("490000")
    assert [(row.idea.title, row.granted, row.share) for row in page.top_ideas] == [
        ("C", D("80000"), D("60000")), ("A", D("100000"), D("50000")),
    ]
    assert [event.title for event in page.events] == ["Autumn", "Spring"]
    assert (page.event_count, page.participants) == (2, 90)
    assert [platform.name for platform in page.platforms] == ["Robot cell"]
    # Energy has only a dropped idea here; the inactive theme is no gap.
    assert page.gaps == [energy]


def test_the_same_share_as_the_regions_panel(portfolio):
    from django.http import QueryDict

    from dashboards.filters import dashboard_filter
    from dashboards.selectors import DashboardData
    from dashboards.selectors.regions import regions

    rows = regions(DashboardData.from_filter(dashboard_filter(QueryDict("year=2023&quarter=2"))))
    pirkanmaa = next(row for row in rows.rows if row.code == "06")
    assert pirkanmaa.granted == region_page("06", Q2).granted == D("110000")


def test_a_period_chooses_the_money_and_events(portfolio):
    page = region_page("06", Q2)
    assert [event.title for event in page.events] == ["Spring"]
    assert page.granted == D("110000")
    assert region_page("06", Period(date(2024, 1, 1), date(2024, 12, 31))).granted == 0


def test_page_shows_it_labelled_and_printable(funder, portfolio):
    response = funder.get(reverse("region-detail", args=["06"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pirkanmaa" in html and "Partner region of the network" in html
    assert "Money and events: all to date (1.1.2022–13.5.2026)." in html
    text = html.replace("\xa0", " ")
    assert "110,000&nbsp;€" in html and "57.9 % of 190,000 € granted in all" in text
    assert "46.4 % of 490,000 € applied in all" in text
    assert "shared out among regions" in html
    assert "@media print" in open("static/css/region.css").read()
    assert_no_inline_code(html)

    html = funder.get(reverse("region-detail", args=["06"]) + "?year=2023&quarter=2").content.decode()
    assert "Money and events: 1.4.2023–30.6.2023." in html


def test_who_may_see_it(anonymous, funder, manager, admin, portfolio):
    url = reverse("region-detail", args=["06"])
    assert anonymous.get(url).status_code == 302
    for client in (funder, manager, admin):
        assert client.get(url).status_code == 200
    assert funder.get(reverse("region-detail", args=["99"])).status_code == 404
    assert funder.post(url).status_code == 405


@pytest.mark.parametrize("more", [0, 10])
def test_queries_do_not_grow(funder, portfolio, more, django_assert_max_num_queries):
    for n in range(more):
        idea = IdeaFactory(themes=[ThemeFactory()], regions=[region("06"), region("13")])
        application(idea, "1000", "500")
        ConsortiumMemberFactory(idea=idea, budget_share=D("10"))
        RoadshowEventFactory(host_region=region("06"))
        PlatformFactory(host_organisation=OrganisationFactory(region=region("06")))
    url = reverse("region-detail", args=["06"])
    with django_assert_max_num_queries(18):
        assert funder.get(url).status_code == 200


def test_linked_from_the_dashboard_and_the_theme_page(funder, portfolio):
    html = funder.get(reverse("dashboard") + "?year=2023").content.decode()
    assert reverse("region-detail", args=["06"]) + "?year=2023" in html
    theme = portfolio["robots"]
    html = funder.get(reverse("theme-detail", args=[theme.slug])).content.decode()
    assert reverse("region-detail", args=["06"]) in html
