"""Correctness of the counting rules (issue 4): known registrations give known figures.

Every figure of ``rules.VERSION_1`` is checked against hand-computed numbers, plus the cases the
issue names (intakes apart, one citizen per period, boundaries, erasure, late edits, employers,
CTC, desks, filters, manual figures, FTE, derived figures, drill-down, recomputing under another
rule set) and a property test against a straight Python count.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerwerk.clients.models import Client, TargetGroup
from leerwerk.clients.services import client_erase
from leerwerk.clients.tests.factories import ClientFactory, EmployerFactory
from leerwerk.guidance import vocabulary as v
from leerwerk.guidance.constants import Channel, IntakeChannel, RegistrationStatus
from leerwerk.guidance.services import registration_create, registration_update
from leerwerk.guidance.tests.factories import (
    RegistrationFactory,
    TrajectoryFactory,
    registration_type,
)
from leerwerk.network.models import Municipality, ServiceLine
from leerwerk.network.tests.factories import PartnerFactory, StaffMembershipFactory
from leerwerk.reporting import rules
from leerwerk.reporting.constants import Method
from leerwerk.reporting.models import FigureDefinition, ManualValue, RuleSet
from leerwerk.reporting.selectors import (
    Period,
    ReportFilters,
    compute_report,
    registrations_for_figure,
    ruleset_in_force,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_version_1")]

D = datetime.date
COMPLETED = RegistrationStatus.COMPLETED
CANCELLED = RegistrationStatus.CANCELLED
NO_SHOW = RegistrationStatus.NO_SHOW

Y2025, H1, H2 = Period.year(2025), Period.half(2025, 1), Period.half(2025, 2)
PERIODS = [Y2025, H1, H2]
OPENED = D(2024, 12, 1)  # trajectories open before every date used below

V1_CODES = [row[1] for row in rules.VERSION_1]
V1_METHOD = {row[1]: row[3] for row in rules.VERSION_1}
COUNTED_METHODS = {Method.REGISTRATIONS, Method.DISTINCT_CLIENTS, Method.DISTINCT_EMPLOYERS}


# -- helpers ---------------------------------------------------------------------------------


def v1() -> RuleSet:
    return RuleSet.objects.get(number=1)


def report(desk_ids, periods=PERIODS, **kwargs):  # type: ignore[no-untyped-def]
    return compute_report(desk_ids=desk_ids, periods=periods, ruleset=v1(), **kwargs)


def triple(rep, code: str):  # type: ignore[no-untyped-def]
    """(H1, H2, year) of one figure."""
    return (
        rep.value(code, H1.label),
        rep.value(code, H2.label),
        rep.value(code, Y2025.label),
    )


def table(rep) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    """(H1, H2, year) of every figure."""
    return {row.definition.code: triple(rep, row.definition.code) for row in rep.rows}


def trajectory(desk, **kwargs):  # type: ignore[no-untyped-def]
    return TrajectoryFactory(desk=desk, opened_on=OPENED, **kwargs)


def reg(code: str, on: datetime.date, status: str = COMPLETED, **kwargs):  # type: ignore[no-untyped-def]
    return RegistrationFactory(code=code, occurred_on=on, status=status, **kwargs)


def manual(desk, code: str, year: int, half: int, value: str) -> ManualValue:
    return ManualValue.objects.create(
        desk=desk, figure_code=code, year=year, half=half, value=Decimal(value)
    )


def definition(code: str) -> FigureDefinition:
    return v1().figures.get(code=code)


# -- the full scenario: every figure of version 1 ---------------------------------------------


def build_scenario(desk, other_desk):  # type: ignore[no-untyped-def]
    """Registrations, memberships and manual values with hand-computed figures (EXPECTED)."""
    a, b, c = trajectory(desk), trajectory(desk), trajectory(desk)
    e1, e2 = EmployerFactory(desk=desk), EmployerFactory(desk=desk)
    r = {
        # client A: an intake and three conversations in H1, one in H2
        "a_intake": reg(v.INTAKE, D(2025, 2, 3), trajectory=a),
        "a_advice_1": reg(v.ADVICE_CONVERSATION, D(2025, 2, 10), trajectory=a),
        "a_advice_2": reg(v.ADVICE_CONVERSATION, D(2025, 3, 10), trajectory=a),
        "a_advice_3": reg(v.ADVICE_CONVERSATION, D(2025, 4, 10), trajectory=a),
        "a_advice_h2": reg(v.ADVICE_CONVERSATION, D(2025, 9, 1), trajectory=a),
        "a_werkscan": reg("werkscan", D(2025, 3, 1), trajectory=a),  # counts nowhere
        "a_advice_2024": reg(v.ADVICE_CONVERSATION, D(2024, 12, 31), trajectory=a),
        # client B: one held conversation in H2, one cancelled, one no-show
        "b_advice_h2": reg(v.ADVICE_CONVERSATION, D(2025, 10, 1), trajectory=b),
        "b_cancelled_h2": reg(v.ADVICE_CONVERSATION, D(2025, 11, 1), CANCELLED, trajectory=b),
        "b_no_show_h1": reg(v.ADVICE_CONVERSATION, D(2025, 5, 1), NO_SHOW, trajectory=b),
        # client C: two CTC tests in H1, one in H2, a cancelled one, an intake in H2
        "c_ctc_1": reg(v.COMPETENCE_TEST, D(2025, 3, 1), trajectory=c),
        "c_ctc_2": reg(v.COMPETENCE_TEST, D(2025, 4, 1), trajectory=c),
        "c_ctc_h2": reg(v.COMPETENCE_TEST, D(2025, 8, 1), trajectory=c),
        "c_ctc_cancelled": reg(v.COMPETENCE_TEST, D(2025, 5, 5), CANCELLED, trajectory=c),
        "c_intake_h2": reg(v.INTAKE, D(2025, 7, 15), trajectory=c),
        # information contacts without a trajectory
        "info_1": reg(v.INFORMATION_CONTACT, D(2025, 1, 15), desk=desk),
        "info_2": reg(v.INFORMATION_CONTACT, D(2025, 6, 30), desk=desk),
        "info_h2": reg(v.INFORMATION_CONTACT, D(2025, 12, 31), desk=desk),
        "info_cancelled": reg(v.INFORMATION_CONTACT, D(2025, 2, 1), CANCELLED, desk=desk),
        # employers
        "e1_advice_1": reg(v.EMPLOYER_ADVICE, D(2025, 2, 1), employer=e1),
        "e1_advice_2": reg(v.EMPLOYER_ADVICE, D(2025, 3, 1), employer=e1),
        "e1_group": reg(v.EMPLOYER_GROUP_SESSION, D(2025, 4, 1), employer=e1),
        "e2_learning_work": reg(v.EMPLOYER_LEARNING_WORK, D(2025, 9, 1), employer=e2),
        "e2_advice": reg(v.EMPLOYER_ADVICE, D(2025, 10, 1), employer=e2),
        # another desk: never counted here
        "other_desk_advice": reg(v.ADVICE_CONVERSATION, D(2025, 3, 3), desk=other_desk),
        "other_desk_employer": reg(v.EMPLOYER_ADVICE, D(2025, 3, 3), desk=other_desk),
    }
    StaffMembershipFactory(desk=desk, fte=Decimal("1.00"), start_date=D(2024, 1, 1))
    StaffMembershipFactory(desk=desk, fte=Decimal("0.50"), start_date=D(2025, 7, 1))
    StaffMembershipFactory(desk=other_desk, fte=Decimal("1.00"), start_date=D(2024, 1, 1))
    for code, first, second in [
        ("websitebezoekers", "100", "250"),
        ("volgers-sociale-media", "40", "55"),
        ("begroting", "50000", "50000"),
        ("realisatie", "20000", "30000"),
    ]:
        manual(desk, code, 2025, 1, first)
        manual(desk, code, 2025, 2, second)
    manual(desk, "websitebezoekers", 2024, 2, "999")  # another year
    manual(other_desk, "websitebezoekers", 2025, 1, "7")  # another desk
    return r


# (H1, H2, year) per figure; every code of VERSION_1 must be here.
EXPECTED = {
    "informatiecontacten": (2, 1, 3),
    "intakes": (1, 1, 2),
    "adviesgesprekken": (3, 2, 5),
    "adviesgesprekken-afgezegd": (0, 1, 1),
    "adviesgesprekken-niet-verschenen": (1, 0, 1),
    "burgers-bereikt": (1, 2, 2),
    "competentietest-deelnemers": (1, 1, 1),
    "competentietest-gesprekken": (2, 1, 3),
    "werkgevers-individueel": (1, 1, 2),
    "werkgevers-groepen": (1, 0, 1),
    "werkgevers-leerwerktrajecten": (0, 1, 1),
    "websitebezoekers": (Decimal(100), Decimal(250), Decimal(350)),
    "volgers-sociale-media": (Decimal(40), Decimal(55), Decimal(55)),
    # 1.00 all year, plus 0.50 from 1 July: 1 + 0.5 * 184/365 = 1.252
    "fte": (Decimal("1.00"), Decimal("1.50"), Decimal("1.25")),
    "begroting": (Decimal(50000), Decimal(50000), Decimal(100000)),
    "realisatie": (Decimal(20000), Decimal(30000), Decimal(50000)),
    # burgers-bereikt / fte
    "burgers-per-fte": (Decimal("1.00"), Decimal("1.33"), Decimal("1.60")),
    # realisatie / burgers-bereikt
    "kosten-per-burger": (Decimal("20000.00"), Decimal("15000.00"), Decimal("25000.00")),
}

# The registrations behind each registration-count figure: (H1 names, H2 names).
EXPECTED_ROWS = {
    "informatiecontacten": ({"info_1", "info_2"}, {"info_h2"}),
    "intakes": ({"a_intake"}, {"c_intake_h2"}),
    "adviesgesprekken": (
        {"a_advice_1", "a_advice_2", "a_advice_3"},
        {"a_advice_h2", "b_advice_h2"},
    ),
    "adviesgesprekken-afgezegd": (set(), {"b_cancelled_h2"}),
    "adviesgesprekken-niet-verschenen": ({"b_no_show_h1"}, set()),
    "competentietest-gesprekken": ({"c_ctc_1", "c_ctc_2"}, {"c_ctc_h2"}),
}


def test_the_scenario_covers_every_figure_of_version_1():
    # given the seeded version 1 and the expectations of this module
    seeded = set(v1().figures.values_list("code", flat=True))
    # then every figure has an expected value, and every registration-count figure a drill-down
    assert set(EXPECTED) == set(V1_CODES) == seeded
    registration_counts = {c for c in V1_CODES if V1_METHOD[c] == Method.REGISTRATIONS}
    assert set(EXPECTED_ROWS) == registration_counts


@pytest.mark.parametrize("code", V1_CODES)
def test_every_figure_of_version_1_has_its_known_value(desk_a, desk_b, code):
    # given registrations, memberships and manual values with hand-computed figures
    build_scenario(desk_a, desk_b)
    # when the report is computed for desk A under version 1
    rep = report([desk_a.pk])
    # then the figure has the expected value in H1, H2 and the year
    assert triple(rep, code) == EXPECTED[code]
    assert rep.ruleset.number == 1


def test_the_report_takes_a_bounded_number_of_queries(
    desk_a, desk_b, django_assert_max_num_queries
):
    # given the full scenario
    build_scenario(desk_a, desk_b)
    ruleset = v1()
    # when the report is computed for three periods: one aggregate + one FTE query per period
    with django_assert_max_num_queries(9):
        compute_report(desk_ids=[desk_a.pk], periods=PERIODS, ruleset=ruleset)


@pytest.mark.parametrize("code", sorted(EXPECTED_ROWS))
def test_drill_down_returns_exactly_the_registrations_counted(desk_a, desk_b, code):
    # given the full scenario
    made = build_scenario(desk_a, desk_b)
    rep = report([desk_a.pk])
    for period, names in zip((H1, H2), EXPECTED_ROWS[code], strict=True):
        # when the registrations behind the figure are asked for
        rows = registrations_for_figure(
            desk_ids=[desk_a.pk], period=period, definition=definition(code)
        )
        # then they are exactly the counted ones, and as many as the figure says
        assert {r.pk for r in rows} == {made[n].pk for n in names}
        assert rows.count() == rep.value(code, period.label)


@pytest.mark.parametrize(
    "code, attribute",
    [
        ("burgers-bereikt", "client_id"),
        ("competentietest-deelnemers", "client_id"),
        ("werkgevers-individueel", "employer_id"),
        ("werkgevers-groepen", "employer_id"),
        ("werkgevers-leerwerktrajecten", "employer_id"),
    ],
)
def test_drill_down_of_a_distinct_figure_has_as_many_distinct_people(
    desk_a, desk_b, code, attribute
):
    # given the full scenario
    build_scenario(desk_a, desk_b)
    rep = report([desk_a.pk])
    for period in PERIODS:
        # when the registrations behind a distinct-count figure are asked for
        rows = registrations_for_figure(
            desk_ids=[desk_a.pk], period=period, definition=definition(code)
        )
        # then the number of different clients/employers in them is the figure
        assert len({getattr(r, attribute) for r in rows}) == rep.value(code, period.label)


# -- the cases of the issue ------------------------------------------------------------------


def test_an_intake_is_not_an_advice_conversation(desk_a):
    # given a client with only an intake
    reg(v.INTAKE, D(2025, 3, 3), trajectory=trajectory(desk_a))
    # when the report is computed
    rep = report([desk_a.pk])
    # then it counts as an intake, not as a conversation, and the client is not reached
    assert triple(rep, "intakes") == (1, 0, 1)
    assert triple(rep, "adviesgesprekken") == (0, 0, 0)
    assert triple(rep, "burgers-bereikt") == (0, 0, 0)


@pytest.mark.parametrize(
    "dates, conversations, reached",
    [
        ([D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1)], (3, 0, 3), (1, 0, 1)),
        ([D(2025, 2, 1), D(2025, 3, 1), D(2025, 8, 1)], (2, 1, 3), (1, 1, 1)),
        ([D(2025, 8, 1), D(2025, 8, 1), D(2025, 12, 1)], (0, 3, 3), (0, 1, 1)),
    ],
    ids=["all-in-h1", "h1-and-h2", "all-in-h2"],
)
def test_a_client_with_three_conversations_is_one_citizen_reached(
    desk_a, dates, conversations, reached
):
    # given one client with three held conversations
    t = trajectory(desk_a)
    for day in dates:
        reg(v.ADVICE_CONVERSATION, day, trajectory=t)
    # when the report is computed
    rep = report([desk_a.pk])
    # then the conversations count three times, the client once per half and once in the year
    assert triple(rep, "adviesgesprekken") == conversations
    assert triple(rep, "burgers-bereikt") == reached


def test_two_clients_in_different_halves_are_two_citizens_in_the_year(desk_a):
    # given client 1 seen in H1 only and client 2 seen in H2 only
    reg(v.ADVICE_CONVERSATION, D(2025, 2, 1), trajectory=trajectory(desk_a))
    reg(v.ADVICE_CONVERSATION, D(2025, 9, 1), trajectory=trajectory(desk_a))
    # when the report is computed
    rep = report([desk_a.pk])
    # then each half has one, the year two
    assert triple(rep, "burgers-bereikt") == (1, 1, 2)


@pytest.mark.parametrize(
    "status, expected",
    [
        (
            COMPLETED,
            {"adviesgesprekken": 1, "afgezegd": 0, "niet-verschenen": 0, "burgers": 1},
        ),
        (
            CANCELLED,
            {"adviesgesprekken": 0, "afgezegd": 1, "niet-verschenen": 0, "burgers": 0},
        ),
        (
            NO_SHOW,
            {"adviesgesprekken": 0, "afgezegd": 0, "niet-verschenen": 1, "burgers": 0},
        ),
    ],
)
def test_cancelled_and_no_show_are_separate_figures(desk_a, status, expected):
    # given one advice conversation with this status
    reg(v.ADVICE_CONVERSATION, D(2025, 4, 4), status, trajectory=trajectory(desk_a))
    # when the report is computed
    rep = report([desk_a.pk], periods=[H1])
    # then it lands in exactly one of the three conversation figures
    assert rep.value("adviesgesprekken", H1.label) == expected["adviesgesprekken"]
    assert rep.value("adviesgesprekken-afgezegd", H1.label) == expected["afgezegd"]
    assert rep.value("adviesgesprekken-niet-verschenen", H1.label) == expected["niet-verschenen"]
    assert rep.value("burgers-bereikt", H1.label) == expected["burgers"]


BOUNDARY_PERIODS = [
    Period.year(2024),
    Period.half(2024, 1),
    Period.half(2024, 2),
    Period.year(2025),
    Period.half(2025, 1),
    Period.half(2025, 2),
]


@pytest.mark.parametrize(
    "day, columns",
    [
        (D(2024, 6, 30), {"2024", "2024 H1"}),
        (D(2024, 7, 1), {"2024", "2024 H2"}),
        (D(2024, 12, 31), {"2024", "2024 H2"}),
        (D(2025, 1, 1), {"2025", "2025 H1"}),
        (D(2025, 6, 30), {"2025", "2025 H1"}),
        (D(2025, 7, 1), {"2025", "2025 H2"}),
        (D(2025, 12, 31), {"2025", "2025 H2"}),
    ],
    ids=str,
)
@pytest.mark.parametrize(
    "code, figure",
    [
        (v.ADVICE_CONVERSATION, "adviesgesprekken"),
        (v.ADVICE_CONVERSATION, "burgers-bereikt"),
        (v.EMPLOYER_ADVICE, "werkgevers-individueel"),
    ],
)
def test_a_registration_on_a_period_boundary_lands_in_the_right_column(
    desk_a, day, columns, code, figure
):
    # given one registration on a boundary day
    if code == v.EMPLOYER_ADVICE:
        reg(code, day, employer=EmployerFactory(desk=desk_a))
    else:
        reg(code, day, trajectory=TrajectoryFactory(desk=desk_a, opened_on=D(2024, 1, 1)))
    # when the report is computed for both years and all halves
    rep = compute_report(desk_ids=[desk_a.pk], periods=BOUNDARY_PERIODS, ruleset=v1())
    # then it counts in its half and its year, and nowhere else
    assert {p.label: rep.value(figure, p.label) for p in BOUNDARY_PERIODS} == {
        p.label: 1 if p.label in columns else 0 for p in BOUNDARY_PERIODS
    }


def test_an_erased_client_still_counts(desk_a, desk_b, manager_a):
    # given the full scenario and its report, unfiltered and filtered by municipality
    made = build_scenario(desk_a, desk_b)
    municipality = made["a_advice_1"].client.municipality
    by_municipality = ReportFilters(municipality=municipality.code)
    before = table(report([desk_a.pk]))
    before_filtered = table(report([desk_a.pk], filters=by_municipality))
    assert before_filtered["adviesgesprekken"] == (3, 2, 5)  # the filter does select
    # when every client is erased
    for name in ("a_intake", "b_advice_h2", "c_ctc_1"):
        client_erase(actor=manager_a, client=made[name].client)
    # then every figure is unchanged, filtered too (the municipality is kept)
    assert Client.objects.filter(desk=desk_a, erased_at__isnull=False).count() == 3
    assert table(report([desk_a.pk])) == before
    assert table(report([desk_a.pk], filters=by_municipality)) == before_filtered


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"occurred_on": D(2025, 7, 1)},
            {"adviesgesprekken": (0, 1, 1), "burgers-bereikt": (0, 1, 1)},
        ),
        (
            {"occurred_on": D(2024, 12, 31)},
            {"adviesgesprekken": (0, 0, 0), "burgers-bereikt": (0, 0, 0)},
        ),
        (
            {"status": CANCELLED},
            {
                "adviesgesprekken": (0, 0, 0),
                "adviesgesprekken-afgezegd": (1, 0, 1),
                "burgers-bereikt": (0, 0, 0),
            },
        ),
        (
            {"status": NO_SHOW},
            {
                "adviesgesprekken": (0, 0, 0),
                "adviesgesprekken-niet-verschenen": (1, 0, 1),
                "burgers-bereikt": (0, 0, 0),
            },
        ),
        (
            {"occurred_on": D(2025, 7, 1), "status": CANCELLED},
            {
                "adviesgesprekken": (0, 0, 0),
                "adviesgesprekken-afgezegd": (0, 1, 1),
                "burgers-bereikt": (0, 0, 0),
            },
        ),
    ],
    ids=["moved-to-h2", "moved-to-2024", "cancelled", "no-show", "moved-and-cancelled"],
)
def test_an_edited_registration_changes_the_report_consistently(
    desk_a, manager_a, changes, expected
):
    # given one held conversation in H1, counted once
    registration = reg(v.ADVICE_CONVERSATION, D(2025, 3, 3), trajectory=trajectory(desk_a))
    before = table(report([desk_a.pk]))
    assert before["adviesgesprekken"] == (1, 0, 1)
    # when it is edited through the service
    registration_update(
        actor=manager_a,
        registration=registration,
        expected_version=registration.version,
        **changes,
    )
    # then the recomputed report moved exactly the expected figures; the rest is unchanged
    after = table(report([desk_a.pk]))
    for code, values in expected.items():
        assert after[code] == values
    unchanged = {c for c in before if c not in expected}
    assert {c: after[c] for c in unchanged} == {c: before[c] for c in unchanged}
    # and the drill-down follows the edit
    moved_to = H2 if changes.get("occurred_on") == D(2025, 7, 1) else H1
    code = {CANCELLED: "adviesgesprekken-afgezegd", NO_SHOW: "adviesgesprekken-niet-verschenen"}
    figure = code.get(changes.get("status", COMPLETED), "adviesgesprekken")
    rows = registrations_for_figure(
        desk_ids=[desk_a.pk], period=moved_to, definition=definition(figure)
    )
    in_2025 = changes.get("occurred_on", D(2025, 3, 3)).year == 2025
    assert [r.pk for r in rows] == ([registration.pk] if in_2025 else [])


def test_a_registration_added_after_the_period_is_counted_on_recompute(desk_a, manager_a):
    # given a report of 2025 with one conversation in H1
    t = trajectory(desk_a)
    reg(v.ADVICE_CONVERSATION, D(2025, 3, 3), trajectory=t)
    assert triple(report([desk_a.pk]), "adviesgesprekken") == (1, 0, 1)
    # when a late registration for H1 is added (today is after 2025) for another client
    late = registration_create(
        actor=manager_a,
        desk=desk_a,
        type=registration_type(v.ADVICE_CONVERSATION),
        occurred_on=D(2025, 6, 30),
        trajectory=trajectory(desk_a),
        channel=Channel.PHONE,
    )
    # then the recomputed report counts it in H1 and in the year, and the drill-down shows it
    rep = report([desk_a.pk])
    assert triple(rep, "adviesgesprekken") == (2, 0, 2)
    assert triple(rep, "burgers-bereikt") == (2, 0, 2)
    rows = registrations_for_figure(
        desk_ids=[desk_a.pk], period=H1, definition=definition("adviesgesprekken")
    )
    assert late.pk in {r.pk for r in rows}


def test_employers_individually_in_groups_and_via_learning_work_are_three_numbers(desk_a, desk_b):
    # given employer 1 with two advice contacts, a group session (H1) and a learning-work
    # trajectory (H2), employer 2 at a group session in H2, and one of desk B
    e1, e2 = EmployerFactory(desk=desk_a), EmployerFactory(desk=desk_a)
    reg(v.EMPLOYER_ADVICE, D(2025, 2, 1), employer=e1)
    reg(v.EMPLOYER_ADVICE, D(2025, 5, 1), employer=e1)
    reg(v.EMPLOYER_GROUP_SESSION, D(2025, 3, 1), employer=e1)
    reg(v.EMPLOYER_LEARNING_WORK, D(2025, 9, 1), employer=e1)
    reg(v.EMPLOYER_LEARNING_WORK, D(2025, 10, 1), employer=e1)
    reg(v.EMPLOYER_GROUP_SESSION, D(2025, 11, 1), employer=e2)
    reg(v.EMPLOYER_ADVICE, D(2025, 2, 1), employer=EmployerFactory(desk=desk_b))
    # when the report is computed for desk A
    rep = report([desk_a.pk])
    # then one employer in two activities counts in both; two of one kind count once
    assert triple(rep, "werkgevers-individueel") == (1, 0, 1)
    assert triple(rep, "werkgevers-groepen") == (1, 1, 2)
    assert triple(rep, "werkgevers-leerwerktrajecten") == (0, 1, 1)


@pytest.mark.parametrize(
    "tests_per_client, participants, conversations",
    [
        ([[D(2025, 3, 1), D(2025, 4, 1)]], (1, 0, 1), (2, 0, 2)),
        ([[D(2025, 3, 1), D(2025, 4, 1)], [D(2025, 5, 1)]], (2, 0, 2), (3, 0, 3)),
        ([[D(2025, 3, 1), D(2025, 9, 1)]], (1, 1, 1), (1, 1, 2)),
    ],
    ids=["one-client-two-tests", "two-clients", "one-client-both-halves"],
)
def test_competence_test_participants_and_conversations_are_two_numbers(
    desk_a, tests_per_client, participants, conversations
):
    # given clients with CTC tests
    for dates in tests_per_client:
        t = trajectory(desk_a)
        for day in dates:
            reg(v.COMPETENCE_TEST, day, trajectory=t)
    # when the report is computed
    rep = report([desk_a.pk])
    # then participants are different clients, conversations are tests
    assert triple(rep, "competentietest-deelnemers") == participants
    assert triple(rep, "competentietest-gesprekken") == conversations


@pytest.mark.parametrize(
    "desks, expected",
    [
        (["a"], {"adviesgesprekken": 2, "burgers-bereikt": 1, "web": 10, "fte": "1.00"}),
        (["b"], {"adviesgesprekken": 1, "burgers-bereikt": 1, "web": 5, "fte": "0.50"}),
        (["a", "b"], {"adviesgesprekken": 3, "burgers-bereikt": 2, "web": 15, "fte": "1.50"}),
        (["a", "a"], {"adviesgesprekken": 2, "burgers-bereikt": 1, "web": 10, "fte": "1.00"}),
    ],
    ids=["desk-a", "desk-b", "both-sum", "duplicate-id"],
)
def test_other_desks_never_count_and_several_desks_sum(desk_a, desk_b, desks, expected):
    # given two conversations of one client at A, one at B, and manual values and staff at both
    t = trajectory(desk_a)
    reg(v.ADVICE_CONVERSATION, D(2025, 2, 1), trajectory=t)
    reg(v.ADVICE_CONVERSATION, D(2025, 3, 1), trajectory=t)
    reg(v.ADVICE_CONVERSATION, D(2025, 2, 1), trajectory=trajectory(desk_b))
    manual(desk_a, "websitebezoekers", 2025, 1, "10")
    manual(desk_b, "websitebezoekers", 2025, 1, "5")
    StaffMembershipFactory(desk=desk_a, fte=Decimal("1.00"), start_date=D(2024, 1, 1))
    StaffMembershipFactory(desk=desk_b, fte=Decimal("0.50"), start_date=D(2024, 1, 1))
    ids = {"a": desk_a.pk, "b": desk_b.pk}
    # when the report is computed for the chosen desks
    rep = report([ids[d] for d in desks], periods=[H1])
    # then only their registrations count, summed
    assert rep.value("adviesgesprekken", H1.label) == expected["adviesgesprekken"]
    assert rep.value("burgers-bereikt", H1.label) == expected["burgers-bereikt"]
    assert rep.value("websitebezoekers", H1.label) == expected["web"]
    assert rep.value("fte", H1.label) == Decimal(expected["fte"])


# -- filters ---------------------------------------------------------------------------------

# Four conversations r0..r3, each of a different client; every filter dimension selects a
# different pair, so a filter that looked at the wrong attribute would select the wrong pair.
MATCHES = {
    "target_group": {0, 1},
    "contact_channel": {0, 2},
    "intake_channel": {1, 2},
    "municipality": {0, 3},
    "referrer": {1, 3},
    "service_line": {2, 3},
}


@pytest.fixture
def filter_scenario(desk_a):  # type: ignore[no-untyped-def]
    in_group, out_group = (
        TargetGroup.objects.get(code="statushouder"),
        TargetGroup.objects.get(code="herintreder"),
    )
    place, elsewhere = Municipality.objects.order_by("code")[:2]
    partner, other_partner = PartnerFactory(), PartnerFactory()
    line, other_line = (
        ServiceLine.objects.get(code="mobiliteit"),
        ServiceLine.objects.get(code="leerwerkadvies"),
    )
    values = {
        "target_group": "statushouder",
        "contact_channel": Channel.VIDEO,
        "intake_channel": IntakeChannel.PHONE,
        "municipality": place.code,
        "referrer": str(partner.uuid),
        "service_line": "mobiliteit",
    }
    made = []
    for i in range(4):
        client = ClientFactory(
            desk=desk_a,
            municipality=place if i in MATCHES["municipality"] else elsewhere,
            target_groups=[in_group if i in MATCHES["target_group"] else out_group],
        )
        t = TrajectoryFactory(
            desk=desk_a,
            client=client,
            opened_on=OPENED,
            channel=IntakeChannel.PHONE
            if i in MATCHES["intake_channel"]
            else IntakeChannel.WEB_FORM,
            referrer_partner=partner if i in MATCHES["referrer"] else other_partner,
            service_line=line if i in MATCHES["service_line"] else other_line,
        )
        made.append(
            reg(
                v.ADVICE_CONVERSATION,
                D(2025, 3, 1 + i),
                trajectory=t,
                channel=Channel.VIDEO if i in MATCHES["contact_channel"] else Channel.PHONE,
            )
        )
    # an information contact by video (no client) and an employer contact (no client)
    info = reg(v.INFORMATION_CONTACT, D(2025, 3, 9), desk=desk_a, channel=Channel.VIDEO)
    reg(v.EMPLOYER_ADVICE, D(2025, 3, 9), employer=EmployerFactory(desk=desk_a))
    manual(desk_a, "websitebezoekers", 2025, 1, "100")
    manual(desk_a, "realisatie", 2025, 1, "1000")
    return made, info, values


FILTER_CASES = [
    *[({name}, indexes) for name, indexes in MATCHES.items()],
    ({"target_group", "contact_channel"}, {0}),
    ({"intake_channel", "referrer"}, {1}),
    ({"target_group", "service_line"}, set()),
]


@pytest.mark.parametrize(
    "names, indexes", FILTER_CASES, ids=["+".join(sorted(n)) for n, _ in FILTER_CASES]
)
def test_each_filter_selects_exactly_the_expected_registrations(
    filter_scenario, desk_a, names, indexes
):
    made, info, values = filter_scenario
    filters = ReportFilters(**{name: values[name] for name in names})
    # when the report is computed with the filter
    rep = report([desk_a.pk], periods=[H1], filters=filters)
    # then exactly the matching conversations count, and their clients
    assert rep.value("adviesgesprekken", H1.label) == len(indexes)
    assert rep.value("burgers-bereikt", H1.label) == len(indexes)
    rows = registrations_for_figure(
        desk_ids=[desk_a.pk], period=H1, definition=definition("adviesgesprekken"), filters=filters
    )
    assert {r.pk for r in rows} == {made[i].pk for i in indexes}
    # and the information contact only by its channel; the employer contact never
    assert rep.value("informatiecontacten", H1.label) == (1 if names == {"contact_channel"} else 0)
    assert rep.value("werkgevers-individueel", H1.label) == 0
    # and manual figures cannot be split: blank, so the derived cost is blank too
    assert rep.value("websitebezoekers", H1.label) is None
    assert rep.value("realisatie", H1.label) is None
    assert rep.value("kosten-per-burger", H1.label) is None


def test_without_filters_everything_counts(filter_scenario, desk_a):
    # given the filter scenario
    # when the report is computed without filters
    rep = report([desk_a.pk], periods=[H1])
    # then all four conversations, the information and employer contacts and manual values count
    assert not rep.filters.active
    assert rep.value("adviesgesprekken", H1.label) == 4
    assert rep.value("informatiecontacten", H1.label) == 1
    assert rep.value("werkgevers-individueel", H1.label) == 1
    assert rep.value("websitebezoekers", H1.label) == 100
    assert rep.value("kosten-per-burger", H1.label) == Decimal("250.00")


# -- manual figures --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "halves, web, followers",
    [
        ({1, 2}, (100, 250, 350), (40, 55, 55)),
        ({1}, (100, None, 100), (40, None, 40)),
        ({2}, (None, 250, 250), (None, 55, 55)),
        (set(), (None, None, None), (None, None, None)),
    ],
    ids=["both-halves", "only-h1", "only-h2", "none"],
)
def test_manual_figures_sum_or_take_the_last_and_are_blank_when_missing(
    desk_a, desk_b, halves, web, followers
):
    # given website visitors and followers entered for some halves of 2025 (and noise)
    entered = {1: ("100", "40"), 2: ("250", "55")}
    for half in halves:
        manual(desk_a, "websitebezoekers", 2025, half, entered[half][0])
        manual(desk_a, "volgers-sociale-media", 2025, half, entered[half][1])
    manual(desk_a, "websitebezoekers", 2024, 2, "999")
    manual(desk_a, "volgers-sociale-media", 2026, 1, "999")
    manual(desk_b, "websitebezoekers", 2025, 1, "999")
    # when the report is computed
    rep = report([desk_a.pk])
    # then visitors sum over the halves, followers take the last, missing is blank
    assert triple(rep, "websitebezoekers") == web
    assert triple(rep, "volgers-sociale-media") == followers
    assert all(cell.manual for cell in rep.row("websitebezoekers").cells)


def test_manual_figures_are_blank_when_a_filter_is_active(desk_a):
    # given every manual figure entered for both halves
    for code in ("websitebezoekers", "volgers-sociale-media", "begroting", "realisatie"):
        manual(desk_a, code, 2025, 1, "10")
        manual(desk_a, code, 2025, 2, "20")
    # when the report is computed with a filter
    rep = report([desk_a.pk], filters=ReportFilters(target_group="statushouder"))
    # then they are blank, with the reason
    for code in ("websitebezoekers", "volgers-sociale-media", "begroting", "realisatie"):
        assert triple(rep, code) == (None, None, None)
        assert rep.row(code).cells[0].how == "Niet uit te splitsen."


# -- staff FTE and derived figures -----------------------------------------------------------


@pytest.mark.parametrize(
    "memberships, expected",
    [
        # 1 Jul - 30 Sep is 92 of the 184 days of H2: 0.50; 92/365 of the year: 0.25
        ([("1.00", D(2025, 7, 1), D(2025, 9, 30))], ("0.00", "0.50", "0.25")),
        ([("0.60", D(2024, 6, 1), None)], ("0.60", "0.60", "0.60")),
        ([("0.80", D(2025, 1, 1), D(2025, 12, 31))], ("0.80", "0.80", "0.80")),
        # 1 Jan - 31 Mar: 90 of 181 days of H1
        ([("1.00", D(2025, 1, 1), D(2025, 3, 31))], ("0.50", "0.00", "0.25")),
        ([("1.00", D(2024, 1, 1), D(2024, 12, 31))], ("0.00", "0.00", "0.00")),
        ([("1.00", D(2026, 1, 1), None)], ("0.00", "0.00", "0.00")),
        # one day only: 30 June
        ([("1.00", D(2025, 6, 30), D(2025, 6, 30))], ("0.01", "0.00", "0.00")),
        (
            [("1.00", D(2024, 1, 1), None), ("0.50", D(2025, 7, 1), D(2025, 9, 30))],
            ("1.00", "1.25", "1.13"),
        ),
    ],
    ids=[
        "half-of-h2",
        "open-ended",
        "whole-year",
        "first-quarter",
        "ended-before",
        "starts-after",
        "one-day",
        "two-memberships",
    ],
)
def test_staff_fte_is_time_weighted_over_the_period(desk_a, memberships, expected):
    # given memberships at desk A
    for fte, start, end in memberships:
        StaffMembershipFactory(desk=desk_a, fte=Decimal(fte), start_date=start, end_date=end)
    # when the report is computed
    rep = report([desk_a.pk])
    # then the FTE is the average over the days of each period
    assert triple(rep, "fte") == tuple(Decimal(x) for x in expected)


def test_derived_figures_use_the_right_numbers_and_explain_themselves(desk_a):
    # given three clients reached in H1, 1.0 FTE in H1 only, spending 900 in H1 and 500 in H2
    for _ in range(3):
        reg(v.ADVICE_CONVERSATION, D(2025, 2, 2), trajectory=trajectory(desk_a))
    StaffMembershipFactory(
        desk=desk_a, fte=Decimal("1.00"), start_date=D(2025, 1, 1), end_date=D(2025, 6, 30)
    )
    manual(desk_a, "realisatie", 2025, 1, "900")
    manual(desk_a, "realisatie", 2025, 2, "500")
    # when the report is computed
    rep = report([desk_a.pk])
    # then per FTE: H1 3 / 1.00; H2 has no FTE (blank); the year 3 / (181/365 = 0.50)
    assert triple(rep, "fte") == (Decimal("1.00"), Decimal("0.00"), Decimal("0.50"))
    assert triple(rep, "burgers-per-fte") == (Decimal("3.00"), None, Decimal("6.00"))
    h1, h2, year = rep.row("burgers-per-fte").cells[1:] + rep.row("burgers-per-fte").cells[:1]
    assert h1.how == "burgers individueel bereikt (3) gedeeld door fte medewerkers (1,00)"
    assert year.how == "burgers individueel bereikt (3) gedeeld door fte medewerkers (0,50)"
    assert h2.how.startswith("Niet te berekenen")
    # and per citizen: H1 900 / 3; H2 nobody reached (blank); the year 1400 / 3
    assert triple(rep, "kosten-per-burger") == (Decimal("300.00"), None, Decimal("466.67"))
    cost_h1 = rep.row("kosten-per-burger").cells[1]
    assert (
        cost_h1.how
        == "gerealiseerde uitgaven (€ 900,00) gedeeld door burgers individueel bereikt (3)"
    )
    assert rep.row("kosten-per-burger").cells[2].how.startswith("Niet te berekenen")


def test_derived_figures_are_blank_when_the_numerator_is_missing(desk_a):
    # given a reached client and staff, but no spending entered
    reg(v.ADVICE_CONVERSATION, D(2025, 2, 2), trajectory=trajectory(desk_a))
    # when the report is computed
    rep = report([desk_a.pk])
    # then the cost per citizen is blank, and so is citizens per FTE without staff
    assert triple(rep, "kosten-per-burger") == (None, None, None)
    assert triple(rep, "burgers-per-fte") == (None, None, None)


# -- recomputing under another rule set ------------------------------------------------------


def make_version_2() -> RuleSet:
    """Version 2 as the national team would publish it: v1 with burgers-bereikt counting
    intakes too."""
    ruleset = RuleSet.objects.create(
        number=2, effective_from=D(2026, 1, 1), published_at=timezone.now(), notes="Test"
    )
    for figure in v1().figures.all():
        figure.pk = None
        figure.ruleset = ruleset
        if figure.code == "burgers-bereikt":
            figure.type_codes = [v.ADVICE_CONVERSATION, v.INTAKE]
        figure.save()
    return ruleset


def test_a_report_can_be_recomputed_under_another_rule_set(desk_a):
    # given client 1 with only an intake and client 2 with a conversation, and version 2
    reg(v.INTAKE, D(2025, 3, 3), trajectory=trajectory(desk_a))
    reg(v.ADVICE_CONVERSATION, D(2025, 4, 4), trajectory=trajectory(desk_a))
    version_2 = make_version_2()
    # when the report is computed under each version
    old = compute_report(desk_ids=[desk_a.pk], periods=PERIODS, ruleset=v1())
    new = compute_report(desk_ids=[desk_a.pk], periods=PERIODS, ruleset=version_2)
    # then each gives its own answer and says which rules it used
    assert (old.ruleset.number, new.ruleset.number) == (1, 2)
    assert triple(old, "burgers-bereikt") == (1, 0, 1)
    assert triple(new, "burgers-bereikt") == (2, 0, 2)
    # and the figures that did not change agree
    unchanged = [c for c in V1_CODES if c not in {"burgers-bereikt", "burgers-per-fte"}]
    assert {c: triple(old, c) for c in unchanged} == {c: triple(new, c) for c in unchanged}


def test_the_rule_set_in_force_depends_on_the_date_and_publication(desk_a):
    # given version 2 from 2026 and an unpublished draft version 3
    version_2 = make_version_2()
    RuleSet.objects.create(number=3, effective_from=D(2026, 2, 1), published_at=None)
    # then 2025 uses version 1, 2026 version 2, and the draft is never in force
    assert ruleset_in_force(D(2025, 12, 31)).number == 1
    assert ruleset_in_force(D(2026, 1, 1)) == version_2
    assert ruleset_in_force(D(2026, 6, 1)) == version_2
    # and without a rule set a report uses the one in force at the end of its last period
    reg(v.INTAKE, D(2025, 3, 3), trajectory=trajectory(desk_a))
    rep = compute_report(desk_ids=[desk_a.pk], periods=PERIODS)
    assert rep.ruleset == ruleset_in_force(max(p.end for p in PERIODS))
    assert rep.value("intakes", "2025") == 1
    assert compute_report(desk_ids=[desk_a.pk], periods=[Period.year(2025)]).ruleset.number == 1
    assert compute_report(desk_ids=[desk_a.pk], periods=[Period.year(2026)]).ruleset == version_2


# -- property: the report equals a straight count --------------------------------------------

CLIENT_TYPES = [v.INTAKE, v.ADVICE_CONVERSATION, v.COMPETENCE_TEST, "werkscan"]
EMPLOYER_TYPES = [v.EMPLOYER_ADVICE, v.EMPLOYER_GROUP_SESSION, v.EMPLOYER_LEARNING_WORK]
ALL_TYPES = [*CLIENT_TYPES, v.INFORMATION_CONTACT, *EMPLOYER_TYPES]

ROWS = st.lists(
    st.tuples(
        st.sampled_from(ALL_TYPES),
        st.sampled_from([COMPLETED, CANCELLED, NO_SHOW]),
        st.integers(min_value=0, max_value=364),  # day of 2025
        st.integers(min_value=0, max_value=4),  # which client (or employer, modulo 3)
        st.integers(min_value=0, max_value=5).map(lambda n: n == 0),  # at the other desk?
    ),
    max_size=14,
)


def straight_count(rows, period: Period) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Each counted figure of VERSION_1, by plain Python over the generated rows."""
    result = {}
    for _, code, _, method, types, statuses, *_ in rules.VERSION_1:
        if method not in COUNTED_METHODS:
            continue
        hits = [
            (who, type_)
            for type_, status, day, who, elsewhere in rows
            if not elsewhere
            and type_ in types
            and (not statuses or status in statuses)
            and period.start <= D(2025, 1, 1) + datetime.timedelta(days=day) <= period.end
        ]
        if method == Method.REGISTRATIONS:
            result[code] = len(hits)
        elif method == Method.DISTINCT_CLIENTS:
            result[code] = len({who for who, _ in hits})
        else:
            result[code] = len({who % 3 for who, _ in hits})
    return result


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS)
def test_property_the_report_equals_a_straight_count(desk_a, desk_b, rows):
    ruleset = v1()
    with transaction.atomic():  # every example starts from the same empty desks
        # given up to five clients and three employers at desk A, and random registrations
        trajectories = [trajectory(desk_a) for _ in range(5)]
        employers = [EmployerFactory(desk=desk_a) for _ in range(3)]
        for type_, status, day, who, elsewhere in rows:
            on = D(2025, 1, 1) + datetime.timedelta(days=day)
            if elsewhere:
                reg(type_, on, status, desk=desk_b)
            elif type_ in EMPLOYER_TYPES:
                reg(type_, on, status, employer=employers[who % 3])
            elif type_ == v.INFORMATION_CONTACT:
                reg(type_, on, status, desk=desk_a, client=trajectories[who].client)
            else:
                reg(type_, on, status, trajectory=trajectories[who])
        # when the report is computed
        rep = compute_report(desk_ids=[desk_a.pk], periods=PERIODS, ruleset=ruleset)
        # then every counted figure equals the straight count, in every period
        for period in PERIODS:
            expected = straight_count(rows, period)
            assert {code: rep.value(code, period.label) for code in expected} == expected
        transaction.set_rollback(True)
