"""Importing ideas and organisations from an Excel workbook: the template to fill in, the
upload, the preview of every problem and of what would be created, and the confirmation
that writes every row or none. Project managers only."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import manager_required
from core.formatting import user_display
from core.forms import save_through_service
from portfolio.forms.imports import XLSX, IdeaImportForm
from portfolio.imports import services
from portfolio.imports.template import write_template
from portfolio.models import IdeaImport, IdeaImportRun

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
            _start(request, record, IdeaImportRun.Action.CHECK)
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
        ideas = list(upload.ideas.select_related("owner").order_by("title"))
        organisations = list(upload.organisations.order_by("name"))
        return render(
            request,
            "portfolio/import_result.html",
            {
                "upload": upload,
                "ideas": ideas,
                "organisations": organisations,
                "summary": _imported_message(len(ideas), len(organisations)),
            },
        )
    # The latest check or confirmation, and the latest that found something to show.
    runs = upload.runs.defer("result_html").order_by("-created_at", "-pk")
    run = runs.first()
    last_check = (
        upload.runs.filter(status=IdeaImportRun.Status.SUCCEEDED, imported=False)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is not None and run.action == IdeaImportRun.Action.CONFIRM and run.is_active:
        last_check = None  # the confirmation checks again; its own result will follow
    return render(
        request,
        "portfolio/import_preview.html",
        {
            "upload": upload,
            "run": run,
            "last_check": last_check,
            "earlier": services.imports_of_same_file(upload),
        },
    )


@manager_required
@require_POST
def idea_import_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the upload again, against Salkku as it is now."""
    upload = get_object_or_404(IdeaImport, pk=pk)
    _start(request, upload, IdeaImportRun.Action.CHECK)
    return redirect("idea-import-detail", pk=upload.pk)


@manager_required
@require_POST
def idea_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the import of the upload: the worker checks it once more and keeps every row
    or none."""
    upload = get_object_or_404(IdeaImport, pk=pk)
    _start(request, upload, IdeaImportRun.Action.CONFIRM)
    return redirect("idea-import-detail", pk=upload.pk)


@manager_required
@require_POST
def idea_import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(IdeaImportRun.objects.select_related("upload"), pk=pk)
    try:
        if services.idea_import_run_retry(run=run, by=request.user):
            messages.success(request, _("It was queued to be done again."))
    except services.ImportBusy:
        messages.info(request, _BUSY())
    return redirect("idea-import-detail", pk=run.upload_id)


def _BUSY() -> str:
    return _("This file is being checked or imported already; nothing was started a second "
             "time.")


def _start(request: HttpRequest, upload: IdeaImport, action: str) -> None:
    try:
        services.idea_import_run_start(
            upload=upload, action=action, by=request.user, language=get_language()
        )
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
    except services.ImportBusy:
        messages.info(request, _BUSY())


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
