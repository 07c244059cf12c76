"""Writes for funding: arrangements and their conditions (with change history), and funding
advice saved on a trajectory. Keyword-only, one transaction each, the policy checked first."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.clients.constants import EducationLevel, Sector, SizeClass
from leerwerk.core.access import access_for
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action, GlobalRole
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.funding import selectors
from leerwerk.funding.constants import (
    AGE_MAX,
    AGE_MIN,
    RANGE_KINDS,
    ChangeAction,
    ConditionKind,
    Operator,
    Scope,
    TrainingKind,
    TrainingLevel,
    TrainingList,
    situation_choices,
)
from leerwerk.funding.eligibility import (
    SituationFacts,
    TrainingFacts,
    contradictions,
    describe_condition,
    kind_label,
)
from leerwerk.funding.models import (
    ArrangementChange,
    Condition,
    FundingAdvice,
    FundingArrangement,
)
from leerwerk.network.models import Desk, Municipality, Region

ARRANGEMENT_FIELDS = [
    "name",
    "provider",
    "provider_name",
    "audience",
    "description",
    "max_amount",
    "own_contribution",
    "own_contribution_percentage",
    "amount_note",
    "valid_from",
    "valid_until",
    "how_to_apply",
    "apply_url",
    "source_url",
    "checked_on",
    "is_example",
    "is_active",
]
CREBO_PATTERN = re.compile(r"^\d{5}$")


# -- snapshots and history -------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def arrangement_snapshot(arrangement: FundingArrangement) -> dict[str, Any]:
    """The arrangement as plain JSON: its fields, its conditions in words, combination rules."""
    [rules] = selectors.arrangement_rules([arrangement])
    own = [rule for rule in rules.conditions if rule.key != "scope"]
    return {
        **{name: _plain(getattr(arrangement, name)) for name in ARRANGEMENT_FIELDS},
        "scope": arrangement.scope,
        "desk": arrangement.desk.display_name if arrangement.desk else "",
        "conditions": [describe_condition(rule) for rule in own],
        "not_combinable_with": sorted(a.name for a in arrangement.not_combinable_with.all()),
    }


def _record_change(
    *,
    actor: Any,
    arrangement: FundingArrangement,
    action: str,
    before: dict[str, Any] | None,
    summary: str = "",
) -> ArrangementChange:
    after = arrangement_snapshot(_reloaded(arrangement))
    changes = {
        key: [before.get(key) if before else None, value]
        for key, value in after.items()
        if before is None or before.get(key) != value
    }
    return ArrangementChange.objects.create(
        arrangement=arrangement,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:500],
        changes=changes,
        snapshot=after,
    )


def _reloaded(arrangement: FundingArrangement) -> FundingArrangement:
    """The arrangement with fresh conditions and combination rules (prefetch cache dropped)."""
    return selectors.with_rules(FundingArrangement.objects.filter(pk=arrangement.pk)).get()


# -- arrangements ----------------------------------------------------------------------------


def _check_scope(scope: str, desk: Desk | None) -> None:
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Kies landelijk, sector of regionaal.")})
    if scope == Scope.REGIONAL and desk is None:
        raise ValidationError({"desk": _("Kies het loket dat deze regionale regeling beheert.")})
    if scope != Scope.REGIONAL and desk is not None:
        raise ValidationError(
            {"desk": _("Een landelijke of sectorregeling hoort niet bij één loket.")}
        )


def _validate_arrangement(arrangement: FundingArrangement) -> None:
    arrangement.full_clean(exclude=["desk", "seed_key", "not_combinable_with"])


def _set_not_combinable(
    arrangement: FundingArrangement, others: Iterable[FundingArrangement] | None
) -> None:
    if others is None:
        return
    chosen = [other for other in others if other.pk != arrangement.pk]
    arrangement.not_combinable_with.set(chosen)


@transaction.atomic
def arrangement_create(
    *,
    actor: Any,
    scope: str,
    desk: Desk | None = None,
    not_combinable_with: Iterable[FundingArrangement] | None = None,
    seed_key: str = "",
    **values: Any,
) -> FundingArrangement:
    """A new arrangement. The national team adds national and sector ones, a desk manager
    regional ones of their desk."""
    _check_scope(scope, desk)
    require_permission(actor, Action.ADD, FundingArrangement, desk_id=desk.pk if desk else None)
    arrangement = FundingArrangement(
        scope=scope,
        desk=desk,
        seed_key=seed_key,
        **{k: v for k, v in values.items() if k in ARRANGEMENT_FIELDS},
    )
    _validate_arrangement(arrangement)
    arrangement.save()
    _set_not_combinable(arrangement, not_combinable_with)
    _record_change(
        actor=actor,
        arrangement=arrangement,
        action=ChangeAction.CREATED,
        before=None,
        summary=_("Regeling aangemaakt."),
    )
    return arrangement


@transaction.atomic
def arrangement_update(
    *,
    actor: Any,
    arrangement: FundingArrangement,
    expected_version: int | None,
    not_combinable_with: Iterable[FundingArrangement] | None = None,
    **values: Any,
) -> FundingArrangement:
    """Change the arrangement's fields (not its scope or desk) and combination rules."""
    require_permission(actor, Action.CHANGE, FundingArrangement, obj=arrangement)
    before = arrangement_snapshot(_reloaded(arrangement))
    with unchanged_on_error(arrangement):
        for name, value in values.items():
            if name in ARRANGEMENT_FIELDS:
                setattr(arrangement, name, value)
        _validate_arrangement(arrangement)
        save_versioned(arrangement, expected_version=expected_version, fields=ARRANGEMENT_FIELDS)
        _set_not_combinable(arrangement, not_combinable_with)
    _record_change(actor=actor, arrangement=arrangement, action=ChangeAction.CHANGED, before=before)
    return arrangement


