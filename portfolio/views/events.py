"""Roadshow event pages: the list, one event's page, and the create and edit forms."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import manager_required, viewer_required
from core.filters import filtered_rows
from core.lists import list_page
from core.views import form_page
from portfolio import services
from portfolio.filters import EventFilter
from portfolio.forms.events import EventForm
from portfolio.models import RoadshowEvent
from portfolio.selectors import events as selectors


@viewer_required
@require_http_methods(["GET", "HEAD"])
def event_list(request: HttpRequest) -> HttpResponse:
    filterset = EventFilter(request.GET or None, queryset=RoadshowEvent.objects.all())
    listed = list_page(request, filterset, selectors.event_rows(filtered_rows(filterset)))
    return render(request, "portfolio/event_list.html", listed.context())


@viewer_required
@require_http_methods(["GET", "HEAD"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = selectors.event_page(pk)
    except RoadshowEvent.DoesNotExist:
        raise Http404 from None
    return render(
        request, "portfolio/event_detail.html", {"event": page.event, "ideas": page.ideas}
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
