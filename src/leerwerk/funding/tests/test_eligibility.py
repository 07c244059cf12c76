"""The eligibility engine on its own: every condition kind, the verdicts, the Dutch reasons,
validity periods, contradictions, combination rules and ordering. No database."""

from __future__ import annotations

import datetime

import pytest

from leerwerk.funding.constants import AGENCY_WORKER, Outcome, Verdict
from leerwerk.funding.eligibility import (
    CONFLICT,
    PERIOD,
    ArrangementRules,
    ConditionRule,
    SituationFacts,
    TrainingFacts,
    contradictions,
    describe_condition,
    evaluate,
)

TODAY = datetime.date(2026, 6, 15)


def rules(name: str = "Regeling", *conditions: ConditionRule, **kwargs) -> ArrangementRules:  # type: ignore[no-untyped-def]
    return ArrangementRules(key=kwargs.pop("key", name), name=name, conditions=conditions, **kwargs)


def one(situation: SituationFacts, training: TrainingFacts | None, arrangement: ArrangementRules):  # type: ignore[no-untyped-def]
    [result] = evaluate(situation, training, on=TODAY, arrangements=[arrangement])
    return result


AGE_18_TO_55 = ConditionRule("age", "between", minimum=18, maximum=55)
WORKERS = ConditionRule("situation", "in", ("worker", AGENCY_WORKER))
DIPLOMA = ConditionRule("training_kind", "in", ("diploma",))


def test_all_conditions_met_is_eligible_with_a_reason_per_condition():
    result = one(
        SituationFacts(situations=frozenset({"worker"}), age=40),
        None,
        rules("Werkend leren", WORKERS, AGE_18_TO_55),
    )

    assert result.verdict == Verdict.ELIGIBLE
    assert [c.outcome for c in result.conditions] == [Outcome.MET, Outcome.MET]
    reasons = {c.kind: c.reason for c in result.conditions}
    assert reasons["age"] == (
        "Uw leeftijd: 40 jaar. Dat past: deze regeling is voor mensen van 18 tot en met 55 jaar."
    )
    assert reasons["situation"] == (
        "Uw situatie: Werkend. Dat past: deze regeling is voor: "
        "Uitzendkracht of flexwerker of Werkend."
    )
    assert result.questions == ()


def test_one_condition_not_met_makes_it_not_eligible_and_says_why():
    result = one(
        SituationFacts(situations=frozenset({"student"}), age=40),
        None,
        rules("Werkend leren", WORKERS, AGE_18_TO_55),
    )

    assert result.verdict == Verdict.NOT_ELIGIBLE
    situation = next(c for c in result.conditions if c.kind == "situation")
    assert situation.outcome == Outcome.NOT_MET
    assert situation.reason.startswith("Uw situatie: Student of scholier. Dat past niet:")


def test_a_missing_answer_makes_it_possibly_with_the_question_to_answer():
    result = one(
        SituationFacts(situations=frozenset({"worker"})), None, rules("R", WORKERS, AGE_18_TO_55)
    )

    assert result.verdict == Verdict.POSSIBLY
    age = next(c for c in result.conditions if c.kind == "age")
    assert age.outcome == Outcome.UNKNOWN
    assert age.reason == (
        "Uw leeftijd weten we nog niet. Deze regeling is voor mensen van 18 tot en met 55 jaar."
    )
    assert result.questions == ("Hoe oud bent u?",)


def test_not_met_wins_over_unknown():
    result = one(SituationFacts(age=70), None, rules("R", WORKERS, AGE_18_TO_55))

    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.questions == ()  # no point asking when it cannot work anyway


def test_without_a_chosen_training_training_conditions_ask_which_training():
    result = one(SituationFacts(), None, rules("Krediet", DIPLOMA))

    assert result.verdict == Verdict.POSSIBLY
    assert result.conditions[0].reason.startswith("U heeft nog geen opleiding gekozen.")
    assert result.questions == ("Welke opleiding of cursus wilt u doen?",)


@pytest.mark.parametrize(
    ("training", "outcome"),
    [
        (TrainingFacts(kind="diploma"), Outcome.MET),
        (TrainingFacts(kind="course"), Outcome.NOT_MET),
        (TrainingFacts(level="mbo_3"), Outcome.UNKNOWN),  # a training, but its kind unknown
    ],
)
def test_training_kind(training, outcome):
    result = one(SituationFacts(), training, rules("R", DIPLOMA))

    assert result.conditions[0].outcome == outcome


@pytest.mark.parametrize(
    ("lists", "outcome"),
    [
        (frozenset({"rio", "regional_list"}), Outcome.MET),
        (frozenset(), Outcome.NOT_MET),  # known to be on no list
        (None, Outcome.UNKNOWN),
    ],
)
def test_training_on_a_list(lists, outcome):
    condition = ConditionRule("training_list", "in", ("rio",))

    result = one(
        SituationFacts(), TrainingFacts(kind="diploma", lists=lists), rules("R", condition)
    )

    assert result.conditions[0].outcome == outcome


def test_not_in_excludes_the_listed_values():
    no_students = ConditionRule("situation", "not_in", ("student",))

    assert (
        one(SituationFacts(situations=frozenset({"worker"})), None, rules("R", no_students)).verdict
        == Verdict.ELIGIBLE
    )
    excluded = one(
        SituationFacts(situations=frozenset({"worker", "student"})), None, rules("R", no_students)
    )
    assert excluded.verdict == Verdict.NOT_ELIGIBLE
    assert "deze regeling is niet voor: Student of scholier" in excluded.conditions[0].reason


