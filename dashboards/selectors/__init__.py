"""The dashboards' reads: each module aggregates one chart's numbers in the database and
returns plain rows. ``DashboardData`` is what every one of them is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Case, IntegerField, QuerySet, Value, When

from core.filters import filtered_rows
from dashboards.filters import DashboardFilter, Period
from funding.models import FundingApplication, FundingInstrument, Level
from portfolio.models import Idea, Region, Theme


@dataclass
class DashboardData:
    """The filtered ideas, the period and the instrument chosen on the dashboard."""

    ideas: QuerySet[Idea]
    period: Period
    instrument: FundingInstrument | None = None
    # The regions and themes chosen in the filters (none chosen: all): the panels that show
    # regions or events read them beside the filtered ideas.
    chosen_regions: list[Region] = field(default_factory=list)
    chosen_themes: list[Theme] = field(default_factory=list)

    @classmethod
    def from_filter(cls, filterset: DashboardFilter) -> DashboardData:
        chosen = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
        return cls(
            ideas=filtered_rows(filterset).order_by(),
            period=filterset.period,
            instrument=filterset.chosen_instrument,
            chosen_regions=sorted(chosen.get("region") or [], key=lambda region: region.code),
            chosen_themes=list(chosen.get("theme") or []),
        )

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
        level = Case(
            *(When(level=value, then=Value(rank)) for rank, value in enumerate(Level.values)),
            output_field=IntegerField(),
        )
        return list(FundingInstrument.objects.select_related("funder").order_by(level, "code"))

    @property
    def ideas_in_period(self) -> QuerySet[Idea]:
        """Ideas created in the period."""
        return self.ideas.filter(
            created_at__gte=self.period.starts_at, created_at__lt=self.period.ends_before
        )

    @property
    def applications(self) -> QuerySet[FundingApplication]:
        """Applications of the filtered ideas (of the chosen instrument, if one is)."""
        applications = FundingApplication.objects.filter(idea__in=self.ideas).order_by()
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
