"""Catalogue search: one selector, ``search_offers(query) -> SearchResult``, used by the
adviser and citizen pages and the API. It reads the narrow search table (``OfferSearchRow``,
kept exact by database triggers, ``search_rows.py``) with the SQL of ``search_sql.py``; the
wide offer rows are read only for the offers of the page shown.

- Text: Dutch stemming and prefix matching (``dutch.py``) on the title and the keywords
  (provider, mbo qualification, occupations), not the description. PostgreSQL matches the
  row's ``search_vector`` (GIN index) and ranks with ``ts_rank_cd`` (title weighted above
  keywords); SQLite prefilters with LIKE and checks the stems in Python, so both find the same
  offers.
- Typos: when nothing is found, unknown words are replaced by the most similar word of the
  vocabulary (``SearchWord``, trigram similarity: pg_trgm with its GIN index on PostgreSQL, the
  same formula in Python on SQLite) and the search runs again ("we zochten op …").
- Filters: level, kind, learning path and sector (facets: several values of one facet are
  "or", facets together "and"); distance from a postcode or municipality (``geo.py``); maximum
  cost; a start in a period (a start date in it, or a flexible start); maximum duration; online
  only; the desk's curation (hidden offers left out of regional pages, featured offers first).
- Counts: one grouped query gives the total and every facet count; each facet's counts ignore
  its own selection. Exact up to ``LARGE_RESULT`` matches or when cached at the current
  generation of the search table, else PostgreSQL's estimate (``search_sql.py``).
- Sorting by relevance, distance or start date; 20 per page.
- No result: suggestions to drop a filter, did-you-mean, the desk's related opportunity
  occupations.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import struct
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from leerwerk.catalogue import dutch, geo, search_sql
from leerwerk.catalogue.constants import CurationStatus, LearningPath, Level, OfferKind
from leerwerk.catalogue.models import (
    Offer,
    OfferCuration,
    OfferLocation,
    OpportunityOccupation,
)
from leerwerk.catalogue.models_search import OfferSearchRow, SearchWord
from leerwerk.clients.constants import Sector

PER_PAGE = 20
# With more than search_sql.LARGE_RESULT matches relevance ranks RANK_CANDIDATES matches, taken
# from a sample of the text index (docs/catalogue.md).
RANK_CANDIDATES = 2_000
MAX_PAGE = 500  # deeper pages are no use to a person; the API pages the same way


class Sort:
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    START = "start"
    CHOICES = [
        (RELEVANCE, _("Beste match")),
        (DISTANCE, _("Afstand")),
        (START, _("Startdatum")),
    ]
    VALUES = [RELEVANCE, DISTANCE, START]


PATH_COLUMNS = search_sql.PATH_COLUMNS


@dataclass(frozen=True)
class OfferQuery:
    """What a person searches for. Parsed and checked by ``forms_search`` (pages) or the API
    serializer; ``origin`` is already resolved from the postcode or municipality."""

    text: str = ""
    levels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    origin: geo.Origin | None = None
    max_distance_km: float | None = None
    max_cost: Decimal | None = None
    start_from: datetime.date | None = None
    start_until: datetime.date | None = None
    max_duration_days: int | None = None
    online_only: bool = False
    desk_id: int | None = None  # the desk whose curation applies
    hide_hidden: bool = False  # regional public pages leave the desk's hidden offers out
    sort: str = Sort.RELEVANCE
    page: int = 1
    per_page: int = PER_PAGE
    correct_typos: bool = True


@dataclass(frozen=True)
class Place:
    """Where an offer is given, as a result list shows it (the API too): read for the whole
    page in one query of plain values, not as model instances."""

    name: str
    address: str
    postcode: str
    city: str
    municipality: str  # the municipality's name, "" without one
    municipality_code: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    point: geo.Point | None  # its own coordinates, else the municipality's centre


@dataclass
class OfferHit:
    offer: Offer
    distance_km: float | None = None
    featured: bool = False
    places: list[Place] = field(default_factory=list)  # in the order they were added


@dataclass
class FacetOption:
    value: str
    label: str
    count: int | None  # None: not counted (a very large result)
    selected: bool


@dataclass
class Facet:
    key: str  # the OfferQuery field: levels, kinds, paths, sectors
    label: str
    options: list[FacetOption]


@dataclass
class FilterSuggestion:
    """ "Without this filter you would find N offers"."""

    key: str  # OfferQuery field(s) to clear, e.g. "levels" or "max_cost"
    label: str
    count: int


@dataclass
class SearchResult:
    query: OfferQuery
    hits: list[OfferHit]
    total: int
    page: int
    num_pages: int
    facets: list[Facet]
    corrected_from: str = ""  # the text as typed, when we searched a corrected text instead
    did_you_mean: str = ""  # a corrected text that we did not search (it finds nothing either)
    filter_suggestions: list[FilterSuggestion] = field(default_factory=list)
    related_occupations: list[OpportunityOccupation] = field(default_factory=list)
    total_is_estimate: bool = False
    total_is_lower_bound: bool = False  # an estimate known to be too low: "meer dan"

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.query.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.query.per_page)


FACET_LABELS = {
    "levels": _("Niveau"),
    "kinds": _("Soort opleiding"),
    "paths": _("Leerweg"),
    "sectors": _("Sector"),
}
FILTER_LABELS = {
    **FACET_LABELS,
    "distance": _("Afstand"),
    "max_cost": _("Maximale kosten"),
    "start": _("Startdatum"),
    "max_duration_days": _("Maximale duur"),
    "online_only": _("Alleen online"),
}


def _facet_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "levels": [(str(v), str(label)) for v, label in Level.choices],
        "kinds": [(str(v), str(label)) for v, label in OfferKind.choices],
        "paths": [(str(v), str(label)) for v, label in LearningPath.choices],
        "sectors": [(str(v), str(label)) for v, label in Sector.choices],
    }


# -- the search ------------------------------------------------------------------------------


def search_offers(query: OfferQuery) -> SearchResult:
    """Search active offers. See the module documentation."""
    with search_sql.one_transaction():
        return _search_or_suggest(query)


def _search_or_suggest(query: OfferQuery) -> SearchResult:
    terms = dutch.query_terms(query.text)
    result = _search(query, dutch.query_lexemes(query.text))
    if result.total or not terms:
        return result
    corrected = did_you_mean(query.text) if query.correct_typos else ""
    if corrected:
        retry = _search(
            dataclasses.replace(query, text=corrected),
            dutch.query_lexemes(corrected),
        )
        if retry.total:
            retry.corrected_from = query.text
            return retry
        result.did_you_mean = corrected
    # Suggestions for the corrected text when there is one: that is what the person meant.
    result.filter_suggestions = _filter_suggestions(
        query, dutch.query_lexemes(corrected or query.text)
    )
    result.related_occupations = _related_occupations(query, [word for word, _ in terms])
    return result


def _search(query: OfferQuery, lexemes: list[str]) -> SearchResult:
    plan = search_sql.plan_for(query, lexemes)
    search_sql.use_plan_settings(plan)
    asked = (max(1, min(query.page, MAX_PAGE)) - 1) * query.per_page
    counts = search_sql.count(query, plan, page_start=asked)
    total = counts.total
    choices = _facet_choices()
    facets = [
        Facet(
            key,
            str(FACET_LABELS[key]),
            [
                FacetOption(
                    value,
                    label,
                    None
                    if counts.facets is None or key in counts.partial
                    else counts.facets[key].get(value, 0),
                    value in getattr(query, key),
                )
                for value, label in options
            ],
        )
        for key, options in choices.items()
    ]
    num_pages = max(1, math.ceil(total / query.per_page))
    page = max(1, min(query.page, num_pages, MAX_PAGE))
    start = (page - 1) * query.per_page
    if counts.page is not None and start == asked:  # read with the counts
        ids = counts.page
    elif plan.points is not None and counts.exact and total <= search_sql.POINT_LIMIT:
        ids = search_sql.point_page(query, plan, start)
    else:
        ids = _page(query, plan, page, large=total > search_sql.LARGE_RESULT)
    if not counts.exact and not ids and page == 1:
        # The estimate was wrong: nothing matches. Say so plainly (and let the caller try a
        # correction).
        total, num_pages = 0, 1
        for facet in facets:
            for option in facet.options:
                option.count = 0
    return SearchResult(
        query=query,
        hits=_hits(query, ids),
        total=total,
        page=page,
        num_pages=num_pages,
        facets=facets,
        total_is_estimate=not counts.exact and bool(ids or page > 1),
        total_is_lower_bound=counts.more_than and bool(ids or page > 1),
    )


def _page(query: OfferQuery, plan: search_sql.Plan, page: int, *, large: bool) -> list[int]:
    """The ids of one page, in order. Up to ``LARGE_RESULT`` matches are read and sorted in
    full. More: by relevance ``RANK_CANDIDATES`` matches from a sample (and the desk's featured
    ones) are ranked; without text, and by start date, PostgreSQL walks an index in that order;
    by distance every match is measured."""
    start = (page - 1) * query.per_page
    where = plan.matching
    if query.hide_hidden and query.desk_id is not None:
        where = where.extend(search_sql.hidden_sql(query.desk_id))
    featured, featured_params = search_sql.featured_sql(query.desk_id)
    table = search_sql.TABLE
    limit = f" LIMIT {int(query.per_page)} OFFSET {int(start)}"
    if plan.ranks is not None and query.sort not in (Sort.DISTANCE, Sort.START):
        # SQLite text: sorted by the Python ranks
        rows = search_sql.fetch_rows(
            f"SELECT r.offer_id, r.title, {featured} FROM {table} r WHERE {where.where}",  # noqa: S608
            [*featured_params, *where.params],
        )
        ranks = plan.ranks
        rows.sort(key=lambda row: (-row[2], -ranks.get(row[0], 0.0), row[1], row[0]))
        return [row[0] for row in rows[start : start + query.per_page]]
    if large and plan.tsquery and query.sort == Sort.RELEVANCE:
        return _ranked_sample(query, plan.tsquery, where, start)
    if large or not search_sql.is_postgresql():
        source, params = f"{table} r WHERE {where.where}", [*where.params]  # noqa: S608
    else:
        # A few thousand matches at most: PostgreSQL reads them by the text or filter indexes
        # and sorts them (the subquery keeps it from walking a sort index instead).
        source = f"(SELECT * FROM {table} r WHERE {where.where} OFFSET 0) r"  # noqa: S608
        params = [*where.params]
    if query.sort == Sort.DISTANCE and query.origin is not None:
        order, order_params = (
            f"{plan.distance_sql} ASC NULLS LAST, r.title, r.offer_id",
            plan.distance_params,
        )
    elif query.sort == Sort.START:
        order, order_params = "r.next_start_on ASC NULLS LAST, r.title, r.offer_id", []
    elif plan.tsquery:
        order = f"{search_sql.rank_sql()} DESC, r.title, r.offer_id"
        order_params = [plan.tsquery]
        if query.desk_id is not None:
            order, order_params = f"{featured} DESC, {order}", [*featured_params, *order_params]
    elif large and query.desk_id is not None:
        return _featured_then_title(query, where, start)
    elif query.desk_id is not None:
        order, order_params = f"{featured} DESC, r.title, r.offer_id", featured_params
    else:
        order, order_params = "r.title, r.offer_id", []
    return search_sql.fetch_ids(
        f"SELECT r.offer_id FROM {source} ORDER BY {order}" + limit,  # noqa: S608
        [*params, *order_params],
    )


def _ranked_sample(query: OfferQuery, tsquery: str, where: search_sql.Sql, start: int) -> list[int]:
    """Very many matches by relevance: the desk's featured matches (few, found from the
    curation table) first, then the best of ``RANK_CANDIDATES`` matches from a random sample of
    the text index — of all matches when the sample falls short — ranked where they are read."""
    featured: list[int] = []
    if query.desk_id is not None:
        chosen, chosen_params = search_sql.featured_ids_sql(query.desk_id)
        featured = search_sql.fetch_ids(
            f"SELECT r.offer_id FROM {search_sql.TABLE} r "  # noqa: S608
            f"WHERE r.offer_id IN ({chosen}) AND {where.where} "
            f"ORDER BY {search_sql.rank_sql()} DESC, r.title, r.offer_id",
            [*chosen_params, *where.params, tsquery],
        )
    first = start + query.per_page + len(featured)  # enough of the others for the page
    with search_sql.sampled_text_index():  # any candidates will do: a random sample
        read, ranked = search_sql.ranked_candidates(where, tsquery, RANK_CANDIDATES, first)
    if read < RANK_CANDIDATES:  # the sample may have missed some: all of them
        read, ranked = search_sql.ranked_candidates(where, tsquery, RANK_CANDIDATES, first)
    shown = set(featured)
    return [*featured, *(pk for pk in ranked if pk not in shown)][start : start + query.per_page]


def _featured_then_title(query: OfferQuery, where: search_sql.Sql, start: int) -> list[int]:
    """Very many matches without text, for a desk: its featured matches (few) first, then the
    rest in title order along the title index."""
    chosen, chosen_params = search_sql.featured_ids_sql(query.desk_id)
    select = f"SELECT r.offer_id FROM {search_sql.TABLE} r WHERE {where.where}"  # noqa: S608
    first = search_sql.fetch_ids(
        select + f" AND r.offer_id IN ({chosen}) ORDER BY r.title, r.offer_id",
        [*where.params, *chosen_params],
    )
    rest = search_sql.fetch_ids(
        select
        + f" AND NOT ({search_sql.ids_in(first)}) ORDER BY r.title, r.offer_id"
        + f" LIMIT {int(query.per_page)} OFFSET {max(0, start - len(first))}",
        where.params,
    )
    return (first[start:] + rest)[: query.per_page]


def _featured(desk_id: int) -> Any:
    return Exists(
        OfferCuration.objects.filter(
            desk_id=desk_id, offer=OuterRef("pk"), status=CurationStatus.FEATURED
        )
    )


# What a result list shows of an offer, on the pages and in the API (``OfferSerializer``): the
# other columns (the description, the import's bookkeeping, the timestamps) are not read —
# a page of 20 decoded a thousand values it did not show.
LIST_FIELDS = (
    "uuid",
    "title",
    "level",
    "nlqf_level",
    "kind",
    *PATH_COLUMNS.values(),
    "sector",
    "flexible_start",
    "next_start_on",
    "duration_amount",
    "duration_unit",
    "duration_days",
    "cost_amount",
    "cost_vat_included",
    "language",
    "crebo_code",
    "url",
    "is_active",
    "provider__name",
)


def _hits(query: OfferQuery, ids: list[int]) -> list[OfferHit]:
    """The offers of one page, in order, with what the result list shows: two queries (the
    offers with their provider, the places of all of them)."""
    if not ids:
        return []
    offers = (
        Offer.objects.filter(pk__in=ids)
        .select_related("provider")
        .only(*LIST_FIELDS)
        .order_by()  # the ids decide
    )
    if query.desk_id is not None:
        offers = offers.annotate(featured=_featured(query.desk_id))
    by_id = {offer.pk: offer for offer in offers}
    places = _places(ids)
    hits = []
    for pk in ids:
        offer = by_id[pk]
        shown = places.get(pk, [])
        offer.page_places = shown  # type: ignore[attr-defined]  # Offer.shown_locations
        hits.append(
            OfferHit(
                offer=offer,
                distance_km=_nearest_km(query.origin, shown),
                featured=bool(getattr(offer, "featured", False)),
                places=shown,
            )
        )
    return hits


def _places(ids: list[int]) -> dict[int, list[Place]]:
    places: dict[int, list[Place]] = {}
    rows = (
        OfferLocation.objects.filter(offer_id__in=ids)
        .order_by("pk")
        .values_list(
            "offer_id",
            "name",
            "address",
            "postcode",
            "city",
            "municipality__name",
            "municipality__code",
            "latitude",
            "longitude",
            "municipality__catalogue_centre__latitude",
            "municipality__catalogue_centre__longitude",
        )
    )
    for offer_id, name, address, postcode, city, town, code, lat, lon, c_lat, c_lon in rows:
        point = None
        if lat is not None and lon is not None:
            point = geo.Point(float(lat), float(lon))
        elif c_lat is not None and c_lon is not None:
            point = geo.Point(float(c_lat), float(c_lon))
        places.setdefault(offer_id, []).append(
            Place(name, address, postcode, city, town or "", code, lat, lon, point)
        )
    return places


def _nearest_km(origin: geo.Origin | None, places: list[Place]) -> float | None:
    if origin is None:
        return None
    distances = [
        geo.haversine_km(origin.point, place.point) for place in places if place.point is not None
    ]
    return min(distances) if distances else None


# -- no results ------------------------------------------------------------------------------


def _without(query: OfferQuery, key: str) -> OfferQuery:
    changes: dict[str, Any]
    if key == "distance":
        changes = {"max_distance_km": None}
    elif key == "start":
        changes = {"start_from": None, "start_until": None}
    elif key in FACET_LABELS:
        changes = {key: ()}
    elif key == "online_only":
        changes = {"online_only": False}
    else:
        changes = {key: None}
    return dataclasses.replace(query, **changes)


def active_filters(query: OfferQuery) -> list[str]:
    active = [key for key in FACET_LABELS if getattr(query, key)]
    if query.origin is not None and query.max_distance_km is not None:
        active.append("distance")
    if query.max_cost is not None:
        active.append("max_cost")
    if query.start_from or query.start_until:
        active.append("start")
    if query.max_duration_days is not None:
        active.append("max_duration_days")
    if query.online_only:
        active.append("online_only")
    return active


def _filter_suggestions(query: OfferQuery, lexemes: list[str]) -> list[FilterSuggestion]:
    """For each active filter: how many offers there would be without it (one count each)."""
    suggestions = []
    for key in active_filters(query):
        relaxed = _without(query, key)
        plan = search_sql.plan_for(relaxed, lexemes)
        search_sql.use_plan_settings(plan)
        counts = search_sql.count(relaxed, plan)
        if counts.total:
            suggestions.append(FilterSuggestion(key, str(FILTER_LABELS[key]), counts.total))
    return suggestions


def _related_occupations(query: OfferQuery, words: list[str]) -> list[OpportunityOccupation]:
    """The desk's published opportunity occupations whose name has one of the query words."""
    words = [word for word in words if len(word) >= 4]
    if query.desk_id is None or not words:
        return []
    match = Q()
    for word in words:
        match |= Q(occupation__label__icontains=word)
    return list(
        OpportunityOccupation.objects.filter(match, desk_id=query.desk_id, is_published=True)
        .select_related("occupation")
        .order_by("occupation__label")[:5]
    )


