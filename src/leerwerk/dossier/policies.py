"""Access to development plans and messages: like trajectories, the desk's advisers and desk
managers, on their own desk only. Personal data: the national team and ministry viewers never
see any of it (checked when the classes are defined). Messages are never changed or deleted
by hand; the read markers are set by the services when the thread is opened."""

from leerwerk.core.constants import Action, DeskRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.dossier.models import DevelopmentPlan, Message, PlanStep

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER
_DESK_STAFF = Grant.of(desk=[ADVISER, MANAGER])

_PLAN_WORK = {
    Action.VIEW: _DESK_STAFF,
    Action.ADD: _DESK_STAFF,
    Action.CHANGE: _DESK_STAFF,
    # Only drafts can be removed (the service refuses shared plans).
    Action.DELETE: _DESK_STAFF,
}


@register(DevelopmentPlan)
class DevelopmentPlanPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = _PLAN_WORK


@register(PlanStep)
class PlanStepPolicy(Policy):
    desk_lookup = "plan__desk"
    personal_data = True
    grants = _PLAN_WORK


@register(Message)
class MessagePolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: _DESK_STAFF,
        Action.ADD: _DESK_STAFF,
        Action.CHANGE: Grant(),
        Action.DELETE: Grant(),
    }
