"""A synthetic but realistic Dutch training catalogue in the CSV upload format.

Used by ``leerwerk generate_catalogue`` (benchmarks) and the demo data. Deterministic for a
seed; rows are written one at a time, so any size fits in constant memory. Locations are real
postcode areas and municipalities from the network's reference file (no database needed).
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TextIO

from leerwerk.catalogue.importers.csv_import import COLUMNS
from leerwerk.network.reference import DEFAULT_DIRECTORY as NETWORK_REFERENCE
from leerwerk.network.reference import POSTCODES_FILE

# (title, level, kind, sector, crebo or "", typical duration (amount, unit))
PROGRAMMES: list[tuple[str, str, str, str, str, tuple[int, str]]] = [
    ("Verpleegkundige", "mbo 4", "diploma", "Zorg en welzijn", "25655", (4, "jaar")),
    ("Verzorgende-IG", "mbo 3", "diploma", "Zorg en welzijn", "25491", (3, "jaar")),
    ("Helpende zorg en welzijn", "mbo 2", "diploma", "Zorg en welzijn", "25498", (2, "jaar")),
    ("Maatschappelijke zorg", "mbo 3", "diploma", "Zorg en welzijn", "", (3, "jaar")),
    ("Pedagogisch medewerker kinderopvang", "mbo 3", "diploma", "Onderwijs", "", (3, "jaar")),
    ("Onderwijsassistent", "mbo 4", "diploma", "Onderwijs", "", (3, "jaar")),
    ("Logistiek medewerker", "mbo 2", "diploma", "Vervoer en logistiek", "", (1, "jaar")),
    ("Chauffeur goederenvervoer", "mbo 2", "diploma", "Vervoer en logistiek", "", (2, "jaar")),
    ("Heftruckcertificaat", "geen", "certificaat", "Vervoer en logistiek", "", (2, "dagen")),
    ("Reachtruck bedienen", "geen", "certificaat", "Vervoer en logistiek", "", (1, "dagen")),
    ("Software developer", "mbo 4", "diploma", "Informatie en communicatie", "25998", (3, "jaar")),
    ("Medewerker ICT-support", "mbo 3", "diploma", "Informatie en communicatie", "", (2, "jaar")),
    ("Programmeren in Python", "geen", "cursus", "Informatie en communicatie", "", (8, "weken")),
    ("Excel voor gevorderden", "geen", "cursus", "Zakelijke dienstverlening", "", (3, "dagen")),
    ("Allround timmerman", "mbo 3", "diploma", "Bouw", "", (3, "jaar")),
    ("Metselaar", "mbo 2", "diploma", "Bouw", "", (2, "jaar")),
    ("Eerste monteur elektrotechnische installaties", "mbo 3", "diploma", "Bouw", "", (3, "jaar")),
    ("Installatiemonteur warmtepompen", "geen", "cursus", "Energie en water", "", (5, "dagen")),
    ("Zonnepanelen installeren", "geen", "certificaat", "Energie en water", "", (4, "dagen")),
    ("VCA Basis", "geen", "certificaat", "Bouw", "", (1, "dagen")),
    ("Kok", "mbo 2", "diploma", "Horeca", "", (2, "jaar")),
    ("Zelfstandig werkend gastheer/gastvrouw", "mbo 3", "diploma", "Horeca", "", (2, "jaar")),
    ("Sociale hygiëne", "geen", "certificaat", "Horeca", "", (2, "dagen")),
    ("Verkoper retail", "mbo 2", "diploma", "Handel", "", (2, "jaar")),
    ("Ondernemer detailhandel", "mbo 4", "diploma", "Handel", "", (3, "jaar")),
    (
        "Boekhouden praktijkdiploma",
        "nlqf 4",
        "diploma",
        "Financiële dienstverlening",
        "",
        (9, "maanden"),
    ),
    (
        "Financieel administratief medewerker",
        "mbo 3",
        "diploma",
        "Financiële dienstverlening",
        "",
        (2, "jaar"),
    ),
    ("Procesoperator", "mbo 3", "diploma", "Industrie", "", (3, "jaar")),
    ("Mechatronica", "mbo 4", "diploma", "Industrie", "", (4, "jaar")),
    ("Lassen MIG/MAG", "geen", "cursus", "Industrie", "", (6, "weken")),
    ("Hovenier", "mbo 2", "diploma", "Landbouw, bosbouw en visserij", "", (2, "jaar")),
    ("Toegepaste psychologie", "bachelor", "diploma", "Zorg en welzijn", "", (4, "jaar")),
    ("HBO-Verpleegkunde", "bachelor", "diploma", "Zorg en welzijn", "", (4, "jaar")),
    (
        "Associate degree Management in de zorg",
        "associate degree",
        "diploma",
        "Zorg en welzijn",
        "",
        (2, "jaar"),
    ),
    ("Master Leren en innoveren", "master", "diploma", "Onderwijs", "", (2, "jaar")),
    ("Nederlands op de werkvloer (NT2)", "geen", "cursus", "Overige", "", (12, "weken")),
    ("Digitale vaardigheden voor werkzoekenden", "geen", "cursus", "Overige", "", (6, "weken")),
    ("Beveiliger 2", "mbo 2", "diploma", "Zakelijke dienstverlening", "", (1, "jaar")),
    (
        "Klantcontact medewerker",
        "mbo 2",
        "certificaat",
        "Zakelijke dienstverlening",
        "",
        (6, "maanden"),
    ),
    (
        "Projectmanagement Prince2 Foundation",
        "geen",
        "certificaat",
        "Zakelijke dienstverlening",
        "",
        (3, "dagen"),
    ),
]
VARIANTS = ["", " (BBL)", " voor zij-instromers", " in deeltijd", " – verkort traject", " (avond)"]
PROVIDER_KINDS = ["ROC {city}", "{city} College", "Opleidingscentrum {city}", "Vakschool {city}"]
PRIVATE_PROVIDERS = [
    "LOI Vakopleidingen",
    "NCOI Opleidingen",
    "Vakwerk Academie",
    "Techniek Instituut Nederland",
    "Zorgacademie Midden",
    "Logistiek Leerbedrijf",
    "De Leerwerkplaats",
    "Bouw & Infra Opleidingen",
]
STREETS = ["Stationsplein", "Schoolstraat", "Industrieweg", "Markt", "Kerkstraat", "Lange Laan"]
DESCRIPTION = (
    "In deze opleiding leer je het vak {title_lower} in de praktijk. Je werkt aan echte "
    "opdrachten en krijgt begeleiding van ervaren docenten. {extra}"
)
EXTRAS = [
    "Je loopt stage bij een erkend leerbedrijf.",
    "Je werkt en leert tegelijk: vier dagen werken, één dag school.",
    "De lessen zijn 's avonds, zodat je ernaast kunt werken.",
    "Na afloop krijg je een erkend certificaat.",
    "Geschikt voor mensen die willen overstappen naar een ander beroep.",
]


@cache
def postcode_areas() -> list[tuple[str, str]]:
    """(PC4, municipality name) for every postcode area with a municipality."""
    with (NETWORK_REFERENCE / POSTCODES_FILE).open(encoding="utf-8") as handle:
        return [
            (row["postcode"], row["gemeentenaam"])
            for row in csv.DictReader(handle)
            if not row["gemeentecode"].startswith("99")
        ]


def synthetic_rows(
    count: int, *, seed: int = 1, today: datetime.date | None = None
) -> Iterator[list[str]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = today or datetime.date(2026, 1, 1)
    areas = postcode_areas()
    for number in range(1, count + 1):
        title, level, kind, sector, crebo, (amount, unit) = rng.choice(PROGRAMMES)
        title = title + rng.choice(VARIANTS)
        pc4, city = rng.choice(areas)
        if rng.random() < 0.3:
            provider = rng.choice(PRIVATE_PROVIDERS)
        else:
            provider = rng.choice(PROVIDER_KINDS).format(city=city)
        online = rng.random() < 0.15
        paths = ["online"] if online else []
        if kind == "diploma" and level.startswith("mbo"):
            paths += rng.sample(["bol", "bbl"], k=rng.randint(1, 2))
        elif rng.random() < 0.4:
            paths.append("deeltijd")
        flexible = rng.random() < 0.2
        starts = sorted(
            {
                (today + datetime.timedelta(days=rng.randint(-60, 400))).isoformat()
                for _i in range(rng.randint(0 if flexible else 1, 3))
            }
        )
        cost = "" if rng.random() < 0.1 else f"{rng.randint(2, 900) * 10},00"
        yield [
            f"SYN-{number:07d}",
            title,
            provider,
            "",
            "",
            DESCRIPTION.format(title_lower=title.lower(), extra=rng.choice(EXTRAS)),
            level,
            kind,
            "|".join(paths),
            "|".join(starts),
            "ja" if flexible else "nee",
            str(amount),
            unit,
            "",
            cost,
            "Lesgeld en lesmateriaal" if cost else "",
            "ja",
            "nl",
            crebo,
            sector,
            "",
            "" if online else f"Locatie {city}",
            "" if online else f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
            "" if online else pc4,
            "" if online else city,
            "",
            "",
        ]


def write_csv(handle: TextIO, count: int, *, seed: int = 1) -> None:
    writer = csv.writer(handle, delimiter=";", lineterminator="\n")
    writer.writerow([column for column, _meaning in COLUMNS])
    for row in synthetic_rows(count, seed=seed):
        writer.writerow(row)


def write_file(path: Path, count: int, *, seed: int = 1) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, count, seed=seed)
