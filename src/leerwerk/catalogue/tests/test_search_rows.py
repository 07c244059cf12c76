"""The narrow search table stays exactly in step with the offers (database triggers, on SQLite
and PostgreSQL), cached counts are never stale, and a search over the table finds and counts
what a straightforward query on the wide offer table finds (property-style: a random catalogue
and random queries, on both databases, also with the "very large result" limits set low)."""

from __future__ import annotations

import dataclasses
import datetime
import math
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from leerwerk.catalogue import dutch, geo, search_rows, search_sql, services
from leerwerk.catalogue.constants import CurationStatus, LearningPath, Level, OfferKind
from leerwerk.catalogue.models import (
    Occupation,
    Offer,
    OfferCuration,
    OfferLocation,
    OfferSearchPoint,
    OfferSearchRow,
    OfferStart,
    SearchCountCache,
    SearchGeneration,
)
from leerwerk.catalogue.search import OfferQuery, Sort, search_offers
from leerwerk.catalogue.tests import factories
from leerwerk.catalogue.tests.factories_search import make_offer
from leerwerk.clients.constants import Sector
from leerwerk.network.models import Municipality

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
POSTGRES = pytest.mark.skipif("connection.vendor != 'postgresql'")


def row(offer: Offer) -> OfferSearchRow | None:
    return OfferSearchRow.objects.filter(offer=offer).first()


def points(offer: Offer) -> list[tuple[float, float]]:
    return sorted(OfferSearchPoint.objects.filter(offer=offer).values_list("latitude", "longitude"))


