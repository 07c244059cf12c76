"""The SQL of catalogue search, on the narrow search tables only (``OfferSearchRow``, alias
``r``, and on PostgreSQL ``OfferSearchPoint``, alias ``p``; see ``search_rows``): the conditions
of a query, the counted facet combinations and the ids of one page. ``search.py`` turns them
into a ``SearchResult``.

Counting. The matching rows are counted per combination of facet values (level, kind, sector,
the five learning paths): the total and every facet count, for any choice of facet values,
follow from that in Python (``facet_counts``). A count reads at most ``LARGE_RESULT + 1``
rows (near a place without words: ``POINT_LIMIT`` points of the point index):

- at most ``LARGE_RESULT`` matches: exact. PostgreSQL reads them once, in one statement that
  returns the combinations and the page asked for (``_one_pass``, ``_point_pass``); text that
  PostgreSQL estimates at more than ``SKIP_BASE`` matches is not read for counting at all;
- more: the total is an estimate ("ongeveer …") and facet options have no count — unless the
  combinations are in the **count cache**: ``SearchCountCache`` holds them per search (text
  and filters without the facet choices, page, sort and desk) with the generation of the
  search table they were counted at; an entry is used only while that generation is current
  (the triggers raise it on every change), so cached counts are exact. Searches store what
  they counted exactly (and "very large"); ``warm_cache`` counts the empty search and the
  most frequent words in full (command ``leerwerk warm_search_counts``, after imports);
- a region's hidden offers (regional pages) are counted live and subtracted: a desk hides
  few offers, and the cache stays the same for every desk.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from leerwerk.catalogue import dutch, geo
from leerwerk.catalogue.constants import CurationStatus, LearningPath
from leerwerk.catalogue.models_search import SearchCountCache, SearchGeneration
from leerwerk.catalogue.search_rows import FACET_COLUMNS, PATH_FLAGS

if TYPE_CHECKING:
    from leerwerk.catalogue.search import OfferQuery

TABLE = "catalogue_offersearchrow"
PATH_COLUMNS = dict(
    zip(
        (
            LearningPath.BOL,
            LearningPath.BBL,
            LearningPath.PART_TIME,
            LearningPath.ONLINE,
            LearningPath.IN_COMPANY,
        ),
        PATH_FLAGS,
        strict=True,
    )
)
_PATHS = list(PATH_COLUMNS)  # the order of the path flags in a combination
# Above this many matches the total and the facet counts are not counted (docs/catalogue.md).
LARGE_RESULT = 5_000
# Near a place without text the point index is read up to this many points (an index-only
# read of ~60 bytes a point, far cheaper than a row).
POINT_LIMIT = LARGE_RESULT
# Text with more matches than this (PostgreSQL's estimate of the text with the other filters,
# which for text is seldom off by more than a third) is not counted: reading the first
# ``LARGE_RESULT + 1`` would only show that there are too many, at ~2 µs a row read
# (docs/benchmarks.md).
SKIP_BASE = 3 * LARGE_RESULT // 2
# With facet values chosen the matches with them are counted (and the page read) apart: text
# estimated above ``SKIP_CHOSEN`` × ``LARGE_RESULT`` matches (points near a place: × ``POINT_LIMIT``)
# is then not read without them (that would only show there are too many to count the chosen
# facets' other options).
SKIP_CHOSEN = 1.2
# Candidates of a very large result by relevance come from a sample of the text index of
# about this many entries (``gin_fuzzy_search_limit``), not from all of them.
SAMPLE_LIMIT = 10_000
CACHE_VERSION = 1  # raise when the meaning of a cached entry changes
USE_CACHE = True  # the benchmark switches it off to measure counting itself
SORT_DISTANCE, SORT_START = "distance", "start"  # search.Sort (not imported: a cycle)


def rank_sql(alias: str = "r") -> str:
    """PostgreSQL's relevance of a row for the text (one parameter: the tsquery), in one place
    for the search and the benchmark's bare query: ``ts_rank_cd``, title words (weight A)
    above keywords (B), words close together above words apart. (``ts_rank`` costs ~1 µs a row
    against ~2.6 µs, but measured on the whole benchmark mix the search hardly gained: most of
    a search's time is not ranking.)"""
    prefix = f"{alias}." if alias else ""
    return f"ts_rank_cd({prefix}search_vector, to_tsquery('simple', %s))"


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


PLANNER_SETTINGS = ("enable_seqscan", "max_parallel_workers_per_gather", "gin_fuzzy_search_limit")


@contextmanager
def one_transaction() -> Iterator[None]:
    """PostgreSQL: one search's statements in one transaction, so ``use_plan_settings`` holds
    for them only: it ends with the transaction, or — when the search runs inside a larger
    one — the settings are put back at the end."""
    if not is_postgresql():
        yield
        return
    outer = connection.in_atomic_block
    with transaction.atomic():
        before: tuple[str, ...] = ()
        if outer:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join(f"current_setting('{name}')" for name in PLANNER_SETTINGS)
                )
                before = tuple(cursor.fetchone())
        yield
        if outer:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT "
                    + ", ".join(f"set_config('{name}', %s, true)" for name in PLANNER_SETTINGS),
                    list(before),
                )


