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
    # Safe aliases: a figure code chosen by the national team could clash with a field name.
    aliases = {f"figure_{i}": d.code for i, d in enumerate(counted)}
    rows = (
        qs.filter(desk_id__in=list(desk_ids), occurred_on__gte=start, occurred_on__lte=end)  # type: ignore[attr-defined]
        .values("desk_id")
        .annotate(**{alias: aggregate(d) for alias, d in zip(aliases, counted, strict=True)})
        .order_by()
    )
    for row in rows:
        result[row["desk_id"]] = {code: int(row[alias] or 0) for alias, code in aliases.items()}
    return result


def _generations(
    desk_ids: Sequence[int], halves: list[tuple[int, int]]
) -> dict[int, dict[tuple[int, int], int]]:
    years = {year for year, _half in halves}
    found = {
        (desk_id, year, half): generation
        for desk_id, year, half, generation in RegistrationGeneration.objects.filter(
            desk_id__in=list(desk_ids), year__in=years
        ).values_list("desk_id", "year", "half", "generation")
    }
    return {
        desk_id: {(year, half): found.get((desk_id, year, half), 0) for year, half in halves}
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
    """The counted figures per desk for one period of an unfiltered report."""
    return counted_values_for_periods(
        desk_ids=desk_ids, periods=[(start, end)], ruleset=ruleset, definitions=definitions
    )[(start, end)]


Span = tuple[datetime.date, datetime.date]


def counted_values_for_periods(
    *,
    desk_ids: Sequence[int],
    periods: Sequence[Span],
    ruleset: RuleSet,
    definitions: Sequence[FigureDefinition],
) -> dict[Span, dict[int, Values]]:
    """The counted figures per period and desk for an unfiltered report: from the cache where
    current, counted (and cached) where not. Exactly equal to ``count_live`` at all times.
    Queries: the counters and the cache rows (one each), one grouped count per period with a
    stale desk, one write for all new cache rows."""
    counted = [d for d in definitions if d.method in COUNTED]
    periods = list(dict.fromkeys(periods))
    if ruleset.published_at is None or not counted or not desk_ids:
        return {
            (start, end): count_live(desk_ids=desk_ids, start=start, end=end, definitions=counted)
            for start, end in periods
        }
    codes = {d.code for d in counted}
    halves = {span: halves_between(*span) for span in periods}
    # Read the counters first: a change committed after this line makes the rows written below
    # stale at once, so they can never hide that change.
    current = _generations(desk_ids, sorted({h for hs in halves.values() for h in hs}))
    expected = {
        (span, desk_id): [current[desk_id][h] for h in halves[span]]
        for span in periods
        for desk_id in desk_ids
    }
    result: dict[Span, dict[int, Values]] = {span: {} for span in periods}
    wanted = Q()
    for start, end in periods:
        wanted |= Q(period_start=start, period_end=end)
    for row in FigureCache.objects.filter(
        wanted, ruleset=ruleset, desk_id__in=list(desk_ids)
    ).values("desk_id", "period_start", "period_end", "generations", "values"):
        span = (row["period_start"], row["period_end"])
        if row["generations"] == expected[(span, row["desk_id"])] and set(row["values"]) == codes:
            result[span][row["desk_id"]] = row["values"]
    fresh_rows = []
    for span in periods:
        stale = [desk_id for desk_id in desk_ids if desk_id not in result[span]]
        if not stale:
            continue
        fresh = count_live(desk_ids=stale, start=span[0], end=span[1], definitions=counted)
        result[span].update(fresh)
        fresh_rows += [
            FigureCache(
                desk_id=desk_id,
                ruleset=ruleset,
                period_start=span[0],
                period_end=span[1],
                generations=expected[(span, desk_id)],
                values=values,
            )
            for desk_id, values in fresh.items()
        ]
    if fresh_rows:
        FigureCache.objects.bulk_create(
            fresh_rows,
            update_conflicts=True,
            unique_fields=["ruleset", "period_start", "period_end", "desk"],
            update_fields=["generations", "values", "computed_at"],
        )
    return result


def forget_cached_figures() -> int:
    """Drop every cached figure (after bulk loads with the triggers switched off)."""
    deleted, _ = FigureCache.objects.all().delete()
    return deleted
