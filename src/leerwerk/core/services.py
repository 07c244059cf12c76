"""Shared helpers for services."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone

from leerwerk.core.exceptions import ConflictError


def save_versioned(obj: models.Model, *, expected_version: int | None, fields: list[str]) -> None:
    """Save ``fields`` of ``obj`` only if nobody saved it since ``expected_version``.

    The check and the write are one UPDATE ... WHERE version = expected, so two simultaneous
    saves cannot both win: the second gets a ConflictError and nothing of it is written.
    """
    model: Any = type(obj)
    current = obj.version if expected_version is None else expected_version  # type: ignore[attr-defined]
    values = {name: getattr(obj, name) for name in fields}
    if "updated_at" in {f.name for f in model._meta.concrete_fields}:
        values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=obj.pk, version=current).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise ConflictError
    obj.version = current + 1  # type: ignore[attr-defined]


@contextmanager
def unchanged_on_error(obj: models.Model) -> Iterator[None]:
    """Services set values on the object they were given before validating; when the service
    fails, put the object back to what the database holds so callers never see unsaved values."""
    try:
        yield
    except Exception:
        if obj.pk is not None:
            obj.refresh_from_db()
        raise