# -- did you mean ----------------------------------------------------------------------------

SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default for the % operator


def _float4(value: float) -> float:
    """PostgreSQL's similarity() is a real (float4): compare like it does."""
    return float(struct.unpack("f", struct.pack("f", value))[0])


def _closest_word(word: str) -> str | None:
    if search_sql.is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM catalogue_searchword WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, frequency DESC, word LIMIT 1",
                [word, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    threshold = _float4(SIMILARITY_THRESHOLD)
    best: tuple[float, int, str] | None = None
    for candidate, frequency in SearchWord.objects.values_list("word", "frequency").iterator(5000):
        similarity = _float4(dutch.trigram_similarity(word, candidate))
        if similarity < threshold:
            continue
        key = (-similarity, -frequency, candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def did_you_mean(text: str) -> str:
    """The query with each word the vocabulary does not know replaced by the most similar
    known word; "" when there is nothing to correct."""
    if not SearchWord.objects.exists():
        search_words_refresh(max_offers=50_000)
    terms = dutch.query_terms(text)
    corrected, changed = [], False
    for word, lexeme in terms:
        if (
            dutch.DIGIT_RE.search(word)
            or SearchWord.objects.filter(stem__startswith=lexeme).exists()
        ):
            corrected.append(word)
            continue
        replacement = _closest_word(word)
        if replacement and replacement != word:
            corrected.append(replacement)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


def search_words_refresh(*, max_offers: int | None = None) -> int:
    """Rebuild the vocabulary from the titles of active offers (word → number of offers).
    Run after imports (``leerwerk refresh_search_words``); with ``max_offers`` it does nothing
    on a larger catalogue (the lazy first fill on a small one). Returns the number of words."""
    active = OfferSearchRow.objects.all()  # one row per active offer
    if max_offers is not None and active.count() > max_offers:
        return 0
    counts: Counter[str] = Counter()
    for title, number in active.values_list("title").annotate(n=Count("pk")).order_by():
        for word in set(dutch.words(title)):
            if (
                3 <= len(word) <= 60
                and word not in dutch.STOP_WORDS
                and not dutch.DIGIT_RE.search(word)
            ):
                counts[word] += number
    rows = [
        SearchWord(word=word, stem=dutch.lexeme(word) or word, frequency=number)
        for word, number in counts.items()
    ]
    with transaction.atomic():
        SearchWord.objects.all().delete()
        # Two refreshes at once (the lazy first fill of two searches) write the same words:
        # the later one skips what the other committed instead of failing the search.
        SearchWord.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)
