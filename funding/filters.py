"""The one FilterSet per funding list; the HTML list and any export filter through it."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.filters import SafeModelChoiceFilter
from funding.models import (
    ApplicationStatus,
    FundingApplication,
    FundingCall,
    FundingInstrument,
    Implementation,
    ImplementationHealth,
    Level,
)
from portfolio.models import Idea, Organisation


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


class InstrumentFilter(django_filters.FilterSet):
    """Filters of funding instruments (the API's list)."""

    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    # "true" or "false"; anything else is a 400 naming the filter, not silently ignored.
    is_active = django_filters.TypedChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        label=_("Active"),
    )

    class Meta:
        model = FundingInstrument
        fields = ["level", "is_active"]


class CallFilter(django_filters.FilterSet):
    """Filters of funding calls (the API's list)."""

    instrument = SafeModelChoiceFilter(
        queryset=FundingInstrument.objects.all(), label=_("Instrument")
    )
    deadline_after = django_filters.IsoDateTimeFilter(
        field_name="deadline", lookup_expr="gte", label=_("Deadline at or after")
    )

    class Meta:
        model = FundingCall
        fields = ["instrument", "deadline_after"]


class ImplementationFilter(django_filters.FilterSet):
    """Filters of implementations (the API's list)."""

    idea = SafeModelChoiceFilter(queryset=Idea.objects.all(), label=_("Idea"))
    health = django_filters.ChoiceFilter(choices=ImplementationHealth.choices, label=_("Health"))
    lead_organisation = SafeModelChoiceFilter(
        queryset=Organisation.objects.all(), label=_("Lead organisation")
    )

    class Meta:
        model = Implementation
        fields = ["idea", "health", "lead_organisation"]
