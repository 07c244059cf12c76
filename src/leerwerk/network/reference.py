"""Loading the reference data (regions, municipalities, central municipalities, postcodes).

The files are read and checked completely before anything is written. Any error names the file,
the line and the field, and nothing is changed. The write is one transaction and idempotent:
rows are created or updated by their code; running it twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from leerwerk.network.models import Municipality, Postcode, Region

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "fixtures" / "reference"

REGIONS_FILE = "arbeidsmarktregios_2024.csv"
MUNICIPALITIES_FILE = "gemeenten_arbeidsmarktregio_2024.csv"
CENTRAL_FILE = "centrumgemeenten_regeling_2013.csv"
POSTCODES_FILE = "pc4_gemeente_duo_postcodecijfers.csv"

_REGION_CODE = re.compile(r"^AM\d{2}$")
_MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")
_PC4 = re.compile(r"^\d{4}$")
_DUO_MUNICIPALITY_CODE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, regel {self.line}" if self.line else self.file
        if self.field:
            where += f", veld '{self.field}'"
        return f"{where}: {self.message}"


class ReferenceDataError(Exception):
    """The reference files are malformed or incomplete. Nothing was changed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    not_in_file: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        parts = []
        for label, name in (
            ("regio's", "region"),
            ("gemeenten", "municipality"),
            ("postcodegebieden", "postcode"),
        ):
            parts.append(
                f"{label}: {self.created[name]} nieuw, {self.updated[name]} bijgewerkt, "
                f"{self.unchanged[name]} ongewijzigd"
                + (f", {self.removed[name]} verwijderd" if self.removed[name] else "")
                + (
                    f", {self.not_in_file[name]} niet meer in het bestand (bewaard)"
                    if self.not_in_file[name]
                    else ""
                )
            )
        return "; ".join(parts)


class _Reader:
    """Reads one CSV file and collects problems instead of stopping at the first one."""

    def __init__(self, directory: Path, name: str, required: list[str], problems: list[Problem]):
        self.name = name
        self.path = directory / name
        self.required = required
        self.problems = problems

    def problem(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, field_name, message))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        if not self.path.exists():
            self.problem(0, "", "bestand ontbreekt")
            return
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            line = self.path.read_bytes()[: exc.start].count(b"\n") + 1
            self.problem(line, "", "het bestand is geen geldige UTF-8-tekst")
            return
        reader = csv.DictReader(text.splitlines())
        header = reader.fieldnames or []
        missing = [column for column in self.required if column not in header]
        if missing:
            for column in missing:
                self.problem(1, column, "kolom ontbreekt in de kopregel")
            return
        count = 0
        for row in reader:
            line = reader.line_num
            if None in row or any(row.get(column) is None for column in self.required):
                self.problem(line, "", f"verwacht {len(header)} velden, gevonden een ander aantal")
                continue
            count += 1
            yield line, {key: (value or "").strip() for key, value in row.items() if key}
        if count == 0:
            self.problem(0, "", "bestand bevat geen gegevens")

    def integer(self, line: int, row: dict[str, str], column: str) -> int | None:
        value = row[column]
        if not value.isdigit():
            self.problem(line, column, f"'{value}' is geen geheel getal")
            return None
        return int(value)

    def matches(
        self, line: int, row: dict[str, str], column: str, pattern: re.Pattern[str], example: str
    ) -> str | None:
        value = row[column]
        if not pattern.match(value):
            self.problem(
                line, column, f"'{value}' is geen geldige code (verwacht bijvoorbeeld {example})"
            )
            return None
        return value

    def required_text(self, line: int, row: dict[str, str], column: str) -> str | None:
        value = row[column]
        if not value:
            self.problem(line, column, "is leeg")
            return None
        return value


@dataclass
class _Parsed:
    regions: dict[str, dict] = field(default_factory=dict)
    municipalities: dict[str, dict] = field(default_factory=dict)
    central: dict[str, str] = field(default_factory=dict)
    postcodes: dict[str, dict] = field(default_factory=dict)