def use_plan_settings(plan: Plan) -> None:
    """PostgreSQL, inside ``one_transaction``: no parallel workers (a search reads at most a
    few thousand rows; starting workers costs more, and a busy server has no idle cores) and,
    with text, no sequential scans: with a LIMIT the planner may hope to find the matches early
    in the table, which for a word that rarely goes with a filter means reading all of it,
    where the text index gives the candidates at once."""
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
            "set_config('enable_seqscan', %s, true)",
            ["off" if plan.tsquery else "on"],
        )


@dataclass
class Sql:
    """Conditions joined with AND, with their parameters."""

    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def extend(self, other: Sql) -> Sql:
        return Sql([*self.parts, *other.parts], [*self.params, *other.params])

    @property
    def where(self) -> str:
        return " AND ".join(f"({part})" for part in self.parts) or "1 = 1"


def ids_in(ids: Iterable[int], alias: str = "r") -> str:
    """``r.offer_id IN (…)`` with the ids written out (integers from the database, so no
    parameter limit applies)."""
    numbers = ",".join(str(int(pk)) for pk in ids)
    return f"{alias}.offer_id IN ({numbers})" if numbers else "1 = 0"


# -- conditions ------------------------------------------------------------------------------


@dataclass
class Plan:
    """A query in SQL: ``base`` holds the text and every filter except the facets."""

    base: Sql
    facets: dict[str, Sql]
    tsquery: str = ""  # PostgreSQL, when there is text
    ranks: dict[int, float] | None = None  # SQLite, when there is text
    distance_sql: str = ""  # the nearest location's distance in km (with an origin)
    distance_params: list[Any] = field(default_factory=list)
    # PostgreSQL, a search by distance without text or start period: the same conditions on
    # the point table (alias ``p``), to count from its index
    points: Sql | None = None
    point_facets: dict[str, Sql] = field(default_factory=dict)
    key: str = ""  # the count cache key

    @property
    def matching(self) -> Sql:
        result = Sql(list(self.base.parts), list(self.base.params))
        for sql in self.facets.values():
            result = result.extend(sql)
        return result


FACET_KEYS = ("levels", "kinds", "paths", "sectors")


def _chosen_sql(query: OfferQuery, alias: str) -> Sql:
    """The query's facet choices as one condition on the rows of ``alias``."""
    chosen = Sql()
    for key in FACET_KEYS:
        chosen = chosen.extend(_facet_sql(key, getattr(query, key), alias))
    return chosen


def _combination(
    level: str, kind: str, sector: str | None, paths: Sequence[Any], number: Any
) -> Combination:
    """A combination as the counting works with it: the learning paths as bits."""
    bits = sum(1 << i for i, flag in enumerate(paths) if flag)
    return (level, kind, sector or "", bits, int(number))


def _facet_sql(key: str, values: Sequence[str], alias: str = "r") -> Sql:
    sql = Sql()
    if not values:
        return sql
    if key == "paths":
        sql.add(" OR ".join(f"{alias}.{PATH_COLUMNS[LearningPath(value)]}" for value in values))
    else:
        column = {"levels": "level", "kinds": "kind", "sectors": "sector"}[key]
        sql.add(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})", list(values))
    return sql


MAX_CELLS = 400  # a wider search reads the whole point table


