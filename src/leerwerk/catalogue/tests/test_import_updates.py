"""Changed offers of an import chunk are written together (a few bulk statements, so the search
triggers run a few times per chunk), still all or nothing per record."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import Level, OfferKind
from leerwerk.catalogue.models import Offer, OfferLocation, OfferStart
from leerwerk.catalogue.models_search import OfferSearchRow
from leerwerk.catalogue.services import LocationData, OfferData, ProviderData, StartData
from leerwerk.catalogue.tests import factories
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.services import bulk_update_rows
from leerwerk.funding.tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

PROVIDER = ProviderData(source_key="naam:roc voorbeeld", name="ROC Voorbeeld")
START = datetime.date(2031, 9, 1)


def record(number: int, **changes: object) -> OfferData:
    data = OfferData(
        source_id=f"U-{number}",
        title=f"Lasser {number}",
        provider=PROVIDER,
        kind=OfferKind.COURSE,
        level=Level.MBO_2,
        locations=[LocationData(name="Centrum", city="Rotterdam")],
        starts=[StartData(START, 0)],
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def save(feed, items):  # type: ignore[no-untyped-def]
    return services.offers_save_many(feed=feed, items=items, today=datetime.date(2031, 1, 1))


@pytest.fixture
def feed():  # type: ignore[no-untyped-def]
    return factories.national_feed()


@pytest.mark.parametrize("together", [True, False])
def test_changed_offers_are_updated_with_their_children_and_occupations(
    feed, monkeypatch, together
):  # type: ignore[no-untyped-def]
    if not together:  # the group fails: each record on its own gives the same outcome

        def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise DatabaseError("simulated failure of the group")

        monkeypatch.setattr(services, "_update_many", failing)
    nurse = factories.occupation("verpleegkundige", "2221.1")
    assert save(feed, [record(n) for n in range(1, 6)]) == ["created"] * 5
    versions = dict(Offer.objects.values_list("source_id", "version"))

    results = save(
        feed,
        [
            record(1, title="Lasser MIG/MAG"),  # the offer's own field
            record(2, starts=[StartData(START), StartData(datetime.date(2032, 2, 1))]),
            record(3, locations=[LocationData(name="Noord", city="Groningen")], starts=[]),
            record(4, occupation_uris=[nurse.uri]),
            record(5),  # the same as stored
        ],
    )

    assert results == ["updated", "updated", "updated", "updated", "unchanged"]
    offers = {offer.source_id: offer for offer in Offer.objects.all()}
    assert offers["U-1"].title == "Lasser MIG/MAG"
    assert {k: o.version - versions[k] for k, o in offers.items()} == {
        "U-1": 1,  # only an offer whose own fields changed gets a new version:
        "U-2": 0,  # the same next start
        "U-3": 1,  # no next start now
        "U-4": 1,  # the occupation's label in the search text
        "U-5": 0,
    }
    assert sorted(
        OfferStart.objects.filter(offer=offers["U-2"]).values_list("starts_on", flat=True)
    ) == [START, datetime.date(2032, 2, 1)]
    assert list(OfferLocation.objects.filter(offer=offers["U-3"]).values_list("name", "city")) == [
        ("Noord", "Groningen")
    ]
    assert not OfferStart.objects.filter(offer=offers["U-3"]).exists()
    assert list(offers["U-4"].occupations.all()) == [nurse]
    assert offers["U-5"].occupations.count() == 0
    # the search sees the new title
    assert OfferSearchRow.objects.get(offer=offers["U-1"]).title == "Lasser MIG/MAG"


def test_more_changed_offers_take_no_more_queries(feed):  # type: ignore[no-untyped-def]
    save(feed, [record(n) for n in range(1, 21)])

    def changing(numbers: range) -> int:
        with CaptureQueriesContext(connection) as queries:
            results = save(
                feed,
                [
                    record(n, title=f"Lasser {n} (nieuw)", starts=[StartData(START, None)])
                    for n in numbers
                ],
            )
        assert set(results) == {"updated"}
        return len(queries)

    assert changing(range(1, 4)) == changing(range(4, 21))


def test_a_bad_record_among_changed_ones_is_rejected_alone(feed):  # type: ignore[no-untyped-def]
    save(feed, [record(n) for n in range(1, 4)])

    results = save(
        feed,
        [record(1, title="Nieuw 1"), record(2, level="geen-niveau"), record(3, title="Nieuw 3")],
    )

    assert results[0] == "updated" and results[2] == "updated"
    assert isinstance(results[1], ValidationError)
    assert dict(Offer.objects.values_list("source_id", "title")) == {
        "U-1": "Nieuw 1",
        "U-2": "Lasser 2",
        "U-3": "Nieuw 3",
    }


def test_an_offer_saved_by_someone_else_meanwhile_is_not_overwritten(feed, monkeypatch):  # type: ignore[no-untyped-def]
    save(feed, [record(n) for n in range(1, 4)])
    original = services._snapshots

    def then_someone_saves_u2(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = original(*args, **kwargs)
        Offer.objects.filter(source_id="U-2").update(
            title="Door de beheerder", version=F("version") + 1
        )
        return found

    monkeypatch.setattr(services, "_snapshots", then_someone_saves_u2)

    results = save(feed, [record(n, title=f"Nieuw {n}") for n in range(1, 4)])

    assert results[0] == "updated" and results[2] == "updated"
    assert isinstance(results[1], ConflictError)
    assert dict(Offer.objects.values_list("source_id", "title")) == {
        "U-1": "Nieuw 1",
        "U-2": "Door de beheerder",
        "U-3": "Nieuw 3",
    }


def test_bulk_update_rows_writes_every_kind_of_column(feed):  # type: ignore[no-untyped-def]
    save(feed, [record(1), record(2)])
    first, second = Offer.objects.order_by("source_id")
    when = datetime.datetime(2031, 3, 4, 5, 6, tzinfo=datetime.UTC)
    first.title, second.title = "Eén — “quotes”, 'enkel'", "Twee"
    first.cost_amount, second.cost_amount = Decimal("1234.50"), None
    first.next_start_on = second.next_start_on = None  # a column of nothing but NULLs
    first.is_bbl, second.is_bbl = True, False
    first.deactivated_at, second.deactivated_at = when, None
    first.study_hours, second.study_hours = 40, None
    fields = ["title", "cost_amount", "next_start_on", "is_bbl", "deactivated_at", "study_hours"]

    assert bulk_update_rows([first, second], fields) == 2

    stored = list(Offer.objects.order_by("source_id").values_list(*fields))
    assert stored == [
        ("Eén — “quotes”, 'enkel'", Decimal("1234.50"), None, True, when, 40),
        ("Twee", None, None, False, None, None),
    ]
    assert bulk_update_rows([], fields) == 0


def test_bulk_update_rows_keeps_json_values_whole(db):  # type: ignore[no-untyped-def]
    # on PostgreSQL each JSON value travels as one element of a jsonb array: nested lists and
    # objects must come back as they were, not flattened by unnest
    first, second = ConditionFactory(), ConditionFactory()
    first.values, second.values = [["a", "b"], {"c": 1}], []

    assert bulk_update_rows([first, second], ["values"]) == 2

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.values, second.values) == ([["a", "b"], {"c": 1}], [])
