"""The calendar's FilterSet: the year shown, and categories and regions. The stored entries
are its rows; the selector reads the same choices for the entries derived from events,
calls and the report setting."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import SafeModelChoiceFilter
from portfolio.models import Region
from vuosikello.models import CalendarEntry, Category

FIRST_YEAR, LAST_YEAR = 1900, 2100


def _year_only(queryset: QuerySet, name: str, value) -> QuerySet:
    # The year picks the occurrences (CalendarEntry.objects.in_year), not the rows.
    return queryset


class CalendarForm(forms.Form):
    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and (year != int(year) or not FIRST_YEAR <= year <= LAST_YEAR):
            raise forms.ValidationError(
                _("Choose a year between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return year


class CalendarFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        method=_year_only,
        label=_("Year"),
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR}),
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Category.choices, label=_("Category"), widget=forms.CheckboxSelectMultiple
    )
    region = SafeModelChoiceFilter(
        queryset=Region.objects.all(),
        method="filter_region",
        label=_("Region"),
        empty_label=_("All"),
        help_text=_("Entries for the whole network are always shown."),
    )

    class Meta:
        model = CalendarEntry
        form = CalendarForm
        fields = ["category", "region"]

    def filter_region(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(region__isnull=True) | Q(region=value))

    @property
    def chosen_year(self) -> int:
        """The year chosen, or this year."""
        if self.is_bound and self.is_valid() and self.form.cleaned_data.get("year"):
            return int(self.form.cleaned_data["year"])
        return timezone.localdate().year

    @property
    def categories(self) -> list[str]:
        return list(self.form.cleaned_data.get("category") or []) if self.is_valid() else []

    @property
    def regions(self) -> list[Region]:
        region = self.form.cleaned_data.get("region") if self.is_valid() else None
        return [region] if region else []
