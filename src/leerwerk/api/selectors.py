"""Reads the API needs that the network selectors do not offer (yet). Public data only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from leerwerk.network import selectors
from leerwerk.network.models import Desk, Location, OpeningHours


def public_desks_with_service_lines() -> QuerySet[Desk]:
    """Published desks with region and service lines (2 queries for any number of desks)."""
    return selectors.public_desks().prefetch_related("service_lines")


def public_locations() -> QuerySet[Location]:
    """Public locations of published desks with their hours (2 queries for a page)."""
    hours = OpeningHours.objects.order_by("kind", "weekday", "opens")
    return (
        Location.objects.public()
        .select_related("desk", "municipality")
        .prefetch_related(Prefetch("hours", queryset=hours))
        .order_by("desk__display_name", "name", "pk")
    )
