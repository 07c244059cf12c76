"""EDU-DEX programme documents (the private training market's catalogue standard).

A file holds one programme document (a JSON object), a JSON list of documents, or a zip with
``.json`` members of either kind. Each document is validated against the EDU-DEX ``program``
JSON Schema (draft 2020-12, ``fixtures/edudex_program.schema.json``) and then mapped onto an
offer; see docs/catalogue.md for the field mapping. A "line" in the error report is the number
of the document in the file (1 = the first).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from leerwerk.catalogue.constants import DurationUnit, Level, OfferKind
from leerwerk.catalogue.importers.base import (
    FileError,
    ParsedRecord,
    RecordChecker,
    RowProblem,
    Source,
)
from leerwerk.catalogue.services import LocationData, OfferData, ProviderData, StartData

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "edudex_program.schema.json"
MAX_PROBLEMS_PER_DOCUMENT = 10

LEVELS = {
    "mbo niveau 1": Level.MBO_1,
    "mbo niveau 2": Level.MBO_2,
    "mbo niveau 3": Level.MBO_3,
    "mbo niveau 4": Level.MBO_4,
    "associate": Level.ASSOCIATE_DEGREE,
    "bachelor": Level.BACHELOR,
    "academic bachelor": Level.BACHELOR,
    "hbo": Level.BACHELOR,
    "master": Level.MASTER,
    "academic master": Level.MASTER,
}
DIPLOMA_DEGREES = {"diploma", "mbo niveau 1", "mbo niveau 2", "mbo niveau 3", "mbo niveau 4"}
CERTIFICATE_DEGREES = {
    "certificate",
    "certificate on request",
    "module certificate",
    "mbo-certificaat",
    "mbo-verklaring",
}
FORMS = {
    "dual": "bbl",
    "full-time": "bol",
    "part-time": "part_time",
    "evening education": "part_time",
    "distance learning": "online",
    "e-learning": "online",
    "virtual classroom": "online",
}
DURATION_UNITS = {
    "hours": DurationUnit.HOURS,
    "days": DurationUnit.DAYS,
    "weeks": DurationUnit.WEEKS,
    "months": DurationUnit.MONTHS,
    "years": DurationUnit.YEARS,
}
COST_TYPES = {
    "tuition fee": "lesgeld",
    "study material": "studiemateriaal",
    "examination": "examen",
    "certificate": "certificaat",
    "registration fee": "inschrijfgeld",
    "excursions": "excursies",
    "lunch": "lunch",
    "dinner": "diner",
    "accommodation": "verblijf",
    "location": "locatie",
    "coaching": "coaching",
}


@cache
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _schema_reason(error: SchemaError) -> str:
    """The jsonschema message in plain Dutch."""
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return _("verplicht veld '%(name)s' ontbreekt") % {"name": missing[0] if missing else "?"}
    if kind == "type":
        return _("heeft het verkeerde type (verwacht %(type)s)") % {"type": value}
    if kind == "enum":
        return _("waarde '%(value)s' is niet toegestaan") % {"value": str(error.instance)[:60]}
    if kind == "maxLength":
        return _("is te lang (hoogstens %(max)s tekens)") % {"max": value}
    if kind == "minLength":
        return _("is te kort of leeg")
    if kind == "pattern":
        return _("heeft niet de juiste vorm")
    if kind == "format":
        return _("is geen geldige %(format)s") % {
            "format": {"date": "datum", "date-time": "datum en tijd"}.get(value, value)
        }
    if kind == "additionalProperties":
        return _("bevat een onbekend veld")
    if kind in {"minItems", "minProperties"}:
        return _("mag niet leeg zijn")
    if kind in {"oneOf", "anyOf"}:
        return _("past bij geen van de toegestane vormen")
    if kind in {"minimum", "maximum"}:
        return _("ligt buiten de toegestane grenzen")
    return _("voldoet niet aan de EDU-DEX-standaard (%(rule)s)") % {"rule": kind}


def _path(error: SchemaError) -> str:
    return ".".join(str(part) for part in error.absolute_path) or _("(document)")


def _localized(value: Any, *, prefer: str = "nl") -> str:
    if not isinstance(value, dict) or not value:
        return ""
    if prefer in value:
        return str(value[prefer])
    return str(next(iter(value.values())))


class EdudexSource(Source):
    def _documents(self) -> list[Any]:
        self.check_size()
        try:
            if zipfile.is_zipfile(self.path):
                documents: list[Any] = []
                with zipfile.ZipFile(self.path) as archive:
                    for member in sorted(archive.namelist()):
                        if member.lower().endswith(".json"):
                            documents.extend(_as_list(self._parse(archive.read(member), member)))
                return documents
            return _as_list(self._parse(self.path.read_bytes(), self.path.name))
        except zipfile.BadZipFile as exc:
            raise FileError(_("Het zip-bestand is beschadigd.")) from exc

    @staticmethod
    def _parse(raw: bytes, name: str) -> Any:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileError(
                _("%(name)s is geen UTF-8-tekst. EDU-DEX-bestanden zijn altijd UTF-8.")
                % {"name": name}
            ) from exc
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileError(
                _("%(name)s is geen geldige JSON (regel %(line)s, kolom %(column)s): %(error)s")
                % {"name": name, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ) from exc

    def count(self) -> int:
        documents = self._documents()
        if not documents:
            raise FileError(_("Het bestand bevat geen opleidingen."))
        return len(documents)

    def records(self) -> Iterator[ParsedRecord]:
        for number, document in enumerate(self._documents(), start=1):
            yield self._record(number, document)

    def _record(self, line: int, document: Any) -> ParsedRecord:
        if not isinstance(document, dict):
            return ParsedRecord(
                line=line, problems=[RowProblem("", _("is geen EDU-DEX-document (geen object)"))]
            )
        classification = document.get("programClassification") or {}
        source_id = ""
        if isinstance(classification, dict):
            source_id = (
                f"{classification.get('orgUnitId', '')}:{classification.get('programId', '')}"
            )
            source_id = source_id if len(source_id) <= 120 and source_id != ":" else ""
        errors = sorted(validator().iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            problems = [RowProblem(_path(e), _schema_reason(e)) for e in errors]
            if len(problems) > MAX_PROBLEMS_PER_DOCUMENT:
                more = len(problems) - MAX_PROBLEMS_PER_DOCUMENT
                problems = problems[:MAX_PROBLEMS_PER_DOCUMENT]
                problems.append(RowProblem("", _("en nog %(count)s fouten") % {"count": more}))
            return ParsedRecord(line=line, source_id=source_id, problems=problems)
        return self._map(line, source_id, document)

    def _map(self, line: int, source_id: str, doc: dict[str, Any]) -> ParsedRecord:
        check = RecordChecker()
        cls = doc["programClassification"]
        desc = doc["programDescriptions"]
        admission = doc["programAdmission"]
        schedule = doc.get("programSchedule") or {}
        curriculum = doc.get("programCurriculum") or {}
        free = doc.get("programFree") if isinstance(doc.get("programFree"), dict) else {}

        if not source_id:
            check.problem(
                "programClassification.programId", _("orgUnitId en programId zijn samen te lang")
            )
        title = check.model_text(
            "programDescriptions.programName",
            _localized(desc["programName"]),
            "title",
            required=True,
        )
        description = check.long_text(
            "programDescriptions.programDescriptionText", _localized(desc["programDescriptionText"])
        ) or check.long_text(
            "programDescriptions.programSummaryText", _localized(desc["programSummaryText"])
        )
        org_unit = cls["orgUnitId"]
        provider_name = check.text(
            "programFree.providerName",
            (free or {}).get("providerName") or org_unit,
            max_length=250,
            required=True,
        )
        level = LEVELS.get(cls["programLevel"], Level.NONE)
        degree = cls["degree"]
        if degree in DIPLOMA_DEGREES or re.match(r"^(B|M|Ad)\b", degree):
            kind = OfferKind.DIPLOMA
        elif degree in CERTIFICATE_DEGREES:
            kind = OfferKind.CERTIFICATE
        else:
            kind = OfferKind.COURSE
        paths = {FORMS[form] for form in cls["programForm"] if form in FORMS}
        if cls.get("fullyOnline"):
            paths.add("online")
        if admission.get("applicationType") == "group":
            paths.add("in_company")
        duration = cls["programDuration"]
        unit_key = next(iter(duration)) if isinstance(duration, dict) and duration else ""
        unit = DURATION_UNITS.get(unit_key, "")
        amount = int(duration[unit_key]) if unit else None

        runs = [run for run in schedule.get("programRun", []) if run.get("status") != "canceled"]
        locations: list[LocationData] = []
        location_keys: dict[Any, int] = {}
        starts = []
        for run in runs:
            index = None
            place = run.get("location")
            if place:
                key = place.get("id") or (place.get("address"), place.get("city"))
                if key not in location_keys:
                    location_keys[key] = len(locations)
                    locations.append(self._location(check, place))
                index = location_keys[key]
            day = check.date("programSchedule.programRun.startDate", run["startDate"]["date"])
            if day:
                starts.append(StartData(starts_on=day, location_index=index))
        if not locations:
            generic = (schedule.get("genericProgramRun") or {}).get("location")
            if generic:
                locations.append(self._location(check, generic))
            else:
                for place in cls["programLocation"]:
                    city = check.text(
                        "programClassification.programLocation",
                        place["description"],
                        max_length=120,
                    )
                    if city and city.lower() not in {"online", "nvt", "n.v.t."}:
                        locations.append(LocationData(city=city))
        costs = (schedule.get("genericProgramRun") or {}).get("cost") or (
            runs[0].get("cost", []) if runs else []
        )
        required_costs = [cost for cost in costs if cost.get("isRequiredCost")]
        cost_amount, vat_included, cost_includes = None, True, ""
        if required_costs:
            with_vat = all("amountVAT" in cost for cost in required_costs)
            cost_amount = sum(
                (
                    Decimal(cost["amountVAT"] if with_vat else cost["amount"])
                    for cost in required_costs
                ),
                Decimal("0"),
            )
            vat_included = with_vat or all(
                cost.get("VATCode") in (None, 3, 4, 5) for cost in required_costs
            )
            if cost_amount < 0:
                check.problem("programSchedule.cost", _("de kosten kunnen niet negatief zijn"))
                cost_amount = None
            cost_includes = ", ".join(
                dict.fromkeys(
                    COST_TYPES.get(cost["costType"], cost["costType"]) for cost in required_costs
                )
            )
        languages = sorted(
            curriculum.get("instructionLanguage", []),
            key=lambda lang: -float(lang.get("percentage", 0)),
        )
        study_load = (curriculum.get("studyLoad") or {}).get("program")
        crebo = cls.get("creboCode", "")
        url = check.url("programDescriptions.webLink", _localized(desc.get("webLink")))
        updated_at = check.datetime("lastEdited", doc["lastEdited"])
        if not check.ok:
            return ParsedRecord(line=line, source_id=source_id, problems=check.problems)
        return ParsedRecord(
            line=line,
            source_id=source_id,
            data=OfferData(
                source_id=source_id,
                title=title,
                provider=ProviderData(
                    source_key=f"edudex:{org_unit}"[:120],
                    name=provider_name,
                    website=(free or {}).get("providerWebsite", "")
                    if isinstance((free or {}).get("providerWebsite"), str)
                    else "",
                ),
                kind=kind,
                description=description,
                level=level,
                learning_paths=frozenset(paths),
                flexible_start=admission["startDateDetermination"] != "fixed starting date",
                starts=starts,
                locations=locations,
                duration_amount=amount,
                duration_unit=unit,
                study_hours=int(study_load) if isinstance(study_load, int | float) else None,
                cost_amount=cost_amount,
                cost_includes=cost_includes,
                cost_vat_included=vat_included,
                language=languages[0]["languageCode"] if languages else "nl",
                crebo_code=crebo if re.fullmatch(r"\d{5}", crebo or "") else "",
                url=url,
                source_updated_at=updated_at,
            ),
        )

    @staticmethod
    def _location(check: RecordChecker, place: dict[str, Any]) -> LocationData:
        label = "programSchedule.programRun.location"
        return LocationData(
            name=check.text(label, _localized(place.get("locationName")), max_length=200),
            address=check.text(label, place.get("address", ""), max_length=250),
            postcode=check.postcode(label, place.get("zipcode", "")),
            city=check.text(label, place.get("city", ""), max_length=120),
        )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