def parse(directory: Path = DEFAULT_DIRECTORY) -> _Parsed:
    """Read and check all four files. Raises ReferenceDataError listing every problem."""
    problems: list[Problem] = []
    parsed = _Parsed()
    region_lines: dict[str, int] = {}

    regions = _Reader(
        directory,
        REGIONS_FILE,
        [
            "arbeidsmarktregio_code",
            "arbeidsmarktregio_naam",
            "aantal_gemeenten",
            "inwonertal",
            "regio_naam_regeling_2013",
        ],
        problems,
    )
    for line, row in regions.rows():
        code = regions.matches(line, row, "arbeidsmarktregio_code", _REGION_CODE, "AM22")
        name = regions.required_text(line, row, "arbeidsmarktregio_naam")
        count = regions.integer(line, row, "aantal_gemeenten")
        population = regions.integer(line, row, "inwonertal")
        if code and code in parsed.regions:
            regions.problem(
                line,
                "arbeidsmarktregio_code",
                f"{code} komt twee keer voor (ook op regel {region_lines[code]})",
            )
            continue
        if code and name and count is not None and population is not None:
            region_lines[code] = line
            parsed.regions[code] = {
                "name": name,
                "population": population,
                "name_regulation_2013": row["regio_naam_regeling_2013"],
                "_count": count,
            }

    municipalities = _Reader(
        directory,
        MUNICIPALITIES_FILE,
        [
            "gemeentecode",
            "gemeentenaam",
            "arbeidsmarktregio_code",
            "provincie_code",
            "provincie_naam",
            "inwonertal",
        ],
        problems,
    )
    for line, row in municipalities.rows():
        code = municipalities.matches(line, row, "gemeentecode", _MUNICIPALITY_CODE, "GM0363")
        name = municipalities.required_text(line, row, "gemeentenaam")
        region = municipalities.matches(line, row, "arbeidsmarktregio_code", _REGION_CODE, "AM22")
        population = municipalities.integer(line, row, "inwonertal")
        if region and parsed.regions and region not in parsed.regions:
            municipalities.problem(
                line, "arbeidsmarktregio_code", f"regio {region} staat niet in {REGIONS_FILE}"
            )
            region = None
        if code and code in parsed.municipalities:
            municipalities.problem(line, "gemeentecode", f"{code} komt twee keer voor")
            continue
        if code and name and region and population is not None:
            parsed.municipalities[code] = {
                "name": name,
                "region": region,
                "province_code": row["provincie_code"],
                "province_name": row["provincie_naam"],
                "population": population,
            }

    central = _Reader(directory, CENTRAL_FILE, ["am_code", "centrumgemeente_code"], problems)
    for line, row in central.rows():
        region = central.matches(line, row, "am_code", _REGION_CODE, "AM22")
        code = central.matches(line, row, "centrumgemeente_code", _MUNICIPALITY_CODE, "GM0599")
        if not (region and code):
            continue
        if region not in parsed.regions:
            central.problem(line, "am_code", f"regio {region} staat niet in {REGIONS_FILE}")
        elif code not in parsed.municipalities:
            central.problem(
                line, "centrumgemeente_code", f"gemeente {code} staat niet in {MUNICIPALITIES_FILE}"
            )
        elif parsed.municipalities[code]["region"] != region:
            central.problem(
                line, "centrumgemeente_code", f"gemeente {code} ligt niet in regio {region}"
            )
        elif region in parsed.central:
            central.problem(line, "am_code", f"regio {region} heeft al een centrumgemeente")
        else:
            parsed.central[region] = code

    postcodes = _Reader(
        directory, POSTCODES_FILE, ["postcode", "gemeentecode", "gemeentenaam"], problems
    )
    for line, row in postcodes.rows():
        pc4 = postcodes.matches(line, row, "postcode", _PC4, "3511")
        duo = postcodes.matches(line, row, "gemeentecode", _DUO_MUNICIPALITY_CODE, "0344")
        if not (pc4 and duo):
            continue
        if pc4 in parsed.postcodes:
            postcodes.problem(line, "postcode", f"{pc4} komt twee keer voor")
            continue
        if duo.startswith("99"):  # DUO's special codes: abroad, no fixed address
            description = postcodes.required_text(line, row, "gemeentenaam")
            if description:
                parsed.postcodes[pc4] = {"municipality": None, "special_description": description}
            continue
        municipality = f"GM{duo}"
        if parsed.municipalities and municipality not in parsed.municipalities:
            postcodes.problem(
                line, "gemeentecode", f"gemeente {municipality} staat niet in {MUNICIPALITIES_FILE}"
            )
            continue
        parsed.postcodes[pc4] = {"municipality": municipality, "special_description": ""}

    # Completeness across files.
    per_region = Counter(m["region"] for m in parsed.municipalities.values())
    for code, region in parsed.regions.items():
        if per_region[code] != region["_count"]:
            problems.append(
                Problem(
                    MUNICIPALITIES_FILE,
                    0,
                    "arbeidsmarktregio_code",
                    f"regio {code} heeft {per_region[code]} gemeenten, maar {REGIONS_FILE} noemt er "
                    f"{region['_count']} (regel {region_lines[code]}): het bestand is onvolledig",
                )
            )
        if parsed.municipalities and code not in parsed.central:
            problems.append(
                Problem(CENTRAL_FILE, 0, "am_code", f"regio {code} heeft geen centrumgemeente")
            )
    without_postcode = set(parsed.municipalities) - {
        p["municipality"] for p in parsed.postcodes.values() if p["municipality"]
    }
    if parsed.postcodes and without_postcode:
        problems.append(
            Problem(
                POSTCODES_FILE,
                0,
                "gemeentecode",
                f"{len(without_postcode)} gemeente(n) zonder postcodegebied, bijvoorbeeld "
                f"{sorted(without_postcode)[0]}: het bestand is onvolledig",
            )
        )
    if problems:
        raise ReferenceDataError(problems)
    return parsed


