"""List pages show every column on a 1366 px screen: no table scrolls sideways."""

from datetime import date

import pytest

from tests.factories import IdeaFactory, RoadshowEventFactory, region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OVERFLOWING = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1).length
    + (document.documentElement.scrollWidth > window.innerWidth + 1 ? 1 : 0)"""


@pytest.mark.parametrize(
    ("width", "language"), [(1366, "fi"), (1366, "sv"), (1366, "en"), (1920, "fi")]
)
def test_the_event_list_shows_all_its_columns_without_scrolling(
    login, manager_user, live_server, width, language
):
    event = RoadshowEventFactory(
        title="Roadshow Seinäjoki II: elintarviketeollisuuden automaatio",
        date=date(2023, 4, 27), host_region=region("14"), participants_onsite=120,
    )
    IdeaFactory(origin_event=event, estimated_budget=1_250_000)
    page = login(manager_user.username)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/events/", "/events/?window=all", "/ideas/", "/funding/applications/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(OVERFLOWING) == 0, path
