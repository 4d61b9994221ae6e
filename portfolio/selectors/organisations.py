"""Reads behind the organisation pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from portfolio.models import ConsortiumMember, Contact, Organisation, RoadshowEvent


def organisation_rows(
    organisations: QuerySet[Organisation] | None = None,
) -> QuerySet[Organisation]:
    """Organisations for the list, by name, each with ``idea_count``: the ideas whose
    consortium it is in."""
    organisations = Organisation.objects.all() if organisations is None else organisations
    return (
        organisations.select_related("region")
        .annotate(idea_count=Count("memberships__idea", distinct=True))
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    memberships: list[ConsortiumMember]
    applications: list  # funding applications it made, read through the reverse relation
    events: list[RoadshowEvent]
    # None when the viewer may not see contact persons, so a template cannot show them by mistake.
    contacts: list[Contact] | None


def organisation_page(pk: int, *, with_contacts: bool) -> OrganisationPage:
    """One organisation with everything its page shows, in a fixed number of queries.

    Raises ``Organisation.DoesNotExist`` when there is no such organisation.
    """
    organisation = Organisation.objects.select_related("region").get(pk=pk)
    memberships = list(
        ConsortiumMember.objects.filter(organisation=organisation)
        .select_related("idea")
        .order_by("idea__title", "idea_id")
    )
    applications = list(
        organisation.funding_applications.select_related("instrument", "idea")
        .order_by("-submitted_on", "-created_at", "-pk")
    )
    attended = RoadshowEvent.organisations.through.objects.filter(
        roadshowevent_id=OuterRef("pk"), organisation_id=organisation.pk
    )
    events = list(
        RoadshowEvent.objects.annotate(attended=Exists(attended))
        .filter(Q(attended=True) | Q(host_organisation=organisation))
        .select_related("host_region")
        .order_by("-date", "title", "pk")
    )
    contacts = list(organisation.contacts.order_by("name", "pk")) if with_contacts else None
    return OrganisationPage(
        organisation=organisation,
        memberships=memberships,
        applications=applications,
        events=events,
        contacts=contacts,
    )
