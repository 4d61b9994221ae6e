"""Forms of the roadshow event pages."""

from __future__ import annotations

from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portfolio.models import Organisation, Region, RoadshowEvent, Theme


class EventForm(forms.ModelForm):
    class Meta:
        model = RoadshowEvent
        fields = [
            "title",
            "date",
            "host_region",
            "city",
            "venue",
            "format",
            "host_organisation",
            "participants_onsite",
            "participants_online",
            "organisations",
            "themes",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "organisations": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_region"].queryset = Region.objects.order_by("code")
        organisations = Organisation.objects.order_by("name")
        self.fields["host_organisation"].queryset = organisations
        self.fields["organisations"].queryset = organisations
        self.fields["organisations"].help_text = _(
            "Tick each organisation that took part; the list scrolls."
        )
        # Retired themes are not offered for new events, but an event keeps those it has.
        themes = Q(is_active=True)
        if self.instance.pk:
            themes |= Q(pk__in=self.instance.themes.values("pk"))
        self.fields["themes"].queryset = Theme.objects.filter(themes).order_by(
            Lower(_localized_theme_name())
        )
        for name in ("participants_onsite", "participants_online"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})


def _localized_theme_name():
    """The theme name the user sees, so the checkboxes are in alphabetical order."""
    if (get_language() or "fi").startswith("en"):
        return Coalesce(NullIf(F("name_en"), Value("")), F("name_fi"))
    return F("name_fi")
