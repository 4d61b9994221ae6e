"""Personal API tokens: each user makes, sees and revokes their own."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.models import ApiToken
from accounts.permissions import viewer_required
from core.forms import save_through_service
from core.security_log import security_event


def day_choices() -> list[tuple[int, str]]:
    """The usual lifetimes, and the deployment's default if it is another."""
    days = sorted({30, 90, 180, 365, settings.API_TOKEN_DAYS})
    return [(n, ngettext("%(count)s day", "%(count)s days", n) % {"count": n}) for n in days]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “Monthly import script”."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"), choices=day_choices, coerce=int
    )


@viewer_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
    created = None
    if form.is_valid():
        created = save_through_service(
            form,
            lambda: services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            ),
        )
        if created is not None:
            security_event(
                request,
                "api_token_created",
                token=created[0].token_key,
                days=form.cleaned_data["days"],
            )
            form = TokenForm(initial={"days": settings.API_TOKEN_DAYS})
    response = render(
        request,
        "accounts/token_list.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "created": created,
            "api_docs_url": reverse("api:docs"),
        },
    )
    if created:
        # The token is on this page and nowhere else: no cache may keep a copy.
        response["Cache-Control"] = "no-store"
    return response


@viewer_required
@require_POST
def token_revoke(request: HttpRequest, key: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, digest=key, user=request.user)
    services.api_token_revoke(token=token, by=request.user)
    security_event(request, "api_token_revoked", token=token.token_key)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("token-list")
