"""Scale the synthetic registrations up for the national-scale report benchmark (PostgreSQL only).

Generating every registration in Python costs about 90 s per million here; 50 million would take
over an hour. This copies the existing synthetic registrations in SQL instead: each copy keeps
desk, client, trajectory, type and status (so every row stays consistent with its desk) and moves
the date by a random number of days within the synthetic range. Indexes and foreign-key checks are
switched off during the copy and rebuilt afterwards (the same definitions as before), which is
what makes tens of millions of rows take minutes instead of hours.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from leerwerk.guidance.synthetic import START
from leerwerk.reporting.aggregates import forget_cached_figures

TABLE = "guidance_registration"


def _index_definitions(cursor) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """Non-primary-key indexes and unique constraints of the registration table."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        [TABLE],
    )
    constraints = list(cursor.fetchall())
    constraint_names = {name for name, _definition in constraints}
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'p')",
        [TABLE, TABLE],
    )
    indexes = [(name, sql) for name, sql in cursor.fetchall() if name not in constraint_names]
    return indexes, constraints


def scale_registrations_to(
    target: int, *, seed: int = 1, report: Callable[[str], None] | None = None
) -> int:
    """Copy synthetic registrations until the table holds about ``target`` rows. Returns the
    number of rows added."""
    if connection.vendor != "postgresql":
        raise RuntimeError("Scaling up is only supported on PostgreSQL.")
    say = report or (lambda message: None)
    span = (timezone.localdate() - START).days
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {TABLE}")  # noqa: S608
        count, max_id = cursor.fetchone()
        if not count or count >= target:
            return 0
        indexes, constraints = _index_definitions(cursor)
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")  # no FK/trigger checks
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SELECT setseed(%s)", [((seed % 1000) / 1000.0)])
            for name, _definition in constraints:
                cursor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            say(f"indexen verwijderd ({time.perf_counter() - started:,.0f} s)")
            added = 0
            copy = 0
            while count + added < target:
                copy += 1
                batch = min(count, target - count - added)
                cursor.execute(
                    f"""
                    INSERT INTO {TABLE} (id, uuid, created_at, updated_at, version, desk_id, kind,
                        type_id, occurred_on, client_id, trajectory_id, employer_id, partner_id,
                        adviser_id, channel, status, duration_minutes, note)
                    SELECT id + %(shift)s, gen_random_uuid(), created_at, updated_at, 1, desk_id,
                        kind, type_id,
                        LEAST(%(last)s::date, %(first)s::date
                              + ((occurred_on - %(first)s::date + (random() * 120)::int - 60)
                                 %% %(span)s + %(span)s) %% %(span)s),
                        client_id, trajectory_id, employer_id, partner_id, adviser_id, channel,
                        status, duration_minutes, ''
                    FROM {TABLE} WHERE id <= %(max_id)s ORDER BY id LIMIT %(batch)s
                    """,  # noqa: S608
                    {
                        "shift": max_id * copy,
                        "last": timezone.localdate(),
                        "first": START,
                        "span": span,
                        "max_id": max_id,
                        "batch": batch,
                    },
                )
                added += batch
                say(f"{count + added:,} registraties ({time.perf_counter() - started:,.0f} s)")
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
            for name, sql in indexes:
                cursor.execute(sql)
                say(f"index {name} opnieuw gebouwd ({time.perf_counter() - started:,.0f} s)")
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), (SELECT MAX(id) FROM {TABLE}))"  # noqa: S608
            )
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute(f"ANALYZE {TABLE}")
    forget_cached_figures()
    return added
