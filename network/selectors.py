"""Reads behind the platform pages, the theme pages and their workbook. Each page reads
in a fixed number of queries, however many ideas, platforms or needs there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import QueryDict

from funding.models import ApplicationStatus, FundingApplication
from funding.selectors import NO_REGION, region_splits, shared_by_region
from network.filters import PlatformFilter
from network.models import DevelopmentNeed, Platform
from portfolio.models import Idea, Region, Theme
from portfolio.selectors.ideas import STAGE_ORDER
from portfolio.stages import CLOSED_STAGES, PIPELINE, Stage

ZERO = Decimal("0")

# Ideas listed on a theme's page; the idea list (filtered by the theme) and the workbook
# have them all.
THEME_PAGE_IDEAS = 200


# Platforms ---------------------------------------------------------------------------------


def platform_rows(platforms: QuerySet[Platform] | None = None) -> QuerySet[Platform]:
    """Platforms for the list, by name, each with ``idea_count``: the ideas planning to
    use it; themes prefetched."""
    platforms = Platform.objects.all() if platforms is None else platforms
    return (
        platforms.select_related("host_organisation", "region")
        .prefetch_related("themes")
        .annotate(idea_count=Count("ideas", distinct=True))
        .order_by("name", "pk")
    )


def platform_filter(data: QueryDict) -> PlatformFilter:
    """The list's FilterSet; unbound without a query string, so a first visit shows no errors."""
    return PlatformFilter(data or None, queryset=Platform.objects.all())


@dataclass(frozen=True)
class PlatformPage:
    platform: Platform
    themes: list[Theme]
    ideas: list[Idea]


def platform_page(pk: int) -> PlatformPage:
    """One platform with its themes and the ideas that plan to use it, in pipeline order.

    Raises ``Platform.DoesNotExist`` when there is no such platform.
    """
    platform = Platform.objects.select_related("host_organisation", "region").get(pk=pk)
    themes = list(platform.themes.order_by("name_fi", "pk"))
    ideas = list(
        platform.ideas.select_related("owner")
        .prefetch_related("regions")
        .order_by(STAGE_ORDER, "title", "pk")
    )
    return PlatformPage(platform=platform, themes=themes, ideas=ideas)


def platforms_offered(idea: Idea | None) -> QuerySet[Platform]:
    """The platforms an idea may name: the available ones, and any it already names."""
    offered = Q(is_active=True)
    if idea is not None and idea.pk:
        offered |= Q(ideas=idea)
    return (
        Platform.objects.filter(offered)
        .distinct()
        .select_related("host_organisation")
        .order_by("name", "pk")
    )


# Themes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme
    ideas: int  # every idea with the theme, dropped ones too
    open_ideas: int
    active_regions: int  # regions with an idea in the theme that is not dropped
    platforms: int
    unresolved_needs: int


@dataclass(frozen=True)
class ThemeGroup:
    source: str  # the strategy the themes come from; "" for themes without one
    rows: list[ThemeRow]


def theme_groups() -> list[ThemeGroup]:
    """Every active theme with its numbers, grouped by source strategy (those without one
    last), by name in the reader's language within a group. Five queries."""
    themes = list(Theme.objects.filter(is_active=True).select_related("parent"))
    through = Idea.themes.through
    ideas = {
        row["theme_id"]: row
        for row in through.objects.values("theme_id").annotate(
            total=Count("idea_id"),
            open=Count("idea_id", filter=~Q(idea__stage__in=CLOSED_STAGES)),
        )
    }
    regions = dict(
        Idea.regions.through.objects.exclude(idea__stage=Stage.DROPPED)
        .values("idea__themes")
        .annotate(n=Count("region_id", distinct=True))
        .values_list("idea__themes", "n")
    )
    platforms = dict(
        Platform.themes.through.objects.values("theme_id")
        .annotate(n=Count("platform_id"))
        .values_list("theme_id", "n")
    )
    needs = dict(
        DevelopmentNeed.objects.unresolved()
        .values("theme_id")
        .annotate(n=Count("pk"))
        .values_list("theme_id", "n")
        .order_by()
    )
    groups: dict[str, list[ThemeRow]] = defaultdict(list)
    for theme in sorted(themes, key=lambda t: t.name.casefold()):
        counts = ideas.get(theme.pk, {})
        groups[theme.source].append(
            ThemeRow(
                theme=theme,
                ideas=counts.get("total", 0),
                open_ideas=counts.get("open", 0),
                active_regions=regions.get(theme.pk, 0),
                platforms=platforms.get(theme.pk, 0),
                unresolved_needs=needs.get(theme.pk, 0),
            )
        )
    return [
        ThemeGroup(source=source, rows=groups[source])
        for source in sorted(groups, key=lambda s: (s == "", s.casefold()))
    ]


