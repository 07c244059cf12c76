from leerwerk.accounts.models import ApiToken, User
from leerwerk.core.constants import Action, GlobalRole
from leerwerk.core.policies import Grant, Policy, register

ADMIN_ONLY = Grant.of(everywhere=[GlobalRole.ADMINISTRATOR])


@register(User)
class UserPolicy(Policy):
    """User records are managed by administrators. Desk managers manage their desk's staff
    through StaffMembership (see ``leerwerk.network.policies``), never users directly."""

    desk_lookup = None
    personal_data = True
    grants = dict.fromkeys(Action.values, ADMIN_ONLY)


@register(ApiToken)
class ApiTokenPolicy(Policy):
    desk_lookup = None
    grants = dict.fromkeys(Action.values, ADMIN_ONLY)
