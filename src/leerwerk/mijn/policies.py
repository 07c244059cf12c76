"""Who may do what with Mijn Leerwerkloket objects (docs/mijn.md, docs/scoping.md).

Citizens reach their own account and saved offers through their own session
(``leerwerk.mijn.auth``), never through staff roles: those policies grant staff nothing (only
administrators may look at accounts, for support). The link between an account and a client
file is part of that file: the desk's advisers and desk managers. A request to erase a file is
handled by the desk's desk managers. All of it is personal data: the national team and the
ministry never see a row.
"""

from collections.abc import Mapping
from typing import Any, ClassVar

from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.mijn.models import CitizenAccount, ClientLink, ErasureRequest, SavedOffer

ADVISER, MANAGER = DeskRole.ADVISER, DeskRole.DESK_MANAGER
ADMIN = GlobalRole.ADMINISTRATOR


@register(CitizenAccount)
class CitizenAccountPolicy(Policy):
    desk_lookup = None
    personal_data = True
    grants: ClassVar[Mapping[Any, Grant]] = {Action.VIEW: Grant.of(everywhere=[ADMIN])}


@register(SavedOffer)
class SavedOfferPolicy(Policy):
    """Only the citizen, through their session."""

    desk_lookup = None
    personal_data = True
    grants: ClassVar[Mapping[Any, Grant]] = {}


@register(ClientLink)
class ClientLinkPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(desk=[ADVISER, MANAGER], everywhere=[ADMIN]),
        Action.ADD: Grant.of(desk=[ADVISER, MANAGER]),
        Action.CHANGE: Grant.of(desk=[ADVISER, MANAGER]),
        Action.DELETE: Grant.of(desk=[MANAGER]),
    }


@register(ErasureRequest)
class ErasureRequestPolicy(Policy):
    """Made by the citizen when they delete their account (no staff actor); the desk
    manager handles it, because only they may erase a client (``ClientPolicy`` delete)."""

    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(desk=[MANAGER], everywhere=[ADMIN]),
        Action.CHANGE: Grant.of(desk=[MANAGER]),
    }
