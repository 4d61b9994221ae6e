"""The funders' dashboard: every panel over the same filters, and each panel's data as xlsx;
and the stored quarterly reports."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_manager, viewer_required
from core.filters import download_name, is_filtered
from core.formatting import percent_text, share_of
from core.forms import save_through_service
from core.lists import list_page
from core.spreadsheets import table_workbook
from dashboards import report_pdf, services
from dashboards.charts.balance import METRIC_LABELS
from dashboards.filters import ReportRunFilter, dashboard_filter
from dashboards.forms import ReportForm
from dashboards.models import ReportRun
from dashboards.panels import PANELS, PANELS_BY_KEY, panel_tables, render_panel
from dashboards.selectors import DashboardData
from dashboards.selectors.leverage import window_keys
from dashboards.selectors.region_page import region_page
from funding.selectors import region_share_rule
from portfolio.models import Region
from portfolio.selectors.outcomes import WINDOW_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filterset = dashboard_filter(request.GET)
    valid = not filterset.is_bound or filterset.is_valid()
    panels = []
    regions = []
    partner_regions = []
    if valid:
        data = DashboardData.from_filter(filterset)
        panels = [render_panel(panel, data, request.GET) for panel in PANELS]
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
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@viewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """The stored reports, and for project managers the form that makes a new one."""
    form = None
    if is_manager(request.user):
        form = ReportForm(
            request.POST if request.method == "POST" else None,
            initial={"language": get_language()[:2]},
        )
        if request.method == "POST" and form.is_valid():
            run = save_through_service(
                form,
                lambda: services.report_generate(
                    period=form.period, language=form.cleaned_data["language"], by=request.user
                ),
            )
            if run is not None:
                messages.success(
                    request,
                    _("The report %(period)s was made; download it from the list.")
                    % {"period": run.period_label},
                )
                if run.pdf is None:
                    messages.warning(request, report_pdf.pdf_problem() or _(
                        "The PDF could not be made; the workbook was made and stored."
                    ))
                return redirect("report-list")
    elif request.method == "POST":
        raise PermissionDenied
    filterset = ReportRunFilter(request.GET or None, queryset=ReportRun.objects.listed())
    listed = list_page(request, filterset)
    return render(
        request,
        "dashboards/report_list.html",
        listed.context(form=form, languages=dict(settings.LANGUAGES)),
    )


@viewer_required
@require_http_methods(["GET", "HEAD"])
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    response = HttpResponse(bytes(run.content), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, run.filename)
    # Reports hold the network's figures: no shared cache may keep a copy.
    response["Cache-Control"] = "private"
    return response


@viewer_required
@require_http_methods(["GET", "HEAD"])
def report_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.filter(pdf__isnull=False), pk=pk)
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
