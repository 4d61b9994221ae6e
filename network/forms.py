"""Forms of the platform pages, the development needs, and the platforms an idea plans to use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import SafeModelChoiceField, SafeModelMultipleChoiceField
from network.models import DevelopmentNeed, Platform
from network.selectors import platforms_offered
from portfolio.models import Idea, Organisation, Region, RoadshowEvent, Theme


def _themes_for(current: Q) -> QuerySet[Theme]:
    """Active themes, and any retired one the record already has."""
    return Theme.objects.filter(Q(is_active=True) | current).distinct().order_by("name_fi")


class PlatformForm(forms.ModelForm):
    class Meta:
        model = Platform
        fields = [
            "name",
            "kind",
            "host_organisation",
            "region",
            "link",
            "themes",
            "description",
            "access_terms",
            "is_active",
        ]
        field_classes = {
            "host_organisation": SafeModelChoiceField,
            "region": SafeModelChoiceField,
            "themes": SafeModelMultipleChoiceField,
        }
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "access_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["host_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["region"].required = False
        self.fields["region"].help_text = _("Leave empty to use the host organisation's region.")
        current = Q(platforms=self.instance) if self.instance.pk else Q(pk__in=[])
        self.fields["themes"].queryset = _themes_for(current)
        self.fields["link"].widget.attrs.setdefault("placeholder", "https://")


class NeedForm(forms.ModelForm):
    class Meta:
        model = DevelopmentNeed
        fields = ["need", "theme", "raised_at", "addressed_to", "addressed_to_other", "status"]
        field_classes = {"theme": SafeModelChoiceField, "raised_at": SafeModelChoiceField}
        widgets = {"need": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"need": _("What the theme group needs, in words a national body acts on.")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        current = Q(pk=self.instance.theme_id) if self.instance.theme_id else Q(pk__in=[])
        self.fields["theme"].queryset = _themes_for(current)
        self.fields["raised_at"].queryset = RoadshowEvent.objects.order_by("-date", "title")
        self.fields["addressed_to"].choices = [("", _("Not decided yet"))] + list(
            DevelopmentNeed.Body.choices
        )


class IdeaPlatformsField(SafeModelMultipleChoiceField):
    """A choice of platforms, each named with its host organisation."""

    def label_from_instance(self, obj: Platform) -> str:
        return f"{obj.name} ({obj.host_organisation.name})"


class IdeaPlatformsForm(forms.Form):
    """The platforms ``idea`` plans to use: the available ones, and any it already names."""

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["platforms"] = IdeaPlatformsField(
            queryset=platforms_offered(idea),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Platforms it plans to use"),
            help_text=_("Shared test environments, pilot lines, laboratories or data platforms."),
            initial=list(idea.platforms.values_list("pk", flat=True)),
        )
