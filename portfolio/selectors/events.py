"""Reads behind the roadshow event pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from portfolio.models import Idea, Organisation, RoadshowEvent


def event_rows(events: QuerySet[RoadshowEvent] | None = None) -> QuerySet[RoadshowEvent]:
    """Events for the list, newest first, each with ``idea_count``: the ideas born there."""
    events = RoadshowEvent.objects.all() if events is None else events
    return (
        events.select_related("host_region")
        .annotate(idea_count=Count("ideas"))
        .order_by("-date", "title", "pk")
    )


@dataclass(frozen=True)
class EventPage:
    event: RoadshowEvent
    ideas: list[Idea]


def event_page(pk: int) -> EventPage:
    """One event with everything its page shows, in a fixed number of queries.

    Raises ``RoadshowEvent.DoesNotExist`` when there is no such event.
    """
    event = (
        RoadshowEvent.objects.select_related("host_region", "host_organisation")
        .prefetch_related(
            "themes",
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
        )
        .get(pk=pk)
    )
    ideas = list(
        Idea.objects.filter(origin_event=event).select_related("owner").order_by("title", "pk")
    )
    return EventPage(event=event, ideas=ideas)
