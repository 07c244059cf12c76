"""The CSV importer and the shared import machinery: mapping, idempotency, deactivation,
per-row error report, file-level errors, all-or-nothing records and progress."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import DurationUnit, ImportStatus, Level, OfferKind
from leerwerk.catalogue.importers import base
from leerwerk.catalogue.importers.csv_import import template_csv
from leerwerk.catalogue.models import ImportRowError, Offer, OfferStart
from leerwerk.catalogue.models_search import MunicipalityCentre
from leerwerk.catalogue.tests import factories
from leerwerk.catalogue.tests.factories import counts, import_file
from leerwerk.network.models import Municipality, Postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed():  # type: ignore[no-untyped-def]
    factories.qualification("25498", "Helpende Zorg en Welzijn", 2)
    factories.qualification("25655", "Mbo-Verpleegkundige", 4)
    return factories.national_feed()


def test_valid_file_maps_every_column(feed):  # type: ignore[no-untyped-def]
    run = import_file(feed, "offers_valid.csv")

    assert run.status == ImportStatus.DONE
    assert counts(run) == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "rejected": 0,
    }
    assert (run.rows_total, run.rows_done) == (4, 4)
    helpende = Offer.objects.get(feed=feed, source_id="ZW-001")
    assert helpende.title == "Helpende zorg en welzijn"
    assert helpende.provider.name == "ROC Voorbeeld"
    assert helpende.provider.kvk_number == "12345678"
    assert (helpende.level, helpende.kind) == (Level.MBO_2, OfferKind.DIPLOMA)
    assert (helpende.is_bbl, helpende.is_bol, helpende.is_online) == (True, True, False)
    assert helpende.cost_amount == Decimal("1250.00")
    assert (helpende.duration_amount, helpende.duration_unit) == (2, DurationUnit.YEARS)
    assert helpende.duration_days == 730
    assert helpende.next_start_on == datetime.date(2030, 9, 1)
    assert [s.starts_on for s in helpende.starts.all()] == [
        datetime.date(2030, 9, 1),
        datetime.date(2031, 2, 1),
    ]
    location = helpende.locations.get()
    assert (location.postcode, location.city) == ("3011 AA", "Rotterdam")
    assert location.municipality.name == "Rotterdam"  # from the postcode area
    assert helpende.qualification.code == "25498"
    assert helpende.sector == "care"
    # search_text: title, provider, qualification name, description
    for part in [
        "Helpende zorg en welzijn",
        "ROC Voorbeeld",
        "Helpende Zorg en Welzijn",
        "Je leert",
    ]:
        assert part in helpende.search_text
    # a quoted cell may hold the delimiter and a new line
    assert (
        Offer.objects.get(source_id="ZW-002").description
        == "Met een puntkomma; en een\nnieuwe regel."
    )
    python = Offer.objects.get(source_id="ICT-9")
    assert python.cost_amount == Decimal("499")
    assert python.is_online and python.flexible_start
    assert python.locations.count() == 0
    heftruck = Offer.objects.get(source_id="LOG-01")
    assert heftruck.cost_vat_included is False
    assert heftruck.description == "<script>alert('x')</script> Leer veilig rijden."  # kept as text


def test_reimport_of_the_same_file_changes_nothing(feed):  # type: ignore[no-untyped-def]
    import_file(feed, "offers_valid.csv")
    versions = dict(Offer.objects.values_list("source_id", "version"))

    again = import_file(feed, "offers_valid.csv")

    assert counts(again) == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "deactivated": 0,
        "rejected": 0,
    }
    assert dict(Offer.objects.values_list("source_id", "version")) == versions
    assert Offer.objects.count() == 4


def test_comma_delimited_file_without_bom_is_the_same_data(feed):  # type: ignore[no-untyped-def]
    import_file(feed, "offers_valid.csv")

    run = import_file(feed, "offers_comma.csv")

    assert counts(run)["unchanged"] == 4


def test_full_delivery_updates_creates_and_deactivates_without_deleting(feed):  # type: ignore[no-untyped-def]
    import_file(feed, "offers_valid.csv")

    run = import_file(feed, "offers_second_delivery.csv")

    assert counts(run) == {
        "created": 1,
        "updated": 1,
        "unchanged": 2,
        "deactivated": 1,
        "rejected": 0,
    }
    gone = Offer.objects.get(source_id="ZW-002")
    assert gone.is_active is False
    assert gone.deactivated_at is not None
    assert Offer.objects.get(source_id="ZW-001").title == "Helpende zorg en welzijn (vernieuwd)"
    # back in a later delivery: active again, counted as an update
    back = import_file(feed, "offers_valid.csv")
    assert counts(back)["updated"] == 2  # ZW-001 renamed back, ZW-002 reactivated
    assert Offer.objects.get(source_id="ZW-002").is_active is True


def test_partial_delivery_deactivates_nothing(feed):  # type: ignore[no-untyped-def]
    import_file(feed, "offers_valid.csv")

    run = import_file(feed, "offers_second_delivery.csv", full=False)

    assert counts(run)["deactivated"] == 0
    assert Offer.objects.filter(is_active=False).count() == 0


def test_other_feeds_are_never_deactivated(feed):  # type: ignore[no-untyped-def]
    other = factories.offer("Andere bron", feed=factories.national_feed("edudex"))
    import_file(feed, "offers_second_delivery.csv")

    other.refresh_from_db()
    assert other.is_active is True


def test_bad_rows_are_reported_per_line_and_field_and_valid_rows_kept(feed):  # type: ignore[no-untyped-def]
    run = import_file(feed, "offers_bad.csv")

    assert run.status == ImportStatus.DONE_WITH_ERRORS
    assert counts(run) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "rejected": 5,
    }
    assert set(Offer.objects.values_list("source_id", flat=True)) == {"OK-1", "XSS-1"}
    errors = {(e.line, e.field): e.reason for e in ImportRowError.objects.filter(run=run)}
    assert errors[(3, "titel")] == "is verplicht, maar leeg"
    assert "te lang: 260 tekens, hoogstens 250" in errors[(4, "titel")]
    assert "regel 2" in errors[(5, "id")]  # the duplicate names the first line
    for field in [
        "kvk-nummer opleider",
        "niveau",
        "soort",
        "leerwegen",
        "startdatums",
        "flexibele start",
        "eenheid duur",
        "kosten",
        "crebocode",
        "sector",
        "website",
        "postcode",
        "esco-beroepen",
    ]:
        assert (6, field) in errors, field
    assert "verwacht 22 kolommen, gevonden 3" in errors[(7, "")]
    xss = Offer.objects.get(source_id="XSS-1")
    assert xss.title == "<script>alert(1)</script>"  # text, escaped wherever it is shown
    assert xss.provider.name == "<b>Opleider</b>"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("offers_latin1.csv", "geen UTF-8-tekst"),
        ("offers_missing_header.csv", "mist de kolom(men) 'id', 'titel', 'opleider'"),
    ],
)
def test_file_level_errors_fail_the_run_and_write_nothing(feed, name, message):  # type: ignore[no-untyped-def]
    run = import_file(feed, name)

    assert run.status == ImportStatus.FAILED
    assert message in run.message
    assert Offer.objects.count() == 0
    assert run.row_errors.count() == 0


def test_missing_file_fails_clearly(feed, tmp_path):  # type: ignore[no-untyped-def]
    run = services.import_run_create(actor=None, feed=feed, file_name="weg.csv")
    from leerwerk.catalogue.importers.base import run_import

    run_import(run=run, path=tmp_path / "weg.csv")

    assert run.status == ImportStatus.FAILED
    assert "niet gevonden" in run.message


@pytest.mark.parametrize("chunk_size", [500, 1])  # the bulk path and the per-record path
def test_a_record_whose_children_fail_leaves_nothing_behind(feed, monkeypatch, chunk_size):  # type: ignore[no-untyped-def]
    original = OfferStart.objects.bulk_create

    def failing(objs, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(start.starts_on == datetime.date(2031, 2, 1) for start in objs):
            raise DatabaseError("simulated failure while writing start dates")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(OfferStart.objects, "bulk_create", failing)

    run = import_file(feed, "offers_valid.csv", chunk_size=chunk_size)

    assert counts(run)["created"] == 3
    assert counts(run)["rejected"] == 1
    assert not Offer.objects.filter(source_id="ZW-001").exists()
    error = run.row_errors.get()
    assert (error.line, error.source_id) == (2, "ZW-001")
    assert "niets van bewaard" in error.reason
    assert OfferStart.objects.filter(offer__source_id="ZW-002").count() == 1


def test_progress_is_stored_after_every_chunk(feed, monkeypatch):  # type: ignore[no-untyped-def]
    seen = []
    original = services.import_run_progress

    def spy(*, run):  # type: ignore[no-untyped-def]
        original(run=run)
        stored = type(run).objects.get(pk=run.pk)
        seen.append((stored.status, stored.rows_total, stored.rows_done, stored.created))

    monkeypatch.setattr(services, "import_run_progress", spy)

    import_file(feed, "offers_valid.csv", chunk_size=3)

    assert seen == [("running", 4, 3, 3), ("running", 4, 4, 4)]


def test_the_template_imports_as_it_is(feed, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "sjabloon.csv"
    path.write_text(template_csv(), encoding="utf-8")
    run = services.import_run_create(actor=None, feed=feed, file_name="sjabloon.csv")
    from leerwerk.catalogue.importers.base import run_import

    run_import(run=run, path=path)

    assert counts(run)["created"] == 1
    assert Offer.objects.get().title == "Helpende zorg en welzijn"


def test_offer_save_keeps_derived_columns_in_step(feed):  # type: ignore[no-untyped-def]
    nurse = factories.occupation("verpleegkundige", "2221.1")
    data = services.OfferData(
        source_id="X-1",
        title="Verpleegkunde",
        provider=services.ProviderData(source_key="naam:x", name="Hogeschool X"),
        crebo_code="25655",
        occupation_uris=[nurse.uri],
        duration_amount=6,
        duration_unit=DurationUnit.MONTHS,
        starts=[services.StartData(datetime.date(2000, 1, 1))],
    )
    offer, outcome = services.offer_save(feed=feed, data=data)

    assert outcome == "created"
    assert offer.duration_days == 180
    assert offer.next_start_on is None  # the only start is in the past
    assert "Mbo-Verpleegkundige" in offer.search_text
    assert "verpleegkundige" in offer.search_text
    assert list(offer.occupations.all()) == [nurse]
    assert services.offer_save(feed=feed, data=data)[1] == "unchanged"


def test_a_big_import_refreshes_the_statistics_of_the_search_triggers_tables(feed, monkeypatch):  # type: ignore[no-untyped-def]
    """Into an empty catalogue the search triggers' statements would keep plans made for empty
    tables (a scan of the whole point table per statement): the import lets PostgreSQL see the
    tables grow."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps the planner's statistics")
    monkeypatch.setattr(base, "ANALYZE_FROM", 1)  # this small file counts as a big import
    rotterdam = Municipality.objects.get(code="GM0599")  # the file's places get a point
    Postcode.objects.get_or_create(code="3011", defaults={"municipality": rotterdam})
    MunicipalityCentre.objects.get_or_create(
        municipality=rotterdam,
        defaults={"latitude": Decimal("51.92"), "longitude": Decimal("4.48")},
    )

    import_file(feed, "offers_valid.csv")

    with connection.cursor() as cursor:
        for table in base.ANALYZED_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our table names
            rows = cursor.fetchone()[0]
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            assert rows > 0, table  # the file gives every table rows to see
            assert cursor.fetchone()[0] == rows, table
