"""The iCalendar feeds: they parse, carry Helsinki times, keep their UIDs, and the token
in the address is the only key."""

import hashlib
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.factories import (
    CalendarEntryFactory,
    ContactFactory,
    FundingCallFactory,
    RoadshowEventFactory,
    UserFactory,
)
from vuosikello.models import FeedToken
from vuosikello.services import feed_token_for, feed_token_reset

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = ZoneInfo("UTC")


@pytest.fixture
def token(funder_user):
    return feed_token_for(funder_user)


def fetch(token: str, category: str | None = None):
    if category:
        url = reverse("calendar-feed-category", args=[token, category])
    else:
        url = reverse("calendar-feed", args=[token])
    return Client().get(url)


def events_by_uid(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def year_items(settings):
    """A summer and a winter call deadline, an event, and a yearly and a timed entry of this year."""
    this_year = date.today().year
    summer = FundingCallFactory(
        title="Kesähaku", deadline=datetime(this_year, 7, 1, 16, 15, tzinfo=HELSINKI)
    )
    winter = FundingCallFactory(
        title="Talvihaku", deadline=datetime(this_year, 1, 31, 16, 15, tzinfo=HELSINKI)
    )
    event = RoadshowEventFactory(title="Roadshow", date=date(this_year, 3, 15))
    yearly = CalendarEntryFactory(
        title="Alihankinta", starts_on=date(2022, 9, 27), ends_on=date(2022, 9, 29),
        repeats_yearly=True, category="national_event",
    )
    meeting = CalendarEntryFactory(
        title="Ohjausryhmä",
        starts_on=None,
        starts_at=datetime(this_year, 5, 14, 13, 0, tzinfo=HELSINKI),
        ends_at=datetime(this_year, 5, 14, 15, 0, tzinfo=HELSINKI),
    )
    return {"summer": summer, "winter": winter, "event": event, "yearly": yearly, "meeting": meeting}


def test_feed_parses_and_carries_helsinki_times(token, year_items):
    response = fetch(token.secret)
    calendar = Calendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    events = events_by_uid(response)

    summer = events[f"call-{year_items['summer'].pk}@salkku"]
    winter = events[f"call-{year_items['winter'].pk}@salkku"]
    assert summer["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert winter["DTSTART"].params["TZID"] == "Europe/Helsinki"
    # 16.15 in Helsinki: 13.15 UTC in summer time (+3), 14.15 UTC in winter (+2).
    assert summer.decoded("DTSTART").astimezone(UTC).strftime("%H:%M") == "13:15"
    assert winter.decoded("DTSTART").astimezone(UTC).strftime("%H:%M") == "14:15"
    assert summer.decoded("DTSTART").strftime("%H:%M") == "16:15"
    assert "Kesähaku" in str(summer["SUMMARY"])

    meeting = events[f"entry-{year_items['meeting'].pk}@salkku"]
    assert meeting.decoded("DTEND") - meeting.decoded("DTSTART") == timedelta(hours=2)


def test_all_day_items_are_dates_and_yearly_ones_repeat(token, year_items):
    events = events_by_uid(fetch(token.secret))
    event = events[f"event-{year_items['event'].pk}@salkku"]
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.decoded("DTSTART") == year_items["event"].date
    # DTEND of an all-day event is the day after it.
    assert event.decoded("DTEND") == year_items["event"].date + timedelta(days=1)

    yearly = events[f"entry-{year_items['yearly'].pk}@salkku"]
    assert yearly.decoded("DTSTART") == date(2022, 9, 27)
    assert yearly.decoded("DTEND") == date(2022, 9, 30)
    assert yearly["RRULE"]["FREQ"] == ["YEARLY"]
    assert "RRULE" not in event


def test_uids_are_stable_across_requests(token, year_items):
    first = events_by_uid(fetch(token.secret))
    second = events_by_uid(fetch(token.secret))
    assert set(first) == set(second)
    assert len(first) > 5  # the items above and the report due dates
    assert all(uid.endswith("@salkku") for uid in first)


def test_category_feed_has_only_that_category(token, year_items):
    events = events_by_uid(fetch(token.secret, "call_deadline"))
    assert set(events) == {
        f"call-{year_items['summer'].pk}@salkku",
        f"call-{year_items['winter'].pk}@salkku",
    }
    assert fetch(token.secret, "no-such-category").status_code == 404


def secret_on(page: str) -> str:
    """The feed secret in the whole calendar's address on a subscription page."""
    match = re.search(r'id="feed-all"[^>]* value="https?://[^/]+/calendar/feed/([^/."]+)\.ics', page)
    assert match, "the page shows no feed address"
    return match.group(1)


def test_reset_makes_the_old_address_404(token, funder, funder_user):
    old = token.secret
    assert fetch(old).status_code == 200
    response = funder.post(reverse("calendar-feed-reset"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    new = secret_on(response.content.decode())
    assert new != old
    assert fetch(old).status_code == 404
    assert fetch(old, "call_deadline").status_code == 404
    assert fetch(new).status_code == 200


@pytest.mark.parametrize("guess", ["", "x", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_wrong_tokens_404(token, guess):
    assert Client().get(f"/calendar/feed/{guess}.ics").status_code == 404


def test_a_token_with_the_right_key_but_a_wrong_rest_is_refused(token):
    wrong = token.secret[:8] + ("A" if token.secret[8] != "A" else "B") + token.secret[9:]
    assert fetch(wrong).status_code == 404


def test_feed_stops_when_its_owner_loses_the_role(token, funder_user):
    funder_user.groups.clear()
    assert fetch(token.secret).status_code == 404
    inactive = UserFactory(manager=True, is_active=False)
    assert fetch(feed_token_for(inactive).secret).status_code == 404


def test_feed_has_no_personal_data(token, year_items):
    contact = ContactFactory(name="Pekka Puhelin", email="pekka@example.fi", phone="+358 40 123 4567")
    body = fetch(token.secret).content.decode()
    for secret in (contact.name, contact.email, contact.phone):
        assert secret not in body


def test_each_user_has_their_own_token(funder_user, manager_user):
    assert feed_token_for(funder_user).secret != feed_token_for(manager_user).secret
    assert feed_token_for(funder_user).pk == feed_token_for(funder_user).pk
    before = feed_token_for(manager_user).digest
    feed_token_reset(user=manager_user, by=manager_user)
    assert feed_token_for(manager_user).digest != before


def test_only_a_key_and_a_digest_of_the_secret_are_stored(token, funder_user):
    secret = token.secret
    row = FeedToken.objects.get(user=funder_user)
    assert row.key == secret[:8]
    assert row.digest == hashlib.sha256(secret[8:].encode()).hexdigest()
    assert row.secret == ""  # a row read back has no secret
    stored = {str(value) for value in FeedToken.objects.values().get(user=funder_user).values()}
    assert not any(secret[8:] in value for value in stored)
    # Enough of a secret to guess: 32 random bytes.
    assert len(secret) == 43


@pytest.mark.parametrize(
    ("language", "name"), [("fi", "vuosikello"), ("sv", "årskalender"), ("en", "annual calendar")]
)
def test_feed_speaks_the_language_its_address_was_given_in(funder, language, name):
    funder.cookies["django_language"] = language
    page = funder.get(reverse("calendar-feeds")).content.decode()
    address = f"{reverse('calendar-feed', args=[secret_on(page)])}?lang={language}"
    assert address in page
    calendar = Calendar.from_ical(Client().get(address).content)
    assert name in str(calendar["X-WR-CALNAME"]).lower()


def test_feed_with_an_unknown_language_falls_back_to_finnish(token):
    response = Client().get(reverse("calendar-feed", args=[token.secret]), {"lang": "xx"})
    assert "vuosikello" in str(Calendar.from_ical(response.content)["X-WR-CALNAME"]).lower()
