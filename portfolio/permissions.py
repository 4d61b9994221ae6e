"""Who may do what. Plain functions so views, the API and templates ask the same question."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from portfolio.models import Idea

MANAGERS_GROUP = "Project managers"
FUNDERS_GROUP = "Funders"

Role = Literal["admin", "manager", "funder", "anonymous", "none"]


def _in_group(user: AbstractBaseUser | AnonymousUser, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cached on the user object: templates ask several times per page.
    cache = getattr(user, "_salkku_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._salkku_groups = cache
    return name in cache


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_superuser


def is_manager(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_admin(user) or _in_group(user, MANAGERS_GROUP)


def is_funder(user: AbstractBaseUser | AnonymousUser) -> bool:
    return _in_group(user, FUNDERS_GROUP) and not is_manager(user)


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role:
    if not user.is_authenticated:
        return "anonymous"
    if is_admin(user):
        return "admin"
    if is_manager(user):
        return "manager"
    if is_funder(user):
        return "funder"
    return "none"


def can_edit_idea(user: AbstractBaseUser | AnonymousUser, idea: Idea) -> bool:
    """Project managers edit every idea of the network; funders and others only read."""
    return is_manager(user)


def can_view_contacts(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Contact persons are personal data: project managers and admins only."""
    return is_manager(user)
