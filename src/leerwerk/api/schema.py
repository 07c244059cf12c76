"""OpenAPI generation: every operation documents the error responses it can give.

The error body is the same everywhere (``leerwerk.api.exceptions``), so instead of repeating
``@extend_schema(responses=…)`` on every view, the schema class adds the statuses that follow
from the view's permissions and the HTTP method.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions

from leerwerk.api.serializers import ErrorSerializer

WRITE_METHODS = {"POST", "PUT", "PATCH"}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input (code `invalid`): the Dutch messages per field are in `fields`.",
    "401": "No valid token or session (`not_authenticated`, `authentication_failed`).",
    "403": "The object exists for you, but you may not do this (`permission_denied`).",
    "404": "Not found, or not visible to you: objects of other desks are never revealed.",
    "409": "Someone changed the object after you read it (`conflict`); nothing was saved.",
    "429": "Too many requests from this address (`throttled`); try again later.",
}


class LeerwerkAutoSchema(AutoSchema):
    def _is_public(self) -> bool:
        return any(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )

    def _error_statuses(self) -> list[str]:
        statuses = []
        has_lookup = "{" in self.path
        filters = (
            self.method == "GET" and not has_lookup and getattr(self.view, "query_filters", False)
        )
        if self.method in WRITE_METHODS or filters:
            statuses.append("400")  # invalid input or query parameter
        if self._is_public():
            statuses.append("429")
        else:
            statuses += ["401", "403"]
        if has_lookup:
            statuses.append("404")
        if (
            self.method in {"PUT", "PATCH", "DELETE"}
            and has_lookup
            and getattr(self.view, "versioned", False)
        ):
            statuses.append("409")
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status_code in self._error_statuses():
            responses.setdefault(
                status_code,
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status_code]),
                    status_code,
                    direction=direction,
                ),
            )
        return responses
