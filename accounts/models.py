"""What belongs to a user account: personal API tokens and signed-in sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox). Only a hash of the token is stored: the
    token itself is shown once, when it is made. ``name`` says what it is for."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “Monthly import script”.")
    )

    class Meta:
        # Kept from when tokens lived beside the portfolio: the rows stay where they are.
        db_table = "portfolio_apitoken"
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    @property
    def expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()


class UserSession(models.Model):
    """A signed-in browser session of a user, so the user can see where they are signed in
    and end the others. The session itself lives in the session store; this row is written
    when the user logs in and its ``last_seen`` refreshed at most once a minute
    (accounts.middleware), so listing sessions needs no scan of the whole store."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="browser_sessions",
        verbose_name=_("user"),
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created = models.DateTimeField(_("signed in"))
    last_seen = models.DateTimeField(_("last seen"))
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.created:%Y-%m-%d %H:%M}"
