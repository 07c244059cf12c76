"""search_offers on a small fixture catalogue whose answers are known. The same assertions run
on SQLite and on PostgreSQL (CI runs the suite on both), so both give the same result sets;
test_search_text.py compares the Dutch text handling with PostgreSQL's directly."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from leerwerk.catalogue import geo
from leerwerk.catalogue.constants import CurationStatus, Level, OfferKind, OpportunityKind
from leerwerk.catalogue.models import Occupation, OfferCuration, OpportunityOccupation
from leerwerk.catalogue.search import OfferQuery, Sort, search_offers, search_words_refresh
from leerwerk.catalogue.tests.factories_search import make_offer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    geo.load_coordinates()
    offers = {
        "nurse": make_offer(
            "Verpleegkundige",
            description="Je zorgt voor patiënten in het ziekenhuis.",
            level=Level.MBO_4,
            kind=OfferKind.DIPLOMA,
            is_bol=True,
            is_bbl=True,
            sector="care",
            municipality="GM0599",  # Rotterdam
            cost_amount=1200,
            duration_days=1095,
            starts=[day(30)],
        ),
        "nursing": make_offer(
            "Opleiding verpleegkunde",
            description="Bachelor in deeltijd.",
            level=Level.BACHELOR,
            kind=OfferKind.DIPLOMA,
            is_part_time=True,
            sector="care",
            municipality="GM0014",  # Groningen
            cost_amount=8000,
            duration_days=1460,
            starts=[day(200)],
        ),
        "helper": make_offer(
            "Helpende zorg en welzijn",
            level=Level.MBO_2,
            kind=OfferKind.DIPLOMA,
            is_bbl=True,
            sector="care",
            municipality="GM0606",  # Schiedam, next to Rotterdam
            cost_amount=500,
            duration_days=730,
            starts=[day(60)],
        ),
        "forklift": make_offer(
            "Cursus heftruckchauffeur",
            kind=OfferKind.COURSE,
            sector="transport",
            municipality="GM0599",
            cost_amount=450,
            duration_days=2,
            flexible_start=True,
        ),
        "excel": make_offer(
            "Online cursus Excel voor beginners",
            kind=OfferKind.COURSE,
            is_online=True,
            sector="ict",
            cost_amount=99,
            duration_days=28,
            starts=[day(10)],
        ),
        "welder": make_offer(
            "Lasser MIG/MAG",
            level=Level.MBO_2,
            kind=OfferKind.CERTIFICATE,
            sector="industry",
            municipality="GM0772",  # Eindhoven
            cost_amount=2500,
            starts=[day(400)],
        ),
        "logistics": make_offer(
            "Medewerker logistiek",
            level=Level.MBO_2,
            kind=OfferKind.DIPLOMA,
            is_bbl=True,
            sector="transport",
            latitude="52.09000",  # own coordinates: Utrecht
            longitude="5.12000",
        ),
        "childcare": make_offer(
            "Opleidingen voor de kinderopvang",
            description="Pedagogisch medewerker kinderopvang.",
            level=Level.MBO_3,
            kind=OfferKind.DIPLOMA,
            is_bol=True,
            sector="care",
            municipality="GM0363",  # Amsterdam
            starts=[day(-10)],
        ),
    }
    make_offer("Verpleegkundige (oud aanbod)", is_active=False, sector="care")
    search_words_refresh()
    return offers


def titles(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {hit.offer.title for hit in result.hits}


def run(**kwargs) -> set[str]:  # type: ignore[no-untyped-def]
    return titles(search_offers(OfferQuery(**kwargs)))


# -- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("opleiding", {"Opleiding verpleegkunde", "Opleidingen voor de kinderopvang"}),
        ("opleidingen", {"Opleiding verpleegkunde", "Opleidingen voor de kinderopvang"}),
        ("verpleegkundige", {"Verpleegkundige", "Opleiding verpleegkunde"}),
        ("verpleegkunde", {"Verpleegkundige", "Opleiding verpleegkunde"}),
        ("Verpleeg", {"Verpleegkundige", "Opleiding verpleegkunde"}),  # a half-typed word
        ("medewerkers", {"Medewerker logistiek"}),
        ("opleidingen kinderopvang", {"Opleidingen voor de kinderopvang"}),  # all words count
        # the description is not searched (it would make the search rows as wide as the
        # offers): "Pedagogisch medewerker kinderopvang", "zorgt voor patiënten"
        ("medewerker kinderopvang", set()),
        ("ziekenhuis patiënt", set()),
        (
            "ROC Testcollege cursus",
            {"Cursus heftruckchauffeur", "Online cursus Excel voor beginners"},
        ),
        ("de het een", None),  # only stop words: everything
    ],
)
def test_dutch_stemming_and_prefixes_find_the_same_offers(catalogue, text, expected):
    found = run(text=text)
    if expected is None:
        assert len(found) == 8
    else:
        assert found == expected


def test_inactive_offers_are_never_found(catalogue):
    assert "Verpleegkundige (oud aanbod)" not in run(text="verpleegkundige")
    assert search_offers(OfferQuery()).total == 8


def test_a_path_is_one_word_on_either_database(catalogue):
    # PostgreSQL's parser keeps "MIG/MAG" whole; the Python fallback does the same
    assert run(text="mig") == {"Lasser MIG/MAG"}
    assert run(text="mag") == set()
    assert run(text="lasser") == {"Lasser MIG/MAG"}


@pytest.mark.parametrize(
    ("typo", "corrected", "expected"),
    [
        ("verplegkundige", "verpleegkundige", {"Verpleegkundige", "Opleiding verpleegkunde"}),
        ("kinderopvnag", "kinderopvang", {"Opleidingen voor de kinderopvang"}),
        ("heftruckchaufeur", "heftruckchauffeur", {"Cursus heftruckchauffeur"}),
    ],
)
def test_a_typo_is_corrected_and_searched(catalogue, typo, corrected, expected):
    result = search_offers(OfferQuery(text=typo))
    assert result.corrected_from == typo
    assert result.query.text == corrected
    assert titles(result) == expected


def test_a_correction_that_finds_nothing_is_offered_not_searched(catalogue):
    # "verplegkundige" is corrected, but no nurse training is online
    result = search_offers(OfferQuery(text="verplegkundige", online_only=True))
    assert result.total == 0
    assert result.did_you_mean == "verpleegkundige"
    assert result.corrected_from == ""
    # without "online only" the corrected text finds the two nurse trainings
    assert [(s.key, s.count) for s in result.filter_suggestions] == [("online_only", 2)]


def test_no_correction_when_typo_tolerance_is_off(catalogue):
    result = search_offers(OfferQuery(text="verplegkundige", correct_typos=False))
    assert result.total == 0
    assert result.corrected_from == ""


def test_a_nonsense_word_gives_no_results_and_no_correction(catalogue):
    result = search_offers(OfferQuery(text="xqzwvj"))
    assert result.total == 0
    assert result.did_you_mean == ""
    assert result.hits == []


# -- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"levels": (Level.MBO_2,)},
            {"Helpende zorg en welzijn", "Lasser MIG/MAG", "Medewerker logistiek"},
        ),
        ({"levels": (Level.MBO_4, Level.BACHELOR)}, {"Verpleegkundige", "Opleiding verpleegkunde"}),
        ({"kinds": (OfferKind.CERTIFICATE,)}, {"Lasser MIG/MAG"}),
        (
            {"paths": ("bbl",)},
            {"Verpleegkundige", "Helpende zorg en welzijn", "Medewerker logistiek"},
        ),
        (
            {"paths": ("part_time", "online")},
            {"Opleiding verpleegkunde", "Online cursus Excel voor beginners"},
        ),
        ({"sectors": ("transport",)}, {"Cursus heftruckchauffeur", "Medewerker logistiek"}),
        (
            {"max_cost": Decimal("450")},
            {"Cursus heftruckchauffeur", "Online cursus Excel voor beginners"},
        ),
        (
            {"max_duration_days": 30},
            {"Cursus heftruckchauffeur", "Online cursus Excel voor beginners"},
        ),
        ({"online_only": True}, {"Online cursus Excel voor beginners"}),
        # a start date in the period, or a flexible start
        (
            {"start_from": day(0), "start_until": day(45)},
            {"Verpleegkundige", "Online cursus Excel voor beginners", "Cursus heftruckchauffeur"},
        ),
        ({"start_from": day(300)}, {"Lasser MIG/MAG", "Cursus heftruckchauffeur"}),
        ({"levels": (Level.MBO_2,), "sectors": ("care",)}, {"Helpende zorg en welzijn"}),
        ({"text": "verpleegkundige", "levels": (Level.BACHELOR,)}, {"Opleiding verpleegkunde"}),
    ],
)
def test_each_filter(catalogue, filters, expected):
    assert run(**filters) == expected


def test_distance_from_a_postcode(catalogue):
    origin = geo.origin_for_postcode("3011 AB")  # Rotterdam centre
    assert origin is not None and "Rotterdam" in origin.label
    near = run(origin=origin, max_distance_km=10)
    assert near == {"Verpleegkundige", "Cursus heftruckchauffeur", "Helpende zorg en welzijn"}
    wider = run(origin=origin, max_distance_km=53)  # Utrecht's own coordinates (≈ 48 km)
    assert wider == near | {"Medewerker logistiek"}


def test_distance_from_a_municipality_and_the_distance_shown(catalogue):
    origin = geo.origin_for_municipality("groningen")
    assert origin is not None
    result = search_offers(OfferQuery(origin=origin, max_distance_km=5))
    assert titles(result) == {"Opleiding verpleegkunde"}
    assert result.hits[0].distance_km == pytest.approx(0, abs=0.01)


def test_unknown_places_have_no_origin(catalogue):
    assert geo.origin_for_postcode("0010") is None  # DUO code "woonachtig in België"
    assert geo.origin_for_postcode("12") is None
    assert geo.origin_for_municipality("Atlantis") is None


def test_regional_curation_hides_and_features(catalogue, desk_a):
    OfferCuration.objects.create(
        desk=desk_a, offer=catalogue["nurse"], status=CurationStatus.HIDDEN
    )
    OfferCuration.objects.create(
        desk=desk_a, offer=catalogue["welder"], status=CurationStatus.FEATURED
    )
    regional = search_offers(OfferQuery(desk_id=desk_a.pk, hide_hidden=True))
    assert "Verpleegkundige" not in titles(regional)
    assert regional.total == 7
    assert regional.hits[0].offer.title == "Lasser MIG/MAG"
    assert regional.hits[0].featured is True
    # the adviser's search of that desk keeps hidden offers, featured still first
    adviser = search_offers(OfferQuery(desk_id=desk_a.pk))
    assert adviser.total == 8
    assert adviser.hits[0].offer.title == "Lasser MIG/MAG"
    # another desk's curation changes nothing
    assert search_offers(OfferQuery()).hits[0].featured is False


# -- sorting and pages -----------------------------------------------------------------------


def test_sort_by_distance(catalogue):
    origin = geo.origin_for_postcode("3011")
    result = search_offers(OfferQuery(origin=origin, sort=Sort.DISTANCE))
    order = [hit.offer.title for hit in result.hits]
    # Rotterdam (two, by title), Schiedam, Utrecht, Amsterdam, Eindhoven, Groningen; online last
    assert order == [
        "Cursus heftruckchauffeur",
        "Verpleegkundige",
        "Helpende zorg en welzijn",
        "Medewerker logistiek",
        "Opleidingen voor de kinderopvang",
        "Lasser MIG/MAG",
        "Opleiding verpleegkunde",
        "Online cursus Excel voor beginners",
    ]
    distances = [hit.distance_km for hit in result.hits[:-1]]
    assert distances == sorted(distances)
    assert result.hits[-1].distance_km is None


def test_sort_by_start_date(catalogue):
    result = search_offers(OfferQuery(sort=Sort.START))
    order = [hit.offer.title for hit in result.hits]
    assert order[:4] == [
        "Online cursus Excel voor beginners",
        "Verpleegkundige",
        "Helpende zorg en welzijn",
        "Opleiding verpleegkunde",
    ]
    assert order[4] == "Lasser MIG/MAG"


def test_relevance_puts_title_matches_first(catalogue):
    result = search_offers(OfferQuery(text="kinderopvang opleiding"))
    assert [hit.offer.title for hit in result.hits] == ["Opleidingen voor de kinderopvang"]
    # "zorg" is in one title and in another offer's provider name (a keyword)
    make_offer("Cursus EHBO", provider_name="Zorgcollege Rijnmond")
    result = search_offers(OfferQuery(text="zorg"))
    assert [hit.offer.title for hit in result.hits] == [
        "Helpende zorg en welzijn",
        "Cursus EHBO",
    ]


def test_pages_of_twenty(db):
    for number in range(25):
        make_offer(f"Cursus koken {number:02d}")
    first = search_offers(OfferQuery(text="koken"))
    second = search_offers(OfferQuery(text="koken", page=2))
    beyond = search_offers(OfferQuery(text="koken", page=99))
    assert (first.total, first.num_pages, len(first.hits)) == (25, 2, 20)
    assert (second.page, len(second.hits), second.first_index, second.last_index) == (2, 5, 21, 25)
    assert beyond.page == 2
    assert titles(first).isdisjoint(titles(second))
    assert first.has_next and not second.has_next and second.has_previous


# -- facets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        OfferQuery(),
        OfferQuery(text="opleiding"),
        OfferQuery(levels=(Level.MBO_2,)),
        OfferQuery(sectors=("care",), paths=("bbl",)),
        OfferQuery(max_cost=Decimal("1000"), kinds=(OfferKind.DIPLOMA,)),
    ],
)
def test_facet_counts_equal_independent_counts(catalogue, query):
    result = search_offers(query)
    for facet in result.facets:
        for option in facet.options:
            # what choosing only this option (keeping the other facets) would find
            alone = dataclasses.replace(query, **{facet.key: (option.value,)}, page=1, per_page=100)
            assert option.count == len(run(**dataclasses.asdict(alone))), (facet.key, option.value)
            assert option.selected == (option.value in getattr(query, facet.key))
    assert result.total == len(run(**{**dataclasses.asdict(query), "per_page": 100}))


def test_search_queries_are_bounded(catalogue, django_assert_max_num_queries):
    from django.db import connection

    origin = geo.origin_for_postcode("3011")
    # the cached counts, the count (and storing it), the page, the offers and their locations;
    # SQLite reads the text in a query of its own; PostgreSQL estimates the text's matches
    # first (whether to count them) and sets the planner for the search's transaction (one
    # query; in a test that transaction is a savepoint inside the test's: two more, and two to
    # keep and put back the planner settings of the test's transaction)
    with django_assert_max_num_queries(11 if connection.vendor == "postgresql" else 7):
        result = search_offers(
            OfferQuery(
                text="opleiding",
                origin=origin,
                max_distance_km=250,
                levels=(Level.MBO_3, Level.BACHELOR),
                sort=Sort.DISTANCE,
            )
        )
    assert result.total == 2


# -- no results ------------------------------------------------------------------------------


def test_no_results_suggest_dropping_filters(catalogue):
    result = search_offers(
        OfferQuery(text="verpleegkundige", levels=(Level.MBO_2,), max_cost=Decimal("100"))
    )
    assert result.total == 0
    suggestions = {s.key: s.count for s in result.filter_suggestions}
    assert suggestions == {}  # dropping either one alone still finds nothing
    result = search_offers(OfferQuery(text="verpleegkundige", levels=(Level.MBO_2,)))
    assert {s.key: s.count for s in result.filter_suggestions} == {"levels": 2}


def test_no_results_show_related_opportunity_occupations_of_the_desk(catalogue, desk_a, desk_b):
    occupation = Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/test-zorg", label="verzorgende IG"
    )
    OpportunityOccupation.objects.create(
        desk=desk_a, occupation=occupation, kind=OpportunityKind.SHORTAGE, sector="care"
    )
    result = search_offers(OfferQuery(text="verzorgende", desk_id=desk_a.pk))
    assert result.total == 0
    assert [o.occupation.label for o in result.related_occupations] == ["verzorgende IG"]
    other = search_offers(OfferQuery(text="verzorgende", desk_id=desk_b.pk))
    assert other.related_occupations == []


def test_a_very_large_result_is_estimated_but_finds_the_same_offers(catalogue, monkeypatch):
    from django.db import connection

    from leerwerk.catalogue import search_sql

    monkeypatch.setattr(search_sql, "LARGE_RESULT", 0)  # every result counts as very large
    result = search_offers(OfferQuery(text="verpleeg"))
    assert titles(result) == {"Verpleegkundige", "Opleiding verpleegkunde"}
    if connection.vendor == "postgresql":
        # PostgreSQL's estimate instead of a count, facet options without counts
        assert result.total_is_estimate is True
        assert all(option.count is None for facet in result.facets for option in facet.options)
    else:
        # SQLite reads every match anyway: exact as always
        assert (result.total_is_estimate, result.total) == (False, 2)


# -- very large results ----------------------------------------------------------------------


def test_a_word_with_very_many_matches_is_estimated_and_ranked_from_a_sample(
    db, desk_a, monkeypatch
):  # type: ignore[no-untyped-def]
    from django.db import connection

    from leerwerk.catalogue import search_sql

    # 30 matches for "lasser" count as very many now; PostgreSQL's estimate of the text decides
    # (above 10: not counted) and relevance ranks a sample of the text index (about 3 entries,
    # 5 candidates: or all of them when the sample falls short)
    monkeypatch.setattr(search_sql, "LARGE_RESULT", 8)
    monkeypatch.setattr(search_sql, "SKIP_BASE", 10)
    monkeypatch.setattr(search_sql, "SAMPLE_LIMIT", 3)
    monkeypatch.setattr("leerwerk.catalogue.search.RANK_CANDIDATES", 5)
    offers = [
        make_offer(f"Lasser {i:02d}", level=Level.MBO_2 if i < 4 else Level.MBO_3)
        for i in range(30)
    ]
    featured = offers[17]
    OfferCuration.objects.create(desk=desk_a, offer=featured, status=CurationStatus.FEATURED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_offersearchrow")  # the estimate reads the statistics
    matches = {offer.pk for offer in offers}

    result = search_offers(OfferQuery(text="lasser", desk_id=desk_a.pk))
    found = [hit.offer.pk for hit in result.hits]
    assert found and set(found) <= matches and len(found) == len(set(found))
    assert found[0] == featured.pk  # the desk's featured match is always a candidate, first
    if connection.vendor == "postgresql":
        assert result.total_is_estimate
        assert all(option.count is None for facet in result.facets for option in facet.options)
    else:  # SQLite reads the text in Python: always counted
        assert (result.total, result.total_is_estimate) == (30, False)

    # a facet choice with few matches is counted exactly (the other facets are too)
    narrowed = search_offers(OfferQuery(text="lasser", levels=(Level.MBO_2,), desk_id=desk_a.pk))
    assert (narrowed.total, narrowed.total_is_estimate) == (4, False)
    assert {hit.offer.pk for hit in narrowed.hits} == {offer.pk for offer in offers[:4]}
    kinds = {facet.key: facet for facet in narrowed.facets}["kinds"]
    assert {o.value: o.count for o in kinds.options}[OfferKind.COURSE] == 4


def test_an_estimate_below_what_was_read_says_more_than(db, client, monkeypatch):  # type: ignore[no-untyped-def]
    from django.db import connection

    from leerwerk.catalogue import search_sql

    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    # 12 matches count as very many now, and PostgreSQL's estimate of them is too low (as when
    # words and filters go together more than it assumes): the count read 9 of them, so the
    # page says "more than 8", not "about 8"
    monkeypatch.setattr(search_sql, "LARGE_RESULT", 8)
    monkeypatch.setattr(search_sql, "estimate", lambda where: 5)
    for i in range(12):
        make_offer(f"Lasser {i:02d}")
    result = search_offers(OfferQuery(text="lasser"))
    assert (result.total, result.total_is_estimate, result.total_is_lower_bound) == (8, True, True)
    assert result.hits and {hit.offer.title[:6] for hit in result.hits} == {"Lasser"}
    body = client.get("/opleidingen/", {"q": "lasser"}).content.decode()
    assert "Meer dan 8 opleidingen gevonden" in body  # the count cache knows it too now
    assert "Ongeveer" not in body
    # an estimate above what was read stays "about"
    monkeypatch.setattr(search_sql, "estimate", lambda where: 40)
    result = search_offers(OfferQuery(text="lasser"))
    assert (result.total, result.total_is_estimate, result.total_is_lower_bound) == (
        40,
        True,
        False,
    )
    assert (
        "Ongeveer 40 opleidingen" in client.get("/opleidingen/", {"q": "lasser"}).content.decode()
    )


def _planner_settings() -> tuple[str, str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), "
            "current_setting('max_parallel_workers_per_gather'), "
            "current_setting('gin_fuzzy_search_limit')"
        )
        return tuple(cursor.fetchone())  # type: ignore[return-value]


def test_the_planner_settings_of_a_search_end_with_it(catalogue, monkeypatch):
    """Inside a larger transaction (as in this test) the settings are put back."""
    from django.db import connection

    from leerwerk.catalogue import search_sql

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    before = _planner_settings()
    # a very large result, so the sampled text index is used too
    monkeypatch.setattr(search_sql, "LARGE_RESULT", 1)
    monkeypatch.setattr(search_sql, "SKIP_BASE", 0)
    result = search_offers(OfferQuery(text="opleiding"))
    assert result.hits and result.total_is_estimate
    assert _planner_settings() == before == ("on", before[1], "0")


@pytest.mark.django_db(transaction=True)
def test_the_planner_settings_of_a_search_end_with_its_transaction():
    """In autocommit (a request) the search's own transaction ends them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    make_offer("Opleiding lassen")
    before = _planner_settings()
    assert search_offers(OfferQuery(text="lassen")).total == 1
    assert _planner_settings() == before