def cells_around(point: geo.Point, km: float) -> list[int] | None:
    """The grid cells (as ``catalogue_search_cell`` numbers them) that hold every point within
    ``km`` of ``point``: those of its bounding box; None when there are very many."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(point, km)
    lats = range(math.floor(min_lat * 10), math.floor(max_lat * 10) + 1)
    lons = range(math.floor(min_lon * 10), math.floor(max_lon * 10) + 1)
    if len(lats) * len(lons) > MAX_CELLS:
        return None
    return [lat * 1000 + lon for lat in lats for lon in lons]


def _point_distance(origin: geo.Origin) -> tuple[str, list[Any]]:
    """PostgreSQL: the distance in km from ``origin`` to a point table row (alias ``p``), the
    same haversine, with the same operations, as ``geo.distance_expression``."""
    lat0 = math.radians(origin.point.latitude)
    return (
        "%s * asin(least(1.0, sqrt(power(sin((radians(p.latitude) - %s) / 2.0), 2)"
        " + %s * cos(radians(p.latitude)) * power(sin((radians(p.longitude) - %s) / 2.0), 2))))",
        [
            2 * geo.EARTH_RADIUS_KM,
            lat0,
            math.cos(lat0),
            math.radians(origin.point.longitude),
        ],
    )


def _points_within(origin: geo.Origin, km: float) -> Sql:
    """PostgreSQL: the point table's rows within ``km`` (alias ``p``): by grid cell, then the
    exact distance."""
    sql = Sql()
    cells = cells_around(origin.point, km)
    if cells is not None:
        sql.add("p.cell = ANY(%s)", [cells])
    distance, params = _point_distance(origin)
    sql.add(f"{distance} <= %s", [*params, km])
    return sql


def _distance(origin: geo.Origin) -> tuple[str, list[Any]]:
    """The distance in km to the offer's nearest location (NULL without one), computed as
    ``geo.distance_expression`` does: from the row's points on PostgreSQL, from the location
    table on SQLite."""
    lat0 = math.radians(origin.point.latitude)
    lon0 = math.radians(origin.point.longitude)
    if is_postgresql():
        # Most offers have one place: that distance inline (a SQL function call per row costs
        # several microseconds), the function for the others.
        return (
            "(CASE WHEN cardinality(r.lats) = 1 THEN %s * asin(least(1.0, sqrt("
            "power(sin((radians(r.lats[1]) - %s) / 2.0), 2) + %s * cos(radians(r.lats[1]))"
            " * power(sin((radians(r.lons[1]) - %s) / 2.0), 2)))) "
            "ELSE catalogue_search_distance(r.lats, r.lons, %s, %s, %s) END)",
            [2 * geo.EARTH_RADIUS_KM, lat0, math.cos(lat0), lon0, lat0, lon0, math.cos(lat0)],
        )
    lat = "CAST(COALESCE(l.latitude, c.latitude) AS REAL)"
    lon = "CAST(COALESCE(l.longitude, c.longitude) AS REAL)"
    haversine = (
        f"%s * ASIN(MIN(%s, SQRT(POWER(SIN((RADIANS({lat}) - %s) / %s), %s)"
        f" + %s * COS(RADIANS({lat})) * POWER(SIN((RADIANS({lon}) - %s) / %s), %s))))"
    )
    sql = (
        f"(SELECT MIN({haversine}) FROM catalogue_offerlocation l "  # noqa: S608
        "LEFT JOIN catalogue_municipalitycentre c ON c.municipality_id = l.municipality_id "
        "WHERE l.offer_id = r.offer_id)"
    )
    params = [2 * geo.EARTH_RADIUS_KM, 1.0, lat0, 2.0, 2, math.cos(lat0), lon0, 2.0, 2]
    return sql, params


def _text_ranks_sqlite(lexemes: list[str]) -> dict[int, float]:
    """SQLite: rows whose title and keywords have every lexeme (as a prefix of a stem), with a
    rank (title matches count double). LIKE narrows the rows down first; the stems decide."""
    where = Sql()
    for term in lexemes:
        prefixes = dutch.alternatives(term)
        where.add(
            " OR ".join(["(r.title || ' ' || r.keywords) LIKE %s"] * len(prefixes)),
            [dutch.like_pattern(prefix) for prefix in prefixes],
        )
    ranks: dict[int, float] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.offer_id, r.title, r.keywords FROM {TABLE} r WHERE {where.where}",  # noqa: S608
            where.params,
        )
        for pk, title, keywords in cursor.fetchall():
            if dutch.matches(dutch.lexemes(f"{title}\n{keywords}"), lexemes):
                in_title = dutch.lexemes(title)
                ranks[pk] = sum(
                    1.0 + (1.0 if dutch.matches(in_title, [term]) else 0.0) for term in lexemes
                )
    return ranks


def base_cost(max_cost: Decimal) -> list[int]:
    """cost ≤ max ⇔ cents ≤ max × 100 rounded down (costs have whole cents)."""
    return [int((max_cost * 100).to_integral_value(rounding="ROUND_FLOOR"))]


def plan_for(query: OfferQuery, lexemes: list[str]) -> Plan:
    base = Sql()
    plan = Plan(base=base, facets={})
    if lexemes:
        if is_postgresql():
            plan.tsquery = dutch.tsquery(lexemes)
            base.add("r.search_vector @@ to_tsquery('simple', %s)", [plan.tsquery])
        else:
            plan.ranks = _text_ranks_sqlite(lexemes)
            base.add(ids_in(plan.ranks))
    if query.max_cost is not None:
        base.add("r.cost_cents <= %s", base_cost(query.max_cost))
    if query.max_duration_days is not None:
        base.add("r.duration_days <= %s", [query.max_duration_days])
    if query.online_only:
        base.add("r.is_online")
    if query.start_from or query.start_until:
        # a start date in the period, or a flexible start
        if is_postgresql():
            inner, day = "FROM unnest(r.starts) AS d(day) WHERE 1 = 1", "d.day"
        else:
            inner = "FROM catalogue_offerstart s WHERE s.offer_id = r.offer_id"
            day = "s.starts_on"
        period = Sql()
        if query.start_from:
            period.add(f"{day} >= %s", [query.start_from])
        if query.start_until:
            period.add(f"{day} <= %s", [query.start_until])
        base.add(f"r.flexible_start OR EXISTS (SELECT 1 {inner} AND {period.where})", period.params)
    if query.origin is not None:
        plan.distance_sql, plan.distance_params = _distance(query.origin)
    if query.origin is not None and query.max_distance_km is not None:
        within = _points_within(query.origin, query.max_distance_km)
        if is_postgresql() and not lexemes and (query.start_from or query.start_until):
            # No text to start from, and a start period the point table does not hold: the
            # points near the place lead (grid cell index).
            base.add(
                "r.offer_id IN (SELECT p.offer_id FROM catalogue_offersearchpoint p "  # noqa: S608
                f"WHERE {within.where})",
                within.params,
            )
        else:
            cells = cells_around(query.origin.point, query.max_distance_km)
            if is_postgresql() and cells is not None:
                # the grid cells first: an array test instead of a distance per row
                base.add("r.cells && %s::integer[]", [cells])
            base.add(f"{plan.distance_sql} <= %s", [*plan.distance_params, query.max_distance_km])
            if is_postgresql() and not lexemes:
                # No text: count and sort from the point index (the row's own points serve a
                # walk along the title or start index when very many offers are near)
                points = Sql(list(within.parts), list(within.params))
                if query.max_cost is not None:
                    points.add("p.cost_cents <= %s", base_cost(query.max_cost))
                if query.max_duration_days is not None:
                    points.add("p.duration_days <= %s", [query.max_duration_days])
                if query.online_only:
                    points.add("p.is_online")
                plan.points = points
    plan.facets = {key: _facet_sql(key, getattr(query, key)) for key in FACET_KEYS}
    plan.point_facets = {key: _facet_sql(key, getattr(query, key), "p") for key in FACET_KEYS}
    plan.key = _cache_key(query, lexemes)
    return plan


def _cache_key(query: OfferQuery, lexemes: list[str]) -> str:
    """What the counted combinations depend on: the text and the filters that are not facets
    (not the facet choices, the desk, the page or the sort)."""
    origin = query.origin
    parts = {
        "v": CACHE_VERSION,
        "text": sorted(lexemes),
        "max_cost": str(query.max_cost) if query.max_cost is not None else None,
        "max_duration_days": query.max_duration_days,
        "online_only": query.online_only,
        "start": [str(query.start_from or ""), str(query.start_until or "")],
        "distance": (
            [repr(origin.point.latitude), repr(origin.point.longitude), query.max_distance_km]
            if origin is not None and query.max_distance_km is not None
            else None
        ),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# -- counting --------------------------------------------------------------------------------

Combination = tuple[str, str, str, int, int]  # level, kind, sector, path bits, count


def _combinations(where: Sql, *, limit: int | None) -> list[Combination]:
    """Matching rows per combination of facet values (reading at most ``limit`` rows)."""
    columns = ", ".join(FACET_COLUMNS)
    inner = (
        f"SELECT {', '.join(f'r.{c}' for c in FACET_COLUMNS)} FROM {TABLE} r WHERE {where.where}"  # noqa: S608
    )
    if limit is not None:
        inner += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, COUNT(*) FROM ({inner}) s GROUP BY {columns}",  # noqa: S608
            where.params,
        )
        rows = cursor.fetchall()
    return [_combination(level, kind, sector, paths, n) for level, kind, sector, *paths, n in rows]


def _point_estimate(where: Sql) -> int:
    """PostgreSQL's estimate of the matching points (no rows are read)."""
    return _planned_rows("catalogue_offersearchpoint p", where)


