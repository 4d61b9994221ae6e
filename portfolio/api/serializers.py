"""Input and output of the portfolio endpoints. Writes call the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from core.api import ServiceSerializer
from core.formatting import user_display
from portfolio import services
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.permissions import can_view_contacts, owners_offered
from portfolio.selectors.ideas import themes_offered
from portfolio.stages import Stage


def hide_personal_data(serializer: serializers.Serializer, *names: str) -> None:
    """Drop fields that name people when the caller may not see contacts (funders).

    Not while the schema is generated: it documents every field, the same for every caller
    (the fields are optional in the answers)."""
    if getattr(serializer.context.get("view"), "swagger_fake_view", False):
        return
    request = serializer.context.get("request")
    if request is not None and not can_view_contacts(request.user):
        for name in names:
            serializer.fields.pop(name, None)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name_fi", "name_sv", "name_en"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "slug", "name_fi", "name_sv", "name_en", "source", "description", "parent", "is_active"]


class OrganisationSerializer(ServiceSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "business_id",
            "kind",
            "size",
            "region",
            "municipality",
            "website",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save_instance(self, organisation: Organisation) -> Organisation:
        return services.organisation_save(organisation=organisation, by=self.by)


class ContactSerializer(ServiceSerializer):
    class Meta:
        model = Contact
        fields = ["id", "organisation", "name", "title", "email", "phone", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def save_instance(self, contact: Contact) -> Contact:
        return services.contact_save(contact=contact, by=self.by)


class EventSerializer(ServiceSerializer):
    participants = serializers.IntegerField(read_only=True)

    class Meta:
        model = RoadshowEvent
        fields = [
            "id",
            "title",
            "date",
            "host_region",
            "city",
            "venue",
            "format",
            "host_organisation",
            "participants_onsite",
            "participants_online",
            "participants",
            "organisations",
            "themes",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"organisations": {"required": False}, "themes": {"required": False}}

    def create(self, validated_data: dict) -> RoadshowEvent:
        organisations = validated_data.pop("organisations", [])
        themes = validated_data.pop("themes", [])
        return services.event_save(
            event=RoadshowEvent(**validated_data),
            by=self.by,
            organisations=organisations,
            themes=themes,
        )

    def update(self, event: RoadshowEvent, validated_data: dict) -> RoadshowEvent:
        organisations = validated_data.pop("organisations", None)
        themes = validated_data.pop("themes", None)
        for name, value in validated_data.items():
            setattr(event, name, value)
        return services.event_save(
            event=event, by=self.by, organisations=organisations, themes=themes
        )


class PrefetchedIds(serializers.ManyRelatedField):
    """Related ids that the query prefetched as a plain list (``Prefetch(to_attr=
    "prefetched_<name>")``); without one, the related manager as usual. A page of 50 ideas
    then builds no related manager per idea, a quarter of the list's time."""

    def get_attribute(self, instance):
        prefetched = getattr(instance, f"prefetched_{self.field_name}", None)
        return prefetched if prefetched is not None else super().get_attribute(instance)

    def to_representation(self, iterable) -> list:
        # ``IdeaQuerySet.with_tag_ids`` gives the ids themselves, not model instances.
        return [
            value if isinstance(value, int) else self.child_relation.to_representation(value)
            for value in iterable
        ]


class PrefetchAwarePrimaryKey(serializers.PrimaryKeyRelatedField):
    @classmethod
    def many_init(cls, *args, **kwargs):
        # As DRF's own many_init, with the list field above.
        list_kwargs = {key: kwargs[key] for key in kwargs if key in MANY_RELATION_KWARGS}
        return PrefetchedIds(child_relation=cls(*args, **kwargs), **list_kwargs)


