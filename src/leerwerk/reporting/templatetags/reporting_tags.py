from typing import Any

from django import template

from leerwerk.reporting.views import may_view_report

register = template.Library()


@register.filter
def may_view_report_of(user: Any, desk: Any) -> bool:
    """Whether the desk's half-year report is open to this user (its own staff, administrators)."""
    return may_view_report(user, desk)
