"""CSV upload for desks and providers, with a downloadable template.

One offer per row, one location per row. The header row has Dutch column names (order free,
case and spaces ignored); only "id", "titel" and "opleider" are required. The file is UTF-8
(with or without the byte-order mark Excel writes); the delimiter (';' or ',') is detected from
the header row. Lists inside a cell (start dates, learning paths, ESCO occupations) are
separated by '|'.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from leerwerk.catalogue.constants import DurationUnit, Level, OfferKind
from leerwerk.catalogue.importers.base import (
    FileError,
    ParsedRecord,
    RecordChecker,
    RowProblem,
    Source,
)
from leerwerk.catalogue.services import LocationData, OfferData, ProviderData, StartData
from leerwerk.clients.constants import Sector

# (column, meaning) in template order. Keys are what the header must say (normalised).
COLUMNS: list[tuple[str, str]] = [
    ("id", "Uw eigen, vaste code voor de opleiding (verplicht, uniek in het bestand)"),
    ("titel", "Naam van de opleiding (verplicht)"),
    ("opleider", "Naam van de school of het opleidingsbedrijf (verplicht)"),
    ("kvk-nummer opleider", "8 cijfers"),
    ("website opleider", "https://…"),
    ("omschrijving", "Gewone tekst, geen opmaak"),
    ("niveau", "mbo 1, mbo 2, mbo 3, mbo 4, associate degree, bachelor, master, nlqf 1-8 of geen"),
    ("soort", "diploma, certificaat of cursus"),
    ("leerwegen", "bol|bbl|deeltijd|online|in-company"),
    ("startdatums", "2025-09-01|2026-02-01"),
    ("flexibele start", "ja of nee"),
    ("duur", "Een getal"),
    ("eenheid duur", "uur, dagen, weken, maanden of jaar"),
    ("studielast in uren", "Een getal"),
    ("kosten", "Bedrag in euro, bijvoorbeeld 1250,00"),
    ("wat de kosten omvatten", "Bijvoorbeeld: lesgeld, boeken en examen"),
    ("inclusief btw", "ja of nee (leeg is ja)"),
    ("taal", "nl, en, …"),
    ("crebocode", "5 cijfers, alleen bij mbo"),
    ("sector", "Bijvoorbeeld Zorg en welzijn"),
    ("website", "Pagina met meer informatie"),
    ("lesplaats", "Naam van de lesplaats"),
    ("adres", "Straat en huisnummer"),
    ("postcode", "1234 AB"),
    ("plaats", "Plaatsnaam"),
    ("esco-beroepen", "ESCO-codes of -URI's, gescheiden door |"),
    ("laatst gewijzigd", "2025-05-01T10:00:00"),
]
REQUIRED = ["id", "titel", "opleider"]
TEMPLATE_EXAMPLE = [
    "ZW-001",
    "Helpende zorg en welzijn",
    "ROC Voorbeeld",
    "12345678",
    "https://www.voorbeeld.nl",
    "Je leert mensen helpen in de zorg.",
    "mbo 2",
    "diploma",
    "bbl|bol",
    "2026-09-01|2027-02-01",
    "nee",
    "2",
    "jaar",
    "",
    "1250,00",
    "Lesgeld en boeken",
    "ja",
    "nl",
    "25498",
    "Zorg en welzijn",
    "https://www.voorbeeld.nl/helpende",
    "Locatie Centrum",
    "Stationsplein 1",
    "3011 AA",
    "Rotterdam",
    "",
    "",
]

_LEVELS = {
    "mbo 1": Level.MBO_1,
    "mbo 2": Level.MBO_2,
    "mbo 3": Level.MBO_3,
    "mbo 4": Level.MBO_4,
    "entree": Level.MBO_1,
    "associate degree": Level.ASSOCIATE_DEGREE,
    "ad": Level.ASSOCIATE_DEGREE,
    "bachelor": Level.BACHELOR,
    "hbo": Level.BACHELOR,
    "master": Level.MASTER,
    "geen": Level.NONE,
    "": Level.NONE,
}
_KINDS = {
    "diploma": OfferKind.DIPLOMA,
    "certificaat": OfferKind.CERTIFICATE,
    "deelkwalificatie": OfferKind.CERTIFICATE,
    "cursus": OfferKind.COURSE,
    "": OfferKind.COURSE,
}
_PATHS = {
    "bol": "bol",
    "bbl": "bbl",
    "deeltijd": "part_time",
    "online": "online",
    "in-company": "in_company",
    "incompany": "in_company",
}
_UNITS = {
    "uur": DurationUnit.HOURS,
    "uren": DurationUnit.HOURS,
    "dag": DurationUnit.DAYS,
    "dagen": DurationUnit.DAYS,
    "week": DurationUnit.WEEKS,
    "weken": DurationUnit.WEEKS,
    "maand": DurationUnit.MONTHS,
    "maanden": DurationUnit.MONTHS,
    "jaar": DurationUnit.YEARS,
    "jaren": DurationUnit.YEARS,
}
_YES = {"ja", "j", "yes", "1", "waar"}
_NO = {"nee", "n", "no", "0", "onwaar"}


def _key(value: str) -> str:
    return " ".join(value.strip().lower().replace("_", " ").split())


def _sectors() -> dict[str, str]:
    found = {}
    for value, label in Sector.choices:
        found[value] = value
        found[str(label).lower()] = value
    return found


def template_csv() -> str:
    """The template: header row, then one example row (to be replaced)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([column for column, _meaning in COLUMNS])
    writer.writerow(TEMPLATE_EXAMPLE)
    return "\ufeff" + out.getvalue()


