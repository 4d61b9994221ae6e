"""What every API endpoint shares: pages, filters, error answers, and writes that go through
the services. Who may call it is each app's own question (``portfolio.api.permissions``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import exceptions, pagination, serializers, viewsets
from rest_framework.request import Request
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.forms import CONFLICT_MESSAGE
from core.request_bodies import unreadable_message


class CursorPages(pagination.CursorPagination):
    """Cursor pages (``pagination=cursor``): the rows in a fixed order, each page found from
    the last row of the one before by an index range, with no ``COUNT(*)`` of the whole
    list, so the cost of a page does not grow with the number of rows; the answer is
    ``next``, ``previous`` and ``results``, without ``count``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def __init__(self, ordering: tuple[str, ...]) -> None:
        self.ordering = ordering

    def get_page_size(self, request: Request) -> int:
        size = request.query_params.get(self.page_size_query_param, "")
        return int(size) if size else self.page_size  # checked by Pagination


class Pagination(pagination.PageNumberPagination):
    """Pages of 50; ``page_size`` from 1 to 200. A ``page`` or ``page_size`` that is not
    such a number is a 400 naming it (DRF would quietly give the first page of 50); a page
    past the end is a 404 with a message.

    A subclass that names a ``cursor_ordering`` (:class:`PageOrCursorPagination`) also
    offers cursor pages, chosen by ``pagination=cursor``: no count of the whole list on
    every page, so a client walking a large list pays the same for its last page as for
    its first. Page numbers stay the default, with their answer unchanged."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("There is no page “{page_number}”: {message}")
    mode_query_param = "pagination"
    cursor_ordering: tuple[str, ...] | None = None
    cursor_pages: CursorPages | None = None

    def paginate_queryset(self, queryset, request: Request, view=None):
        errors = {}
        mode = request.query_params.get(self.mode_query_param, "")
        ordering = self.cursor_ordering
        # A "next" link carries the cursor; pagination=page asks for numbers whatever else.
        cursor = bool(ordering) and (
            mode == "cursor" or (not mode and "cursor" in request.query_params)
        )
        # Lists without cursor pages leave the parameter alone, as they always have.
        if ordering and mode not in ("", "page", "cursor"):
            errors[self.mode_query_param] = [_("Enter “page” or “cursor”.")]
        page = request.query_params.get(self.page_query_param, "")
        if cursor and page:
            errors[self.page_query_param] = [_("Cursor pages have no numbers: follow “next”.")]
        elif page and page not in self.last_page_strings and whole_number(page) < 1:
            errors[self.page_query_param] = [_("Enter a page number of 1 or more, or “last”.")]
        if cursor and request.query_params.get("ordering", ""):
            errors["ordering"] = [
                _("Cursor pages come in one order, newest first: leave out ordering.")
            ]
        size = request.query_params.get(self.page_size_query_param, "")
        if size and not 1 <= whole_number(size) <= self.max_page_size:
            errors[self.page_size_query_param] = [
                _("Enter a whole number from 1 to %(most)d.") % {"most": self.max_page_size}
            ]
        if errors:
            raise exceptions.ValidationError(errors)
        if cursor:
            self.cursor_pages = CursorPages(ordering)
            return self.cursor_pages.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor_pages is not None:
            return self.cursor_pages.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_page_size(self, request: Request) -> int:
        size = request.query_params.get(self.page_size_query_param, "")
        return int(size) if size else self.page_size  # checked in paginate_queryset

    def get_paginated_response_schema(self, schema: dict) -> dict:
        answer = super().get_paginated_response_schema(schema)
        if self.cursor_ordering:
            answer["properties"]["count"]["description"] = (
                "How many rows the list has in all; absent from cursor pages "
                "(pagination=cursor)."
            )
            answer["required"] = [name for name in answer.get("required", []) if name != "count"]
        return answer

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        if self.cursor_ordering:
            parameters += [
                {
                    "name": self.mode_query_param,
                    "required": False,
                    "in": "query",
                    "description": (
                        "page (the default): numbered pages with the count of all rows. "
                        "cursor: pages newest first, found from the one before; no count, "
                        "so each page costs the same however long the list; follow next "
                        "and previous. Not with page or ordering."
                    ),
                    "schema": {"type": "string", "enum": ["page", "cursor"]},
                },
                {
                    "name": "cursor",
                    "required": False,
                    "in": "query",
                    "description": "The position of a cursor page, as next and previous give it.",
                    "schema": {"type": "string"},
                },
            ]
        return parameters


class PageOrCursorPagination(Pagination):
    """Page numbers, or cursor pages newest first (``pagination=cursor``): for the lists
    that grow large, where a count of every row on every page is most of a page's cost."""

    cursor_ordering = ("-created_at", "-pk")


