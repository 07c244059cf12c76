"""Concurrent writes to a plan, proven on PostgreSQL with real transactions: threads with their
own connections, released together by a barrier.

* Two advisers start a plan for the same trajectory at once: one draft is made, the other
  adviser gets the Dutch "er is al een concept" message (not a database error).
* Two people save the same draft version at once: one wins, the other gets a conflict and
  nothing of theirs is written.

These tests commit (pytest-django empties the database afterwards) and seed the reference data
first. SQLite serialises writers, so the race cannot be staged there: skipped on SQLite.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from leerwerk.core.exceptions import ConflictError
from leerwerk.dossier import services
from leerwerk.dossier.constants import StepOwner
from leerwerk.dossier.models import DevelopmentPlan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so simultaneous saves cannot be staged",
    ),
]


@pytest.fixture
def seeded():  # type: ignore[no-untyped-def]
    from django.apps import apps

    from leerwerk.clients.tests.factories import ClientFactory
    from leerwerk.conftest import load_reference
    from leerwerk.guidance.tests.factories import TrajectoryFactory
    from leerwerk.network.models import Desk
    from leerwerk.network.tests.factories import StaffMembershipFactory

    importlib.import_module("leerwerk.network.migrations.0002_seed_configuration").seed(apps, None)
    load_reference()
    desk = Desk.objects.get(region__code="AM22")
    advisers = [
        StaffMembershipFactory(desk=desk, user__email=f"race.{n}@example.test").user
        for n in range(2)
    ]
    trajectory = TrajectoryFactory(client=ClientFactory(desk=desk), adviser=advisers[0])
    return advisers, trajectory


def run_at_once(count: int, attempt: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(count)

    def worker(i: int) -> Any:
        try:
            barrier.wait(timeout=10)
            return attempt(i)
        except ValidationError as exc:  # includes ConflictError
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


STEP = {"action": "Open dag", "owner": StepOwner.CLIENT, "target_date": None, "done_at": None}


def test_two_advisers_starting_a_plan_at_once_make_one_draft(seeded):
    advisers, trajectory = seeded

    results = run_at_once(
        2,
        lambda i: services.plan_create(
            actor=advisers[i], trajectory=trajectory, title=f"Plan {i}", goal="Werk", steps=[STEP]
        ),
    )

    made = [r for r in results if isinstance(r, DevelopmentPlan)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == 1
    assert "Er is al een concept" in refused[0].messages[0]
    assert DevelopmentPlan.objects.filter(trajectory=trajectory).count() == 1


def test_two_saves_of_the_same_version_at_once_one_gets_a_conflict(seeded):
    advisers, trajectory = seeded
    plan = services.plan_create(
        actor=advisers[0], trajectory=trajectory, title="Plan", goal="Werk", steps=[STEP]
    )

    def save(i: int) -> Any:
        own = DevelopmentPlan.objects.get(pk=plan.pk)
        step = {**STEP, "action": f"Stap van {i}"}
        return services.plan_update(
            actor=advisers[i], plan=own, expected_version=1, steps=[step], title=f"Titel {i}"
        )

    results = run_at_once(2, save)

    conflicts = [r for r in results if isinstance(r, ConflictError)]
    saved = [r for r in results if isinstance(r, DevelopmentPlan)]
    assert len(conflicts) == 1 and len(saved) == 1
    plan.refresh_from_db()
    winner = saved[0].title.removeprefix("Titel ")
    assert plan.version == 2
    assert list(plan.steps.values_list("action", flat=True)) == [f"Stap van {winner}"]
