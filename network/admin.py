"""The administrator's screens for platforms and development needs; saves go through the
same services as the pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from network.models import DevelopmentNeed, Platform
from network.services import need_save, platform_save


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "host_organisation", "region", "is_active")
    list_filter = ("kind", "is_active", "region", "themes")
    list_select_related = ("host_organisation", "region")
    search_fields = ("name", "description", "host_organisation__name")
    autocomplete_fields = ("host_organisation", "region", "themes", "ideas")
    readonly_fields = ("created_at", "updated_at")
    ordering = ("name",)

    def save_model(self, request: HttpRequest, obj: Platform, form, change: bool) -> None:
        platform_save(platform=obj, by=request.user)


@admin.register(DevelopmentNeed)
class DevelopmentNeedAdmin(admin.ModelAdmin):
    list_display = ("__str__", "theme", "status", "addressed_to", "raised_at", "created_at")
    list_filter = ("status", "addressed_to", "theme")
    list_select_related = ("theme", "raised_at")
    search_fields = ("need", "addressed_to_other")
    autocomplete_fields = ("theme", "raised_at")
    readonly_fields = ("created_by", "created_at", "updated_at")

    def save_model(self, request: HttpRequest, obj: DevelopmentNeed, form, change: bool) -> None:
        need_save(need=obj, by=request.user)
