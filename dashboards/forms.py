"""The report form: a year and a quarter, or a from–to period, a language, and the project
manager's narrative; the plan's targets and the values entered for them."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import MoneyField, RuleCheckingForm, date_input
from dashboards.filters import QUARTERS, Period, dashboard_years
from dashboards.models import (
    NARRATIVE_FIELDS,
    NARRATIVE_MAX_LENGTH,
    ManualValue,
    Narrative,
    ReportRun,
    Target,
)
from dashboards.selectors.report import quarter_period


class NarrativeField(forms.CharField):
    """Plain text of at most NARRATIVE_MAX_LENGTH characters. Browsers send a textarea's line
    ends as CR LF: counted as one character, as the reader sees them, and stored as LF."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            required=False,
            max_length=NARRATIVE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


class ReportForm(forms.Form):
    """What a project manager asks for: a year and a quarter, or a from–to period; and the
    report's language."""

    year = forms.TypedChoiceField(
        label=_("Year"), choices=[("", "—")], coerce=int, required=False, empty_value=None
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[("", "—"), *QUARTERS], coerce=int, required=False,
        empty_value=None,
    )
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("To"), required=False, widget=date_input())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    highlights = NarrativeField(label=_("Highlights"))
    risks = NarrativeField(label=_("Risks"))
    plans = NarrativeField(label=_("Plans for the next quarter"))

    def __init__(self, *args, **kwargs) -> None:
        # The reports page also has the list's filters, with a year and a language of their
        # own: this form's ids differ, its field names (and the filters' URLs) do not.
        kwargs.setdefault("auto_id", "report_%s")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "—"), *dashboard_years()]

    def clean(self) -> dict:
        cleaned = super().clean()
        year, quarter = cleaned.get("year"), cleaned.get("quarter")
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if (year or quarter) and (start or end):
            raise forms.ValidationError(
                _("Give either a year and a quarter or a from–to period, not both.")
            )
        if year or quarter:
            if not year:
                self.add_error("year", _("Choose the year of the quarter."))
            if not quarter:
                self.add_error("quarter", _("Choose the quarter."))
            if year and quarter:
                self._quarter_has_ended(year, quarter)
        elif start or end:
            if not start:
                self.add_error("start", _("Give the first day of the period."))
            if not end:
                self.add_error("end", _("Give the last day of the period."))
            if start and end:
                self._period_has_ended(start, end)
        else:
            raise forms.ValidationError(
                _("Choose a year and a quarter, or give a from–to period.")
            )
        return cleaned

    def _quarter_has_ended(self, year: int, quarter: int) -> None:
        """A quarter still running is refused beside the quarter chosen. The report service
        refuses it too, but beside the end day of a from–to period."""
        end = quarter_period(year, quarter).end
        # Today has not ended either: its events and decisions may still be entered.
        if end >= timezone.localdate():
            self.add_error(
                "quarter",
                _("A report covers a period that has ended: %(period)s ends on %(end)s; "
                  "choose a quarter that has ended.")
                % {"period": f"Q{quarter}/{year}", "end": date_format(end, "SHORT_DATE_FORMAT")},
            )

    def _period_has_ended(self, start, end) -> None:
        """A from–to period is refused as a quarter is, beside its end day: the period ends on
        a day before today. (An end before the start is the service's to say.)"""
        if end >= timezone.localdate() and end >= start:
            self.add_error(
                "end",
                _("A report covers a period that has ended: %(period)s ends on %(end)s; "
                  "choose an end day before today.")
                % {
                    "period": "–".join(
                        date_format(day, "SHORT_DATE_FORMAT") for day in (start, end)
                    ),
                    "end": date_format(end, "SHORT_DATE_FORMAT"),
                },
            )

    @property
    def narrative(self) -> Narrative:
        """The narrative written; only for a valid form."""
        return Narrative(**{name: self.cleaned_data.get(name, "") for name in NARRATIVE_FIELDS})

    @property
    def narrative_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in NARRATIVE_FIELDS]

    @staticmethod
    def initial_from(run: ReportRun) -> dict:
        """The form filled as ``run`` was made: its period, language and narrative, to make
        it again (e.g. after a correction) or to start the next one from its words."""
        initial: dict = {"language": run.language}
        if run.quarter:
            initial |= {"year": run.year, "quarter": run.quarter}
        else:
            initial |= {"start": run.period_start, "end": run.period_end}
        return initial | {name: getattr(run, name) for name in NARRATIVE_FIELDS}

    @property
    def period(self) -> Period:
        """The chosen period; only for a valid form."""
        data = self.cleaned_data
        if data.get("year"):
            return quarter_period(data["year"], data["quarter"])
        return Period(data["start"], data["end"])


class NumberField(MoneyField):
    """A value typed as people type numbers (1 250 000,50 in Finnish): a count, euros or a
    multiple, depending on the indicator."""

    default_error_messages = {
        "invalid": _("Enter a number, for example 40 or 1250000.50."),
        "min_value": _("The value cannot be negative."),
    }


class TargetForm(RuleCheckingForm):
    class Meta:
        model = Target
        fields = ["indicator", "name", "target_value", "start_date", "target_date", "note"]
        field_classes = {"target_value": NumberField}
        widgets = {
            "start_date": date_input(),
            "target_date": date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "target_value": _("A count; euros for € applied and € granted; a multiple for "
                              "leverage (e.g. 3 for 3 ×)."),
        }


class ManualValueForm(RuleCheckingForm):
    class Meta:
        model = ManualValue
        fields = ["period_start", "period_end", "value", "note"]
        field_classes = {"value": NumberField}
        widgets = {
            "period_start": date_input(),
            "period_end": date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
