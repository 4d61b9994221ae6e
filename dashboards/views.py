"""The funders' dashboard: every panel over the same filters, and each panel's data as xlsx."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards import exports
from dashboards.charts.balance import METRIC_LABELS
from dashboards.filters import dashboard_filter
from dashboards.panels import PANELS, PANELS_BY_KEY, panel_table, render_panel
from dashboards.selectors import DashboardData
from portfolio.filters import is_filtered
from portfolio.permissions import viewer_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filterset = dashboard_filter(request.GET)
    valid = not filterset.is_bound or filterset.is_valid()
    panels = []
    if valid:
        data = DashboardData.from_filter(filterset)
        panels = [render_panel(panel, data, request.GET) for panel in PANELS]
        # The filter form lists the themes, regions and instruments the charts already read.
        fields = filterset.form.fields
        fields["theme"].widget.choices = [(t.pk, t.name) for t in data.themes]
        fields["region"].widget.choices = [(r.pk, r.name) for r in data.regions]
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
            "metrics": [(metric, label()) for metric, label in METRIC_LABELS.items()],
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
    table = panel_table(panel, DashboardData.from_filter(filterset), request.GET)
    out = tempfile.TemporaryFile()
    exports.table_workbook(str(panel.title), table, out)
    out.seek(0)
    filename = f"{key}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
