"""What every FilterSet shares: choices by id that never 500, and the rows a filter selects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_filters import FilterSet

from core.formatting import user_display
from core.forms import SafeFilterChoiceField, SafeFilterMultipleChoiceField


class SafeModelChoiceFilter(django_filters.ModelChoiceFilter):
    # An id too big for the database is an invalid choice, not a server error.
    field_class = SafeFilterChoiceField


class PersonChoiceField(SafeFilterChoiceField):
    """People by their full names, as cards and pages show them; the login only for an
    account without a name."""

    def label_from_instance(self, obj: Any) -> str:
        return user_display(obj)


class PersonChoiceFilter(SafeModelChoiceFilter):
    field_class = PersonChoiceField


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


# How many values of one filter a file name lists; past this it says how many there are.
SLUG_VALUES = 3
# A file name stays well inside every system's limit and readable in a download bar.
SLUG_MAX = 80


def chosen_filters(filterset: FilterSet, names: Iterable[str]) -> list[tuple[str, list[Any]]]:
    """(filter name, chosen values) for each of ``names`` that has a value, in that order;
    nothing when the filter is not valid (a download is refused then anyway)."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    chosen = []
    for name in names:
        value = filterset.form.cleaned_data.get(name)
        if isinstance(value, QuerySet | list | tuple):
            values = list(value)
        else:
            values = [] if value in (None, "") else [value]
        if values:
            chosen.append((name, values))
    return chosen


def _value_text(filterset: FilterSet, name: str, value: Any) -> str:
    if isinstance(value, Model):
        return str(getattr(value, "name", None) or value)
    choices = dict(getattr(filterset.form.fields[name], "choices", ()))
    return str(choices.get(value, value))


def describe_filters(filterset: FilterSet, names: Iterable[str]) -> str:
    """The filters applied, in words for a sheet's heading: "Theme: Energy, Robotics;
    Region: Pirkanmaa", or "no filters"."""
    parts = [
        _("%(filter)s: %(values)s")
        % {
            "filter": filterset.form.fields[name].label,
            "values": ", ".join(_value_text(filterset, name, value) for value in values),
        }
        for name, values in chosen_filters(filterset, names)
    ]
    return "; ".join(parts) if parts else _("no filters")


def _value_slug(value: Any) -> str:
    """A value for a file name: a theme's slug, an instrument's code, a region's name…"""
    if isinstance(value, Model):
        for attribute in ("slug", "code"):
            text = getattr(value, attribute, "")
            if text and not str(text).isdigit():
                return slugify(text)
        return slugify(getattr(value, "name", None) or value)
    return slugify(value)


def filters_slug(filterset: FilterSet, names: Iterable[str]) -> str:
    """The filters applied, for a file name: ascii, one part per filter, several values
    joined with "+" ("pirkanmaa+keski-suomi-akke"); many values as their count
    ("5-regions"). Empty without filters."""
    parts = []
    for name, values in chosen_filters(filterset, names):
        if len(values) > SLUG_VALUES:
            parts.append(f"{len(values)}-{slugify(name)}s")
        else:
            # Sorted: the same filters always give the same name, whatever order they came in.
            parts.append("+".join(sorted(filter(None, (_value_slug(value) for value in values)))))
    return "-".join(filter(None, parts))


def download_name(*parts: str, extension: str = "xlsx") -> str:
    """A download's file name from its parts ("salkku", "balance", "2023Q2", …), empty
    parts left out, cut to SLUG_MAX characters before the extension."""
    stem = "-".join(part for part in parts if part)[:SLUG_MAX].rstrip("-+_")
    return f"{stem}.{extension}"
