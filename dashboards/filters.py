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
from core.filters import describe_filters, filters_slug
from core.spreadsheets import sheet_heading
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

    # What a comparison calls the period: a calendar quarter or year is one, whichever way
    # it was chosen; any other from–to period is a range of days.
    @property
    def kind(self) -> str:
        start, end = self.start, self.end
        if start.day == 1 and start.month % 3 == 1 and end == _quarter_end(start):
            return QUARTER
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            return YEAR
        return RANGE

    def label(self) -> str:
        """"Q1/2023", "2022" or "1.1.–31.3.2023" (days across years: "1.12.2022–31.1.2023")."""
        kind = self.kind
        if kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if kind == YEAR:
            return str(self.start.year)
        start = f"{self.start.day}.{self.start.month}."
        if self.start.year != self.end.year:
            start += str(self.start.year)
        return f"{start}–{self.end.day}.{self.end.month}.{self.end.year}"

    def previous(self) -> Period:
        """The period just before: the previous quarter or year, or as many days just before."""
        kind = self.kind
        if kind == QUARTER:
            end = self.start - timedelta(days=1)
            return Period(date(end.year, end.month - 2, 1), end)
        if kind == YEAR:
            return Period(date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31))
        end = self.start - timedelta(days=1)
        return Period(end - (self.end - self.start), end)

    def year_earlier(self) -> Period:
        """The same days a year before (29 February is 28 February then)."""
        return Period(_year_before(self.start), _year_before(self.end))


QUARTER, YEAR, RANGE = "quarter", "year", "range"


def _quarter_end(start: date) -> date:
    """The last day of the quarter that begins on ``start``."""
    first_of_next = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def _year_before(day: date) -> date:
    if (day.month, day.day) == (2, 29):
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


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
    def period_chosen(self) -> bool:
        """Whether a year, a quarter or a from–to day was chosen: only then is there a
        previous period to compare with (all to date has none)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return bool(data.get("year") or data.get("start") or data.get("end"))

    @property
    def chosen_instrument(self) -> FundingInstrument | None:
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("instrument")
        return None

    # The filters a download names, in this order (the period is said on its own).
    DESCRIBED = ("theme", "region", "instrument", "stage")

    def _chosen_period(self) -> dict:
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: data.get(name) for name in ("year", "quarter", "start", "end")}

    def period_text(self) -> str:
        """The period in words: "Q2/2023 (1.4.2023–30.6.2023)", "2023 (…)", a from–to span,
        or "all to date (1.1.2022–3.12.2026)"."""
        chosen, period = self._chosen_period(), self.period
        values = {
            "start": date_format(period.start, "SHORT_DATE_FORMAT"),
            "end": date_format(period.end, "SHORT_DATE_FORMAT"),
            "year": chosen["year"],
            "quarter": chosen["quarter"],
        }
        if chosen["year"] and chosen["quarter"]:
            return _("Q%(quarter)s/%(year)s (%(start)s–%(end)s)") % values
        if chosen["year"]:
            return _("%(year)s (%(start)s–%(end)s)") % values
        if chosen["start"] or chosen["end"]:
            return _("%(start)s–%(end)s") % values
        return _("all to date (%(start)s–%(end)s)") % values

    def period_slug(self) -> str:
        """The period for a file name: "2023Q2", "2023", "2023-01-15_2023-03-31", or
        "all-to-2026-12-03"."""
        chosen, period = self._chosen_period(), self.period
        if chosen["year"]:
            return f"{chosen['year']}Q{chosen['quarter']}" if chosen["quarter"] else chosen["year"]
        if chosen["start"] or chosen["end"]:
            return f"{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}"
        return f"all-to-{period.end:%Y-%m-%d}"

    def describe(self) -> str:
        """The filters applied, in words ("Theme: …; Region: …"), or "no filters"."""
        return describe_filters(self, self.DESCRIBED)

    def slug(self) -> str:
        """The period and the filters for a file name: "2023Q2-pirkanmaa"."""
        return "-".join(filter(None, (self.period_slug(), filters_slug(self, self.DESCRIBED))))

    def heading(self, title: str) -> list[str]:
        """A download's first lines: the title, the period, the filters and when it was made."""
        return sheet_heading(
            title,
            _("Period: %(period)s") % {"period": self.period_text()},
            _("Filters: %(filters)s") % {"filters": self.describe()},
        )


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
