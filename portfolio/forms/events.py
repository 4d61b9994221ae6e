"""Forms of the roadshow event pages."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models import localized_column
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
            Lower(localized_column("name"))
        )
        for name in ("participants_onsite", "participants_online"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

