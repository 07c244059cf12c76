"""Who may do what with funding arrangements and saved funding advice.

Arrangements are public information: the wizard and the public API read them through public
selectors, not through these policies. On the staff pages:

* everyone with a role sees the national and sector arrangements; desk staff also see the
  regional arrangements of their own desk (another desk's are "not found"); the national team,
  ministry viewers and administrators see all of them;
* the national team maintains national and sector arrangements (no desk), a desk's desk
  managers maintain their desk's regional ones, administrators everything.

Saved funding advice is personal data: the trajectory's desk staff only (desk managers may
delete), never the national team or ministry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Q

from leerwerk.core.access import Access, access_for
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.funding.models import ArrangementChange, Condition, FundingAdvice, FundingArrangement

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER
STAFF = frozenset({ADVISER, MANAGER})
SEE_ALL = frozenset(
    {GlobalRole.NATIONAL_TEAM, GlobalRole.MINISTRY_VIEWER, GlobalRole.ADMINISTRATOR}
)


class ArrangementPolicy(Policy):
    """National/sector rows (no desk) for the national team, regional rows for their desk.

    ``desk_lookup`` is the path to the owning desk (null for national and sector rows). The
    grants table documents the desk and global roles; ``filter`` and ``can_on_desk`` add the
    rule that a global write grant only reaches rows without a desk (except administrators).
    """

    desk_lookup: ClassVar[str | None] = "desk"
    grants = {
        Action.VIEW: Grant.of(desk=STAFF, everywhere=SEE_ALL),
        Action.ADD: Grant.of(
            desk=[MANAGER], everywhere=[GlobalRole.NATIONAL_TEAM, GlobalRole.ADMINISTRATOR]
        ),
        Action.CHANGE: Grant.of(
            desk=[MANAGER], everywhere=[GlobalRole.NATIONAL_TEAM, GlobalRole.ADMINISTRATOR]
        ),
        Action.DELETE: Grant.of(
            desk=[MANAGER], everywhere=[GlobalRole.NATIONAL_TEAM, GlobalRole.ADMINISTRATOR]
        ),
    }

    def _national(self, action: str) -> bool:
        """Does a global role's grant for ``action`` stop at rows without a desk?"""
        return action != Action.VIEW

    def filter(self, access: Access, action: str) -> Q | None:
        grant = self.grants.get(action)
        if grant is None or not access.is_authenticated or self.desk_lookup is None:
            return None
        if access.has_global_role([GlobalRole.ADMINISTRATOR]) and (
            GlobalRole.ADMINISTRATOR in grant.global_roles
        ):
            return Q()
        no_desk = Q(**{f"{self.desk_lookup}__isnull": True})
        parts: list[Q] = []
        if access.has_global_role(grant.global_roles):
            if not self._national(action):
                return Q()
            parts.append(no_desk)
        desk_ids = access.desks_with(grant.desk_roles)
        if desk_ids:
            parts.append(Q(**{f"{self.desk_lookup}__in": sorted(desk_ids)}))
            if action == Action.VIEW:
                parts.append(no_desk)
        if not parts:
            return None
        condition = parts[0]
        for part in parts[1:]:
            condition |= part
        return condition

    def can_on_desk(self, user: Any, action: str, desk_id: int | None) -> bool:
        access = access_for(user)
        grant = self.grants.get(action)
        if grant is None or not access.is_authenticated:
            return False
        if access.has_global_role(grant.global_roles):
            if access.has_global_role([GlobalRole.ADMINISTRATOR]) or not self._national(action):
                return True
            if desk_id is None:
                return True
        if desk_id is None:
            return action == Action.VIEW and bool(access.desks_with(grant.desk_roles))
        return bool(access.roles_at(desk_id) & grant.desk_roles)


@register(FundingArrangement)
class FundingArrangementPolicy(ArrangementPolicy):
    desk_lookup = "desk"


@register(Condition)
class ConditionPolicy(ArrangementPolicy):
    desk_lookup = "arrangement__desk"


@register(ArrangementChange)
class ArrangementChangePolicy(ArrangementPolicy):
    """The history is read like its arrangement; only services write it."""

    desk_lookup = "arrangement__desk"
    grants = {Action.VIEW: ArrangementPolicy.grants[Action.VIEW]}


@register(FundingAdvice)
class FundingAdvicePolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(desk=[ADVISER, MANAGER]),
        Action.ADD: Grant.of(desk=[ADVISER, MANAGER]),
        Action.DELETE: Grant.of(desk=[MANAGER]),
    }
