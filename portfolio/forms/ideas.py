"""Forms of the idea pages: create and edit an idea, move it to another stage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import (
    MoneyField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)
from portfolio.models import Idea, Region, RoadshowEvent
from portfolio.permissions import owners_offered
from portfolio.selectors.ideas import themes_offered
from portfolio.stages import Stage


class OwnerChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class IdeaForm(forms.ModelForm):
    """Title, summary, owner, origin event, themes, regions and budget. The stage is not
    here: it changes only through a move."""

    class Meta:
        model = Idea
        fields = [
            "title",
            "summary",
            "owner",
            "origin_event",
            "themes",
            "regions",
            "estimated_budget",
        ]
        field_classes = {
            "owner": OwnerChoiceField,
            "origin_event": SafeModelChoiceField,
            "themes": SafeModelMultipleChoiceField,
            "regions": SafeModelMultipleChoiceField,
            "estimated_budget": MoneyField,
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "owner": _("The project manager who takes the idea forward."),
            "origin_event": _("The roadshow event where the idea was born, if any."),
            "estimated_budget": _("In euros, for example 150000 or 150 000,00."),
        }

    # Asked only of a new idea whose title another idea has; shown with the warning.
    create_anyway = forms.BooleanField(
        label=_("Create anyway: this is a different idea with the same title"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The ideas a new idea's title matches; the page links to each.
        self.same_title: list[Idea] = []
        self.fields["owner"].queryset = owners_offered(self.instance)
        self.fields["origin_event"].queryset = RoadshowEvent.objects.order_by("-date", "title")
        self.fields["regions"].queryset = Region.objects.order_by("code")
        self.fields["themes"].queryset = themes_offered(self.instance)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        title = cleaned.get("title")
        if self.instance._state.adding and title:
            self.same_title = Idea.objects.same_title(title)
            if self.same_title and not cleaned.get("create_anyway"):
                self.add_error(
                    "title",
                    ValidationError(
                        _(
                            "An idea with this title is already in Salkku. Check it first; "
                            "if yours is a different idea, tick “Create anyway”."
                        ),
                        code="same_title",
                    ),
                )
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned values as the keyword arguments of ``services.idea_create``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class IdeaMoveForm(forms.Form):
    """A stage move as the idea page and the board send it."""

    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    expected_stage = forms.ChoiceField(
        label=_("Stage you saw"), choices=Stage.choices, required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)

    def reasons(self) -> list[str]:
        """The form's errors as plain sentences, for a message or the board's JSON answer."""
        reasons = []
        for field, errors in self.errors.items():
            label = self.fields[field].label if field != NON_FIELD_ERRORS else ""
            reasons.extend(f"{label}: {error}" if label else str(error) for error in errors)
        return reasons
