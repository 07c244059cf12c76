"""Reads for funding: arrangements as rules for the engine, lists for the staff pages, the
public set for the wizard and the API, example people for the live preview, saved advice."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import EducationLevel, Sector, Situation, SizeClass
from leerwerk.core.access import access_for
from leerwerk.core.constants import Action, DeskRole
from leerwerk.funding.constants import (
    AGENCY_WORKER,
    ConditionKind,
    Operator,
    Scope,
    TrainingKind,
    TrainingLevel,
    TrainingList,
    Verdict,
)
from leerwerk.funding.eligibility import (
    ArrangementRules,
    ConditionRule,
    Result,
    SituationFacts,
    TrainingFacts,
    evaluate,
)
from leerwerk.funding.models import (
    ArrangementChange,
    Condition,
    FundingAdvice,
    FundingArrangement,
)
from leerwerk.network.models import Desk, Municipality, Postcode, Region

_PC4 = re.compile(r"^\s*(\d{4})\s*(?:[A-Za-z]{2})?\s*$")


# -- arrangements as rules -------------------------------------------------------------------


def with_rules(queryset: QuerySet[FundingArrangement]) -> QuerySet[FundingArrangement]:
    return queryset.select_related("desk", "desk__region").prefetch_related(
        Prefetch("conditions", queryset=Condition.objects.order_by("sort_order", "id")),
        Prefetch(
            "not_combinable_with",
            queryset=FundingArrangement.objects.only("id", "uuid", "name").order_by("name"),
        ),
    )


def place_labels(conditions: Iterable[Condition]) -> dict[str, str]:
    """Names of the region and municipality codes used in conditions (two queries at most)."""
    codes: dict[str, set[str]] = {ConditionKind.REGION: set(), ConditionKind.MUNICIPALITY: set()}
    for condition in conditions:
        if condition.kind in codes:
            codes[condition.kind].update(str(v) for v in condition.values or [])
    labels: dict[str, str] = {}
    if codes[ConditionKind.REGION]:
        labels.update(
            Region.objects.filter(code__in=codes[ConditionKind.REGION]).values_list("code", "name")
        )
    if codes[ConditionKind.MUNICIPALITY]:
        labels.update(
            Municipality.objects.filter(code__in=codes[ConditionKind.MUNICIPALITY]).values_list(
                "code", "name"
            )
        )
    return labels


def condition_rule(condition: Condition, labels: dict[str, str] | None = None) -> ConditionRule:
    values = tuple(str(v) for v in (condition.values or []))
    return ConditionRule(
        kind=condition.kind,
        operator=condition.operator,
        values=values,
        minimum=condition.minimum,
        maximum=condition.maximum,
        labels=tuple((v, labels[v]) for v in values if labels and v in labels),
        sort_order=condition.sort_order,
        key=str(condition.uuid),
    )


def scope_rule(arrangement: FundingArrangement) -> ConditionRule | None:
    """A regional arrangement applies to people living in its desk's region: an implicit
    condition, always first."""
    if arrangement.desk_id is None:
        return None
    region = arrangement.desk.region  # type: ignore[union-attr]
    return ConditionRule(
        kind=ConditionKind.REGION,
        operator=Operator.IN,
        values=(region.code,),
        labels=((region.code, region.name),),
        sort_order=-1,  # before every condition of the arrangement itself
        key="scope",
    )


def arrangement_rules(
    arrangements: Iterable[FundingArrangement],
    conditions: Mapping[int, Sequence[Condition]] | None = None,
) -> list[ArrangementRules]:
    """The engine's view of arrangements fetched with ``with_rules``. ``conditions`` replaces
    the stored conditions of some arrangements (the live preview of an unsaved change)."""
    arrangements = list(arrangements)
    own_conditions = {
        arrangement.pk: list(
            conditions[arrangement.pk]
            if conditions and arrangement.pk in conditions
            else arrangement.conditions.all()
        )
        for arrangement in arrangements
    }
    labels = place_labels(c for own in own_conditions.values() for c in own)
    rules = []
    for arrangement in arrangements:
        own = own_conditions[arrangement.pk]
        condition_rules = [condition_rule(c, labels) for c in own]
        if (implicit := scope_rule(arrangement)) is not None:
            condition_rules.insert(0, implicit)
        rules.append(
            ArrangementRules(
                key=str(arrangement.uuid),
                name=arrangement.name,
                conditions=tuple(condition_rules),
                valid_from=arrangement.valid_from,
                valid_until=arrangement.valid_until,
                not_combinable_with=frozenset(
                    str(other.uuid) for other in arrangement.not_combinable_with.all()
                ),
            )
        )
    return rules


def public_arrangements(*, region_id: int | None = None) -> QuerySet[FundingArrangement]:
    """Arrangements in use: national and sector ones, and the regional ones of ``region_id``."""
    return with_rules(
        FundingArrangement.objects.active().for_region(region_id).order_by("name", "id")
    )


def all_public_arrangements() -> QuerySet[FundingArrangement]:
    """Every arrangement in use, of every region (for the public API list)."""
    return with_rules(FundingArrangement.objects.active().order_by("name", "id"))


@dataclass(frozen=True)
class Evaluation:
    situation: SituationFacts
    training: TrainingFacts | None
    on: datetime.date
    results: list[Result]
    arrangements: dict[str, FundingArrangement]  # by UUID text

    def as_json(self) -> list[dict[str, Any]]:
        """Each result with what the person needs to know about its arrangement, as plain
        JSON (saved on a trajectory, shown by the same templates as a live answer)."""
        return [
            {**result.to_json(), **arrangement_facts(self.arrangements[result.key], self.on)}
            for result in self.results
        ]

    def grouped(self) -> dict[str, list[dict[str, Any]]]:
        return group_results(self.as_json())


def group_results(results: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {str(v): [] for v in Verdict}
    for result in results:
        groups.setdefault(result["verdict"], []).append(result)
    return groups


def arrangement_facts(arrangement: FundingArrangement, day: datetime.date) -> dict[str, Any]:
    """What a person sees of an arrangement next to the verdict, as it is on ``day``."""

    def plain(value: Any) -> Any:
        return str(value) if value is not None else None

    return {
        "uuid": str(arrangement.uuid),
        "provider": arrangement.provider_name or str(arrangement.get_provider_display()),
        "scope": arrangement.scope,
        "audience": arrangement.audience,
        "description": arrangement.description,
        "max_amount": plain(arrangement.max_amount),
        "own_contribution": plain(arrangement.own_contribution),
        "own_contribution_percentage": plain(arrangement.own_contribution_percentage),
        "amount_note": arrangement.amount_note,
        "how_to_apply": arrangement.how_to_apply,
        "apply_url": arrangement.apply_url,
        "source_url": arrangement.source_url,
        "checked_on": arrangement.checked_on.isoformat(),
        "is_example": arrangement.is_example,
        "is_stale": arrangement.is_stale(day),
    }


def evaluate_public(
    situation: SituationFacts,
    training: TrainingFacts | None,
    *,
    on: datetime.date,
    region_id: int | None = None,
) -> Evaluation:
    """Evaluate the arrangements in use for this person (regional ones of their region)."""
    arrangements = list(public_arrangements(region_id=region_id))
    results = evaluate(situation, training, on=on, arrangements=arrangement_rules(arrangements))
    return Evaluation(situation, training, on, results, {str(a.uuid): a for a in arrangements})


# -- facts from answers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    municipality: Municipality | None
    region: Region | None


def place_for_postcode(postcode: str) -> Place | None:
    """The municipality and region of a (4-digit or full) postcode; None when unknown."""
    match = _PC4.match(postcode or "")
    if not match:
        return None
    found = (
        Postcode.objects.select_related("municipality", "municipality__region")
        .filter(code=match.group(1), municipality__isnull=False)
        .first()
    )
    if found is None or found.municipality is None:
        return None
    return Place(found.municipality, found.municipality.region)


def situation_facts(
    *,
    situations: Iterable[str] = (),
    age: int | None = None,
    education_level: str = "",
    sector: str = "",
    employer_size: str = "",
    municipality: Municipality | None = None,
    region: Region | None = None,
) -> SituationFacts:
    """Facts from form answers: empty answers become "unknown"."""
    chosen = frozenset(s for s in situations if s)
    if municipality is not None and region is None:
        region = municipality.region
    return SituationFacts(
        situations=chosen or None,
        age=age,
        education_level=education_level
        if education_level and education_level != EducationLevel.UNKNOWN
        else None,
        sector=sector or None,
        employer_size=employer_size or None,
        region_code=region.code if region else None,
        region_name=region.name if region else "",
        municipality_code=municipality.code if municipality else None,
        municipality_name=municipality.name if municipality else "",
    )


def training_facts(
    *,
    kind: str = "",
    level: str = "",
    name: str = "",
    crebo: str = "",
    lists: Iterable[str] | None = None,
) -> TrainingFacts | None:
    """Facts about the chosen training; None when nothing is known about it."""
    chosen_lists = frozenset(lists) if lists is not None else None
    if not (kind or level or name or crebo or chosen_lists is not None):
        return None
    return TrainingFacts(
        kind=kind or None,
        level=level or None,
        name=name.strip(),
        crebo=crebo.strip() or None,
        lists=chosen_lists,
    )


# -- staff pages -----------------------------------------------------------------------------


def staff_arrangements(
    user: Any,
    *,
    scope: str = "",
    stale_only: bool = False,
    query: str = "",
    today: datetime.date,
) -> QuerySet[FundingArrangement]:
    queryset = (
        FundingArrangement.objects.for_user(user, Action.VIEW)
        .select_related("desk", "desk__region")
        .order_by("name", "id")
    )
    if scope in Scope.values:
        queryset = queryset.filter(scope=scope)
    if stale_only:
        queryset = queryset.stale(today)
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query[:100]) | Q(provider_name__icontains=query[:100])
        )
    return queryset


def arrangement_for_staff(user: Any, action: str, uuid: Any) -> FundingArrangement:
    """One arrangement with its rules (404 when the user may not see it)."""
    queryset: Any = with_rules(FundingArrangement.objects.all())
    return queryset.get_for_user_or_404(user, action, uuid=uuid)


def arrangement_history(arrangement: FundingArrangement) -> QuerySet[ArrangementChange]:
    return arrangement.changes.select_related("actor").order_by("-at", "-id")


def combinable_candidates(
    user: Any, arrangement: FundingArrangement | None
) -> QuerySet[FundingArrangement]:
    """Arrangements the user sees, to choose "not combinable with" from."""
    queryset = FundingArrangement.objects.for_user(user, Action.VIEW).order_by("name", "id")
    if arrangement is not None:
        queryset = queryset.exclude(pk=arrangement.pk)
    return queryset


def managed_desks(user: Any) -> QuerySet[Desk]:
    """Desks where the user may add regional arrangements (their desk-manager desks)."""
    desk_ids = access_for(user).desks_with([DeskRole.DESK_MANAGER])
    return (
        Desk.objects.filter(pk__in=sorted(desk_ids))
        .select_related("region")
        .order_by("display_name")
    )


# -- live preview: obviously fictional example people ----------------------------------------


@dataclass(frozen=True)
class Persona:
    label: Any  # a lazy translation
    situations: frozenset[str]
    age: int
    education_level: str
    sector: str | None
    employer_size: str | None
    training: TrainingFacts


PERSONAS: tuple[Persona, ...] = (
    Persona(
        _("Werkzoekend met WW, 45 jaar, mbo 2, wil een mbo 3-diploma in de zorg"),
        frozenset({Situation.JOBSEEKER_WW}),
        45,
        EducationLevel.MBO_2,
        None,
        None,
        TrainingFacts(
            TrainingKind.DIPLOMA, TrainingLevel.MBO_3, lists=frozenset({TrainingList.RIO})
        ),
    ),
    Persona(
        _("Bijstand, 38 jaar, basisonderwijs, wil een taalcursus"),
        frozenset({Situation.JOBSEEKER_BIJSTAND}),
        38,
        EducationLevel.PRIMARY,
        None,
        None,
        TrainingFacts(
            TrainingKind.COURSE, TrainingLevel.NONE, lists=frozenset({TrainingList.BASIC_SKILLS})
        ),
    ),
    Persona(
        _(
            "Werkt in de zorg, 30 jaar, mbo 3, werkgever met 10 tot 50 werknemers, wil een certificaat"
        ),
        frozenset({Situation.WORKER}),
        30,
        EducationLevel.MBO_3,
        Sector.CARE,
        SizeClass.SMALL,
        TrainingFacts(
            TrainingKind.CERTIFICATE,
            TrainingLevel.MBO_4,
            lists=frozenset({TrainingList.TRAINING_REGISTER, TrainingList.SECTOR_FUND_LIST}),
        ),
    ),
    Persona(
        _("Uitzendkracht in de logistiek, 24 jaar, vmbo, wil een heftruckcertificaat"),
        frozenset({AGENCY_WORKER, Situation.WORKER}),
        24,
        EducationLevel.VMBO,
        Sector.TRANSPORT,
        SizeClass.LARGE,
        TrainingFacts(
            TrainingKind.CERTIFICATE,
            TrainingLevel.MBO_2,
            lists=frozenset({TrainingList.TRAINING_REGISTER}),
        ),
    ),
    Persona(
        _("Zzp'er in de bouw, 52 jaar, mbo 4, wil een hbo-opleiding"),
        frozenset({Situation.SELF_EMPLOYED}),
        52,
        EducationLevel.MBO_4,
        Sector.CONSTRUCTION,
        SizeClass.MICRO,
        TrainingFacts(
            TrainingKind.DIPLOMA, TrainingLevel.BACHELOR, lists=frozenset({TrainingList.RIO})
        ),
    ),
    Persona(
        _("Student, 19 jaar, havo, wil een mbo 4-diploma"),
        frozenset({Situation.STUDENT}),
        19,
        EducationLevel.HAVO_VWO,
        None,
        None,
        TrainingFacts(
            TrainingKind.DIPLOMA, TrainingLevel.MBO_4, lists=frozenset({TrainingList.RIO})
        ),
    ),
    Persona(
        _("Werkt in de industrie, 58 jaar, hbo, groot bedrijf, wil een cursus"),
        frozenset({Situation.WORKER}),
        58,
        EducationLevel.HBO,
        Sector.INDUSTRY,
        SizeClass.LARGE,
        TrainingFacts(TrainingKind.COURSE, TrainingLevel.NLQF_5, lists=frozenset()),
    ),
    Persona(
        _(
            "Werkzoekend zonder uitkering, 27 jaar, diploma uit het buitenland, wil een mbo 2-diploma"
        ),
        frozenset({Situation.JOBSEEKER_NO_BENEFIT}),
        27,
        EducationLevel.FOREIGN,
        None,
        None,
        TrainingFacts(
            TrainingKind.DIPLOMA, TrainingLevel.MBO_2, lists=frozenset({TrainingList.RIO})
        ),
    ),
)

PREVIEW_REGION_CODE = "AM22"  # example people of national arrangements live in Rijnmond


@dataclass(frozen=True)
class PreviewRow:
    label: str
    result: Result

    @property
    def first_reason(self) -> str:
        for row in self.result.conditions:
            if row.outcome == "not_met":
                return row.reason
        for row in self.result.conditions:
            if row.outcome == "unknown":
                return row.reason
        return ""


def preview(
    arrangement: FundingArrangement,
    conditions: Sequence[Condition] | None = None,
    *,
    on: datetime.date,
) -> list[PreviewRow]:
    """Which example people qualify for ``arrangement`` (with ``conditions`` instead of the
    stored ones, when given), on date ``on``. At most three queries."""
    if arrangement.desk_id is not None:
        region = arrangement.desk.region  # type: ignore[union-attr]
    else:
        region = Region.objects.filter(code=PREVIEW_REGION_CODE).first()
    municipality = (
        Municipality.objects.filter(pk=region.central_municipality_id).first()
        if region is not None and region.central_municipality_id
        else None
    )
    override = {arrangement.pk: list(conditions)} if conditions is not None else None
    [rules] = arrangement_rules([arrangement], override)
    # Not combinable with other arrangements: irrelevant for one arrangement's preview.
    rows = []
    for persona in PERSONAS:
        facts = situation_facts(
            situations=persona.situations,
            age=persona.age,
            education_level=persona.education_level,
            sector=persona.sector or "",
            employer_size=persona.employer_size or "",
            municipality=municipality,
            region=region,
        )
        [result] = evaluate(facts, persona.training, on=on, arrangements=[rules])
        rows.append(PreviewRow(str(persona.label), result))
    return rows


# -- saved advice ----------------------------------------------------------------------------


def advices_for_trajectory(user: Any, trajectory: Any) -> QuerySet[FundingAdvice]:
    return (
        FundingAdvice.objects.for_user(user, Action.VIEW)
        .filter(trajectory=trajectory)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
