from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import role_of
from portfolio import stalled
from portfolio.models import Idea
from portfolio.selectors import drops
from portfolio.selectors import pipeline as selectors

# The home page lists this many of the user's stalled ideas, the longest in their stage first.
HOME_STALLED_LIMIT = 10


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "error", "database": "unreachable", "error": exc.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's starting point; people without a role are told whom to ask for access."""
    role = role_of(request.user)
    context: dict[str, object] = {"role": role}
    if role in ("admin", "manager", "funder"):
        context["summary"] = selectors.pipeline_summary()
        context["drops"] = drops.drops(Idea.objects.all())
        context["drops_definition"] = drops.DEFINITION
        context["dropped_now_label"] = drops.DROPPED_NOW
    if role in ("admin", "manager"):
        found = selectors.stalled_ideas_owned_by(request.user)
        context["stalled"] = selectors.with_days_in_stage(found[:HOME_STALLED_LIMIT])
        context["stalled_count"] = found.count()
        context["stalled_definition"] = stalled.definition_text()
    return render(request, "portfolio/home.html", context)