def _planned_rows(table: str, where: Sql) -> int:
    """The number of rows PostgreSQL's planner expects ``where`` to match in ``table``."""
    with connection.cursor() as cursor:
        sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE {where.where}"  # noqa: S608
        cursor.execute(sql, where.params)
        plan = _json(cursor.fetchone()[0])
    return int(plan[0]["Plan"]["Plan Rows"])


def _subtract(combinations: list[Combination], hidden: list[Combination]) -> list[Combination]:
    counts: dict[tuple[str, str, str, int], int] = {}
    for level, kind, sector, bits, number in combinations:
        counts[(level, kind, sector, bits)] = counts.get((level, kind, sector, bits), 0) + number
    for level, kind, sector, bits, number in hidden:
        counts[(level, kind, sector, bits)] = counts.get((level, kind, sector, bits), 0) - number
    return [(*combo, number) for combo, number in counts.items() if number > 0]


def _chosen(query: OfferQuery) -> dict[str, Any]:
    return {
        "levels": set(query.levels),
        "kinds": set(query.kinds),
        "sectors": set(query.sectors),
        "paths": sum(1 << _PATHS.index(LearningPath(value)) for value in query.paths),
    }


def _passes(combination: tuple[str, str, str, int], chosen: dict[str, Any]) -> bool:
    level, kind, sector, bits = combination
    return (
        (not chosen["levels"] or level in chosen["levels"])
        and (not chosen["kinds"] or kind in chosen["kinds"])
        and (not chosen["sectors"] or sector in chosen["sectors"])
        and (not chosen["paths"] or bool(bits & chosen["paths"]))
    )


def facet_counts(
    combinations: list[Combination], query: OfferQuery
) -> tuple[int, dict[str, dict[str, int]]]:
    """The total for the chosen facet values and, per facet, what each of its values would
    give with the other facets' choices kept."""
    chosen = _chosen(query)
    levels: set[str] = chosen["levels"]
    kinds: set[str] = chosen["kinds"]
    sectors: set[str] = chosen["sectors"]
    path_mask: int = chosen["paths"]
    total = 0
    counts: dict[str, dict[str, int]] = {key: {} for key in chosen}
    for level, kind, sector, bits, number in combinations:
        ok = {
            "levels": not levels or level in levels,
            "kinds": not kinds or kind in kinds,
            "sectors": not sectors or sector in sectors,
            "paths": not path_mask or bool(bits & path_mask),
        }
        failing = [key for key, passed in ok.items() if not passed]
        if not failing:
            total += number
        if len(failing) > 1:
            continue
        values = {
            "levels": [level],
            "kinds": [kind],
            "sectors": [sector] if sector else [],
            "paths": [str(_PATHS[i]) for i in range(len(_PATHS)) if bits & (1 << i)],
        }
        for key in chosen:
            if failing and failing[0] != key:
                continue  # another facet's choice excludes this combination
            bucket = counts[key]
            for value in values[key]:
                bucket[value] = bucket.get(value, 0) + number
    return total, counts


