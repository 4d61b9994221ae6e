"""The funder opens the dashboards in Chromium: every chart is drawn, hover works, no errors."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dashboards.panels import PANELS
from tests.factories import FundingApplicationFactory, IdeaFactory, RoadshowEventFactory, ThemeFactory, region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_funder_sees_every_chart_drawn_and_a_hover_label(login, funder_user, live_server):
    theme = ThemeFactory(name_fi="Robotiikka")
    event = RoadshowEventFactory(date=date(2024, 3, 1), host_region=region("06"))
    for _ in range(3):
        idea = IdeaFactory(themes=[theme], regions=[region("06")], origin_event=event, in_application=True)
        FundingApplicationFactory(idea=idea, approved=True, submitted_on=date(2024, 4, 1), decided_on=date(2024, 6, 1))
    IdeaFactory(dropped=True, themes=[theme], regions=[region("01")])

    page = login(funder_user.username)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/dashboards/")

    plots = page.locator(".js-plotly-plot")
    expect(plots).to_have_count(len(PANELS))
    for index in range(len(PANELS)):
        expect(plots.nth(index).locator("svg.main-svg").first).to_be_attached()

    # Hovering the funnel's widest bar shows its label.
    # The drag layer lies over the bars and takes the mouse, as it does for a person.
    page.locator("#funnel .js-plotly-plot g.point").first.hover(force=True)
    expect(page.locator(".hoverlayer .hovertext").first).to_be_visible()
    assert errors == []
