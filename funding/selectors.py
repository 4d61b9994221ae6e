"""Reads for the funding pages: the application list with totals, instruments, calls; and
the one rule that shares an idea's euros out among regions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from math import lcm

from django.db.models import CharField, Count, Expression, F, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.translation import gettext

from funding.models import FundingApplication, FundingCall, FundingInstrument, Level
from portfolio.models import ConsortiumMember, Idea, MemberStatus, Organisation

PAST_CALLS = 20


def applications_for_table(applications: QuerySet[FundingApplication]) -> QuerySet:
    """Rows of the application list: newest submission first, drafts (no date) last."""
    return applications.select_related("idea", "instrument", "applicant").order_by(
        F("submitted_on").desc(nulls_last=True), "-created_at", "-pk"
    )


@dataclass(frozen=True)
class ApplicationTotals:
    count: int
    requested: Decimal
    granted: Decimal


def application_totals(applications: QuerySet[FundingApplication]) -> ApplicationTotals:
    row = applications.order_by().aggregate(
        count=Count("pk"), requested=Sum("requested"), granted=Sum("granted")
    )
    return ApplicationTotals(
        count=row["count"],
        requested=row["requested"] or Decimal("0"),
        granted=row["granted"] or Decimal("0"),
    )


@dataclass(frozen=True)
class InstrumentGroup:
    level: Level
    instruments: list[FundingInstrument]


def instruments_by_level() -> list[InstrumentGroup]:
    """Instruments grouped regional → national → EU, each annotated with its number of
    applications and the € granted to them (one query)."""
    instruments = FundingInstrument.objects.select_related("funder").annotate(
        application_count=Count("applications"), granted=Sum("applications__granted")
    )
    groups: dict[str, list[FundingInstrument]] = {level: [] for level in Level}
    # Sorted by the name in the reader's language, which SQL does not know.
    for instrument in sorted(instruments, key=lambda row: row.name.casefold()):
        groups.setdefault(instrument.level, []).append(instrument)
    return [
        InstrumentGroup(level=Level(level), instruments=rows)
        for level, rows in groups.items()
        if rows
    ]


@dataclass(frozen=True)
class CallRow:
    call: FundingCall
    days_left: int | None


def _calls() -> QuerySet[FundingCall]:
    return FundingCall.objects.select_related("instrument", "instrument__funder")


def open_calls(now: datetime | None = None) -> list[CallRow]:
    """Calls open now, the nearest deadline first, with whole calendar days left (Helsinki)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return [
        CallRow(call=call, days_left=(timezone.localdate(call.deadline) - today).days)
        for call in _calls().open_on(now).order_by("deadline", "pk")
    ]


def upcoming_calls(now: datetime | None = None) -> QuerySet[FundingCall]:
    """Calls announced but not yet open: the complement of ``open_on`` among future deadlines,
    with the same day boundary, so no call is listed twice or lost between the lists."""
    now = now or timezone.now()
    return (
        _calls()
        .filter(opens__gt=now.date(), deadline__gte=now)
        .order_by("opens", "deadline", "pk")
    )


def past_calls(now: datetime | None = None, limit: int = PAST_CALLS) -> QuerySet[FundingCall]:
    """The most recently closed calls."""
    now = now or timezone.now()
    return _calls().filter(deadline__lt=now).order_by("-deadline", "-pk")[:limit]


def idea_applications(idea: Idea) -> QuerySet[FundingApplication]:
    """The idea's funding applications, newest submission first."""
    return FundingApplication.objects.filter(idea=idea).select_related(
        "instrument", "call", "applicant"
    )


# Money by region ---------------------------------------------------------------------------
#
# The one rule that shares an idea's euros out among regions, so that region figures add
# up to the portfolio's total instead of counting a multi-region idea in full in each region:
#
# 1. By the planned budget shares of the consortium members, each member's share going to
#    its organisation's region. Withdrawn members and members with no share (or a zero share)
#    are left out: the members whose shares are recorded carry the plan.
# 2. A recorded share of a member whose organisation has no region is shared equally among
#    the idea's regions (as in 3), since that is all that is known of where it goes.
# 3. Without any recorded share, equally among the idea's involved regions.
# 4. An idea with no region (and no placed share) puts its euros in the "no region" row
#    (``NO_REGION``), so that the rows still add up to the total.
#
# Amounts are shared to the cent; the cents left over by rounding go to the largest
# remainders, so an idea's parts add up exactly to its amount.

NO_REGION = None
CENT = Decimal("0.01")

Split = dict[int | None, Fraction]  # region id (NO_REGION: none) → fraction of the idea's €


@dataclass(frozen=True)
class MemberShare:
    region_id: int | None  # the member organisation's region
    budget_share: Decimal | None