def cells(offer: Offer) -> list[int]:
    """PostgreSQL: the grid cells the search row holds for its points."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cells FROM catalogue_offersearchrow WHERE offer_id = %s", [offer.pk])
        return list(cursor.fetchone()[0])


def cell_of(latitude: float, longitude: float) -> int:
    """The cell numbering of ``catalogue_search_cell`` (and ``search_sql.cells_around``)."""
    return math.floor(latitude * 10) * 1000 + math.floor(longitude * 10)


def generation() -> int:
    return SearchGeneration.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


def is_pg() -> bool:
    return connection.vendor == "postgresql"


# -- in step with the offers -----------------------------------------------------------------


@pytest.fixture
def feed():  # type: ignore[no-untyped-def]
    geo.load_coordinates()
    factories.qualification("25498", "Helpende Zorg en Welzijn", 2)
    factories.qualification("25655", "Mbo-Verpleegkundige", 4)
    return factories.national_feed()


def test_an_import_writes_new_changed_and_deactivated_offers(feed):  # type: ignore[no-untyped-def]
    factories.import_file(feed, "offers_valid.csv")
    helpende = Offer.objects.get(source_id="ZW-001")
    found = row(helpende)
    assert found is not None
    assert (found.title, found.level, found.kind, found.sector) == (
        "Helpende zorg en welzijn",
        Level.MBO_2,
        OfferKind.DIPLOMA,
        "care",
    )
    assert (found.is_bbl, found.is_bol, found.is_online) == (True, True, False)
    assert (found.cost_cents, found.duration_days) == (125_000, 730)
    # keywords: provider and mbo qualification, never the description
    assert found.keywords == "ROC Voorbeeld\nHelpende Zorg en Welzijn"
    assert OfferSearchRow.objects.count() == Offer.objects.filter(is_active=True).count() == 4
    if is_pg():  # the location's point (the Rotterdam centre, from the postcode)
        assert len(points(helpende)) == 1
    before = generation()

    factories.import_file(feed, "offers_second_delivery.csv")  # full delivery

    assert generation() > before
    assert row(helpende).title == "Helpende zorg en welzijn (vernieuwd)"  # type: ignore[union-attr]
    gone = Offer.objects.get(source_id="ZW-002")
    assert not gone.is_active and row(gone) is None  # deactivated: no row
    new = Offer.objects.get(source_id="NEW-1")
    assert row(new) is not None
    assert set(OfferSearchRow.objects.values_list("offer_id", flat=True)) == set(
        Offer.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    assert {h.offer.source_id for h in search_offers(OfferQuery(text="vernieuwd")).hits} == {
        "ZW-001"
    }
    assert search_offers(OfferQuery(text="verpleegkundige")).total == 0
    groningen = geo.origin_for_postcode("9711")
    near = search_offers(OfferQuery(origin=groningen, max_distance_km=5))
    assert [h.offer.source_id for h in near.hits] == ["NEW-1"]


def test_reimporting_the_same_file_changes_no_row(feed):  # type: ignore[no-untyped-def]
    factories.import_file(feed, "offers_valid.csv")
    before = generation()
    factories.import_file(feed, "offers_valid.csv")
    assert generation() == before  # nothing written, nothing counted again


def test_providers_qualifications_occupations_locations_and_starts_reach_the_row(db):  # type: ignore[no-untyped-def]
    geo.load_coordinates()
    offer = make_offer("Cursus koken", provider_name="Kookschool", municipality="GM0599", starts=[])
    assert row(offer).keywords == "Kookschool"  # type: ignore[union-attr]
    point_ids = set(OfferSearchPoint.objects.filter(offer=offer).values_list("pk", flat=True))

    offer.provider.name = "Kookacademie Rijnmond"
    offer.provider.save()
    assert row(offer).keywords == "Kookacademie Rijnmond"  # type: ignore[union-attr]
    # the points hold no keywords: they are left alone
    assert set(OfferSearchPoint.objects.filter(offer=offer).values_list("pk", flat=True)) == (
        point_ids
    )
    chef = Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/t-chef", label="chef-kok"
    )
    offer.occupations.add(chef)
    assert row(offer).keywords == "Kookacademie Rijnmond\nchef-kok"  # type: ignore[union-attr]
    assert {h.offer.pk for h in search_offers(OfferQuery(text="chef")).hits} == {offer.pk}
    chef.label = "hoofdkok"
    chef.save()
    assert row(offer).keywords == "Kookacademie Rijnmond\nhoofdkok"  # type: ignore[union-attr]
    offer.occupations.remove(chef)
    assert row(offer).keywords == "Kookacademie Rijnmond"  # type: ignore[union-attr]
    qualification = factories.qualification("25180", "Kok", 2)
    Offer.objects.filter(pk=offer.pk).update(qualification=qualification)
    assert row(offer).keywords == "Kookacademie Rijnmond\nKok"  # type: ignore[union-attr]
    qualification.name = "Zelfstandig werkend kok"
    qualification.save()
    assert row(offer).keywords == "Kookacademie Rijnmond\nZelfstandig werkend kok"  # type: ignore[union-attr]

    rotterdam = geo.origin_for_postcode("3011")
    groningen = geo.origin_for_postcode("9711")
    assert search_offers(OfferQuery(origin=rotterdam, max_distance_km=5)).total == 1
    location = offer.locations.get()
    location.municipality = Municipality.objects.get(code="GM0014")  # Groningen
    location.save()
    assert search_offers(OfferQuery(origin=rotterdam, max_distance_km=5)).total == 0
    assert search_offers(OfferQuery(origin=groningen, max_distance_km=5)).total == 1
    location.latitude, location.longitude = Decimal("51.92000"), Decimal("4.48000")
    location.save()  # own coordinates win over the municipality centre
    assert search_offers(OfferQuery(origin=rotterdam, max_distance_km=5)).total == 1
    if is_pg():
        assert points(offer) == [(51.92, 4.48)]
        assert cells(offer) == [cell_of(51.92, 4.48)]
    OfferLocation.objects.create(offer=offer, municipality=Municipality.objects.get(code="GM0014"))
    # two places: found near either (the second through the distance over all points)
    assert search_offers(OfferQuery(origin=groningen, max_distance_km=5)).total == 1
    assert search_offers(OfferQuery(origin=rotterdam, max_distance_km=5)).total == 1
    if is_pg():
        assert len(points(offer)) == 2
        assert cells(offer) == sorted({cell_of(lat, lon) for lat, lon in points(offer)})
    offer.locations.all().delete()
    assert search_offers(OfferQuery(origin=rotterdam, max_distance_km=400)).total == 0
    if is_pg():
        assert points(offer) == []
        assert cells(offer) == []

    soon = TODAY + datetime.timedelta(days=20)
    period = {"start_from": TODAY, "start_until": TODAY + datetime.timedelta(days=30)}
    assert search_offers(OfferQuery(**period)).total == 0
    start = OfferStart.objects.create(offer=offer, starts_on=soon)
    assert search_offers(OfferQuery(**period)).total == 1
    start.starts_on = TODAY + datetime.timedelta(days=60)
    start.save()
    assert search_offers(OfferQuery(**period)).total == 0
    start.delete()
    Offer.objects.filter(pk=offer.pk).update(flexible_start=True)
    assert search_offers(OfferQuery(**period)).total == 1


def test_deactivating_reactivating_and_deleting(db):  # type: ignore[no-untyped-def]
    offer = make_offer("Cursus lassen")
    other = make_offer("Cursus solderen")
    feed = offer.feed
    assert services.offers_deactivate_missing(feed=feed, seen_source_ids={other.source_id}) == 1
    assert row(offer) is None and row(other) is not None
    Offer.objects.filter(pk=offer.pk).update(is_active=True)
    assert row(offer) is not None
    other_pk = other.pk
    other.delete()
    assert not OfferSearchRow.objects.filter(offer_id=other_pk).exists()
    assert set(OfferSearchRow.objects.values_list("offer_id", flat=True)) == {offer.pk}


def test_a_change_to_a_column_search_does_not_use_leaves_the_row_alone(db):  # type: ignore[no-untyped-def]
    offer = make_offer("Cursus lassen", description="Oud")
    before = generation()
    Offer.objects.filter(pk=offer.pk).update(description="Nieuw", url="https://example.test/")
    assert generation() == before
    Offer.objects.filter(pk=offer.pk).update(title="Cursus lassen MIG")
    assert generation() > before


def test_curation_hides_and_features_in_counts_and_results(db, desk_a, desk_b, manager_a):  # type: ignore[no-untyped-def]
    welder = make_offer("Cursus lassen", level=Level.MBO_2)
    make_offer("Cursus lassen voor gevorderden", level=Level.MBO_3)
    factories.national_feed()
    regional = OfferQuery(text="lassen", desk_id=desk_a.pk, hide_hidden=True)
    assert search_offers(regional).total == 2
    services.curation_set(actor=manager_a, desk=desk_a, offer=welder, status=CurationStatus.HIDDEN)
    result = search_offers(regional)
    assert result.total == 1
    levels = {o.value: o.count for o in result.facets[0].options}
    assert (levels[Level.MBO_2], levels[Level.MBO_3]) == (0, 1)
    # the national search and another desk still count it (the same cached counts)
    assert search_offers(OfferQuery(text="lassen")).total == 2
    assert search_offers(dataclasses.replace(regional, desk_id=desk_b.pk)).total == 2
    services.curation_set(
        actor=manager_a, desk=desk_a, offer=welder, status=CurationStatus.FEATURED
    )
    result = search_offers(regional)
    assert result.total == 2 and result.hits[0].offer == welder and result.hits[0].featured
    services.curation_set(actor=manager_a, desk=desk_a, offer=welder, status=None)
    assert not OfferCuration.objects.exists()
    assert search_offers(regional).total == 2


# -- the count cache -------------------------------------------------------------------------


def test_cached_counts_are_used_only_at_the_current_generation(db, django_assert_num_queries):  # type: ignore[no-untyped-def]
    make_offer("Cursus koken", level=Level.MBO_2)
    query = OfferQuery(text="koken", levels=(Level.MBO_3,))
    assert search_offers(query).total == 0
    assert SearchCountCache.objects.count() == 1
    # a different facet choice reuses the cached combinations: no count, no store
    with django_assert_num_queries(1 if is_pg() else 2):  # (SQLite reads the text itself)
        again = OfferQuery(text="koken")
        plan = search_sql.plan_for(again, dutch.query_lexemes("koken"))
        assert search_sql.count(again, plan).total == 1
    make_offer("Cursus koken voor gevorderden", level=Level.MBO_3)
    assert search_offers(query).total == 1  # counted again, not the cached 0
    assert search_offers(dataclasses.replace(query, levels=())).total == 2


def test_warming_counts_the_empty_search_and_words_in_full(db, monkeypatch):  # type: ignore[no-untyped-def]
    for number in range(6):
        make_offer(f"Cursus koken {number}", level=Level.MBO_2 if number % 2 else Level.NONE)
    monkeypatch.setattr(search_sql, "LARGE_RESULT", 2)
    assert search_sql.warm_cache([OfferQuery(), OfferQuery(text="koken")]) == 2
    assert search_sql.warm_cache([OfferQuery()]) == 0  # already cached
    result = search_offers(OfferQuery(text="koken", levels=(Level.MBO_2,)))
    assert (result.total, result.total_is_estimate) == (3, False)  # exact: from the cache
    assert {o.value: o.count for o in result.facets[0].options}[Level.NONE] == 3


def test_rebuild_repairs_the_table_and_is_idempotent(db):  # type: ignore[no-untyped-def]
    keep = make_offer("Cursus koken")
    lost = make_offer("Cursus bakken")
    OfferSearchRow.objects.filter(offer=keep).update(title="fout")
    OfferSearchRow.objects.filter(offer=lost).delete()
    search_rows.rebuild()
    assert row(keep).title == "Cursus koken"  # type: ignore[union-attr]
    assert row(lost) is not None
    if is_pg():
        assert search_rows.rebuild() == 0  # nothing left to change


# -- a random catalogue: the search table against the wide table -----------------------------

WORDS = ["zorg", "kok", "monteur", "logistiek", "lasser", "verpleegkundige", "techniek"]
PROVIDERS = ["Zorgacademie", "Techniek College", "ROC Midden", "Leerbedrijf Logistiek"]
OCCUPATIONS = ["kok", "monteur", "zorgassistent", "heftruckchauffeur"]
MUNICIPALITIES = ["GM0599", "GM0606", "GM0014", "GM0772", "GM0363", "GM0344"]
POSTCODES = ["3011", "9711", "1012", "5611"]
PATHS = list(search_sql.PATH_COLUMNS)


@pytest.fixture
def random_catalogue(db, desk_a):  # type: ignore[no-untyped-def]
    geo.load_coordinates()
    rng = random.Random(20261122)  # noqa: S311 (test data)
    occupations = [
        Occupation.objects.create(uri=f"http://data.europa.eu/esco/occupation/t-{i}", label=label)
        for i, label in enumerate(OCCUPATIONS)
    ]
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=MUNICIPALITIES)}
    offers = []
    for number in range(240):
        words = rng.sample(WORDS, rng.randint(1, 2))
        where = rng.random()
        starts = [
            TODAY + datetime.timedelta(days=rng.randint(-30, 300)) for _ in range(rng.randint(0, 2))
        ]
        offer = make_offer(
            f"{rng.choice(['Cursus', 'Opleiding', ''])} {' '.join(words)} {number}".strip(),
            provider_name=rng.choice(PROVIDERS),
            municipality=rng.choice(MUNICIPALITIES) if where < 0.6 else None,
            latitude=f"{rng.uniform(51.4, 53.2):.5f}" if 0.6 <= where < 0.8 else None,
            longitude=f"{rng.uniform(4.2, 6.8):.5f}" if 0.6 <= where < 0.8 else None,
            starts=starts,
            level=rng.choice(Level.values),
            kind=rng.choice(OfferKind.values),
            sector=rng.choice([*Sector.values, ""]),
            cost_amount=rng.choice([None, 0, 95, 450, 995, 2400]),
            duration_days=rng.choice([None, 2, 30, 365, 730]),
            flexible_start=rng.random() < 0.2,
            is_active=rng.random() < 0.9,
            **{column: rng.random() < 0.3 for column in search_sql.PATH_COLUMNS.values()},
        )
        if where < 0.6 and rng.random() < 0.25:  # a second location
            OfferLocation.objects.create(
                offer=offer, municipality=municipalities[rng.choice(MUNICIPALITIES)]
            )
        if rng.random() < 0.3:
            offer.occupations.add(rng.choice(occupations))
        offers.append(offer)
    for offer in rng.sample(offers, 12):
        OfferCuration.objects.create(
            desk=desk_a, offer=offer, status=rng.choice(CurationStatus.values)
        )
    return rng


def _reference(query: OfferQuery) -> list[Offer]:
    """The active offers a query finds, straight from the wide offer table (the facet choices
    included), in no particular order."""
    queryset = Offer.objects.filter(is_active=True)
    for key, column in (("levels", "level"), ("kinds", "kind"), ("sectors", "sector")):
        if getattr(query, key):
            queryset = queryset.filter(**{f"{column}__in": getattr(query, key)})
    if query.paths:
        any_path = Q()
        for path in query.paths:
            any_path |= Q(**{search_sql.PATH_COLUMNS[LearningPath(path)]: True})
        queryset = queryset.filter(any_path)
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
        near = (
            OfferLocation.objects.filter(offer=OuterRef("pk"))
            .annotate(
                distance=geo.distance_expression(
                    query.origin.point, geo.location_latitude(), geo.location_longitude()
                )
            )
            .filter(distance__lte=query.max_distance_km)
        )
        queryset = queryset.filter(Exists(near))
    if query.hide_hidden and query.desk_id is not None:
        queryset = queryset.exclude(
            Exists(
                OfferCuration.objects.filter(
                    desk_id=query.desk_id, offer=OuterRef("pk"), status=CurationStatus.HIDDEN
                )
            )
        )
    offers = list(
        queryset.select_related("provider", "qualification").prefetch_related("occupations")
    )
    terms = dutch.query_lexemes(query.text)
    if not terms:
        return offers
    found = []
    for offer in offers:
        text = "\n".join(
            [
                offer.title,
                offer.provider.name,
                offer.qualification.name if offer.qualification else "",
                *(o.label for o in offer.occupations.all()),
            ]
        )
        if dutch.matches(dutch.lexemes(text), terms):
            found.append(offer)
    return found


def _random_query(rng: random.Random, desk_id: int) -> OfferQuery:
    def some(values: list[str], most: int = 2) -> tuple[str, ...]:
        return tuple(rng.sample(values, rng.randint(1, most))) if rng.random() < 0.3 else ()

    origin = geo.origin_for_postcode(rng.choice(POSTCODES)) if rng.random() < 0.4 else None
    start = rng.random() < 0.2
    return OfferQuery(
        text=" ".join(rng.sample(WORDS, rng.randint(1, 2))) if rng.random() < 0.5 else "",
        levels=some(Level.values),
        kinds=some(OfferKind.values),
        paths=some([str(p) for p in PATHS]),
        sectors=some(Sector.values, 3),
        origin=origin,
        max_distance_km=rng.choice([5, 10, 25, 60, 400]) if origin and rng.random() < 0.8 else None,
        max_cost=Decimal(rng.choice(["100", "450", "1000.50"])) if rng.random() < 0.2 else None,
        start_from=TODAY if start else None,
        start_until=TODAY + datetime.timedelta(days=rng.choice([30, 120])) if start else None,
        max_duration_days=rng.choice([30, 365]) if rng.random() < 0.2 else None,
        online_only=rng.random() < 0.1,
        desk_id=desk_id if rng.random() < 0.5 else None,
        hide_hidden=rng.random() < 0.5,
        sort=rng.choice(
            [Sort.RELEVANCE, Sort.START, Sort.DISTANCE] if origin else [Sort.RELEVANCE, Sort.START]
        ),
        per_page=1000,
        correct_typos=False,
    )


def _facet_values(offer: Offer, key: str) -> list[str]:
    if key == "paths":
        return [str(p) for p, column in search_sql.PATH_COLUMNS.items() if getattr(offer, column)]
    value = getattr(offer, {"levels": "level", "kinds": "kind", "sectors": "sector"}[key])
    return [value] if value else []


def _expected_counts(query: OfferQuery, key: str) -> dict[str, int]:
    """What choosing each value of one facet would find (the other choices kept)."""
    counts: dict[str, int] = {}
    for offer in _reference(dataclasses.replace(query, **{key: ()})):
        for value in _facet_values(offer, key):
            counts[value] = counts.get(value, 0) + 1
    return counts


def _sort_key(query: OfferQuery, offer: Offer) -> tuple[Any, ...]:
    if query.sort == Sort.START:
        return (offer.next_start_on is None, offer.next_start_on or TODAY, offer.title, offer.pk)
    if query.sort == Sort.DISTANCE and query.origin is not None:
        distances = [
            geo.haversine_km(query.origin.point, point)
            for location in offer.locations.select_related("municipality__catalogue_centre")
            if (point := _point(location)) is not None
        ]
        return (not distances, round(min(distances), 6) if distances else 0, offer.title, offer.pk)
    return (offer.title, offer.pk)


def _point(location: OfferLocation) -> geo.Point | None:
    """A location's point: its own coordinates, else its municipality's centre."""
    if location.latitude is not None and location.longitude is not None:
        return geo.Point(float(location.latitude), float(location.longitude))
    centre = getattr(location.municipality, "catalogue_centre", None)
    if centre is not None:
        return geo.Point(float(centre.latitude), float(centre.longitude))
    return None


def _check(query: OfferQuery) -> None:
    result = search_offers(query)
    expected = _reference(query)
    found = [hit.offer.pk for hit in result.hits]
    assert len(found) == len(set(found))
    if result.total_is_estimate:
        assert set(found) <= {o.pk for o in expected}
    else:
        assert result.total == len(expected), query
        assert set(found) == {o.pk for o in expected}, query
    for facet in result.facets:
        counts = _expected_counts(query, facet.key)
        for option in facet.options:
            if option.count is not None:
                assert option.count == counts.get(option.value, 0), (query, facet.key, option)
    featured = [hit.featured for hit in result.hits]
    if query.sort == Sort.RELEVANCE:
        assert featured == sorted(featured, reverse=True)  # featured first
    if not result.total_is_estimate and (query.sort != Sort.RELEVANCE or not query.text.strip()):
        by_pk = {o.pk: o for o in expected}
        if query.sort == Sort.RELEVANCE and query.desk_id is not None:
            return  # featured first, then title: checked above
        order = sorted(expected, key=lambda o: _sort_key(query, o))
        if query.sort == Sort.DISTANCE:  # ties in distance may differ in the last digits
            assert [round(_sort_key(query, by_pk[pk])[1], 3) for pk in found] == [
                round(_sort_key(query, o)[1], 3) for o in order
            ]
        else:
            assert found == [o.pk for o in order], query


def test_random_searches_find_and_count_what_the_offer_table_holds(random_catalogue, desk_a):  # type: ignore[no-untyped-def]
    for _ in range(70):
        query = _random_query(random_catalogue, desk_a.pk)
        _check(query)
        _check(query)  # again: from the count cache


def test_random_searches_with_very_large_result_limits(random_catalogue, desk_a, monkeypatch):  # type: ignore[no-untyped-def]
    # every result above 8 matches (30 points near a place) is "very large" now; text with an
    # estimate above 20 is not counted, and relevance candidates come from a sample of the text
    # index of about 3 entries (or from all of them when the sample falls short)
    monkeypatch.setattr(search_sql, "LARGE_RESULT", 8)
    monkeypatch.setattr(search_sql, "POINT_LIMIT", 30)
    monkeypatch.setattr(search_sql, "SKIP_BASE", 20)
    monkeypatch.setattr(search_sql, "SAMPLE_LIMIT", 3)
    monkeypatch.setattr("leerwerk.catalogue.search.RANK_CANDIDATES", 5)
    monkeypatch.setattr(search_sql, "USE_CACHE", False)
    for _ in range(50):
        _check(_random_query(random_catalogue, desk_a.pk))


def test_the_commands_rebuild_and_warm(db):  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    make_offer("Cursus koken")
    OfferSearchRow.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_rows", stdout=out)
    assert "Zoektabel bijgewerkt" in out.getvalue()
    assert OfferSearchRow.objects.count() == 1
    from leerwerk.catalogue.search import search_words_refresh

    search_words_refresh()
    call_command("warm_search_counts", words=1, stdout=out)
    assert "2 zoekvragen geteld" in out.getvalue()  # the empty search and "cursus"
    assert SearchCountCache.objects.count() == 2
