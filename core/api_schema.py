"""The OpenAPI schema: every operation documents each answer it can give."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse

from core.api import Detail, FieldErrors

WRITES = ("POST", "PUT", "PATCH")

# Answers any operation can give, whoever calls it: before a view reads the request (413,
# 414) or because the caller sends too many (429).
EVERY_OPERATION = {
    "413": OpenApiResponse(
        Detail,
        description=_(
            "The request body is over the server's limit (2.5 MB unless configured "
            "otherwise); nothing was read."
        ),
    ),
    "414": OpenApiResponse(
        description=_(
            "The address is longer than the web server accepts; answered by the web server "
            "in front of the application, without a body of this API's shape."
        )
    ),
    "429": OpenApiResponse(
        Detail,
        description=_(
            "Too many requests: try again after the number of seconds in the Retry-After "
            "header."
        ),
    ),
}
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": _("Seconds to wait before the next request."),
    }
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the error answers every operation can give: 401 without
    credentials, 403 for a role that may not, 404 for an unknown object or a page past the
    end, 400 for a bad filter, page or page size, a body that is not JSON (or nested too
    deep) or a refused write; 413 for a body too large, 414 for an address too long and
    429 for too many requests."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        is_list = self._is_list_view() and self.method == "GET"
        errors = {"401": Detail, "403": Detail}
        if is_list or "{" in self.path:
            errors["404"] = Detail
        if is_list:
            errors["400"] = FieldErrors
        if self.method in WRITES:
            errors["400"] = FieldErrors
        errors.update(EVERY_OPERATION)
        for code, serializer in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code, direction=direction)
        responses["429"].setdefault("headers", {}).update(RETRY_AFTER)
        return dict(sorted(responses.items()))
