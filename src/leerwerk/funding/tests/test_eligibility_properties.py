"""Property-based tests of the eligibility engine (hypothesis): age boundaries, missing
answers, contradicting conditions, expired arrangements, determinism."""

from __future__ import annotations

import datetime
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerwerk.clients.constants import EducationLevel, Sector, SizeClass
from leerwerk.funding.constants import (
    AGE_MAX,
    AGENCY_WORKER,
    ConditionKind,
    Outcome,
    TrainingKind,
    TrainingLevel,
    TrainingList,
    Verdict,
)
from leerwerk.funding.eligibility import (
    ArrangementRules,
    ConditionRule,
    SituationFacts,
    TrainingFacts,
    evaluate,
)

SITUATIONS = [
    "jobseeker_ww",
    "jobseeker_bijstand",
    "worker",
    "student",
    "self_employed",
    AGENCY_WORKER,
]
VALUES = {
    ConditionKind.SITUATION: SITUATIONS,
    ConditionKind.EDUCATION_LEVEL: [c for c in EducationLevel.values if c != "unknown"],
    ConditionKind.SECTOR: list(Sector.values),
    ConditionKind.EMPLOYER_SIZE: list(SizeClass.values),
    ConditionKind.REGION: ["AM01", "AM13", "AM22"],
    ConditionKind.MUNICIPALITY: ["GM0599", "GM0014"],
    ConditionKind.TRAINING_KIND: list(TrainingKind.values),
    ConditionKind.TRAINING_LEVEL: list(TrainingLevel.values),
    ConditionKind.TRAINING_LIST: list(TrainingList.values),
    ConditionKind.TRAINING_CREBO: ["25655", "25180"],
}
#: The machine is shared and sometimes slow: no per-example deadline, no "too slow" failure.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
ages = st.integers(min_value=0, max_value=AGE_MAX)
dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))


@st.composite
def set_conditions(draw):  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(sorted(VALUES)))
    values = draw(st.lists(st.sampled_from(VALUES[kind]), min_size=1, max_size=3, unique=True))
    return ConditionRule(kind, draw(st.sampled_from(["in", "not_in"])), tuple(values))


@st.composite
def age_conditions(draw):  # type: ignore[no-untyped-def]
    low = draw(st.none() | ages)
    high = draw(st.none() | ages)
    if low is None and high is None:
        low = 18
    return ConditionRule("age", "between", minimum=low, maximum=high)


conditions = st.one_of(set_conditions(), age_conditions())


