"""A project manager opens the year wheel of the demo year in Chromium: it is drawn with
entries, a hover label appears, and the page logs no errors."""

import random
from datetime import date

import pytest
from playwright.sync_api import expect

from demo.calendar import seed_calendar
from tests.factories import FundingCallFactory, RoadshowEventFactory, region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_manager_sees_the_year_wheel_with_entries_and_a_hover_label(login, manager_user, live_server):
    seed_calendar(random.Random(2022), manager_user, today=date(2026, 12, 3))  # the demo's stored entries
    RoadshowEventFactory(title="Roadshow Pori", date=date(2023, 3, 23), host_region=region("04"))
    FundingCallFactory(title="AKKE-haku kevät 2023")

    page = login(manager_user.username)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.locator('.mainnav a[href="/calendar/"]').click()
    page.wait_for_url(f"{live_server.url}/calendar/")
    page.goto(f"{live_server.url}/calendar/?year=2023")

    wheel = page.locator(".wheel.js-plotly-plot")
    expect(wheel).to_have_count(1)
    expect(wheel.locator("svg.main-svg").first).to_be_attached()
    # Every steering group meeting, theme group meeting, event… is a point on the wheel.
    points = wheel.locator(".scatterlayer path.point")
    assert points.count() >= 20
    expect(page.locator(".month-list .entry").first).to_be_visible()
    expect(page.locator(".month-list")).to_contain_text("Roadshow Pori")

    # The drag layer lies over the points and takes the mouse, as it does for a person.
    points.first.hover(force=True)
    expect(page.locator(".hoverlayer .hovertext").first).to_be_visible()
    assert errors == []
