"""The Swedish UI, as a project manager in Ostrobothnia uses it: chosen with the FI | SV | EN
switch, then the board, an idea page and the dashboards speak Swedish as written in Finland,
with Swedish names for the reference data that has them."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dashboards.panels import PANELS
from tests.factories import (
    FundingApplicationFactory,
    IdeaFactory,
    RoadshowEventFactory,
    ThemeFactory,
    instrument,
    region,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def portfolio():
    theme = ThemeFactory(name_fi="Robotiikka", name_sv="Robotik", name_en="Robotics")
    event = RoadshowEventFactory(date=date(2024, 3, 1), host_region=region("15"))
    idea = IdeaFactory(
        title="Robottisolut pk-yrityksille", themes=[theme], regions=[region("15")],
        origin_event=event, in_application=True, estimated_budget=1_250_000,
    )
    FundingApplicationFactory(
        idea=idea, instrument=instrument("akke"), approved=True,
        submitted_on=date(2024, 4, 1), decided_on=date(2024, 6, 1),
    )
    return idea


def test_the_switch_turns_the_board_an_idea_and_the_dashboards_swedish(
    login, manager_user, live_server, portfolio
):
    page = login(manager_user.username)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    switch = page.locator("form.lang button")
    expect(switch).to_have_text(["FI", "SV", "EN"])
    page.get_by_role("button", name="SV").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    page.goto(f"{live_server.url}/board/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tavla")
    expect(page.get_by_role("heading", name="Ansökan om finansiering")).to_be_visible()
    card = page.locator(f"#card-{portfolio.pk}")
    expect(card).to_contain_text("Robotik")
    expect(card).to_contain_text("Österbotten")
    expect(card.get_by_text("Flytta till…")).to_be_visible()

    page.goto(f"{live_server.url}/ideas/{portfolio.pk}/")
    expect(page.get_by_role("heading", name="Om idén")).to_be_visible()
    # Amounts and dates as Finland writes them, the instrument by its Swedish name.
    expect(page.locator("main")).to_contain_text("1\u00a0250\u00a0000,00\u00a0€")
    expect(page.locator("main")).to_contain_text("Stöd för regionernas hållbara tillväxt")
    expect(page.locator("main")).to_contain_text("1.6.2024")

    page.goto(f"{live_server.url}/dashboards/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikter")
    expect(page.locator(".js-plotly-plot")).to_have_count(len(PANELS))
    expect(page.locator("main")).to_contain_text("Siffrorna enligt läget")
    page.locator("#balance .js-plotly-plot").hover()
    titles = page.eval_on_selector_all(
        ".modebar-btn", "els => els.map(e => e.getAttribute('data-title') || '')"
    )
    assert "Download plot as a PNG" not in titles and "Lataa kuva PNG-tiedostona" not in titles
    body = page.locator("body").inner_text()
    for finnish in ("Tallenna", "Suodata", "Vaihe", "Kirjaudu ulos"):
        assert finnish not in body
    assert errors == []