Weights = tuple[dict[int | None, int], int]  # integer weight per region, and their sum


def _weights(region_ids: Iterable[int], shares: Iterable[tuple[int | None, int]]) -> Weights:
    """The rule above in integers: ``shares`` are (member's region, planned share in whole
    cents) of the members that have one."""
    fallback = sorted(set(region_ids)) or [NO_REGION]
    placed: dict[int | None, int] = defaultdict(int)
    unplaced = 0
    for region_id, cents in shares:
        if cents <= 0:
            continue
        if region_id is None:
            unplaced += cents
        else:
            placed[region_id] += cents
    whole = sum(placed.values()) + unplaced
    if not whole:
        return dict.fromkeys(fallback, 1), len(fallback)
    # Over whole × n: a placed share keeps its part, an unplaced one is split n ways.
    n = len(fallback)
    weights = {region: cents * n for region, cents in placed.items()}
    if unplaced:
        for region in fallback:
            weights[region] = weights.get(region, 0) + unplaced
    return weights, whole * n


def region_split(region_ids: Iterable[int], members: Iterable[MemberShare] = ()) -> Split:
    """The fractions of one idea's euros per region by the rule above; they sum to 1."""
    weights, total = _weights(
        region_ids,
        (
            (member.region_id, int(member.budget_share / CENT))
            for member in members
            if member.budget_share
        ),
    )
    return {region: Fraction(weight, total) for region, weight in weights.items()}


def _region_order(key: int | None) -> tuple[bool, int]:
    return (key is None, key or 0)


