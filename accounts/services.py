"""Writes on a user's own things: personal API tokens and signed-in sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import sessions
from accounts.models import ApiToken, UserSession
from accounts.selectors import live_sessions

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


# Signed-in sessions. The session store holds the sessions; UserSession rows say whose each
# is, so a user can list theirs and end the others.

_USER_AGENT_LENGTH = UserSession._meta.get_field("user_agent").max_length


def _user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:_USER_AGENT_LENGTH]


def session_started(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """Called on login: note the login moment in the session and record the session under
    the user. The user's records of sessions that have ended meanwhile go at the same time,
    so the records never outgrow the sessions."""
    now = timezone.now()
    session = request.session
    session[sessions.LOGIN_AT] = session[sessions.SEEN_AT] = now.timestamp()
    if session.session_key is None:
        # Logging in again over one's own session empties it without a new key yet.
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "created": now,
            "last_seen": now,
            "user_agent": _user_agent(request),
        },
    )
    live = {s.pk for s in live_sessions(user=user, current_key=session.session_key)}
    UserSession.objects.filter(user=user).exclude(pk__in=live).delete()


def session_seen(*, request: HttpRequest, now: datetime) -> None:
    """A request of a signed-in session: refresh when it was last seen, in the session and
    in its record, at most once every ``sessions.SEEN_EVERY``."""
    session = request.session
    seen_at = session.get(sessions.SEEN_AT)
    if seen_at is not None and now.timestamp() - seen_at < sessions.SEEN_EVERY.total_seconds():
        return
    session.setdefault(sessions.LOGIN_AT, now.timestamp())
    session[sessions.SEEN_AT] = now.timestamp()
    if session.session_key is None:
        return
    updated = UserSession.objects.filter(session_key=session.session_key).update(last_seen=now)
    if not updated:
        # A session from before sessions were recorded, or one whose key changed with the
        # password: recorded from now on, so it can be listed and ended too.
        # get_or_create: two requests of the session may arrive together.
        UserSession.objects.get_or_create(
            session_key=session.session_key,
            defaults={
                "user": request.user,
                "created": datetime.fromtimestamp(session[sessions.LOGIN_AT], tz=UTC),
                "last_seen": now,
                "user_agent": _user_agent(request),
            },
        )


def session_ended(*, session_key: str | None) -> None:
    """Called on logout: the session is gone, and so is its record."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_key_changed(*, old_key: str | None, new_key: str | None) -> None:
    """The session got a new key (a password change does that): its record follows."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def sign_out_other_sessions(*, user: AbstractBaseUser, current_key: str | None) -> int:
    """End every session of ``user`` but the one with ``current_key``: they are deleted from
    the session store, so their next request is anonymous. Returns how many were live."""
    others = UserSession.objects.filter(user=user)
    if current_key:
        others = others.exclude(session_key=current_key)
    live = {s.pk for s in live_sessions(user=user, current_key=current_key)}
    ended = 0
    for record in others:
        sessions.session_store(record.session_key).delete()
        ended += record.pk in live
    others.delete()
    return ended
