"""Coordinates for distance search: municipality centres (GeoNames, CC BY 4.0; see
fixtures/reference/coordinates/SOURCE.md), the searcher's starting point and the great-circle
distance, in Python and as a database expression (the same formula on both databases).

A place is found by PC4 postcode (its municipality's centre) or by municipality; an offer
location uses its own latitude/longitude when it has them, else its municipality's centre.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, FloatField, Q, Value
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import ASin, Cast, Coalesce, Cos, Least, Power, Radians, Sin, Sqrt

from leerwerk.catalogue.models_search import MunicipalityCentre
from leerwerk.network.models import Municipality, Postcode

CENTRES_FILE = (
    Path(__file__).resolve().parent
    / "fixtures"
    / "reference"
    / "coordinates"
    / "municipality_centres.csv"
)
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.2
_PC4 = re.compile(r"^\s*(\d{4})\s*(?:[A-Za-z]{2})?\s*$")


class CoordinatesError(Exception):
    """The coordinates file is malformed; nothing was changed."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Origin:
    """Where a distance search starts, and how it was given (shown in the results)."""

    point: Point
    label: str
    municipality_id: int


def load_coordinates(path: Path = CENTRES_FILE) -> dict[str, int]:
    """Load the municipality centres idempotently: validate the whole file first (file, line
    and field in every error), then create/update/delete in one transaction. Returns counts."""
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    rows: dict[int, tuple[Decimal, Decimal, int]] = {}
    problems: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for line, row in enumerate(reader, start=2):
            code = (row.get("gemeentecode") or "").strip()
            if code not in municipalities:
                problems.append(f"{path.name}, regel {line}, veld 'gemeentecode': onbekend")
                continue
            try:
                lat = Decimal(row["latitude"]).quantize(Decimal("0.00001"))
                lon = Decimal(row["longitude"]).quantize(Decimal("0.00001"))
                places = int(row.get("places") or 0)
            except (InvalidOperation, ValueError, TypeError, KeyError):
                problems.append(f"{path.name}, regel {line}: geen geldige coördinaten")
                continue
            if not (50 <= lat <= 54 and 3 <= lon <= 8):
                problems.append(f"{path.name}, regel {line}: ligt niet in Nederland")
                continue
            rows[municipalities[code]] = (lat, lon, places)
    if problems:
        raise CoordinatesError("\n".join(problems))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    with transaction.atomic():
        existing = {c.municipality_id: c for c in MunicipalityCentre.objects.all()}
        new, changed = [], []
        for municipality_id, (lat, lon, places) in rows.items():
            centre = existing.get(municipality_id)
            if centre is None:
                new.append(
                    MunicipalityCentre(
                        municipality_id=municipality_id, latitude=lat, longitude=lon, places=places
                    )
                )
            elif (centre.latitude, centre.longitude, centre.places) != (lat, lon, places):
                centre.latitude, centre.longitude, centre.places = lat, lon, places
                changed.append(centre)
            else:
                counts["unchanged"] += 1
        MunicipalityCentre.objects.bulk_create(new)
        MunicipalityCentre.objects.bulk_update(changed, ["latitude", "longitude", "places"])
        gone = set(existing) - set(rows)
        MunicipalityCentre.objects.filter(municipality_id__in=gone).delete()
        counts.update(created=len(new), updated=len(changed), deleted=len(gone))
    return counts


def pc4_of(value: str) -> str | None:
    """The 4 digits of a postcode ("3011", "3011 AB", "3011ab"), None when it is not one."""
    match = _PC4.match(value or "")
    return match.group(1) if match else None


def origin_for_postcode(value: str) -> Origin | None:
    pc4 = pc4_of(value)
    if pc4 is None:
        return None
    found = (
        Postcode.objects.filter(code=pc4, municipality__catalogue_centre__isnull=False)
        .values_list(
            "municipality_id",
            "municipality__name",
            "municipality__catalogue_centre__latitude",
            "municipality__catalogue_centre__longitude",
        )
        .first()
    )
    if found is None:
        return None
    municipality_id, name, lat, lon = found
    return Origin(Point(float(lat), float(lon)), f"{pc4} ({name})", municipality_id)


def origin_for_municipality(value: str) -> Origin | None:
    """By CBS code (GM0599) or name, case-insensitive ("rotterdam")."""
    value = (value or "").strip()
    if not value:
        return None
    query = Q(code__iexact=value) | Q(name__iexact=value)
    found = (
        Municipality.objects.filter(query, catalogue_centre__isnull=False)
        .values_list("pk", "name", "catalogue_centre__latitude", "catalogue_centre__longitude")
        .order_by("name")
        .first()
    )
    if found is None:
        return None
    municipality_id, name, lat, lon = found
    return Origin(Point(float(lat), float(lon)), str(name), municipality_id)


def haversine_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(point: Point, km: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a box that holds every point within ``km``."""
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(point.latitude))))
    return (
        point.latitude - dlat,
        point.latitude + dlat,
        point.longitude - dlon,
        point.longitude + dlon,
    )


def location_latitude(prefix: str = "") -> Expression:
    """A location's latitude: its own, else its municipality's centre (as a float)."""
    return Cast(
        Coalesce(F(f"{prefix}latitude"), F(f"{prefix}municipality__catalogue_centre__latitude")),
        FloatField(),
    )


def location_longitude(prefix: str = "") -> Expression:
    return Cast(
        Coalesce(F(f"{prefix}longitude"), F(f"{prefix}municipality__catalogue_centre__longitude")),
        FloatField(),
    )


def distance_expression(point: Point, latitude: Any, longitude: Any) -> Combinable:
    """Haversine distance in km from ``point`` to the row's (latitude, longitude) expressions;
    Django provides the math functions on SQLite too."""
    lat0 = math.radians(point.latitude)
    lat = Radians(latitude)
    dlat = (lat - Value(lat0)) / Value(2.0)
    dlon = (Radians(longitude) - Value(math.radians(point.longitude))) / Value(2.0)
    h = Power(Sin(dlat), 2) + Value(math.cos(lat0)) * Cos(lat) * Power(Sin(dlon), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Value(1.0), Sqrt(h)))