def region_total() -> int:
    return Region.objects.count()


@dataclass(frozen=True)
class StageCount:
    stage: Stage
    count: int

    @property
    def closed(self) -> bool:
        return self.stage in CLOSED_STAGES


@dataclass(frozen=True)
class RegionCount:
    region: Region
    ideas: int  # ideas in the theme involving the region, dropped ones not counted


@dataclass(frozen=True)
class RegionMoney:
    region: Region | None  # None: the ideas with no region
    applied: Decimal
    granted: Decimal


@dataclass(frozen=True)
class ThemePage:
    theme: Theme
    children: list[Theme]
    stages: list[StageCount]  # every stage in pipeline order, zeros included
    idea_count: int
    ideas: list[Idea]  # in pipeline order; at most ``idea_limit`` of them
    active_regions: list[RegionCount]
    absent_regions: list[Region]  # the gap: regions with no idea in the theme
    applied: Decimal  # € requested in the submitted applications of the theme's ideas
    granted: Decimal  # € granted in their approved applications
    # The € applied and granted shared out among regions (funding.selectors.region_splits):
    # the regions with money, in code order, then the ideas with no region; they add up to
    # ``applied`` and ``granted``.
    money_by_region: list[RegionMoney]
    platforms: list[Platform]
    needs: list[DevelopmentNeed]

    @property
    def ideas_cut(self) -> bool:
        return len(self.ideas) < self.idea_count


def theme_page(slug: str, *, idea_limit: int | None = None) -> ThemePage:
    """One theme with everything its page and its workbook show, in twelve queries; the first
    ``idea_limit`` ideas (all without a limit).

    Dropped ideas count in the ideas by stage and in the money (their applications were
    made), but not in the regions: a region whose every idea in the theme was dropped has
    nothing going on there, so it is in the gap. Raises ``Theme.DoesNotExist``.
    """
    theme = Theme.objects.select_related("parent").get(slug=slug)
    children = sorted(theme.children.filter(is_active=True), key=lambda t: t.name.casefold())
    in_theme = Idea.objects.filter(themes=theme)

    by_stage = dict(in_theme.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = [StageCount(stage=stage, count=by_stage.get(stage, 0)) for stage in PIPELINE]
    ideas = (
        in_theme.select_related("owner")
        .prefetch_related("regions")
        .order_by(STAGE_ORDER, "title", "pk")
    )
    if idea_limit is not None:
        ideas = ideas[:idea_limit]

    per_region = dict(
        Idea.regions.through.objects.filter(idea__themes=theme)
        .exclude(idea__stage=Stage.DROPPED)
        .values("region_id")
        .annotate(n=Count("idea_id", distinct=True))
        .values_list("region_id", "n")
    )
    active, absent = [], []
    regions = list(Region.objects.order_by("code"))
    for region in regions:
        if per_region.get(region.pk):
            active.append(RegionCount(region=region, ideas=per_region[region.pk]))
        else:
            absent.append(region)

    per_idea = {
        row["idea_id"]: row
        for row in FundingApplication.objects.filter(idea__themes=theme)
        .values("idea_id")
        .annotate(
            applied=Sum("requested", filter=Q(submitted_on__isnull=False)),
            granted=Sum("granted", filter=Q(status=ApplicationStatus.APPROVED)),
        )
        .order_by()
    }
    splits = region_splits(list(per_idea))
    applied_by_region, granted_by_region = (
        shared_by_region({pk: row[name] or ZERO for pk, row in per_idea.items()}, splits)
        for name in ("applied", "granted")
    )
    money_by_region = [
        RegionMoney(
            region=region,
            applied=applied_by_region.get(key, ZERO),
            granted=granted_by_region.get(key, ZERO),
        )
        for region, key in [*((r, r.pk) for r in regions), (None, NO_REGION)]
        if applied_by_region.get(key) or granted_by_region.get(key)
    ]
    platforms = list(
        platform_rows(Platform.objects.with_theme(theme)).prefetch_related(None)
    )
    needs = list(
        DevelopmentNeed.objects.filter(theme=theme)
        .select_related("raised_at", "created_by")
        .order_by("-created_at", "-pk")
    )
    return ThemePage(
        theme=theme,
        children=children,
        stages=stages,
        idea_count=sum(by_stage.values()),
        ideas=list(ideas),
        active_regions=active,
        absent_regions=absent,
        applied=sum((row["applied"] or ZERO for row in per_idea.values()), ZERO),
        granted=sum((row["granted"] or ZERO for row in per_idea.values()), ZERO),
        money_by_region=money_by_region,
        platforms=platforms,
        needs=needs,
    )
