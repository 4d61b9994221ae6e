from django.contrib import admin

from vuosikello import services
from vuosikello.models import CalendarEntry, ReminderSettings, SentReminder


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "starts_on", "starts_at", "region", "repeats_yearly"]
    list_filter = ["category", "region", "repeats_yearly"]
    search_fields = ["title", "description"]

    def save_model(self, request, obj, form, change):
        services.entry_save(entry=obj, by=request.user)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "reminders_on"]
    list_filter = ["reminders_on"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The record of mails sent: read here, written only by send_reminders."""

    list_display = ["user", "kind", "key", "created_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
