"""The funder opens the dashboards in Chromium: every chart is drawn, hover works, no errors."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from dashboards.panels import PANELS
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    ThemeFactory,
    region,
)

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


def test_charts_link_nowhere_outside_the_site_and_their_toolbar_speaks_finnish(
    login, funder_user, live_server
):
    theme = ThemeFactory(name_fi="Robotiikka")
    event = RoadshowEventFactory(date=date(2024, 3, 1), host_region=region("06"))
    idea = IdeaFactory(
        themes=[theme], regions=[region("06")], origin_event=event, in_application=True
    )
    FundingApplicationFactory(
        idea=idea, approved=True, submitted_on=date(2024, 4, 1), decided_on=date(2024, 6, 1)
    )

    page = login(funder_user.username)
    page.goto(f"{live_server.url}/dashboards/")
    expect(page.locator(".js-plotly-plot")).to_have_count(len(PANELS))
    # The toolbar appears on hover, as a person would bring it up.
    page.locator("#balance .js-plotly-plot").hover()
    expect(page.locator("#balance .modebar-btn").first).to_be_attached()

    links = page.eval_on_selector_all(
        ".chart [href], .chart a",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('xlink:href') || '')",
    )
    site = urlsplit(live_server.url).netloc
    outside = [link for link in links if urlsplit(link).netloc not in ("", site)]
    assert outside == []

    titles = page.eval_on_selector_all(
        ".modebar-btn", "els => els.map(e => e.getAttribute('data-title') || '')"
    )
    assert titles
    for refused in ("Share", "Chart Studio", "Plotly", "cloud", "Cloud"):
        assert not [title for title in titles if refused in title]
        expect(page.get_by_text(refused, exact=False)).to_have_count(0)
    # Download as PNG, zoom and reset are kept, in Finnish.
    assert "Lataa kuva PNG-tiedostona" in titles
    assert "Palauta akselit" in titles
    assert "Lähennä" in titles
    english = {
        "Download plot as a PNG", "Zoom", "Pan", "Zoom in", "Zoom out", "Reset axes", "Autoscale"
    }
    assert english.isdisjoint(titles)
    # Numbers in the Finnish way: a space between thousands, no comma.
    ticks = page.locator("#funding .xtick text").all_text_contents()
    euros = [tick for tick in ticks if len(tick.replace("\u00a0", "")) > 3]
    assert euros and all("\u00a0" in tick and "," not in tick for tick in euros)
