"""Stored reports in the admin: read-only, since a report is kept as it was delivered. The
administrator may delete one (a report made by mistake); new ones come from /reports/."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.formatting import short_datetime
from dashboards.models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("__str__", "language", "created_by", "made", "size", "sha256")
    list_filter = ("language", "year", "quarter")
    exclude = ("content",)
    readonly_fields = (
        "kind", "period_start", "period_end", "year", "quarter", "language", "created_by",
        "sha256", "size",
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("content").select_related("created_by")

    @admin.display(description=ReportRun._meta.get_field("created_at").verbose_name,
                   ordering="created_at")
    def made(self, run: ReportRun) -> str:
        return short_datetime(run.created_at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ReportRun | None = None) -> bool:
        return False
