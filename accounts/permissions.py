"""Roles: who is a project manager, a funder or an administrator, and the view decorators
that ask. One question per role, so pages, the API, the admin, filters, the import and the
reminders all mean the same people."""

from __future__ import annotations

from functools import wraps
from typing import Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

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


def project_managers() -> QuerySet:
    """Active users who work as project managers: the group's members, and administrators,
    who may do everything a project manager does. EXISTS rather than a join, so no user
    is listed twice and no DISTINCT is needed."""
    User = get_user_model()
    in_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=MANAGERS_GROUP
    )
    return User.objects.filter(Q(is_superuser=True) | Exists(in_group), is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def can_view_portfolio(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Project managers, funders and admins read the portfolio; other accounts see nothing."""
    return role_of(user) in ("admin", "manager", "funder")


def _role_required(test):
    """A view decorator: anonymous users go to login, signed-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Reading pages: managers, funders, admins. Writing pages: managers and admins only.
viewer_required = _role_required(can_view_portfolio)
manager_required = _role_required(is_manager)
