"""Catalogue search: one selector, ``search_offers(query) -> SearchResult``, used by the
adviser and citizen pages and the API.

- Text: Dutch stemming and prefix matching (``dutch.py``). PostgreSQL matches the stored
  ``search_vector`` (GIN index, migration 0003) and ranks with ``ts_rank_cd``; SQLite prefilters
  with LIKE and checks the stems in Python, so both find the same offers.
- Typos: when nothing is found, unknown words are replaced by the most similar word of the
  vocabulary (``SearchWord``, trigram similarity: pg_trgm with its GIN index on PostgreSQL, the
  same formula in Python on SQLite) and the search runs again ("we zochten op …").
- Filters: level, kind, learning path and sector (facets: several values of one facet are
  "or", facets together "and"); distance from a postcode or municipality (``geo.py``); maximum
  cost; a start in a period (a start date in it, or a flexible start); maximum duration; online
  only; the desk's curation (hidden offers left out of regional pages, featured offers first).
- Facet counts in one aggregate query; each facet's counts ignore its own selection.
- Sorting by relevance, distance or start date; 20 per page.
- No result: suggestions to drop a filter, did-you-mean, the desk's related opportunity
  occupations.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import struct
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from leerwerk.catalogue import dutch, geo
from leerwerk.catalogue.constants import CurationStatus, LearningPath, Level, OfferKind
from leerwerk.catalogue.models import (
    Offer,
    OfferCuration,
    OfferLocation,
    OfferStart,
    OpportunityOccupation,
)
from leerwerk.catalogue.models_search import MunicipalityCentre, SearchWord
from leerwerk.clients.constants import Sector

PER_PAGE = 20
# Above this many matches (PostgreSQL's estimate) the total and the facet counts are not
# counted exactly and relevance ranks the first RANK_CANDIDATES matches (docs/catalogue.md).
LARGE_RESULT = 5_000
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


PATH_COLUMNS = {
    LearningPath.BOL: "is_bol",
    LearningPath.BBL: "is_bbl",
    LearningPath.PART_TIME: "is_part_time",
    LearningPath.ONLINE: "is_online",
    LearningPath.IN_COMPANY: "is_in_company",
}


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


@dataclass
class OfferHit:
    offer: Offer
    distance_km: float | None = None
    featured: bool = False


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


def _option_q(key: str, value: str) -> Q:
    if key == "levels":
        return Q(level=value)
    if key == "kinds":
        return Q(kind=value)
    if key == "paths":
        return Q(**{PATH_COLUMNS[LearningPath(value)]: True})
    return Q(sector=value)


def _facet_q(key: str, values: Sequence[str]) -> Q:
    """Any of the chosen values of one facet (empty: no condition)."""
    q = Q()
    for value in values:
        q |= _option_q(key, value)
    return q


# -- text ------------------------------------------------------------------------------------


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _text_filter_pg(queryset: QuerySet[Offer], lexemes: list[str]) -> QuerySet[Offer]:
    return queryset.filter(
        RawSQL(
            "catalogue_offer.search_vector @@ to_tsquery('simple', %s)",
            (dutch.tsquery(lexemes),),
            output_field=BooleanField(),
        )
    )


def _text_matches_python(queryset: QuerySet[Offer], lexemes: list[str]) -> dict[int, float]:
    """SQLite: offers whose text has every lexeme (as a prefix of a stem), with a rank. LIKE
    narrows the rows down first; the stems decide."""
    for term in lexemes:
        prefixes = dutch.alternatives(term)
        queryset = queryset.filter(
            RawSQL(  # noqa: S611 (only placeholders are joined; the patterns are parameters)
                "(" + " OR ".join(["catalogue_offer.search_text LIKE %s"] * len(prefixes)) + ")",
                tuple(dutch.like_pattern(prefix) for prefix in prefixes),
                output_field=BooleanField(),
            )
        )
    ranks: dict[int, float] = {}
    for pk, title, text in queryset.values_list("pk", "title", "search_text").iterator(2000):
        document = dutch.lexemes(f"{title}\n{text}")
        if dutch.matches(document, lexemes):
            in_title = dutch.lexemes(title)
            ranks[pk] = sum(
                1.0 + (1.0 if dutch.matches(in_title, [term]) else 0.0) for term in lexemes
            )
    return ranks


# -- the search ------------------------------------------------------------------------------


def search_offers(query: OfferQuery) -> SearchResult:
    """Search active offers. See the module documentation."""
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


def _base(query: OfferQuery, lexemes: list[str]) -> tuple[QuerySet[Offer], dict[int, float]]:
    """Active offers matching the text and every filter except the facets; the SQLite ranks."""
    queryset: QuerySet[Offer] = Offer.objects.filter(is_active=True)
    if query.max_cost is not None:
        queryset = queryset.filter(cost_amount__lte=query.max_cost)
    if query.max_duration_days is not None:
        queryset = queryset.filter(duration_days__lte=query.max_duration_days)
    if query.online_only:
        queryset = queryset.filter(is_online=True)
    if query.start_from or query.start_until:
        starts = OfferStart.objects.filter(offer=OuterRef("pk"))
        if query.start_from:
            starts = starts.filter(starts_on__gte=query.start_from)
        if query.start_until:
            starts = starts.filter(starts_on__lte=query.start_until)
        queryset = queryset.filter(Q(flexible_start=True) | Exists(starts))
    if query.origin is not None and query.max_distance_km is not None:
        queryset = queryset.filter(Exists(_locations_within(query.origin, query.max_distance_km)))
    if query.desk_id is not None and query.hide_hidden:
        queryset = queryset.exclude(
            Exists(
                OfferCuration.objects.filter(
                    desk_id=query.desk_id, offer=OuterRef("pk"), status=CurationStatus.HIDDEN
                )
            )
        )
    ranks: dict[int, float] = {}
    if lexemes:
        if _is_postgresql():
            queryset = _text_filter_pg(queryset, lexemes)
        else:
            ranks = _text_matches_python(queryset, lexemes)
            queryset = queryset.filter(pk__in=list(ranks))
    return queryset, ranks


def _locations_within(origin: geo.Origin, km: float) -> QuerySet[OfferLocation]:
    """The offer's locations within ``km``: a bounding box on the indexed own coordinates or
    on the municipality centres (a few hundred rows), then the exact great-circle distance."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(origin.point, km)
    municipality_ids = list(
        MunicipalityCentre.objects.filter(
            latitude__gte=_dec(min_lat),
            latitude__lte=_dec(max_lat),
            longitude__gte=_dec(min_lon),
            longitude__lte=_dec(max_lon),
        ).values_list("municipality_id", flat=True)
    )
    return (
        OfferLocation.objects.filter(offer=OuterRef("pk"))
        .filter(
            Q(
                latitude__isnull=False,
                latitude__gte=_dec(min_lat),
                latitude__lte=_dec(max_lat),
                longitude__gte=_dec(min_lon),
                longitude__lte=_dec(max_lon),
            )
            | Q(latitude__isnull=True, municipality_id__in=municipality_ids)
        )
        .annotate(
            distance=geo.distance_expression(
                origin.point, geo.location_latitude(), geo.location_longitude()
            )
        )
        .filter(distance__lte=km)
    )


