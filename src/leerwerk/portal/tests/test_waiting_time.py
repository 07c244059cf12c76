"""The waiting-time signal: the rule at its boundaries, the selector on real rows, the page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.core.constants import DeskRole
from leerwerk.guidance.constants import RequestStatus, TrajectoryStatus
from leerwerk.guidance.tests.factories import IntakeRequestFactory, TrajectoryFactory
from leerwerk.network.tests.factories import StaffMembershipFactory
from leerwerk.portal.models import DeskPortalSettings
from leerwerk.portal.selectors import WaitingTime, compute_waiting_days, waiting_time

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("open_requests", "fte", "per_fte", "expected"),
    [
        (0, Decimal("1"), Decimal("7"), 1),  # only the newcomer: 1/7 week = 1 day
        (6, Decimal("1"), Decimal("7"), 7),  # 7 in line at 7 a week: exactly one week
        (7, Decimal("1"), Decimal("7"), 8),  # one more: rounded up to the next day
        (13, Decimal("0.5"), Decimal("4"), 49),  # 14 / 2 per week = 7 weeks
        (3, Decimal("0.1"), Decimal("0.1"), 2800),  # tiny capacity: long, but a number
        (5, Decimal("0"), Decimal("4"), None),  # no adviser capacity: no estimate
    ],
)
def test_compute_waiting_days(open_requests, fte, per_fte, expected):
    assert (
        compute_waiting_days(
            open_requests=open_requests, adviser_fte=fte, intakes_per_fte_week=per_fte
        )
        == expected
    )


@pytest.mark.parametrize(("days", "over"), [(13, False), (14, False), (15, True), (None, False)])
def test_over_norm_only_when_strictly_longer_than_the_norm(days, over):
    wait = WaitingTime(
        open_requests=1,
        adviser_fte=Decimal("1"),
        intakes_per_fte_week=Decimal("4"),
        norm_days=14,
        days=days,
    )
    assert wait.over_norm is over


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (1, "ongeveer 1 dag"),
        (14, "ongeveer 14 dagen"),
        (15, "ongeveer 3 weken"),
        (21, "ongeveer 3 weken"),
    ],
)
def test_waiting_label_in_plain_words(days, label):
    wait = WaitingTime(0, Decimal("1"), Decimal("1"), 14, days)
    assert wait.label == label


def _adviser(desk, fte: str, **extra):  # type: ignore[no-untyped-def]
    return StaffMembershipFactory(desk=desk, role=DeskRole.ADVISER, fte=Decimal(fte), **extra)


def test_selector_counts_new_requests_and_registered_trajectories_of_the_desk_only(desk_a, desk_b):
    # given desk A: 2 new requests, 1 handled, 1 registered trajectory, 1 in intake
    IntakeRequestFactory.create_batch(2, desk=desk_a)
    IntakeRequestFactory(desk=desk_a, status=RequestStatus.HANDLED)
    TrajectoryFactory(desk=desk_a)
    TrajectoryFactory(desk=desk_a, status=TrajectoryStatus.INTAKE)
    # and desk B's open request
    IntakeRequestFactory(desk=desk_b)
    # and advisers: 0.6 + 0.4 active, one ended, and a desk manager (not counted as capacity)
    _adviser(desk_a, "0.6")
    _adviser(desk_a, "0.4")
    today = timezone.localdate()
    _adviser(
        desk_a,
        "1.0",
        start_date=today - datetime.timedelta(days=100),
        end_date=today - datetime.timedelta(days=1),
    )
    StaffMembershipFactory(desk=desk_a, role=DeskRole.DESK_MANAGER, fte=Decimal("1"))
    DeskPortalSettings.objects.create(desk=desk_a, norm_days=7, intakes_per_fte_week=Decimal("2"))

    # when
    wait = waiting_time(desk_a)

    # then 3 open, 1.0 fte × 2 a week: (3 + 1) / 2 weeks = 14 days, over the norm of 7
    assert wait.open_requests == 3
    assert wait.adviser_fte == Decimal("1.00")
    assert wait.days == 14
    assert wait.over_norm is True


def test_selector_is_cached_briefly(desk_a, django_assert_num_queries):
    _adviser(desk_a, "1.0")
    first = waiting_time(desk_a)
    IntakeRequestFactory.create_batch(5, desk=desk_a)
    with django_assert_num_queries(0):
        again = waiting_time(desk_a)
    assert again == first


def test_default_settings_when_the_desk_has_none(desk_a):
    _adviser(desk_a, "1.0")
    wait = waiting_time(desk_a)
    assert wait.norm_days == 14
    assert wait.intakes_per_fte_week == Decimal("4")
    assert wait.days == 2  # 1 / 4 per week = 1.75 days, rounded up


def _home(client, desk):  # type: ignore[no-untyped-def]
    return client.get(reverse("public:desk_detail", args=[desk.slug])).content.decode()


def test_regional_home_shows_the_waiting_time_and_advice_first_when_within_norm(client, desk_a):
    _adviser(desk_a, "1.0")
    html = _home(client, desk_a)
    assert "Wachttijd voor een eerste gesprek: ongeveer 2 dagen." in html
    assert "Het is nu erg druk." not in html
    # the three routes, self-service first; the advice route is the primary button
    assert (
        html.index('id="route-zelf"')
        < html.index('id="route-kort"')
        < html.index('id="route-advies"')
    )
    assert "utrecht-button-link--primary-action" in html


def test_regional_home_steers_to_self_service_and_groups_when_over_norm(client, desk_a):
    # given a desk with a norm of 7 days and a queue of 20 with 1 fte at 4 a week
    _adviser(desk_a, "1.0")
    DeskPortalSettings.objects.create(desk=desk_a, norm_days=7)
    IntakeRequestFactory.create_batch(20, desk=desk_a)

    html = _home(client, desk_a)

    assert "Het is nu erg druk." in html
    assert "Op een gesprek met een adviseur wacht u nu ongeveer 6 weken." in html
    # the advice route is still there, but last and no longer the primary action
    assert 'id="route-advies"' in html
    assert html.index('id="route-zelf"') < html.index('id="route-advies"')
    assert "utrecht-button-link--primary-action" not in html
    assert "utrecht-button-link--secondary-action" in html


def test_regional_home_without_adviser_capacity_shows_no_waiting_time(client, desk_b):
    html = _home(client, desk_b)
    assert "Wachttijd voor een eerste gesprek" not in html
    assert "Het is nu erg druk." not in html
