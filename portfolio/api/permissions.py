"""Who may call the API: the same questions as the pages ask (portfolio.permissions).

Kept apart from the other API code: DRF imports the default permission class while it
starts, before the rest of the API can be imported."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from accounts.permissions import can_view_portfolio, is_manager
from portfolio.permissions import can_view_contacts


class PortfolioPermission(permissions.BasePermission):
    """As on the pages: managers and admins read and write, funders only read, other
    accounts nothing. A view with ``personal_data = True`` (contacts) is managers' only.

    The same question decides lists and single objects, so a list never shows a row that
    its detail would refuse."""

    message = _("You do not have permission to do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if getattr(view, "personal_data", False) and not can_view_contacts(user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return can_view_portfolio(user)
        return is_manager(user)