def whole_number(text: str) -> int:
    """``text`` as an integer, or 0 when it is none (0 is never a valid page or page size)."""
    try:
        return int(text)
    except ValueError:  # also a number of more digits than Python converts
        return 0


class RequestTooLarge(exceptions.APIException):
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: refused before it is read."""

    status_code = 413
    default_code = "request_too_large"


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
    that lost a race to a database constraint (400 with a message, never a 500); and a
    request Django refuses to read: a body too large (413) or too many fields (400)."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError({"non_field_errors": [CONFLICT_MESSAGE]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):  # Django would answer with its HTML page
        too_large = isinstance(exc, RequestDataTooBig)
        error_class = RequestTooLarge if too_large else exceptions.ParseError
        exc = error_class(unreadable_message(exc))
    return drf_exception_handler(exc, context)


class ServiceSerializer(serializers.ModelSerializer):
    # A ModelSerializer for input and output whose writes go through a service. It checks
    # only types and choices; the rules (uniqueness, constraints, model ``clean``) are
    # checked by the service's ``full_clean``, so the answer uses the same words as the
    # pages. Subclasses name their service in ``save_instance``; one with related lists to
    # set as well implements ``create`` and ``update`` itself. (A comment, not a docstring:
    # the API schema would show a docstring as the description of every subclass.)

    # Fields given when the row is made and never moved after (e.g. the idea a
    # membership or an application belongs to).
    fixed_after_create: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, self.Meta.model):
            for name in self.fixed_after_create:
                self.fields[name].read_only = True

    def save_instance(self, instance):
        raise NotImplementedError

    def create(self, validated_data: dict):
        return self.save_instance(self.Meta.model(**validated_data))

    def update(self, instance, validated_data: dict):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_instance(instance)

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


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend for list requests: a bad value is a 400 naming the filter.
    A view may order the rows as its page does with ``order_rows(filterset)``."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        times_in_utc(filterset.form)
        order_rows = getattr(view, "order_rows", None)
        return order_rows(filterset) if order_rows is not None else filterset.qs


def times_in_utc(form: Form) -> None:
    """Filter times in UTC, as the database keeps them. PostgreSQL refuses UTC offsets past
    ±15:59 that ISO 8601 allows, and a time at the edge of year 1 or 9999 may not exist in
    UTC: either is a 400 naming the filter, not a server error."""
    for name, value in form.cleaned_data.items():
        if isinstance(value, datetime):
            try:
                form.cleaned_data[name] = value.astimezone(UTC)
            except OverflowError:
                raise exceptions.ValidationError({name: [_("Enter a valid date/time.")]}) from None


class ThrottledFirst:
    """Throttles before permissions. DRF checks permissions first, so an anonymous request
    would get its 401 before any throttle counted it; and a wrong token fails before either.
    Here both are counted against their address, so a flood of them meets 429 too."""

    def perform_authentication(self, request: Request) -> None:
        try:
            request.user  # noqa: B018  (authenticates)
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)  # as anonymous: DRF set the user so on failure
            raise
        self.check_throttles(request)

    def check_throttles(self, request: Request) -> None:
        # Once per request: DRF's own call after the permissions must not count it again.
        if getattr(request, "_throttles_checked", False):
            return
        request._throttles_checked = True
        super().check_throttles(request)


class ApiViewSet(ThrottledFirst, viewsets.GenericViewSet):
    """The base of every endpoint. Writes go through the serializer, which calls a service;
    deletes call ``remove(instance)``."""

    filter_backends = [FilterBackend]
    pagination_class = Pagination

    def get_object(self):
        try:
            return super().get_object()
        except OverflowError:  # an id beyond 64 bits (SQLite) is no row, not a server error
            raise exceptions.NotFound() from None

    def perform_destroy(self, instance) -> None:
        self.remove(instance)

    def remove(self, instance) -> None:
        raise NotImplementedError


class UnknownAddressView(APIView):
    """Any other address under /api/: a 404 in JSON like the endpoints' own, not the site's
    HTML page (an id the router does not take, such as ``1.5``, lands here too)."""

    authentication_classes: list = []
    permission_classes: list = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise exceptions.NotFound()


class Detail(serializers.Serializer):
    """An error in words: 401, 403, 404, 400 for a malformed request, 413 for a body too
    large and 429 for too many requests."""

    detail = serializers.CharField()


class FieldErrors(serializers.Serializer):
    """A refused write (400): each field's messages under its name, rules about the whole
    object under ``non_field_errors`` — the same words as on the pages."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False)
