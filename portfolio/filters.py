"""The one FilterSet per list. The HTML list, the board, the API, the dashboards and the
Excel export all filter through these, so a filter means the same thing everywhere."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.permissions import project_managers
from core.filters import PersonChoiceFilter, SafeModelChoiceFilter, SafeModelMultipleChoiceFilter
from core.models import related_model
from portfolio.models import (
    ConsortiumMember,
    Contact,
    EventFormat,
    Idea,
    MemberRole,
    MemberStatus,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.stages import Stage


def idea_owners(request=None) -> QuerySet:
    """Who the owner filter offers: the project managers, and anyone who still owns an idea.
    django-filter passes the request.

    EXISTS rather than joins: joining every idea and DISTINCT-ing is slow at 100 000 ideas.
    And the EXISTS on its own, not OR-ed with the managers: under an OR PostgreSQL cannot
    make it a semi-join on the owner index, and scanned every idea for a user who owns
    none (140 ms); alone it is one index probe per user. The two sets are joined by UNION.
    """
    users = get_user_model().objects
    owners = users.filter(Exists(Idea.objects.filter(owner_id=OuterRef("pk")))).values("pk")
    return users.filter(pk__in=project_managers().values("pk").union(owners)).order_by(
        "first_name", "last_name", "username"
    )


def _applications():
    """The funding applications model: funding is a higher layer, reached through the ideas'
    reverse relation rather than imported."""
    return related_model(Idea, "funding_applications")


class IdeaFilter(django_filters.FilterSet):
    """Filters of the idea list and the board. Many-to-many filters use EXISTS rather than
    joins, so an idea never appears twice and counts stay right."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    # A plain column: no DISTINCT (django-filter's default), which would also break the
    # dashboards' grouped UNION queries on PostgreSQL.
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, label=_("Stage"), distinct=False
    )
    # field_name only tells the API schema what the values are; the methods filter.
    theme = SafeModelMultipleChoiceFilter(
        queryset=Theme.objects.all(), field_name="themes", method="filter_theme", label=_("Theme")
    )
    region = SafeModelMultipleChoiceFilter(
        queryset=Region.objects.all(),
        field_name="regions",
        method="filter_region",
        label=_("Region"),
    )
    owner = PersonChoiceFilter(queryset=idea_owners, label=_("Owner"))
    origin_event = SafeModelChoiceFilter(
        queryset=RoadshowEvent.objects.all(), label=_("Origin event")
    )
    instrument = SafeModelChoiceFilter(
        queryset=lambda request=None: related_model(_applications(), "instrument").objects.all(),
        field_name="funding_applications__instrument",
        method="filter_instrument",
        label=_("Funding instrument"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("stage", "stage"),
            ("stage_entered_at", "stage_entered_at"),
            ("estimated_budget", "estimated_budget"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "title": _("Title"),
            "stage": _("Stage"),
            "stage_entered_at": _("In this stage since"),
            "estimated_budget": _("Estimated budget"),
            "created_at": _("Created"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = Idea
        fields = ["q", "stage", "theme", "region", "owner", "origin_event", "instrument"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset

    def filter_theme(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        through = Idea.themes.through
        return queryset.filter(
            Exists(through.objects.filter(idea_id=OuterRef("pk"), theme__in=value))
        )

    def filter_region(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        through = Idea.regions.through
        return queryset.filter(
            Exists(through.objects.filter(idea_id=OuterRef("pk"), region__in=value))
        )

    def filter_instrument(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        # IN (ideas applying to it) rather than a correlated EXISTS: SQLite answers the
        # EXISTS with the instrument index and scans every application of it per idea.
        return queryset.filter(
            pk__in=_applications().objects.filter(instrument=value).values("idea_id")
        )


def event_years() -> list[tuple[str, str]]:
    """The years that have events, newest first: the year filter offers only these."""
    years = RoadshowEvent.objects.dates("date", "year", order="DESC")
    return [(str(day.year), str(day.year)) for day in years]


class EventFilter(django_filters.FilterSet):
    """Filters of the roadshow event list."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    year = django_filters.ChoiceFilter(
        choices=event_years, method="filter_year", label=_("Year"), empty_label=_("All")
    )
    host_region = SafeModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Host region"), empty_label=_("All")
    )
    format = django_filters.ChoiceFilter(
        choices=EventFormat.choices, label=_("Format"), empty_label=_("All")
    )
    theme = SafeModelChoiceFilter(
        queryset=Theme.objects.all(),
        field_name="themes",
        method="filter_theme",
        label=_("Theme"),
        empty_label=_("All"),
    )

    class Meta:
        model = RoadshowEvent
        fields = ["q", "year", "host_region", "format", "theme"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(city__icontains=word) | Q(venue__icontains=word)
            )
        return queryset

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(date__year=int(value))

    def filter_theme(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        through = RoadshowEvent.themes.through
        return queryset.filter(
            Exists(through.objects.filter(roadshowevent_id=OuterRef("pk"), theme=value))
        )


class OrganisationFilter(django_filters.FilterSet):
    """Filters of the organisation list. The search matches the name or the start of the
    Y-tunnus."""

    q = django_filters.CharFilter(method="filter_text", label=_("Name or Y-tunnus"))
    kind = django_filters.ChoiceFilter(
        choices=OrganisationKind.choices, label=_("Kind"), empty_label=_("All")
    )
    size = django_filters.ChoiceFilter(
        choices=OrganisationSize.choices, label=_("Size class"), empty_label=_("All")
    )
    region = SafeModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Region"), empty_label=_("All")
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "size", "region"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)


class MemberFilter(django_filters.FilterSet):
    """Filters of consortium memberships (the API's list)."""

    idea = SafeModelChoiceFilter(queryset=Idea.objects.all(), label=_("Idea"))
    organisation = SafeModelChoiceFilter(
        queryset=Organisation.objects.all(), label=_("Organisation")
    )
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label=_("Role"))
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("Status"))

    class Meta:
        model = ConsortiumMember
        fields = ["idea", "organisation", "role", "status"]


class ContactFilter(django_filters.FilterSet):
    """Filters of contact persons (the API's list; the pages list them per organisation)."""

    organisation = SafeModelChoiceFilter(
        queryset=Organisation.objects.all(), label=_("Organisation")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Contact
        fields = ["organisation", "q"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(email__icontains=word))
        return queryset


class TransitionFilter(django_filters.FilterSet):
    """Filters of the stage history (the API's list)."""

    idea = SafeModelChoiceFilter(queryset=Idea.objects.all(), label=_("Idea"))
    to_stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("To stage"))
    after = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", label=_("At or after")
    )
    before = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="lt", label=_("Before")
    )

    class Meta:
        model = StageTransition
        fields = ["idea", "to_stage", "after", "before"]