@dataclass
class Counts:
    total: int
    facets: dict[str, dict[str, int]] | None  # None: not counted (a very large result)
    exact: bool  # False: ``total`` is PostgreSQL's estimate
    partial: set[str] = field(default_factory=set)  # facets without counts in a partial count
    page: list[int] | None = None  # the page asked for, when the count read it (PostgreSQL)
    more_than: bool = False  # not exact, and ``total`` is a lower bound: more match


def _generation() -> int:
    found = SearchGeneration.objects.filter(pk=1).values_list("generation", flat=True).first()
    return int(found or 0)


def _cached(key: str) -> tuple[int, list[Combination] | str | None]:
    """The current generation and the combinations cached for ``key`` at it, or ``LARGE``
    (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.generation, c.counts FROM (SELECT COALESCE(MAX(generation), 0) AS "
            "generation FROM catalogue_searchgeneration) g LEFT JOIN catalogue_searchcountcache c "
            "ON c.key = %s AND c.generation = g.generation",
            [key],
        )
        generation, counts = cursor.fetchone()
    if counts is None:
        return int(generation), None
    counts = _json(counts)
    if counts == LARGE:
        return int(generation), LARGE
    return int(generation), [tuple(row) for row in counts]


def _store(key: str, generation: int, combinations: list[Combination] | str) -> None:
    """Cache the combinations of ``key``, or ``LARGE`` (replacing what it had: one row per
    search)."""
    counts = combinations if isinstance(combinations, str) else [list(c) for c in combinations]
    SearchCountCache.objects.bulk_create(
        [SearchCountCache(key=key, generation=generation, counts=counts)],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["generation", "counts", "computed_at"],
    )


def prune_cache() -> int:
    """Remove the entries of older generations (they are never used again)."""
    deleted, _detail = SearchCountCache.objects.filter(generation__lt=_generation()).delete()
    return deleted


def _hidden_ids(desk_id: int) -> list[int]:
    from leerwerk.catalogue.models import OfferCuration

    return list(
        OfferCuration.objects.filter(desk_id=desk_id, status=CurationStatus.HIDDEN).values_list(
            "offer_id", flat=True
        )
    )


def _featured_flag(desk_id: int | None, alias: str) -> tuple[str, list[Any]]:
    return (
        "EXISTS (SELECT 1 FROM catalogue_offercuration c WHERE c.desk_id = %s "  # noqa: S608
        f"AND c.offer_id = {alias}.offer_id AND c.status = %s)",
        [desk_id, CurationStatus.FEATURED],
    )


@dataclass
class Pass:
    """What one read of (at most ``LARGE_RESULT + 1``) matching rows gives."""

    complete: bool  # False: there are more matches than were read
    every: list[Combination]  # the combinations of the rows (none when not complete)
    shown: list[Combination]  # the same without the desk's hidden offers
    matching: int  # the shown rows that pass the facet choices
    page: list[int]  # of those, the ids of the page asked for, in page order


def _one_pass(query: OfferQuery, plan: Plan, hidden: set[int], where: Sql, page_start: int) -> Pass:
    """PostgreSQL: read the matching rows once, at most ``LARGE_RESULT + 1``, and work out in
    the same statement their combinations of facet values (all, and without the desk's hidden
    offers), how many pass the facet choices and which of those make the page asked for (the
    rows themselves never leave the database)."""
    select = [f"r.{c}" for c in (*FACET_COLUMNS, "offer_id", "title", "next_start_on")]
    params: list[Any] = []
    order = ["{a}.title", "{a}.offer_id"]  # of the rows read (alias ``a``)
    if query.sort == SORT_DISTANCE and query.origin is not None:
        select.append(f"{plan.distance_sql} AS distance")
        params += plan.distance_params
        order.insert(0, "{a}.distance ASC NULLS LAST")
    elif query.sort == SORT_START:
        order.insert(0, "{a}.next_start_on ASC NULLS LAST")
    else:
        if plan.tsquery:
            select.append(f"{rank_sql()} AS rank")
            params.append(plan.tsquery)
            order.insert(0, "{a}.rank DESC")
        if query.desk_id is not None:
            featured, featured_params = _featured_flag(query.desk_id, "r")
            select.append(f"{featured} AS featured")
            params += featured_params
            order.insert(0, "{a}.featured DESC")
    inner = (
        f"SELECT {', '.join(select)} FROM {TABLE} r WHERE {where.where} "  # noqa: S608
        f"LIMIT {LARGE_RESULT + 1}"
    )
    chosen = _chosen_sql(query, "s")
    shown = "s.offer_id <> ALL(%s::bigint[])"
    hidden_ids = sorted(hidden)
    facets = ", ".join(FACET_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            # (the combinations only when all matches were read: PostgreSQL runs a subquery
            # in a CASE only when it gets there)
            f"WITH s AS MATERIALIZED ({inner}) SELECT x.n, "  # noqa: S608
            f"CASE WHEN x.n <= {LARGE_RESULT} THEN "
            f"(SELECT json_agg(json_build_array({facets}, n, shown)) FROM (SELECT {facets}, "
            f"count(*) AS n, count(*) FILTER (WHERE {shown}) AS shown FROM s "
            f"GROUP BY {facets}) c) END, "
            f"(SELECT count(*) FROM s WHERE {shown} AND {chosen.where}), "
            + _page_sql(
                "s",
                f"{shown} AND {chosen.where}",
                lambda a: ", ".join(part.format(a=a) for part in order),
                query.per_page,
                page_start,
            )
            + " FROM (SELECT count(*) AS n FROM s) x",
            [
                *params,
                *where.params,
                hidden_ids,
                hidden_ids,
                *chosen.params,
                hidden_ids,
                *chosen.params,
            ],
        )
        read, combinations, matching, page = cursor.fetchone()
    every: list[Combination] = []
    visible: list[Combination] = []
    for level, kind, sector, *paths, number, number_shown in _json(combinations) or []:
        every.append(_combination(level, kind, sector, paths, number))
        if number_shown:
            visible.append(_combination(level, kind, sector, paths, number_shown))
    return Pass(
        complete=read <= LARGE_RESULT,
        every=every,
        shown=visible,
        matching=int(matching),
        page=[int(pk) for pk in _json(page) or []],
    )


def _json(value: Any) -> Any:
    """A json value as psycopg returns it (already decoded, or text)."""
    return json.loads(value) if isinstance(value, str) else value


# the columns of the point index (so PostgreSQL reads the index only)
POINT_SELECT = ", ".join(
    f"p.{c}"
    for c in ("offer_id", "latitude", "longitude", "title", "next_start_on", *FACET_COLUMNS)
)


def _page_sql(rows: str, where: str, order: Callable[[str], str], size: int, start: int) -> str:
    """A subquery for the ids of one page of ``rows`` (a CTE, also its alias in ``where``) as
    a json array in page order. ``order(alias)`` is the page order over that alias: the page
    is cut with ORDER BY … LIMIT, which PostgreSQL sorts bounded (keeping only the first rows
    in order, not sorting every match), and only its rows are put in order again for the
    array."""
    return (
        f"(SELECT json_agg(p.offer_id ORDER BY {order('p')}) FROM (SELECT {rows}.* "  # noqa: S608
        f"FROM {rows} WHERE {where} ORDER BY {order(rows)} "
        f"LIMIT {int(size)} OFFSET {int(start)}) p)"
    )


def _point_order(query: OfferQuery, alias: str = "m") -> tuple[list[str], list[Any]]:
    """The page order over grouped point rows (offer_id, title, next_start_on, distance)."""
    order: list[str] = [f"{alias}.title", f"{alias}.offer_id"]
    params: list[Any] = []
    if query.sort == SORT_DISTANCE:
        order.insert(0, f"{alias}.distance")
    elif query.sort == SORT_START:
        order.insert(0, f"{alias}.next_start_on ASC NULLS LAST")
    elif query.desk_id is not None:
        featured, params = _featured_flag(query.desk_id, alias)
        order.insert(0, f"{featured} DESC")
    return order, params


def _point_pass(
    query: OfferQuery,
    where: Sql,
    *,
    page: tuple[int, int] | None,
    chosen: Sql | None = None,
    hidden: Sequence[int] = (),
) -> tuple[list[Combination] | None, list[int] | None]:
    """PostgreSQL, near a place without text: one read of the point index (at most
    ``POINT_LIMIT`` points) for the offers per combination of facet values and, when asked,
    one page (start, size) of the offers that pass ``chosen`` (alias ``m``) and are not
    ``hidden``. (None, None) when more points match."""
    if query.origin is None:
        raise ValueError("A search near a place needs an origin.")
    distance, distance_params = _point_distance(query.origin)
    facets = ", ".join(FACET_COLUMNS)
    # the points read, each with its distance; then each offer once, at its nearest point
    # (DISTINCT ON: a sort on two numbers, cheaper than grouping by the eleven columns)
    points = (
        f"SELECT {POINT_SELECT}, {distance} AS distance FROM "  # noqa: S608
        f"catalogue_offersearchpoint p WHERE {where.where} LIMIT {POINT_LIMIT + 1}"
    )
    offers = (
        f"SELECT DISTINCT ON (offer_id) offer_id, title, next_start_on, {facets}, distance "  # noqa: S608
        "FROM pts ORDER BY offer_id, distance"
    )
    combos = (
        f"SELECT json_agg(json_build_array({facets}, c)) FROM "  # noqa: S608
        f"(SELECT {facets}, COUNT(*) AS c FROM m GROUP BY {facets}) c"
    )
    page_sql, page_params = "NULL", list[Any]()
    if page is not None:
        order_params = _point_order(query)[1]
        shown = (chosen or Sql()).extend(Sql(["m.offer_id <> ALL(%s::bigint[])"], [list(hidden)]))
        start, size = page
        page_sql = _page_sql(
            "m", shown.where, lambda a: ", ".join(_point_order(query, a)[0]), size, start
        )
        # the order's parameters in the array's order, then the page's
        page_params = [*order_params, *shown.params, *order_params]
    with connection.cursor() as cursor:
        cursor.execute(
            # (combinations and page only when every point was read)
            f"WITH pts AS MATERIALIZED ({points}), m AS MATERIALIZED ({offers}) "  # noqa: S608
            f"SELECT x.n, CASE WHEN x.n <= {POINT_LIMIT} THEN ({combos}) END, "
            f"CASE WHEN x.n <= {POINT_LIMIT} THEN {page_sql} END "
            "FROM (SELECT count(*) AS n FROM pts) x",
            [*distance_params, *where.params, *page_params],
        )
        read, found, ids = cursor.fetchone()
    if read > POINT_LIMIT:
        return None, None
    result = [
        _combination(level, kind, sector, paths, number)
        for level, kind, sector, *paths, number in _json(found) or []
    ]
    return result, (_json(ids) or []) if page is not None else None


def point_page(query: OfferQuery, plan: Plan, start: int) -> list[int]:
    """PostgreSQL, near a place without text: one page from the point index alone."""
    if plan.points is None or query.origin is None:
        raise ValueError("A search near a place needs an origin and a distance.")
    where = plan.points
    for sql in plan.point_facets.values():
        where = where.extend(sql)
    if query.hide_hidden and query.desk_id is not None:
        where = where.extend(hidden_sql(query.desk_id, "p"))
    distance, distance_params = _point_distance(query.origin)
    order, params = _point_order(query)
    return fetch_ids(
        f"SELECT m.offer_id FROM (SELECT p.offer_id, p.title, p.next_start_on, "  # noqa: S608
        f"MIN({distance}) AS distance FROM catalogue_offersearchpoint p WHERE {where.where} "
        f"GROUP BY p.offer_id, p.title, p.next_start_on) m ORDER BY {', '.join(order)} "
        f"LIMIT {int(query.per_page)} OFFSET {int(start)}",
        [*distance_params, *where.params, *params],
    )


def estimate(where: Sql) -> int:
    """PostgreSQL's estimate of the number of matching rows (no rows are read)."""
    if not is_postgresql():
        return 0
    return _planned_rows(f"{TABLE} r", where)


