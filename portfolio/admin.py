"""The network administrator's screens for portfolio data.

The admin follows the same rules as every other writer: ideas, consortium members and
funding records are saved and members removed through the services the pages use, an idea's
stage changes only through ``services.idea_move`` (never here), stage transitions are
append-only, and contact persons stay hidden from anyone ``can_view_contacts`` refuses.
When a service refuses, the form shows why and nothing of the submit is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import BackgroundWorkAdmin, ReadsAmountsAlike
from core.formatting import short_datetime
from core.forms import show_service_errors
from portfolio.models import (
    ConsortiumMember,
    Contact,
    Idea,
    IdeaImport,
    IdeaImportRun,
    Organisation,
    Region,
    RoadshowEvent,
    StageTransition,
    Theme,
)
from portfolio.permissions import can_view_contacts, owners_offered
from portfolio.services import (
    consortium_member_remove,
    consortium_member_save,
    idea_create,
    idea_update,
)

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
    # The same question the pages and the API ask, whatever model permissions the user holds.
    return can_view_contacts(request.user)


class RowRefused(ValidationError):
    """A service's refusal of one inline row; ``prefix`` is that row's form prefix."""

    def __init__(self, error: ValidationError, *, prefix: str) -> None:
        super().__init__(error)
        self.prefix = prefix


@contextmanager
def refused_at_row(prefix: str) -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        raise RowRefused(exc, prefix=prefix) from exc


# A service call for one inline row: (row, by) -> saved row.
Saver = Callable[[Any, Any], Any]


def save_with_services(
    request: HttpRequest,
    formset: BaseInlineFormSet,
    savers: dict[type[models.Model], Saver],
    removers: dict[type[models.Model], Saver],
) -> bool:
    """Save an inline formset through the model's service; False when there is none."""
    saver = savers.get(formset.model)
    if saver is None:
        return False
    # Funding records have no removal service (the pages never delete them): deleted as they are.
    remover = removers.get(formset.model, lambda obj, by: obj.delete())
    instances = formset.save(commit=False)
    rows = {id(form.instance): form.prefix for form in formset.forms}
    for obj in formset.deleted_objects:
        with refused_at_row(rows[id(obj)]):
            remover(obj, request.user)
    for obj in instances:
        with refused_at_row(rows[id(obj)]):
            saver(obj, request.user)
    formset.save_m2m()
    return True


# Set on the request while the refused submit is validated a second time.
REFUSAL = "service_refusal"


class RefusalOnForm:
    """A form that fails with the refusal a service gave the same submit."""

    service_refusal: ValidationError

    def _post_clean(self) -> None:
        super()._post_clean()
        show_service_errors(self, self.service_refusal)


class RefusalOnRow:
    """An inline formset that fails with the refusal a service gave one of its rows."""

    service_refusal: RowRefused

    def clean(self) -> None:
        super().clean()
        refusal = self.service_refusal
        for form in self.forms:
            if form.prefix != refusal.prefix:
                continue
            if form.cleaned_data.get("DELETE"):
                # A row marked for deletion shows no errors of its own: say it above the rows.
                raise ValidationError([f"{form.instance}: {text}" for text in refusal.messages])
            if hasattr(refusal, "error_dict") and self.fk.name in refusal.error_dict:
                # The row's link to the idea is a hidden field, whose errors are never shown.
                by_field = dict(refusal.error_dict)
                by_field[NON_FIELD_ERRORS] = [
                    *by_field.get(NON_FIELD_ERRORS, []),
                    *by_field.pop(self.fk.name),
                ]
                refusal = ValidationError(by_field)
            show_service_errors(form, refusal)


def showing_refusals(request: HttpRequest, view: Callable[..., HttpResponse], *args: Any):
    """Run a change form ``view``; when a service refuses while saving, show the same submit
    again with the refusal where it belongs.

    The forms check the models' rules, but a service may refuse for reasons only it knows,
    after the object or other rows were written. ``view`` runs in one transaction, so the
    refusal rolls back everything the submit wrote; the second run validates the submit with
    the refusal added, so it renders the errors and saves nothing.
    """
    try:
        return view(request, *args)
    except ValidationError as refusal:
        if request.method != "POST":
            raise
        setattr(request, REFUSAL, refusal)
        return view(request, *args)


