"""What the network's roadshow events led to: the grants counted as the network's leverage,
and per event the ideas born there, how far they got and what they were granted.

Funding is a higher layer: its applications are read through the ideas' reverse relation
(``related_model``), never imported. The leverage figure on the dashboard and the per-event
outcomes (dashboard panel, event list, event page) both count grants with
:func:`leverage_grants`, so the € granted over the events adds up to the leverage's numerator
for the same window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import end_of_day
from core.models import related_model
from portfolio.models import Idea, RoadshowEvent, StageTransition
from portfolio.stages import Stage

ZERO = Decimal(0)

# The windows a leverage figure can be read over. "period" is the dashboard's chosen period;
# the others come from the network's settings.
FUNDING = "funding"
FOLLOW_ON = "follow_on"
PERIOD = "period"
ALL = "all"

# An idea has reached consortium forming when it has been in any of these stages.
REACHED_CONSORTIUM = (Stage.CONSORTIUM, Stage.APPLICATION, Stage.IMPLEMENTATION, Stage.COMPLETED)


@dataclass(frozen=True)
class Window:
    """Decision days from ``start`` (None: the first decision ever) to ``end``, both ends
    included."""

    key: str
    start: date | None
    end: date

    def __contains__(self, day: date | None) -> bool:
        return day is not None and (self.start is None or self.start <= day) and day <= self.end


# The switch's words for each window.
WINDOW_LABELS = {
    FUNDING: gettext_lazy("Funding period"),
    FOLLOW_ON: gettext_lazy("Follow-on window"),
    PERIOD: gettext_lazy("Chosen period"),
    ALL: gettext_lazy("All to date"),
}


def window_text(window: Window) -> str:
    """The window in words with its dates, as captions and headings state it."""
    end = date_format(window.end, "SHORT_DATE_FORMAT")
    if window.start is None:
        return _("all decisions to date (until %(end)s)") % {"end": end}
    values = {"start": date_format(window.start, "SHORT_DATE_FORMAT"), "end": end}
    if window.key == FUNDING:
        return _("the network's funding period %(start)s–%(end)s") % values
    if window.key == FOLLOW_ON:
        return _("the follow-on window %(start)s–%(end)s") % values
    return _("the chosen period %(start)s–%(end)s") % values


def applications_model():
    """The funding applications model, reached through the ideas' reverse relation."""
    return related_model(Idea, "funding_applications")


def has_follow_on() -> bool:
    return bool(settings.NETWORK_FOLLOW_ON_START and settings.NETWORK_FOLLOW_ON_END)


def network_window_keys() -> list[str]:
    """The windows the network's settings give, the funding period first."""
    return [FUNDING, *([FOLLOW_ON] if has_follow_on() else []), ALL]


def network_window(key: str) -> Window:
    """The funding period, the follow-on window (when configured) or all decisions to date.
    An unknown key, or the follow-on window when none is configured, is the funding period."""
    if key == FOLLOW_ON and has_follow_on():
        return Window(FOLLOW_ON, settings.NETWORK_FOLLOW_ON_START, settings.NETWORK_FOLLOW_ON_END)
    if key == ALL:
        return Window(ALL, None, timezone.localdate())
    return Window(FUNDING, settings.NETWORK_START_DATE, settings.NETWORK_END_DATE)


def window_q(field_name: str, window: Window) -> Q:
    """``field_name`` (a date) within ``window``."""
    within = Q(**{f"{field_name}__lte": window.end})
    if window.start is not None:
        within &= Q(**{f"{field_name}__gte": window.start})
    return within


def leverage_grant_q(window: Window) -> Q:
    """The condition a funding application meets when it is counted as the network's
    leverage in ``window``: approved, decided in the window, for an idea born at one of
    the network's events."""
    approved = related_model(Idea, "funding_applications").Status.APPROVED
    return Q(status=approved, idea__origin_event__isnull=False) & window_q("decided_on", window)


