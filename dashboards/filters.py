"""The dashboards' filters: a period, and the idea list's own theme, region, instrument and
stage filters, so an idea counts on a dashboard exactly when the idea list would show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.dates import end_of_day
from dashboards.models import ReportRun
from funding.models import FundingInstrument
from portfolio.filters import IdeaFilter
from portfolio.models import Idea

QUARTERS = [(str(q), f"Q{q}") for q in range(1, 5)]
# A period outside these years has nothing to show, and times at the far ends of the
# calendar cannot be turned into UTC.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def as_at_text(day: date) -> str:
    """The one phrase in which every figure states its date basis: "as at 30.6.2023"."""
    return _("as at %(day)s") % {"day": date_format(day, "SHORT_DATE_FORMAT")}


@dataclass(frozen=True)
class Period:
    """Whole days in the site's time zone, both ends included."""

    start: date
    end: date

    @property
    def as_at(self) -> date:
        """The day every figure of the period is computed as at: its end, or today when the
        period has not ended yet (nothing later is known)."""
        return min(self.end, timezone.localdate())

    @property
    def as_at_text(self) -> str:
        return as_at_text(self.as_at)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def ends_before(self) -> datetime:
        return end_of_day(self.end)


def dashboard_years() -> list[tuple[str, str]]:
    """From the network's start to this year, newest first."""
    first = settings.NETWORK_START_DATE.year
    return [(str(y), str(y)) for y in range(timezone.localdate().year, first - 1, -1)]


class DashboardForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("quarter") and not cleaned.get("year"):
            self.add_error("year", _("Choose the year of the quarter."))
        if (cleaned.get("year") or cleaned.get("quarter")) and (
            cleaned.get("start") or cleaned.get("end")
        ):
            self.add_error(
                None, _("Give either a year (and quarter) or a from–to period, not both.")
            )
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Choose a day between the years %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        if start and end and start > end:
            self.add_error("end", _("The end of the period cannot be before its start."))
        elif start and not end and start > timezone.localdate():
            # Without an end the period runs to today.
            self.add_error("start", _("Without an end day, the period cannot start after today."))
        elif end and not start and end < settings.NETWORK_START_DATE:
            self.add_error(
                "end",
                _("Without a start day, the period begins when the network started (%(day)s).")
                % {"day": date_format(settings.NETWORK_START_DATE, "SHORT_DATE_FORMAT")},
            )
        return cleaned


def _period_only(queryset: QuerySet, name: str, value) -> QuerySet:
    # The period decides what each chart counts (ideas created, applications submitted,
    # decisions made…); it does not remove ideas by itself.
    return queryset


class DashboardFilter(IdeaFilter):
    """The idea list's FilterSet (theme, region, instrument, stage) plus a period."""

    year = django_filters.ChoiceFilter(
        choices=dashboard_years, method=_period_only, label=_("Year"), empty_label=_("All")
    )
    quarter = django_filters.ChoiceFilter(
        choices=QUARTERS, method=_period_only, label=_("Quarter"), empty_label=_("Whole year")
    )
    start = django_filters.DateFilter(
        method=_period_only, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        method=_period_only, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    # Filters of the idea list that a dashboard has no use for.
    UNUSED = ("q", "owner", "origin_event", "ordering")

    class Meta(IdeaFilter.Meta):
        form = DashboardForm
        fields = ["year", "quarter", "start", "end", "theme", "region", "instrument", "stage"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.UNUSED:
            self.filters.pop(name, None)
        self.filters["instrument"].extra["empty_label"] = _("All")

    @property
    def period(self) -> Period:
        """The chosen period; without one, from the network's start to today."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        if data.get("year"):
            year = int(data["year"])
            if data.get("quarter"):
                quarter = int(data["quarter"])
                start = date(year, 3 * quarter - 2, 1)
                end = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - timedelta(days=1)
                return Period(start, end)
            return Period(date(year, 1, 1), date(year, 12, 31))
        return Period(
            data.get("start") or settings.NETWORK_START_DATE, data.get("end") or today
        )

    @property
    def chosen_instrument(self) -> FundingInstrument | None:
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("instrument")
        return None


def dashboard_filter(data) -> DashboardFilter:
    return DashboardFilter(data or None, queryset=Idea.objects.all())


class ReportRunFilter(django_filters.FilterSet):
    """The stored reports' list: by the year their period ends in, and by language."""

    year = django_filters.ChoiceFilter(
        field_name="period_end__year", choices=dashboard_years, label=_("Year"), empty_label=_("All")
    )
    language = django_filters.ChoiceFilter(
        choices=settings.LANGUAGES, label=_("Language"), empty_label=_("All")
    )

    class Meta:
        model = ReportRun
        fields = ["year", "language"]
