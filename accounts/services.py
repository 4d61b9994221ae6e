"""Writes on a user's own things: personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ApiToken

# A year at most: a forgotten token should not open the portfolio forever.
MAX_TOKEN_DAYS = 366


@transaction.atomic
def api_token_create(
    *, user: AbstractBaseUser, name: str, days: int
) -> tuple[ApiToken, str]:
    """A personal API token valid for ``days``. Returns the stored token and the token
    itself, which exists nowhere else: only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name that says what it is for.")})
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("A token is valid for 1 to %(days)s days.") % {"days": MAX_TOKEN_DAYS}}
        )
    token, secret = ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: AbstractBaseUser) -> None:
    """Revoke a token at once; a script using it gets 401 from its next request."""
    token.delete()