def leverage_grants(applications: QuerySet, window: Window) -> QuerySet:
    """The grants counted as the network's leverage in ``window`` (:func:`leverage_grant_q`).

    ``applications`` is any queryset of funding applications (the dashboard's, narrowed by
    its filters, or all of them); this is the one definition every leverage figure and every
    per-event € granted is summed from. Grants to ideas dropped since are counted here; the
    pages show them apart.
    """
    return applications.filter(leverage_grant_q(window))


def submitted_q(window: Window) -> Q:
    """An application submitted in ``window``."""
    return Q(submitted_on__isnull=False) & window_q("submitted_on", window)


@dataclass
class EventOutcome:
    """What one roadshow event led to in a window (see :func:`event_outcomes`)."""

    event: RoadshowEvent
    born: int = 0
    consortium: int = 0
    applied: int = 0
    requested: Decimal = ZERO
    funded: int = 0
    granted: Decimal = ZERO

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def date(self) -> date:
        return self.event.date

    @property
    def conversion(self) -> float | None:
        """Funded ÷ born; None when no idea was born at the event."""
        return self.funded / self.born if self.born else None


def outcomes_definition() -> str:
    """What the outcomes per event count, as the event pages and the dashboard write it."""
    return _(
        "Per roadshow event: ideas born there and those that have reached consortium forming "
        "(to date); ideas with an application submitted in the window and the € requested; "
        "ideas with a grant decided in the window and the € granted (the grants the leverage "
        "counts); conversion = funded ÷ born."
    )


def event_outcomes(
    window: Window,
    *,
    events: Iterable[RoadshowEvent] | None = None,
    ideas: QuerySet[Idea] | None = None,
    applications: QuerySet | None = None,
    as_at: date | None = None,
    born: Mapping[int, tuple[int, int]] | None = None,
) -> list[EventOutcome]:
    """What each of ``events`` (all of them by default; a queryset or the events themselves)
    led to, in three queries however many events and ideas there are: the events, their
    ideas' counts grouped by event, and their applications' counts and sums grouped by
    event.

    - ``born``: ideas born at the event (to date);
    - ``consortium``: of them, ideas that have reached consortium forming (to date; an idea
      dropped or sent back since still counts);
    - ``applied`` and ``requested``: ideas with an application submitted in the window, and
      the € those applications requested;
    - ``funded`` and ``granted``: ideas with a grant counted as leverage in the window
      (:func:`leverage_grants`), and the € granted;
    - ``conversion``: funded ÷ born.

    ``ideas`` and ``applications`` narrow what is counted (a dashboard's filters); by default
    every idea and application counts. The rows keep the events' order.

    With ``as_at`` (a dashboard period's end) born and consortium are as at the end of that
    day: the ideas created by then, and of them those whose stage history had reached
    consortium forming by then.

    The ideas and the applications are grouped apart: one query joining events to both
    counted each idea distinct over its applications, several times slower at scale.
    ``born`` gives the ideas' counts already read (event pk → born, consortium), for a
    caller that keeps them ahead; the ideas are then not read here.
    """
    if ideas is not None and not ideas.query.has_filters():
        # Every idea: the same as none given, without an IN over them all (ten times slower
        # on SQLite).
        ideas = None
    if applications is None:
        applications = applications_model().objects.all()
    if ideas is not None:
        applications = applications.filter(idea__in=ideas.values("pk"))
    events = RoadshowEvent.objects.all() if events is None else events
    rows = [EventOutcome(event) for event in events]
    if not rows:
        return rows
    by_pk = {row.event.pk: row for row in rows}
    chosen = events.values("pk") if isinstance(events, QuerySet) else list(by_pk)
    if born is None:
        born = _born(chosen, ideas, as_at)
    for event_pk, (born_here, consortium) in born.items():
        if event_pk in by_pk:
            by_pk[event_pk].born, by_pk[event_pk].consortium = born_here, consortium
    submitted, granted = submitted_q(window), leverage_grant_q(window)
    for found in (
        applications.filter(idea__origin_event__in=chosen)
        .order_by()
        .values("idea__origin_event")
        .annotate(
            n_applied=Count("idea", distinct=True, filter=submitted),
            requested_sum=Sum("requested", filter=submitted),
            n_funded=Count("idea", distinct=True, filter=granted),
            granted_sum=Sum("granted", filter=granted),
        )
    ):
        row = by_pk[found["idea__origin_event"]]
        row.applied, row.funded = found["n_applied"], found["n_funded"]
        row.requested = found["requested_sum"] or ZERO
        row.granted = found["granted_sum"] or ZERO
    return rows


