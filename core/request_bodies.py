"""Request bodies read with limits, so that a hostile or broken body is a 4xx naming the
problem, never a server error: JSON nested deeper than any real request (Python's parser
would run out of stack), JSON that does not parse, and a body over Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE``. Used by the API's parser and by the board's move endpoint,
which answer in their own JSON shapes."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, parsers


class BodyError(ValueError):
    """A body that cannot be read; the message says why, in the reader's language."""


def too_deep_message() -> str:
    return _("JSON parse error - nested deeper than %(limit)d levels.") % {
        "limit": settings.JSON_BODY_MAX_DEPTH
    }


def too_large_message() -> str:
    return _("The request body is larger than %(size)s, the most this server accepts.") % {
        "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def check_depth(value: Any) -> None:
    """Refuse ``value`` if its lists and objects nest deeper than ``JSON_BODY_MAX_DEPTH``.
    Walked with a stack of its own: deep data must not recurse here either."""
    limit = settings.JSON_BODY_MAX_DEPTH
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            raise BodyError(too_deep_message())
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def loads(raw: bytes | str) -> Any:
    """The JSON value of a body, or ``BodyError`` saying why there is none."""
    try:
        value = json.loads(raw)
    except RecursionError:  # nested past Python's stack; the depth limit says it in words
        raise BodyError(too_deep_message()) from None
    except ValueError as error:
        raise BodyError(_("JSON parse error - %(error)s") % {"error": error}) from None
    if isinstance(value, dict | list):
        check_depth(value)
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (NaN and Infinity refused, as JSON has neither), which also refuses
    nesting past ``JSON_BODY_MAX_DEPTH`` with a 400 instead of a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            value = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(too_deep_message()) from None
        if isinstance(value, dict | list):
            try:
                check_depth(value)
            except BodyError as error:
                raise exceptions.ParseError(str(error)) from None
        return value


def unreadable_message(exception: Exception) -> str:
    """Why Django refused to read a request, in words for its sender."""
    if isinstance(exception, RequestDataTooBig):
        return too_large_message()
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return _("The request has more fields or files than this server accepts.")
    return _("The request could not be read.")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (``handler400``): a request Django refused before a view could answer,
    most often a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413). The API and a caller that
    asks for JSON (the board's move) get JSON in their own shapes; pages get Django's page."""
    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    message = unreadable_message(exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    if "application/json" in request.headers.get("Accept", ""):
        error = "too_large" if too_large else "bad_request"
        return JsonResponse({"error": error, "message": message}, status=status)
    response = defaults.bad_request(request, exception)
    response.status_code = status
    return response
