"""The one FilterSet per funding list; the HTML list and any export filter through it."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from funding.models import ApplicationStatus, FundingApplication, FundingInstrument
from portfolio.filters import SafeModelChoiceFilter
from portfolio.models import Organisation


def application_years() -> list[tuple[int, int]]:
    """The years that have a submitted application, newest first."""
    days = FundingApplication.objects.filter(submitted_on__isnull=False).dates(
        "submitted_on", "year", order="DESC"
    )
    return [(str(day.year), str(day.year)) for day in days]


def applicants(request: HttpRequest | None = None) -> QuerySet:
    """Organisations that have applied for something (django-filter passes the request)."""
    return Organisation.objects.filter(
        pk__in=FundingApplication.objects.values("applicant_id")
    ).order_by("name")


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    instrument = SafeModelChoiceFilter(
        queryset=FundingInstrument.objects.select_related("funder"),
        label=_("Instrument"),
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices, label=_("Status"), empty_label=_("All")
    )
    year = django_filters.ChoiceFilter(
        choices=application_years,
        method="filter_year",
        label=_("Year submitted"),
        empty_label=_("All"),
    )
    applicant = SafeModelChoiceFilter(
        queryset=applicants, label=_("Applicant organisation"), empty_label=_("All")
    )

    class Meta:
        model = FundingApplication
        fields = ["q", "instrument", "status", "year", "applicant"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(idea__title__icontains=word) | Q(reference__icontains=word)
            )
        return queryset

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in (None, ""):
            return queryset
        return queryset.filter(submitted_on__year=int(value))
