"""The network administrator's screens for portfolio data.

The admin follows the same rules as every other writer: an idea is created through
``services.idea_create`` and its stage changes only through ``services.idea_move`` (never
here), stage transitions are append-only, and contact persons stay hidden from anyone
without the ``view_contact`` permission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from funding.models import FundingApplication, Implementation
from funding.services import application_save, implementation_save
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    IdeaImport,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from core.formatting import short_datetime
from portfolio.permissions import owners_offered
from portfolio.services import consortium_member_save, idea_create

admin.site.site_header = _("Salkku administration")
admin.site.site_title = _("Salkku administration")
admin.site.index_title = _("Reference data and portfolio records")

# Written by idea_move only; the admin shows them and never writes them.
IDEA_STAGE_FIELDS = ("stage", "stage_entered_at", "drop_reason")


def person_name(user: Any) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def may_see_contacts(request: HttpRequest) -> bool:
    return request.user.has_perm("portfolio.view_contact")


def save_with_services(
    request: HttpRequest,
    formset: BaseInlineFormSet,
    savers: dict[type[models.Model], Callable[[Any, Any], Any]],
) -> bool:
    """Save an inline formset through the model's service; False when there is none."""
    saver = savers.get(formset.model)
    if saver is None:
        return False
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    for obj in instances:
        saver(obj, request.user)
    formset.save_m2m()
    return True


SERVICE_SAVERS: dict[type[models.Model], Callable[[Any, Any], Any]] = {
    ConsortiumMember: lambda obj, by: consortium_member_save(member=obj, by=by),
    FundingApplication: lambda obj, by: application_save(application=obj, by=by),
    Implementation: lambda obj, by: implementation_save(implementation=obj, by=by),
}


class HidesContactField:
    """Drops the ``contact`` field for users who may not see contact persons."""

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        exclude = list(super().get_exclude(request, obj) or [])
        if not may_see_contacts(request):
            exclude.append("contact")
        return exclude

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        if not may_see_contacts(request):
            fields = [f for f in fields if f != "contact"]
        return fields


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fi", "name_sv", "name_en")
    list_display_links = ("code", "name_fi")
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    ordering = ("code",)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "name_en", "slug", "source", "parent", "is_active")
    list_filter = ("is_active", "source")
    list_select_related = ("parent",)
    search_fields = ("name_fi", "name_en", "slug", "source")
    prepopulated_fields = {"slug": ("name_fi",)}
    autocomplete_fields = ("parent",)
    ordering = ("name_fi",)


class ContactInline(admin.TabularInline):
    # Django shows an inline only to users with the inline model's own view permission,
    # so funders (no view_contact) never see these rows even on an organisation they can view.
    model = Contact
    fields = ("name", "title", "email", "phone")
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "business_id", "kind", "size", "region", "municipality")
    list_filter = ("kind", "size", "region")
    list_select_related = ("region",)
    search_fields = ("name", "business_id", "municipality")
    autocomplete_fields = ("region",)
    fieldsets = (
        (None, {"fields": ("name", "business_id", ("kind", "size"))}),
        (_("Location"), {"fields": (("region", "municipality"), "website")}),
        (_("Record"), {"fields": (("created_at", "updated_at"),), "classes": ("collapse",)}),
    )
    readonly_fields = ("created_at", "updated_at")
    inlines = (ContactInline,)
    ordering = ("name",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "title", "email", "phone")
    list_select_related = ("organisation",)
    search_fields = ("name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
    ordering = ("name",)


@admin.register(RoadshowEvent)
class RoadshowEventAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "date",
        "host_region",
        "city",
        "format",
        "participants_onsite",
        "participants_online",
    )
    list_filter = ("format", "host_region", "themes")
    list_select_related = ("host_region", "host_organisation")
    search_fields = ("title", "city", "venue", "notes")
    date_hierarchy = "date"
    autocomplete_fields = ("host_region", "host_organisation", "organisations", "themes")
    fieldsets = (
        (None, {"fields": ("title", "date", "format")}),
        (_("Place"), {"fields": ("host_region", "city", "venue", "host_organisation")}),
        (
            _("Participation"),
            {"fields": ("participants_onsite", "participants_online", "organisations")},
        ),
        (None, {"fields": ("themes", "notes")}),
    )
    ordering = ("-date", "title")


class ConsortiumMemberFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # Each row is checked against the database on its own; two new leads in one
        # submit would only meet at the database constraint, so compare the rows here.
        leads = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == ConsortiumMember.Role.LEAD
        ]
        if len(leads) > 1:
            raise ValidationError(
                _("A consortium has at most one lead organisation; make the others partners.")
            )


class ConsortiumMemberInline(HidesContactField, admin.TabularInline):
    model = ConsortiumMember
    formset = ConsortiumMemberFormSet
    fields = ("organisation", "role", "status", "budget_share", "contact")
    autocomplete_fields = ("organisation", "contact")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation", "contact")


class FundingApplicationInline(admin.StackedInline):
    model = FundingApplication
    fields = (
        ("instrument", "call", "applicant"),
        ("status", "reference"),
        ("total_budget", "requested", "granted"),
        ("submitted_on", "decided_on"),
    )
    autocomplete_fields = ("instrument", "call", "applicant")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("instrument", "call", "applicant")


class ImplementationInline(admin.StackedInline):
    model = Implementation
    fields = (
        ("lead_organisation", "health"),
        ("start", "end", "final_report_date"),
        "total_budget",
    )
    autocomplete_fields = ("lead_organisation",)
    max_num = 1
    extra = 0


