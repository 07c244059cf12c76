"""The registration-based figures of many desks for one period: counted live, or read from the
pre-aggregated cache when that is provably current.

Exactness. ``FigureCache`` holds, per desk, period and published rule set, the counted figures
and the change counters (``RegistrationGeneration``) of the half-years the period covers, read
*before* counting. A database trigger raises a counter on every change to a registration in
that desk and half-year. A cache row is used only while its counters equal the current ones, so
a late edit, a late registration, a merge or an erasure that touches a registration makes the
next report count again. A change that commits while a count runs raises the counter after it
was read, so the row written is already stale and is recomputed next time: never a wrong figure,
at worst a wasted count.

Filtered reports and draft rule sets are always counted live (they are rare and the filters
are too many to pre-aggregate).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Count, Q

from leerwerk.guidance.models import Registration
from leerwerk.reporting.constants import Method
from leerwerk.reporting.models import FigureCache, FigureDefinition, RegistrationGeneration, RuleSet

COUNTED = (Method.REGISTRATIONS, Method.DISTINCT_CLIENTS, Method.DISTINCT_EMPLOYERS)

Values = dict[str, int]


def condition(definition: FigureDefinition) -> Q:
    """The registrations a figure counts (within the report's desks, period and filters)."""
    where = Q(type__code__in=definition.type_codes)
    if definition.statuses:
        where &= Q(status__in=definition.statuses)
    return where


def aggregate(definition: FigureDefinition) -> Count:
    where = condition(definition)
    if definition.method == Method.DISTINCT_CLIENTS:
        return Count("client_id", distinct=True, filter=where & Q(client__isnull=False))
    if definition.method == Method.DISTINCT_EMPLOYERS:
        return Count("employer_id", distinct=True, filter=where & Q(employer__isnull=False))
    return Count("id", filter=where)


def halves_between(start: datetime.date, end: datetime.date) -> list[tuple[int, int]]:
    """The (year, half) pairs a date range touches."""
    first = (start.year, 1 if start.month <= 6 else 2)
    last = (end.year, 1 if end.month <= 6 else 2)
    halves = []
    year, half = first
    while (year, half) <= last:
        halves.append((year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return halves


def count_live(
    *,
    desk_ids: Sequence[int],
    start: datetime.date,
    end: datetime.date,
    definitions: Sequence[FigureDefinition],
    base: Iterable[Registration] | None = None,
) -> dict[int, Values]:
    """One grouped query: the counted figures per desk, straight from the registrations.
    ``base`` is an already filtered registration queryset (report filters), if any."""
    counted = [d for d in definitions if d.method in COUNTED]
    result: dict[int, Values] = {
        desk_id: dict.fromkeys((d.code for d in counted), 0) for desk_id in desk_ids
    }
    if not counted or not desk_ids:
        return result
    qs = base if base is not None else Registration.objects.all()
    rows = (
        qs.filter(desk_id__in=list(desk_ids), occurred_on__gte=start, occurred_on__lte=end)  # type: ignore[attr-defined]
        .values("desk_id")
        .annotate(**{d.code: aggregate(d) for d in counted})
        .order_by()
    )
    for row in rows:
        desk_id = row.pop("desk_id")
        result[desk_id] = {code: int(value or 0) for code, value in row.items()}
    return result


def _generations(desk_ids: Sequence[int], halves: list[tuple[int, int]]) -> dict[int, list[int]]:
    years = {year for year, _half in halves}
    found = {
        (desk_id, year, half): generation
        for desk_id, year, half, generation in RegistrationGeneration.objects.filter(
            desk_id__in=list(desk_ids), year__in=years
        ).values_list("desk_id", "year", "half", "generation")
    }
    return {
        desk_id: [found.get((desk_id, year, half), 0) for year, half in halves]
        for desk_id in desk_ids
    }


def counted_values(
    *,
    desk_ids: Sequence[int],
    start: datetime.date,
    end: datetime.date,
    ruleset: RuleSet,
    definitions: Sequence[FigureDefinition],
) -> dict[int, Values]:
    """The counted figures per desk for an unfiltered report: from the cache where current,
    counted (and cached) where not. Exactly equal to ``count_live`` at all times."""
    counted = [d for d in definitions if d.method in COUNTED]
    if ruleset.published_at is None or not counted or not desk_ids:
        return count_live(desk_ids=desk_ids, start=start, end=end, definitions=definitions)
    codes = {d.code for d in counted}
    halves = halves_between(start, end)
    # Read the counters first: a change committed after this line makes the row written below
    # stale at once, so it can never hide that change.
    current = _generations(desk_ids, halves)
    result: dict[int, Values] = {}
    for row in FigureCache.objects.filter(
        ruleset=ruleset, period_start=start, period_end=end, desk_id__in=list(desk_ids)
    ).values("desk_id", "generations", "values"):
        if row["generations"] == current[row["desk_id"]] and set(row["values"]) == codes:
            result[row["desk_id"]] = row["values"]
    stale = [desk_id for desk_id in desk_ids if desk_id not in result]
    if stale:
        fresh = count_live(desk_ids=stale, start=start, end=end, definitions=counted)
        FigureCache.objects.bulk_create(
            [
                FigureCache(
                    desk_id=desk_id,
                    ruleset=ruleset,
                    period_start=start,
                    period_end=end,
                    generations=current[desk_id],
                    values=values,
                )
                for desk_id, values in fresh.items()
            ],
            update_conflicts=True,
            unique_fields=["ruleset", "period_start", "period_end", "desk"],
            update_fields=["generations", "values", "computed_at"],
        )
        result.update(fresh)
    return result


def forget_cached_figures() -> int:
    """Drop every cached figure (after bulk loads with the triggers switched off)."""
    deleted, _ = FigureCache.objects.all().delete()
    return deleted
