"""One region on one page: its ideas by theme and stage, its share of the €, the events it
hosted, its platforms and its gaps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum

from dashboards.filters import Period
from funding.models import ApplicationStatus, FundingApplication
from funding.selectors import region_splits, share_out
from network.models import Platform
from portfolio.models import Idea, Region, RoadshowEvent, Theme
from portfolio.stages import PIPELINE, Stage

ZERO = Decimal(0)
# The ideas listed by their share of the region's € granted; the page has to fit on A4.
TOP_IDEAS = 5
EVENTS_LISTED = 8


@dataclass(frozen=True)
class ThemeStages:
    theme: Theme
    counts: list[int]  # per stage, in pipeline order
    total: int


@dataclass(frozen=True)
class IdeaShare:
    idea: Idea
    granted: Decimal  # the idea's € granted in the period
    share: Decimal  # the region's part of it


@dataclass(frozen=True)
class RegionPage:
    region: Region
    is_partner: bool
    period: Period
    stages: list[Stage]
    # Ideas involving the region, by their stage now: per theme, and all of them (an idea
    # with two themes counts in both themes, once in ``stage_totals``).
    by_theme: list[ThemeStages]
    stage_totals: list[int]
    idea_count: int
    # € shared out to the region (the one rule), and the whole portfolio's € they are part of.
    applied: Decimal
    granted: Decimal
    portfolio_applied: Decimal
    portfolio_granted: Decimal
    top_ideas: list[IdeaShare]
    events: list[RoadshowEvent]  # the most recent first, at most EVENTS_LISTED
    event_count: int
    participants: int
    platforms: list[Platform]
    gaps: list[Theme]  # active themes with no idea in the region that is not dropped


def region_page(code: str, period: Period) -> RegionPage:
    """Everything the region's page shows, in a fixed number of queries (thirteen).

    The ideas are counted as they are now; the € are those of applications submitted
    (applied) and approvals decided (granted) in ``period``, shared out among regions by
    ``funding.selectors.region_splits`` — so the region's € may come from an idea that does
    not name the region, when a consortium member from the region has a recorded share.
    Raises ``Region.DoesNotExist``.
    """
    region = Region.objects.get(code=code)
    in_region = Idea.objects.filter(regions=region)

    by_stage = dict(in_region.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = list(PIPELINE)
    per_theme: dict[int, dict[str, int]] = {}
    for theme_id, stage, n in (
        Idea.themes.through.objects.filter(idea__regions=region)
        .values_list("theme_id", "idea__stage")
        .annotate(n=Count("idea_id"))
        .order_by()
    ):
        per_theme.setdefault(theme_id, {})[stage] = n
    themes = list(Theme.objects.all())
    by_theme = [
        ThemeStages(
            theme=theme,
            counts=[per_theme[theme.pk].get(stage, 0) for stage in stages],
            total=sum(per_theme[theme.pk].values()),
        )
        for theme in sorted(themes, key=lambda t: t.name.casefold())
        if theme.pk in per_theme
    ]
    live = set(
        Idea.themes.through.objects.filter(idea__regions=region)
        .exclude(idea__stage=Stage.DROPPED)
        .values_list("theme_id", flat=True)
    )
    gaps = sorted(
        (theme for theme in themes if theme.is_active and theme.pk not in live),
        key=lambda t: t.name.casefold(),
    )

    submitted = Q(submitted_on__gte=period.start, submitted_on__lte=period.end)
    decided = Q(
        status=ApplicationStatus.APPROVED, decided_on__gte=period.start, decided_on__lte=period.end
    )
    in_period = FundingApplication.objects.filter(submitted | decided)
    portfolio = in_period.aggregate(
        applied=Sum("requested", filter=submitted), granted=Sum("granted", filter=decided)
    )
    # The ideas that may bring the region €: those naming it, and those with a consortium
    # member from it.
    candidates = Idea.objects.filter(
        Q(pk__in=in_region.values("pk"))
        | Q(consortium_members__organisation__region=region)
    ).values("pk")
    per_idea = {
        row["idea_id"]: row
        for row in in_period.filter(idea__in=candidates)
        .values("idea_id")
        .annotate(
            applied=Sum("requested", filter=submitted), granted=Sum("granted", filter=decided)
        )
        .order_by()
    }
    splits = region_splits(list(per_idea))
    applied = granted = ZERO
    shares: dict[int, tuple[Decimal, Decimal]] = {}
    for pk, row in per_idea.items():
        if row["applied"]:
            applied += share_out(row["applied"], splits[pk]).get(region.pk, ZERO)
        if row["granted"]:
            part = share_out(row["granted"], splits[pk]).get(region.pk, ZERO)
            granted += part
            if part:
                shares[pk] = (row["granted"], part)
    top = sorted(shares, key=lambda pk: (-shares[pk][1], pk))[:TOP_IDEAS]
    top_ideas = {idea.pk: idea for idea in Idea.objects.filter(pk__in=top)}

    events = RoadshowEvent.objects.filter(
        host_region=region, date__gte=period.start, date__lte=period.end
    )
    event_numbers = events.aggregate(
        n=Count("pk"), participants=Sum(F("participants_onsite") + F("participants_online"))
    )
    platforms = list(
        Platform.objects.filter(region=region)
        .select_related("host_organisation")
        .order_by("-is_active", "name", "pk")
    )
    return RegionPage(
        region=region,
        is_partner=region.code in settings.NETWORK_REGIONS,
        period=period,
        stages=stages,
        by_theme=by_theme,
        stage_totals=[by_stage.get(stage, 0) for stage in stages],
        idea_count=sum(by_stage.values()),
        applied=applied,
        granted=granted,
        portfolio_applied=portfolio["applied"] or ZERO,
        portfolio_granted=portfolio["granted"] or ZERO,
        top_ideas=[
            IdeaShare(idea=top_ideas[pk], granted=shares[pk][0], share=shares[pk][1])
            for pk in top
        ],
        events=list(events.order_by("-date", "-pk")[:EVENTS_LISTED]),
        event_count=event_numbers["n"],
        participants=event_numbers["participants"] or 0,
        platforms=platforms,
        gaps=gaps,
    )
