"""RIO "aangeboden opleidingen" (Register Instellingen en Opleidingen, DUO).

RIO publishes what each education provider offers as *aangeboden opleidingen* that point to an
*onderwijsaanbieder* (by ``onderwijsaanbiedercode``), an *opleidingseenheid* (by its code; for
mbo the qualification with its crebo code) and *onderwijslocaties* (by
``onderwijslocatiecode``), with *cohorten* for start moments. We read a JSON delivery that keeps
RIO's element names and its relational shape::

    {
      "onderwijsaanbieders": [{"onderwijsaanbiedercode": "...", "naam": "...", ...}],
      "onderwijslocaties": [{"onderwijslocatiecode": "...", "adres": {...}}],
      "aangebodenOpleidingen": [{"aangebodenOpleidingCode": "...", ...}]
    }

docs/catalogue.md lists every field and how it maps onto an offer. RIO does not offer this as a
public download file, so the samples under tests/files are hand-made and marked as samples.
A "line" in the error report is the number of the aangeboden opleiding in the list.
"""

from __future__ import annotations

import json
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

LEVELS = {
    "MBO_1": Level.MBO_1,
    "MBO_ENTREE": Level.MBO_1,
    "MBO_2": Level.MBO_2,
    "MBO_3": Level.MBO_3,
    "MBO_4": Level.MBO_4,
    "HBO_AD": Level.ASSOCIATE_DEGREE,
    "HO_AD": Level.ASSOCIATE_DEGREE,
    "HBO_BA": Level.BACHELOR,
    "WO_BA": Level.BACHELOR,
    "HBO_MA": Level.MASTER,
    "WO_MA": Level.MASTER,
}
# RIO "vorm" (voltijd/deeltijd/duaal) and, for mbo, "leerweg" (BOL/BBL).
FORMS = {"VOLTIJD": "bol", "DEELTIJD": "part_time", "DUAAL": "bbl"}
LEARNING_PATHS = {"BOL": "bol", "BBL": "bbl"}
DURATION_UNITS = {
    "U": DurationUnit.HOURS,
    "D": DurationUnit.DAYS,
    "W": DurationUnit.WEEKS,
    "M": DurationUnit.MONTHS,
    "J": DurationUnit.YEARS,
}
# ISO 639-2 (RIO's "voertaal") to the two-letter codes the catalogue uses.
LANGUAGES = {"NLD": "nl", "ENG": "en", "DEU": "de", "FRY": "fy", "FRA": "fr"}
CANCELLED_COHORTS = {"GEANNULEERD", "GESLOTEN"}


def _text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


