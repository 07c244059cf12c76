"""Reads for the catalogue's staff and public pages (search itself lives in ``search.py``).

Staff pages of a desk (feeds, runs, opportunity occupations, curation) are for that desk's
staff; ``staff_filter`` gives the condition. Opportunity occupations and offers are public data,
but another desk's manager still gets a 404 on the staff pages of a desk that is not theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from leerwerk.catalogue.constants import Level
from leerwerk.catalogue.models import (
    Feed,
    ImportRun,
    Occupation,
    Offer,
    OfferCuration,
    OpportunityOccupation,
    Qualification,
    TrainingRoute,
)
from leerwerk.clients.constants import Sector
from leerwerk.core.access import access_for
from leerwerk.core.constants import DeskRole, GlobalRole
from leerwerk.network.models import Desk

STAFF_ROLES = [DeskRole.ADVISER, DeskRole.DESK_MANAGER]
NATIONAL_ROLES = [GlobalRole.NATIONAL_TEAM, GlobalRole.ADMINISTRATOR]
NO_ROUTE = "none_yet"


def staff_filter(user: Any, desk_lookup: str) -> Q | None:
    """Objects of the desks where ``user`` is staff (all for the national team and
    administrators); None when they are staff nowhere."""
    access = access_for(user)
    if not access.is_authenticated:
        return None
    if access.has_global_role(NATIONAL_ROLES):
        return Q()
    desk_ids = access.desks_with(STAFF_ROLES)
    if not desk_ids:
        return None
    return Q(**{f"{desk_lookup}__in": sorted(desk_ids)})


def staff_desks(user: Any) -> QuerySet[Desk]:
    """The desks whose catalogue pages ``user`` may open."""
    condition = staff_filter(user, "pk")
    if condition is None:
        return Desk.objects.none()
    return Desk.objects.filter(condition).select_related("region").order_by("display_name")


def feeds_for(user: Any) -> QuerySet[Feed]:
    """Feeds the user may see, with their last run date and offer counts."""
    return (
        Feed.objects.for_user(user)
        .select_related("desk")
        .annotate(
            active_offers=Count("offers", filter=Q(offers__is_active=True), distinct=True),
        )
        .order_by("desk__display_name", "name")
    )


def runs_for(feed: Feed) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(feed=feed).select_related("started_by").order_by("-created_at")


def occupation_search(query: str, *, limit: int = 20) -> list[Occupation]:
    """Occupations whose Dutch name or other names contain every word of ``query``."""
    words = query.split()
    if not words or len(query.strip()) < 2:
        return []
    condition = Q()
    for word in words[:5]:
        condition &= Q(label__icontains=word) | Q(alt_labels__icontains=word)
    # Names that start with the query first, then alphabetical.
    found = list(Occupation.objects.filter(condition).order_by("label")[: limit * 3])
    first = query.strip().lower()
    found.sort(key=lambda occ: (not occ.label.lower().startswith(first), occ.label.lower()))
    return found[:limit]


def offer_search_simple(query: str, *, limit: int = 20) -> list[Offer]:
    """Active offers by title or provider (for linking routes and curation; not the search)."""
    words = query.split()
    if not words:
        return []
    condition = Q()
    for word in words[:5]:
        condition &= Q(title__icontains=word) | Q(provider__name__icontains=word)
    return list(
        Offer.objects.active()
        .filter(condition)
        .select_related("provider")
        .order_by("title", "pk")[:limit]
    )


def qualification_search(query: str, *, limit: int = 20) -> list[Qualification]:
    text = query.strip()
    if not text:
        return []
    if text.isdigit():
        return list(Qualification.objects.filter(code__startswith=text)[:limit])
    condition = Q()
    for word in text.split()[:5]:
        condition &= Q(name__icontains=word) | Q(dossier_name__icontains=word)
    return list(Qualification.objects.filter(condition).order_by("name", "level")[:limit])


def opportunities_for(
    desk: Desk, *, published_only: bool = False
) -> QuerySet[OpportunityOccupation]:
    routes = TrainingRoute.objects.select_related("offer__provider", "qualification").order_by("id")
    opportunities = (
        OpportunityOccupation.objects.filter(desk=desk)
        .select_related("occupation")
        .prefetch_related(Prefetch("routes", queryset=routes))
        .order_by("sector", "occupation__label")
    )
    if published_only:
        opportunities = opportunities.filter(is_published=True)
    return opportunities


def curations_for(desk: Desk) -> QuerySet[OfferCuration]:
    return (
        OfferCuration.objects.filter(desk=desk)
        .select_related("offer__provider")
        .order_by("status", "offer__title")
    )


# -- the regional training matrix (scholingsmatrix) ------------------------------------------


def route_level(route: TrainingRoute) -> str:
    if route.offer is not None:
        return route.offer.level
    if route.qualification is not None:
        return f"mbo_{route.qualification.level}"
    return Level.NONE


def route_label(route: TrainingRoute) -> str:
    if route.offer is not None:
        return f"{route.offer.title} ({route.offer.provider.name})"
    if route.qualification is not None:
        return _("%(name)s (crebo %(code)s)") % {
            "name": route.qualification.name,
            "code": route.qualification.code,
        }
    return ""


@dataclass
class MatrixEntry:
    opportunity: OpportunityOccupation
    routes: list[TrainingRoute]


@dataclass
class MatrixRow:
    sector: str
    label: str
    cells: list[list[MatrixEntry]] = field(default_factory=list)


@dataclass
class Matrix:
    columns: list[tuple[str, str]]  # (level value, label); the last is "no route yet"
    rows: list[MatrixRow]
    opportunity_count: int

    @property
    def is_empty(self) -> bool:
        return not self.rows


def matrix_for(desk: Desk, *, published_only: bool) -> Matrix:
    """Opportunity occupations by sector (rows) and the level of their routes (columns).
    An occupation appears in every column where it has a route, and under "no route yet" when
    it has none. Three queries."""
    opportunities = list(opportunities_for(desk, published_only=published_only))
    used_levels = {route_level(route) for opp in opportunities for route in opp.routes.all()}
    columns = [(value, str(label)) for value, label in Level.choices if value in used_levels]
    if any(not opp.routes.all() for opp in opportunities):
        columns.append((NO_ROUTE, _("Nog geen route")))
    index = {value: i for i, (value, _label) in enumerate(columns)}
    sector_labels = dict(Sector.choices)
    rows: dict[str, MatrixRow] = {}
    for opp in opportunities:
        row = rows.get(opp.sector)
        if row is None:
            row = MatrixRow(
                opp.sector,
                str(sector_labels.get(opp.sector, opp.sector)),
                [[] for _column in columns],
            )
            rows[opp.sector] = row
        by_level: dict[str, list[TrainingRoute]] = {}
        for route in opp.routes.all():
            by_level.setdefault(route_level(route), []).append(route)
        if not by_level:
            row.cells[index[NO_ROUTE]].append(MatrixEntry(opp, []))
        for level, routes in by_level.items():
            row.cells[index[level]].append(MatrixEntry(opp, routes))
    ordered = sorted(rows.values(), key=lambda r: r.label.lower())
    return Matrix(columns=columns, rows=ordered, opportunity_count=len(opportunities))


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    """The matrix as a flat table for CSV and XLSX: one line per occupation and level."""
    header = [
        _("Sector"),
        _("Niveau"),
        _("Beroep"),
        _("Soort"),
        _("ESCO-code"),
        _("Opleidingsroutes"),
        _("Toelichting"),
    ]
    lines: list[list[str]] = []
    for row in matrix.rows:
        for (_value, level_label), cell in zip(matrix.columns, row.cells, strict=True):
            for entry in cell:
                lines.append(
                    [
                        row.label,
                        level_label,
                        entry.opportunity.occupation.label,
                        str(entry.opportunity.get_kind_display()),
                        entry.opportunity.occupation.code,
                        "; ".join(route_label(route) for route in entry.routes),
                        entry.opportunity.note,
                    ]
                )
    return header, lines


def safe_cells(values: Sequence[str]) -> list[str]:
    """Spreadsheet-safe cells: a value starting with = + - @ is not run as a formula."""
    return [f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value for value in values]
