"""``{% load agenda_tags %}``: may this user open the agenda of this desk (for menus)?"""

from typing import Any

from django import template

from leerwerk.agenda.models import Appointment
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for

register = template.Library()


@register.filter
def may_use_agenda_of(user: Any, desk: Any) -> bool:
    return desk is not None and policy_for(Appointment).can_on_desk(user, Action.VIEW, desk.pk)