class SavesThroughServices:
    """For the admins of models with services (on SimpleHistoryAdmin): a service's refusal
    is shown on the form, or as a message on the delete and action screens, with nothing
    saved. The admins call the services themselves (save_model, save_formset, delete_model)."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        # Django's changeform_view runs in a transaction of its own.
        view = super().changeform_view
        return showing_refusals(request, view, object_id, form_url, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        # The revert from the history page has no transaction of its own.
        view = transaction.atomic(using=router.db_for_write(self.model))(super().history_form_view)
        return showing_refusals(request, view, object_id, version_id, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, REFUSAL, None)
        if refusal is None or isinstance(refusal, RowRefused):
            return form
        return type(form.__name__, (RefusalOnForm, form), {"service_refusal": refusal})

    def get_formsets_with_inlines(self, request: HttpRequest, obj: Any = None):
        refusal = getattr(request, REFUSAL, None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if isinstance(refusal, RowRefused):
                formset = type(
                    formset.__name__, (RefusalOnRow, formset), {"service_refusal": refusal}
                )
            yield formset, inline

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        try:
            # Django's delete_view runs in a transaction of its own.
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=(object_id,),
                    current_app=self.admin_site.name,
                )
            )

    def response_action(
        self, request: HttpRequest, queryset: QuerySet, **kwargs: Any
    ) -> HttpResponse | None:
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset, **kwargs)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


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
    list_display = ("name_fi", "name_sv", "name_en", "slug", "source", "parent", "is_active")
    list_filter = ("is_active", "source")
    list_select_related = ("parent",)
    search_fields = ("name_fi", "name_sv", "name_en", "slug", "source")
    prepopulated_fields = {"slug": ("name_fi",)}
    autocomplete_fields = ("parent",)
    ordering = ("name_fi",)


class ContactsOnlyForContactViewers:
    """Contact persons are personal data: only users ``can_view_contacts`` lets see them on
    the pages see or change them here, whatever model permissions they were given."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_see_contacts(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return may_see_contacts(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_see_contacts(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_see_contacts(request) and super().has_delete_permission(request, obj)


class ContactInline(ContactsOnlyForContactViewers, admin.TabularInline):
    # Django shows an inline only to users with some permission on the inline's model, so
    # those who may not see contact persons never see these rows on an organisation.
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
class ContactAdmin(ContactsOnlyForContactViewers, admin.ModelAdmin):
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


class ConsortiumMemberInline(ReadsAmountsAlike, HidesContactField, admin.TabularInline):
    model = ConsortiumMember
    formset = ConsortiumMemberFormSet
    fields = ("organisation", "role", "status", "budget_share", "contact")
    autocomplete_fields = ("organisation", "contact")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation", "contact")


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
class IdeaAdmin(ReadsAmountsAlike, SavesThroughServices, SimpleHistoryAdmin):
    form = IdeaAdminForm
    list_display = ("title", "stage", "owner_name", "estimated_budget", "in_stage_since")
    list_filter = ("stage", "themes", "regions", ("owner", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("owner",)
    search_fields = ("title", "summary")
    autocomplete_fields = ("origin_event", "themes", "regions")
    readonly_fields = (*IDEA_STAGE_FIELDS, "version", "created_at", "updated_at")
    inlines = (ConsortiumMemberInline, StageTransitionInline)
    # The inline rows' services; funding's admin adds its own (funding/admin.py).
    service_savers: dict[type[models.Model], Saver] = {
        ConsortiumMember: lambda obj, by: consortium_member_save(member=obj, by=by),
    }
    service_removers: dict[type[models.Model], Saver] = {
        ConsortiumMember: lambda obj, by: consortium_member_remove(member=obj, by=by),
    }
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
            # service leaves the stage columns alone, and the admin's copy takes them as
            # stored so that the history row written with the change says the same.
            stored = Idea.objects.select_for_update().get(pk=obj.pk)
            for field in (*IDEA_STAGE_FIELDS, "version"):
                setattr(obj, field, getattr(stored, field))
            idea_update(
                idea=obj,
                by=request.user,
                themes=form.cleaned_data.get("themes"),
                regions=form.cleaned_data.get("regions"),
            )

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list, change: bool
    ) -> None:
        # The idea's themes and regions were saved with it by its service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if not save_with_services(
            request, formset, self.service_savers, self.service_removers
        ):
            super().save_formset(request, form, formset, change)

    def has_delete_permission(self, request: HttpRequest, obj: Idea | None = None) -> bool:
        # Deleting an idea would delete its append-only stage history; ideas are dropped instead.
        return False


@admin.register(ConsortiumMember)
class ConsortiumMemberAdmin(
    ReadsAmountsAlike, HidesContactField, SavesThroughServices, SimpleHistoryAdmin
):
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

    def delete_model(self, request: HttpRequest, obj: ConsortiumMember) -> None:
        consortium_member_remove(member=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for member in queryset:
            consortium_member_remove(member=member, by=request.user)

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


@admin.register(IdeaImportRun)
class IdeaImportRunAdmin(BackgroundWorkAdmin):
    list_display = ("upload", "action", "by", "problems", *BackgroundWorkAdmin.list_display[1:])
    list_select_related = ("upload", "by")
    exclude = ("result_html",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("upload__file", "result_html")
