"""EDU-DEX programme documents: schema validation, mapping, lists, zips, broken JSON."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal

import pytest

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import DurationUnit, ImportStatus, Level, OfferKind, SourceKind
from leerwerk.catalogue.importers.base import run_import
from leerwerk.catalogue.models import Offer
from leerwerk.catalogue.tests import factories
from leerwerk.catalogue.tests.factories import FILES, counts, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed():  # type: ignore[no-untyped-def]
    factories.qualification("25491", "verzorgende-IG", 3)
    return factories.national_feed(SourceKind.EDUDEX)


def test_single_document_is_mapped(feed):  # type: ignore[no-untyped-def]
    run = import_file(feed, "edudex_single.json")

    assert counts(run)["created"] == 1
    offer = Offer.objects.get()
    assert offer.source_id == "opleider-voorbeeld:PRG-1"
    assert offer.title == "Praktijkopleiding verzorgende"
    assert offer.description == "Je leert zorgen voor ouderen. <b>Niet vet</b>"
    assert offer.provider.name == "Zorgacademie Voorbeeld"
    assert offer.provider.source_key == "edudex:opleider-voorbeeld"
    assert (offer.level, offer.kind) == (Level.MBO_3, OfferKind.CERTIFICATE)
    assert (offer.is_part_time, offer.is_online, offer.is_bol) == (True, True, False)
    assert (offer.duration_amount, offer.duration_unit, offer.duration_days) == (
        10,
        DurationUnit.WEEKS,
        70,
    )
    assert offer.study_hours == 120
    assert offer.cost_amount == Decimal("1270.50")  # required costs incl. VAT
    assert offer.cost_vat_included is True
    assert offer.cost_includes == "lesgeld, studiemateriaal"
    assert offer.qualification.code == "25491"
    assert offer.url == "https://www.voorbeeld.nl/verzorgende"
    assert offer.flexible_start is False
    # the cancelled run is left out
    assert [s.starts_on for s in offer.starts.all()] == [datetime.date(2030, 9, 1)]
    location = offer.locations.get()
    assert (location.city, location.postcode) == ("Utrecht", "3511 AA")
    assert offer.starts.get().location == location
    assert offer.source_updated_at == datetime.datetime(2025, 5, 1, 10, 0, tzinfo=datetime.UTC)


def test_list_keeps_valid_documents_and_reports_schema_violations(feed):  # type: ignore[no-untyped-def]
    run = import_file(feed, "edudex_list.json")

    assert run.status == ImportStatus.DONE_WITH_ERRORS
    assert counts(run)["created"] == 2
    assert counts(run)["rejected"] == 1
    second = Offer.objects.get(source_id="opleider-voorbeeld:PRG-2")
    assert second.flexible_start is True
    assert second.locations.get().city == "Utrecht"  # from programLocation
    errors = {(e.field, e.reason) for e in run.row_errors.all()}
    assert {e.line for e in run.row_errors.all()} == {3}
    assert (
        "programClassification.programLevel",
        "waarde 'mbo niveau 9' is niet toegestaan",
    ) in errors
    assert ("programDescriptions", "verplicht veld 'programName' ontbreekt") in errors
    assert (
        "programDescriptions.programSummaryText.nl",
        "is te lang (hoogstens 200 tekens)",
    ) in errors


def test_reimport_is_idempotent(feed):  # type: ignore[no-untyped-def]
    import_file(feed, "edudex_list.json")

    again = import_file(feed, "edudex_list.json")

    assert counts(again) == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "deactivated": 0,
        "rejected": 1,
    }


def test_broken_json_fails_with_position(feed):  # type: ignore[no-untyped-def]
    run = import_file(feed, "edudex_broken.json")

    assert run.status == ImportStatus.FAILED
    assert "geen geldige JSON (regel 2" in run.message
    assert Offer.objects.count() == 0


def test_zip_of_documents(feed, tmp_path):  # type: ignore[no-untyped-def]
    archive = tmp_path / "levering.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(FILES / "edudex_single.json", "a.json")
        handle.write(FILES / "edudex_list.json", "b.json")
        handle.writestr("leesmij.txt", "niet meegenomen")
    run = services.import_run_create(actor=None, feed=feed, file_name="levering.zip")

    run_import(run=run, path=archive)

    # a.json's document comes back in b.json: the duplicate is rejected with its number
    assert counts(run)["created"] == 2
    assert counts(run)["rejected"] == 2
    assert "regel 1" in run.row_errors.get(line=2).reason
