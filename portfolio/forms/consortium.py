"""The consortium member form, and the form pieces the idea page's funding forms share with it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import groupby

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models
from django.utils.translation import gettext_lazy as _

from portfolio.forms.common import MoneyField, date_input
from portfolio.models import ConsortiumMember, Contact, Organisation

def grouped_choices(
    field: forms.ModelChoiceField,
    group: Callable[[models.Model], str],
    label: Callable[[models.Model], str],
) -> list[tuple]:
    """The field's choices in <optgroup>s; its queryset must already be ordered by group."""
    choices: list[tuple] = [("", field.empty_label)]
    objects: Iterable[models.Model] = field.queryset
    for name, members in groupby(objects, key=group):
        choices.append((name, [(obj.pk, label(obj)) for obj in members]))
    return choices


class RuleCheckingForm(forms.ModelForm):
    """A ModelForm that reports every rule of its model in one round, each beside its field.

    Django skips constraints that involve fields missing from the form; here the instance
    carries those values (the idea, the amounts already recorded), so a second lead or a
    granted amount above the request is reported together with the other mistakes instead
    of only after they are fixed. The service checks everything again when saving.
    """

    def _fields_in_error(self) -> set[str]:
        return {name for name in self.errors if name != NON_FIELD_ERRORS}

    def validate_unique(self) -> None:
        try:
            self.instance.validate_unique(exclude=self._fields_in_error())
        except ValidationError as exc:
            self.add_error(None, exc)

    def validate_constraints(self) -> None:
        try:
            self.instance.validate_constraints(exclude=self._fields_in_error())
        except ValidationError as exc:
            self.add_error(None, exc)

    def add_error(self, field: str | None, error) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if field is None and hasattr(error, "error_dict"):
            placed: dict[str, list[ValidationError]] = {}
            for name, errors in error.error_dict.items():
                # A rule about a field this form does not show is reported above the form.
                target = name if name in self.fields else NON_FIELD_ERRORS
                if target != NON_FIELD_ERRORS and target in self.errors:
                    # The field's own error comes first; Model.clean() would only repeat it
                    # in other words (a value the field refused looks missing to the model).
                    continue
                shown = set(self.errors.get(target, ()))
                fresh = [e for e in errors if not set(e.messages) <= shown]
                placed.setdefault(target, []).extend(fresh)
            placed = {name: errors for name, errors in placed.items() if errors}
            if not placed:
                return
            error = ValidationError(placed)
        super().add_error(field, error)


def save_or_show_errors(form: forms.BaseForm, save: Callable[[], object]) -> bool:
    """Run a service write; when it refuses, show why on the form. True when it saved."""
    try:
        save()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    except IntegrityError:
        # Validation passed but the database refused: another user saved a clashing row
        # between our check and our write. The service's transaction has rolled back.
        form.add_error(
            None,
            _(
                "Someone else saved a conflicting change at the same moment. "
                "Check the values and save again."
            ),
        )
        return False
    return True


def contact_label(contact: Contact) -> str:
    return f"{contact.name} — {contact.title}" if contact.title else contact.name


class MemberForm(RuleCheckingForm):
    """A consortium membership; a second lead or a repeated organisation is named at its field."""

    class Meta:
        model = ConsortiumMember
        fields = ["organisation", "role", "status", "budget_share", "contact"]
        field_classes = {"budget_share": MoneyField}
        help_texts = {
            "role": _("A consortium has at most one lead organisation."),
            "budget_share": _("In euros, for example 125000 or 125000.50."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        contact = self.fields["contact"]
        if self.instance.organisation_id:
            contact.queryset = Contact.objects.filter(
                organisation_id=self.instance.organisation_id
            ).order_by("name")
            contact.label_from_instance = contact_label
            contact.help_text = _(
                "People of %(organisation)s. To name someone from another organisation, "
                "change the organisation and save first."
            ) % {"organisation": self.instance.organisation}
        else:
            contacts = Contact.objects.select_related("organisation").order_by(
                "organisation__name", "organisation_id", "name"
            )
            contact.queryset = contacts
            contact.choices = grouped_choices(
                contact, group=lambda c: c.organisation.name, label=contact_label
            )
            contact.help_text = _(
                "Grouped by organisation; pick someone from the member organisation."
            )
