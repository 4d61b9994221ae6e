from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import role_of
from portfolio.selectors import pipeline as selectors

# The home page lists this many of the user's stale ideas, the longest-waiting first.
HOME_STALE_LIMIT = 10


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
    if role in ("admin", "manager"):
        stale = selectors.stale_ideas_owned_by(request.user)
        context["stale"] = selectors.with_days_in_stage(stale[:HOME_STALE_LIMIT])
        context["stale_count"] = stale.count()
        context["stale_after_days"] = settings.STALE_AFTER_DAYS
    return render(request, "portfolio/home.html", context)
