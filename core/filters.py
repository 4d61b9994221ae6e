"""What every FilterSet shares: choices by id that never 500, and the rows a filter selects."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django_filters import FilterSet

from core.forms import SafeFilterChoiceField, SafeFilterMultipleChoiceField


class SafeModelChoiceFilter(django_filters.ModelChoiceFilter):
    # An id too big for the database is an invalid choice, not a server error.
    field_class = SafeFilterChoiceField


class SafeModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SafeFilterMultipleChoiceField


def is_filtered(filterset: FilterSet) -> bool:
    """Whether the request asked for any filter at all, valid or not."""
    return any(value for name in filterset.filters for value in filterset.data.getlist(name))


def filtered_rows(filterset: FilterSet) -> QuerySet:
    """The rows the filter selects; none when a value is not valid.

    A half-valid filter would give a list, totals or an export that look filtered but are
    not, so pages show the errors beside the fields and no rows instead.
    """
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs
