"""The OpenAPI schema: every operation documents each answer it can give."""

from __future__ import annotations

from drf_spectacular import openapi

from core.api import Detail, FieldErrors

WRITES = ("POST", "PUT", "PATCH")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the error answers every operation can give: 401 without
    credentials, 403 for a role that may not, 404 for an unknown object or a page past the
    end, and 400 for a bad filter or a refused write."""

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
        for code, serializer in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code, direction=direction)
        return dict(sorted(responses.items()))
