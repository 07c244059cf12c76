"""One permission policy per model: the only place that says who may do what.

A policy answers two questions for a user and an action (view, add, change, delete):

* ``scope(queryset, user, action)`` — which objects may they do it on (a filtered queryset);
* ``can(user, action, obj)`` — may they do it on this object.

Both are derived from the same table of *grants*, so the list a user sees and the objects they
may open can never disagree. Querysets expose the policy as ``Model.objects.for_user(user)``;
views use ``get_for_user_or_404``; the admin (``leerwerk.core.admin.PolicyAdminMixin``) and the API
(``leerwerk.api.permissions.PolicyPermission``) call the same policy.

Desk-owned models name the path to their desk (``desk_lookup``). A desk role grants the action
on objects of that desk only; a global role grants it on every desk. A policy marked
``personal_data = True`` can never grant anything to the aggregate-only roles (national team,
ministry viewer): that is checked when the class is defined, so such a rule cannot slip in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from leerwerk.core.access import Access, access_for
from leerwerk.core.constants import AGGREGATE_ONLY_ROLES, Action

_REGISTRY: dict[type[models.Model], Policy] = {}


@dataclass(frozen=True)
class Grant:
    """Who may do one action: roles at the object's desk, roles that reach every desk."""

    desk_roles: frozenset[str] = field(default_factory=frozenset)
    global_roles: frozenset[str] = field(default_factory=frozenset)
    public: bool = False  # anyone, also anonymous (only for data published on the website)

    @classmethod
    def of(
        cls, desk: Iterable[str] = (), everywhere: Iterable[str] = (), public: bool = False
    ) -> Grant:
        return cls(frozenset(desk), frozenset(everywhere), public)


NOBODY = Grant()


class Policy:
    """Base policy. Subclasses set ``grants`` and, for desk-owned models, ``desk_lookup``."""

    #: ORM path from the model to the desk's primary key, e.g. "desk" or "location__desk";
    #: "pk" for the Desk itself; None for network-wide objects (global grants only).
    desk_lookup: ClassVar[str | None] = "desk"
    grants: ClassVar[Mapping[Any, Grant]] = {}  # keys: Action values
    #: True for models that hold personal data: never visible to aggregate-only roles.
    personal_data: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.personal_data:
            for action, grant in cls.grants.items():
                leaked = grant.global_roles & AGGREGATE_ONLY_ROLES
                if leaked or grant.public:
                    raise ImproperlyConfigured(
                        f"{cls.__name__} guards personal data but grants {action!r} to "
                        f"{sorted(leaked) or 'the public'}: the national team and ministry "
                        "viewers see aggregates only."
                    )

    # -- the two questions --------------------------------------------------------------

    def filter(self, access: Access, action: str) -> Q | None:
        """A Q object selecting what ``access`` may do ``action`` on; None means nothing."""
        grant = self.grants.get(action, NOBODY)
        if grant.public:
            return Q()
        if not access.is_authenticated:
            return None
        if access.has_global_role(grant.global_roles):
            return Q()
        if self.desk_lookup is None:
            return None
        desk_ids = access.desks_with(grant.desk_roles)
        if not desk_ids:
            return None
        return Q(**{f"{self.desk_lookup}__in": sorted(desk_ids)})

    def scope(self, queryset: models.QuerySet, user: Any, action: str = Action.VIEW) -> Any:
        condition = self.filter(access_for(user), action)
        if condition is None:
            return queryset.none()
        return queryset.filter(condition)

    def can(self, user: Any, action: str, obj: models.Model) -> bool:
        return self.can_on_desk(user, action, self.desk_id_of(obj))

    def can_on_desk(self, user: Any, action: str, desk_id: int | None) -> bool:
        """May ``user`` do ``action`` on an object of this model at desk ``desk_id``?

        Used for "add" before the object exists and for checks on a known object.
        """
        access = access_for(user)
        grant = self.grants.get(action, NOBODY)
        if grant.public:
            return True
        if not access.is_authenticated:
            return False
        if access.has_global_role(grant.global_roles):
            return True
        if self.desk_lookup is None or desk_id is None:
            return False
        return bool(access.roles_at(desk_id) & grant.desk_roles)

    def can_any(self, user: Any, action: str) -> bool:
        """May ``user`` do ``action`` on at least some objects (for menus and the admin index)?"""
        return self.filter(access_for(user), action) is not None

    def desk_id_of(self, obj: models.Model) -> int | None:
        if self.desk_lookup is None:
            return None
        if self.desk_lookup == "pk":
            return obj.pk
        *path, last = self.desk_lookup.split("__")
        target: Any = obj
        for part in path:
            target = getattr(target, part, None)
            if target is None:
                return None
        return getattr(target, f"{last}_id", None)


def register(model: type[models.Model]):  # type: ignore[no-untyped-def]
    """Class decorator: make ``policy_cls`` the one policy of ``model``."""

    def decorator(policy_cls: type[Policy]) -> type[Policy]:
        if model in _REGISTRY:
            raise ImproperlyConfigured(f"{model.__name__} already has a policy.")
        _REGISTRY[model] = policy_cls()
        return policy_cls

    return decorator


def policy_for(model: type[models.Model]) -> Policy:
    try:
        return _REGISTRY[model._meta.concrete_model or model]  # type: ignore[index]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} has no registered policy.") from None


def registered_policies() -> dict[type[models.Model], Policy]:
    return dict(_REGISTRY)


def require_permission(
    actor: Any,
    action: str,
    model: type[models.Model],
    *,
    obj: Any = None,
    desk_id: int | None = None,
) -> None:
    """For services: raise PermissionDenied unless the model's policy allows ``action`` on
    ``obj`` (or, before it exists, on an object of desk ``desk_id``)."""
    from django.core.exceptions import PermissionDenied

    policy = policy_for(model)
    allowed = (
        policy.can(actor, action, obj)
        if obj is not None
        else policy.can_on_desk(actor, action, desk_id)
    )
    if not allowed:
        raise PermissionDenied
