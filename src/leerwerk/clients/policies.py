"""Access to clients and employers: the desk's advisers and desk managers only. Personal data:
the national team and ministry never see these rows (see docs/scoping.md)."""

from leerwerk.clients.models import Client, Consent, Employer, EmployerContactPerson, TargetGroup
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER

_DESK_WORK = {
    Action.VIEW: Grant.of(desk=[ADVISER, MANAGER]),
    Action.ADD: Grant.of(desk=[ADVISER, MANAGER]),
    Action.CHANGE: Grant.of(desk=[ADVISER, MANAGER]),
    # Erasing (anonymising) a client or removing an employer: the desk manager.
    Action.DELETE: Grant.of(desk=[MANAGER]),
}


@register(Client)
class ClientPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = _DESK_WORK


@register(Consent)
class ConsentPolicy(Policy):
    desk_lookup = "client__desk"
    personal_data = True
    grants = _DESK_WORK


@register(Employer)
class EmployerPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True  # small employers are often one person; contact persons certainly
    grants = _DESK_WORK


@register(EmployerContactPerson)
class EmployerContactPersonPolicy(Policy):
    desk_lookup = "employer__desk"
    personal_data = True
    grants = _DESK_WORK


@register(TargetGroup)
class TargetGroupPolicy(Policy):
    """The list of target groups is national configuration."""

    desk_lookup = None
    grants = {
        Action.VIEW: Grant.of(public=True),
        Action.ADD: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM, GlobalRole.ADMINISTRATOR]),
        Action.CHANGE: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM, GlobalRole.ADMINISTRATOR]),
        Action.DELETE: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
    }
