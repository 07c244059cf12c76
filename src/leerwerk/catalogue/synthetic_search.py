"""A large synthetic catalogue for the search benchmark (``leerwerk generate_search_data``).

Titles come from the real reference data: mbo qualification names (crebo) and ESCO occupation
labels (Dutch), from the database when loaded, else from the copies in
``fixtures/reference/``. Providers are obviously fake ("Voorbeeldcollege 12"). Locations are
spread over the municipalities in proportion to their population, at the municipality's centre
or (one in five) a few km from it with their own coordinates; one offer in ten is online only.

Rows are streamed in chunks with COPY on PostgreSQL (batched inserts on SQLite), reusing the
CRM generator's writer, so memory stays flat. The feed "Synthetisch (benchmark)" holds them;
running again adds more offers to it.
"""

from __future__ import annotations

import csv
import datetime
import random
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from leerwerk.catalogue import geo
from leerwerk.catalogue.constants import DurationUnit, Level, OfferKind, SourceKind
from leerwerk.catalogue.models import (
    Feed,
    Occupation,
    Offer,
    OfferLocation,
    OfferStart,
    Provider,
    Qualification,
)
from leerwerk.catalogue.models_search import MunicipalityCentre
from leerwerk.clients.constants import Sector
from leerwerk.guidance.synthetic import _next_id, _Sink
from leerwerk.network.models import Municipality

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "reference"
FEED_NAME = "Synthetisch (benchmark)"
PROVIDER_KINDS = ["Voorbeeldcollege", "Opleidingshuis Test", "Academie Fictief", "Leerbedrijf Demo"]
COURSE_PATTERNS = ["Cursus {}", "Opleiding tot {}", "{} (certificaat)", "Omscholing {}", "{}"]
DESCRIPTIONS = [
    "Je leert het vak in de praktijk en op school. Na afloop kun je aan de slag als {}.",
    "Een korte opleiding voor wie verder wil als {}. Ook geschikt naast je werk.",
    "In deze opleiding leer je alles over het werk van {}. Met stage bij een erkend leerbedrijf.",
    "Voor zij-instromers die {} willen worden. Je krijgt begeleiding van een praktijkopleider.",
]
SECTOR_BY_CHAMBER = {
    "Techniek en gebouwde omgeving": Sector.CONSTRUCTION,
    "Zorg, welzijn en sport": Sector.CARE,
    "Mobiliteit, transport, logistiek en maritiem": Sector.TRANSPORT,
    "Handel": Sector.TRADE,
    "ICT en creatieve industrie": Sector.ICT,
    "Voedsel, groen en gastvrijheid": Sector.HOSPITALITY,
    "Specialistisch vakmanschap": Sector.INDUSTRY,
    "Zakelijke dienstverlening en veiligheid": Sector.BUSINESS_SERVICES,
}


def _titles() -> tuple[list[tuple[str, int, str]], list[str]]:
    """(qualification name, level, sector) and occupation labels."""
    qualifications = [
        (name, level, str(SECTOR_BY_CHAMBER.get(chamber, Sector.OTHER)))
        for name, level, chamber in Qualification.objects.values_list(
            "name", "level", "sector_chamber"
        )
    ]
    if not qualifications:
        with (REFERENCE / "crebo_kwalificaties_25001-27088.csv").open(encoding="utf-8") as handle:
            qualifications = [
                (
                    row["naam"],
                    int(row["niveau"]),
                    str(SECTOR_BY_CHAMBER.get(row["sectorkamer_naam"], Sector.OTHER)),
                )
                for row in csv.DictReader(handle)
            ]
    labels = list(Occupation.objects.values_list("label", flat=True))
    if not labels:
        with (REFERENCE / "esco_v1.2.0_occupations_nl.csv").open(encoding="utf-8") as handle:
            labels = [row["preferredLabel"] for row in csv.DictReader(handle)]
    return qualifications, labels