def _upsert(
    model, rows: dict[str, dict], result: LoadResult, label: str, key: str = "code"
) -> dict:  # type: ignore[no-untyped-def]
    # Foreign keys arrive as primary keys: compare and set them as "<name>_id" (no queries).
    fk_names = {f.name for f in model._meta.concrete_fields if f.is_relation}
    rows = {
        code: {
            (f"{name}_id" if name in fk_names else name): value for name, value in values.items()
        }
        for code, values in rows.items()
    }
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
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
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    result.created[label] += len(to_create)
    result.updated[label] += len(to_update)
    result.not_in_file[label] += len(set(existing) - set(rows))
    return {getattr(obj, key): obj for obj in model.objects.all()}


@transaction.atomic
def load(directory: Path = DEFAULT_DIRECTORY) -> LoadResult:
    """Check the files, then create or update all reference rows in one transaction."""
    parsed = parse(directory)
    result = LoadResult()
    regions = _upsert(
        Region,
        {
            code: {k: v for k, v in values.items() if not k.startswith("_")}
            for code, values in parsed.regions.items()
        },
        result,
        "region",
    )
    municipalities = _upsert(
        Municipality,
        {
            code: {**values, "region": regions[values["region"]].pk}
            for code, values in parsed.municipalities.items()
        },
        result,
        "municipality",
    )
    for code, region in regions.items():
        wanted = (
            municipalities[parsed.central[code]]
            if code in parsed.central
            else region.central_municipality
        )
        if region.central_municipality_id != (wanted.pk if wanted else None):
            region.central_municipality = wanted
            region.save(update_fields=["central_municipality"])
    _upsert(
        Postcode,
        {
            code: {
                **values,
                "municipality": municipalities[values["municipality"]].pk
                if values["municipality"]
                else None,
            }
            for code, values in parsed.postcodes.items()
        },
        result,
        "postcode",
    )
    stale = Postcode.objects.exclude(code__in=list(parsed.postcodes))
    result.removed["postcode"], _ = stale.delete()
    result.not_in_file["postcode"] = 0
    return result