def _born(
    chosen: QuerySet | list[int], ideas: QuerySet[Idea] | None, as_at: date | None
) -> dict[int, tuple[int, int]]:
    """Per event of ``chosen``: the ideas born there and those of them that reached
    consortium forming (to date, or as at the end of ``as_at``), in one grouped query."""
    # The ideas by their pks: a filter that joins (themes, regions) would count one twice.
    born = Idea.objects.all() if ideas is None else Idea.objects.filter(pk__in=ideas.values("pk"))
    born = born.filter(origin_event__in=chosen)
    if as_at is None:
        reached = Q(stage__in=REACHED_CONSORTIUM) | Q(
            pk__in=StageTransition.objects.filter(to_stage__in=REACHED_CONSORTIUM).values("idea")
        )
    else:
        moment = end_of_day(as_at)
        born = born.filter(created_at__lt=moment)
        reached = Q(
            pk__in=StageTransition.objects.filter(
                to_stage__in=REACHED_CONSORTIUM, at__lt=moment
            ).values("idea")
        )
    return {
        event: (n_born, n_consortium)
        for event, n_born, n_consortium in born.order_by()
        .values("origin_event")
        .annotate(n_born=Count("pk"), n_consortium=Count("pk", filter=reached))
        .values_list("origin_event", "n_born", "n_consortium")
    }


# The columns a list of event outcomes may be sorted by (a leading "-": descending).
EVENT_SORTS = (
    "date", "title", "born", "consortium", "applied", "requested", "funded", "granted",
    "conversion",
)


def sorted_outcomes(rows: list[EventOutcome], sort: str | None) -> list[EventOutcome]:
    """``rows`` in the order ``sort`` names; newest first when it names none. Ties fall back
    to the newest event first, then the title; an event without a conversion (no idea born
    there) sorts last either way."""
    newest_first = sorted(rows, key=lambda r: (r.title.casefold(), r.event.pk))
    newest_first.sort(key=lambda r: r.date, reverse=True)
    key = (sort or "").removeprefix("-")
    if key not in EVENT_SORTS:
        return newest_first
    descending = (sort or "").startswith("-")

    def value(row: EventOutcome):
        found = getattr(row, key)
        return found.casefold() if isinstance(found, str) else found

    present = [row for row in newest_first if value(row) is not None]
    missing = [row for row in newest_first if value(row) is None]
    # Python's sort is stable, reversed too: equal values keep the newest-first order.
    present.sort(key=value, reverse=descending)
    return present + missing


@dataclass(frozen=True)
class OutcomeTotals:
    born: int
    consortium: int
    applied: int
    requested: Decimal
    funded: int
    granted: Decimal

    @property
    def conversion(self) -> float | None:
        return self.funded / self.born if self.born else None


def outcome_totals(events: Iterable) -> OutcomeTotals:
    """The sums over events' outcomes (each idea is born at one event, so the counts add)."""
    events = list(events)
    return OutcomeTotals(
        born=sum(e.born for e in events),
        consortium=sum(e.consortium for e in events),
        applied=sum(e.applied for e in events),
        requested=sum((e.requested for e in events), ZERO),
        funded=sum(e.funded for e in events),
        granted=sum((e.granted for e in events), ZERO),
    )
