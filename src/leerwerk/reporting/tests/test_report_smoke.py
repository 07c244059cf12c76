"""A first check of the counting engine: known registrations give known figures."""

import datetime

import pytest

from leerwerk.guidance import vocabulary as v
from leerwerk.guidance.tests.factories import RegistrationFactory, TrajectoryFactory
from leerwerk.reporting.selectors import Period, compute_report

pytestmark = pytest.mark.django_db

H1 = Period.half(2025, 1)


def test_intake_and_three_conversations_of_one_client(desk_a):
    trajectory = TrajectoryFactory(desk=desk_a, opened_on=datetime.date(2025, 1, 2))
    RegistrationFactory(code=v.INTAKE, trajectory=trajectory, occurred_on=datetime.date(2025, 1, 3))
    for day in (10, 11, 12):
        RegistrationFactory(
            code=v.ADVICE_CONVERSATION,
            trajectory=trajectory,
            occurred_on=datetime.date(2025, 2, day),
        )
    report = compute_report(desk_ids=[desk_a.pk], periods=[H1, Period.year(2025)])
    assert report.value("intakes", "2025 H1") == 1
    assert report.value("adviesgesprekken", "2025 H1") == 3
    assert report.value("burgers-bereikt", "2025 H1") == 1
    assert report.value("burgers-bereikt", "2025") == 1
    assert report.ruleset.number == 1
