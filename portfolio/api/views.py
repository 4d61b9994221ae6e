"""Portfolio endpoints: thin — a FilterSet and a selector to read, a service to write."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import ApiViewSet, FieldErrors, PageOrCursorPagination
from portfolio import services
from portfolio.api import serializers as s
from portfolio.filters import (
    ContactFilter,
    EventFilter,
    IdeaFilter,
    MemberFilter,
    OrganisationFilter,
    TransitionFilter,
)
from portfolio.models import ConsortiumMember, Contact, Idea, Region, StageTransition, Theme
from portfolio.permissions import ideas_for
from portfolio.selectors import ideas as idea_selectors
from portfolio.selectors.events import event_rows
from portfolio.selectors.organisations import organisation_rows

READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)
WRITE = (mixins.CreateModelMixin, mixins.UpdateModelMixin)


class RegionViewSet(*READ, ApiViewSet):
    """The 19 regions (maakunnat) of Finland."""

    queryset = Region.objects.order_by("code")
    serializer_class = s.RegionSerializer


class ThemeViewSet(*READ, ApiViewSet):
    """The network's themes (from its strategies); maintained by administrators."""

    queryset = Theme.objects.order_by("name_fi", "pk")
    serializer_class = s.ThemeSerializer


class OrganisationViewSet(*READ, *WRITE, ApiViewSet):
    """Companies, research and education organisations and public bodies. The Y-tunnus is
    checked (form and check digit) and unique."""

    queryset = organisation_rows()
    serializer_class = s.OrganisationSerializer
    filterset_class = OrganisationFilter


class ContactViewSet(*READ, *WRITE, mixins.DestroyModelMixin, ApiViewSet):
    """Contact persons of organisations. Personal data: project managers only. Deleting
    erases the person (on request), as the organisation page does."""

    queryset = Contact.objects.order_by("organisation_id", "name", "pk")
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilter
    personal_data = True

    def remove(self, contact: Contact) -> None:
        services.contact_erase(contact=contact, by=self.request.user)


class EventViewSet(*READ, *WRITE, ApiViewSet):
    """Roadshow events, where ideas are born."""

    queryset = event_rows().prefetch_related("organisations", "themes")
    serializer_class = s.EventSerializer
    filterset_class = EventFilter


@extend_schema_view(
    create=extend_schema(
        description=(
            "Creates an idea. When another idea has the same title (letter case and spaces "
            "aside, the rule of the page and the Excel import) nothing is created and the "
            "answer is 409 listing those ideas; send `create_anyway: true` to create it all "
            "the same."
        ),
        responses={201: s.IdeaSerializer, 400: FieldErrors, 409: s.SameTitleSerializer},
    ),
    transition=extend_schema(
        summary="Move an idea to another stage",
        description=(
            "The only way to change an idea's stage. Refused with 400 and every unmet "
            "condition in `reasons`; 409 when `expected_stage` is no longer the idea's "
            "stage (someone else moved it), saying who moved it, where and when."
        ),
        request=s.TransitionInputSerializer,
        responses={200: s.IdeaSerializer, 400: s.StageRefusedSerializer, 409: s.StageConflictSerializer},
    )
)
class IdeaViewSet(*READ, *WRITE, ApiViewSet):
    """Ideas: the pipeline's items. The list takes the same filters as the idea list page."""

    queryset = idea_selectors.idea_api_rows()
    serializer_class = s.IdeaSerializer
    filterset_class = IdeaFilter
    # Cursor pages (pagination=cursor) in the list's default order, newest first, beside
    # page numbers: no count of 100 000 ideas for every page.
    pagination_class = PageOrCursorPagination

    def get_queryset(self):
        return ideas_for(self.request.user, super().get_queryset())

    def order_rows(self, filterset: IdeaFilter):
        return idea_selectors.filtered_ideas(filterset)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data.get("create_anyway"):
            same = Idea.objects.same_title(serializer.validated_data["title"])
            if same:
                return Response(
                    {
                        "detail": _(
                            "An idea with this title is already in Salkku. Send "
                            "create_anyway: true if yours is a different idea."
                        ),
                        "same_title": [
                            {
                                "id": idea.pk,
                                "title": idea.title,
                                "url": request.build_absolute_uri(
                                    reverse("idea-detail", args=[idea.pk])
                                ),
                                "api_url": request.build_absolute_uri(
                                    reverse("api:idea-detail", args=[idea.pk])
                                ),
                            }
                            for idea in same
                        ],
                    },
                    status=409,
                )
        self.perform_create(serializer)
        return Response(
            serializer.data, status=201, headers=self.get_success_headers(serializer.data)
        )

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        idea = self.get_object()
        try:
            move = s.TransitionInputSerializer(data=request.data)
        except exceptions.ParseError as error:  # every 400 here says why in ``reasons``
            return self.refused([str(error.detail)])
        if not move.is_valid():
            reasons = [
                f"{field}: {message}" for field, messages in move.errors.items() for message in messages
            ]
            return self.refused(reasons, **move.errors)
        try:
            services.idea_move(idea=idea, by=request.user, **move.validated_data)
        except services.StageRefused as refused:
            return self.refused(refused.reasons)
        except services.StageConflict as conflict:
            return Response(
                {
                    "detail": conflict.message,
                    "stage": conflict.idea.stage,
                    "moved_to": conflict.moved_to,
                    "moved_by": conflict.moved_by,
                    "moved_at": conflict.moved_at,
                },
                status=409,
            )
        idea = self.get_queryset().get(pk=idea.pk)
        return Response(self.get_serializer(idea).data)

    @staticmethod
    def refused(reasons: list[str], **fields: Any) -> Response:
        return Response(
            {"detail": _("The move was refused."), "reasons": reasons, **fields}, status=400
        )


class MemberViewSet(*READ, *WRITE, mixins.DestroyModelMixin, ApiViewSet):
    """Consortium memberships: an organisation in an idea's consortium, its role and
    status. At most one lead per idea; an organisation once per idea."""

    queryset = ConsortiumMember.objects.order_by("idea_id", "pk")
    serializer_class = s.MemberSerializer
    filterset_class = MemberFilter

    def remove(self, member: ConsortiumMember) -> None:
        services.consortium_member_remove(member=member, by=self.request.user)


class TransitionViewSet(*READ, ApiViewSet):
    """The stage history: every move of every idea, append-only."""

    queryset = StageTransition.objects.select_related("by").order_by("at", "pk")
    serializer_class = s.TransitionSerializer
    filterset_class = TransitionFilter

