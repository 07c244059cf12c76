"""Stable error bodies: ``{"code": "...", "detail": ..., "fields": {...}}``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from leerwerk.core.exceptions import ConflictError


def exception_handler(exc, context):  # type: ignore[no-untyped-def]
    if isinstance(exc, ConflictError):
        return Response(
            {"code": "conflict", "detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"code": "invalid", "detail": "Invoer ongeldig.", "fields": response.data}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "detail": response.data.get("detail", "")
            if isinstance(response.data, dict)
            else response.data,
        }
    return response
