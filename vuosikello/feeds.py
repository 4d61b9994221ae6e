"""The iCalendar feeds: calendar items in, an .ics document out (the icalendar library).

Times are in Europe/Helsinki with the zone's VTIMEZONE, all-day items are DATE values, and
each UID comes from what the item is (``event-12@salkku``), so a client that fetches the
feed again updates its copies instead of adding new ones. A yearly entry is one VEVENT with
``RRULE:FREQ=YEARLY``: an edit changes every year at once, and the client shows the years
ahead without the feed having to list them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from vuosikello.selectors import CalendarItem


def feed_calendar(items: Iterable[CalendarItem], *, name: str, base_url: str) -> bytes:
    """``base_url`` turns the items' paths in Salkku into full addresses."""
    calendar = Calendar()
    calendar.add("prodid", "-//Salkku//vuosikello//FI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("categories", [item.category_label])
        event.add("dtstart", item.start)
        if item.end is not None:
            # DTEND of an all-day event is the day after its last day (RFC 5545).
            event.add("dtend", item.end + timedelta(days=1) if item.all_day else item.end)
        elif item.all_day:
            event.add("dtend", item.start + timedelta(days=1))
        if item.repeats_yearly:
            event.add("rrule", {"freq": "yearly"})
        if item.region:
            event.add("location", item.region)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url if "://" in item.url else base_url + item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