def generate(
    *,
    offers: int,
    seed: int = 1,
    chunk: int = 20_000,
    report: Callable[[int], None] | None = None,
) -> int:
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    if not MunicipalityCentre.objects.exists():
        geo.load_coordinates()
    qualifications, labels = _titles()
    feed, _ = Feed.objects.get_or_create(kind=SourceKind.EDUDEX, name=FEED_NAME, desk=None)
    providers = _providers(rng, count=max(50, min(3000, offers // 300)))
    centres = list(
        MunicipalityCentre.objects.values_list("municipality_id", "latitude", "longitude")
    )
    population = dict(Municipality.objects.values_list("pk", "population"))
    weights = [max(population.get(m, 1), 1) for m, _, _ in centres]
    today = timezone.localdate()
    now = timezone.now()
    offer_fields = [f.attname for f in Offer._meta.concrete_fields]
    location_fields = [f.attname for f in OfferLocation._meta.concrete_fields]
    start_fields = [f.attname for f in OfferStart._meta.concrete_fields]
    next_offer, next_location, next_start = (
        _next_id(Offer),
        _next_id(OfferLocation),
        _next_id(OfferStart),
    )
    source_base = Offer.objects.filter(feed=feed).count()
    made = 0
    while made < offers:
        size = min(chunk, offers - made)
        rows: dict[str, list[tuple[Any, ...]]] = {"offer": [], "location": [], "start": []}
        for _ in range(size):
            offer_id = next_offer
            next_offer += 1
            provider_id, provider_name = rng.choice(providers)
            if rng.random() < 0.5:
                name, mbo_level, sector = rng.choice(qualifications)
                title, level, kind = name, f"mbo_{mbo_level}", OfferKind.DIPLOMA
                paths = {"is_bol": rng.random() < 0.6, "is_bbl": rng.random() < 0.6}
                occupation = name.lower()
            else:
                occupation = rng.choice(labels)
                title = rng.choice(COURSE_PATTERNS).format(occupation)
                title = title[0].upper() + title[1:]
                level = rng.choice([Level.NONE, Level.NONE, Level.MBO_2, Level.MBO_3, Level.NLQF])
                kind = rng.choice([OfferKind.COURSE, OfferKind.COURSE, OfferKind.CERTIFICATE])
                sector = rng.choice(Sector.values)
                paths = {"is_part_time": rng.random() < 0.5, "is_in_company": rng.random() < 0.2}
            online = rng.random() < 0.1
            description = rng.choice(DESCRIPTIONS).format(occupation)
            flexible = rng.random() < 0.2
            starts = sorted(
                {
                    today + datetime.timedelta(days=rng.randint(-60, 400))
                    for _ in range(rng.randint(0, 3))
                }
            )
            upcoming = [day for day in starts if day >= today]
            unit = rng.choice(
                [DurationUnit.WEEKS, DurationUnit.MONTHS, DurationUnit.YEARS, DurationUnit.DAYS]
            )
            amount = {
                "days": rng.randint(1, 10),
                "weeks": rng.randint(1, 20),
                "months": rng.randint(1, 18),
                "years": rng.randint(1, 4),
            }[unit]
            per_unit = {"days": 1, "weeks": 7, "months": 30, "years": 365}[unit]
            values: dict[str, Any] = {
                "id": offer_id,
                "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "feed_id": feed.pk,
                "source_id": f"synthetisch-{source_base + made + len(rows['offer']) + 1}",
                "source_updated_at": None,
                "provider_id": provider_id,
                "title": title[:250],
                "description": description,
                "level": level,
                "nlqf_level": rng.randint(2, 6) if level == Level.NLQF else None,
                "kind": kind,
                "is_bol": False,
                "is_bbl": False,
                "is_part_time": False,
                "is_online": online,
                "is_in_company": False,
                "flexible_start": flexible,
                "next_start_on": upcoming[0] if upcoming else None,
                "duration_amount": amount,
                "duration_unit": unit,
                "duration_days": amount * per_unit,
                "study_hours": None,
                "cost_amount": Decimal(rng.choice([0, 95, 250, 450, 995, 1250, 2400, 4800, 8000])),
                "cost_includes": "",
                "cost_vat_included": True,
                "language": "nl",
                "crebo_code": "",
                "qualification_id": None,
                "sector": sector,
                "url": "",
                "search_text": f"{title}\n{provider_name}\n{description}",
                "is_active": rng.random() < 0.97,
                "deactivated_at": None,
                **paths,
            }
            rows["offer"].append(tuple(values.get(name) for name in offer_fields))
            location_ids = []
            if not online or rng.random() < 0.3:
                for _ in range(1 if rng.random() < 0.8 else 2):
                    municipality_id, lat, lon = rng.choices(centres, weights)[0]
                    own = rng.random() < 0.2
                    location = {
                        "id": next_location,
                        "offer_id": offer_id,
                        "name": "",
                        "address": "",
                        "postcode": "",
                        "city": "",
                        "municipality_id": municipality_id,
                        "latitude": (lat + Decimal(f"{rng.uniform(-0.04, 0.04):.5f}"))
                        if own
                        else None,
                        "longitude": (lon + Decimal(f"{rng.uniform(-0.06, 0.06):.5f}"))
                        if own
                        else None,
                    }
                    location_ids.append(next_location)
                    next_location += 1
                    rows["location"].append(tuple(location.get(name) for name in location_fields))
            for day in starts:
                start = {
                    "id": next_start,
                    "offer_id": offer_id,
                    "starts_on": day,
                    "location_id": location_ids[0] if location_ids else None,
                }
                next_start += 1
                rows["start"].append(tuple(start.get(name) for name in start_fields))
        with transaction.atomic():
            for key, model in (
                ("offer", Offer),
                ("location", OfferLocation),
                ("start", OfferStart),
            ):
                sink = _Sink(model)
                for row in rows[key]:
                    sink.write(row)
                sink.close()
        made += size
        if report:
            report(made)
    _finish()
    return made


def _providers(rng: random.Random, *, count: int) -> list[tuple[int, str]]:
    existing = list(
        Provider.objects.filter(source_key__startswith="synthetisch:").values_list("pk", "name")
    )
    if len(existing) >= count:
        return existing
    new = [
        Provider(
            name=f"{rng.choice(PROVIDER_KINDS)} {number}",
            source_key=f"synthetisch:{number}",
        )
        for number in range(len(existing) + 1, count + 1)
    ]
    Provider.objects.bulk_create(new, batch_size=1000)
    return list(
        Provider.objects.filter(source_key__startswith="synthetisch:").values_list("pk", "name")
    )


def _finish() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Offer, OfferLocation, OfferStart):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))"  # noqa: S608
            )
            cursor.execute(f'ANALYZE "{table}"')
        # The providers too: with no statistics PostgreSQL takes the table for small and reads
        # all of it for the 20 offers of a result page (a hash join, ~1 ms), where
        # autovacuum is off or has not come round yet.
        cursor.execute(f'ANALYZE "{Provider._meta.db_table}"')
