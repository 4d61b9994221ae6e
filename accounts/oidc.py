"""Single sign-on with the organisation's identity provider (OpenID Connect).

Off unless ``OIDC_RP_CLIENT_ID`` is set (config/settings.py). mozilla-django-oidc runs the
authorisation-code flow; this module adds what Salkku needs on top of it: the endpoints may
come from the provider's discovery document, the ID token's audience and issuer are checked,
the user's name and e-mail are kept up to date from the claims, and the Project managers /
Funders groups are set from a group claim on every login — a user whose claim maps to
neither group has no role.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend, default_username_algo
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.permissions import FUNDERS_GROUP, MANAGERS_GROUP

logger = logging.getLogger(__name__)

BACKEND_PATH = "accounts.oidc.OidcBackend"

# Setting → key in the provider's discovery document (/.well-known/openid-configuration).
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


@cache
def _discovery(url: str) -> dict[str, Any]:
    # Fetched at the first sign-in, not at start-up: a provider that is down must not stop
    # the app from starting, and password logins keep working meanwhile. A failure raises
    # and is not cached, so the next sign-in tries again.
    response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", None) or 10)
    response.raise_for_status()
    return response.json()


def oidc_setting(attr: str, *default: Any) -> Any:
    """A setting for mozilla-django-oidc; an endpoint left empty is read from discovery."""
    value = getattr(settings, attr, *default) if default else getattr(settings, attr)
    if not value and attr in DISCOVERED and getattr(settings, "OIDC_OP_DISCOVERY_URL", ""):
        value = _discovery(settings.OIDC_OP_DISCOVERY_URL).get(DISCOVERED[attr]) or value
    return value


def _claim_values(claims: dict[str, Any], name: str) -> set[str]:
    """A group claim as a set: providers send a list, some a space- or comma-separated string."""
    value = claims.get(name)
    if value is None:
        return set()
    if isinstance(value, str):
        return {part for part in value.replace(",", " ").split() if part}
    if isinstance(value, (list, tuple, set)):
        return {str(part) for part in value}
    return {str(value)}


def groups_from_claims(claims: dict[str, Any]) -> set[str]:
    """The project's groups the claims map to (none, one or both)."""
    values = _claim_values(claims, settings.OIDC_GROUPS_CLAIM)
    groups = set()
    if values & set(settings.OIDC_MANAGER_GROUPS):
        groups.add(MANAGERS_GROUP)
    if values & set(settings.OIDC_FUNDER_GROUPS):
        groups.add(FUNDERS_GROUP)
    return groups


def _email(claims: dict[str, Any]) -> str:
    # Microsoft Entra ID leaves out ``email`` for many work accounts; its
    # ``preferred_username`` is then the user principal name, an address.
    email = claims.get("email") or ""
    if not email and "@" in (claims.get("preferred_username") or ""):
        email = claims["preferred_username"]
    return email.strip()


def _names(claims: dict[str, Any]) -> tuple[str, str]:
    first, last = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _sep, last = claims["name"].strip().rpartition(" ")
        if not first:
            first, last = last, ""
    return first[:150], last[:150]


class OidcBackend(OIDCAuthenticationBackend):
    """Signs a user in from the provider's claims; matches existing users by e-mail."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes every backend for every password sign-in and every request of a
        # signed-in user: nothing here may ask the provider, or a provider that is down would
        # stop password sign-ins too. The endpoints are read when used (the properties below).
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    # Upper-case names: mozilla-django-oidc reads these attributes.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return oidc_setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return oidc_setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return oidc_setting("OIDC_OP_JWKS_ENDPOINT")

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        # Django's own check (mozilla-django-oidc's leaves it out): a deactivated account's
        # sessions end at once, however it signed in.
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, **kwargs: Any) -> AbstractBaseUser | None:
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException) as exc:
            # A bad token or an unreachable provider is a failed sign-in, not a server error.
            logger.warning("Single sign-on failed: %s", exc)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks the signature, expiry and nonce but not whom the token
        # was given to: a token another application got from the same provider must not
        # sign anyone in here.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        issuer = self.get_settings("OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]):
        # Group claims are usually in the ID token only (Entra ID puts ``groups`` and
        # ``roles`` there, not in its userinfo answer): the userinfo claims are laid over it.
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            # OpenID Connect Core 5.3.2: userinfo about another subject must not be used.
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about another subject.")
            claims.update(userinfo)
        claims["email"] = _email(claims)
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and bool(claims.get("email"))

    def get_username(self, claims: dict[str, Any]) -> str:
        username = (claims.get("preferred_username") or claims["email"])[:150]
        if self.UserModel.objects.filter(username__iexact=username).exists():
            # A local account of another person has the name: fall back to a unique one.
            return default_username_algo(claims["email"], claims)
        return username

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> AbstractBaseUser:
        user = self.UserModel.objects.create_user(self.get_username(claims), email=claims["email"])
        logger.info("Single sign-on created the user %s", user.get_username())
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: AbstractBaseUser, claims: dict[str, Any]) -> AbstractBaseUser:
        user.first_name, user.last_name = _names(claims)
        user.email = claims["email"]
        user.save(update_fields=["first_name", "last_name", "email"])
        # The provider decides the role on every login: a user taken out of the group there
        # loses the role here at their next sign-in. Other groups are left as they are.
        wanted = groups_from_claims(claims)
        for name in (MANAGERS_GROUP, FUNDERS_GROUP):
            group, _created = Group.objects.get_or_create(name=name)
            if name in wanted:
                user.groups.add(group)
            else:
                user.groups.remove(group)
        if hasattr(user, "_salkku_groups"):
            del user._salkku_groups
        return user


def _provider_failed(request: HttpRequest) -> HttpResponse:
    messages.error(
        request,
        _("Signing in with %(provider)s did not succeed. Try again or ask the administrator.")
        % {"provider": settings.OIDC_PROVIDER_NAME},
    )
    return redirect("login")


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        # The authorisation endpoint may need the discovery document: it is read in get(),
        # where a provider that does not answer can be told to the user.
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException as exc:
            logger.warning("Single sign-on could not read the provider's discovery: %s", exc)
            return _provider_failed(request)
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a failure returns to the login page."""

    get_settings = staticmethod(oidc_setting)

    def login_failure(self) -> HttpResponse:
        return _provider_failed(self.request)


def oidc_urlpatterns() -> list:
    """The sign-in and callback addresses; config/urls.py includes them when SSO is on."""
    return [
        path("oidc/authenticate/", AuthenticateView.as_view(), name="oidc_authentication_init"),
        path("oidc/callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
    ]
