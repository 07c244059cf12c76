"""Fixtures for the API tests: token clients and a location, partnership and membership at
desk A (Rijnmond) and desk B (Groningen)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from leerwerk.accounts.services import api_token_create
from leerwerk.network.constants import HoursKind
from leerwerk.network.services import municipality_for_postcode
from leerwerk.network.tests.factories import (
    DeskPartnershipFactory,
    LocationFactory,
    OpeningHoursFactory,
    PartnerFactory,
)


@pytest.fixture(autouse=True)
def _fresh_throttle():  # type: ignore[no-untyped-def]
    """The anonymous rate limit counts in the cache: every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():  # type: ignore[no-untyped-def]
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def api_client_for(db):  # type: ignore[no-untyped-def]
    """``api_client_for(user)``: an API client that sends a fresh token of ``user``."""

    def make(user) -> APIClient:  # type: ignore[no-untyped-def]
        _token, raw = api_token_create(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return make


def _location(desk, name: str, postcode: str, city: str):  # type: ignore[no-untyped-def]
    location = LocationFactory(
        desk=desk,
        name=name,
        postcode=postcode,
        city=city,
        municipality=municipality_for_postcode(postcode),
    )
    OpeningHoursFactory(location=location, kind=HoursKind.OPENING, weekday=0)
    OpeningHoursFactory(
        location=location,
        kind=HoursKind.WALK_IN,
        weekday=2,
        opens=datetime.time(13, 0),
        closes=datetime.time(16, 0),
    )
    return location


@pytest.fixture
def location_a(desk_a):  # type: ignore[no-untyped-def]
    return _location(desk_a, "Leerwerkloket Rotterdam Centrum", "3011 AA", "Rotterdam")


@pytest.fixture
def location_b(desk_b):  # type: ignore[no-untyped-def]
    return _location(desk_b, "Leerwerkloket Groningen Stad", "9711 AA", "Groningen")


@pytest.fixture
def partnership_a(desk_a):  # type: ignore[no-untyped-def]
    return DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="Testpartner A"))


@pytest.fixture
def partnership_b(desk_b):  # type: ignore[no-untyped-def]
    return DeskPartnershipFactory(desk=desk_b, partner=PartnerFactory(name="Testpartner B"))


@pytest.fixture
def membership_a(adviser_a):  # type: ignore[no-untyped-def]
    return adviser_a.memberships.get()


@pytest.fixture
def membership_b(adviser_b):  # type: ignore[no-untyped-def]
    return adviser_b.memberships.get()


@pytest.fixture
def desk_b_objects(desk_b, location_b, partnership_b, membership_b):  # type: ignore[no-untyped-def]
    """Every kind of staff object at desk B, by endpoint."""
    return {
        "staff/desks": desk_b,
        "staff/locations": location_b,
        "staff/partnerships": partnership_b,
        "staff/memberships": membership_b,
    }