def _dec(value: float) -> Decimal:
    return Decimal(f"{value:.5f}")


def _search(query: OfferQuery, lexemes: list[str]) -> SearchResult:
    base, ranks = _base(query, lexemes)
    selected = {key: getattr(query, key) for key in FACET_LABELS}
    facet_qs = {key: _facet_q(key, values) for key, values in selected.items()}
    all_facets = Q()
    for q in facet_qs.values():
        all_facets &= q

    # One aggregate query: the total and every facet option's count (each facet ignoring its
    # own selection, so a person sees what choosing another value would give).
    aggregates: dict[str, Any] = {
        "total": Count("pk", filter=all_facets) if all_facets else Count("pk")
    }
    choices = _facet_choices()
    for key, options in choices.items():
        others = Q()
        for other, q in facet_qs.items():
            if other != key:
                others &= q
        for value, _label in options:
            aggregates[f"{key}__{value}"] = Count("pk", filter=_option_q(key, value) & others)
    matching = base.filter(all_facets) if all_facets else base
    estimate = _estimate(matching) if _is_postgresql() else 0
    large = estimate > LARGE_RESULT
    if large:
        # Very many matches (common words, a browse near a big city on a national catalogue):
        # counting them exactly means reading every matching row. Show PostgreSQL's estimate
        # instead, facet options without counts, and order only the first RANK_CANDIDATES
        # matches when sorting by relevance.
        total = estimate
        counts: dict[str, Any] = {}
    else:
        counts = base.aggregate(**aggregates)
        total = counts["total"]
    facets = [
        Facet(
            key,
            str(FACET_LABELS[key]),
            [
                FacetOption(value, label, counts.get(f"{key}__{value}"), value in selected[key])
                for value, label in options
            ],
        )
        for key, options in choices.items()
    ]

    num_pages = max(1, math.ceil(total / query.per_page))
    page = max(1, min(query.page, num_pages, MAX_PAGE))
    hits = _page(query, matching, lexemes, ranks, page, large=large)
    if large and not hits and page == 1:
        # The estimate was wrong: nothing matches. Say so plainly (and let the caller try a
        # correction).
        total, num_pages, large = 0, 1, False
        for facet in facets:
            for option in facet.options:
                option.count = 0
    return SearchResult(
        query=query,
        hits=hits,
        total=total,
        page=page,
        num_pages=num_pages,
        facets=facets,
        total_is_estimate=large,
    )


