"""Two-factor sign-in pages: set up an authenticator app, give its code at sign-in, turn it off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import two_factor as otp


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest, default: str = "home") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _no_store(response: HttpResponse) -> HttpResponse:
    # The set-up page carries the secret; no cache may keep a copy of any of these pages.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The user's two-factor page: set-up with a QR code, or the state and a way to turn it off."""
    user = request.user
    device = otp.confirmed_device(user)
    form = None
    if device is None:
        device = otp.enrolment_device(user)
        form = CodeForm(request.POST or None)
        if form.is_valid():
            if otp.confirm_device(user=user, device=device, token=form.cleaned_data["code"]):
                if otp.pending(request):
                    otp.finish(request)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect(_next_url(request, "two-factor"))
            form.add_error("code", _("That code is not right. Check the app and give the newest code."))
    elif request.method == "POST":
        return redirect("two-factor")
    return _no_store(
        render(
            request,
            "accounts/two_factor.html",
            {
                "device": device,
                "form": form,
                "secret": otp.secret_of(device) if form else "",
                "qr_svg": otp.qr_svg(device) if form else "",
                "required": otp.is_required_for(user),
                "enrolment_required": otp.pending(request) == otp.ENROL,
                "next": _next_url(request, ""),
            },
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a password sign-in for a user with an authenticator app."""
    if otp.pending(request) != otp.VERIFY:
        return redirect(_next_url(request))
    device = otp.confirmed_device(request.user)
    if device is None:  # removed by an administrator meanwhile
        otp.finish(request)
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if otp.verify(request.user, device, form.cleaned_data["code"]):
            otp.finish(request)
            return redirect(_next_url(request))
        if otp.is_throttled(device):
            form.add_error(None, _("Too many wrong codes. Wait a moment before trying again."))
        else:
            form.add_error("code", _("That code is not right. Check the app and give the newest code."))
    return _no_store(
        render(
            request,
            "accounts/two_factor_verify.html",
            {"form": form, "next": _next_url(request, "")},
        )
    )


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    if otp.is_required_for(request.user):
        messages.error(request, _("Two-factor sign-in is required for your role: it stays on."))
    else:
        otp.remove_devices(user=request.user)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two-factor")
