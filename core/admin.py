"""What every app's admin shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from core.forms import MoneyField


class ReadsAmountsAlike:
    """Amounts typed in the admin are read as on every other page (core.numbers): 12 500,50
    and 12,500.50 alike in every language, an amount that reads two ways refused. Euro and
    indicator values are the decimals with cents and room for millions; rates stay plain."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if (
            isinstance(db_field, models.DecimalField)
            and db_field.decimal_places == 2
            and db_field.max_digits >= 12
        ):
            kwargs["form_class"] = MoneyField
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class BackgroundWorkAdmin(admin.ModelAdmin):
    """Work done by the task worker, read-only: its status, steps and why it failed. The
    task itself, with its traceback, is under the admin's task results (django-tasks-db)."""

    list_display = ("__str__", "status", "step", "steps", "attempts", "created_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = (
        "status", "task_id", "step", "steps", "step_label", "error", "attempts", "language",
        "started_at", "finished_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
