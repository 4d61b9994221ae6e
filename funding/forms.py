"""Forms of the idea page's funding applications, decisions and implementation."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.formatting import percent_text
from core.forms import MoneyField, RuleCheckingForm, date_input, grouped_choices, narrow_by
from funding.models import (
    FundingApplication,
    FundingCall,
    FundingInstrument,
    Implementation,
)
from portfolio.models import Organisation

Status = FundingApplication.Status

# Approval and rejection are recorded on the decision page, where their dates and amounts are asked.
EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN)

MONEY_HELP = _("In euros, for example 125000 or 125000.50.")


def call_label(call: FundingCall) -> str:
    deadline = date_format(timezone.localdate(call.deadline), "SHORT_DATE_FORMAT")
    return _("%(title)s (deadline %(deadline)s)") % {"title": call.title, "deadline": deadline}


def instrument_label(instrument: FundingInstrument) -> str:
    if instrument.typical_max_rate is None:
        return instrument.name
    rate = instrument.typical_max_rate
    digits = 0 if rate == rate.to_integral_value() else 1
    return _("%(name)s (up to %(rate)s)") % {
        "name": instrument.name,
        "rate": percent_text(rate / 100, digits),
    }


def instruments_by_funder(instruments: list[FundingInstrument]) -> list[FundingInstrument]:
    """``instruments`` (in the dashboards' order: regional, national, EU, then by code) with each
    funder's together, funders in the order their first instrument comes: the regional
    council's AKKE first, then Business Finland, then the EU programmes."""
    first: dict[int, int] = {}
    for position, instrument in enumerate(instruments):
        first.setdefault(instrument.funder_id, position)
    return sorted(instruments, key=lambda instrument: first[instrument.funder_id])


class ApplicationForm(RuleCheckingForm):
    class Meta:
        model = FundingApplication
        fields = [
            "instrument",
            "call",
            "applicant",
            "reference",
            "total_budget",
            "requested",
            "status",
            "submitted_on",
        ]
        field_classes = {"total_budget": MoneyField, "requested": MoneyField}
        widgets = {"submitted_on": date_input()}
        help_texts = {
            "call": _("The call must belong to the chosen instrument."),
            "total_budget": MONEY_HELP,
            "requested": _("At most the total budget."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.instrument_id
        # An instrument retired after the application was made stays selectable on it.
        instrument = self.fields["instrument"]
        instrument.queryset = (
            FundingInstrument.objects.filter(Q(is_active=True) | Q(pk=current))
            .select_related("funder")
            .by_level()
        )
        ordered = instruments_by_funder(list(instrument.queryset))
        instrument.choices = grouped_choices(
            instrument,
            group=lambda i: i.funder.display_name,
            label=instrument_label,
            objects=ordered,
        )
        # The calls in the instruments' order, so each instrument's group stands where the
        # instrument does; latest deadline first within it.
        call = self.fields["call"]
        call.queryset = FundingCall.objects.filter(
            Q(instrument__is_active=True) | Q(instrument_id=current)
        )
        rank = {i.pk: position for position, i in enumerate(ordered)}
        calls = sorted(
            call.queryset.select_related("instrument").order_by("-deadline", "pk"),
            key=lambda c: rank.get(c.instrument_id, len(rank)),
        )
        call.choices = grouped_choices(
            call, group=lambda c: c.instrument.name, label=call_label, objects=calls
        )
        narrow_by(
            self,
            "call",
            "instrument",
            {str(c.pk): str(c.instrument_id) for c in calls},
            none_text=_("The chosen instrument has no calls here; leave the call empty."),
        )
        self.fields["applicant"].queryset = Organisation.objects.order_by("name")
        # Shown instead of "optional" beside the label.
        self.fields["submitted_on"].required_when = _("once submitted or withdrawn")

        status = self.fields["status"]
        allowed = [*EDITABLE_STATUSES]
        if self.instance.status in FundingApplication.DECIDED:
            allowed.append(self.instance.status)
            status.help_text = _(
                "Choosing another status clears the recorded decision; "
                "change the decision itself on the decision page."
            )
        status.choices = [(value, label) for value, label in Status.choices if value in allowed]


class DecisionForm(RuleCheckingForm):
    """The funder's decision: approved with a granted amount, or rejected."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Status.APPROVED, Status.APPROVED.label),
            (Status.REJECTED, Status.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = FundingApplication
        fields = ["outcome", "granted", "decided_on", "submitted_on"]
        field_classes = {"granted": MoneyField}
        widgets = {"decided_on": date_input(), "submitted_on": date_input()}
        help_texts = {
            "granted": _(
                "At most the requested amount. Not recorded when the application is rejected."
            ),
            "decided_on": _("Not before the submission date."),
            "submitted_on": _("The application has no submission date yet; give it here."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.status in FundingApplication.DECIDED:
            self.fields["outcome"].initial = self.instance.status
        # Shown instead of "optional" beside the label.
        self.fields["granted"].required_when = _("when approved")
        needed = ["decided_on"]
        if self.instance.submitted_on:
            # Shown as text on the page; it is changed on the application's own form.
            del self.fields["submitted_on"]
        else:
            needed.append("submitted_on")
        # Every decision has a date, and a decided application a submission date: shown as
        # required (to screen readers too), while the model's rules ask for them in their
        # own words, as they do for the API.
        for name in needed:
            self.fields[name].shown_as_required = True
            self.fields[name].widget.attrs["required"] = True

    def clean(self) -> dict:
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Status.REJECTED:
            # A rejection records no granted amount (the model clears it), so whatever was
            # typed there is no reason to refuse it.
            self.errors.pop("granted", None)
        # The decision fields are checked, and cleared where the outcome has none, by the
        # model, as for the API and the admin.
        if outcome:
            self.instance.status = outcome
        return cleaned


class ImplementationForm(RuleCheckingForm):
    class Meta:
        model = Implementation
        fields = [
            "lead_organisation",
            "start",
            "end",
            "total_budget",
            "health",
            "final_report_date",
        ]
        field_classes = {"total_budget": MoneyField}
        widgets = {name: date_input() for name in ("start", "end", "final_report_date")}
        help_texts = {
            "end": _("Not before the start. Needed before the idea can be marked completed."),
            "total_budget": MONEY_HELP,
            "final_report_date": _("Not before the start."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.order_by("name")
