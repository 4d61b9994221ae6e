from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accessibility.models import AccessibilityFeedback, AccessibilityStatement, KnownGap


class KnownGapInline(admin.StackedInline):
    model = KnownGap
    extra = 0
    fields = ["order", "reason", "criteria", "text_fi", "text_sv", "text_en"]


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(admin.ModelAdmin):
    """The one statement: edited, never added or deleted (a migration creates it)."""

    inlines = [KnownGapInline]
    fieldsets = [
        (None, {"fields": ["provider", "conformance", "feedback_email"]}),
        (_("Assessment"), {"fields": ["assessed_on", "method_fi", "method_sv", "method_en"]}),
        (
            _("Supervisory authority"),
            {
                "fields": [
                    "authority_fi", "authority_sv", "authority_en",
                    "authority_url", "authority_email", "authority_phone",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # A list of one row is a detour: the administrator lands on the statement itself.
        if AccessibilityStatement.objects.filter(pk=1).exists():
            return redirect(reverse("admin:accessibility_accessibilitystatement_change", args=[1]))
        return super().changelist_view(request, extra_context)


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    """Feedback as it was sent; the administrator only marks it handled."""

    list_display = ["__str__", "page", "email", "language", "created_at", "handled"]
    list_filter = ["handled", "language"]
    search_fields = ["message", "page", "email"]
    readonly_fields = ["message", "page", "email", "language", "created_at"]
    fields = ["message", "page", "email", "language", "created_at", "handled"]

    def has_add_permission(self, request):
        return False
