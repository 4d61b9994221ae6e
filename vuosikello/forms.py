"""The calendar entry form and the reminder settings form."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import date_input
from portfolio.models import Region
from vuosikello.models import STORED_CATEGORIES, CalendarEntry, ReminderSettings, site_zone


class CalendarEntryForm(forms.ModelForm):
    """A day, or a day and times in Helsinki time; the model stores days or UTC times."""

    start_date = forms.DateField(label=_("Date"), widget=date_input())
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for an all-day entry."),
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=date_input(),
        help_text=_("For an entry of several days."),
    )
    end_time = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    class Meta:
        model = CalendarEntry
        fields = ["title", "category", "region", "link", "description", "repeats_yearly"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Events, call deadlines and report due dates come from Salkku's own data.
        self.fields["category"].choices = [
            choice for choice in self.fields["category"].choices
            if choice[0] == "" or choice[0] in STORED_CATEGORIES
        ]
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["region"].empty_label = _("The whole network")
        entry = self.instance
        if entry.pk:
            start, end = entry.start, entry.end
            if entry.all_day:
                self.initial.update(start_date=start, end_date=end)
            else:
                self.initial.update(start_date=start.date(), start_time=start.time())
                if end:
                    self.initial.update(end_date=end.date(), end_time=end.time())

    def clean(self) -> dict:
        cleaned = super().clean()
        start_date, start_time = cleaned.get("start_date"), cleaned.get("start_time")
        end_date, end_time = cleaned.get("end_date"), cleaned.get("end_time")
        entry = self.instance
        if start_date is None:
            return cleaned
        if start_time is None:
            if end_time is not None:
                self.add_error("start_time", _("Give the start time too, or neither time."))
                return cleaned
            entry.starts_on, entry.starts_at = start_date, None
            entry.ends_on, entry.ends_at = end_date, None
            if end_date and end_date < start_date:
                self.add_error("end_date", _("The entry cannot end before it starts."))
            return cleaned
        zone = site_zone()
        entry.starts_on, entry.ends_on = None, None
        entry.starts_at = datetime.combine(start_date, start_time, tzinfo=zone)
        entry.ends_at = None
        if end_time is not None:
            entry.ends_at = datetime.combine(end_date or start_date, end_time, tzinfo=zone)
            if entry.ends_at < entry.starts_at:
                self.add_error("end_time", _("The entry cannot end before it starts."))
        elif end_date is not None and end_date < start_date:
            self.add_error("end_date", _("The entry cannot end before it starts."))
        elif end_date is not None:
            self.add_error("end_time", _("Give the end time of a timed entry that ends on another day."))
        return cleaned


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["reminders_on"]
