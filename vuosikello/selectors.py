"""The calendar's reads: entries derived from events, calls and the report setting, and the
stored entries, as one list of :class:`CalendarItem` for the year wheel and the feeds."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import project_managers
from funding.models import FundingApplication, FundingCall
from portfolio.models import Idea, Region, RoadshowEvent, StageTransition
from portfolio.stages import Stage
from portfolio.stalled import STALLED, StalledRule, rule_text
from vuosikello.models import CalendarEntry, Category, ReminderKind, SentReminder, site_zone


@dataclass(frozen=True)
class CalendarItem:
    """One day or meeting of the calendar, whatever it comes from.

    ``start`` is a date for an all-day item, a Helsinki-time datetime otherwise. ``kind``
    and ``source_id`` name where it comes from; ``uid`` stays the same across requests, so
    calendar clients update an entry instead of adding it twice.
    """

    kind: str  # "event", "call", "report" or "entry"
    source_id: int | str
    category: str
    title: str
    start: date | datetime
    end: date | datetime | None = None
    region: str = ""
    region_id: int | None = None
    url: str = ""  # a path in Salkku, or an outside link
    description: str = ""
    repeats_yearly: bool = False

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def uid(self) -> str:
        return f"{self.kind}-{self.source_id}@salkku"

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)

    @property
    def sort_key(self) -> tuple:
        at = self.start.timetz() if isinstance(self.start, datetime) else None
        return (self.day, at is not None, at.isoformat() if at else "", self.title)


def report_due(year: int, quarter: int) -> date:
    """The day the quarterly report of ``quarter`` of ``year`` is due."""
    next_quarter = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    quarter_end = next_quarter - timedelta(days=1)
    return quarter_end + timedelta(days=settings.REPORT_DUE_DAYS)


def report_items(year: int) -> list[CalendarItem]:
    """The quarterly report due dates that fall in ``year`` (Q4's may fall in the next)."""
    items = []
    for report_year in (year - 1, year):
        for quarter in range(1, 5):
            due = report_due(report_year, quarter)
            if due.year == year:
                items.append(
                    CalendarItem(
                        kind="report",
                        source_id=f"{report_year}Q{quarter}",
                        category=Category.REPORT_DUE,
                        title=_("Quarterly report %(quarter)s/%(year)s due")
                        % {"quarter": f"Q{quarter}", "year": report_year},
                        start=due,
                        url=reverse("report-list"),
                    )
                )
    return items


def event_items(events: Iterable[RoadshowEvent]) -> list[CalendarItem]:
    return [
        CalendarItem(
            kind="event",
            source_id=event.pk,
            category=Category.ROADSHOW,
            title=event.title,
            start=event.date,
            region=event.host_region.name,
            region_id=event.host_region_id,
            url=reverse("event-detail", args=[event.pk]),
            description=", ".join(part for part in (event.city, event.venue) if part),
        )
        for event in events
    ]


def call_items(calls: Iterable[FundingCall]) -> list[CalendarItem]:
    zone = site_zone()
    return [
        CalendarItem(
            kind="call",
            source_id=call.pk,
            category=Category.CALL_DEADLINE,
            title=_("Deadline: %(call)s") % {"call": call.title},
            start=call.deadline.astimezone(zone),
            url=call.link or reverse("call-list"),
            description=call.instrument.name,
        )
        for call in calls
    ]


def _on_year(day: date, year: int) -> date:
    # A yearly entry of 29 February falls on the 28th in other years.
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def entry_item(entry: CalendarEntry, year: int | None = None) -> CalendarItem:
    """A stored entry; with ``year``, a yearly entry's occurrence in that year."""
    start, end = entry.start, entry.end
    if year is not None and entry.repeats_yearly and start.year != year:
        shift = _on_year(start if entry.all_day else start.date(), year) - (
            start if entry.all_day else start.date()
        )
        if entry.all_day:
            start, end = start + shift, end + shift if end else None
        else:
            # Wall-clock time stays the same across the change to and from summer time.
            zone = site_zone()
            start = datetime.combine(start.date() + shift, start.time(), tzinfo=zone)
            end = datetime.combine(end.date() + shift, end.time(), tzinfo=zone) if end else None
    return CalendarItem(
        kind="entry",
        source_id=entry.pk,
        category=entry.category,
        title=entry.title,
        start=start,
        end=end,
        region=entry.region.name if entry.region else "",
        region_id=entry.region_id,
        url=entry.link,
        description=entry.description,
        repeats_yearly=entry.repeats_yearly,
    )


def _wanted(category: str, categories: Collection[str]) -> bool:
    return not categories or category in categories


def calendar_items(
    *,
    year: int,
    categories: Collection[str] = (),
    regions: Collection[Region] = (),
    entries: Iterable[CalendarEntry] | None = None,
) -> list[CalendarItem]:
    """Every calendar item with a day in ``year``, in date order.

    ``categories`` and ``regions`` narrow it (empty: all). Items for the whole network —
    call deadlines, report due dates, entries without a region — stay under a region
    filter: they concern every region. ``entries`` are the stored entries to use (the
    calendar filter's rows); by default every stored entry.
    """
    region_ids = {region.pk for region in regions}
    items: list[CalendarItem] = []
    if _wanted(Category.ROADSHOW, categories):
        events = RoadshowEvent.objects.filter(date__year=year).select_related("host_region")
        if region_ids:
            events = events.filter(host_region__in=region_ids)
        items += event_items(events)
    if _wanted(Category.CALL_DEADLINE, categories):
        zone = site_zone()
        calls = FundingCall.objects.filter(
            deadline__gte=datetime(year, 1, 1, tzinfo=zone),
            deadline__lt=datetime(year + 1, 1, 1, tzinfo=zone),
        ).select_related("instrument")
        items += call_items(calls)
    if _wanted(Category.REPORT_DUE, categories):
        items += report_items(year)
    if entries is None:
        entries = CalendarEntry.objects.all()
        if categories:
            entries = entries.filter(category__in=categories)
        if region_ids:
            entries = entries.filter(Q(region__isnull=True) | Q(region__in=region_ids))
    entries = entries.in_year(year).select_related("region")
    items += [entry_item(entry, year) for entry in entries]
    return sorted(items, key=lambda item: item.sort_key)


def feed_items(*, years: range, category: str | None = None) -> list[CalendarItem]:
    """The items of a feed over ``years``. A yearly entry is one item (the feed repeats it
    with RRULE), the others one item each."""
    categories = [category] if category else []
    items = []
    for year in years:
        items += calendar_items(
            year=year, categories=categories, entries=CalendarEntry.objects.none()
        )
    entries = CalendarEntry.objects.select_related("region")
    if category:
        entries = entries.filter(category=category)
    first = date(years.start, 1, 1)
    last = date(years.stop, 1, 1)
    zone = site_zone()
    entries = entries.filter(
        Q(repeats_yearly=True)
        | Q(starts_on__gte=first, starts_on__lt=last)
        | Q(
            starts_at__gte=datetime(years.start, 1, 1, tzinfo=zone),
            starts_at__lt=datetime(years.stop, 1, 1, tzinfo=zone),
        )
    )
    items += [entry_item(entry) for entry in entries]
    return sorted(items, key=lambda item: item.sort_key)


@dataclass(frozen=True)
class Reminder:
    """Something to remind one user of. (kind, key) names it: the same pair is mailed once.

    The subject is kept as its message and values, and written when read: each user's mail
    is written in that user's language (``mail_language``), from the same reminders."""

    kind: str
    key: str
    message: Promise = field(compare=False)
    values: tuple[tuple[str, object], ...] = field(default=(), compare=False)
    when: date | datetime | None = None
    url: str = ""

    @property
    def subject(self) -> str:
        return str(self.message) % dict(self.values)

    @property
    def when_text(self) -> str:
        if self.when is None:
            return ""
        if isinstance(self.when, datetime):
            return date_format(self.when.astimezone(site_zone()), "SHORT_DATETIME_FORMAT")
        return date_format(self.when, "SHORT_DATE_FORMAT")


_lazy_rule = lazy(rule_text, str)
_lazy_day = lazy(lambda day: date_format(day, "SHORT_DATE_FORMAT"), str)


def _call_reminder(call: FundingCall, idea: Idea) -> Reminder:
    return Reminder(
        kind=ReminderKind.CALL_DEADLINE,
        key=f"call-{call.pk}-idea-{idea.pk}",
        message=gettext_lazy("the call “%(call)s” closes for your idea “%(idea)s”"),
        values=(("call", call.title), ("idea", idea.title)),
        when=call.deadline.astimezone(site_zone()),
        url=reverse("idea-detail", args=[idea.pk]),
    )


def call_deadline_reminders(*, now: datetime, days: int) -> dict[int, list[Reminder]]:
    """Call deadlines in the next ``days`` days for ideas in the application stage, by owner.

    The calls are those of the ideas' draft applications: the call an application names,
    or, when it names none, every call of its instrument closing in that time. Submitted
    and decided applications need no reminder.
    """
    closing = FundingCall.objects.filter(deadline__gte=now, deadline__lt=now + timedelta(days=days))
    by_instrument: dict[int, list[FundingCall]] = {}
    for call in closing:
        by_instrument.setdefault(call.instrument_id, []).append(call)
    applications = FundingApplication.objects.filter(
        idea__stage=Stage.APPLICATION,
        idea__owner__isnull=False,
        status=FundingApplication.Status.DRAFT,
    ).select_related("idea")
    found: dict[int, dict[str, Reminder]] = {}
    for application in applications.order_by("idea_id", "pk"):
        if application.call_id:
            calls = [c for c in by_instrument.get(application.instrument_id, [])
                     if c.pk == application.call_id]
        else:
            calls = by_instrument.get(application.instrument_id, [])
        for call in calls:
            reminder = _call_reminder(call, application.idea)
            found.setdefault(application.idea.owner_id, {})[reminder.key] = reminder
    return {owner: list(reminders.values()) for owner, reminders in found.items()}


def stale_idea_reminders(*, now: datetime) -> dict[int, list[Reminder]]:
    """Each owner's stalled ideas (``portfolio.stalled``: no move or edit for
    STALE_AFTER_DAYS, or an implementation past its planned end); an idea is reminded of
    once per stay in a stage.

    The stay is named by the stage transition that began it (every idea has one, from its
    creation on), not by the idea's version, which edits change too.
    """
    stay = (
        StageTransition.objects.filter(idea=OuterRef("pk"), to_stage=OuterRef("stage"))
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    ideas = (
        Idea.objects.filter(owner__isnull=False)
        .stalled(now=now)
        .annotate(stay_id=Subquery(stay))
        .order_by("stage_entered_at", "pk")
    )
    found: dict[int, list[Reminder]] = {}
    for idea in ideas:
        # Lazy, so each is written in the language of the mail it goes in.
        values = {
            "idea": idea.title,
            "stage": Stage(idea.stage).label,
            "day": _lazy_day(timezone.localtime(idea.stage_entered_at, site_zone()).date()),
        }
        if getattr(idea, STALLED) == StalledRule.IDLE:
            message = gettext_lazy(
                "your idea “%(idea)s” has had no move or edit in the stage “%(stage)s” "
                "(there since %(day)s)"
            )
        else:
            message = gettext_lazy("your idea “%(idea)s” is stalled: %(rule)s")
            values["rule"] = _lazy_rule(getattr(idea, STALLED))
        found.setdefault(idea.owner_id, []).append(
            Reminder(
                kind=ReminderKind.STALE_IDEA,
                key=f"idea-{idea.pk}-stay-{idea.stay_id}",
                message=message,
                values=tuple(values.items()),
                url=reverse("idea-detail", args=[idea.pk]),
            )
        )
    return found


def report_due_reminders(*, today: date, days: int) -> list[Reminder]:
    """The quarterly reports due within ``days`` days from ``today``."""
    reminders = []
    for year in (today.year - 1, today.year):
        for quarter in range(1, 5):
            due = report_due(year, quarter)
            if today <= due < today + timedelta(days=days):
                reminders.append(
                    Reminder(
                        kind=ReminderKind.REPORT_DUE,
                        key=f"{year}Q{quarter}",
                        message=gettext_lazy("the quarterly report Q%(quarter)s/%(year)s is due"),
                        values=(("quarter", quarter), ("year", year)),
                        when=due,
                        url=reverse("report-list"),
                    )
                )
    return reminders


def reminder_recipients() -> QuerySet:
    """Active users with an e-mail address who have not turned reminders off."""
    return get_user_model().objects.filter(is_active=True).exclude(email="").exclude(
        reminder_settings__reminders_on=False
    )


def due_reminders(*, now: datetime) -> list[tuple[AbstractBaseUser, list[Reminder]]]:
    """Who is to be reminded of what now, before leaving out what was already sent."""
    days = settings.REMINDER_DAYS
    by_user: dict[int, list[Reminder]] = {}
    for found in (call_deadline_reminders(now=now, days=days), stale_idea_reminders(now=now)):
        for user_id, reminders in found.items():
            by_user.setdefault(user_id, []).extend(reminders)
    reports = report_due_reminders(today=timezone.localdate(now, site_zone()), days=days)
    managers = set()
    if reports:
        managers = set(
            reminder_recipients()
            .filter(pk__in=project_managers().values("pk"))
            .values_list("pk", flat=True)
        )
        for user_id in managers:
            by_user.setdefault(user_id, []).extend(reports)
    users = reminder_recipients().filter(pk__in=by_user).order_by("pk")
    sent = set(
        SentReminder.objects.filter(user__in=users)
        .held(now=now)
        .values_list("user_id", "kind", "key")
    )
    result = []
    for user in users:
        new = [r for r in by_user[user.pk] if (user.pk, r.kind, r.key) not in sent]
        if new:
            result.append((user, new))
    return result