LARGE = "large"  # cached: more matches than are counted


def about(number: int) -> int:
    """An estimate as it is shown: two significant digits, at least ``LARGE_RESULT``."""
    digits = max(0, len(str(max(number, 1))) - 2)
    return max(LARGE_RESULT, round(number, -digits))


def count(query: OfferQuery, plan: Plan, page_start: int = 0) -> Counts:
    """The total and the facet counts (see the module documentation); ``page_start``: where
    the page starts when it comes from the same read."""
    generation, cached = _cached(plan.key)
    if not USE_CACHE:
        cached = None
    hidden = _hidden_ids(query.desk_id) if query.hide_hidden and query.desk_id else []
    chosen = {key for key, sql in plan.facets.items() if sql.parts}  # facets with a choice
    combinations: list[Combination] | None = None
    sample: Pass | None = None
    share = 1.0
    estimated: dict[str, int] = {}

    def base_estimate() -> int:  # asked at most once (an EXPLAIN round trip)
        if "base" not in estimated:
            estimated["base"] = estimate(plan.base)
        return estimated["base"]

    if cached is not None and cached != LARGE:
        combinations = cached  # type: ignore[assignment]
    elif cached is None and plan.points is not None:
        # near a place, without text: count from the point index (all points up to a limit,
        # so every count is exact when it is not reached), and the page in the same read
        # (with facet values chosen, those are counted apart below: all points are read only
        # when they may well be few enough)
        combinations, ordered = None, None
        points = _point_estimate(plan.points)
        if points <= (SKIP_CHOSEN if chosen else 2) * POINT_LIMIT:
            combinations, ordered = _point_pass(
                query,
                plan.points,
                page=(page_start, query.per_page),
                chosen=_chosen_sql(query, "m"),
                hidden=hidden,
            )
            if USE_CACHE:
                _store(plan.key, generation, combinations if combinations is not None else LARGE)
        elif points > 2 * POINT_LIMIT and USE_CACHE:
            _store(plan.key, generation, LARGE)
        if combinations is not None and ordered is not None:
            shown = combinations
            if hidden:
                hidden_where = plan.base.extend(Sql([ids_in(hidden)]))
                shown = _subtract(combinations, _combinations(hidden_where, limit=None))
            total, facets = facet_counts(shown, query)
            return Counts(total, facets, exact=True, page=ordered)
    elif cached is None and not is_postgresql():
        # SQLite: a small catalogue, the text already read in Python; count all
        combinations = _combinations(plan.base, limit=None)
        if USE_CACHE:
            _store(plan.key, generation, combinations)
    elif cached is None and (
        not plan.tsquery or base_estimate() <= (SKIP_CHOSEN * LARGE_RESULT if chosen else SKIP_BASE)
    ):
        found = _one_pass(query, plan, set(hidden), plan.base, page_start)
        if USE_CACHE:
            _store(plan.key, generation, found.every if found.complete else LARGE)
        if found.complete:
            total, facets = facet_counts(found.shown, query)
            return Counts(total, facets, exact=True, page=found.page)
        sample = found
        share = found.matching / (LARGE_RESULT + 1)  # of the rows read, those shown
    # else: text whose matches are clearly too many to count (PostgreSQL's estimate, from the
    # text index's own statistics): not read at all; with facet values chosen, the matches
    # with them may be few, and are counted below
    if combinations is not None:
        if hidden:
            hidden_where = plan.base.extend(Sql([ids_in(hidden)]))
            combinations = _subtract(combinations, _combinations(hidden_where, limit=None))
        total, facets = facet_counts(combinations, query)
        return Counts(total, facets, exact=True)
    # Very many matches. With facet values chosen the matches themselves may be few: count
    # those (the facets without a choice can then be counted, the others cannot).
    matching = plan.matching
    if hidden:
        matching.add(f"NOT ({ids_in(hidden)})")
    # the estimate: PostgreSQL's for the text and filters, times the share of the rows read
    # that pass the facet choices (a sample says more than the planner's guess at them)
    if sample is not None:
        guess = round(base_estimate() * share)
    else:
        guess = base_estimate() if not chosen and not hidden else estimate(matching)
    if plan.points is not None and chosen:
        points = plan.points
        for sql in plan.point_facets.values():
            points = points.extend(sql)
        if hidden:
            points = points.extend(Sql([f"NOT ({ids_in(hidden, 'p')})"]))
        partial, ordered = _point_pass(query, points, page=(page_start, query.per_page))
        if partial is not None:
            total, facets = facet_counts(partial, query)
            return Counts(total, facets, exact=True, partial=chosen, page=ordered)
    elif plan.points is None and chosen and guess <= LARGE_RESULT:
        found = _one_pass(query, plan, set(), matching, page_start)
        if found.complete:
            total, facets = facet_counts(found.shown, query)
            return Counts(total, facets, exact=True, partial=chosen, page=found.page)
        sample = found
    # By relevance the page ranks the matches read (as a sample of the first ones), when they
    # were enough for it.
    ranked = plan.tsquery and query.sort not in (SORT_DISTANCE, SORT_START)
    page = (
        sample.page
        if ranked and sample is not None and sample.matching >= page_start + query.per_page
        else None
    )
    total = about(guess)
    # More than the limit were read — now, or before for the same search (the cache's "very
    # large" of a search without a place is only stored after a read) —, yet the estimate says
    # no more: it is too low (the words and the filters go together more than PostgreSQL
    # assumes). Say "more than".
    read_more = sample is not None and sample.matching > LARGE_RESULT
    cached_more = cached == LARGE and plan.points is None and not chosen and not hidden
    if (read_more or cached_more) and total <= LARGE_RESULT:
        return Counts(LARGE_RESULT, None, exact=False, page=page, more_than=True)
    return Counts(total, None, exact=False, page=page)


