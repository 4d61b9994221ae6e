"""The login page's optional ways of signing in, shown only when they are configured."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.inclusion_tag("accounts/_sso_button.html")
def sso_button(next_url: str = "") -> dict[str, str]:
    """The "Sign in with <organisation>" button, or nothing when single sign-on is off."""
    if not settings.OIDC_ENABLED:
        return {"sso_url": ""}
    url = reverse("oidc_authentication_init")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return {"sso_url": url, "provider": settings.OIDC_PROVIDER_NAME}
