"""Importing ideas and organisations from an Excel workbook: the template to fill in, the
upload, the preview of every problem and of what would be created, and the confirmation
that writes every row or none. Project managers only."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import manager_required
from core.formatting import user_display
from core.forms import save_through_service
from portfolio.forms.imports import XLSX, IdeaImportForm
from portfolio.imports import services
from portfolio.imports.reading import ImportRefused
from portfolio.imports.template import write_template
from portfolio.models import IdeaImport

RECENT_IMPORTS = 10


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def idea_import(request: HttpRequest) -> HttpResponse:
    form = IdeaImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = save_through_service(
            form,
            lambda: services.idea_import_upload(
                filename=upload.name, data=upload.read(), by=request.user
            ),
        )
        if record is not None:
            return redirect("idea-import-detail", pk=record.pk)
    recent = (
        IdeaImport.objects.filter(status=IdeaImport.Status.IMPORTED)
        .select_related("by")
        .defer("file")[:RECENT_IMPORTS]
    )
    return render(request, "portfolio/import_upload.html", {"form": form, "recent": recent})


@manager_required
@require_http_methods(["GET", "HEAD"])
def idea_import_template(request: HttpRequest) -> HttpResponse:
    out = BytesIO()
    write_template(out, user=request.user)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename="salkku-import.xlsx", content_type=XLSX
    )


@manager_required
@require_http_methods(["GET", "HEAD"])
def idea_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(IdeaImport.objects.select_related("by"), pk=pk)
    if upload.status == IdeaImport.Status.IMPORTED:
        return render(
            request,
            "portfolio/import_result.html",
            {
                "upload": upload,
                "ideas": upload.ideas.select_related("owner").order_by("title"),
                "organisations": upload.organisations.order_by("name"),
            },
        )
    refused = outcome = None
    try:
        outcome = services.preview(upload, by=request.user)
    except ImportRefused as exc:
        refused = exc.message
    return render(
        request,
        "portfolio/import_preview.html",
        {
            "upload": upload,
            "outcome": outcome,
            "refused": refused,
            "earlier": services.imports_of_same_file(upload),
        },
    )


@manager_required
@require_POST
def idea_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(IdeaImport, pk=pk)
    try:
        outcome = services.idea_import_confirm(upload=upload, by=request.user)
    except services.AlreadyImported as already:
        messages.info(
            request,
            _("This file was already imported on %(when)s by %(who)s; nothing was imported "
              "again.")
            % {
                "when": date_format(
                    timezone.localtime(already.upload.imported_at), "SHORT_DATETIME_FORMAT"
                ),
                "who": user_display(already.upload.by),
            },
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if outcome.written:
            messages.success(request, _imported_message(len(outcome.ideas),
                                                        len(outcome.organisations)))
        else:
            messages.error(
                request,
                _("Nothing was imported: the file has problems now. They are listed below."),
            )
    return redirect("idea-import-detail", pk=upload.pk)


@manager_required
@require_POST
def idea_import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(IdeaImport, pk=pk)
    if upload.status == IdeaImport.Status.PENDING:
        services.idea_import_discard(upload=upload, by=request.user)
        messages.success(request, _("The uploaded file was discarded; nothing was imported."))
        return redirect("idea-import")
    return redirect("idea-import-detail", pk=upload.pk)


def _imported_message(ideas: int, organisations: int) -> str:
    return " ".join(
        (
            ngettext("%(count)s idea was imported.", "%(count)s ideas were imported.", ideas)
            % {"count": ideas},
            ngettext(
                "%(count)s organisation was created.",
                "%(count)s organisations were created.",
                organisations,
            )
            % {"count": organisations},
        )
    )
