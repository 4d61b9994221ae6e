"""What the network's roadshow events led to: the grants counted as the network's leverage,
and per event the ideas born there, how far they got and what they were granted.

Funding is a higher layer: its applications are read through the ideas' reverse relation
(``related_model``), never imported. The leverage figure on the dashboard and the per-event
outcomes (dashboard panel, event list, event page) both count grants with
:func:`leverage_grants`, so the € granted over the events adds up to the leverage's numerator
for the same window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def in_window(applications: QuerySet, field_name: str, window: Window) -> QuerySet:
    applications = applications.filter(**{f"{field_name}__lte": window.end})
    if window.start is not None:
        applications = applications.filter(**{f"{field_name}__gte": window.start})
    return applications


def leverage_grants(applications: QuerySet, window: Window) -> QuerySet:
    """The grants counted as the network's leverage in ``window``: approved applications
    decided in the window, of ideas born at one of the network's events.

    ``applications`` is any queryset of funding applications (the dashboard's, narrowed by
    its filters, or all of them); this is the one definition every leverage figure and every
    per-event € granted is summed from. Grants to ideas dropped since are counted here; the
    pages show them apart.
    """
    approved = applications.filter(
        status=applications.model.Status.APPROVED, idea__origin_event__isnull=False
    )
    return in_window(approved, "decided_on", window)


def _per_event(rows: QuerySet, event_path: str, aggregate, output_field) -> Coalesce:
    """``aggregate`` over the ``rows`` of each event, as a correlated subquery (0 for none)."""
    per_event = (
        rows.filter(**{event_path: OuterRef("pk")})
        .order_by()
        .values(event_path)
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(
        Subquery(per_event, output_field=output_field),
        Value(ZERO if isinstance(output_field, DecimalField) else 0),
        output_field=output_field,
    )


MONEY = DecimalField(max_digits=14, decimal_places=2)


def event_outcomes(
    window: Window,
    *,
    events: QuerySet[RoadshowEvent] | None = None,
    ideas: QuerySet[Idea] | None = None,
    applications: QuerySet | None = None,
) -> QuerySet[RoadshowEvent]:
    """``events`` (all of them by default) annotated with what each led to, in one query
    however many events there are:

    - ``born``: ideas born at the event (to date);
    - ``consortium``: of them, ideas that have reached consortium forming (to date; an idea
      dropped or sent back since still counts);
    - ``applied`` and ``requested``: ideas with an application submitted in the window, and
      the € those applications requested;
    - ``funded`` and ``granted``: ideas with a grant counted as leverage in the window
      (:func:`leverage_grants`), and the € granted;
    - ``conversion``: funded ÷ born (None when nothing was born there).

    ``ideas`` and ``applications`` narrow what is counted (a dashboard's filters); by default
    every idea and application counts.
    """
    events = RoadshowEvent.objects.all() if events is None else events
    if applications is None:
        applications = applications_model().objects.all()
    if ideas is None:
        ideas = Idea.objects.all()
    else:
        applications = applications.filter(idea__in=ideas.values("pk"))
    reached = Q(stage__in=REACHED_CONSORTIUM) | Exists(
        StageTransition.objects.filter(idea=OuterRef("pk"), to_stage__in=REACHED_CONSORTIUM)
    )
    submitted = in_window(applications.filter(submitted_on__isnull=False), "submitted_on", window)
    grants = leverage_grants(applications, window)
    count = IntegerField()
    return events.annotate(
        born=_per_event(ideas, "origin_event", Count("pk"), count),
        consortium=_per_event(ideas.filter(reached), "origin_event", Count("pk"), count),
        applied=_per_event(
            submitted, "idea__origin_event", Count("idea", distinct=True), count
        ),
        requested=_per_event(submitted, "idea__origin_event", Sum("requested"), MONEY),
        funded=_per_event(grants, "idea__origin_event", Count("idea", distinct=True), count),
        granted=_per_event(grants, "idea__origin_event", Sum("granted"), MONEY),
    ).annotate(
        conversion=Cast(F("funded"), FloatField()) / NullIf(F("born"), 0),
    )


# The columns a list of event outcomes may be sorted by (a leading "-": descending).
EVENT_SORTS = (
    "date", "title", "born", "consortium", "applied", "requested", "funded", "granted",
    "conversion",
)


def sorted_events(events: QuerySet[RoadshowEvent], sort: str | None) -> QuerySet[RoadshowEvent]:
    """``events`` (annotated by :func:`event_outcomes`) in the order ``sort`` names; newest
    first when it names none. Ties fall back to the date, then the title."""
    key = (sort or "").removeprefix("-")
    if key not in EVENT_SORTS:
        return events.order_by("-date", "title", "pk")
    descending = (sort or "").startswith("-")
    first = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
    return events.order_by(first, "-date", "title", "pk")


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


def outcome_totals(events) -> OutcomeTotals:
    """The sums over annotated events (each idea is born at one event, so the counts add)."""
    events = list(events)
    return OutcomeTotals(
        born=sum(e.born for e in events),
        consortium=sum(e.consortium for e in events),
        applied=sum(e.applied for e in events),
        requested=sum((e.requested for e in events), ZERO),
        funded=sum(e.funded for e in events),
        granted=sum((e.granted for e in events), ZERO),
    )