def share_cents(cents: int, weights: Weights) -> dict[int | None, int]:
    """Whole cents divided by integer weights; the cents left over by rounding down go to
    the largest remainders (ties by region order), so the parts add up to ``cents``."""
    shares, total = weights
    if len(shares) == 1:
        return dict.fromkeys(shares, cents)
    exact = {key: cents * weight for key, weight in shares.items()}
    parts = {key: value // total for key, value in exact.items()}
    left = cents - sum(parts.values())
    if left:
        by_remainder = sorted(exact, key=lambda key: (-(exact[key] % total), _region_order(key)))
        for key in by_remainder[:left]:
            parts[key] += 1
    return parts


def share_out(amount: Decimal, split: Split) -> dict[int | None, Decimal]:
    """``amount`` in euros divided by ``split``, to the cent, the parts adding up to it."""
    denominator = lcm(*(fraction.denominator for fraction in split.values()))
    weights = {
        key: fraction.numerator * (denominator // fraction.denominator)
        for key, fraction in split.items()
    }
    parts = share_cents(int(amount * 100), (weights, denominator))
    return {key: Decimal(value).scaleb(-2) for key, value in parts.items()}


def _members(
    idea_ids: Collection[int] | QuerySet, moment: datetime | None
) -> dict[int, list[MemberShare]]:
    """The consortium members with a budget share, per idea; as they stood at ``moment``
    when one is given (the member's last version saved before it; a member with no saved
    version counts when it was created before it). Organisations' regions are read as they
    are now: they keep no history."""
    members: dict[int, list[MemberShare]] = defaultdict(list)
    if moment is None:
        rows = (
            ConsortiumMember.objects.filter(idea_id__in=idea_ids, budget_share__gt=0)
            .exclude(status=MemberStatus.WITHDRAWN)
            .values_list("idea_id", "organisation__region_id", "budget_share")
            .order_by()
        )
        for idea_id, region_id, share in rows:
            members[idea_id].append(MemberShare(region_id, share))
        return members
    versions: dict[int, tuple] = {}
    for row in (
        ConsortiumMember.history.filter(idea_id__in=idea_ids, history_date__lt=moment)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_type", "idea_id", "organisation_id", "status", "budget_share")
    ):
        versions[row[0]] = row
    unversioned = (
        ConsortiumMember.objects.filter(idea_id__in=idea_ids, created_at__lt=moment)
        .exclude(pk__in=ConsortiumMember.history.filter(idea_id__in=idea_ids).values("id"))
        .values_list("id", Value("~", output_field=CharField()), "idea_id", "organisation_id", "status", "budget_share")
        .order_by()
    )
    rows = [*versions.values(), *unversioned]
    regions = dict(
        Organisation.objects.filter(pk__in={row[3] for row in rows}).values_list("pk", "region_id")
    )
    for _pk, kind, idea_id, organisation_id, status, share in rows:
        if kind == "-" or status == MemberStatus.WITHDRAWN or not share or share <= 0:
            continue
        members[idea_id].append(MemberShare(regions.get(organisation_id), share))
    return members


class Splits(dict[int, Split]):
    """Per idea, its split; an idea not found (no regions, no consortium shares) has all its
    euros under ``NO_REGION``."""

    def __missing__(self, key: int) -> Split:
        return {NO_REGION: Fraction(1)}


def region_splits(
    idea_ids: Collection[int] | QuerySet,
    *,
    moment: datetime | None = None,
    idea_regions: Mapping[int, Iterable[int]] | None = None,
) -> Splits:
    """Per idea, the fractions of its euros per region (the rule above). The ideas' regions
    and their consortia are read as they are now (one query), or the consortia as they
    stood at ``moment`` with the ideas' regions as given in ``idea_regions`` (as the report
    reads them at the end of its period). ``idea_ids`` may be a query of ids."""
    if moment is None and idea_regions is None:
        return _current_splits(idea_ids)
    if idea_regions is None:
        idea_regions = _idea_regions(idea_ids)
    members = _members(idea_ids, moment)
    ids = {*idea_regions, *members}
    return Splits(
        {pk: region_split(idea_regions.get(pk, ()), members.get(pk, ())) for pk in ids}
    )


def _idea_regions(idea_ids: Collection[int] | QuerySet) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for idea_id, region_id in (
        Idea.regions.through.objects.filter(idea_id__in=idea_ids)
        .values_list("idea_id", "region_id")
        .order_by()
    ):
        found[idea_id].append(region_id)
    return found


def _current_splits(idea_ids: Collection[int] | QuerySet) -> Splits:
    weights = current_weights(idea_ids)
    return Splits(
        {
            pk: {region: Fraction(weight, total) for region, weight in shares.items()}
            for pk, (shares, total) in weights.items()
        }
    )


def current_weights(idea_ids: Collection[int] | QuerySet) -> dict[int, Weights]:
    """The rule above for many ideas in one query, as integer weights (for ``share_cents``):
    an idea not found has all its euros under ``NO_REGION``."""
    first, *others = weight_rows(idea_ids)
    return weights_from_rows(first.union(*others, all=True).order_by())


def weight_rows(idea_ids: Collection[int] | QuerySet, **leading: Expression) -> list[QuerySet]:
    """The parts of one UNION ALL that reads what ``current_weights`` needs: rows of (idea
    id, region id, share) — the members with a share, in whole cents (integers read faster
    than decimals), then the ideas' regions, whose rows carry no share (NULL). ``leading``
    columns (constant expressions) come first in every row, so a caller can read these rows
    in a union of its own with ``weights_from_rows``."""
    cents = Cast(Round(F("budget_share") * 100), IntegerField())
    names = [*leading, "weight_idea", "weight_region", "weight_share"]
    members = (
        ConsortiumMember.objects.filter(idea_id__in=idea_ids, budget_share__gt=0)
        .exclude(status=MemberStatus.WITHDRAWN)
        .annotate(
            **leading,
            weight_idea=F("idea_id"),
            weight_region=F("organisation__region_id"),
            weight_share=cents,
        )
        .values_list(*names)
        .order_by()
    )
    involved = (
        Idea.regions.through.objects.filter(idea_id__in=idea_ids)
        .annotate(
            **leading,
            weight_idea=F("idea_id"),
            weight_region=F("region_id"),
            # Typed: PostgreSQL reads an untyped NULL in a UNION as text.
            weight_share=Cast(Value(None), IntegerField()),
        )
        .values_list(*names)
        .order_by()
    )
    return [members, involved]


def weights_from_rows(rows: Iterable[tuple[int, int | None, int | None]]) -> dict[int, Weights]:
    """``current_weights`` from the rows of ``weight_rows`` (idea id, region id, share),
    without their leading columns."""
    regions: dict[int, list[int]] = defaultdict(list)
    shares: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
    for idea_id, region_id, share in rows:
        if share is None:
            regions[idea_id].append(region_id)
        else:
            shares[idea_id].append((region_id, share))
    return {
        pk: _weights(regions.get(pk, ()), shares.get(pk, ())) for pk in {*regions, *shares}
    }


NOWHERE: Weights = ({NO_REGION: 1}, 1)


def shared_by_region(
    amounts: Mapping[int, Decimal], splits: Splits
) -> dict[int | None, Decimal]:
    """The ideas' amounts (idea id → €) shared out among regions and added up: the parts add
    up to the sum of ``amounts``."""
    totals: dict[int | None, Decimal] = defaultdict(Decimal)
    for idea_id, amount in amounts.items():
        if not amount:
            continue
        for region, part in share_out(amount, splits[idea_id]).items():
            totals[region] += part
    return dict(totals)


def region_share_rule() -> str:
    """The rule above in one sentence, as pages, captions and downloads state it."""
    return gettext(
        "€ are shared out among regions: by the consortium members' planned budget shares, "
        "each to its organisation's region, where shares are recorded; otherwise equally "
        "among the idea's regions. So the regions add up to the total; an idea with no "
        "region counts under “no region”."
    )
