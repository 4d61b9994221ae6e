"""The network administrator's screens for funders, instruments, calls and funding records.

Applications and implementations are saved through ``funding.services`` so the admin
checks the same rules, and records the same history, as every other writer; when a service
refuses, the form shows why and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadsAmountsAlike
from core.formatting import short_datetime
from funding.models import (
    Funder,
    FundingApplication,
    FundingCall,
    FundingInstrument,
    Implementation,
)
from funding.services import application_delete, application_save, implementation_save
from portfolio import admin as portfolio_admin
from portfolio.admin import SavesThroughServices
from portfolio.models import Idea


class FundingInstrumentInline(admin.TabularInline):
    model = FundingInstrument
    fields = ("code", "name_fi", "level", "typical_max_rate", "is_active")
    extra = 0
    show_change_link = True


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ("name", "name_sv", "name_en", "level")
    list_filter = ("level",)
    search_fields = ("name", "name_sv", "name_en")
    inlines = (FundingInstrumentInline,)
    ordering = ("name",)


class FundingCallInline(admin.TabularInline):
    model = FundingCall
    fields = ("title", "opens", "deadline", "link")
    extra = 0
    ordering = ("-deadline",)


@admin.register(FundingInstrument)
class FundingInstrumentAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fi", "funder", "level", "typical_max_rate", "is_active")
    list_filter = ("level", "is_active", "funder")
    list_select_related = ("funder",)
    search_fields = ("code", "name_fi", "name_sv", "name_en", "funder__name")
    autocomplete_fields = ("funder",)
    fields = (
        ("code", "is_active"),
        "name_fi",
        "name_sv",
        "name_en",
        ("funder", "level"),
        ("typical_max_rate", "link"),
    )
    inlines = (FundingCallInline,)
    ordering = ("level", "name_fi")


@admin.register(FundingCall)
class FundingCallAdmin(admin.ModelAdmin):
    list_display = ("title", "instrument", "opens", "deadline_short")
    list_filter = ("instrument__level", "instrument")
    list_select_related = ("instrument",)
    search_fields = ("title", "instrument__code", "instrument__name_fi", "instrument__name_sv",
                     "instrument__name_en")
    autocomplete_fields = ("instrument",)
    date_hierarchy = "deadline"
    ordering = ("-deadline",)

    @admin.display(description=_("deadline"), ordering="deadline")
    def deadline_short(self, call: FundingCall) -> str:
        return short_datetime(call.deadline)


@admin.register(FundingApplication)
class FundingApplicationAdmin(ReadsAmountsAlike, SavesThroughServices, SimpleHistoryAdmin):
    list_display = (
        "idea",
        "instrument",
        "applicant",
        "status",
        "total_budget",
        "requested",
        "granted",
        "submitted_on",
        "decided_on",
    )
    list_filter = ("status", "instrument__level", "instrument")
    # __str__ of an application names its instrument and idea: both joined.
    list_select_related = ("idea", "instrument", "applicant")
    search_fields = ("idea__title", "applicant__name", "applicant__business_id", "reference")
    autocomplete_fields = ("idea", "instrument", "call", "applicant")
    date_hierarchy = "submitted_on"
    fieldsets = (
        (None, {"fields": ("idea", "instrument", "call", "applicant", "reference")}),
        (_("Money"), {"fields": ("total_budget", "requested", "granted")}),
        (_("Status"), {"fields": ("status", "submitted_on", "decided_on")}),
    )
    ordering = ("-submitted_on", "-created_at")

    def save_model(
        self, request: HttpRequest, obj: FundingApplication, form: ModelForm, change: bool
    ) -> None:
        application_save(application=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: FundingApplication) -> None:
        application_delete(application=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for application in queryset:
            application_delete(application=application, by=request.user)


@admin.register(Implementation)
class ImplementationAdmin(ReadsAmountsAlike, SavesThroughServices, SimpleHistoryAdmin):
    list_display = ("idea", "lead_organisation", "start", "end", "health", "total_budget")
    list_filter = ("health",)
    list_select_related = ("idea", "lead_organisation")
    search_fields = ("idea__title", "lead_organisation__name")
    autocomplete_fields = ("idea", "lead_organisation")
    date_hierarchy = "start"
    ordering = ("-start",)

    def save_model(
        self, request: HttpRequest, obj: Implementation, form: ModelForm, change: bool
    ) -> None:
        implementation_save(implementation=obj, by=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # One implementation per idea: once recorded, it stays with that idea.
        return ("idea",) if obj is not None else ()


# An idea's funding records inline on its admin page. Funding is above portfolio, so it
# extends the idea's admin here rather than portfolio naming funding's models.
class FundingApplicationInline(ReadsAmountsAlike, admin.StackedInline):
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


class ImplementationInline(ReadsAmountsAlike, admin.StackedInline):
    model = Implementation
    fields = (
        ("lead_organisation", "health"),
        ("start", "end", "final_report_date"),
        "total_budget",
    )
    autocomplete_fields = ("lead_organisation",)
    max_num = 1
    extra = 0


class IdeaAdmin(portfolio_admin.IdeaAdmin):
    inlines = (
        portfolio_admin.ConsortiumMemberInline,
        FundingApplicationInline,
        ImplementationInline,
        portfolio_admin.StageTransitionInline,
    )
    service_savers = {
        **portfolio_admin.IdeaAdmin.service_savers,
        FundingApplication: lambda obj, by: application_save(application=obj, by=by),
        Implementation: lambda obj, by: implementation_save(implementation=obj, by=by),
    }
    service_removers = {
        **portfolio_admin.IdeaAdmin.service_removers,
        FundingApplication: lambda obj, by: application_delete(application=obj, by=by),
    }


admin.site.unregister(Idea)
admin.site.register(Idea, IdeaAdmin)
