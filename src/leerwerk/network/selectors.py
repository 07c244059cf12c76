"""Reads for the network. Public selectors return published data only; ``unscoped_*`` selectors
return aggregates over all desks and never personal data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from leerwerk.network.models import (
    Desk,
    Location,
    Municipality,
    OpeningHours,
    Postcode,
    StaffMembership,
)

_PC4_IN_QUERY = re.compile(r"^\s*(\d{4})\s*(?:[A-Za-z]{2})?\s*$")


def public_desks() -> QuerySet[Desk]:
    """Published desks with their region, for the public list (2 queries)."""
    return (
        Desk.objects.published()
        .select_related("region", "region__central_municipality")
        .order_by("display_name")
    )


def public_desk_detail(*, slug: str) -> Desk:
    """One published desk with its public locations and their hours prefetched."""
    hours = OpeningHours.objects.order_by("kind", "weekday", "opens")
    locations = (
        Location.objects.public()
        .select_related("municipality")
        .prefetch_related(Prefetch("hours", queryset=hours))
        .order_by("name")
    )
    return (
        Desk.objects.published()
        .select_related("region", "region__central_municipality")
        .prefetch_related(
            Prefetch("locations", queryset=locations, to_attr="public_locations"), "service_lines"
        )
        .get(slug=slug)
    )


def _fold(text: str) -> str:
    """Lower case without accents, so 'Súdwest' and 'sudwest' match."""
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if not unicodedata.combining(c)).casefold().strip()


@dataclass(frozen=True)
class DeskMatch:
    desk: Desk
    reason: str  # why this desk matches, in Dutch, for the result list
    municipality: Municipality | None = None


@dataclass(frozen=True)
class DeskSearchResult:
    query: str
    matches: list[DeskMatch]
    message: str = ""  # an explanation when nothing matches or the postcode is special


def desk_for_postcode(code: str) -> DeskSearchResult:
    """The desk(s) of the region that a 4-digit postcode (or full postcode) lies in."""
    match = _PC4_IN_QUERY.match(code or "")
    if not match:
        return DeskSearchResult(code, [], "Vul een postcode in van vier cijfers, zoals 3511.")
    pc4 = match.group(1)
    postcode = (
        Postcode.objects.select_related("municipality", "municipality__region")
        .filter(code=pc4)
        .first()
    )
    if postcode is None:
        return DeskSearchResult(code, [], f"Postcode {pc4} kennen we niet. Controleer de postcode.")
    if postcode.municipality is None:
        return DeskSearchResult(
            code,
            [],
            f"Postcode {pc4} hoort niet bij een Nederlandse gemeente ({postcode.special_description}).",
        )
    municipality = postcode.municipality
    desks = public_desks().filter(region_id=municipality.region_id)
    reason = (
        f"Postcode {pc4} ligt in de gemeente {municipality.name}, regio {municipality.region.name}."
    )
    return DeskSearchResult(code, [DeskMatch(desk, reason, municipality) for desk in desks])


def find_desks(query: str) -> DeskSearchResult:
    """'Which desk is mine?': by postcode, municipality, region or desk name."""
    query = (query or "").strip()[:100]
    if not query:
        return DeskSearchResult(query, [])
    if _PC4_IN_QUERY.match(query):
        return desk_for_postcode(query)
    folded = _fold(query)
    desks = list(public_desks())
    matches: list[DeskMatch] = []
    seen: set[int] = set()

    def add(desk: Desk, reason: str, municipality: Municipality | None = None) -> None:
        if desk.pk not in seen:
            seen.add(desk.pk)
            matches.append(DeskMatch(desk, reason, municipality))

    municipalities = [
        m
        for m in Municipality.objects.select_related("region").order_by("name")
        if folded in _fold(m.name)
    ]
    # Exact municipality names first, then names that start with the query, then the rest.
    municipalities.sort(
        key=lambda m: (_fold(m.name) != folded, not _fold(m.name).startswith(folded), m.name)
    )
    by_region: dict[int, list[Desk]] = {}
    for desk in desks:
        by_region.setdefault(desk.region_id, []).append(desk)
    for municipality in municipalities:
        for desk in by_region.get(municipality.region_id, []):
            add(
                desk,
                f"De gemeente {municipality.name} hoort bij regio {municipality.region.name}.",
                municipality,
            )
    for desk in desks:
        if folded in _fold(desk.display_name) or folded in _fold(desk.region.name):
            add(desk, f"Loket van regio {desk.region.name}.")
    message = (
        ""
        if matches
        else (
            f"Geen loket gevonden voor '{query}'. Zoek op uw postcode (4 cijfers) of de naam van uw gemeente."
        )
    )
    return DeskSearchResult(query, matches, message)


# -- staff-facing reads ----------------------------------------------------------------------


def staff_memberships(
    *, user: Any, desk: Desk, include_ended: bool = False
) -> QuerySet[StaffMembership]:
    """The team of ``desk`` as ``user`` may see it (scoped by the membership policy)."""
    qs = (
        StaffMembership.objects.for_user(user)
        .filter(desk=desk)
        .select_related("user", "mother_organisation")
        .prefetch_related("certifications", "expertise_tags")
        .order_by("user__name", "user__email", "start_date")
    )
    if not include_ended:
        today = timezone.localdate()
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return qs


@dataclass(frozen=True)
class DeskStaffFigures:
    desk: Desk
    staff_count: int
    advisers: int
    managers: int
    fte: Decimal
    locations: int


def unscoped_staff_figures(desks: QuerySet[Desk] | None = None) -> list[DeskStaffFigures]:
    """Staff counts and FTE per desk, active today. Aggregates only: no names leave here.

    Named ``unscoped_`` because it reads memberships of every desk it is given; callers pass a
    desk queryset already scoped with ``Desk.objects.for_user``.
    """
    today = timezone.localdate()
    desks = desks if desks is not None else Desk.objects.all()
    active = StaffMembership.objects.active_on(today).filter(desk__in=desks)
    rows = {
        row["desk_id"]: row
        for row in active.values("desk_id").annotate(
            people=Count("user_id", distinct=True),
            advisers=Count("user_id", filter=Q(role="adviser"), distinct=True),
            managers=Count("user_id", filter=Q(role="desk_manager"), distinct=True),
            fte=Sum("fte"),
        )
    }
    location_counts = dict(
        Location.objects.filter(desk__in=desks).values_list("desk_id").annotate(n=Count("id"))
    )
    figures = []
    for desk in desks.select_related("region").order_by("display_name"):
        row = rows.get(desk.pk, {})
        figures.append(
            DeskStaffFigures(
                desk=desk,
                staff_count=row.get("people", 0),
                advisers=row.get("advisers", 0),
                managers=row.get("managers", 0),
                fte=row.get("fte") or Decimal("0.00"),
                locations=location_counts.get(desk.pk, 0),
            )
        )
    return figures
