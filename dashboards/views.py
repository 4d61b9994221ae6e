"""The funders' dashboard: every panel over the same filters, and each panel's data as xlsx;
the stored quarterly reports; and the plan's targets."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import is_manager, manager_required, viewer_required
from core.filters import download_name, is_filtered
from core.formatting import percent_text, share_of
from core.forms import save_through_service
from core.lists import list_page
from core.security_log import security_event
from core.spreadsheets import table_workbook
from core.views import form_page
from dashboards import report_pdf, services
from dashboards.charts import targets as target_chart
from dashboards.charts.balance import METRIC_LABELS
from dashboards.filters import ReportRunFilter, dashboard_filter
from dashboards.forms import ManualValueForm, ReportForm, TargetForm
from dashboards.models import ManualValue, ReportRequest, ReportRun, Target
from dashboards.panels import PANELS, PANELS_BY_KEY, panel_tables, render_panel
from dashboards.selectors import DashboardData
from dashboards.selectors.leverage import window_keys
from dashboards.selectors.region_page import region_page
from dashboards.selectors.targets import target_progress
from funding.selectors import region_share_rule
from portfolio.models import Region
from portfolio.selectors.outcomes import WINDOW_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filterset = dashboard_filter(request.GET)
    valid = not filterset.is_bound or filterset.is_valid()
    panels = []
    targets = []
    regions = []
    partner_regions = []
    if valid:
        data = DashboardData.from_filter(filterset)
        panels = [render_panel(panel, data, request.GET) for panel in PANELS]
        # The plan's targets are the whole network's: as at the period's end, unfiltered.
        targets = [(row, target_chart.row_text(row)) for row in target_progress(data.period.as_at)]
        # The filter form lists the themes, regions and instruments the charts already read.
        fields = filterset.form.fields
        fields["theme"].widget.choices = [(t.pk, t.name) for t in data.themes]
        fields["region"].widget.choices = [(r.pk, r.name) for r in data.regions]
        regions = data.regions
        # One click sets the region filter to the network's partner regions.
        partner_regions = [r.pk for r in data.regions if r.code in settings.NETWORK_REGIONS]
        fields["instrument"].widget.choices = [("", fields["instrument"].empty_label)] + [
            (i.pk, i.name) for i in data.instruments
        ]
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "filter": filterset,
            "filter_invalid": not valid,
            "is_filtered": filterset.is_bound and is_filtered(filterset),
            "period": filterset.period,
            "panels": panels,
            "targets": targets,
            "target_headers": target_chart.headers(),
            "target_definition": target_chart.definition(filterset.period.as_at),
            "regions": regions,  # linked to their own pages from the regions panel
            "partner_regions": partner_regions,
            "metrics": [(metric, label()) for metric, label in METRIC_LABELS.items()],
            "windows": [(key, WINDOW_LABELS[key]) for key in window_keys()],
        },
    )


@viewer_required
def panel_download(request: HttpRequest, key: str) -> HttpResponse:
    panel = PANELS_BY_KEY.get(key)
    if panel is None:
        raise Http404
    filterset = dashboard_filter(request.GET)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Correct the filters before downloading; nothing was downloaded."))
        return redirect(f"{reverse('dashboard')}?{request.GET.urlencode()}")
    table, comparison = panel_tables(panel, DashboardData.from_filter(filterset), request.GET)
    # Under a chosen period the comparison follows on a sheet of its own.
    more = [(_("Comparison"), comparison.table())] if comparison is not None else []
    out = tempfile.TemporaryFile()
    title = str(panel.title)
    table_workbook(title, table, out, heading=filterset.heading(title), more=more)
    out.seek(0)
    # The name says what the file holds, not the day it was downloaded.
    filename = download_name("salkku", key.replace("_", "-"), filterset.slug())
    security_event(request, "export", object=f"dashboard:{key}", file=filename)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@viewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """The stored reports, and for project managers the form that makes a new one."""
    form = None
    if is_manager(request.user):
        form = ReportForm(
            request.POST if request.method == "POST" else None,
            initial=_report_form_initial(request),
        )
        if request.method == "POST" and form.is_valid():
            try:
                queued = save_through_service(
                    form,
                    lambda: services.report_request(
                        period=form.period,
                        language=form.cleaned_data["language"],
                        by=request.user,
                        narrative=form.narrative,
                    ),
                )
            except services.ReportAlreadyQueued as already:
                messages.info(request, _(
                    "This report is already being made; it was not started a second time."
                ))
                return redirect("report-request", pk=already.request.pk)
            if queued is not None:
                return redirect("report-request", pk=queued.pk)
    elif request.method == "POST":
        raise PermissionDenied
    filterset = ReportRunFilter(request.GET or None, queryset=ReportRun.objects.listed())
    listed = list_page(request, filterset)
    # The user's own reports still being made, or that failed, above the stored ones.
    pending = (
        list(ReportRequest.objects.shown_to(request.user)[:RECENT_REQUESTS])
        if form is not None else []
    )
    return render(
        request,
        "dashboards/report_list.html",
        listed.context(form=form, languages=dict(settings.LANGUAGES), pending=pending),
    )


RECENT_REQUESTS = 5


@manager_required
@require_http_methods(["GET", "HEAD"])
def report_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """How the making of a report stands: queued, running (step n of N), done with its
    downloads, or failed with why and "Try again". Refreshes itself while it is going."""
    work = get_object_or_404(
        ReportRequest.objects.select_related("created_by").defer("run__content", "run__pdf")
        .select_related("run"),
        pk=pk,
    )
    pdf_missing = ""
    if work.run is not None and work.run.pdf_size is None:
        pdf_missing = report_pdf.pdf_problem() or _(
            "The PDF could not be made; the workbook was made and stored."
        )
    return render(
        request,
        "dashboards/report_request.html",
        {"work": work, "run": work.run, "pdf_missing": pdf_missing},
    )


@manager_required
@require_POST
def report_request_retry(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_object_or_404(ReportRequest, pk=pk)
    if services.report_retry(request=work, by=request.user):
        messages.success(request, _("The report was queued to be made again."))
    return redirect("report-request", pk=work.pk)


def _report_form_initial(request: HttpRequest) -> dict:
    """A new report in the page's language; or, from the list's "reuse" link
    (``?reuse=<id>``), filled in as that report was made."""
    initial = {"language": get_language()[:2]}
    reuse = request.GET.get("reuse", "")
    # Anything but a plain id of database size is ignored, like an id of a report since deleted.
    if reuse.isascii() and reuse.isdigit() and len(reuse) <= 18:
        run = ReportRun.objects.defer("content", "pdf").filter(pk=int(reuse)).first()
        if run is not None:
            initial |= ReportForm.initial_from(run)
    return initial


@viewer_required
@require_http_methods(["GET", "HEAD"])
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    security_event(request, "report_download", object=f"report:{run.pk}", file=run.filename)
    response = HttpResponse(bytes(run.content), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, run.filename)
    # Reports hold the network's figures: no shared cache may keep a copy.
    response["Cache-Control"] = "private"
    return response


@viewer_required
@require_http_methods(["GET", "HEAD"])
def report_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.filter(pdf__isnull=False), pk=pk)
    security_event(request, "report_download", object=f"report:{run.pk}", file=run.pdf_filename)
    response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, run.pdf_filename)
    response["Cache-Control"] = "private"
    return response


@viewer_required
@require_http_methods(["GET", "HEAD"])
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One region on one printable page. The period (a year, or a quarter of it) is taken as
    the dashboards take it; without one, all to date since the network started."""
    filterset = dashboard_filter(request.GET)
    valid = not filterset.is_bound or filterset.is_valid()
    period = filterset.period if valid else dashboard_filter(None).period
    try:
        page = region_page(code, period)
    except Region.DoesNotExist:
        raise Http404 from None
    chosen = valid and filterset.is_bound and bool(filterset.form.cleaned_data.get("year"))
    return render(
        request,
        "dashboards/region_detail.html",
        {
            "page": page,
            "form": filterset.form,
            "filter_invalid": not valid,
            "all_to_date": not chosen,
            "region_share_rule": region_share_rule(),
            "applied_share": percent_text(share_of(page.applied, page.portfolio_applied)),
            "granted_share": percent_text(share_of(page.granted, page.portfolio_granted)),
            "nav_section": "dashboards",
        },
    )


