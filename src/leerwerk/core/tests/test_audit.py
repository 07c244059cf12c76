"""The audit log: append-only, survives a rollback, readable by the desk's manager."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from leerwerk.core.audit import audit_record, close_audit_connection
from leerwerk.core.models import AuditEvent, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="database-level guarantees are PostgreSQL's (production); SQLite has one writer",
)


def record(desk_id=None, action="test.event", actor=None):
    marker = uuid.uuid4()
    audit_record(
        actor=actor,
        action=action,
        object_type="test.thing",
        desk_id=desk_id,
        detail={"m": str(marker)},
    )
    return AuditEvent.objects.get(detail__m=str(marker))


def test_an_event_records_actor_role_and_desk(manager_a, desk_a):
    event = record(desk_id=desk_a.pk, actor=manager_a)
    assert event.actor_id == manager_a.pk
    assert event.actor_role == "desk_manager"
    assert event.desk_id == desk_a.pk
    assert event.result == "ok"


def test_the_application_cannot_change_or_delete_an_event():
    event = record()
    event.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.action == "test.event"


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET action = 'changed' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_changes_even_in_raw_sql(sql):
    event = record()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="test.event").exists()


@postgres_only
def test_an_event_survives_the_rollback_of_the_surrounding_transaction(settings):
    settings.LEERWERK_AUDIT_OWN_CONNECTION = True
    marker = str(uuid.uuid4())

    class Failure(Exception):
        pass

    try:
        with pytest.raises(Failure), transaction.atomic():
            audit_record(
                actor=None, action="test.rollback", object_type="test.thing", detail={"m": marker}
            )
            raise Failure
    finally:
        close_audit_connection()
    # the surrounding work is gone, the audit event is committed
    assert AuditEvent.objects.filter(action="test.rollback", detail__m=marker).count() == 1


def test_desk_managers_read_their_own_desks_log_only(
    manager_a, adviser_a, national_user, desk_a, desk_b
):
    own = record(desk_id=desk_a.pk)
    other = record(desk_id=desk_b.pk)
    visible = set(AuditEvent.objects.for_user(manager_a))
    assert own in visible and other not in visible
    assert not AuditEvent.objects.for_user(adviser_a).exists()
    assert not AuditEvent.objects.for_user(national_user).exists()
