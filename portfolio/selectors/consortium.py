"""Reads for the consortium, funding applications and implementation parts of the idea page."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from portfolio.models import ConsortiumMember, Idea


def idea_members(idea: Idea) -> QuerySet[ConsortiumMember]:
    """The idea's consortium, lead first, with what the table shows joined in."""
    return (
        ConsortiumMember.objects.filter(idea=idea)
        .select_related("organisation", "contact")
        .annotate(
            lead_first=Case(
                When(role=ConsortiumMember.Role.LEAD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("lead_first", "organisation__name")
    )


def lead_organisation_id(idea: Idea) -> int | None:
    """The consortium's lead organisation, the natural default applicant and implementer."""
    return (
        ConsortiumMember.objects.filter(idea=idea, role=ConsortiumMember.Role.LEAD)
        .values_list("organisation_id", flat=True)
        .first()
    )
