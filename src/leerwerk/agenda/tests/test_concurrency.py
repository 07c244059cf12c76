"""The two concurrency guarantees, proven on PostgreSQL with real transactions: several threads,
each with its own database connection, released at the same moment by a barrier.

* Two people book the last slot at once: exactly one succeeds, the other gets the Dutch
  "dit tijdstip is net door iemand anders geboekt" message.
* Many people register for an event with few places at once: never more registrations than
  places; the rest lands on the waiting list.

These tests commit, so pytest-django empties the database afterwards (like the browser tests);
they seed the reference data they need first. SQLite has no row locks and one writer at a time,
so the race cannot be staged there: the tests are skipped on SQLite.
"""

from __future__ import annotations

import datetime
import importlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from leerwerk.agenda import services
from leerwerk.agenda.constants import AppointmentStatus, EventRegistrationStatus, SlotMode
from leerwerk.agenda.models import Appointment, Event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serialises writers, so two "
        "simultaneous bookings cannot be staged there",
    ),
]


@pytest.fixture
def seeded_desk():  # type: ignore[no-untyped-def]
    """A desk with an adviser, in a database that a previous transactional test may have
    emptied."""
    from django.apps import apps

    from leerwerk.conftest import load_reference
    from leerwerk.core.constants import DeskRole
    from leerwerk.network.models import Desk
    from leerwerk.network.tests.factories import StaffMembershipFactory

    importlib.import_module("leerwerk.network.migrations.0002_seed_configuration").seed(apps, None)
    load_reference()
    desk = Desk.objects.get(region__code="AM22")
    adviser = StaffMembershipFactory(
        desk=desk, role=DeskRole.ADVISER, user__email="race.adviseur@example.test"
    ).user
    return desk, adviser


def run_at_once(count: int, attempt: Callable[[int], Any]) -> list[Any]:
    """Run ``attempt(i)`` in ``count`` threads that start together; each thread uses (and
    closes) its own database connection."""
    barrier = threading.Barrier(count)

    def worker(i: int) -> Any:
        try:
            barrier.wait(timeout=10)
            return attempt(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def test_two_people_booking_the_last_slot_at_once_exactly_one_wins(seeded_desk):
    desk, adviser = seeded_desk
    block = services.availability_block_create(
        actor=adviser,
        desk=desk,
        adviser=adviser,
        mode=SlotMode.VIDEO,
        date=timezone.localdate() + datetime.timedelta(days=2),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(9, 30),
        slot_minutes=30,
    )
    [slot] = block.slots.all()

    def book(i: int) -> str:
        try:
            services.appointment_book(
                desk=desk,
                slot=slot,
                consent=True,
                given_name=f"Racer{i}",
                family_name="Voorbeeld",
                email=f"racer{i}@example.test",
                theme="career_advice",
            )
        except ValidationError as exc:
            return " ".join(exc.messages)
        return "booked"

    results = run_at_once(2, book)

    assert sorted(results, key=lambda r: r != "booked")[0] == "booked"
    assert results.count("booked") == 1, results
    [refused] = [r for r in results if r != "booked"]
    assert "dit tijdstip is net door iemand anders geboekt" in refused.lower()
    assert Appointment.objects.filter(slot=slot, status=AppointmentStatus.BOOKED).count() == 1


def test_many_people_registering_at_once_never_overbook_an_event(seeded_desk):
    desk, adviser = seeded_desk
    start = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(
        desk=desk,
        title="Drukke informatiebijeenkomst",
        kind="information_meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        venue="Zaal 1",
        capacity=2,
        is_published=True,
    )

    def register(i: int) -> str:
        return services.event_register(
            event=event,
            given_name=f"Deelnemer{i}",
            family_name="Voorbeeld",
            email=f"deelnemer{i}@example.test",
            consent=True,
        ).status

    results = run_at_once(6, register)

    assert results.count(EventRegistrationStatus.REGISTERED) == 2, results
    assert results.count(EventRegistrationStatus.WAITING) == 4, results
    assert event.registrations.filter(status=EventRegistrationStatus.REGISTERED).count() == 2


def test_cancel_and_register_at_once_keep_the_capacity(seeded_desk):
    """A cancellation (which promotes the first waiting person) racing with new registrations
    never leaves more people registered than there are places."""
    desk, adviser = seeded_desk
    start = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(
        desk=desk,
        title="Workshop solliciteren",
        kind="workshop",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        venue="Zaal 2",
        capacity=1,
        is_published=True,
    )
    first = services.event_register(
        event=event, given_name="Eerste", family_name="X", email="eerste@example.test", consent=True
    )
    services.event_register(
        event=event, given_name="Tweede", family_name="X", email="tweede@example.test", consent=True
    )

    def act(i: int) -> str:
        if i == 0:
            services.event_registration_cancel(registration=first)
            return "cancelled"
        return services.event_register(
            event=event,
            given_name=f"Nieuw{i}",
            family_name="X",
            email=f"nieuw{i}@example.test",
            consent=True,
        ).status

    run_at_once(4, act)

    registered = event.registrations.filter(status=EventRegistrationStatus.REGISTERED)
    assert registered.count() == 1
    # the place went to the person who was waiting first, not to a newcomer
    assert registered.get().email == "tweede@example.test"
