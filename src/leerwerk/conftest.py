"""Fixtures shared by every app's tests.

The reference data (35 regions, 342 municipalities, 4,104 postcodes, one desk per region) is
loaded once per test database; tests run in transactions on top of it.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from leerwerk.core.constants import DeskRole, GlobalRole


def load_reference() -> None:
    from leerwerk.network import reference
    from leerwerk.network.services import region_desks_ensure

    reference.load()
    region_desks_ensure()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def seeded_transactional_db(transactional_db):  # type: ignore[no-untyped-def]
    """A database with real commits (for code that commits or checks its connection, such as
    the task worker), with the seeded configuration and reference data that an earlier
    transactional test may have flushed. Ask for it before the desk fixtures."""
    import importlib

    from django.apps import apps

    importlib.import_module("leerwerk.network.migrations.0002_seed_configuration").seed(apps, None)
    load_reference()


@pytest.fixture
def desk_a(db):  # type: ignore[no-untyped-def]
    from leerwerk.network.models import Desk

    return Desk.objects.get(region__code="AM22")  # Rijnmond


@pytest.fixture
def desk_b(db):  # type: ignore[no-untyped-def]
    from leerwerk.network.models import Desk

    return Desk.objects.get(region__code="AM01")  # Groningen


def _member(desk, role: str, email: str, **extra):  # type: ignore[no-untyped-def]
    from leerwerk.network.tests.factories import StaffMembershipFactory

    return StaffMembershipFactory(desk=desk, role=role, user__email=email, **extra).user


@pytest.fixture
def adviser_a(desk_a):  # type: ignore[no-untyped-def]
    return _member(desk_a, DeskRole.ADVISER, "adviseur.a@example.test")


@pytest.fixture
def manager_a(desk_a):  # type: ignore[no-untyped-def]
    return _member(desk_a, DeskRole.DESK_MANAGER, "projectleider.a@example.test")


@pytest.fixture
def adviser_b(desk_b):  # type: ignore[no-untyped-def]
    return _member(desk_b, DeskRole.ADVISER, "adviseur.b@example.test")


@pytest.fixture
def manager_b(desk_b):  # type: ignore[no-untyped-def]
    return _member(desk_b, DeskRole.DESK_MANAGER, "projectleider.b@example.test")


@pytest.fixture
def ended_adviser_a(desk_a):  # type: ignore[no-untyped-def]
    """Worked at desk A until yesterday."""
    today = timezone.localdate()
    return _member(
        desk_a,
        DeskRole.ADVISER,
        "oud.adviseur.a@example.test",
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=1),
    )


def _global(role: str, email: str):  # type: ignore[no-untyped-def]
    from leerwerk.accounts.tests.factories import UserFactory

    return UserFactory(email=email, global_role=role)


@pytest.fixture
def national_user(db):  # type: ignore[no-untyped-def]
    return _global(GlobalRole.NATIONAL_TEAM, "landelijk@example.test")


@pytest.fixture
def ministry_user(db):  # type: ignore[no-untyped-def]
    return _global(GlobalRole.MINISTRY_VIEWER, "ministerie@example.test")


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return _global(GlobalRole.ADMINISTRATOR, "beheer@example.test")


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    """A logged-in Django test client for a user: ``client_for(user)``."""

    def make(user) -> Client:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user, backend="leerwerk.accounts.backends.EmailBackend")
        return client

    return make


@pytest.fixture
def wsgi_in_test_transaction():  # type: ignore[no-untyped-def]
    """Let code that calls Django's WSGI handler directly (the benchmarks) run inside a test's
    transaction: like the test client, stop the request signals from closing the connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
