"""Who may reach what: the roles a user holds today, computed once per request.

A user holds at most one *global* role (national team, ministry viewer, administrator, partner
referrer) on the user record, and any number of *desk* roles (adviser, desk manager) through
StaffMembership rows that are active today. Policies (``leerwerk.core.policies``) turn these into
querysets and yes/no answers; nothing else in the code looks at roles directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from leerwerk.core.constants import DeskRole, GlobalRole

_CACHE_ATTR = "_leerwerk_access"


@dataclass(frozen=True)
class Access:
    user_id: int | None = None
    global_role: str = ""
    desk_roles: Mapping[int, frozenset[str]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_global_role(self, roles: Iterable[str]) -> bool:
        return bool(self.global_role) and self.global_role in set(roles)

    def desks_with(self, roles: Iterable[str]) -> set[int]:
        wanted = set(roles)
        return {desk_id for desk_id, held in self.desk_roles.items() if held & wanted}

    def roles_at(self, desk_id: int | None) -> frozenset[str]:
        if desk_id is None:
            return frozenset()
        return self.desk_roles.get(desk_id, frozenset())

    @property
    def is_desk_staff(self) -> bool:
        return bool(self.desk_roles)

    @property
    def managed_desks(self) -> set[int]:
        return self.desks_with([DeskRole.DESK_MANAGER])


ANONYMOUS = Access()


def access_for(user: Any) -> Access:
    """The user's roles today. Cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from leerwerk.network.models import StaffMembership

    desk_roles: dict[int, set[str]] = {}
    # The user is known to be active (no join on it); no ordering (it would join the desk).
    memberships = (
        StaffMembership.objects.active_on(timezone.localdate(), check_user=False)
        .filter(user_id=user.pk)
        .order_by()
    )
    for desk_id, role in memberships.values_list("desk_id", "role"):
        desk_roles.setdefault(desk_id, set()).add(role)
    access = Access(
        user_id=user.pk,
        global_role=user.global_role or "",
        desk_roles={desk_id: frozenset(roles) for desk_id, roles in desk_roles.items()},
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user: Any) -> None:
    """Drop the cached roles, after a membership of this user changed in this request."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


__all__ = ["ANONYMOUS", "Access", "GlobalRole", "access_for", "forget_access"]