def test_someone_in_several_situations_meets_a_condition_on_any_of_them():
    result = one(
        SituationFacts(situations=frozenset({"student", AGENCY_WORKER})), None, rules("R", WORKERS)
    )

    assert result.verdict == Verdict.ELIGIBLE


def test_unknown_education_level_counts_as_not_answered():
    condition = ConditionRule("education_level", "in", ("mbo_1", "vmbo"))

    result = one(SituationFacts(education_level="unknown"), None, rules("R", condition))

    assert result.conditions[0].outcome == Outcome.UNKNOWN
    assert result.questions == ("Wat is de hoogste opleiding die u heeft gedaan?",)


def test_region_and_municipality_reasons_use_the_names():
    condition = ConditionRule("region", "in", ("AM22",), labels=(("AM22", "Rijnmond"),))

    result = one(
        SituationFacts(region_code="AM01", region_name="Groningen"), None, rules("R", condition)
    )

    assert result.conditions[0].reason == (
        "De regio waar u woont: Groningen. Dat past niet: deze regeling is alleen voor: Rijnmond."
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "verdict", "reason"),
    [
        (
            None,
            datetime.date(2026, 6, 14),
            Verdict.NOT_ELIGIBLE,
            "Deze regeling is gestopt op 14 juni 2026.",
        ),
        (
            datetime.date(2026, 6, 16),
            None,
            Verdict.NOT_ELIGIBLE,
            "Deze regeling begint pas op 16 juni 2026.",
        ),
        (
            datetime.date(2026, 6, 15),
            datetime.date(2026, 6, 15),
            Verdict.ELIGIBLE,
            "Deze regeling loopt nu, tot en met 15 juni 2026.",
        ),
    ],
)
def test_validity_period(valid_from, valid_until, verdict, reason):
    result = one(
        SituationFacts(),
        None,
        rules("R", valid_from=valid_from, valid_until=valid_until),
    )

    assert result.verdict == verdict
    assert result.conditions[0].kind == PERIOD
    assert result.conditions[0].reason == reason


def test_contradicting_conditions_are_never_eligible_even_with_unknown_answers():
    young = ConditionRule("age", "between", maximum=27)
    old = ConditionRule("age", "between", minimum=50)

    result = one(SituationFacts(), None, rules("R", young, old))

    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.conditions[0].kind == CONFLICT
    assert "spreken elkaar tegen" in result.conditions[0].reason


def test_contradictions_per_kind():
    assert contradictions(
        [ConditionRule("sector", "in", ("care",)), ConditionRule("sector", "in", ("ict",))]
    ) == ["sector"]
    assert contradictions(
        [ConditionRule("sector", "in", ("care",)), ConditionRule("sector", "not_in", ("care",))]
    ) == ["sector"]
    assert (
        contradictions(
            [
                ConditionRule("sector", "in", ("care", "ict")),
                ConditionRule("sector", "not_in", ("care",)),
            ]
        )
        == []
    )
    # Someone can be a student and a worker at once: not a contradiction.
    assert (
        contradictions(
            [
                ConditionRule("situation", "in", ("student",)),
                ConditionRule("situation", "in", ("worker",)),
            ]
        )
        == []
    )
    assert contradictions([ConditionRule("age", "between", minimum=30, maximum=30)]) == []


def test_arrangements_that_cannot_be_combined_are_reported_on_both():
    voucher = rules("Voucher", WORKERS, key="v", not_combinable_with=frozenset({"f"}))
    fund = rules("Fonds", WORKERS, key="f")
    other = rules("Ander", key="a")

    results = evaluate(
        SituationFacts(situations=frozenset({"worker"})),
        None,
        on=TODAY,
        arrangements=[voucher, fund, other],
    )

    by_name = {r.name: r for r in results}
    assert by_name["Voucher"].not_combinable_with == ("Fonds",)
    assert by_name["Fonds"].not_combinable_with == ("Voucher",)
    assert by_name["Ander"].not_combinable_with == ()


def test_combination_is_not_reported_when_the_other_does_not_apply():
    voucher = rules("Voucher", key="v", not_combinable_with=frozenset({"f"}))
    fund = rules("Fonds", WORKERS, key="f")

    results = evaluate(
        SituationFacts(situations=frozenset({"student"})),
        None,
        on=TODAY,
        arrangements=[voucher, fund],
    )

    assert {r.name: r.not_combinable_with for r in results} == {"Voucher": (), "Fonds": ()}


def test_results_are_sorted_by_verdict_then_name():
    results = evaluate(
        SituationFacts(situations=frozenset({"worker"})),
        None,
        on=TODAY,
        arrangements=[
            rules("b niet", ConditionRule("situation", "in", ("student",))),
            rules("a misschien", AGE_18_TO_55),
            rules("Z ja", WORKERS),
            rules("b ja"),
        ],
    )

    assert [r.name for r in results] == ["b ja", "Z ja", "a misschien", "b niet"]


def test_describe_condition_in_words():
    assert describe_condition(AGE_18_TO_55) == "Leeftijd: van 18 tot en met 55 jaar"
    assert (
        describe_condition(ConditionRule("age", "between", minimum=18))
        == "Leeftijd: van 18 jaar of ouder"
    )
    assert (
        describe_condition(ConditionRule("sector", "not_in", ("care",)))
        == "Sector van het werk: niet Zorg en welzijn"
    )
