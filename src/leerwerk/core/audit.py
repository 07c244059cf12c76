"""Recording audit events.

Details hold identifiers and field names, never values of personal data, so the audit log
itself needs no erasure when a person is erased.

An audit event must survive a rollback of the surrounding transaction: a view of a client's
data that ends in an error still happened. On PostgreSQL, an event recorded inside a
transaction is therefore written through a separate autocommit connection (one per thread),
so it is committed at once and independently. SQLite (the embedded demo mode) has a single
writer per database file, so there the event is written in the same transaction; see
docs/decisions/0002-audit-log.md. ``LEERWERK_AUDIT_OWN_CONNECTION`` switches the separate
connection off (the test settings do, except in the test that proves the behaviour).
"""

from __future__ import annotations

import json
import threading
import uuid as uuid_module
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from leerwerk.core.access import access_for
from leerwerk.core.models import AuditEvent

_local = threading.local()


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    desk_id: int | None = None,
    result: str = "ok",
    detail: dict[str, Any] | None = None,
) -> None:
    access = access_for(actor)
    roles = sorted(access.roles_at(desk_id)) if desk_id else []
    values = {
        "at": timezone.now(),
        "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
        "actor_role": access.global_role or ",".join(roles),
        "action": action,
        "object_type": object_type or (obj._meta.label_lower if obj is not None else ""),
        "object_uuid": getattr(obj, "uuid", None),
        "desk_id": desk_id,  # a plain id: the event must not fail on a deleted desk
        "result": result,
        "detail": detail or {},
    }
    if _use_own_connection():
        _insert_autonomously(values)
    else:
        AuditEvent.objects.create(**values)


def _use_own_connection() -> bool:
    return (
        getattr(settings, "LEERWERK_AUDIT_OWN_CONNECTION", True)
        and connection.vendor == "postgresql"
        and connection.in_atomic_block
    )


def _audit_connection() -> Any:
    """A per-thread autocommit psycopg connection to the same database as ``default``."""
    import psycopg

    params = connection.get_connection_params()
    key = (params.get("host"), params.get("port"), params.get("dbname"), params.get("user"))
    conn = getattr(_local, "conn", None)
    if conn is not None and (getattr(_local, "key", None) != key or conn.closed or conn.broken):
        conn.close()
        conn = None
    if conn is None:
        params = {k: v for k, v in params.items() if k not in ("cursor_factory", "context")}
        conn = psycopg.connect(**params, autocommit=True)
        _local.conn, _local.key = conn, key
    return conn


def _insert_autonomously(values: dict[str, Any]) -> None:
    table = AuditEvent._meta.db_table
    columns = list(values)
    params = [
        json.dumps(v) if k == "detail" else str(v) if isinstance(v, uuid_module.UUID) else v
        for k, v in values.items()
    ]
    placeholders = ", ".join("%s::jsonb" if c == "detail" else "%s" for c in columns)
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({placeholders})'  # noqa: S608 (names from the model)
    try:
        _audit_connection().execute(sql, params)
    except Exception:
        # One retry on a fresh connection (e.g. after a server restart).
        _local.conn = None
        _audit_connection().execute(sql, params)


def close_audit_connection(**kwargs: Any) -> None:
    """Close this thread's audit connection (connected to ``request_finished``, so no request
    thread keeps one open)."""
    conn = getattr(_local, "conn", None)
    if conn is not None:
        conn.close()
        _local.conn = None
