"""Who may do what in the catalogue.

Reference tables, providers and offers are public to read (they are published on the website).
National feeds (EDU-DEX, RIO) are maintained by the national team and administrators; a desk's
own CSV feed, its opportunity occupations and its curation by its desk manager (advisers read).
Offers saved on a trajectory are personal data: the desk's staff only.
"""

from leerwerk.catalogue.models import (
    Feed,
    ImportRowError,
    ImportRun,
    Occupation,
    Offer,
    OfferCuration,
    OfferLocation,
    OfferStart,
    OpportunityOccupation,
    Provider,
    Qualification,
    SavedOffer,
    TrainingRoute,
)
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.policies import Grant, Policy, register

_STAFF = [DeskRole.ADVISER, DeskRole.DESK_MANAGER]
_NATIONAL_MAINTAINERS = [GlobalRole.NATIONAL_TEAM, GlobalRole.ADMINISTRATOR]

_PUBLIC_READ_NATIONAL_WRITE = {
    Action.VIEW: Grant.of(public=True),
    Action.ADD: Grant.of(everywhere=_NATIONAL_MAINTAINERS),
    Action.CHANGE: Grant.of(everywhere=_NATIONAL_MAINTAINERS),
    Action.DELETE: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
}

# Feeds, offers and import runs: a national feed has no desk, so only the global grants reach
# it; a desk's CSV feed is managed by that desk's desk manager.
_FEED_GRANTS = {
    Action.VIEW: Grant.of(desk=_STAFF, everywhere=_NATIONAL_MAINTAINERS),
    Action.ADD: Grant.of(desk=[DeskRole.DESK_MANAGER], everywhere=_NATIONAL_MAINTAINERS),
    Action.CHANGE: Grant.of(desk=[DeskRole.DESK_MANAGER], everywhere=_NATIONAL_MAINTAINERS),
    Action.DELETE: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
}

_REGIONAL = {
    Action.VIEW: Grant.of(public=True),
    Action.ADD: Grant.of(desk=[DeskRole.DESK_MANAGER]),
    Action.CHANGE: Grant.of(desk=[DeskRole.DESK_MANAGER]),
    Action.DELETE: Grant.of(desk=[DeskRole.DESK_MANAGER]),
}


@register(Qualification)
class QualificationPolicy(Policy):
    desk_lookup = None
    grants = _PUBLIC_READ_NATIONAL_WRITE


@register(Occupation)
class OccupationPolicy(Policy):
    desk_lookup = None
    grants = _PUBLIC_READ_NATIONAL_WRITE


@register(Provider)
class ProviderPolicy(Policy):
    desk_lookup = None
    grants = _PUBLIC_READ_NATIONAL_WRITE


@register(Feed)
class FeedPolicy(Policy):
    desk_lookup = "desk"
    grants = _FEED_GRANTS


@register(ImportRun)
class ImportRunPolicy(Policy):
    desk_lookup = "feed__desk"
    grants = _FEED_GRANTS


@register(Offer)
class OfferPolicy(Policy):
    desk_lookup = "feed__desk"
    grants = {**_FEED_GRANTS, Action.VIEW: Grant.of(public=True)}


@register(OfferLocation)
class OfferLocationPolicy(Policy):
    desk_lookup = "offer__feed__desk"
    grants = {**_FEED_GRANTS, Action.VIEW: Grant.of(public=True)}


@register(OfferStart)
class OfferStartPolicy(Policy):
    desk_lookup = "offer__feed__desk"
    grants = {**_FEED_GRANTS, Action.VIEW: Grant.of(public=True)}


@register(ImportRowError)
class ImportRowErrorPolicy(Policy):
    desk_lookup = "run__feed__desk"
    grants = _FEED_GRANTS


@register(OpportunityOccupation)
class OpportunityOccupationPolicy(Policy):
    desk_lookup = "desk"
    grants = _REGIONAL


@register(TrainingRoute)
class TrainingRoutePolicy(Policy):
    desk_lookup = "opportunity__desk"
    grants = _REGIONAL


@register(OfferCuration)
class OfferCurationPolicy(Policy):
    desk_lookup = "desk"
    grants = _REGIONAL


@register(SavedOffer)
class SavedOfferPolicy(Policy):
    desk_lookup = "desk"
    personal_data = True
    grants = {
        Action.VIEW: Grant.of(desk=_STAFF),
        Action.ADD: Grant.of(desk=_STAFF),
        Action.CHANGE: Grant.of(desk=_STAFF),
        Action.DELETE: Grant.of(desk=_STAFF),
    }
