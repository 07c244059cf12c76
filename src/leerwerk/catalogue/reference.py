"""Loading the catalogue's reference tables: mbo qualifications (crebo) and ESCO occupations.

As in ``leerwerk.network.reference``: every file is read and checked completely first; any
problem names the file, the line and the field, and nothing is changed. The write is one
transaction, with bulk inserts and updates, and idempotent: rows are matched on their crebo code
or ESCO URI; running it twice changes nothing the second time. Rows that disappear from a file
are kept (offers and opportunity occupations may point to them) and counted.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from leerwerk.catalogue.models import Occupation, Qualification
from leerwerk.network.reference import Problem, ReferenceDataError

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "fixtures" / "reference"

QUALIFICATIONS_FILE = "crebo_kwalificaties_25001-27088.csv"
DOSSIERS_FILE = "crebo_kwalificatiedossiers_referenced.csv"
OCCUPATIONS_FILE = "esco_v1.2.0_occupations_nl.csv"

_CREBO = re.compile(r"^\d{5}$")
_ISCO = re.compile(r"^\d{4}$")
_ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$")


@dataclass
class CatalogueLoadResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    not_in_file: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        parts = []
        for label, name in (("mbo-kwalificaties", "qualification"), ("beroepen", "occupation")):
            text = (
                f"{label}: {self.created[name]} nieuw, {self.updated[name]} bijgewerkt, "
                f"{self.unchanged[name]} ongewijzigd"
            )
            if self.not_in_file[name]:
                text += f", {self.not_in_file[name]} niet meer in het bestand (bewaard)"
            parts.append(text)
        return "; ".join(parts)


class _CsvFile:
    def __init__(self, directory: Path, name: str, required: list[str], problems: list[Problem]):
        self.name = name
        self.path = directory / name
        self.required = required
        self.problems = problems

    def problem(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, field_name, message))

    def rows(self) -> list[tuple[int, dict[str, str]]]:
        if not self.path.exists():
            self.problem(0, "", "bestand ontbreekt")
            return []
        try:
            handle = self.path.open(encoding="utf-8-sig", newline="")
            with handle:
                reader = csv.DictReader(handle)
                header = reader.fieldnames or []
                missing = [column for column in self.required if column not in header]
                for column in missing:
                    self.problem(1, column, "kolom ontbreekt in de kopregel")
                if missing:
                    return []
                rows = []
                line = 1
                for row in reader:
                    start, line = line + 1, reader.line_num
                    if None in row or any(row.get(c) is None for c in self.required):
                        self.problem(start, "", "verkeerd aantal velden")
                        continue
                    rows.append((start, {k: (v or "").strip() for k, v in row.items() if k}))
        except UnicodeDecodeError:
            self.problem(0, "", "het bestand is geen geldige UTF-8-tekst")
            return []
        if not rows:
            self.problem(0, "", "bestand bevat geen gegevens")
        return rows

    def check(
        self, line: int, row: dict[str, str], column: str, pattern: re.Pattern[str], example: str
    ) -> str | None:
        value = row[column]
        if not pattern.match(value):
            self.problem(
                line, column, f"'{value[:40]}' is ongeldig (verwacht bijvoorbeeld {example})"
            )
            return None
        return value

    def text(self, line: int, row: dict[str, str], column: str, max_length: int) -> str | None:
        value = row[column]
        if not value:
            self.problem(line, column, "is leeg")
            return None
        if len(value) > max_length:
            self.problem(line, column, f"is te lang ({len(value)} tekens, hoogstens {max_length})")
            return None
        return value


def _field_max(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length or 0  # type: ignore[union-attr]


def parse(directory: Path = DEFAULT_DIRECTORY) -> tuple[dict[str, dict], dict[str, dict]]:
    """Read and check the three files. Raises ReferenceDataError listing every problem."""
    problems: list[Problem] = []

    dossiers_file = _CsvFile(directory, DOSSIERS_FILE, ["dossier_code", "dossier_naam"], problems)
    dossiers: dict[str, str] = {}
    for line, row in dossiers_file.rows():
        code = dossiers_file.check(line, row, "dossier_code", _CREBO, "23001")
        name = dossiers_file.text(
            line, row, "dossier_naam", _field_max(Qualification, "dossier_name")
        )
        if code and code in dossiers:
            dossiers_file.problem(line, "dossier_code", f"{code} komt twee keer voor")
        elif code and name:
            dossiers[code] = name

    qualifications_file = _CsvFile(
        directory,
        QUALIFICATIONS_FILE,
        ["code", "naam", "niveau", "leerweg", "dossier_code", "dossier_naam", "sectorkamer_naam"],
        problems,
    )
    qualifications: dict[str, dict[str, Any]] = {}
    for line, row in qualifications_file.rows():
        code = qualifications_file.check(line, row, "code", _CREBO, "25001")
        name = qualifications_file.text(line, row, "naam", _field_max(Qualification, "name"))
        level = row["niveau"]
        if level not in {"1", "2", "3", "4"}:
            qualifications_file.problem(line, "niveau", f"'{level}' is geen mbo-niveau (1 tot 4)")
        dossier = row["dossier_code"]
        if dossier and not _CREBO.match(dossier):
            qualifications_file.problem(line, "dossier_code", f"'{dossier}' is geen dossiercode")
        elif dossier and dossiers and dossiers.get(dossier) != row["dossier_naam"]:
            qualifications_file.problem(
                line, "dossier_code", f"dossier {dossier} staat niet (zo) in {DOSSIERS_FILE}"
            )
        if len(row["leerweg"]) > _field_max(Qualification, "learning_paths"):
            qualifications_file.problem(line, "leerweg", "is te lang")
        if code and code in qualifications:
            qualifications_file.problem(line, "code", f"{code} komt twee keer voor")
            continue
        if code and name and level in {"1", "2", "3", "4"}:
            qualifications[code] = {
                "name": name,
                "level": int(level),
                "learning_paths": row["leerweg"],
                "dossier_code": dossier,
                "dossier_name": row["dossier_naam"],
                "sector_chamber": row["sectorkamer_naam"][
                    : _field_max(Qualification, "sector_chamber")
                ],
            }

    occupations_file = _CsvFile(
        directory,
        OCCUPATIONS_FILE,
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "description",
            "code",
        ],
        problems,
    )
    occupations: dict[str, dict[str, Any]] = {}
    for line, row in occupations_file.rows():
        if row["conceptType"] != "Occupation":
            occupations_file.problem(line, "conceptType", f"'{row['conceptType']}' is geen beroep")
            continue
        uri = occupations_file.check(
            line, row, "conceptUri", _ESCO_URI, "http://data.europa.eu/esco/occupation/<uuid>"
        )
        label = occupations_file.text(line, row, "preferredLabel", _field_max(Occupation, "label"))
        isco = row["iscoGroup"]
        if isco and not _ISCO.match(isco):
            occupations_file.problem(line, "iscoGroup", f"'{isco}' is geen ISCO-groep (4 cijfers)")
        if len(row["code"]) > _field_max(Occupation, "code"):
            occupations_file.problem(line, "code", "is te lang")
        if uri and uri in occupations:
            occupations_file.problem(line, "conceptUri", "komt twee keer voor")
            continue
        if uri and label:
            alt = [part.strip() for part in row["altLabels"].splitlines() if part.strip()]
            occupations[uri] = {
                "code": row["code"],
                "isco_group": isco,
                "label": label,
                "alt_labels": "\n".join(alt),
                "description": row["description"],
            }
    if problems:
        raise ReferenceDataError(problems)
    return qualifications, occupations


def _upsert(
    model: type[models.Model],
    key: str,
    rows: dict[str, dict],
    result: CatalogueLoadResult,
    label: str,
) -> None:
    manager: Any = model._default_manager
    existing = {getattr(obj, key): obj for obj in manager.all()}
    to_create, to_update, changed_fields = [], [], set()
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(**{key: code}, **values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            changed_fields.update(changed)
            to_update.append(obj)
        else:
            result.unchanged[label] += 1
    manager.bulk_create(to_create, batch_size=500)
    if to_update:
        manager.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    result.created[label] += len(to_create)
    result.updated[label] += len(to_update)
    result.not_in_file[label] += len(set(existing) - set(rows))


@transaction.atomic
def load_catalogue_reference(directory: Path = DEFAULT_DIRECTORY) -> CatalogueLoadResult:
    """Check the files, then create or update qualifications and occupations in one transaction."""
    qualifications, occupations = parse(directory)
    result = CatalogueLoadResult()
    _upsert(Qualification, "code", qualifications, result, "qualification")
    _upsert(Occupation, "uri", occupations, result, "occupation")
    return result
