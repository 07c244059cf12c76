"""Policies for the core app's own models."""

from leerwerk.core.constants import Action, GlobalRole
from leerwerk.core.models import AuditEvent
from leerwerk.core.policies import Grant, Policy, register


@register(AuditEvent)
class AuditEventPolicy(Policy):
    """The audit log is read by administrators only and written only by services."""

    desk_lookup = None
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
        Action.ADD: Grant(),
        Action.CHANGE: Grant(),
        Action.DELETE: Grant(),
    }
