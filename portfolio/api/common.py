"""What every API endpoint shares: who may call it, pages, error answers, and writes that
go through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, permissions, serializers
from rest_framework.request import Request
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator
from rest_framework.views import exception_handler as drf_exception_handler

from portfolio.permissions import can_view_contacts, can_view_portfolio, is_manager


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


class Pagination(pagination.PageNumberPagination):
    """Pages of 50; ``page_size`` up to 200. A page past the end is a 404 with a message."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("There is no page “{page_number}”: {message}")


def django_errors(exc: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    """A model or service ValidationError in DRF's shape: field → messages, with rules on
    the whole object under ``non_field_errors``. The words are the model's, as on the pages."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def exception_handler(exc: Exception, context: dict) -> Any:
    """DRF's handler, plus the errors the services raise: a rule broken (400) and a write
    that lost a race to a database constraint (400 with a message, never a 500)."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(
            {
                "non_field_errors": [
                    _(
                        "Someone else saved a conflicting change at the same moment. "
                        "Load the data again and retry."
                    )
                ]
            }
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class ServiceSerializer(serializers.ModelSerializer):
    """A ModelSerializer for input and output whose writes go through a service.

    It checks only types and choices; the rules (uniqueness, constraints, model ``clean``)
    are checked by the service's ``full_clean`` so that the answer uses the same words as
    the pages. Subclasses implement ``create`` and ``update`` with a service call.
    """

    def get_validators(self) -> list:
        return [v for v in super().get_validators() if not isinstance(v, UniqueTogetherValidator)]

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        validators = kwargs.get("validators")
        if validators:
            kwargs["validators"] = [v for v in validators if not isinstance(v, UniqueValidator)]
        return field_class, kwargs

    @property
    def by(self):
        return self.context["request"].user


def hide_personal_data(serializer: serializers.Serializer, *names: str) -> None:
    """Drop fields that name people when the caller may not see contacts (funders)."""
    request = serializer.context.get("request")
    if request is not None and not can_view_contacts(request.user):
        for name in names:
            serializer.fields.pop(name, None)
