"""Loading the mbo qualifications and ESCO occupations."""

from __future__ import annotations

import shutil

import pytest

from leerwerk.catalogue import reference
from leerwerk.catalogue.models import Occupation, Qualification
from leerwerk.network.reference import ReferenceDataError

pytestmark = pytest.mark.django_db


def test_bundled_files_load_and_a_second_run_changes_nothing():  # type: ignore[no-untyped-def]
    first = reference.load_catalogue_reference()

    assert first.created["qualification"] == 1037
    assert first.created["occupation"] == 3039
    nurse = Qualification.objects.get(code="25655")
    assert (nurse.name, nurse.level, nurse.learning_paths) == (
        "Mbo-Verpleegkundige",
        4,
        "BBL,BOL,OVO",
    )
    assert nurse.dossier_code and nurse.sector_chamber
    occupation = Occupation.objects.get(code="2654.1.7")
    assert occupation.label == "inspiciënt"
    assert "toneelmeester" in occupation.alt_labels.splitlines()
    assert occupation.isco_group == "2654"

    second = reference.load_catalogue_reference()
    assert second.created["qualification"] == second.updated["qualification"] == 0
    assert second.unchanged["occupation"] == 3039
    assert "0 nieuw, 0 bijgewerkt, 1037 ongewijzigd" in second.summary()


def test_a_changed_name_is_updated_in_place():  # type: ignore[no-untyped-def]
    reference.load_catalogue_reference()
    Qualification.objects.filter(code="25655").update(name="Oud")

    result = reference.load_catalogue_reference()

    assert result.updated["qualification"] == 1
    assert Qualification.objects.get(code="25655").name == "Mbo-Verpleegkundige"


def test_malformed_files_name_file_line_and_field_and_change_nothing(tmp_path):  # type: ignore[no-untyped-def]
    for name in (
        reference.QUALIFICATIONS_FILE,
        reference.DOSSIERS_FILE,
        reference.OCCUPATIONS_FILE,
    ):
        shutil.copy(reference.DEFAULT_DIRECTORY / name, tmp_path / name)
    path = tmp_path / reference.QUALIFICATIONS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("25002,", "2500X,", 1)
    lines[3] = lines[3].replace(",2,basisberoepsopleiding", ",7,basisberoepsopleiding", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError) as caught:
        reference.load_catalogue_reference(tmp_path)

    problems = {(p.file, p.line, p.field) for p in caught.value.problems}
    assert (reference.QUALIFICATIONS_FILE, 3, "code") in problems
    assert (reference.QUALIFICATIONS_FILE, 4, "niveau") in problems
    assert Qualification.objects.count() == 0
    assert Occupation.objects.count() == 0


def test_wrong_encoding_is_a_problem_not_a_crash(tmp_path):  # type: ignore[no-untyped-def]
    for name in (reference.QUALIFICATIONS_FILE, reference.DOSSIERS_FILE):
        shutil.copy(reference.DEFAULT_DIRECTORY / name, tmp_path / name)
    (tmp_path / reference.OCCUPATIONS_FILE).write_bytes("conceptType\ncafé\n".encode("cp1252"))

    with pytest.raises(ReferenceDataError, match="geen geldige UTF-8"):
        reference.load_catalogue_reference(tmp_path)
