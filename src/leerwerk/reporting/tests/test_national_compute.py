"""``compute_desk_reports`` (every desk at once, for the national overview) gives exactly the
numbers ``compute_report`` gives for each desk alone, in a fixed number of queries; and
``compute_split`` splits a figure by municipality or target group with counted totals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerwerk.clients.models import TargetGroup
from leerwerk.clients.tests.factories import ClientFactory, EmployerFactory
from leerwerk.guidance import vocabulary as v
from leerwerk.guidance.constants import Channel, RegistrationStatus
from leerwerk.guidance.tests.factories import RegistrationFactory, TrajectoryFactory
from leerwerk.network.models import Desk, Municipality
from leerwerk.network.tests.factories import StaffMembershipFactory
from leerwerk.reporting.models import ManualValue, RuleSet
from leerwerk.reporting.selectors import (
    SPLIT_MUNICIPALITY,
    SPLIT_TARGET_GROUP,
    Period,
    ReportFilters,
    compute_desk_reports,
    compute_report,
    compute_split,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PERIODS = [Period.year(2025), Period.half(2025, 1), Period.half(2025, 2), Period.year(2024)]
TYPES = [
    v.INTAKE,
    v.ADVICE_CONVERSATION,
    v.COMPETENCE_TEST,
    v.INFORMATION_CONTACT,
    v.EMPLOYER_ADVICE,
    v.EMPLOYER_GROUP_SESSION,
]
STATUSES = [RegistrationStatus.COMPLETED, RegistrationStatus.CANCELLED, RegistrationStatus.NO_SHOW]


def _table(report):  # type: ignore[no-untyped-def]
    return [
        (row.definition.code, [(c.value, c.how, c.manual) for c in row.cells])
        for row in report.rows
    ]


def _three_desks() -> list[Desk]:
    return list(Desk.objects.filter(region__code__in=["AM22", "AM01", "AM10"]).order_by("pk"))


ROWS = st.lists(
    st.tuples(
        st.integers(0, 2),  # desk
        st.sampled_from(TYPES),
        st.sampled_from(STATUSES),
        st.integers(0, 729),  # day from 2024-01-01
        st.integers(0, 3),  # which client / employer of the desk
        st.sampled_from([Channel.IN_PERSON, Channel.PHONE]),
    ),
    max_size=25,
)
MEMBERSHIPS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["0.20", "0.50", "0.80", "1.00"]),
        st.integers(0, 700),  # start, days from 2024-01-01
        st.one_of(st.none(), st.integers(1, 400)),  # length in days, or open
    ),
    max_size=5,
)
MANUAL = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["websitebezoekers", "volgers-sociale-media", "realisatie"]),
        st.sampled_from([(2024, 2), (2025, 1), (2025, 2)]),
        st.integers(0, 5000),
    ),
    max_size=6,
    unique_by=lambda t: (t[0], t[1], t[2]),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS, memberships=MEMBERSHIPS, manual=MANUAL, filtered=st.booleans())
def test_desk_reports_equal_the_report_of_each_desk_alone(rows, memberships, manual, filtered):  # type: ignore[no-untyped-def]
    desks = _three_desks()
    with transaction.atomic():
        trajectories = {
            d.pk: [TrajectoryFactory(desk=d, opened_on=D(2023, 12, 1)) for _ in range(4)]
            for d in desks
        }
        employers = {d.pk: [EmployerFactory(desk=d) for _ in range(2)] for d in desks}
        for desk_index, type_, status, day, who, channel in rows:
            desk = desks[desk_index]
            on = D(2024, 1, 1) + datetime.timedelta(days=day)
            if type_ in (v.EMPLOYER_ADVICE, v.EMPLOYER_GROUP_SESSION):
                RegistrationFactory(
                    code=type_, occurred_on=on, status=status, employer=employers[desk.pk][who % 2]
                )
            elif type_ == v.INFORMATION_CONTACT:
                RegistrationFactory(
                    code=type_,
                    occurred_on=on,
                    status=status,
                    desk=desk,
                    client=trajectories[desk.pk][who].client,
                    channel=channel,
                )
            else:
                RegistrationFactory(
                    code=type_,
                    occurred_on=on,
                    status=status,
                    trajectory=trajectories[desk.pk][who],
                    channel=channel,
                )
        for desk_index, fte, start, length in memberships:
            first = D(2024, 1, 1) + datetime.timedelta(days=start)
            StaffMembershipFactory(
                desk=desks[desk_index],
                fte=Decimal(fte),
                start_date=first,
                end_date=first + datetime.timedelta(days=length) if length else None,
            )
        for desk_index, code, (year, half), value in manual:
            ManualValue.objects.create(
                desk=desks[desk_index], figure_code=code, year=year, half=half, value=value
            )
        filters = ReportFilters(contact_channel=Channel.PHONE) if filtered else None
        ruleset = RuleSet.objects.get(number=1)
        # when every desk is computed at once
        together = compute_desk_reports(
            desk_ids=[d.pk for d in desks], periods=PERIODS, ruleset=ruleset, filters=filters
        )
        # then each desk's report is exactly its report computed alone
        for desk in desks:
            alone = compute_report(
                desk_ids=[desk.pk], periods=PERIODS, ruleset=ruleset, filters=filters
            )
            assert together[desk.pk].desk_ids == [desk.pk]
            assert _table(together[desk.pk]) == _table(alone)
        transaction.set_rollback(True)


def test_desk_reports_use_a_fixed_number_of_queries(django_assert_max_num_queries):
    # given registrations at all 35 desks
    desks = list(Desk.objects.all())
    assert len(desks) == 35
    for desk in desks:
        RegistrationFactory(code=v.ADVICE_CONVERSATION, occurred_on=D(2025, 3, 1), desk=desk)
    ruleset = RuleSet.objects.get(number=1)
    # then: the figures, the change counters and cached rows, one grouped query per period,
    # one write of the new cache rows, memberships and manual values
    with django_assert_max_num_queries(1 + 2 + len(PERIODS) + 1 + 2):
        reports = compute_desk_reports(
            desk_ids=[d.pk for d in desks], periods=PERIODS, ruleset=ruleset
        )
    assert all(reports[d.pk].value("adviesgesprekken", "2025") == 1 for d in desks)
    # and the second time everything counted comes from the cache: no grouped counts at all
    with django_assert_max_num_queries(1 + 2 + 2):
        again = compute_desk_reports(
            desk_ids=[d.pk for d in desks], periods=PERIODS, ruleset=ruleset
        )
    assert all(again[d.pk].value("adviesgesprekken", "2025") == 1 for d in desks)


def test_a_desk_without_anything_gets_zeros_and_blanks(desk_a):
    report = compute_desk_reports(desk_ids=[desk_a.pk], periods=[Period.half(2025, 1)])[desk_a.pk]
    assert report.value("adviesgesprekken", "2025 H1") == 0
    assert report.value("websitebezoekers", "2025 H1") is None
    assert report.value("fte", "2025 H1") == Decimal("0.00")
    assert report.value("burgers-per-fte", "2025 H1") is None


# -- splits ----------------------------------------------------------------------------------


def _client(desk, code: str, groups=()):  # type: ignore[no-untyped-def]
    client = ClientFactory(desk=desk, municipality=Municipality.objects.get(code=code))
    client.target_groups.set(groups)
    return client


def test_split_by_municipality_counts_persons_per_municipality(desk_a, desk_b):
    rotterdam, schiedam = "GM0599", "GM0606"
    a = _client(desk_a, rotterdam)
    b = _client(desk_a, schiedam)
    c = _client(desk_b, rotterdam)
    on = D(2025, 3, 3)
    for client, times in ((a, 3), (b, 1), (c, 2)):
        trajectory = TrajectoryFactory(desk=client.desk, client=client, opened_on=D(2025, 1, 1))
        for _ in range(times):
            RegistrationFactory(code=v.ADVICE_CONVERSATION, trajectory=trajectory, occurred_on=on)
    definition = RuleSet.objects.get(number=1).figures.get(code="burgers-bereikt")
    split = compute_split(
        desk_ids=[desk_a.pk, desk_b.pk],
        period=Period.half(2025, 1),
        definition=definition,
        dimension=SPLIT_MUNICIPALITY,
    )
    assert split.cells[desk_a.pk] == {rotterdam: 1, schiedam: 1}
    assert split.cells[desk_b.pk] == {rotterdam: 1}
    assert split.key_totals == {rotterdam: 2, schiedam: 1}
    assert split.desk_totals == {desk_a.pk: 2, desk_b.pk: 1}
    assert split.total == 3
    conversations = RuleSet.objects.get(number=1).figures.get(code="adviesgesprekken")
    by_count = compute_split(
        desk_ids=[desk_a.pk],
        period=Period.half(2025, 1),
        definition=conversations,
        dimension=SPLIT_MUNICIPALITY,
    )
    assert by_count.cells[desk_a.pk] == {rotterdam: 3, schiedam: 1}


def test_split_by_target_group_counts_a_person_in_each_group_but_once_in_the_total(desk_a):
    groups = list(TargetGroup.objects.order_by("pk")[:2])
    both = _client(desk_a, "GM0599", groups)
    none = _client(desk_a, "GM0599")
    for client in (both, none):
        trajectory = TrajectoryFactory(desk=desk_a, client=client, opened_on=D(2025, 1, 1))
        RegistrationFactory(
            code=v.ADVICE_CONVERSATION, trajectory=trajectory, occurred_on=D(2025, 2, 2)
        )
    definition = RuleSet.objects.get(number=1).figures.get(code="burgers-bereikt")
    split = compute_split(
        desk_ids=[desk_a.pk],
        period=Period.half(2025, 1),
        definition=definition,
        dimension=SPLIT_TARGET_GROUP,
    )
    assert split.cells[desk_a.pk] == {groups[0].code: 1, groups[1].code: 1, None: 1}
    assert split.total == 2  # not 3: totals are counted, not summed
    report = compute_report(
        desk_ids=[desk_a.pk], periods=[Period.half(2025, 1)], ruleset=definition.ruleset
    )
    assert split.desk_totals[desk_a.pk] == report.value("burgers-bereikt", "2025 H1")


def test_only_counts_can_be_split(desk_a):
    fte = RuleSet.objects.get(number=1).figures.get(code="fte")
    with pytest.raises(ValueError):
        compute_split(
            desk_ids=[desk_a.pk],
            period=Period.half(2025, 1),
            definition=fte,
            dimension=SPLIT_MUNICIPALITY,
        )
