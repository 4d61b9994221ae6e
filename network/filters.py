"""The FilterSet of the platform list; the same one would serve an export or the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.filters import SafeModelChoiceFilter
from network.models import Platform, PlatformKind
from portfolio.models import Organisation, Region, Theme


def platform_hosts(request=None) -> QuerySet[Organisation]:
    """Only the organisations that host a platform: the filter's list stays short."""
    hosts = Platform.objects.filter(host_organisation_id=OuterRef("pk"))
    return Organisation.objects.filter(Exists(hosts)).order_by("name")


class PlatformFilter(django_filters.FilterSet):
    """Filters of the platform list. The search matches the name, the description or the
    host organisation's name; the theme filter uses EXISTS, so no platform appears twice."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        choices=PlatformKind.choices, label=_("Kind"), empty_label=_("All")
    )
    region = SafeModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Region"), empty_label=_("All")
    )
    theme = SafeModelChoiceFilter(
        queryset=Theme.objects.all(),
        field_name="themes",
        method="filter_theme",
        label=_("Theme"),
        empty_label=_("All"),
    )
    host_organisation = SafeModelChoiceFilter(
        queryset=platform_hosts, label=pgettext_lazy("platform", "Host organisation"), empty_label=_("All")
    )

    class Meta:
        model = Platform
        fields = ["q", "kind", "region", "theme", "host_organisation"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)

    def filter_theme(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.with_theme(value)