# --- targets against the plan ------------------------------------------------------------


@viewer_required
@require_http_methods(["GET", "HEAD"])
def target_list(request: HttpRequest) -> HttpResponse:
    """The plan's targets with their progress as at today; project managers edit them and
    enter the values of the indicators the data cannot give."""
    as_at = timezone.localdate()
    rows = target_progress(as_at)
    manual = [row.target.pk for row in rows if row.is_manual]
    values: dict[int, list[ManualValue]] = {pk: [] for pk in manual}
    for value in ManualValue.objects.filter(target__in=manual).order_by("period_start"):
        values[value.target_id].append(value)
    return render(
        request,
        "dashboards/target_list.html",
        {
            "rows": [(row, target_chart.row_text(row)) for row in rows],
            "headers": target_chart.headers(),
            "definition": target_chart.definition(as_at),
            "manual": [
                (row, [(value, target_chart.value_text(value.value, row.unit))
                       for value in values[row.target.pk]])
                for row in rows if row.is_manual
            ],
            "can_edit": is_manager(request.user),
            "nav_section": "dashboards",
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def target_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new target of the plan, or the one ``pk`` names."""
    target = Target() if pk is None else get_object_or_404(Target, pk=pk)
    is_new = target.pk is None
    return form_page(
        request,
        TargetForm,
        instance=target,
        save=lambda form: services.target_save(target=form.save(commit=False), by=request.user),
        template="dashboards/target_form.html",
        success_message=_("The target was saved."),
        success_url=reverse("target-list"),
        context={"target": None if is_new else target, "stored_label": target.label},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target, pk=pk)
    if request.method == "POST":
        services.target_delete(target=target, by=request.user)
        messages.success(
            request, _("The target “%(target)s” was deleted.") % {"target": target.label}
        )
        return redirect("target-list")
    return render(
        request, "dashboards/target_confirm_delete.html", {"target": target, "value": None}
    )


@manager_required
@require_http_methods(["GET", "POST"])
def manual_value_form(
    request: HttpRequest, target_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    """A new value for the entered indicator ``target_pk``, or the value ``pk`` names."""
    if pk is None:
        target = get_object_or_404(Target, pk=target_pk)
        if not target.is_manual:
            raise Http404
        value = ManualValue(target=target)
    else:
        value = get_object_or_404(ManualValue.objects.select_related("target"), pk=pk)
        target = value.target
    return form_page(
        request,
        ManualValueForm,
        instance=value,
        save=lambda form: services.manual_value_save(
            value=form.save(commit=False), by=request.user
        ),
        template="dashboards/manual_value_form.html",
        success_message=_("The value was saved."),
        success_url=reverse("target-list") + "#entered",
        context={"target": target, "value": None if value.pk is None else value},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def manual_value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_object_or_404(ManualValue.objects.select_related("target"), pk=pk)
    if request.method == "POST":
        services.manual_value_delete(value=value, by=request.user)
        messages.success(request, _("The value for %(period)s was deleted.") % {"period": value})
        return redirect(reverse("target-list") + "#entered")
    return render(
        request,
        "dashboards/target_confirm_delete.html",
        {"target": value.target, "value": value},
    )
