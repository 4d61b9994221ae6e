"""Stored reports in the admin: read-only, since a report is kept as it was delivered. The
administrator may delete one (a report made by mistake); new ones come from /reports/.
The plan's targets and their entered values, saved through the targets' services."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import BackgroundWorkAdmin, ReadsAmountsAlike
from core.formatting import short_datetime
from dashboards import services
from dashboards.models import ManualValue, ReportMailing, ReportRequest, ReportRun, Target


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("__str__", "language", "created_by", "made", "with_narrative", "size", "sha256")
    list_filter = ("language", "year", "quarter")
    exclude = ("content", "pdf")
    readonly_fields = (
        "kind", "period_start", "period_end", "year", "quarter", "language", "created_by",
        "sha256", "size", "pdf_sha256", "pdf_size", "highlights", "risks", "plans",
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("content", "pdf").select_related("created_by")

    @admin.display(description=_("narrative"), boolean=True)
    def with_narrative(self, run: ReportRun) -> bool:
        return run.has_narrative

    @admin.display(description=ReportRun._meta.get_field("created_at").verbose_name,
                   ordering="created_at")
    def made(self, run: ReportRun) -> str:
        return short_datetime(run.created_at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportRun | None = None) -> bool:
        return False


@admin.register(ReportMailing)
class ReportMailingAdmin(admin.ModelAdmin):
    """The record of reports mailed: read here, written only by ``quarterly_report --mail``.
    Deleting a row lets the next run mail that period again."""

    list_display = (
        "period_start", "period_end", "language", "recipients", "claimed", "sent", "forced",
    )
    list_filter = ("language", "forced")
    readonly_fields = (
        "kind", "period_start", "period_end", "language", "run", "recipients", "forced",
        "created_at", "sent_at",
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("run").defer(
            "run__content", "run__pdf"
        )

    @admin.display(description=_("claimed"), ordering="created_at")
    def claimed(self, mailing: ReportMailing) -> str:
        return short_datetime(mailing.created_at)

    @admin.display(description=ReportMailing._meta.get_field("sent_at").verbose_name,
                   ordering="sent_at")
    def sent(self, mailing: ReportMailing) -> str:
        return short_datetime(mailing.sent_at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ReportMailing | None = None
    ) -> bool:
        return False
@admin.register(Target)
class TargetAdmin(ReadsAmountsAlike, admin.ModelAdmin):
    """The plan's targets. Saved through the same service as the targets page, so the admin
    refuses what the page refuses."""

    list_display = ("__str__", "indicator", "target_value", "start_date", "target_date")
    list_filter = ("indicator",)

    def save_model(self, request: HttpRequest, obj: Target, form, change: bool) -> None:
        services.target_save(target=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Target) -> None:
        services.target_delete(target=obj, by=request.user)


@admin.register(ManualValue)
class ManualValueAdmin(ReadsAmountsAlike, admin.ModelAdmin):
    list_display = ("target", "__str__", "value")
    list_filter = ("target",)
    list_select_related = ("target",)

    def save_model(self, request: HttpRequest, obj: ManualValue, form, change: bool) -> None:
        services.manual_value_save(value=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: ManualValue) -> None:
        services.manual_value_delete(value=obj, by=request.user)


@admin.register(ReportRequest)
class ReportRequestAdmin(BackgroundWorkAdmin):
    list_display = ("period_start", "period_end", "language", "created_by",
                    *BackgroundWorkAdmin.list_display[1:])
    list_select_related = ("created_by",)