class CsvSource(Source):
    """A CSV file with the template's columns."""

    def _open(self) -> io.TextIOWrapper:
        return open(self.path, encoding="utf-8-sig", newline="")  # noqa: SIM115

    def _reader(self, handle: io.TextIOWrapper) -> tuple[Any, list[str]]:
        first = handle.readline()
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        names = [_key(name) for name in header]
        known = {column for column, _meaning in COLUMNS}
        missing = [column for column in REQUIRED if column not in names]
        if missing:
            raise FileError(
                _(
                    "De kopregel mist de kolom(men) %(columns)s. Gebruik het sjabloon: de eerste "
                    "regel noemt de kolommen."
                )
                % {"columns": ", ".join(f"'{c}'" for c in missing)}
            )
        unknown = [name for name in names if name and name not in known]
        if unknown:
            raise FileError(
                _("Onbekende kolom(men) in de kopregel: %(columns)s. Gebruik het sjabloon.")
                % {"columns": ", ".join(f"'{c}'" for c in unknown[:5])}
            )
        duplicates = {name for name in names if name and names.count(name) > 1}
        if duplicates:
            raise FileError(
                _("Kolom(men) %(columns)s staan twee keer in de kopregel.")
                % {"columns": ", ".join(f"'{c}'" for c in sorted(duplicates))}
            )
        return csv.reader(handle, delimiter=delimiter), names

    def _rows(self) -> Iterator[tuple[int, dict[str, str] | int]]:
        """(first line, row) per record; instead of the row the number of cells when that is
        wrong. Empty rows are skipped."""
        line = 1
        with self._open() as handle:
            try:
                reader, names = self._reader(handle)
                for cells in reader:
                    start = line + 1
                    line = reader.line_num + 1  # the reader started after the header line
                    if not any(cell.strip() for cell in cells):
                        continue
                    if len(cells) != len(names):
                        yield start, len(cells)
                        continue
                    yield start, dict(zip(names, cells, strict=True))
            except UnicodeDecodeError as exc:
                raise FileError(
                    _(
                        "Het bestand is geen UTF-8-tekst. Sla het in Excel op als 'CSV UTF-8 "
                        "(met scheidingstekens)' en probeer het opnieuw."
                    )
                ) from exc
            except csv.Error as exc:
                raise FileError(
                    _("Het bestand is geen geldige CSV (rond regel %(line)s): %(error)s")
                    % {"line": line, "error": exc}
                ) from exc

    def count(self) -> int:
        self.check_size()
        total = sum(1 for _row in self._rows())
        if total == 0:
            raise FileError(_("Het bestand bevat geen opleidingen (alleen een kopregel of leeg)."))
        return total

    def records(self) -> Iterator[ParsedRecord]:
        sectors = _sectors()
        expected = None
        for line, row in self._rows():
            if isinstance(row, int):
                expected = expected or self._column_count()
                reason = _("verwacht %(expected)s kolommen, gevonden %(found)s") % {
                    "expected": expected,
                    "found": row,
                }
                yield ParsedRecord(line=line, problems=[RowProblem("", reason)])
                continue
            yield self._record(line, row, sectors)

    def _column_count(self) -> int:
        with self._open() as handle:
            return len(self._reader(handle)[1])

    def _record(self, line: int, row: dict[str, str], sectors: dict[str, str]) -> ParsedRecord:
        check = RecordChecker()
        get = row.get
        source_id = check.model_text("id", get("id"), "source_id", required=True)
        title = check.model_text("titel", get("titel"), "title", required=True)
        provider_name = check.text("opleider", get("opleider"), max_length=250, required=True)
        kvk = "".join((get("kvk-nummer opleider") or "").split())
        if kvk and not re.fullmatch(r"\d{8}", kvk):
            check.problem("kvk-nummer opleider", _("moet 8 cijfers zijn"))
            kvk = ""
        provider_site = check.url("website opleider", get("website opleider"))
        description = check.long_text("omschrijving", get("omschrijving"))

        level_text = _key(get("niveau") or "")
        nlqf = None
        level = _LEVELS.get(level_text)
        if level is None and (match := re.fullmatch(r"nlqf[ -]?([1-8])", level_text)):
            level, nlqf = Level.NLQF, int(match.group(1))
        if level is None and (
            match := re.fullmatch(r"mbo[ -]?niveau[ -]?([1-4])|mbo-([1-4])", level_text)
        ):
            level = Level(f"mbo_{match.group(1) or match.group(2)}")
        if level is None:
            check.problem(
                "niveau", _("'%(value)s' is geen bekend niveau") % {"value": get("niveau")}
            )
            level = Level.NONE

        kind = _KINDS.get(_key(get("soort") or ""))
        if kind is None:
            check.problem("soort", _("kies diploma, certificaat of cursus"))
            kind = OfferKind.COURSE

        paths: set[str] = set()
        for part in _split(get("leerwegen")):
            path = _PATHS.get(_key(part))
            if path is None:
                check.problem(
                    "leerwegen", _("'%(value)s' is geen bekende leerweg") % {"value": part}
                )
            else:
                paths.add(path)

        starts = []
        for part in _split(get("startdatums")):
            day = check.date("startdatums", part)
            if day:
                starts.append(StartData(starts_on=day))
        flexible = self._yes_no(check, "flexibele start", get("flexibele start"), default=False)

        duration = check.integer("duur", get("duur"), minimum=1, maximum=100_000)
        unit_text = _key(get("eenheid duur") or "")
        unit = _UNITS.get(unit_text, "") if unit_text else ""
        if unit_text and not unit:
            check.problem("eenheid duur", _("kies uur, dagen, weken, maanden of jaar"))
        if duration is not None and not unit:
            check.problem("eenheid duur", _("vul de eenheid in bij een duur"))
        hours = check.integer("studielast in uren", get("studielast in uren"), maximum=100_000)
        cost = check.money("kosten", get("kosten"))
        cost_includes = check.long_text("wat de kosten omvatten", get("wat de kosten omvatten"))
        vat = self._yes_no(check, "inclusief btw", get("inclusief btw"), default=True)
        language = _key(get("taal") or "") or "nl"
        if not re.fullmatch(r"[a-z]{2,3}", language):
            check.problem("taal", _("gebruik een taalcode zoals nl of en"))
            language = "nl"
        crebo = check.crebo("crebocode", get("crebocode"))
        sector_text = _key(get("sector") or "")
        sector = sectors.get(sector_text, "") if sector_text else ""
        if sector_text and not sector:
            check.problem(
                "sector", _("'%(value)s' is geen bekende sector") % {"value": get("sector")}
            )
        url = check.url("website", get("website"))

        location = LocationData(
            name=check.text("lesplaats", get("lesplaats"), max_length=200),
            address=check.text("adres", get("adres"), max_length=250),
            postcode=check.postcode("postcode", get("postcode")),
            city=check.text("plaats", get("plaats"), max_length=120),
        )
        occupations = []
        for part in _split(get("esco-beroepen")):
            if not self.lookups.has_occupation(part):
                check.problem(
                    "esco-beroepen", _("beroep '%(value)s' is niet bekend") % {"value": part[:80]}
                )
            else:
                occupations.append(part)
        updated_at = check.datetime("laatst gewijzigd", get("laatst gewijzigd"))

        if not check.ok:
            return ParsedRecord(line=line, source_id=source_id, problems=check.problems)
        data = OfferData(
            source_id=source_id,
            title=title,
            provider=ProviderData(
                source_key=f"naam:{provider_name.lower()}"[:120],
                name=provider_name,
                website=provider_site,
                kvk_number=kvk,
            ),
            kind=kind,
            description=description,
            level=level,
            nlqf_level=nlqf,
            learning_paths=frozenset(paths),
            flexible_start=flexible,
            starts=starts,
            locations=[location] if any(vars(location).values()) else [],
            duration_amount=duration,
            duration_unit=unit,
            study_hours=hours,
            cost_amount=cost,
            cost_includes=cost_includes,
            cost_vat_included=vat,
            language=language,
            crebo_code=crebo,
            sector=sector,
            url=url,
            occupation_uris=occupations,
            source_updated_at=updated_at,
        )
        return ParsedRecord(line=line, source_id=source_id, data=data)

    @staticmethod
    def _yes_no(check: RecordChecker, label: str, value: str | None, *, default: bool) -> bool:
        text = _key(value or "")
        if not text:
            return default
        if text in _YES:
            return True
        if text in _NO:
            return False
        check.problem(label, _("vul ja of nee in"))
        return default


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]