def _estimate(queryset: QuerySet[Offer]) -> int:
    """PostgreSQL's estimate of the number of rows (no rows are read)."""
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _featured(desk_id: int | None) -> Any:
    if desk_id is None:
        return Value(False, output_field=BooleanField())
    return Exists(
        OfferCuration.objects.filter(
            desk_id=desk_id, offer=OuterRef("pk"), status=CurationStatus.FEATURED
        )
    )


def _page(
    query: OfferQuery,
    queryset: QuerySet[Offer],
    lexemes: list[str],
    ranks: dict[int, float],
    page: int,
    *,
    large: bool = False,
) -> list[OfferHit]:
    start = (page - 1) * query.per_page
    end = start + query.per_page
    queryset = queryset.annotate(featured=_featured(query.desk_id))
    if query.sort == Sort.DISTANCE and query.origin is not None:
        nearest = (
            OfferLocation.objects.filter(offer=OuterRef("pk"))
            .annotate(
                distance=geo.distance_expression(
                    query.origin.point, geo.location_latitude(), geo.location_longitude()
                )
            )
            .order_by("distance")
            .values("distance")[:1]
        )
        queryset = queryset.annotate(nearest=Subquery(nearest, output_field=FloatField())).order_by(
            F("nearest").asc(nulls_last=True), "title", "pk"
        )
        ids = list(queryset.values_list("pk", flat=True)[start:end])
    elif query.sort == Sort.START:
        queryset = queryset.order_by(F("next_start_on").asc(nulls_last=True), "title", "pk")
        ids = list(queryset.values_list("pk", flat=True)[start:end])
    elif lexemes and _is_postgresql():
        if large:
            # Two plain steps (an IN (subquery with LIMIT) makes PostgreSQL plan badly).
            candidates = list(queryset.order_by().values_list("pk", flat=True)[:RANK_CANDIDATES])
            queryset = Offer.objects.filter(pk__in=candidates).annotate(
                featured=_featured(query.desk_id)
            )
        rank = RawSQL(
            "ts_rank_cd(catalogue_offer.search_vector, to_tsquery('simple', %s))",
            (dutch.tsquery(lexemes),),
            output_field=FloatField(),
        )
        queryset = queryset.annotate(rank=rank).order_by("-featured", "-rank", "title", "pk")
        ids = list(queryset.values_list("pk", flat=True)[start:end])
    elif lexemes:
        rows = list(queryset.values_list("pk", "title", "featured"))
        rows.sort(key=lambda row: (not row[2], -ranks.get(row[0], 0.0), row[1], row[0]))
        ids = [row[0] for row in rows[start:end]]
    else:
        if large:
            candidates = list(queryset.order_by().values_list("pk", flat=True)[:RANK_CANDIDATES])
            queryset = Offer.objects.filter(pk__in=candidates).annotate(
                featured=_featured(query.desk_id)
            )
        queryset = queryset.order_by("-featured", "title", "pk")
        ids = list(queryset.values_list("pk", flat=True)[start:end])
    return _hits(query, ids)


def _hits(query: OfferQuery, ids: list[int]) -> list[OfferHit]:
    """The offers of one page, in order, with what the result list shows."""
    if not ids:
        return []
    offers = (
        Offer.objects.filter(pk__in=ids)
        .annotate(featured=_featured(query.desk_id))
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "locations",
                queryset=OfferLocation.objects.select_related(
                    "municipality", "municipality__catalogue_centre"
                ).order_by("pk"),
            )
        )
    )
    by_id = {offer.pk: offer for offer in offers}
    hits = []
    for pk in ids:
        offer = by_id[pk]
        hits.append(
            OfferHit(
                offer=offer,
                distance_km=_nearest_km(query.origin, offer),
                featured=bool(getattr(offer, "featured", False)),
            )
        )
    return hits


def location_point(location: OfferLocation) -> geo.Point | None:
    if location.latitude is not None and location.longitude is not None:
        return geo.Point(float(location.latitude), float(location.longitude))
    centre = (
        getattr(location.municipality, "catalogue_centre", None)
        if location.municipality_id
        else None
    )
    if centre is not None:
        return geo.Point(float(centre.latitude), float(centre.longitude))
    return None


def _nearest_km(origin: geo.Origin | None, offer: Offer) -> float | None:
    if origin is None:
        return None
    distances = [
        geo.haversine_km(origin.point, point)
        for location in offer.locations.all()
        if (point := location_point(location)) is not None
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
        base, _ranks = _base(relaxed, lexemes)
        all_facets = Q()
        for facet in FACET_LABELS:
            all_facets &= _facet_q(facet, getattr(relaxed, facet))
        count = (base.filter(all_facets) if all_facets else base).count()
        if count:
            suggestions.append(FilterSuggestion(key, str(FILTER_LABELS[key]), count))
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
    if _is_postgresql():
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
    active = Offer.objects.filter(is_active=True)
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
        SearchWord.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
