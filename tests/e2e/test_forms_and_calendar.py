"""In Chromium: the calendar's month list opens at this month, and long text fields count
their characters."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_calendar_month_list_opens_at_this_month(login, manager_user, live_server):
    page = login(manager_user.username)
    page.goto(f"{live_server.url}/calendar/")
    month = timezone.localdate().month
    heading = page.locator(f"#month-{month}")
    expect(heading).to_have_attribute("aria-current", "date")
    expect(page.locator('input[name="year"]')).to_have_value(str(timezone.localdate().year))
    # The list scrolled within its own box to the month; the page itself stayed at the top.
    page.wait_for_function(
        f"""() => {{
            const list = document.querySelector('.month-list');
            const heading = document.getElementById('month-{month}');
            return list.scrollHeight <= list.clientHeight
                || Math.abs(list.scrollTop - Math.max(0, heading.offsetTop - 8)) <= 1
                || list.scrollTop === list.scrollHeight - list.clientHeight;
        }}"""
    )
    in_view = page.evaluate(
        f"""() => {{
            const list = document.querySelector('.month-list').getBoundingClientRect();
            const heading = document.getElementById('month-{month}').getBoundingClientRect();
            return heading.top >= list.top && heading.bottom <= list.bottom;
        }}"""
    )
    assert in_view
    assert page.evaluate("() => window.scrollY") == 0


def test_idea_title_counts_its_characters(login, manager_user, live_server):
    page = login(manager_user.username)
    page.goto(f"{live_server.url}/ideas/new/")
    title = page.locator('input[name="title"]')
    counter = page.locator(f"#{title.get_attribute('id')}_count")
    expect(counter).to_have_text("0 / 200")
    expect(counter).to_have_attribute("aria-live", "polite")
    title.fill("Älykäs työmaa")  # 13 characters
    expect(counter).to_have_text("13 / 200")
    assert f"{title.get_attribute('id')}_count" in title.get_attribute("aria-describedby")
