"""Roadshow event pages: the list, one event's page, and the create and edit forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio import services
from portfolio.filters import EventFilter, filtered_rows
from portfolio.forms.events import EventForm
from portfolio.forms.common import add_service_errors
from portfolio.models import RoadshowEvent
from portfolio.permissions import manager_required, viewer_required
from portfolio.selectors import events as selectors
from portfolio.views.lists import list_page


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
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, RoadshowEvent())


@manager_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form(request, get_object_or_404(RoadshowEvent, pk=pk))


def _event_form(request: HttpRequest, event: RoadshowEvent) -> HttpResponse:
    # Kept before the form touches the instance, so a failed save shows the stored title.
    stored_title = event.title
    is_new = event.pk is None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.event_save(
                event=form.save(commit=False),
                by=request.user,
                organisations=form.cleaned_data["organisations"],
                themes=form.cleaned_data["themes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except IntegrityError:
            form.add_error(
                None,
                _("Someone changed the same data at the same time; check the form and save again."),
            )
        else:
            messages.success(
                request,
                _("The event was created.") if is_new else _("The changes were saved."),
            )
            return redirect("event-detail", pk=saved.pk)
    return render(
        request,
        "portfolio/event_form.html",
        {"form": form, "event": None if is_new else event, "stored_title": stored_title},
    )

