"""The idea pages: the filtered list and its Excel export, one idea's page, create and edit,
and the stage move that the idea page's forms and the board's drag and drop both send."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import manager_required, viewer_required
from core import request_bodies
from core.filters import download_name, filters_slug
from core.lists import list_page
from core.security_log import security_event
from core.views import form_page
from portfolio import exports, services
from portfolio.forms.ideas import IdeaForm, IdeaMoveForm
from portfolio.models import Idea, RoadshowEvent
from portfolio.permissions import can_edit_idea, can_view_contacts, ideas_for
from portfolio.selectors import idea_history
from portfolio.selectors import ideas as selectors
from portfolio.stages import About, MoveContext, Stage, unmet_conditions

# The list's columns that sort, by the ordering value of the shared filter.
SORTABLE = ("title", "stage", "estimated_budget", "stage_entered_at")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sort_links(filterset) -> dict[str, dict[str, str]]:
    """For each sortable column: the ordering its header link asks for, and the current
    direction ("ascending", "descending" or "") for aria-sort."""
    current = ""
    if filterset.is_bound and filterset.is_valid():
        current = (filterset.form.cleaned_data.get("ordering") or [""])[0]
    links = {}
    for key in SORTABLE:
        if current == key:
            links[key] = {"next": f"-{key}", "direction": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "direction": "descending"}
        else:
            links[key] = {"next": key, "direction": ""}
    return links


def _any_choice(form) -> None:
    """Single-choice filters offer "Any" instead of a row of dashes."""
    for name in ("owner", "origin_event", "instrument"):
        form.fields[name].empty_label = _("Any")


@viewer_required
def idea_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.idea_filter(request.GET)
    _any_choice(filterset.form)
    listed = list_page(request, filterset, selectors.filtered_ideas(filterset))
    now = timezone.now()
    rows = [(idea, (now - idea.stage_entered_at).days) for idea in listed.page.object_list]
    return render(
        request,
        "portfolio/idea_list.html",
        listed.context(form=filterset.form, rows=rows, sort=_sort_links(filterset)),
    )


# The filters an export's file name carries: those that name a group of ideas.
EXPORT_NAMED = ("stage", "theme", "region", "instrument")


@viewer_required
def idea_export(request: HttpRequest) -> HttpResponse:
    filterset = selectors.idea_filter(request.GET)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Correct the filters before exporting; nothing was exported."))
        return redirect(f"{reverse('idea-list')}?{request.GET.urlencode()}")
    ideas = selectors.filtered_ideas(filterset)
    # A temporary file rather than memory: a workbook of every idea can be large.
    out = tempfile.TemporaryFile()
    exports.write_ideas_workbook(ideas, out)
    out.seek(0)
    # The day it was taken (the list is as it stands now) and the filters it was taken with.
    filename = download_name(
        "salkku", "ideas", f"{timezone.localdate():%Y-%m-%d}", filters_slug(filterset, EXPORT_NAMED)
    )
    security_event(request, "export", object="ideas", file=filename)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


def _initial_for_new_idea(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"owner": request.user.pk}
    try:
        event_pk = int(request.GET.get("origin_event", ""))
    except ValueError:
        return initial
    event = RoadshowEvent.objects.filter(pk=event_pk).prefetch_related("themes").first()
    if event is not None:
        # An idea born at an event usually shares its themes and involves its host region.
        initial.update(
            origin_event=event.pk,
            themes=[theme.pk for theme in event.themes.all() if theme.is_active],
            regions=[event.host_region_id],
        )
    return initial


@manager_required
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        IdeaForm,
        initial=_initial_for_new_idea(request),
        save=lambda form: services.idea_create(by=request.user, **form.service_kwargs()),
        template="portfolio/idea_form.html",
        success_message=lambda idea: _("The idea “%(title)s” was created.") % {"title": idea},
        success_url=lambda idea: reverse("idea-detail", args=[idea.pk]),
        context={"idea": None},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    return form_page(
        request,
        IdeaForm,
        instance=idea,
        save=lambda form: services.idea_update(
            idea=form.instance,
            by=request.user,
            themes=form.cleaned_data["themes"],
            regions=form.cleaned_data["regions"],
        ),
        template="portfolio/idea_form.html",
        success_message=_("The changes were saved."),
        success_url=reverse("idea-detail", args=[idea.pk]),
        context={"idea": idea},
    )


@viewer_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(ideas_for(request.user, selectors.idea_rows()), pk=pk)
    show_contacts = can_view_contacts(request.user)
    sections = selectors.idea_sections(idea)
    now = timezone.now()
    context = {
        "idea": idea,
        "members": sections.members,
        "applications": sections.applications,
        "implementation": sections.implementation,
        "platforms": selectors.idea_platforms(idea),
        "can_view_contacts": show_contacts,
        "days_in_stage": (now - idea.stage_entered_at).days,
        "moves": (
            selectors.move_options(idea, today=timezone.localdate(now))
            if can_edit_idea(request.user, idea)
            else []
        ),
        "timeline": idea_history.idea_timeline(
            idea, sections.transitions, show_contacts=show_contacts
        ),
    }
    return render(request, "portfolio/idea_detail.html", context)


# Where to put each kind of unmet condition right, and what the link says.
FIXES = {
    About.OWNER: ("idea-edit", "", gettext_lazy("Name the owner")),
    About.LEAD: ("idea-detail", "#consortium", gettext_lazy("Add or confirm the lead organisation")),
    About.FUNDING: ("idea-detail", "#applications", gettext_lazy("Record the funding decision")),
    About.IMPLEMENTATION_END: ("implementation-edit", "", gettext_lazy("Give the implementation's end")),
}


def refusal_fixes(idea: Idea, form: IdeaMoveForm, reasons: list[str]) -> list[dict[str, str]]:
    """For each reason the move was refused, a link to where it is put right (or none): the
    conditions are read again to learn what each reason is about."""
    if not form.is_valid():
        return [{"reason": reason, "url": "", "label": ""} for reason in reasons]
    ctx = MoveContext(idea=idea, note=form.cleaned_data["note"], today=timezone.localdate())
    conditions = unmet_conditions(idea.stage, form.cleaned_data["to_stage"], ctx)
    about = {reason: kind for kind, reason in conditions}
    fixes = []
    for reason in reasons:
        name, anchor, label = FIXES.get(about.get(reason), ("", "", ""))
        url = reverse(name, args=[idea.pk]) + anchor if name else ""
        fixes.append({"reason": reason, "url": url, "label": str(label)})
    return fixes


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _move_data(request: HttpRequest) -> QueryDict | dict[str, Any]:
    """The move's fields from a form post, or from a JSON body if the board sends one. A
    JSON body that does not parse, nests too deep or is no object is refused saying so."""
    if request.content_type == "application/json":
        try:
            data = request_bodies.loads(request.body or b"{}")
        except request_bodies.BodyError as error:
            raise services.StageRefused([str(error)]) from None
        if not isinstance(data, dict):
            raise services.StageRefused([_("The body must be a JSON object of the move's fields.")])
        return data
    return request.POST


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@manager_required
@require_POST
def idea_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an idea to another stage through the stage service.

    Answers the board's fetch (Accept: application/json) with JSON: 200 with the idea's new
    stage, 400 with every reason the move is refused, 409 when someone else moved the idea
    first, 404 for an unknown idea; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413
    (``core.request_bodies.bad_request``). A plain form post goes back to the idea page
    with the outcome as messages.
    """
    as_json = _wants_json(request)
    idea = Idea.objects.filter(pk=pk).first()
    if idea is None:
        if as_json:
            return JsonResponse({"error": "not_found"}, status=404)
        raise Http404
    form = IdeaMoveForm()  # unbound until the body is read: its refusal has no fixes
    try:
        form = IdeaMoveForm(_move_data(request))
        if not form.is_valid():
            raise services.StageRefused(form.reasons())
        idea = services.idea_move(
            idea=idea,
            to_stage=form.cleaned_data["to_stage"],
            by=request.user,
            note=form.cleaned_data["note"],
            expected_stage=form.cleaned_data["expected_stage"] or idea.stage,
        )
    except services.StageRefused as refused:
        if as_json:
            return JsonResponse(
                {
                    "error": "refused",
                    "reasons": refused.reasons,
                    "fixes": refusal_fixes(idea, form, refused.reasons),
                },
                status=400,
            )
        for reason in refused.reasons:
            messages.error(request, reason)
    except services.StageConflict as conflict:
        if as_json:
            return JsonResponse(
                {
                    "error": "conflict",
                    "message": str(conflict),
                    "moved_to": conflict.moved_to,
                    "moved_to_label": str(Stage(conflict.moved_to).label),
                    "moved_by": conflict.moved_by,
                    "moved_at": _iso(conflict.moved_at),
                },
                status=409,
            )
        messages.error(request, str(conflict))
    else:
        if as_json:
            return JsonResponse(
                {
                    "id": idea.pk,
                    "stage": idea.stage,
                    "stage_label": str(idea.get_stage_display()),
                    "stage_entered_at": _iso(idea.stage_entered_at),
                    "version": idea.version,
                }
            )
        messages.success(request, _("Moved to “%(stage)s”.") % {"stage": idea.get_stage_display()})
    return redirect("idea-detail", pk=idea.pk)
