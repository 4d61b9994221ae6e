"""The consortium member form, and the form pieces the idea page's funding forms share with it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.forms import MoneyField, RuleCheckingForm, grouped_choices, narrow_by
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
        # Every organisation's people, grouped, each carrying its organisation: the page's
        # script offers only the chosen organisation's as it is chosen (on an edit too, so the
        # organisation and its contact change in one save); without scripts the groups guide,
        # and the model refuses a contact of another organisation.
        contacts = list(
            Contact.objects.select_related("organisation").order_by(
                "organisation__name", "organisation_id", "name"
            )
        )
        contact.choices = grouped_choices(
            contact, group=lambda c: c.organisation.name, label=contact_label, objects=contacts
        )
        contact.help_text = _("Only the people of the chosen organisation are offered.")
        narrow_by(
            self,
            "contact",
            "organisation",
            {str(c.pk): str(c.organisation_id) for c in contacts},
            none_text=_(
                "The chosen organisation has no contact persons yet; leave this empty or "
                "add one on the organisation's page."
            ),
        )