def warm_cache(queries: Iterable[OfferQuery]) -> int:
    """Count ``queries`` in full (no limit) and cache their combinations at the current
    generation, after pruning older entries: the empty search and frequent words, after an
    import. Returns how many were counted (those already cached are skipped)."""
    prune_cache()
    done = 0
    for query in queries:
        plan = plan_for(query, dutch.query_lexemes(query.text))
        generation, cached = _cached(plan.key)
        if cached is None:
            _store(plan.key, generation, _combinations(plan.base, limit=None))
            done += 1
    return done


# -- a page ----------------------------------------------------------------------------------


def featured_sql(desk_id: int | None) -> tuple[str, list[Any]]:
    if desk_id is None:
        return "0", []
    flag, params = _featured_flag(desk_id, "r")
    return f"CASE WHEN {flag} THEN 1 ELSE 0 END", params


def featured_ids_sql(desk_id: int | None) -> tuple[str, list[Any]]:
    """The ids of the desk's featured offers (a few): a search with very many matches starts
    from these, instead of testing every match for the flag."""
    return (
        "SELECT c.offer_id FROM catalogue_offercuration c WHERE c.desk_id = %s AND c.status = %s",
        [desk_id, CurationStatus.FEATURED],
    )


def hidden_sql(desk_id: int, alias: str = "r") -> Sql:
    return Sql(
        [
            "NOT EXISTS (SELECT 1 FROM catalogue_offercuration c WHERE c.desk_id = %s "  # noqa: S608
            f"AND c.offer_id = {alias}.offer_id AND c.status = %s)"
        ],
        [desk_id, CurationStatus.HIDDEN],
    )


