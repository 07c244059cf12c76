"""Policies for the core app's own models."""

from django_tasks_db.models import DBTaskResult

from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.models import AuditEvent
from leerwerk.core.policies import Grant, Policy, register


@register(AuditEvent)
class AuditEventPolicy(Policy):
    """The audit log is read by desk managers (their own desk) and administrators, and written
    only by services."""

    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(desk=[DeskRole.DESK_MANAGER], everywhere=[GlobalRole.ADMINISTRATOR]),
        Action.ADD: Grant(),
        Action.CHANGE: Grant(),
        Action.DELETE: Grant(),
    }


@register(DBTaskResult)
class TaskResultPolicy(Policy):
    """The background task queue (ids only, no personal data): administrators read it to see
    whether an import waits or failed; only the worker writes it."""

    desk_lookup = None
    grants = {
        Action.VIEW: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
        Action.ADD: Grant(),
        Action.CHANGE: Grant(),
        Action.DELETE: Grant(),
    }
