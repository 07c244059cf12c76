"""Access to appointments and events (see docs/agenda.md and docs/scoping.md).

Availability, slots, appointments and registrations: the desk's advisers and desk managers
(administrators may look, for support; the admin audits that). Appointments and registrations
hold personal data, so the national team and the ministry never see them; their figures
(registrations, visitors, stand conversations) reach them through ``selectors.event_figures``. Public pages read published events and free slots through public
selectors, not through these policies.
"""

from leerwerk.agenda.models import (
    Appointment,
    AvailabilityBlock,
    Event,
    EventRegistration,
    Slot,
)
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER
ADMIN = GlobalRole.ADMINISTRATOR

_DESK_WORK = {
    Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[ADMIN]),
    Action.ADD: Grant.of(desk=[ADVISER, MANAGER]),
    Action.CHANGE: Grant.of(desk=[ADVISER, MANAGER]),
    Action.DELETE: Grant.of(desk=[ADVISER, MANAGER]),
}


@register(AvailabilityBlock)
class AvailabilityBlockPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True  # names the adviser
    grants = _DESK_WORK


@register(Slot)
class SlotPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True  # through its block, the adviser
    grants = _DESK_WORK


@register(Appointment)
class AppointmentPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = {**_DESK_WORK, Action.DELETE: Grant.of(desk=[MANAGER])}


@register(Event)
class EventPolicy(Policy):
    desk_lookup = "desk"
    grants = {
        Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[ADMIN]),
        Action.ADD: Grant.of(desk=[ADVISER, MANAGER]),
        Action.CHANGE: Grant.of(desk=[ADVISER, MANAGER]),
        Action.DELETE: Grant.of(desk=[MANAGER]),
    }


@register(EventRegistration)
class EventRegistrationPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = {**_DESK_WORK, Action.DELETE: Grant.of(desk=[MANAGER])}
