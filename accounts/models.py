"""What belongs to a user account: personal API tokens."""

from __future__ import annotations

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
