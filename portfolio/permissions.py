"""Who may do what with the portfolio. Plain functions so views, the API, the admin and
templates ask the same question; roles themselves are accounts.permissions'."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from accounts.permissions import can_view_portfolio, is_manager, project_managers
from portfolio.models import Idea


def can_edit_idea(user: AbstractBaseUser | AnonymousUser, idea: Idea) -> bool:
    """Project managers edit every idea of the network; funders and others only read."""
    return is_manager(user)


def can_view_contacts(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Contact persons are personal data: project managers and admins only."""
    return is_manager(user)


def ideas_for(
    user: AbstractBaseUser | AnonymousUser, rows: QuerySet[Idea] | None = None
) -> QuerySet[Idea]:
    """Of ``rows`` (every idea by default), those ``user`` may read: all of them for the roles
    that read the portfolio, none for anyone else."""
    rows = Idea.objects.all() if rows is None else rows
    return rows if can_view_portfolio(user) else rows.none()


def owners_offered(idea: Idea | None = None) -> QuerySet:
    """Who may be named an idea's owner: the active project managers, and the idea's
    current owner, who stays valid on it after leaving the role."""
    current = Q(pk=idea.owner_id) if idea is not None and idea.owner_id else Q(pk__in=[])
    return (
        get_user_model()
        .objects.filter(Q(pk__in=project_managers().values("pk")) | current)
        .order_by("first_name", "last_name", "username")
    )