def ranked_candidates(
    where: Sql, tsquery: str, candidates: int, first: int
) -> tuple[int, list[int]]:
    """PostgreSQL: read up to ``candidates`` matching rows, rank them as they are read and
    return how many were read and the ids of the ``first`` best (one statement: the rows never
    leave the database, and none is looked up twice)."""
    rows = (
        f"SELECT r.offer_id, r.title, {rank_sql()} AS rank FROM {TABLE} r "  # noqa: S608
        f"WHERE {where.where} LIMIT {int(candidates)}"
    )
    with connection.cursor() as cursor:
        best = _page_sql("s", "true", lambda a: f"{a}.rank DESC, {a}.title, {a}.offer_id", first, 0)
        cursor.execute(
            f"WITH s AS MATERIALIZED ({rows}) SELECT (SELECT count(*) FROM s), {best}",  # noqa: S608
            [tsquery, *where.params],
        )
        read, ids = cursor.fetchone()
    return int(read), [int(pk) for pk in _json(ids) or []]


@contextmanager
def sampled_text_index() -> Iterator[None]:
    """PostgreSQL: the text index returns a random sample of about ``SAMPLE_LIMIT`` entries of
    a word with more (for the relevance candidates of a very large result, which are a sample
    anyway); inside ``one_transaction``."""
    if not is_postgresql():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('gin_fuzzy_search_limit', %s, true)", [str(SAMPLE_LIMIT)])
    yield
    # (after an error the transaction is rolled back, and the setting with it)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('gin_fuzzy_search_limit', '0', true)")


def fetch_ids(sql: str, params: list[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def fetch_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


__all__ = ["LARGE_RESULT", "POINT_LIMIT", "Counts", "Plan", "Sql", "count", "plan_for"]
