"""The eligibility engine: a pure function from facts and rules to explained results.

``evaluate(situation, training, on=…, arrangements=…)`` takes plain dataclasses (no database,
no request) and returns one :class:`Result` per arrangement, with a Dutch reason per condition:

* every condition is *met*, *not met* or *unknown* (the answer it needs is missing);
* an arrangement is **not eligible** when a condition is not met, when it is not valid on the
  date (expired or not yet started), or when its own conditions contradict each other;
  otherwise **possibly** when a condition is unknown (with the questions to answer), otherwise
  **eligible**;
* arrangements that may not be stacked are reported on both results when both are still open;
* the output is deterministic: it does not depend on the order of the input.

``leerwerk.funding.selectors.arrangement_rules`` turns database rows into these dataclasses.
See docs/funding.md for the rule language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerwerk.clients.constants import EducationLevel, Sector, SizeClass
from leerwerk.funding.constants import (
    MULTI_VALUED_KINDS,
    RANGE_KINDS,
    TRAINING_KINDS,
    VERDICT_ORDER,
    ConditionKind,
    Operator,
    Outcome,
    TrainingKind,
    TrainingLevel,
    TrainingList,
    Verdict,
    situation_choices,
)

# -- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SituationFacts:
    """What we know about the person. ``None`` means: not answered (yet)."""

    situations: frozenset[str] | None = None
    age: int | None = None
    education_level: str | None = None
    sector: str | None = None
    region_code: str | None = None
    municipality_code: str | None = None
    employer_size: str | None = None
    #: Display names for the codes above (optional; codes are shown when missing).
    region_name: str = ""
    municipality_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "situations": sorted(self.situations) if self.situations is not None else None,
            "age": self.age,
            "education_level": self.education_level,
            "sector": self.sector,
            "region_code": self.region_code,
            "municipality_code": self.municipality_code,
            "employer_size": self.employer_size,
            "region_name": self.region_name,
            "municipality_name": self.municipality_name,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SituationFacts:
        situations = data.get("situations")
        return cls(
            situations=frozenset(situations) if situations is not None else None,
            age=data.get("age"),
            education_level=data.get("education_level"),
            sector=data.get("sector"),
            region_code=data.get("region_code"),
            municipality_code=data.get("municipality_code"),
            employer_size=data.get("employer_size"),
            region_name=data.get("region_name") or "",
            municipality_name=data.get("municipality_name") or "",
        )


@dataclass(frozen=True)
class TrainingFacts:
    """The training chosen, described so that an offer from any catalogue can be mapped onto
    it: kind (diploma / certificate / course), level, crebo code and the lists or registers it
    is on (``None``: not known; an empty set: on no list)."""

    kind: str | None = None
    level: str | None = None
    name: str = ""
    crebo: str | None = None
    lists: frozenset[str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "level": self.level,
            "name": self.name,
            "crebo": self.crebo,
            "lists": sorted(self.lists) if self.lists is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> TrainingFacts | None:
        if data is None:
            return None
        lists = data.get("lists")
        return cls(
            kind=data.get("kind"),
            level=data.get("level"),
            name=data.get("name") or "",
            crebo=data.get("crebo"),
            lists=frozenset(lists) if lists is not None else None,
        )


# -- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionRule:
    """One condition: ``kind`` ``operator`` ``values`` (or ``minimum``/``maximum`` for a
    range; both bounds count, either may be open)."""

    kind: str
    operator: str
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    #: Display names for values that have no fixed vocabulary (regions, municipalities).
    labels: tuple[tuple[str, str], ...] = ()
    sort_order: int = 0
    key: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.sort_order,
            self.kind,
            self.operator,
            tuple(sorted(self.values)),
            -1 if self.minimum is None else self.minimum,
            -1 if self.maximum is None else self.maximum,
            self.key,
        )


@dataclass(frozen=True)
class ArrangementRules:
    key: str  # the arrangement's UUID as text
    name: str
    conditions: tuple[ConditionRule, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    not_combinable_with: frozenset[str] = field(default_factory=frozenset)  # keys


# -- results ---------------------------------------------------------------------------------

PERIOD = "period"  # the row about the validity period
CONFLICT = "conflict"  # the row about contradicting conditions


@dataclass(frozen=True)
class ConditionResult:
    kind: str
    outcome: str
    reason: str
    question: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "outcome": self.outcome,
            "reason": self.reason,
            "question": self.question,
        }


@dataclass(frozen=True)
class Result:
    key: str
    name: str
    verdict: str
    conditions: tuple[ConditionResult, ...]
    questions: tuple[str, ...] = ()
    #: Names of other arrangements in this answer that cannot be combined with this one.
    not_combinable_with: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return summary_for(self.verdict)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "verdict": self.verdict,
            "summary": self.summary,
            "conditions": [c.to_json() for c in self.conditions],
            "questions": list(self.questions),
            "not_combinable_with": list(self.not_combinable_with),
        }


def summary_for(verdict: str) -> str:
    if verdict == Verdict.ELIGIBLE:
        return _("U voldoet aan alle voorwaarden die wij kunnen controleren.")
    if verdict == Verdict.POSSIBLY:
        return _("Misschien. Wij hebben nog een paar antwoorden nodig.")
    return _("U voldoet niet aan alle voorwaarden.")


# -- vocabulary: labels, subjects and questions per kind ------------------------------------

_CHOICE_LABELS: dict[str, Any] = {
    ConditionKind.EDUCATION_LEVEL: EducationLevel.choices,
    ConditionKind.SECTOR: Sector.choices,
    ConditionKind.EMPLOYER_SIZE: SizeClass.choices,
    ConditionKind.TRAINING_KIND: TrainingKind.choices,
    ConditionKind.TRAINING_LEVEL: TrainingLevel.choices,
    ConditionKind.TRAINING_LIST: TrainingList.choices,
}

_SUBJECTS: dict[str, Any] = {
    ConditionKind.SITUATION: gettext_lazy("Uw situatie"),
    ConditionKind.AGE: gettext_lazy("Uw leeftijd"),
    ConditionKind.EDUCATION_LEVEL: gettext_lazy("Uw hoogste opleiding"),
    ConditionKind.SECTOR: gettext_lazy("De sector waarin u werkt"),
    ConditionKind.REGION: gettext_lazy("De regio waar u woont"),
    ConditionKind.MUNICIPALITY: gettext_lazy("De gemeente waar u woont"),
    ConditionKind.EMPLOYER_SIZE: gettext_lazy("Het aantal werknemers van uw werkgever"),
    ConditionKind.TRAINING_KIND: gettext_lazy("De soort opleiding"),
    ConditionKind.TRAINING_LEVEL: gettext_lazy("Het niveau van de opleiding"),
    ConditionKind.TRAINING_LIST: gettext_lazy("De lijsten waar de opleiding op staat"),
    ConditionKind.TRAINING_CREBO: gettext_lazy("De crebocode van de opleiding"),
}

QUESTIONS: dict[str, Any] = {
    ConditionKind.SITUATION: gettext_lazy(
        "Wat is uw situatie: werkt u, zoekt u werk, of iets anders?"
    ),
    ConditionKind.AGE: gettext_lazy("Hoe oud bent u?"),
    ConditionKind.EDUCATION_LEVEL: gettext_lazy("Wat is de hoogste opleiding die u heeft gedaan?"),
    ConditionKind.SECTOR: gettext_lazy("In welke sector werkt u?"),
    ConditionKind.REGION: gettext_lazy("Wat is uw postcode?"),
    ConditionKind.MUNICIPALITY: gettext_lazy("Wat is uw postcode?"),
    ConditionKind.EMPLOYER_SIZE: gettext_lazy("Hoeveel mensen werken er bij uw werkgever?"),
    ConditionKind.TRAINING_KIND: gettext_lazy("Wat voor opleiding wilt u doen?"),
    ConditionKind.TRAINING_LEVEL: gettext_lazy("Op welk niveau is de opleiding?"),
    ConditionKind.TRAINING_LIST: gettext_lazy(
        "Staat de opleiding in een register of op een lijst? Vraag het de school."
    ),
    ConditionKind.TRAINING_CREBO: gettext_lazy(
        "Wat is de crebocode van de opleiding? Vraag het de school."
    ),
}
NO_TRAINING_QUESTION = gettext_lazy("Welke opleiding of cursus wilt u doen?")


def kind_label(kind: str) -> str:
    if kind in ConditionKind.values:
        return str(ConditionKind(kind).label)
    return kind


def value_label(kind: str, value: str, labels: Mapping[str, str] | None = None) -> str:
    """The Dutch name of a code in a condition or an answer."""
    if labels and value in labels:
        return labels[value]
    if kind == ConditionKind.SITUATION:
        choices: Iterable[tuple[str, Any]] = situation_choices()
    else:
        choices = _CHOICE_LABELS.get(kind, ())
    for code, label in choices:
        if code == value:
            return str(label)
    return value


def _join(kind: str, values: Iterable[str], labels: Mapping[str, str] | None = None) -> str:
    names = [value_label(kind, v, labels) for v in sorted(values)]
    if not names:
        return "–"
    if len(names) == 1:
        return names[0]
    return _("%(first)s of %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return _("van %(min)s tot en met %(max)s jaar") % {"min": minimum, "max": maximum}
    if minimum is not None:
        return _("van %(min)s jaar of ouder") % {"min": minimum}
    if maximum is not None:
        return _("tot en met %(max)s jaar") % {"max": maximum}
    return _("van elke leeftijd")


def describe_condition(rule: ConditionRule) -> str:
    """The condition in one Dutch line, for maintainers and the public arrangement page."""
    labels = dict(rule.labels)
    if rule.kind in RANGE_KINDS:
        return _("%(kind)s: %(range)s") % {
            "kind": kind_label(rule.kind),
            "range": range_text(rule.minimum, rule.maximum),
        }
    if rule.operator == Operator.NOT_IN:
        template = _("%(kind)s: niet %(values)s")
    else:
        template = _("%(kind)s: %(values)s")
    return template % {
        "kind": kind_label(rule.kind),
        "values": _join(rule.kind, rule.values, labels),
    }


# -- the engine ------------------------------------------------------------------------------


def _person_values(
    kind: str, situation: SituationFacts, training: TrainingFacts | None
) -> frozenset[str] | int | None:
    """The answer a condition of ``kind`` looks at: a set of codes, an age, or None."""
    if kind in TRAINING_KINDS:
        if training is None:
            return None
        if kind == ConditionKind.TRAINING_LIST:
            return training.lists
        single_values: dict[str, str | None] = {
            ConditionKind.TRAINING_KIND: training.kind,
            ConditionKind.TRAINING_LEVEL: training.level,
            ConditionKind.TRAINING_CREBO: training.crebo,
        }
        single = single_values[kind]
        return frozenset({single}) if single else None
    if kind == ConditionKind.AGE:
        return situation.age
    if kind == ConditionKind.SITUATION:
        return situation.situations or None  # nothing chosen: not answered
    person_values: dict[str, str | None] = {
        ConditionKind.EDUCATION_LEVEL: situation.education_level,
        ConditionKind.SECTOR: situation.sector,
        ConditionKind.REGION: situation.region_code,
        ConditionKind.MUNICIPALITY: situation.municipality_code,
        ConditionKind.EMPLOYER_SIZE: situation.employer_size,
    }
    single = person_values.get(kind)
    if kind == ConditionKind.EDUCATION_LEVEL and single == EducationLevel.UNKNOWN:
        single = None
    return frozenset({single}) if single else None


def _answer_labels(kind: str, situation: SituationFacts) -> dict[str, str]:
    if kind == ConditionKind.REGION and situation.region_code and situation.region_name:
        return {situation.region_code: situation.region_name}
    if (
        kind == ConditionKind.MUNICIPALITY
        and situation.municipality_code
        and situation.municipality_name
    ):
        return {situation.municipality_code: situation.municipality_name}
    return {}


def evaluate_condition(
    rule: ConditionRule, situation: SituationFacts, training: TrainingFacts | None
) -> ConditionResult:
    subject = str(_SUBJECTS.get(rule.kind, kind_label(rule.kind)))
    answer = _person_values(rule.kind, situation, training)
    labels = dict(rule.labels)

    if rule.kind in RANGE_KINDS:
        wanted = range_text(rule.minimum, rule.maximum)
        if answer is None or not isinstance(answer, int):
            return ConditionResult(
                rule.kind,
                Outcome.UNKNOWN,
                _("%(subject)s weten we nog niet. Deze regeling is voor mensen %(wanted)s.")
                % {"subject": subject, "wanted": wanted},
                str(QUESTIONS[rule.kind]),
            )
        ok = (rule.minimum is None or answer >= rule.minimum) and (
            rule.maximum is None or answer <= rule.maximum
        )
        values = {"subject": subject, "answer": answer, "wanted": wanted}
        if ok:
            reason = _(
                "%(subject)s: %(answer)s jaar. Dat past: deze regeling is voor mensen %(wanted)s."
            )
        else:
            reason = _(
                "%(subject)s: %(answer)s jaar. Dat past niet: deze regeling is alleen voor "
                "mensen %(wanted)s."
            )
        return ConditionResult(rule.kind, Outcome.MET if ok else Outcome.NOT_MET, reason % values)

    excluded = rule.operator == Operator.NOT_IN
    wanted = _join(rule.kind, rule.values, labels)
    if training is None and rule.kind in TRAINING_KINDS:
        return ConditionResult(
            rule.kind,
            Outcome.UNKNOWN,
            (
                _("U heeft nog geen opleiding gekozen. Deze regeling is niet voor: %(wanted)s.")
                if excluded
                else _("U heeft nog geen opleiding gekozen. Deze regeling is voor: %(wanted)s.")
            )
            % {"wanted": wanted},
            str(NO_TRAINING_QUESTION),
        )
    if answer is None or isinstance(answer, int):
        template = (
            _("%(subject)s weten we nog niet. Deze regeling is niet voor: %(wanted)s.")
            if excluded
            else _("%(subject)s weten we nog niet. Deze regeling is voor: %(wanted)s.")
        )
        return ConditionResult(
            rule.kind,
            Outcome.UNKNOWN,
            template % {"subject": subject, "wanted": wanted},
            str(QUESTIONS.get(rule.kind, "")),
        )

    matches = bool(answer & frozenset(rule.values))
    ok = not matches if excluded else matches
    shown = (
        _join(rule.kind, answer, _answer_labels(rule.kind, situation) | labels)
        if answer
        else _("geen")
    )
    values = {"subject": subject, "answer": shown, "wanted": wanted}
    if excluded:
        reason = (
            _("%(subject)s: %(answer)s. Dat past: deze regeling is niet voor: %(wanted)s.")
            if ok
            else _(
                "%(subject)s: %(answer)s. Dat past niet: deze regeling is niet voor: %(wanted)s."
            )
        )
    else:
        reason = (
            _("%(subject)s: %(answer)s. Dat past: deze regeling is voor: %(wanted)s.")
            if ok
            else _(
                "%(subject)s: %(answer)s. Dat past niet: deze regeling is alleen voor: %(wanted)s."
            )
        )
    return ConditionResult(rule.kind, Outcome.MET if ok else Outcome.NOT_MET, reason % values)


def contradictions(conditions: Sequence[ConditionRule]) -> list[str]:
    """The kinds whose conditions can never all be met at once (sorted).

    A range kind contradicts itself when the highest minimum is above the lowest maximum. A
    kind a person has one value of contradicts itself when no value is allowed by every
    "is een van" and excluded by no "is geen van". Kinds with several values per person
    (situation, lists) cannot contradict this way: someone can be in two situations.
    """
    found = []
    by_kind: dict[str, list[ConditionRule]] = {}
    for rule in conditions:
        by_kind.setdefault(rule.kind, []).append(rule)
    for kind, rules in sorted(by_kind.items()):
        if kind in RANGE_KINDS:
            minimums = [r.minimum for r in rules if r.minimum is not None]
            maximums = [r.maximum for r in rules if r.maximum is not None]
            if minimums and maximums and max(minimums) > min(maximums):
                found.append(kind)
        elif kind not in MULTI_VALUED_KINDS:
            included = [frozenset(r.values) for r in rules if r.operator == Operator.IN]
            if not included:
                continue
            allowed = frozenset.intersection(*included)
            for rule in rules:
                if rule.operator == Operator.NOT_IN:
                    allowed -= frozenset(rule.values)
            if not allowed:
                found.append(kind)
    return found


def _period_result(rules: ArrangementRules, on: date) -> ConditionResult | None:
    start, end = rules.valid_from, rules.valid_until
    if start is None and end is None:
        return None
    fmt = "j F Y"
    if start is not None and on < start:
        return ConditionResult(
            PERIOD,
            Outcome.NOT_MET,
            _("Deze regeling begint pas op %(date)s.") % {"date": date_format(start, fmt)},
        )
    if end is not None and on > end:
        return ConditionResult(
            PERIOD,
            Outcome.NOT_MET,
            _("Deze regeling is gestopt op %(date)s.") % {"date": date_format(end, fmt)},
        )
    if end is not None:
        reason = _("Deze regeling loopt nu, tot en met %(date)s.") % {"date": date_format(end, fmt)}
    else:
        reason = _("Deze regeling loopt nu.")
    return ConditionResult(PERIOD, Outcome.MET, reason)


def evaluate_arrangement(
    rules: ArrangementRules, situation: SituationFacts, training: TrainingFacts | None, on: date
) -> Result:
    rows: list[ConditionResult] = []
    if (period := _period_result(rules, on)) is not None:
        rows.append(period)
    conditions = sorted(rules.conditions, key=ConditionRule.sort_key)
    for kind in contradictions(conditions):
        rows.append(
            ConditionResult(
                CONFLICT,
                Outcome.NOT_MET,
                _(
                    "De voorwaarden over '%(kind)s' spreken elkaar tegen. Zo komt niemand in "
                    "aanmerking. Vraag de beheerder van deze regeling om dit te controleren."
                )
                % {"kind": kind_label(kind).lower()},
            )
        )
    rows.extend(evaluate_condition(rule, situation, training) for rule in conditions)
    outcomes = {row.outcome for row in rows}
    if Outcome.NOT_MET in outcomes:
        verdict = Verdict.NOT_ELIGIBLE
    elif Outcome.UNKNOWN in outcomes:
        verdict = Verdict.POSSIBLY
    else:
        verdict = Verdict.ELIGIBLE
    questions: list[str] = []
    if verdict == Verdict.POSSIBLY:
        for row in rows:
            if row.outcome == Outcome.UNKNOWN and row.question and row.question not in questions:
                questions.append(row.question)
    return Result(rules.key, rules.name, verdict, tuple(rows), tuple(questions))


def result_sort_key(result: Result) -> tuple[int, str, str]:
    return (VERDICT_ORDER[Verdict(result.verdict)], result.name.casefold(), result.key)


def evaluate(
    situation: SituationFacts,
    training: TrainingFacts | None = None,
    *,
    on: date,
    arrangements: Iterable[ArrangementRules],
) -> list[Result]:
    """Evaluate every arrangement for this person (and training, if chosen) on date ``on``.

    Sorted: eligible first, then possibly, then not eligible; by name within each group.
    """
    rules_by_key = {rules.key: rules for rules in arrangements}
    results = [
        evaluate_arrangement(rules, situation, training, on)
        for rules in sorted(rules_by_key.values(), key=lambda r: r.key)
    ]
    open_results = {r.key: r for r in results if r.verdict != Verdict.NOT_ELIGIBLE}
    combined: list[Result] = []
    for result in results:
        clash: list[str] = []
        if result.key in open_results:
            own = rules_by_key[result.key].not_combinable_with
            for other_key, other in open_results.items():
                if other_key == result.key:
                    continue
                if other_key in own or result.key in rules_by_key[other_key].not_combinable_with:
                    clash.append(other.name)
        combined.append(
            Result(
                result.key,
                result.name,
                result.verdict,
                result.conditions,
                result.questions,
                tuple(sorted(clash, key=str.casefold)),
            )
        )
    return sorted(combined, key=result_sort_key)
