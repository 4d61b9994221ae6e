"""The consortium member form, and the form pieces the idea page's funding forms share with it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.forms import MoneyField, RuleCheckingForm, grouped_choices
from portfolio.models import ConsortiumMember, Contact, Organisation


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
