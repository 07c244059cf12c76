"""Who may do what with portal objects (see docs/portal.md and docs/scoping.md)."""

from collections.abc import Mapping
from typing import Any, ClassVar

from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.portal.models import (
    ContentBlock,
    DeskPortalSettings,
    PageVisitCount,
    SelfTestSession,
    SelfTestShare,
    SiteDomain,
)

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER
NATIONAL, MINISTRY, ADMIN = (
    GlobalRole.NATIONAL_TEAM,
    GlobalRole.MINISTRY_VIEWER,
    GlobalRole.ADMINISTRATOR,
)

# Website texts and settings: the desk's staff read them, its desk managers write them.
_MANAGER_EDITS = {
    Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[NATIONAL, ADMIN]),
    Action.ADD: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
    Action.CHANGE: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
    Action.DELETE: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
}


@register(ContentBlock)
class ContentBlockPolicy(Policy):
    desk_lookup = "desk"
    grants = _MANAGER_EDITS


@register(DeskPortalSettings)
class DeskPortalSettingsPolicy(Policy):
    desk_lookup = "desk"
    grants = _MANAGER_EDITS


@register(SiteDomain)
class SiteDomainPolicy(Policy):
    """A domain needs DNS and ALLOWED_HOSTS: administrators configure it (in the admin)."""

    desk_lookup = "desk"
    grants = {
        Action.VIEW: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
        Action.ADD: Grant.of(everywhere=[ADMIN]),
        Action.CHANGE: Grant.of(everywhere=[ADMIN]),
        Action.DELETE: Grant.of(everywhere=[ADMIN]),
    }


@register(PageVisitCount)
class PageVisitCountPolicy(Policy):
    """Counters, no personal data: the desk manager and the national level read them; only
    the visit-counting middleware writes them (through ``services.page_visit_count``)."""

    desk_lookup = "desk"
    grants = {Action.VIEW: Grant.of(desk=[MANAGER], everywhere=[NATIONAL, MINISTRY, ADMIN])}


@register(SelfTestSession)
class SelfTestSessionPolicy(Policy):
    """Anonymous answers, reached only by the citizen through the random address or resume
    code. No staff role reads them; a citizen shares a result explicitly (SelfTestShare)."""

    desk_lookup = None
    grants: ClassVar[Mapping[Any, Grant]] = {}


@register(SelfTestShare)
class SelfTestSharePolicy(Policy):
    """A shared result attached to a trajectory is part of the client's file."""

    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[ADMIN]),
        Action.ADD: Grant.of(desk=[ADVISER, MANAGER]),
        Action.CHANGE: Grant.of(desk=[ADVISER, MANAGER]),
        Action.DELETE: Grant.of(desk=[ADVISER, MANAGER]),
    }
