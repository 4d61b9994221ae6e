"""Dropped ideas, defined once for the home page, the dashboard's funnel and the report.

- **Dropped now**: ideas whose stage is "dropped" (now, or as at a day's end from the stage
  history).
- **Ever dropped**: ideas dropped at least once by then, including those revived since;
  the difference is the revived.
- **Reasons**: each ever-dropped idea counts once, under the reason given when it was last
  dropped, so the reasons add up to the ever dropped; beyond the most common ones they are
  shown as "other reasons", and a drop recorded without a note as "no reason given".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import end_of_day
from portfolio.models import Idea, StageTransition
from portfolio.stages import Stage

# The reasons listed by name; the rest are added up as "other reasons".
TOP_REASONS = 8

DROPPED_NOW = _("Dropped now")
EVER_DROPPED = _("Ever dropped (some revived)")
REVIVED = _("Revived after a drop")
OTHER_REASONS = _("Other reasons")
NO_REASON = _("No reason given")
DEFINITION = _(
    "Dropped now: ideas whose stage is “dropped”. Ever dropped: ideas dropped at least once, "
    "including those revived since. Each ever-dropped idea counts once, under the reason "
    "given when it was last dropped, so the reasons add up to the ever dropped."
)


@dataclass(frozen=True)
class Drops:
    now: int = 0
    ever: int = 0
    # Every reason given at each ever-dropped idea's latest drop, most common first.
    reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def revived(self) -> int:
        """Ideas dropped once and since revived (in any stage but dropped at the time)."""
        return self.ever - self.now

    def reason_rows(self, top: int = TOP_REASONS) -> list[tuple[str, int]]:
        """The ``top`` most common reasons, then "other reasons" and "no reason given" when
        there are any: the counts add up to :attr:`ever`."""
        given = [(reason, n) for reason, n in self.reasons if reason.strip()]
        rows = given[:top]
        other = sum(n for _reason, n in given[top:])
        missing = sum(n for reason, n in self.reasons if not reason.strip())
        if other:
            rows.append((str(OTHER_REASONS), other))
        if missing:
            rows.append((str(NO_REASON), missing))
        return rows


def drop_groups(ideas: QuerySet[Idea], *, day: date | None = None) -> QuerySet:
    """The drops among ``ideas``, now or as at the end of ``day``, grouped by reason: one
    row per note (``note``, ``ideas``, ``now``) from the stage history, of each ever-dropped
    idea's latest drop; the idea is dropped now when no move of any kind followed that drop
    (by then). :func:`drops_from_rows` turns the rows into :class:`Drops`; a caller may
    combine the query with others to read it in the same round trip."""
    # A day not yet over is today: nothing later is recorded.
    moment = end_of_day(day) if day is not None and day < timezone.localdate() else None
    moves = StageTransition.objects.filter(idea__in=ideas.values("pk"), to_stage=Stage.DROPPED)
    after = Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk"))
    later_move = StageTransition.objects.filter(after, idea=OuterRef("idea"))
    if moment is not None:
        moves = moves.filter(at__lt=moment)
        later_move = later_move.filter(at__lt=moment)
        still = ~Exists(later_move)
    else:
        # Today the idea's own stage says it (the stage service writes it with each move).
        still = Q(idea__stage=Stage.DROPPED)
    later_drop = later_move.filter(to_stage=Stage.DROPPED)
    return (
        moves.filter(~Exists(later_drop))
        .order_by()
        .values("note")
        .annotate(ideas=Count("idea"), now=Count("idea", filter=still))
    )


def drops_from_rows(rows: Iterable[Mapping[str, Any]]) -> Drops:
    """:class:`Drops` from the rows of :func:`drop_groups` (``note``, ``ideas``, ``now``)."""
    rows = list(rows)
    reasons = sorted(
        ((row["note"], row["ideas"]) for row in rows), key=lambda pair: (-pair[1], pair[0])
    )
    return Drops(
        now=sum(row["now"] for row in rows),
        ever=sum(n for _reason, n in reasons),
        reasons=reasons,
    )


def drops(ideas: QuerySet[Idea], *, day: date | None = None) -> Drops:
    """The drops among ``ideas``, now or as at the end of ``day``, in one query."""
    return drops_from_rows(drop_groups(ideas, day=day))
