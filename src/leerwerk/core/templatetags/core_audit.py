"""Template helpers for links to the audit log."""

from __future__ import annotations

from typing import Any

from django import template

from leerwerk.core.constants import Action
from leerwerk.core.models import AuditEvent
from leerwerk.core.policies import policy_for

register = template.Library()


@register.filter
def may_view_audit_log(user: Any, desk: Any) -> bool:
    """``{% if user|may_view_audit_log:desk %}``: may ``user`` read this desk's audit log?"""
    return policy_for(AuditEvent).can_on_desk(user, Action.VIEW, getattr(desk, "pk", None))
