"""Loading the reference data: complete, idempotent, and all-or-nothing on bad files."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from leerwerk.network import reference
from leerwerk.network.models import Desk, Municipality, Postcode, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path) -> Path:
    """A writable copy of the bundled reference files."""
    target = tmp_path / "reference"
    shutil.copytree(reference.DEFAULT_DIRECTORY, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def replace_line(path: Path, line_number: int, new: str) -> None:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[line_number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def line_of(path: Path, startswith: str) -> tuple[int, str]:
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.startswith(startswith):
            return number, line
    raise AssertionError(f"{startswith} not in {path.name}")


def snapshot() -> tuple:
    return (
        Region.objects.count(),
        Municipality.objects.count(),
        Postcode.objects.count(),
        Municipality.objects.get(code="GM0363").population,
        Region.objects.get(code="AM22").name,
    )


def test_bundled_files_give_the_whole_network():
    # The session fixture loaded them; check what the issue promises.
    assert Region.objects.count() == 35
    assert Municipality.objects.count() == 342
    assert Postcode.objects.count() == 4104
    codes = set(Region.objects.values_list("code", flat=True))
    assert {"AM04", "AM16", "AM31"}.isdisjoint(codes)
    assert {"AM01", "AM38"} <= codes
    for region in Region.objects.select_related("central_municipality"):
        assert region.central_municipality is not None, region.code
        assert region.central_municipality.region_id == region.pk
        assert region.population == sum(region.municipalities.values_list("population", flat=True))
        assert Desk.objects.filter(region=region).exists()
    assert Municipality.objects.get(code="GM0363").name == "Amsterdam"
    assert Region.objects.get(code="AM22").central_municipality.name == "Rotterdam"
    assert Postcode.objects.get(code="0010").special_description == "woonachtig in België"
    assert Postcode.objects.filter(municipality__isnull=True).count() == 4


def test_loading_twice_changes_nothing():
    before = snapshot()
    result = reference.load()
    assert sum(result.created.values()) == 0
    assert sum(result.updated.values()) == 0
    assert result.unchanged["region"] == 35
    assert result.unchanged["municipality"] == 342
    assert result.unchanged["postcode"] == 4104
    assert snapshot() == before


def test_a_changed_value_is_updated(files):
    path = files / reference.MUNICIPALITIES_FILE
    number, line = line_of(path, "GM0363,")
    fields = line.split(",")
    fields[8] = "1000000"  # inwonertal
    replace_line(path, number, ",".join(fields))
    result = reference.load(files)
    assert result.updated["municipality"] == 1
    assert Municipality.objects.get(code="GM0363").population == 1_000_000


BAD_FILES = [
    # (file, row startswith, field index, new value, expected field name in the message)
    (reference.REGIONS_FILE, "AM22,", 0, "XX22", "arbeidsmarktregio_code"),
    (reference.REGIONS_FILE, "AM22,", 3, "veel", "inwonertal"),
    (reference.MUNICIPALITIES_FILE, "GM0599,", 2, "AM99", "arbeidsmarktregio_code"),
    (reference.MUNICIPALITIES_FILE, "GM0599,", 1, "", "gemeentenaam"),
    (reference.MUNICIPALITIES_FILE, "GM0599,", 8, "-5", "inwonertal"),
    (
        reference.CENTRAL_FILE,
        "AM22,",
        3,
        "GM0014",
        "centrumgemeente_code",
    ),  # Groningen is not in Rijnmond
    (reference.POSTCODES_FILE, "3011,", 2, "12", "gemeentecode"),
    (reference.POSTCODES_FILE, "3011,", 2, "0001", "gemeentecode"),  # no such municipality
    (reference.POSTCODES_FILE, "3011,", 0, "30A1", "postcode"),
]


@pytest.mark.parametrize(("name", "row", "index", "value", "field"), BAD_FILES)
def test_a_bad_field_names_file_line_and_field_and_changes_nothing(
    files, name, row, index, value, field
):
    # given a valid change elsewhere and one bad field
    good = files / reference.MUNICIPALITIES_FILE
    number, line = line_of(good, "GM0363,")
    fields = line.split(",")
    fields[8] = "1"
    replace_line(good, number, ",".join(fields))
    path = files / name
    number, line = line_of(path, row)
    fields = line.split(",")
    fields[index] = value
    replace_line(path, number, ",".join(fields))
    before = snapshot()
    # when loading
    with pytest.raises(reference.ReferenceDataError) as error:
        reference.load(files)
    # then the message names file, line and field, and nothing was written
    message = str(error.value)
    assert f"{name}, regel {number}, veld '{field}'" in message
    assert snapshot() == before


def test_a_missing_column_is_reported_on_the_header_line(files):
    path = files / reference.POSTCODES_FILE
    replace_line(path, 1, "postcode,postbus,gemeente,gemeentenaam")
    with pytest.raises(
        reference.ReferenceDataError,
        match=r"pc4_gemeente_duo_postcodecijfers.csv, regel 1, veld 'gemeentecode': kolom ontbreekt",
    ):
        reference.load(files)


def test_an_incomplete_municipality_file_is_refused(files):
    path = files / reference.MUNICIPALITIES_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("GM0599,")) + "\n")
    with pytest.raises(reference.ReferenceDataError) as error:
        reference.load(files)
    message = str(error.value)
    assert "regio AM22 heeft" in message and "onvolledig" in message
    assert Municipality.objects.filter(code="GM0599").exists()


def test_a_truncated_row_is_reported(files):
    path = files / reference.REGIONS_FILE
    number, line = line_of(path, "AM05,")
    replace_line(path, number, line.rsplit(",", 3)[0])
    with pytest.raises(
        reference.ReferenceDataError, match=rf"arbeidsmarktregios_2024.csv, regel {number}"
    ):
        reference.load(files)


def test_a_duplicate_postcode_is_reported_with_its_line(files):
    path = files / reference.POSTCODES_FILE
    with path.open("a", encoding="utf-8") as handle:
        handle.write("3011,N,0599,Rotterdam\r\n")
    total = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(
        reference.ReferenceDataError,
        match=rf"regel {total}, veld 'postcode': 3011 komt twee keer voor",
    ):
        reference.load(files)


def test_wrong_encoding_is_reported(files):
    path = files / reference.MUNICIPALITIES_FILE
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    with pytest.raises(reference.ReferenceDataError, match="geen geldige UTF-8"):
        reference.load(files)


def test_a_missing_file_is_reported(files):
    (files / reference.CENTRAL_FILE).unlink()
    with pytest.raises(
        reference.ReferenceDataError, match="centrumgemeenten_regeling_2013.csv: bestand ontbreekt"
    ):
        reference.load(files)


def test_command_reports_errors_and_changes_nothing(files):
    path = files / reference.REGIONS_FILE
    number, line = line_of(path, "AM22,")
    replace_line(path, number, line.replace("Rijnmond", "Nieuwe naam").replace("AM22", "A22"))
    before = snapshot()
    with pytest.raises(CommandError, match="er is niets gewijzigd") as error:
        call_command("load_reference_data", directory=files)
    assert f"regel {number}" in str(error.value)
    assert snapshot() == before


def test_command_loads_and_keeps_existing_desks(capsys):
    desk = Desk.objects.get(region__code="AM22")
    desk.display_name = "Leerwerkloket Rijnmond (aangepast)"
    desk.save()
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "35 ongewijzigd" in out
    desk.refresh_from_db()
    assert desk.display_name == "Leerwerkloket Rijnmond (aangepast)"
    assert Desk.objects.count() == 35
