"""The upload form of the spreadsheet import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IdeaImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(size)s and %(rows)s rows. Nothing is saved before you have seen the "
            "preview and confirmed it."
        ) % {
            "size": filesizeformat(settings.IMPORT_MAX_BYTES),
            "rows": settings.IMPORT_MAX_ROWS,
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked on the size Django counted while receiving, before anything reads the file.
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(limit)s can be imported at a time.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        return upload
