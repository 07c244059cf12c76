"""Benchmark of catalogue search on the current database (``leerwerk bench_search``).

A mix of realistic queries (words from the vocabulary, two-word queries, with level, learning
path, cost, start period and postcode + distance filters, distance and start-date sorting, a
browse without words) is sent through Django's WSGI handler as a server runs it — adviser
page (signed in) and citizen page (not signed in), both with facet counts — using the CRM
benchmark's helpers. Two floors: the same SQL replayed raw (Django's own overhead) and the
bare full-text query (top 20 by the search's own rank, ``search_sql.rank_sql``, for the same
words, no filters, no facets, on the narrow search table the search reads), the ratio the
issue asks for.

The count cache (``search_sql``) is emptied first, so each distinct query is counted once
during the run (the adviser pass) and found in the cache after that; ``cache="off"`` counts
every time, ``cache="warm"`` counts the empty search and the 200 most frequent words first
(as ``leerwerk warm_search_counts`` does after an import).
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.http import urlencode

from leerwerk.accounts.models import User
from leerwerk.catalogue import dutch, search_sql
from leerwerk.catalogue.models_search import SearchCountCache, SearchWord
from leerwerk.catalogue.search import OfferQuery
from leerwerk.core.constants import DeskRole
from leerwerk.guidance.benchmark import Measurement, _measure, _p95, wsgi_caller
from leerwerk.network.models import Desk, Postcode, StaffMembership

BENCH_USER = "bench.zoeken@example.test"
# PC4 areas of large and small places (the distance filter's work depends on density).
POSTCODES = ["3011", "1012", "3511", "9711", "5611", "6511", "2511", "7511", "8011", "4331"]


@dataclass
class Floor:
    name: str
    median_ms: float
    p95_ms: float


def _bench_user() -> User:
    user = User.objects.filter(email=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_USER, password=None)  # type: ignore[call-arg]
    desk = Desk.objects.order_by("pk").first()
    if desk is not None and not StaffMembership.objects.filter(user=user).exists():
        StaffMembership.objects.create(
            user=user,
            desk=desk,
            role=DeskRole.ADVISER,
            fte=Decimal("0.8"),
            start_date=timezone.localdate(),
        )
    return user


def queries(*, count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)  # noqa: S311 (benchmark sampling)
    words = list(
        SearchWord.objects.filter(frequency__gte=20)
        .order_by("-frequency")
        .values_list("word", flat=True)[:400]
    )
    if not words:
        raise RuntimeError("No data: run generate_search_data first.")
    postcodes = [code for code in POSTCODES if Postcode.objects.filter(code=code).exists()] or list(
        Postcode.objects.filter(municipality__isnull=False).values_list("code", flat=True)[:10]
    )
    today = timezone.localdate()
    mix: list[dict[str, str]] = []
    for i in range(count):
        word = rng.choice(words)
        kind = i % 8
        if kind == 0:
            mix.append({"q": word})
        elif kind == 1:
            mix.append({"q": word, "niveau": rng.choice(["mbo_2", "mbo_3", "mbo_4"])})
        elif kind == 2:
            mix.append({"q": word, "postcode": rng.choice(postcodes), "afstand": "25"})
        elif kind == 3:
            mix.append(
                {
                    "q": word,
                    "sorteren": "start",
                    "start_vanaf": today.isoformat(),
                    "start_tot": (today + datetime.timedelta(days=90)).isoformat(),
                }
            )
        elif kind == 4:
            mix.append({"q": f"{word} {rng.choice(words)}"})
        elif kind == 5:
            mix.append({"q": word, "leerweg": "bbl", "max_kosten": "1000"})
        elif kind == 6:
            mix.append(
                {
                    "q": word,
                    "postcode": rng.choice(postcodes),
                    "afstand": "10",
                    "sorteren": "distance",
                }
            )
        else:
            mix.append({"postcode": rng.choice(postcodes), "afstand": "10", "niveau": "mbo_4"})
    return mix


BARE_FTS = (
    "SELECT offer_id FROM catalogue_offersearchrow WHERE search_vector @@ to_tsquery('simple', %s) "  # noqa: S608
    f"ORDER BY {search_sql.rank_sql(alias='')} DESC LIMIT 20"
)


def _bare_fts(texts: list[str], repeat: int) -> Floor:
    """The bare full-text query: top 20 active offers by rank for the same words."""
    statements = []
    for text in texts:
        lexemes = dutch.query_lexemes(text)
        if lexemes:
            statements.append(dutch.tsquery(lexemes))
    times = []
    with connection.cursor() as cursor:
        for i in range(repeat):
            query = statements[i % len(statements)]
            started = time.perf_counter()
            cursor.execute(BARE_FTS, [query, query])
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return Floor("kale full-text-zoekvraag (top 20)", statistics.median(times), _p95(times))


def run(
    *, repeat: int = 200, seed: int = 1, cache: str = "cold"
) -> tuple[list[Measurement], Floor]:
    if connection.vendor != "postgresql":
        raise RuntimeError("The search benchmark runs on PostgreSQL.")
    SearchCountCache.objects.all().delete()
    search_sql.USE_CACHE = cache != "off"
    try:
        if cache == "warm":
            frequent = SearchWord.objects.order_by("-frequency", "word").values_list(
                "word", flat=True
            )
            search_sql.warm_cache([OfferQuery(), *(OfferQuery(text=w) for w in frequent[:200])])
        get = wsgi_caller(_bench_user())
        visit = wsgi_caller(None)  # a citizen is not signed in
        mix = queries(count=max(repeat, 40), seed=seed)
        staff: list[Callable[[], object]] = [
            get(f"/medewerkers/opleidingen/zoeken/?{urlencode(q)}") for q in mix
        ]
        public: list[Callable[[], object]] = [visit(f"/opleidingen/?{urlencode(q)}") for q in mix]
        with_text: list[Callable[[], object]] = [
            visit(f"/opleidingen/?{urlencode(q)}") for q in mix if q.get("q")
        ]
        results = [
            _measure("adviseur: zoeken met filters en facetten (mix)", staff, repeat),
            _measure("burger: zoeken met filters en facetten (mix)", public, repeat),
            _measure("burger: alleen zoekvragen met woorden", with_text, repeat),
        ]
        floor = _bare_fts([q["q"] for q in mix if q.get("q")], repeat)
        return results, floor
    finally:
        search_sql.USE_CACHE = True