@st.composite
def arrangements(draw, key: str | None = None):  # type: ignore[no-untyped-def]
    valid_from = draw(st.none() | dates)
    valid_until = draw(st.none() | dates)
    if valid_from and valid_until and valid_from > valid_until:
        valid_from, valid_until = valid_until, valid_from
    name = draw(st.text(alphabet="abcdefgh ", min_size=1, max_size=8))
    return ArrangementRules(
        key=key or draw(st.uuids()).hex,
        name=name,
        conditions=tuple(draw(st.lists(conditions, max_size=4))),
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _optional(values):  # type: ignore[no-untyped-def]
    return st.none() | st.sampled_from(values)


situations = st.builds(
    SituationFacts,
    situations=st.none() | st.frozensets(st.sampled_from(SITUATIONS), max_size=3),
    age=st.none() | ages,
    education_level=_optional(VALUES[ConditionKind.EDUCATION_LEVEL]),
    sector=_optional(VALUES[ConditionKind.SECTOR]),
    region_code=_optional(VALUES[ConditionKind.REGION]),
    municipality_code=_optional(VALUES[ConditionKind.MUNICIPALITY]),
    employer_size=_optional(VALUES[ConditionKind.EMPLOYER_SIZE]),
)
trainings = st.none() | st.builds(
    TrainingFacts,
    kind=_optional(VALUES[ConditionKind.TRAINING_KIND]),
    level=_optional(VALUES[ConditionKind.TRAINING_LEVEL]),
    crebo=_optional(VALUES[ConditionKind.TRAINING_CREBO]),
    lists=st.none()
    | st.frozensets(st.sampled_from(VALUES[ConditionKind.TRAINING_LIST]), max_size=3),
)


@relaxed
@given(low=ages, high=ages, age=ages)
def test_age_boundaries_count_and_the_reason_matches(low, high, age):
    low, high = min(low, high), max(low, high)
    condition = ConditionRule("age", "between", minimum=low, maximum=high)

    [result] = evaluate(
        SituationFacts(age=age),
        None,
        on=datetime.date(2026, 1, 1),
        arrangements=[ArrangementRules("k", "R", (condition,))],
    )

    inside = low <= age <= high
    assert result.verdict == (Verdict.ELIGIBLE if inside else Verdict.NOT_ELIGIBLE)
    assert (f"Uw leeftijd: {age} jaar. Dat past:" in result.conditions[0].reason) == inside


@relaxed
@given(arrangement=arrangements(), on=dates)
def test_with_no_answers_at_all_it_is_never_eligible_because_of_an_answer(arrangement, on):
    """Nothing known: every condition is unknown, so the verdict is "possibly" (with a question
    per kind) unless the period or a contradiction rules it out."""
    [result] = evaluate(SituationFacts(), None, on=on, arrangements=[arrangement])

    outcomes = {c.outcome for c in result.conditions if c.kind in ConditionKind.values}
    assert outcomes <= {Outcome.UNKNOWN}
    if result.verdict == Verdict.POSSIBLY:
        assert result.questions
    if result.verdict == Verdict.ELIGIBLE:
        assert not arrangement.conditions


@relaxed
@given(arrangement=arrangements(), situation=situations, training=trainings, on=dates)
def test_verdict_follows_the_condition_outcomes(arrangement, situation, training, on):
    [result] = evaluate(situation, training, on=on, arrangements=[arrangement])

    outcomes = [c.outcome for c in result.conditions]
    if Outcome.NOT_MET in outcomes:
        assert result.verdict == Verdict.NOT_ELIGIBLE
    elif Outcome.UNKNOWN in outcomes:
        assert result.verdict == Verdict.POSSIBLY
        assert result.questions
    else:
        assert result.verdict == Verdict.ELIGIBLE
    assert len([c for c in result.conditions if c.kind in ConditionKind.values]) == len(
        arrangement.conditions
    )
    assert all(c.reason for c in result.conditions)


@relaxed
@given(arrangement=arrangements(), situation=situations, training=trainings, on=dates)
def test_filling_in_a_missing_answer_never_turns_not_eligible_into_eligible(
    arrangement, situation, training, on
):
    [before] = evaluate(situation, training, on=on, arrangements=[arrangement])
    completed = SituationFacts(
        situations=situation.situations or frozenset({"worker"}),
        age=situation.age if situation.age is not None else 40,
        education_level=situation.education_level or "mbo_2",
        sector=situation.sector or "care",
        region_code=situation.region_code or "AM22",
        municipality_code=situation.municipality_code or "GM0599",
        employer_size=situation.employer_size or "10-49",
    )
    [after] = evaluate(completed, training, on=on, arrangements=[arrangement])

    if before.verdict == Verdict.NOT_ELIGIBLE:
        assert after.verdict == Verdict.NOT_ELIGIBLE
    if before.verdict == Verdict.ELIGIBLE:
        assert after.verdict == Verdict.ELIGIBLE


@relaxed
@given(low=st.integers(1, AGE_MAX), gap=st.integers(1, 50), situation=situations, on=dates)
def test_contradicting_age_ranges_are_never_eligible(low, gap, situation, on):
    young = ConditionRule("age", "between", maximum=low - 1)
    old = ConditionRule("age", "between", minimum=min(low + gap - 1, AGE_MAX))

    [result] = evaluate(
        situation, None, on=on, arrangements=[ArrangementRules("k", "R", (young, old))]
    )

    assert result.verdict == Verdict.NOT_ELIGIBLE


@relaxed
@given(
    arrangement=arrangements(), situation=situations, training=trainings, days=st.integers(1, 3000)
)
def test_an_expired_arrangement_is_never_eligible(arrangement, situation, training, days):
    end = datetime.date(2026, 1, 1)
    expired = ArrangementRules(arrangement.key, arrangement.name, arrangement.conditions, None, end)

    [result] = evaluate(
        situation, training, on=end + datetime.timedelta(days=days), arrangements=[expired]
    )

    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.conditions[0].reason == "Deze regeling is gestopt op 1 januari 2026."


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(arrangements(), min_size=1, max_size=4, unique_by=lambda a: a.key),
    situation=situations,
    training=trainings,
    on=dates,
    seed=st.integers(0, 1000),
)
def test_the_answer_does_not_depend_on_the_order_of_the_input(items, situation, training, on, seed):
    # given two arrangements that may not be stacked, and the rest in a random order
    if len(items) > 1:
        items[0] = ArrangementRules(
            items[0].key,
            items[0].name,
            items[0].conditions,
            items[0].valid_from,
            items[0].valid_until,
            frozenset({items[1].key}),
        )
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    reversed_conditions = [
        ArrangementRules(
            a.key,
            a.name,
            tuple(reversed(a.conditions)),
            a.valid_from,
            a.valid_until,
            a.not_combinable_with,
        )
        for a in shuffled
    ]

    first = evaluate(situation, training, on=on, arrangements=items)
    second = evaluate(situation, training, on=on, arrangements=reversed_conditions)

    assert first == second
