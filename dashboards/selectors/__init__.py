"""The dashboards' reads: each module aggregates one chart's numbers in the database and
returns plain rows. ``DashboardData`` is what every one of them is given."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Round

from core.filters import filtered_rows
from dashboards import summaries
from dashboards.filters import DashboardFilter, Period
from dashboards.summaries import summaries_ready
from funding.models import ApplicationStatus, FundingApplication, FundingInstrument
from funding.selectors import NOWHERE, Weights, weight_rows, weights_from_rows
from portfolio.models import Idea, Region, Theme


@dataclass
class DashboardData:
    """The filtered ideas, the period and the instrument chosen on the dashboard."""

    ideas: QuerySet[Idea]
    period: Period
    instrument: FundingInstrument | None = None
    # A year, quarter or from–to period was chosen (not all to date): only then do the
    # panels compare it with the previous period and the same period a year earlier.
    period_chosen: bool = False
    # The regions and themes chosen in the filters (none chosen: all): the panels that show
    # regions or events read them beside the filtered ideas.
    chosen_regions: list[Region] = field(default_factory=list)
    chosen_themes: list[Theme] = field(default_factory=list)
    # The ideas are every idea, or those in these stages now (empty: every stage): the
    # filters the summary tables can answer (``dashboards.summaries``). None: the ideas are
    # filtered otherwise (a theme, region or instrument, or a caller's own query), and the
    # panels read the data directly.
    summary_stages: tuple[str, ...] | None = None
    # Whether the panels that have summaries read them: the filters are ones they answer
    # and the tables are ready. Decided once per page, before any panel runs.
    summarised: bool = False

    @classmethod
    def from_filter(cls, filterset: DashboardFilter) -> DashboardData:
        valid = not filterset.is_bound or filterset.is_valid()
        chosen = filterset.form.cleaned_data if filterset.is_bound and valid else {}
        # An invalid filter selects no ideas (``filtered_rows``), which no summary answers.
        answerable = valid and not (
            chosen.get("theme") or chosen.get("region") or chosen.get("instrument")
        )
        summarised = answerable and summaries_ready()
        return cls(
            ideas=filtered_rows(filterset).order_by(),
            period=filterset.period,
            instrument=filterset.chosen_instrument,
            period_chosen=filterset.period_chosen,
            chosen_regions=sorted(chosen.get("region") or [], key=lambda region: region.code),
            chosen_themes=list(chosen.get("theme") or []),
            summary_stages=tuple(chosen.get("stage") or ()) if summarised else None,
            summarised=summarised,
        )

    def for_period(self, period: Period) -> DashboardData:
        """The same filtered ideas and instrument over another period, sharing the reference
        lists already read, so a comparison costs only the panels' own queries."""
        other = replace(self, period=period)
        for name in ("themes", "regions", "instruments"):
            if name in self.__dict__:
                other.__dict__[name] = self.__dict__[name]
        return other

    # The reference lists several charts label with, fetched once per page.
    @cached_property
    def themes(self) -> list[Theme]:
        return list(Theme.objects.filter(is_active=True).order_by("name_fi"))

    @cached_property
    def regions(self) -> list[Region]:
        return list(Region.objects.order_by("code"))

    @property
    def shown_regions(self) -> list[Region]:
        """The regions chosen in the filters, else every region; in code order."""
        return self.chosen_regions or self.regions

    @cached_property
    def instruments(self) -> list[FundingInstrument]:
        """Every instrument, regional → national → EU, then by code: the order that fixes
        their colours."""
        return list(FundingInstrument.objects.select_related("funder").by_level())

    @property
    def ideas_in_period(self) -> QuerySet[Idea]:
        """Ideas created in the period."""
        return self.ideas.filter(
            created_at__gte=self.period.starts_at, created_at__lt=self.period.ends_before
        )

    @property
    def applications(self) -> QuerySet[FundingApplication]:
        """Applications of the filtered ideas (of the chosen instrument, if one is)."""
        applications = FundingApplication.objects.order_by()
        # Unfiltered ideas are every idea, and every application has one: no IN to test.
        if self.ideas.query.has_filters():
            applications = applications.filter(idea__in=self.ideas)
        if self.instrument is not None:
            applications = applications.filter(instrument=self.instrument)
        return applications

    @property
    def submitted_in_period(self) -> QuerySet[FundingApplication]:
        return self.applications.filter(
            submitted_on__gte=self.period.start, submitted_on__lte=self.period.end
        )

    @property
    def decided_in_period(self) -> QuerySet[FundingApplication]:
        return self.applications.filter(
            decided_on__gte=self.period.start, decided_on__lte=self.period.end
        )

    # The money of the filtered ideas in the period, shared by the panels that show it by
    # region, read once per page.
    @property
    def money_in_period(self) -> QuerySet[FundingApplication]:
        """Applications submitted in the period or approved in a decision made in it."""
        period = self.period
        return self.applications.filter(
            Q(submitted_on__gte=period.start, submitted_on__lte=period.end)
            | Q(
                status=ApplicationStatus.APPROVED,
                decided_on__gte=period.start,
                decided_on__lte=period.end,
            )
        )

    @cached_property
    def money_cells(self) -> summaries.MoneyCells:
        """The € requested in applications of the filtered ideas submitted in the period and
        the € granted in their approvals decided in it, in whole cents, per (theme, region):
        each idea's sums to the totals (theme and region ``summaries.ALL``) and to its
        themes, and shared out among regions by the one rule (``funding.selectors``) to
        each region (NO_REGION: the € no region is found for) and theme × region."""
        period = self.period
        if self.summarised:
            cells = summaries.shared_money(period.start, period.end, self.summary_stages)
            if cells is not None:
                return cells
        cells = defaultdict(lambda: [0, 0])
        for requested, granted, themes, weights in self._money_by_idea().values():
            summaries.add_shared(cells, themes, requested, granted, weights)
        return cells

    def _money_by_idea(self) -> dict[int, tuple[int, int, list[int], Weights]]:
        """Per idea with money in the period: € requested, € granted, its themes and its
        weights among regions."""
        period = self.period
        if self.summarised:
            return summaries.money_by_idea(period.start, period.end, self.summary_stages)
        # One UNION ALL: the money per idea and theme (kind MONEY), then the rows the region
        # weights of those ideas are worked out from (``funding.selectors.weight_rows``),
        # each led by its kind and a NULL in the money's "granted" column.
        submitted = Q(submitted_on__gte=period.start, submitted_on__lte=period.end)
        decided = Q(
            status=ApplicationStatus.APPROVED,
            decided_on__gte=period.start,
            decided_on__lte=period.end,
        )

        def cents(name: str, condition: Q) -> Cast:
            # Whole cents: integers are read and added much faster than decimals.
            return Cast(Round(Sum(name, filter=condition) * 100), IntegerField())

        number = IntegerField()
        # Grouped by idea and theme: each group holds each of the idea's applications once,
        # so the sums are the idea's whatever its number of themes.
        money = (
            self.money_in_period.annotate(
                kind=Value(_MONEY, output_field=number),
                money_idea=F("idea_id"),
                money_theme=F("idea__themes"),
            )
            .values("kind", "money_idea", "money_theme")
            .annotate(granted=cents("granted", decided), requested=cents("requested", submitted))
            .values_list("kind", "granted", "money_idea", "money_theme", "requested")
            .order_by()
        )
        weight_parts = weight_rows(
            self.money_in_period.values("idea_id"),
            kind=Value(_WEIGHTS, output_field=number),
            # Typed: PostgreSQL reads an untyped NULL in a UNION as text.
            granted=Cast(Value(None), number),
        )
        found: dict[int, list] = {}
        weight_lines: list[tuple[int, int | None, int | None]] = []
        for kind, granted, idea_id, key, amount in money.union(*weight_parts, all=True).order_by():
            if kind == _WEIGHTS:
                weight_lines.append((idea_id, key, amount))
                continue
            idea_money = found.setdefault(idea_id, [amount or 0, granted or 0, []])
            if key is not None:
                idea_money[2].append(key)
        weights = weights_from_rows(weight_lines)
        return {
            idea_id: (requested, granted, themes, weights.get(idea_id, NOWHERE))
            for idea_id, (requested, granted, themes) in found.items()
        }


# The kinds of row in the money's one query.
_MONEY, _WEIGHTS = 0, 1

