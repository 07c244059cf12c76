"""Counting rules are national (public to read, the national team maintains them); manual
figures belong to a desk (its desk manager enters them, its staff and the national team read
them: they are aggregates, not personal data)."""

from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.reporting.models import (
    FigureCache,
    FigureDefinition,
    ManualValue,
    RegistrationGeneration,
    RuleSet,
)

_NATIONAL = {
    Action.VIEW: Grant.of(public=True),
    Action.ADD: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM]),
    Action.CHANGE: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM]),
    Action.DELETE: Grant.of(everywhere=[GlobalRole.NATIONAL_TEAM]),
}


@register(RuleSet)
class RuleSetPolicy(Policy):
    desk_lookup = None
    grants = _NATIONAL


@register(FigureDefinition)
class FigureDefinitionPolicy(Policy):
    desk_lookup = None
    grants = _NATIONAL


@register(ManualValue)
class ManualValuePolicy(Policy):
    desk_lookup = "desk"
    grants = {
        Action.VIEW: Grant.of(
            desk=[DeskRole.ADVISER, DeskRole.DESK_MANAGER],
            everywhere=[
                GlobalRole.NATIONAL_TEAM,
                GlobalRole.MINISTRY_VIEWER,
                GlobalRole.ADMINISTRATOR,
            ],
        ),
        Action.ADD: Grant.of(desk=[DeskRole.DESK_MANAGER]),
        Action.CHANGE: Grant.of(desk=[DeskRole.DESK_MANAGER]),
        Action.DELETE: Grant.of(desk=[DeskRole.DESK_MANAGER]),
    }


# The report cache and its change counters are internal bookkeeping (aggregates only, written by
# the reporting code and by database triggers): administrators may look, nobody edits.
_INTERNAL = {Action.VIEW: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR])}


@register(FigureCache)
class FigureCachePolicy(Policy):
    desk_lookup = "desk"
    grants = _INTERNAL


@register(RegistrationGeneration)
class RegistrationGenerationPolicy(Policy):
    desk_lookup = None
    grants = _INTERNAL
