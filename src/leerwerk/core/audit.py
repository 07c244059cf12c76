"""Recording audit events. Details hold identifiers and field names, never values of personal
data (so the audit log itself needs no erasure when a person is erased)."""

from __future__ import annotations

from typing import Any

from django.db import models

from leerwerk.core.access import access_for
from leerwerk.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    desk_id: int | None = None,
    result: str = "ok",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    access = access_for(actor)
    roles = sorted(access.roles_at(desk_id)) if desk_id else []
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=access.global_role or ",".join(roles),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_uuid=getattr(obj, "uuid", None),
        desk_id=desk_id,  # a plain id: the event must not fail on a deleted desk
        result=result,
        detail=detail or {},
    )
