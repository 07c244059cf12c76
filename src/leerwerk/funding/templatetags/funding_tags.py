"""Template helpers for funding: money the Dutch way, and the saved advice of a trajectory."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _

from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.funding import selectors
from leerwerk.funding.models import FundingAdvice

register = template.Library()


@register.filter
def euro(value: Any) -> str:
    """€ 1.250,00 for Decimal("1250") or "1250.00"; empty for nothing."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


@register.filter
def percent(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return f"{amount:f}".replace(".", ",") + "%"


@register.filter
def history_value(value: Any) -> str:
    """A value from the change history in words: lists joined, booleans as ja/nee."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


@register.filter
def isodate(value: Any) -> datetime.date | None:
    """A date from its ISO text (as saved in JSON), for the ``date`` filter."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.simple_tag(takes_context=True)
def funding_for_trajectory(context: Any, trajectory: Any) -> dict[str, Any]:
    """The saved funding advice of ``trajectory`` the user may see, and whether they may
    start a new check (for the include on the trajectory page)."""
    user = context["request"].user
    may_add = policy_for(FundingAdvice).can_on_desk(user, Action.ADD, trajectory.desk_id)
    advices = list(selectors.advices_for_trajectory(user, trajectory)[:5]) if may_add else []
    return {"may_add": may_add, "advices": advices}