@transaction.atomic
def arrangement_mark_checked(
    *,
    actor: Any,
    arrangement: FundingArrangement,
    expected_version: int | None,
    checked_on: datetime.date | None = None,
) -> FundingArrangement:
    """Record that amounts and conditions were checked (today unless given)."""
    require_permission(actor, Action.CHANGE, FundingArrangement, obj=arrangement)
    day = checked_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"checked_on": _("Een controle kan niet in de toekomst liggen.")})
    before = arrangement_snapshot(_reloaded(arrangement))
    with unchanged_on_error(arrangement):
        arrangement.checked_on = day
        save_versioned(arrangement, expected_version=expected_version, fields=["checked_on"])
    _record_change(
        actor=actor,
        arrangement=arrangement,
        action=ChangeAction.CHECKED,
        before=before,
        summary=_("Gecontroleerd op %(date)s.") % {"date": day.strftime("%d-%m-%Y")},
    )
    return arrangement


# -- conditions ------------------------------------------------------------------------------


def allowed_values(kind: str) -> list[tuple[str, Any]] | None:
    """The codes a condition of ``kind`` may use; None when they are checked otherwise
    (regions, municipalities, crebo codes, ranges)."""
    choices: dict[str, list[tuple[str, Any]]] = {
        ConditionKind.SITUATION: situation_choices(),
        ConditionKind.EDUCATION_LEVEL: [
            c for c in EducationLevel.choices if c[0] != EducationLevel.UNKNOWN
        ],
        ConditionKind.SECTOR: Sector.choices,
        ConditionKind.EMPLOYER_SIZE: SizeClass.choices,
        ConditionKind.TRAINING_KIND: TrainingKind.choices,
        ConditionKind.TRAINING_LEVEL: TrainingLevel.choices,
        ConditionKind.TRAINING_LIST: TrainingList.choices,
    }
    return choices.get(kind)


