"""Forms of the organisation and contact person pages."""

from __future__ import annotations

from django import forms

from portfolio.models import Contact, Organisation, Region


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "business_id", "kind", "size", "region", "municipality", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A pasted Y-tunnus with spaces around it is longer than nine characters; the spaces
        # are stripped on saving, so the browser must not cut the number short.
        self.fields["business_id"].widget.attrs.pop("maxlength", None)
        self.fields["business_id"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "placeholder": "2252888-5"}
        )
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["website"].widget.attrs.setdefault("placeholder", "https://")


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}