class RioSource(Source):
    def _load(self) -> dict[str, Any]:
        self.check_size()
        raw = self.path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileError(_("Het bestand is geen UTF-8-tekst.")) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileError(
                _("Het bestand is geen geldige JSON (regel %(line)s, kolom %(column)s): %(error)s")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ) from exc
        if isinstance(data, list):
            data = {"aangebodenOpleidingen": data}
        if not isinstance(data, dict) or not isinstance(data.get("aangebodenOpleidingen"), list):
            raise FileError(
                _("Het bestand mist de lijst 'aangebodenOpleidingen' (aangeboden opleidingen).")
            )
        for key in ("onderwijsaanbieders", "onderwijslocaties"):
            if not isinstance(data.get(key, []), list):
                raise FileError(_("'%(key)s' moet een lijst zijn.") % {"key": key})
        return data

    def count(self) -> int:
        total = len(self._load()["aangebodenOpleidingen"])
        if total == 0:
            raise FileError(_("Het bestand bevat geen aangeboden opleidingen."))
        return total

    def records(self) -> Iterator[ParsedRecord]:
        data = self._load()
        providers = {
            p.get("onderwijsaanbiedercode"): p
            for p in data.get("onderwijsaanbieders", [])
            if isinstance(p, dict)
        }
        locations = {
            loc.get("onderwijslocatiecode"): loc
            for loc in data.get("onderwijslocaties", [])
            if isinstance(loc, dict)
        }
        for number, item in enumerate(data["aangebodenOpleidingen"], start=1):
            if not isinstance(item, dict):
                yield ParsedRecord(
                    line=number, problems=[RowProblem("", _("is geen aangeboden opleiding"))]
                )
                continue
            yield self._record(number, item, providers, locations)

    def _record(
        self,
        line: int,
        item: dict[str, Any],
        providers: dict[Any, dict[str, Any]],
        locations: dict[Any, dict[str, Any]],
    ) -> ParsedRecord:
        check = RecordChecker()
        source_id = check.model_text(
            "aangebodenOpleidingCode",
            item.get("aangebodenOpleidingCode"),
            "source_id",
            required=True,
        )
        title = check.model_text(
            "eigenNaamAangebodenOpleiding",
            item.get("eigenNaamAangebodenOpleiding") or item.get("naamLang"),
            "title",
            required=True,
        )
        description = check.long_text("eigenOmschrijving", item.get("eigenOmschrijving"))

        provider_code = check.text(
            "onderwijsaanbiedercode",
            item.get("onderwijsaanbiedercode"),
            max_length=20,
            required=True,
        )
        provider = providers.get(provider_code)
        if provider_code and provider is None:
            check.problem(
                "onderwijsaanbiedercode",
                _("onderwijsaanbieder %(code)s staat niet in 'onderwijsaanbieders'")
                % {"code": provider_code},
            )
        provider_name = ""
        provider_site = ""
        if provider is not None:
            provider_name = check.text(
                "onderwijsaanbieders.naam", provider.get("naam"), max_length=250, required=True
            )
            provider_site = check.url("onderwijsaanbieders.website", provider.get("website"))

        level_code = _text_of(item.get("niveau")).upper()
        nlqf = None
        if match := re.fullmatch(r"NLQF_([1-8])", level_code):
            level, nlqf = Level.NLQF, int(match.group(1))
        elif level_code in LEVELS:
            level = LEVELS[level_code]
        elif level_code in {"", "ONBEPAALD"}:
            level = Level.NONE
        else:
            check.problem(
                "niveau", _("'%(value)s' is geen bekend niveau") % {"value": level_code[:40]}
            )
            level = Level.NONE

        opleidingseenheid = item.get("opleidingseenheid") or {}
        if not isinstance(opleidingseenheid, dict):
            check.problem("opleidingseenheid", _("moet een object zijn"))
            opleidingseenheid = {}
        crebo = check.crebo("opleidingseenheid.crebocode", opleidingseenheid.get("crebocode"))
        soort = _text_of(opleidingseenheid.get("soort")).upper()
        if soort in {"KWALIFICATIE", "HO_OPLEIDING", "OPLEIDING"} or crebo:
            kind = OfferKind.DIPLOMA
        elif soort in {"KEUZEDEEL", "CERTIFICAAT", "HO_ONDERWIJSPROGRAMMA", "ONDERWIJSPROGRAMMA"}:
            kind = OfferKind.CERTIFICATE
        else:
            kind = OfferKind.COURSE

        paths: set[str] = set()
        vorm = _text_of(item.get("vorm")).upper()
        if vorm:
            if vorm in FORMS:
                paths.add(FORMS[vorm])
            else:
                check.problem("vorm", _("kies VOLTIJD, DEELTIJD of DUAAL"))
        for leerweg in item.get("leerwegen") or ([item["leerweg"]] if item.get("leerweg") else []):
            code = _text_of(leerweg).upper()
            if code in LEARNING_PATHS:
                paths.add(LEARNING_PATHS[code])
            else:
                check.problem(
                    "leerweg", _("'%(value)s' is geen leerweg (BOL of BBL)") % {"value": code[:20]}
                )

        duration = item.get("afwijkendeOpleidingsduur") or item.get("opleidingsduur") or {}
        amount, unit = None, ""
        if duration:
            if not isinstance(duration, dict):
                check.problem("opleidingsduur", _("moet een object zijn"))
            else:
                amount = check.integer(
                    "opleidingsduurOmvang",
                    duration.get("opleidingsduurOmvang"),
                    minimum=1,
                    maximum=100_000,
                )
                unit = DURATION_UNITS.get(
                    _text_of(duration.get("opleidingsduurEenheid")).upper(), ""
                )
                if not unit:
                    check.problem("opleidingsduurEenheid", _("kies U, D, W, M of J"))

        offer_locations: list[LocationData] = []
        location_index: dict[str, int] = {}
        for code in item.get("onderwijslocatiecodes") or (
            [item["onderwijslocatiecode"]] if item.get("onderwijslocatiecode") else []
        ):
            place = locations.get(code)
            if place is None:
                check.problem(
                    "onderwijslocatiecode",
                    _("onderwijslocatie %(code)s staat niet in 'onderwijslocaties'")
                    % {"code": _text_of(code)[:20]},
                )
                continue
            location_index[code] = len(offer_locations)
            offer_locations.append(self._location(check, place))

        starts: list[StartData] = []
        flexible = False
        cost = None
        for cohort in item.get("cohorten") or []:
            if not isinstance(cohort, dict):
                check.problem("cohorten", _("moet een lijst van cohorten zijn"))
                continue
            if _text_of(cohort.get("cohortstatus")).upper() in CANCELLED_COHORTS:
                continue
            if cohort.get("flexibeleInstroom"):
                flexible = True
            moment = (cohort.get("vastInstroommoment") or {}).get("instroommoment") or cohort.get(
                "begindatum"
            )
            day = check.date("cohorten.instroommoment", moment) if moment else None
            if day:
                starts.append(
                    StartData(
                        starts_on=day,
                        location_index=location_index.get(cohort.get("onderwijslocatiecode", "")),
                    )
                )
            for price in cohort.get("prijs") or []:
                if isinstance(price, dict) and _text_of(price.get("soort")).upper() in {
                    "COLLEGEGELD",
                    "LESGELD",
                    "CURSUSGELD",
                    "TOTAAL",
                    "",
                }:
                    amount_value = check.money("cohorten.prijs.bedrag", price.get("bedrag"))
                    if amount_value is not None and cost is None:
                        cost = amount_value
        study_hours = check.integer("studielast", item.get("studielast"), maximum=100_000)
        language = LANGUAGES.get(_text_of(item.get("voertaal")).upper(), "nl")
        url = check.url("website", item.get("website"))
        begin = check.date("begindatum", item.get("begindatum"))
        end = check.date("einddatum", item.get("einddatum"))
        if begin and end and end < begin:
            check.problem("einddatum", _("ligt voor de begindatum"))
        if not check.ok:
            return ParsedRecord(line=line, source_id=source_id, problems=check.problems)
        return ParsedRecord(
            line=line,
            source_id=source_id,
            data=OfferData(
                source_id=source_id,
                title=title,
                provider=ProviderData(
                    source_key=f"rio:{provider_code}",
                    name=provider_name,
                    website=provider_site,
                    brin_code=provider_code[:10],
                ),
                kind=kind,
                description=description,
                level=level,
                nlqf_level=nlqf,
                learning_paths=frozenset(paths),
                flexible_start=flexible,
                starts=starts,
                locations=offer_locations,
                duration_amount=amount,
                duration_unit=unit,
                study_hours=study_hours,
                cost_amount=cost,
                language=language,
                crebo_code=crebo,
                url=url,
            ),
        )

    @staticmethod
    def _location(check: RecordChecker, place: dict[str, Any]) -> LocationData:
        found = place.get("adres")
        address: dict[str, Any] = found if isinstance(found, dict) else {}
        street = " ".join(
            str(part)
            for part in (
                address.get("straatnaam"),
                address.get("huisnummer"),
                address.get("huisnummertoevoeging"),
            )
            if part
        )
        return LocationData(
            name=check.text("onderwijslocaties.naam", place.get("naam"), max_length=200),
            address=check.text("onderwijslocaties.adres", street, max_length=250),
            postcode=check.postcode("onderwijslocaties.adres.postcode", address.get("postcode")),
            city=check.text(
                "onderwijslocaties.adres.plaatsnaam", address.get("plaatsnaam"), max_length=120
            ),
        )
