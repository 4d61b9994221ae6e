"""Optional two-factor sign-in with a TOTP authenticator app (django-otp).

Anyone may turn it on for themselves on their account page; with ``TWO_FACTOR_REQUIRED``
staff and project managers must. A password sign-in by a user with a confirmed device is
only half a sign-in: the session is marked at login and, until the code from the app is
given, every page leads to the code page and the API answers 403. Marking the session at
login, rather than asking the database on every request, keeps requests of everybody else
as cheap as before.

A sign-in through single sign-on is not asked for a code: the organisation's identity
provider applies its own multi-factor policy there.
"""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.permissions import is_manager

# The session's mark of a sign-in that is not finished: VERIFY (a code is due) or ENROL
# (two-factor is required and the user has no device yet).
SESSION_KEY = "salkku_two_factor"
VERIFY = "verify"
ENROL = "enrol"

OIDC_BACKEND = "accounts.oidc.OidcBackend"

# What a half-signed-in user may still open, by URL name.
# The accessibility statement is open to everyone, a half-finished sign-in included.
STATEMENT = {"statement-fi", "statement-sv", "statement-en"}
ALLOWED = {
    VERIFY: {"two-factor-verify", "logout", "set_language", "healthz", *STATEMENT},
    ENROL: {"two-factor", "logout", "set_language", "healthz", *STATEMENT},
}


def in_two_factor_roles(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff and project managers: the people TWO_FACTOR_REQUIRED applies to."""
    return user.is_authenticated and (user.is_staff or is_manager(user))


def is_required_for(user: AbstractBaseUser | AnonymousUser) -> bool:
    return settings.TWO_FACTOR_REQUIRED and in_two_factor_roles(user)


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def enrolment_device(user: AbstractBaseUser) -> TOTPDevice:
    """The device being set up: the same secret until it is confirmed, so reloading the page
    does not invalidate a QR code the user has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Salkku", confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here, no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def verify(user: AbstractBaseUser, device: TOTPDevice, token: str) -> bool:
    """Check a code; django-otp throttles a device after wrong codes and refuses a code
    that has been used already."""
    token = "".join((token or "").split())
    return django_otp.verify_token(user, device.persistent_id, token) is not None


def is_throttled(device: TOTPDevice) -> bool:
    allowed, _data = device.verify_is_allowed()
    return not allowed


@transaction.atomic
def confirm_device(*, user: AbstractBaseUser, device: TOTPDevice, token: str) -> bool:
    """Turn two-factor on with the device, if the code from the app is right. Other devices
    of the user (an older phone, an abandoned set-up) are removed: one device per person."""
    if not verify(user, device, token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return True


@transaction.atomic
def remove_devices(*, user: AbstractBaseUser) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def pending(request: HttpRequest) -> str | None:
    return request.session.get(SESSION_KEY)


def finish(request: HttpRequest) -> None:
    """The sign-in is complete: a new session key, as at any change of privilege."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def mark_session_at_login(sender, request: HttpRequest | None, user: AbstractBaseUser, **kwargs):
    """user_logged_in: decide whether this sign-in still needs a code or an enrolment."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    if getattr(user, "backend", "") == OIDC_BACKEND:
        return
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[SESSION_KEY] = VERIFY
    elif is_required_for(user):
        request.session[SESSION_KEY] = ENROL


class TwoFactorMiddleware:
    """Holds a half-finished sign-in at the code page (or the enrolment page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = pending(request) if hasattr(request, "session") else None
        if state and not self._allowed(request, state):
            return self._hold(request, state)
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest, state: str) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 either way
        prefix = settings.REST_KNOX["AUTH_HEADER_PREFIX"] + " "
        if match.namespace == "api" and request.headers.get("Authorization", "").startswith(prefix):
            # A token request does not ride on the session: the token is the credential (an
            # invalid one is refused by the API, which never falls back to the session then).
            return True
        return match.view_name in ALLOWED[state]

    @staticmethod
    def _hold(request: HttpRequest, state: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish signing in with the code from your authenticator app.")},
                status=403,
            )
        target = reverse("two-factor-verify" if state == VERIFY else "two-factor")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
