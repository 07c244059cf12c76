"""Access to requests, trajectories and registrations: the desk's advisers and desk managers.
Partner referrers may submit requests (referrals) to any desk, nothing more. The vocabulary is
national configuration, maintained by the national team."""

from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.guidance.models import (
    IntakeRequest,
    Registration,
    RegistrationType,
    Trajectory,
    VocabularyVersion,
)

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER

_DESK_WORK = {
    Action.VIEW: Grant.of(desk=[ADVISER, MANAGER]),
    Action.ADD: Grant.of(desk=[ADVISER, MANAGER]),
    Action.CHANGE: Grant.of(desk=[ADVISER, MANAGER]),
    Action.DELETE: Grant.of(desk=[MANAGER]),
}


@register(IntakeRequest)
class IntakeRequestPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = {
        **_DESK_WORK,
        Action.ADD: Grant.of(desk=[ADVISER, MANAGER], everywhere=[GlobalRole.PARTNER_REFERRER]),
    }


@register(Trajectory)
class TrajectoryPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = _DESK_WORK


@register(Registration)
class RegistrationPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = _DESK_WORK


_NATIONAL_VOCABULARY = {
    Action.VIEW: Grant.of(public=True),
    Action.ADD: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM]),
    Action.CHANGE: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM]),
    Action.DELETE: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM]),
}


@register(VocabularyVersion)
class VocabularyVersionPolicy(Policy):
    desk_lookup = None
    grants = _NATIONAL_VOCABULARY


@register(RegistrationType)
class RegistrationTypePolicy(Policy):
    desk_lookup = None
    grants = _NATIONAL_VOCABULARY
