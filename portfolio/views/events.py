"""Roadshow event pages: the list, one event's page, and the create and edit forms."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required, viewer_required
from core.filters import filtered_rows
from core.formatting import percent_text
from core.lists import list_page
from core.security_log import security_event
from core.views import form_page
from portfolio import exports, services
from portfolio.filters import EventFilter
from portfolio.forms.events import EventForm
from portfolio.models import RoadshowEvent
from portfolio.selectors import events as selectors
from portfolio.selectors import outcomes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _window(request: HttpRequest) -> outcomes.Window:
    """The window the address names; the network's funding period by default."""
    return outcomes.network_window(request.GET.get("window", outcomes.FUNDING))


def _outcome_rows(
    filterset: EventFilter, window: outcomes.Window, sort: str | None
) -> list[outcomes.EventOutcome]:
    events = filtered_rows(filterset).select_related("host_region")
    return outcomes.sorted_outcomes(outcomes.event_outcomes(window, events=events), sort)


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the order its header link asks for, and the current
    direction ("ascending", "descending" or "") for aria-sort."""
    links = {}
    for key in outcomes.EVENT_SORTS:
        if current == key:
            links[key] = {"next": f"-{key}", "direction": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "direction": "descending"}
        else:
            links[key] = {"next": key, "direction": ""}
    return links


@viewer_required
@require_http_methods(["GET", "HEAD"])
def event_list(request: HttpRequest) -> HttpResponse:
    filterset = EventFilter(request.GET or None, queryset=RoadshowEvent.objects.all())
    window = _window(request)
    sort = request.GET.get("sort", "")
    rows = _outcome_rows(filterset, window, sort)
    listed = list_page(request, filterset, rows)
    for row in listed.page.object_list:
        row.conversion_text = percent_text(row.conversion)
    totals = outcomes.outcome_totals(rows)
    return render(
        request,
        "portfolio/event_list.html",
        listed.context(
            window=window,
            window_text=outcomes.window_text(window),
            definition=outcomes.outcomes_definition(),
            windows=[(k, outcomes.WINDOW_LABELS[k]) for k in outcomes.network_window_keys()],
            sort=_sort_links(sort),
            totals=totals,
            totals_conversion=percent_text(totals.conversion),
            keep=[(name, request.GET[name]) for name in ("window", "sort") if request.GET.get(name)],
        ),
    )


@viewer_required
@require_http_methods(["GET", "HEAD"])
def event_outcomes_export(request: HttpRequest) -> HttpResponse:
    """The event list's outcomes as an .xlsx workbook: the same filters, window and order."""
    filterset = EventFilter(request.GET or None, queryset=RoadshowEvent.objects.all())
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Correct the filters before exporting; nothing was exported."))
        return redirect(f"{reverse('event-list')}?{request.GET.urlencode()}")
    window = _window(request)
    out = tempfile.TemporaryFile()
    exports.write_event_outcomes_workbook(
        _outcome_rows(filterset, window, request.GET.get("sort")), window, out
    )
    out.seek(0)
    filename = exports.event_outcomes_filename(window)
    security_event(request, "export", object="event_outcomes", file=filename)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@viewer_required
@require_http_methods(["GET", "HEAD"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = selectors.event_page(pk)
    except RoadshowEvent.DoesNotExist:
        raise Http404 from None
    # The event's outcomes in each of the network's windows, a row each.
    windows = []
    for key in outcomes.network_window_keys():
        window = outcomes.network_window(key)
        (row,) = outcomes.event_outcomes(window, events=[page.event])
        row.conversion_text = percent_text(row.conversion)
        windows.append((outcomes.window_text(window), row))
    return render(
        request,
        "portfolio/event_detail.html",
        {
            "event": page.event,
            "ideas": page.ideas,
            "outcomes": windows,
            "definition": outcomes.outcomes_definition(),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def event_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new roadshow event, or the one ``pk`` names."""
    event = RoadshowEvent() if pk is None else get_object_or_404(RoadshowEvent, pk=pk)
    is_new = event.pk is None
    return form_page(
        request,
        EventForm,
        instance=event,
        save=lambda form: services.event_save(
            event=form.save(commit=False),
            by=request.user,
            organisations=form.cleaned_data["organisations"],
            themes=form.cleaned_data["themes"],
        ),
        template="portfolio/event_form.html",
        success_message=_("The event was created.") if is_new else _("The changes were saved."),
        success_url=lambda saved: reverse("event-detail", args=[saved.pk]),
        # Kept before the form touches the instance, so a failed save shows the stored title.
        context={"event": None if is_new else event, "stored_title": event.title},
    )