class IdeaSerializer(ServiceSerializer):
    """An idea. ``stage`` is read-only here: it changes only through the transition endpoint."""

    serializer_related_field = PrefetchAwarePrimaryKey

    owner = serializers.PrimaryKeyRelatedField(
        queryset=owners_offered(), allow_null=True, required=False
    )
    owner_name = serializers.SerializerMethodField()
    # A method field: DRF inspects a callable source's signature on every row.
    stage_label = serializers.SerializerMethodField()
    create_anyway = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=(
            "Create the idea even though another idea has the same title (letter case and "
            "spaces aside). Without it such a create answers 409 with the existing ideas."
        ),
    )

    class Meta:
        model = Idea
        fields = [
            "id",
            "title",
            "summary",
            "stage",
            "stage_label",
            "stage_entered_at",
            "drop_reason",
            "version",
            "owner",
            "owner_name",
            "origin_event",
            "themes",
            "regions",
            "estimated_budget",
            "created_at",
            "updated_at",
            "create_anyway",
        ]
        read_only_fields = [
            "stage",
            "stage_entered_at",
            "drop_reason",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"themes": {"required": False}, "regions": {"required": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = self.fields.get("themes")
        if themes is not None and not themes.read_only:
            # The same themes the form offers: the active ones, and those the idea has.
            idea = self.instance if isinstance(self.instance, Idea) else None
            themes.child_relation.queryset = themes_offered(idea)
        owner = self.fields.get("owner")
        if owner is not None and isinstance(self.instance, Idea):
            # As on the form: the project managers, and the owner the idea already has.
            owner.queryset = owners_offered(self.instance)

    def get_stage_label(self, idea: Idea) -> str:
        return str(Stage(idea.stage).label)

    def get_owner_name(self, idea: Idea) -> str | None:
        return user_display(idea.owner) if idea.owner_id else None

    def create(self, validated_data: dict) -> Idea:
        validated_data.pop("create_anyway", None)
        return services.idea_create(by=self.by, **validated_data)

    def update(self, idea: Idea, validated_data: dict) -> Idea:
        validated_data.pop("create_anyway", None)
        themes = validated_data.pop("themes", None)
        regions = validated_data.pop("regions", None)
        for name, value in validated_data.items():
            setattr(idea, name, value)
        idea = services.idea_update(idea=idea, by=self.by, themes=themes, regions=regions)
        # The lists read with the idea are stale now; the answer reads the new ones.
        for name in ("prefetched_themes", "prefetched_regions"):
            idea.__dict__.pop(name, None)
        return idea


class TransitionInputSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices, help_text=_("The stage to move to."))
    expected_stage = serializers.ChoiceField(
        choices=Stage.choices,
        help_text=_(
            "The stage the caller believes the idea is in. If someone has moved it since, "
            "nothing changes and the answer is 409."
        ),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        default="",
        help_text=_("Why; required when dropping (the drop reason) or reviving an idea."),
    )


class SameTitleIdeaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="The idea's page.")
    api_url = serializers.CharField(help_text="The idea in this API.")


class SameTitleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    same_title = SameTitleIdeaSerializer(many=True)


class StageRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class StageConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices, help_text=_("Where the idea is now."))
    moved_to = serializers.ChoiceField(choices=Stage.choices)
    moved_by = serializers.CharField()
    moved_at = serializers.DateTimeField(allow_null=True)


class TransitionSerializer(serializers.ModelSerializer):
    # Blank on an idea's first row: it came from no stage.
    from_stage = serializers.ChoiceField(
        choices=Stage.choices, allow_blank=True, read_only=True, label=_("from stage")
    )
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = StageTransition
        fields = ["id", "idea", "from_stage", "to_stage", "at", "by", "by_name", "note"]
        read_only_fields = fields

    def get_by_name(self, transition: StageTransition) -> str:
        return user_display(transition.by)


class MemberSerializer(ServiceSerializer):
    class Meta:
        model = ConsortiumMember
        fields = [
            "id",
            "idea",
            "organisation",
            "role",
            "status",
            "budget_share",
            "contact",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "contact": {"help_text": _("Personal data: left out of the answers to funders.")}
        }

    # A membership stays with its idea; to move the organisation, add it to the other idea.
    fixed_after_create = ("idea",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hide_personal_data(self, "contact")

    def save_instance(self, member: ConsortiumMember) -> ConsortiumMember:
        return services.consortium_member_save(member=member, by=self.by)
