"""Reads of a user's own things: signed-in sessions."""

from __future__ import annotations

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts import sessions
from accounts.models import UserSession


def live_sessions(*, user: AbstractBaseUser, current_key: str | None) -> list[UserSession]:
    """The user's sessions that are still signed in, most recently seen first; each has
    ``is_current`` (the session asking) and ``browser``. A record whose session has expired,
    was signed out elsewhere or belongs to an old password is left out."""
    now = timezone.now()
    result = []
    for record in UserSession.objects.filter(user=user):
        record.is_current = record.session_key == current_key
        if not record.is_current:
            data = sessions.session_store(record.session_key).load()
            if not (
                data.get(SESSION_KEY) == str(user.pk)
                and constant_time_compare(
                    data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
                )
                and sessions.expiry_reason(data, now) is None
            ):
                continue
        record.browser = sessions.describe_user_agent(record.user_agent)
        result.append(record)
    return result
