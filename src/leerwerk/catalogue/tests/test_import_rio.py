"""RIO aangeboden opleidingen (hand-made sample files, see files/rio_sample_*.json)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import DurationUnit, ImportStatus, Level, OfferKind, SourceKind
from leerwerk.catalogue.importers.base import run_import
from leerwerk.catalogue.models import Offer
from leerwerk.catalogue.tests import factories
from leerwerk.catalogue.tests.factories import counts, import_file

pytestmark = pytest.mark.django_db
SAMPLE = "rio_sample_aangeboden_opleidingen.json"


@pytest.fixture
def feed():  # type: ignore[no-untyped-def]
    factories.qualification("25655", "Mbo-Verpleegkundige", 4)
    return factories.national_feed(SourceKind.RIO)


def test_sample_is_mapped_and_bad_references_reported(feed):  # type: ignore[no-untyped-def]
    run = import_file(feed, SAMPLE)

    assert run.status == ImportStatus.DONE_WITH_ERRORS
    assert counts(run)["created"] == 2
    nurse = Offer.objects.get(source_id="AO-0001")
    assert nurse.title == "Mbo-Verpleegkundige BBL"
    assert nurse.provider.name == "Voorbeeldcollege (voorbeeld)"
    assert nurse.provider.source_key == "rio:100X001"
    assert (nurse.level, nurse.kind, nurse.is_bbl) == (Level.MBO_4, OfferKind.DIPLOMA, True)
    assert (nurse.duration_amount, nurse.duration_unit) == (4, DurationUnit.YEARS)
    assert nurse.qualification.code == "25655"
    assert nurse.cost_amount == Decimal("1320.00")
    assert [s.starts_on for s in nurse.starts.all()] == [
        datetime.date(2030, 9, 1)
    ]  # not the cancelled cohort
    location = nurse.locations.get()
    assert (location.address, location.postcode, location.city) == (
        "Schoolstraat 5",
        "9711 AB",
        "Groningen",
    )
    assert location.municipality.name == "Groningen"
    ad = Offer.objects.get(source_id="AO-0002")
    assert (ad.level, ad.is_part_time, ad.flexible_start) == (Level.ASSOCIATE_DEGREE, True, True)
    fields = {e.field for e in run.row_errors.filter(line=3)}
    assert fields == {"onderwijsaanbiedercode", "niveau", "onderwijslocatiecode"}


def test_reimport_is_idempotent(feed):  # type: ignore[no-untyped-def]
    import_file(feed, SAMPLE)

    assert counts(import_file(feed, SAMPLE))["unchanged"] == 2


def test_a_file_without_the_list_fails(feed, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "leeg.json"
    path.write_text(json.dumps({"onderwijsaanbieders": []}), encoding="utf-8")
    run = services.import_run_create(actor=None, feed=feed, file_name="leeg.json")

    run_import(run=run, path=path)

    assert run.status == ImportStatus.FAILED
    assert "aangebodenOpleidingen" in run.message
