"""A user's own page: password, signed-in sessions, personal API tokens; and the password
reset for those who cannot log in."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import NewPasswordForm, OwnPasswordChangeForm
from accounts.models import ApiToken
from accounts.permissions import can_view_portfolio, viewer_required
from core.forms import save_through_service
from core.limits import count_this_hour
from core.security_log import client_address, security_event


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


# The user's own page.


def _session_limits() -> str:
    """The session limits in force, in words."""
    said = []
    if minutes := settings.SESSION_IDLE_MINUTES:
        said.append(
            ngettext(
                "A session is signed out after %(count)s minute without activity.",
                "A session is signed out after %(count)s minutes without activity.",
                minutes,
            )
            % {"count": minutes}
        )
    if hours := settings.SESSION_MAX_HOURS:
        said.append(
            ngettext(
                "Every session ends at the latest %(count)s hour after logging in.",
                "Every session ends at the latest %(count)s hours after logging in.",
                hours,
            )
            % {"count": hours}
        )
    return " ".join(said)


def _account_page(request: HttpRequest, password_form: OwnPasswordChangeForm) -> HttpResponse:
    user = request.user
    response = render(
        request,
        "accounts/account.html",
        {
            "password_form": password_form if user.has_usable_password() else None,
            "sessions": selectors.live_sessions(
                user=user, current_key=request.session.session_key
            ),
            "show_tokens": can_view_portfolio(user),
            "session_limits": _session_limits(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    """Every signed-in user's own page, whatever their role."""
    return _account_page(request, OwnPasswordChangeForm(request.user))


@login_required
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, form)
    old_key = request.session.session_key
    form.save()
    # This session stays signed in under a new key; every other one ends with the old
    # password.
    update_session_auth_hash(request, form.user)
    services.session_key_changed(old_key=old_key, new_key=request.session.session_key)
    services.sign_out_other_sessions(user=form.user, current_key=request.session.session_key)
    messages.success(request, _("Your password was changed. Your other sessions were signed out."))
    return redirect("account")


@login_required
@require_POST
def sign_out_other_sessions(request: HttpRequest) -> HttpResponse:
    ended = services.sign_out_other_sessions(
        user=request.user, current_key=request.session.session_key
    )
    messages.success(
        request,
        ngettext(
            "%(count)s other session was signed out.",
            "%(count)s other sessions were signed out.",
            ended,
        )
        % {"count": ended}
        if ended
        else _("You had no other sessions."),
    )
    return redirect("account")


# Password reset by e-mail: Django's views and tokens (a link works once, for
# PASSWORD_RESET_TIMEOUT). The same answer whether or not the address is known, so the form
# tells no one who has an account.


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form):
        # Past the hour's limit for the address or for the sender, no mail goes out but the
        # answer is the same: the page tells no one whether an account exists, and no one
        # can fill another person's inbox.
        if not reset_mail_allowed(self.request, form.cleaned_data["email"]):
            security_event(self.request, "password_reset_limited")
            return redirect(self.success_url)
        # The link in the mail goes to the site's own address (SITE_URL), as every mail's
        # does, never to whatever host the request named.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


def reset_mail_allowed(request: HttpRequest, email: str) -> bool:
    """Whether one more reset mail may go out this hour: PASSWORD_RESET_MAILS_PER_HOUR to
    ``email``, and ten times as many from the sender's address (an office shares one)."""
    limit = settings.PASSWORD_RESET_MAILS_PER_HOUR
    if not limit:
        return True
    limits = [
        ("password-reset:to:" + hashlib.sha256(email.strip().lower().encode()).hexdigest(), limit),
        (f"password-reset:from:{client_address(request) or '-'}", limit * 10),
    ]
    allowed = True
    for key, most in limits:
        allowed = count_this_hour(key) <= most and allowed
    return allowed


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeout_hours"] = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever was signed in with the old password is signed out everywhere.
        services.sign_out_other_sessions(user=form.user, current_key=None)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
