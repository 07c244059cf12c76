"""The pre-aggregated figures (issue 4, item 8) stay exactly equal to a straightforward count.

The change counters are raised by database triggers, so these tests change registrations through
every path there is — services, the ORM, queryset updates, raw SQL, merges and erasures — and
compare the cached figures with a live count (and with an independent raw SQL count) after each.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerwerk.clients.privacy import client_merge
from leerwerk.clients.services import client_erase
from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.guidance import vocabulary as v
from leerwerk.guidance.constants import RegistrationStatus
from leerwerk.guidance.models import Registration
from leerwerk.guidance.services import registration_delete, registration_update
from leerwerk.guidance.tests.factories import RegistrationFactory, TrajectoryFactory
from leerwerk.reporting.aggregates import (
    count_live,
    counted_values,
    forget_cached_figures,
    halves_between,
)
from leerwerk.reporting.models import FigureCache, RegistrationGeneration, RuleSet

pytestmark = pytest.mark.django_db

D = datetime.date
H1 = (D(2025, 1, 1), D(2025, 6, 30))
H2 = (D(2025, 7, 1), D(2025, 12, 31))
YEAR = (D(2025, 1, 1), D(2025, 12, 31))
CODES = [
    v.INTAKE,
    v.ADVICE_CONVERSATION,
    v.INFORMATION_CONTACT,
    v.COMPETENCE_TEST,
    "opleider",
]
STATUSES = [
    RegistrationStatus.COMPLETED,
    RegistrationStatus.COMPLETED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.NO_SHOW,
]


def v1() -> RuleSet:
    return RuleSet.objects.get(number=1)


def definitions():  # type: ignore[no-untyped-def]
    return list(v1().figures.order_by("sort_order"))


def cached(desk_ids, period=YEAR):  # type: ignore[no-untyped-def]
    start, end = period
    return counted_values(
        desk_ids=desk_ids, start=start, end=end, ruleset=v1(), definitions=definitions()
    )


def live(desk_ids, period=YEAR):  # type: ignore[no-untyped-def]
    start, end = period
    return count_live(desk_ids=desk_ids, start=start, end=end, definitions=definitions())


def assert_exact(desk_ids) -> None:  # type: ignore[no-untyped-def]
    for period in (H1, H2, YEAR):
        assert cached(desk_ids, period) == live(desk_ids, period)


def generation(desk_id: int, year: int, half: int) -> int:
    row = RegistrationGeneration.objects.filter(desk_id=desk_id, year=year, half=half).first()
    return row.generation if row else 0


def registration(desk, on, code=v.ADVICE_CONVERSATION, **kwargs):  # type: ignore[no-untyped-def]
    trajectory = kwargs.pop("trajectory", None) or TrajectoryFactory(
        desk=desk, opened_on=D(2024, 12, 1)
    )
    return RegistrationFactory(code=code, occurred_on=on, trajectory=trajectory, **kwargs)


# -- the triggers ----------------------------------------------------------------------------


def test_halves_between_covers_every_half_year_touched():
    assert halves_between(D(2025, 1, 1), D(2025, 12, 31)) == [(2025, 1), (2025, 2)]
    assert halves_between(D(2025, 6, 30), D(2025, 7, 1)) == [(2025, 1), (2025, 2)]
    assert halves_between(D(2024, 12, 31), D(2026, 1, 1)) == [
        (2024, 2),
        (2025, 1),
        (2025, 2),
        (2026, 1),
    ]
    assert halves_between(D(2025, 3, 1), D(2025, 3, 1)) == [(2025, 1)]


def test_insert_update_and_delete_raise_the_counter_of_their_half_year(desk_a):
    def counters():  # type: ignore[no-untyped-def]
        return (generation(desk_a.pk, 2025, 1), generation(desk_a.pk, 2025, 2))

    # given a registration in the first half of 2025
    reg = registration(desk_a, D(2025, 6, 30))
    first, second = counters()
    assert first > 0 and second == 0
    # when only its note changes, nothing a figure depends on changed
    Registration.objects.filter(pk=reg.pk).update(note="later aangevuld")
    assert counters() == (first, second)
    # when it moves to the second half, both half-years change
    Registration.objects.filter(pk=reg.pk).update(occurred_on=D(2025, 7, 1))
    moved = counters()
    assert moved[0] > first and moved[1] > second
    # when its status changes, only the second half-year changes
    Registration.objects.filter(pk=reg.pk).update(status=RegistrationStatus.NO_SHOW)
    status_changed = counters()
    assert status_changed[0] == moved[0] and status_changed[1] > moved[1]
    # when it is deleted, its half-year changes
    Registration.objects.filter(pk=reg.pk).delete()
    deleted = counters()
    assert deleted[0] == moved[0] and deleted[1] > status_changed[1]
    assert generation(desk_a.pk, 2024, 2) == 0


def test_raw_sql_changes_raise_the_counter_too(desk_a):
    reg = registration(desk_a, D(2025, 2, 1))
    before = generation(desk_a.pk, 2025, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE guidance_registration SET status = %s WHERE id = %s",
            [RegistrationStatus.CANCELLED, reg.pk],
        )
    assert generation(desk_a.pk, 2025, 1) > before


# -- the cache -------------------------------------------------------------------------------


def test_second_report_comes_from_the_cache(desk_a, desk_b, django_assert_num_queries):
    registration(desk_a, D(2025, 3, 1))
    registration(desk_b, D(2025, 9, 1), code=v.INTAKE)
    defs, ruleset = definitions(), v1()
    first = counted_values(
        desk_ids=[desk_a.pk, desk_b.pk],
        start=YEAR[0],
        end=YEAR[1],
        ruleset=ruleset,
        definitions=defs,
    )
    assert FigureCache.objects.count() == 2
    # counters + cache rows, no count over the registrations
    with django_assert_num_queries(2):
        again = counted_values(
            desk_ids=[desk_a.pk, desk_b.pk],
            start=YEAR[0],
            end=YEAR[1],
            ruleset=ruleset,
            definitions=defs,
        )
    assert again == first
    assert first[desk_a.pk]["adviesgesprekken"] == 1
    assert first[desk_b.pk]["intakes"] == 1


def test_a_late_edit_makes_only_that_desk_count_again(desk_a, desk_b, manager_a):
    reg = registration(desk_a, D(2025, 3, 1))
    registration(desk_b, D(2025, 3, 1))
    assert cached([desk_a.pk, desk_b.pk])[desk_a.pk]["adviesgesprekken"] == 1
    computed_b = FigureCache.objects.get(desk=desk_b).computed_at
    # when the adviser of desk A marks the conversation as a no-show months later
    registration_update(
        actor=manager_a,
        registration=reg,
        expected_version=reg.version,
        status=RegistrationStatus.NO_SHOW,
    )
    result = cached([desk_a.pk, desk_b.pk])
    assert result[desk_a.pk]["adviesgesprekken"] == 0
    assert result[desk_a.pk]["adviesgesprekken-niet-verschenen"] == 1
    assert result == live([desk_a.pk, desk_b.pk])
    assert FigureCache.objects.get(desk=desk_b).computed_at == computed_b


def test_late_registrations_deletions_merges_and_erasures_stay_exact(desk_a, manager_a):
    keep = ClientFactory(desk=desk_a)
    duplicate = ClientFactory(desk=desk_a)
    t_keep = TrajectoryFactory(desk=desk_a, client=keep, opened_on=D(2024, 12, 1))
    t_dup = TrajectoryFactory(desk=desk_a, client=duplicate, opened_on=D(2024, 12, 1))
    registration(desk_a, D(2025, 2, 1), trajectory=t_keep)
    doomed = registration(desk_a, D(2025, 8, 1), trajectory=t_dup)
    registration(desk_a, D(2025, 8, 2), trajectory=t_dup)
    assert_exact([desk_a.pk])
    reached_before = cached([desk_a.pk])[desk_a.pk]
    # a late registration in a closed half-year
    registration(desk_a, D(2025, 1, 1), code=v.INTAKE, trajectory=t_keep)
    assert_exact([desk_a.pk])
    # a deletion through the service
    registration_delete(actor=manager_a, registration=doomed)
    assert_exact([desk_a.pk])
    # a merge: the duplicate's registrations move to the kept client
    client_merge(actor=manager_a, keep=keep, duplicate=duplicate)
    assert_exact([desk_a.pk])
    # an erasure keeps every count
    before_erasure = cached([desk_a.pk])
    client_erase(actor=manager_a, client=keep)
    assert cached([desk_a.pk]) == before_erasure
    assert_exact([desk_a.pk])
    assert reached_before != cached([desk_a.pk])[desk_a.pk]  # the changes did change figures


def test_draft_rule_sets_are_never_cached(desk_a):
    registration(desk_a, D(2025, 3, 1))
    draft = RuleSet.objects.create(number=99, effective_from=D(2030, 1, 1))
    for figure in v1().figures.all():
        figure.pk, figure.ruleset = None, draft
        figure.save()
    values = counted_values(
        desk_ids=[desk_a.pk],
        start=YEAR[0],
        end=YEAR[1],
        ruleset=draft,
        definitions=list(draft.figures.all()),
    )
    assert values[desk_a.pk]["adviesgesprekken"] == 1
    assert not FigureCache.objects.filter(ruleset=draft).exists()


def test_forgetting_the_cache_changes_nothing_but_speed(desk_a):
    registration(desk_a, D(2025, 3, 1))
    before = cached([desk_a.pk])
    assert forget_cached_figures() == 1
    assert cached([desk_a.pk]) == before


def _raw_count(
    desk_id: int, start: datetime.date, end: datetime.date, code: str, status: str
) -> int:
    """An independent count in plain SQL (not through the ORM code under test)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM guidance_registration r "
            "JOIN guidance_registrationtype t ON t.id = r.type_id "
            "WHERE r.desk_id = %s AND r.occurred_on BETWEEN %s AND %s "
            "AND t.code = %s AND r.status = %s",
            [desk_id, start, end, code, status],
        )
        return cursor.fetchone()[0]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_random_changes_keep_cache_and_live_count_equal(seed, desk_a, desk_b):
    rng = random.Random(seed)  # noqa: S311 (test data)
    Registration.objects.filter(desk__in=[desk_a, desk_b]).delete()
    desks = [desk_a, desk_b]
    trajectories = [
        TrajectoryFactory(desk=d, opened_on=D(2024, 12, 1)) for d in desks for _ in range(3)
    ]
    made = []
    for _ in range(12):
        t = rng.choice(trajectories)
        made.append(
            registration(
                t.desk,
                D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
                code=rng.choice(CODES),
                trajectory=t,
                status=rng.choice(STATUSES),
            )
        )
    ids = [d.pk for d in desks]
    assert_exact(ids)
    for _ in range(6):
        reg = rng.choice(made)
        action = rng.choice(["move", "status", "delete", "add", "client"])
        if action == "move":
            Registration.objects.filter(pk=reg.pk).update(
                occurred_on=D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            )
        elif action == "status":
            Registration.objects.filter(pk=reg.pk).update(status=rng.choice(STATUSES))
        elif action == "delete":
            Registration.objects.filter(pk=reg.pk).delete()
        elif action == "client":
            other = rng.choice([t for t in trajectories if t.desk_id == reg.desk_id])
            Registration.objects.filter(pk=reg.pk).update(
                client_id=other.client_id, trajectory_id=other.pk
            )
        else:
            t = rng.choice(trajectories)
            made.append(registration(t.desk, D(2025, 12, 31), trajectory=t))
        assert_exact(ids)
    year = cached(ids)
    for desk_id in ids:
        assert year[desk_id]["adviesgesprekken"] == _raw_count(
            desk_id, *YEAR, v.ADVICE_CONVERSATION, RegistrationStatus.COMPLETED
        )


def test_a_bulk_load_with_the_trigger_off_still_invalidates_the_cache(desk_a):
    from leerwerk.guidance.synthetic import generate

    registration(desk_a, D(2025, 3, 1))
    all_desks = list(RegistrationGeneration.objects.values_list("desk_id", flat=True)) + [desk_a.pk]
    cached(all_desks)  # fills the cache
    generate(clients=40, registrations=400, seed=3, chunk=20)
    from leerwerk.network.models import Desk

    desk_ids = list(Desk.objects.values_list("pk", flat=True))
    assert cached(desk_ids) == live(desk_ids)
    assert cached(desk_ids, H2) == live(desk_ids, H2)


def test_refresh_command_fills_the_cache_for_every_period_and_changes_no_figure(desk_a):
    import io

    from django.core.management import call_command

    registration(desk_a, D(2025, 3, 1))
    before = live([desk_a.pk])
    call_command("refresh_report_cache", stdout=io.StringIO())
    assert FigureCache.objects.filter(
        desk=desk_a, period_start=YEAR[0], period_end=YEAR[1]
    ).exists()
    assert FigureCache.objects.filter(desk=desk_a, period_start=H1[0], period_end=H1[1]).exists()
    assert cached([desk_a.pk]) == before
