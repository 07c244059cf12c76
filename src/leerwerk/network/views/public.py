"""Public pages: the list of all desks with "which desk is mine?", and a page per desk (the
regional home, rendered by ``leerwerk.portal.views_public.regional_home``).

Only published data is shown; everything is read through ``leerwerk.network.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from leerwerk.network import selectors
from leerwerk.network.constants import HoursKind
from leerwerk.network.models import Location, OpeningHours

MAX_QUERY_LENGTH = 100


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    result = selectors.find_desks(query) if query else None
    context = {"desks": selectors.public_desks(), "query": query, "result": result}
    # htmx asks for the results region only; a history restore needs the whole page.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    if partial:
        context.pop("desks")
        context["partial"] = True
        response = render(request, "network/public/_desk_search_results.html", context)
    else:
        response = render(request, "network/public/home.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass
class DayHours:
    """The hours of one kind on one weekday, e.g. 'dinsdag 09:30–12:00, 13:00–16:00'."""

    weekday: int
    label: str
    periods: list[OpeningHours] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return [period.note for period in self.periods if period.note]


@dataclass
class HoursGroup:
    kind: str
    label: str
    days: list[DayHours]


@dataclass
class LocationView:
    location: Location
    hours: list[HoursGroup]


def group_hours(hours: list[OpeningHours]) -> list[HoursGroup]:
    """Opening hours first, then walk-in hours; per kind one row per weekday (Monday first)."""
    groups = []
    for kind in (HoursKind.OPENING, HoursKind.WALK_IN):
        days: dict[int, DayHours] = {}
        for row in sorted((h for h in hours if h.kind == kind), key=lambda h: (h.weekday, h.opens)):
            day = days.setdefault(row.weekday, DayHours(row.weekday, row.get_weekday_display()))
            day.periods.append(row)
        if days:
            groups.append(HoursGroup(kind, HoursKind(kind).label, list(days.values())))
    return groups


def desk_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The desk's public page is its regional home, rendered by the portal (issue 7)."""
    from leerwerk.portal.views_public import regional_home

    return regional_home(request, slug=slug)