def clean_condition_values(
    *,
    kind: str,
    operator: str,
    values: Sequence[str] = (),
    minimum: int | None = None,
    maximum: int | None = None,
) -> tuple[list[str], int | None, int | None]:
    """Check one condition on its own; returns the normalised values, minimum and maximum.
    Raises ValidationError with Dutch messages per field."""
    if kind not in ConditionKind.values:
        raise ValidationError({"kind": _("Kies een soort voorwaarde.")})
    if kind in RANGE_KINDS:
        if operator != Operator.BETWEEN:
            raise ValidationError({"operator": _("Een leeftijd ligt tussen twee grenzen.")})
        if minimum is None and maximum is None:
            raise ValidationError({"minimum": _("Vul een ondergrens of een bovengrens in.")})
        for name, bound in (("minimum", minimum), ("maximum", maximum)):
            if bound is not None and not AGE_MIN <= bound <= AGE_MAX:
                raise ValidationError(
                    {
                        name: _("Vul een leeftijd in van %(min)s tot en met %(max)s.")
                        % {
                            "min": AGE_MIN,
                            "max": AGE_MAX,
                        }
                    }
                )
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValidationError({"maximum": _("De bovengrens is lager dan de ondergrens.")})
        return [], minimum, maximum
    if operator not in (Operator.IN, Operator.NOT_IN):
        raise ValidationError({"operator": _("Kies 'is een van' of 'is geen van'.")})
    cleaned = sorted({str(v).strip() for v in values if str(v).strip()})
    if not cleaned:
        raise ValidationError({"values": _("Kies of vul ten minste één waarde in.")})
    known = allowed_values(kind)
    unknown: list[str] = []
    if known is not None:
        codes = {code for code, _label in known}
        unknown = [v for v in cleaned if v not in codes]
    elif kind == ConditionKind.REGION:
        cleaned = [v.upper() for v in cleaned]
        found = set(Region.objects.filter(code__in=cleaned).values_list("code", flat=True))
        unknown = [v for v in cleaned if v not in found]
    elif kind == ConditionKind.MUNICIPALITY:
        cleaned = [v.upper() for v in cleaned]
        found = set(Municipality.objects.filter(code__in=cleaned).values_list("code", flat=True))
        unknown = [v for v in cleaned if v not in found]
    elif kind == ConditionKind.TRAINING_CREBO:
        unknown = [v for v in cleaned if not CREBO_PATTERN.match(v)]
    if unknown:
        raise ValidationError(
            {
                "values": _("Deze waarden kennen we niet: %(values)s.")
                % {"values": ", ".join(unknown)}
            }
        )
    return cleaned, None, None


def _check_no_contradiction(arrangement: FundingArrangement, candidate: Condition) -> None:
    others = [c for c in arrangement.conditions.all() if c.pk != candidate.pk]
    rules = [selectors.condition_rule(c) for c in [*others, candidate]]
    before = set(contradictions([selectors.condition_rule(c) for c in others]))
    new = [kind for kind in contradictions(rules) if kind not in before]
    if new:
        raise ValidationError(
            _(
                "Deze voorwaarde spreekt een andere voorwaarde over '%(kind)s' tegen: dan komt "
                "niemand meer in aanmerking. Pas de voorwaarden aan."
            )
            % {"kind": kind_label(new[0]).lower()}
        )


def build_condition(
    *,
    arrangement: FundingArrangement,
    condition: Condition | None = None,
    kind: str,
    operator: str,
    values: Sequence[str] = (),
    minimum: int | None = None,
    maximum: int | None = None,
    sort_order: int | None = None,
) -> Condition:
    """An unsaved, validated condition (for saving or for the live preview)."""
    cleaned, minimum, maximum = clean_condition_values(
        kind=kind, operator=operator, values=values, minimum=minimum, maximum=maximum
    )
    if condition is None:
        existing = [c.sort_order for c in arrangement.conditions.all()]
        condition = Condition(arrangement=arrangement, sort_order=max(existing, default=0) + 1)
    else:
        condition = Condition(
            pk=condition.pk,
            uuid=condition.uuid,
            arrangement=arrangement,
            sort_order=condition.sort_order,
        )
    condition.kind, condition.operator = kind, operator
    condition.values, condition.minimum, condition.maximum = cleaned, minimum, maximum
    if sort_order is not None:
        condition.sort_order = sort_order
    _check_no_contradiction(arrangement, condition)
    return condition


def conditions_with(
    arrangement: FundingArrangement, changed: Condition | None, removed: Condition | None = None
) -> list[Condition]:
    """The arrangement's conditions with one changed or added (or one removed), unsaved."""
    result = [
        c
        for c in arrangement.conditions.all()
        if (changed is None or c.pk != changed.pk) and (removed is None or c.pk != removed.pk)
    ]
    if changed is not None:
        result.append(changed)
    return sorted(result, key=lambda c: (c.sort_order, c.pk or 0))


def _touch(arrangement: FundingArrangement, expected_version: int | None) -> None:
    """A change to a condition is a change to the arrangement: bump its version."""
    save_versioned(arrangement, expected_version=expected_version, fields=[])


@transaction.atomic
def condition_add(
    *,
    actor: Any,
    arrangement: FundingArrangement,
    expected_version: int | None,
    **values: Any,
) -> Condition:
    require_permission(actor, Action.CHANGE, FundingArrangement, obj=arrangement)
    before = arrangement_snapshot(_reloaded(arrangement))
    condition = build_condition(arrangement=arrangement, **values)
    _touch(arrangement, expected_version)
    condition.save()
    _record_change(
        actor=actor,
        arrangement=arrangement,
        action=ChangeAction.CONDITION_ADDED,
        before=before,
        summary=describe_condition(selectors.condition_rule(condition, _labels(condition))),
    )
    return condition


