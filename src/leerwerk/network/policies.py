"""Who may do what with network objects. The one place these rules live (see docs/scoping.md)."""

from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.network.models import (
    Certification,
    Desk,
    DeskPartnership,
    ExpertiseTag,
    Location,
    Municipality,
    OpeningHours,
    Partner,
    Postcode,
    Region,
    ServiceLine,
    StaffMembership,
)

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER
NATIONAL, MINISTRY, ADMIN = (
    GlobalRole.NATIONAL_TEAM,
    GlobalRole.MINISTRY_VIEWER,
    GlobalRole.ADMINISTRATOR,
)

# Public reference data: anyone reads it, administrators maintain it.
_REFERENCE = {
    Action.VIEW: Grant.of(public=True),
    Action.ADD: Grant.of(everywhere=[ADMIN]),
    Action.CHANGE: Grant.of(everywhere=[ADMIN]),
    Action.DELETE: Grant.of(everywhere=[ADMIN]),
}


@register(Region)
class RegionPolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


@register(Municipality)
class MunicipalityPolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


@register(Postcode)
class PostcodePolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


@register(ServiceLine)
class ServiceLinePolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


@register(Certification)
class CertificationPolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


@register(ExpertiseTag)
class ExpertiseTagPolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


@register(Desk)
class DeskPolicy(Policy):
    """Staff see their own desk; the national team, ministry and administrators see every desk.
    Desk managers change their desk's settings; only administrators create or remove desks."""

    desk_lookup = "pk"
    grants = {
        Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[NATIONAL, MINISTRY, ADMIN]),
        Action.CHANGE: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
        Action.ADD: Grant.of(everywhere=[ADMIN]),
        Action.DELETE: Grant.of(everywhere=[ADMIN]),
    }


_DESK_MANAGED = {
    Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[NATIONAL, MINISTRY, ADMIN]),
    Action.ADD: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
    Action.CHANGE: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
    Action.DELETE: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
}


@register(Location)
class LocationPolicy(Policy):
    desk_lookup = "desk"
    grants = _DESK_MANAGED


@register(OpeningHours)
class OpeningHoursPolicy(Policy):
    desk_lookup = "location__desk"
    grants = _DESK_MANAGED


@register(DeskPartnership)
class DeskPartnershipPolicy(Policy):
    desk_lookup = "desk"
    grants = _DESK_MANAGED


@register(Partner)
class PartnerPolicy(Policy):
    """Partner organisations are shared by the network: every staff member can read them,
    desk managers may register a new one, administrators edit them."""

    desk_lookup = None
    grants = {
        Action.VIEW: Grant.of(public=True),
        Action.ADD: Grant.of(everywhere=[ADMIN]),
        Action.CHANGE: Grant.of(everywhere=[ADMIN]),
        Action.DELETE: Grant.of(everywhere=[ADMIN]),
    }


@register(StaffMembership)
class StaffMembershipPolicy(Policy):
    """Who works where holds names and e-mail addresses: personal data. Colleagues at the desk
    see the team; the desk manager manages it; the national team sees counts only (through
    ``selectors.unscoped_staff_figures``), never the people."""

    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[ADMIN]),
        Action.ADD: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
        Action.CHANGE: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
        Action.DELETE: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
    }
