from django.contrib import admin

from vuosikello.models import CalendarEntry, ReminderSettings, SentReminder


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "starts_on", "starts_at", "region", "repeats_yearly"]
    list_filter = ["category", "region", "repeats_yearly"]
    search_fields = ["title", "description"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "reminders_on"]
    list_filter = ["reminders_on"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "key", "sent_at"]
    list_filter = ["kind"]
    readonly_fields = ["user", "kind", "key", "sent_at"]