@transaction.atomic
def condition_update(
    *,
    actor: Any,
    condition: Condition,
    expected_version: int | None,
    **values: Any,
) -> Condition:
    arrangement = condition.arrangement
    require_permission(actor, Action.CHANGE, FundingArrangement, obj=arrangement)
    before = arrangement_snapshot(_reloaded(arrangement))
    updated = build_condition(arrangement=arrangement, condition=condition, **values)
    _touch(arrangement, expected_version)
    updated.save()
    _record_change(
        actor=actor,
        arrangement=arrangement,
        action=ChangeAction.CONDITION_CHANGED,
        before=before,
        summary=describe_condition(selectors.condition_rule(updated, _labels(updated))),
    )
    return updated


@transaction.atomic
def condition_remove(*, actor: Any, condition: Condition, expected_version: int | None) -> None:
    arrangement = condition.arrangement
    require_permission(actor, Action.CHANGE, FundingArrangement, obj=arrangement)
    before = arrangement_snapshot(_reloaded(arrangement))
    summary = describe_condition(selectors.condition_rule(condition, _labels(condition)))
    _touch(arrangement, expected_version)
    condition.delete()
    _record_change(
        actor=actor,
        arrangement=arrangement,
        action=ChangeAction.CONDITION_REMOVED,
        before=before,
        summary=summary,
    )


def _labels(condition: Condition) -> dict[str, str]:
    return selectors.place_labels([condition])


# -- funding advice on a trajectory ----------------------------------------------------------


@transaction.atomic
def funding_advice_save(
    *,
    actor: Any,
    trajectory: Any,
    situation: SituationFacts,
    training: TrainingFacts | None,
    on: datetime.date | None = None,
    note: str = "",
) -> FundingAdvice:
    """Evaluate the arrangements for this client's situation and save the explained result on
    the trajectory (a snapshot)."""
    require_permission(actor, Action.ADD, FundingAdvice, desk_id=trajectory.desk_id)
    if access_for(actor).has_global_role([GlobalRole.NATIONAL_TEAM, GlobalRole.MINISTRY_VIEWER]):
        raise PermissionDenied  # belt and braces: never personal data for aggregate roles
    day = on or timezone.localdate()
    region_id = trajectory.desk.region_id
    if situation.region_code:
        region_id = (
            Region.objects.filter(code=situation.region_code).values_list("pk", flat=True).first()
            or region_id
        )
    evaluation = selectors.evaluate_public(situation, training, on=day, region_id=region_id)
    advice = FundingAdvice(
        desk_id=trajectory.desk_id,
        trajectory=trajectory,
        created_by=actor,
        evaluated_on=day,
        situation=situation.to_json(),
        training=training.to_json() if training is not None else None,
        results=evaluation.as_json(),
        note=note.strip()[:2000],
    )
    advice.full_clean(exclude=["trajectory", "desk", "created_by"])
    advice.save()
    audit_record(
        actor=actor,
        action="funding_advice.create",
        obj=advice,
        desk_id=trajectory.desk_id,
        detail={"trajectory": str(trajectory.uuid), "arrangements": len(evaluation.results)},
    )
    return advice


def funding_advice_anonymise_for_client(*, client: Any) -> int:
    """Remove the age (derived from the year of birth) and the note from the saved advice of
    an erased client, in line with ``clients.services.client_erase`` (which keeps
    municipality, situation and education). Returns how many advices were changed. For the
    client erasure to call."""
    changed = 0
    advices = FundingAdvice.objects.filter(trajectory__client=client).only(
        "pk", "situation", "results", "note"
    )
    for advice in advices:
        situation = {**(advice.situation or {}), "age": None}
        results = [
            {
                **result,
                "conditions": [
                    {**row, "reason": _("Leeftijd verwijderd.")}
                    if row.get("kind") == ConditionKind.AGE
                    else row
                    for row in result.get("conditions", [])
                ],
            }
            for result in advice.results or []
        ]
        FundingAdvice.objects.filter(pk=advice.pk).update(
            situation=situation, results=results, note=""
        )
        changed += 1
    return changed
