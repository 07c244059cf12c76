"""Stable error bodies: ``{"code": "...", "detail": "...", "fields": {...}}``.

``code`` is a fixed English word a client can branch on (``invalid``, ``conflict``,
``not_found``, ``permission_denied``, ``not_authenticated``, ``authentication_failed``,
``throttled``, ``method_not_allowed`` …); ``detail`` is a Dutch sentence for people; ``fields``
maps field names to lists of Dutch messages (empty unless ``code`` is ``invalid``). Services
raise Django's ValidationError / ConflictError / PermissionDenied; they become 400 / 409 / 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from leerwerk.core.exceptions import ConflictError

NON_FIELD_KEY = "non_field_errors"


def _messages_of(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            (NON_FIELD_KEY if name == NON_FIELD_ERRORS else name): list(messages)
            for name, messages in exc.message_dict.items()
        }
    return {NON_FIELD_KEY: list(exc.messages)}


def _dutch_detail(exc: exceptions.APIException) -> str:
    """Our own Dutch sentences for the common statuses (formal 'u', like the rest of the UI)."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("U bent niet ingelogd. Stuur een geldig token mee: Authorization: Token …")
    if isinstance(exc, exceptions.PermissionDenied):
        return _("U hebt geen toestemming voor deze handeling.")
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        if wait is not None:
            return _("Te veel verzoeken. Probeer het over %(seconds)s seconden opnieuw.") % {
                "seconds": int(wait) + 1
            }
        return _("Te veel verzoeken. Probeer het later opnieuw.")
    return str(exc.detail) if not isinstance(exc.detail, list | dict) else ""


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConflictError):
        return Response(
            {"code": "conflict", "detail": exc.messages[0], "fields": {}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages_of(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # never Django's "No Desk matches the given query."
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            response.data if isinstance(response.data, dict) else {NON_FIELD_KEY: response.data}
        )
        response.data = {
            "code": "invalid",
            "detail": _("De invoer is niet goed. Bekijk de meldingen per veld."),
            "fields": fields,
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = {"code": code, "detail": _dutch_detail(exc), "fields": {}}
    return response