class StageTransitionInline(admin.TabularInline):
    """The idea's stage history, shown and never edited."""

    model = StageTransition
    fields = ("at", "from_stage", "to_stage", "by", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OwnerChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class IdeaAdminForm(ModelForm):
    class Meta:
        model = Idea
        fields = "__all__"
        field_classes = {"owner": OwnerChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            # The same people the idea form offers.
            self.fields["owner"].queryset = owners_offered(self.instance)


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    form = IdeaAdminForm
    list_display = ("title", "stage", "owner_name", "estimated_budget", "in_stage_since")
    list_filter = ("stage", "themes", "regions", ("owner", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("owner",)
    search_fields = ("title", "summary")
    autocomplete_fields = ("origin_event", "themes", "regions")
    readonly_fields = (*IDEA_STAGE_FIELDS, "version", "created_at", "updated_at")
    inlines = (
        ConsortiumMemberInline,
        FundingApplicationInline,
        ImplementationInline,
        StageTransitionInline,
    )
    ordering = ("-created_at",)

    def get_fieldsets(self, request: HttpRequest, obj: Idea | None = None):
        fieldsets = [
            (None, {"fields": ("title", "summary", "owner", "estimated_budget")}),
            (_("Origin and scope"), {"fields": ("origin_event", "themes", "regions")}),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    _("Stage"),
                    {
                        "fields": (
                            ("stage", "stage_entered_at"),
                            "drop_reason",
                            ("version", "created_at", "updated_at"),
                        ),
                        "description": _(
                            "The stage changes only by moving the idea on the board, "
                            "which records who moved it, when and why."
                        ),
                    },
                )
            )
        return fieldsets

    @admin.display(description=_("owner"), ordering="owner__last_name")
    def owner_name(self, idea: Idea) -> str:
        return person_name(idea.owner)

    @admin.display(description=_("in this stage since"), ordering="stage_entered_at")
    def in_stage_since(self, idea: Idea) -> str:
        return short_datetime(idea.stage_entered_at)

    def save_model(self, request: HttpRequest, obj: Idea, form: ModelForm, change: bool) -> None:
        if not change:
            created = idea_create(
                by=request.user,
                title=obj.title,
                summary=obj.summary,
                owner=obj.owner,
                origin_event=obj.origin_event,
                estimated_budget=obj.estimated_budget,
                themes=form.cleaned_data.get("themes", ()),
                regions=form.cleaned_data.get("regions", ()),
            )
            # The admin goes on with its own object (inlines, log entry, redirect).
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db
            obj.refresh_from_db()
            return
        with transaction.atomic():
            # A change, or a revert from the history page, never carries a stage: the
            # stage columns are taken as stored and left out of the UPDATE.
            stored = Idea.objects.select_for_update().get(pk=obj.pk)
            for field in (*IDEA_STAGE_FIELDS, "version"):
                setattr(obj, field, getattr(stored, field))
            obj.version = stored.version + 1
            obj.full_clean()
            obj._history_user = request.user
            editable = [
                f.name
                for f in Idea._meta.concrete_fields
                if not f.primary_key and f.name not in IDEA_STAGE_FIELDS
            ]
            obj.save(update_fields=editable)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if not save_with_services(request, formset, SERVICE_SAVERS):
            super().save_formset(request, form, formset, change)

    def has_delete_permission(self, request: HttpRequest, obj: Idea | None = None) -> bool:
        # Deleting an idea would delete its append-only stage history; ideas are dropped instead.
        return False


@admin.register(ConsortiumMember)
class ConsortiumMemberAdmin(HidesContactField, SimpleHistoryAdmin):
    list_display = ("idea", "organisation", "role", "status", "budget_share")
    list_filter = ("role", "status")
    list_select_related = ("idea", "organisation")
    search_fields = ("idea__title", "organisation__name", "organisation__business_id")
    autocomplete_fields = ("idea", "organisation", "contact")
    ordering = ("idea__title", "role", "organisation__name")

    def save_model(
        self, request: HttpRequest, obj: ConsortiumMember, form: ModelForm, change: bool
    ) -> None:
        consortium_member_save(member=obj, by=request.user)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # Same as the library's, except that a changed contact person is not listed to
        # users who may not see contact persons.
        excluded = [] if may_see_contacts(request) else ["contact"]
        previous = None
        for current in historical_records:
            if previous is None:
                previous = current
                continue
            delta = previous.diff_against(
                current, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
            )
            helper = self.get_historical_record_context_helper(request, previous)
            previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


@admin.register(StageTransition)
class StageTransitionAdmin(admin.ModelAdmin):
    """Append-only history: readable here, written only by the stage service."""

    list_display = ("idea", "from_stage", "to_stage", "when", "by_name", "note")
    list_filter = ("to_stage", "from_stage")
    list_select_related = ("idea", "by")
    search_fields = ("idea__title", "note")
    date_hierarchy = "at"
    fields = ("idea", "from_stage", "to_stage", "at", "by", "note", "created_at")
    readonly_fields = fields
    ordering = ("-at", "-pk")

    @admin.display(description=_("when"), ordering="at")
    def when(self, transition: StageTransition) -> str:
        return short_datetime(transition.at)

    @admin.display(description=_("by"), ordering="by__last_name")
    def by_name(self, transition: StageTransition) -> str:
        return person_name(transition.by)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdeaImport)
class IdeaImportAdmin(admin.ModelAdmin):
    """The record of what came in from spreadsheets: readable here, written only by the
    import (which also deletes unconfirmed uploads once they are old)."""

    list_display = ("filename", "status", "by", "created_at", "imported_at", "size")
    list_filter = ("status",)
    list_select_related = ("by",)
    search_fields = ("filename", "sha256")
    date_hierarchy = "created_at"
    fields = ("filename", "size", "sha256", "status", "by", "created_at", "imported_at", "ideas")
    readonly_fields = fields
    ordering = ("-created_at", "-pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
