"""Services: who may maintain which arrangement, condition validation, history, locking,
saving advice on a trajectory, and the seeded examples with realistic situations."""

from __future__ import annotations

import datetime
import io

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.funding import examples, selectors, services
from leerwerk.funding.constants import AGENCY_WORKER, ChangeAction, Scope, Verdict
from leerwerk.funding.eligibility import SituationFacts, TrainingFacts
from leerwerk.funding.models import ArrangementChange, FundingAdvice, FundingArrangement
from leerwerk.funding.tests.factories import ArrangementFactory, regional_arrangement
from leerwerk.guidance.tests.factories import TrajectoryFactory
from leerwerk.network.models import Region

pytestmark = pytest.mark.django_db

BASE = {
    "name": "Scholingsbudget",
    "provider": "municipality",
    "audience": "Voor inwoners die willen leren.",
    "how_to_apply": "Bel de gemeente.",
}


def _today() -> datetime.date:
    return timezone.localdate()


# -- who maintains what ---------------------------------------------------------------------


def test_national_team_creates_a_national_arrangement_with_history(national_user):
    arrangement = services.arrangement_create(
        actor=national_user, scope=Scope.NATIONAL, checked_on=_today(), **BASE
    )

    change = ArrangementChange.objects.get(arrangement=arrangement)
    assert change.action == ChangeAction.CREATED
    assert change.actor == national_user
    assert change.snapshot["name"] == "Scholingsbudget"
    assert change.changes["name"] == [None, "Scholingsbudget"]


def test_national_team_cannot_create_or_change_a_regional_arrangement(national_user, desk_a):
    with pytest.raises(PermissionDenied):
        services.arrangement_create(
            actor=national_user, scope=Scope.REGIONAL, desk=desk_a, checked_on=_today(), **BASE
        )
    regional = regional_arrangement(desk_a)
    with pytest.raises(PermissionDenied):
        services.arrangement_update(
            actor=national_user, arrangement=regional, expected_version=1, name="Gekaapt"
        )


def test_desk_manager_maintains_only_the_regional_arrangements_of_the_own_desk(
    manager_a, desk_a, desk_b
):
    own = services.arrangement_create(
        actor=manager_a, scope=Scope.REGIONAL, desk=desk_a, checked_on=_today(), **BASE
    )
    assert own.desk == desk_a
    with pytest.raises(PermissionDenied):
        services.arrangement_create(
            actor=manager_a, scope=Scope.REGIONAL, desk=desk_b, checked_on=_today(), **BASE
        )
    with pytest.raises(PermissionDenied):
        services.arrangement_create(
            actor=manager_a, scope=Scope.NATIONAL, checked_on=_today(), **BASE
        )
    with pytest.raises(PermissionDenied):
        services.arrangement_update(
            actor=manager_a,
            arrangement=ArrangementFactory(),
            expected_version=1,
            name="Gekaapt",
        )


def test_adviser_cannot_maintain_arrangements(adviser_a, desk_a):
    with pytest.raises(PermissionDenied):
        services.arrangement_create(
            actor=adviser_a, scope=Scope.REGIONAL, desk=desk_a, checked_on=_today(), **BASE
        )


def test_a_regional_arrangement_needs_a_desk_and_a_national_one_none(national_user, desk_a):
    with pytest.raises(ValidationError) as error:
        services.arrangement_create(
            actor=national_user, scope=Scope.REGIONAL, checked_on=_today(), **BASE
        )
    assert "desk" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.arrangement_create(
            actor=national_user, scope=Scope.SECTOR, desk=desk_a, checked_on=_today(), **BASE
        )


def test_update_records_what_changed_and_refuses_a_stale_version(national_user):
    arrangement = ArrangementFactory(name="Oud")
    services.arrangement_update(
        actor=national_user,
        arrangement=arrangement,
        expected_version=1,
        name="Nieuw",
        max_amount=None,
    )

    change = arrangement.changes.get(action=ChangeAction.CHANGED)
    assert change.changes == {"name": ["Oud", "Nieuw"]}
    with pytest.raises(ConflictError):
        services.arrangement_update(
            actor=national_user, arrangement=arrangement, expected_version=1, name="Weer"
        )
    arrangement.refresh_from_db()
    assert arrangement.name == "Nieuw"


def test_end_before_start_is_refused(national_user):
    with pytest.raises(ValidationError):
        services.arrangement_create(
            actor=national_user,
            scope=Scope.NATIONAL,
            checked_on=_today(),
            valid_from=datetime.date(2026, 2, 1),
            valid_until=datetime.date(2026, 1, 1),
            **BASE,
        )


def test_history_is_append_only():
    arrangement = ArrangementFactory()
    change = ArrangementChange.objects.create(arrangement=arrangement, action="changed")
    with pytest.raises(ValueError, match="append-only"):
        change.save()
    with pytest.raises(ValueError, match="append-only"):
        ArrangementChange.objects.filter(pk=change.pk).update(summary="x")


def test_mark_checked_clears_the_stale_flag(national_user):
    arrangement = ArrangementFactory(checked_on=_today() - datetime.timedelta(days=400))
    assert arrangement.is_stale(_today())

    services.arrangement_mark_checked(
        actor=national_user, arrangement=arrangement, expected_version=1
    )

    arrangement.refresh_from_db()
    assert not arrangement.is_stale(_today())
    assert arrangement.changes.filter(action=ChangeAction.CHECKED).exists()


def test_stale_means_checked_more_than_six_months_ago():
    today = datetime.date(2026, 8, 31)
    assert not ArrangementFactory.build(checked_on=datetime.date(2026, 2, 28)).is_stale(today)
    assert ArrangementFactory.build(checked_on=datetime.date(2026, 2, 27)).is_stale(today)


# -- conditions -----------------------------------------------------------------------------


def test_conditions_are_validated_and_recorded(national_user):
    arrangement = ArrangementFactory()

    condition = services.condition_add(
        actor=national_user,
        arrangement=arrangement,
        expected_version=1,
        kind="age",
        operator="between",
        minimum=18,
        maximum=55,
    )

    arrangement.refresh_from_db()
    assert arrangement.version == 2  # a condition change is a change of the arrangement
    change = arrangement.changes.get(action=ChangeAction.CONDITION_ADDED)
    assert change.summary == "Leeftijd: van 18 tot en met 55 jaar"
    assert change.changes["conditions"] == [[], ["Leeftijd: van 18 tot en met 55 jaar"]]

    services.condition_remove(actor=national_user, condition=condition, expected_version=2)
    assert not arrangement.conditions.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "situation", "operator": "in", "values": ["astronaut"]}, "values"),
        ({"kind": "situation", "operator": "in", "values": []}, "values"),
        ({"kind": "situation", "operator": "between", "values": ["worker"]}, "operator"),
        ({"kind": "age", "operator": "between"}, "minimum"),
        ({"kind": "age", "operator": "between", "minimum": 60, "maximum": 20}, "maximum"),
        ({"kind": "region", "operator": "in", "values": ["AM04"]}, "values"),  # unused code
        ({"kind": "training_crebo", "operator": "in", "values": ["1234"]}, "values"),
    ],
)
def test_invalid_conditions_are_refused_with_a_dutch_message(national_user, values, field):
    arrangement = ArrangementFactory()

    with pytest.raises(ValidationError) as error:
        services.condition_add(
            actor=national_user, arrangement=arrangement, expected_version=1, **values
        )

    assert field in error.value.message_dict
    assert not arrangement.conditions.exists()


def test_a_condition_that_contradicts_another_is_refused(national_user):
    arrangement = ArrangementFactory()
    services.condition_add(
        actor=national_user,
        arrangement=arrangement,
        expected_version=1,
        kind="sector",
        operator="in",
        values=["care"],
    )

    with pytest.raises(ValidationError, match="spreekt een andere voorwaarde"):
        services.condition_add(
            actor=national_user,
            arrangement=arrangement,
            expected_version=2,
            kind="sector",
            operator="not_in",
            values=["care"],
        )


# -- funding advice on a trajectory ---------------------------------------------------------


def test_adviser_saves_an_explained_advice_on_the_trajectory(adviser_a, desk_a):
    trajectory = TrajectoryFactory(desk=desk_a)
    ArrangementFactory(name="Alleen voor werkenden").conditions.create(
        kind="situation", operator="in", values=["worker"], sort_order=1
    )

    advice = services.funding_advice_save(
        actor=adviser_a,
        trajectory=trajectory,
        situation=SituationFacts(situations=frozenset({"worker"}), age=40),
        training=None,
    )

    assert advice.desk == desk_a
    saved = {r["name"]: r for r in advice.results}
    assert saved["Alleen voor werkenden"]["verdict"] == Verdict.ELIGIBLE
    assert saved["Alleen voor werkenden"]["conditions"][0]["reason"].startswith(
        "Uw situatie: Werkend."
    )
    event = AuditEvent.objects.get(action="funding_advice.create")
    assert event.object_uuid == advice.uuid
    assert "Werkend" not in str(event.detail)  # no personal data in the audit log


@pytest.mark.parametrize("user", ["adviser_b", "national_user", "ministry_user"])
def test_only_the_trajectory_desk_saves_advice(request, user, desk_a):
    trajectory = TrajectoryFactory(desk=desk_a)

    with pytest.raises(PermissionDenied):
        services.funding_advice_save(
            actor=request.getfixturevalue(user),
            trajectory=trajectory,
            situation=SituationFacts(),
            training=None,
        )
    assert not FundingAdvice.objects.exists()


def test_anonymising_a_client_removes_age_and_note_from_the_advice(adviser_a, desk_a):
    trajectory = TrajectoryFactory(desk=desk_a)
    ArrangementFactory().conditions.create(kind="age", operator="between", minimum=18, sort_order=1)
    advice = services.funding_advice_save(
        actor=adviser_a,
        trajectory=trajectory,
        situation=SituationFacts(age=44),
        training=None,
        note="Wil graag bijscholing.",
    )

    assert services.funding_advice_anonymise_for_client(client=trajectory.client) == 1

    advice.refresh_from_db()
    assert advice.situation["age"] is None
    assert advice.note == ""
    reasons = [row["reason"] for result in advice.results for row in result["conditions"]]
    assert "Leeftijd verwijderd." in reasons
    assert not any("44 jaar" in reason for reason in reasons)


# -- seeded examples ------------------------------------------------------------------------


def test_every_install_has_the_national_and_sector_examples_marked_as_examples():
    seeded = FundingArrangement.objects.filter(
        seed_key__in=[e["seed_key"] for e in examples.EXAMPLES]
    )

    assert {a.seed_key for a in seeded} == {
        "slim",
        "nl-leert-door-ontwikkeladvies",
        "scholingsvoucher-uitzendkrachten",
        "tel-mee-met-taal",
        "levenlanglerenkrediet",
    }  # the regional one waits for the reference data (below)
    assert all(a.is_example and a.amount_note.startswith("Voorbeeld: controleer") for a in seeded)
    assert all(a.max_amount is None for a in seeded)  # no invented amounts
    assert all(a.changes.filter(action=ChangeAction.CREATED).exists() for a in seeded)


def test_the_command_adds_the_regional_example_once(desk_a):
    out = io.StringIO()
    call_command("load_funding_examples", stdout=out)
    call_command("load_funding_examples", stdout=out)

    regional = FundingArrangement.objects.get(seed_key="vakmanschapsfonds-rijnmond")
    assert regional.desk == desk_a
    assert regional.not_combinable_with.filter(seed_key="scholingsvoucher-uitzendkrachten").exists()
    assert FundingArrangement.objects.filter(seed_key__startswith="vakmanschap").count() == 1
    assert out.getvalue().splitlines() == [
        "Voorbeeldregelingen toegevoegd: 1.",
        "Voorbeeldregelingen toegevoegd: 0.",
    ]


def test_unseeding_keeps_examples_someone_changed(national_user):
    slim = FundingArrangement.objects.get(seed_key="slim")
    services.arrangement_update(
        actor=national_user, arrangement=slim, expected_version=1, name="SLIM"
    )

    examples.unseed(apps)

    assert list(
        FundingArrangement.objects.filter(seed_key__gt="").values_list("seed_key", flat=True)
    ) == ["slim"]


def _evaluate(situation: SituationFacts, training: TrainingFacts | None) -> dict[str, str]:
    rijnmond = Region.objects.get(code="AM22")
    evaluation = selectors.evaluate_public(situation, training, on=_today(), region_id=rijnmond.pk)
    return {evaluation.arrangements[r.key].seed_key: r.verdict for r in evaluation.results}


def test_realistic_jobseeker_with_ww_choosing_an_mbo_diploma(desk_a):
    examples.seed(apps)
    verdicts = _evaluate(
        SituationFacts(
            situations=frozenset({"jobseeker_ww"}), age=45, region_code="AM22", sector=None
        ),
        TrainingFacts(kind="diploma", level="mbo_3", lists=frozenset({"rio"})),
    )

    assert verdicts["levenlanglerenkrediet"] == Verdict.ELIGIBLE
    assert verdicts["nl-leert-door-ontwikkeladvies"] == Verdict.ELIGIBLE
    assert verdicts["slim"] == Verdict.NOT_ELIGIBLE  # for workers via their employer
    assert verdicts["scholingsvoucher-uitzendkrachten"] == Verdict.NOT_ELIGIBLE
    assert verdicts["vakmanschapsfonds-rijnmond"] == Verdict.POSSIBLY  # which sector?


def test_realistic_agency_worker_in_logistics_in_rijnmond(desk_a):
    examples.seed(apps)
    rijnmond = Region.objects.get(code="AM22")
    evaluation = selectors.evaluate_public(
        SituationFacts(
            situations=frozenset({AGENCY_WORKER, "worker"}),
            age=24,
            sector="transport",
            employer_size="250+",
            region_code="AM22",
        ),
        TrainingFacts(kind="certificate", level="mbo_2", lists=frozenset({"training_register"})),
        on=_today(),
        region_id=rijnmond.pk,
    )
    by_key = {evaluation.arrangements[r.key].seed_key: r for r in evaluation.results}

    assert by_key["scholingsvoucher-uitzendkrachten"].verdict == Verdict.ELIGIBLE
    assert by_key["vakmanschapsfonds-rijnmond"].verdict == Verdict.ELIGIBLE
    assert by_key["scholingsvoucher-uitzendkrachten"].not_combinable_with == (
        "Regionaal vakmanschapsfonds (fictief voorbeeld, Rijnmond)",
    )
    assert by_key["slim"].verdict == Verdict.NOT_ELIGIBLE
    slim_reasons = [c.reason for c in by_key["slim"].conditions]
    assert any("250 of meer werknemers. Dat past niet" in reason for reason in slim_reasons)
    assert by_key["levenlanglerenkrediet"].verdict == Verdict.NOT_ELIGIBLE  # not a diploma


def test_the_regional_example_does_not_apply_outside_its_region(desk_a):
    examples.seed(apps)
    groningen = Region.objects.get(code="AM01")

    evaluation = selectors.evaluate_public(
        SituationFacts(region_code="AM01", region_name="Groningen"),
        None,
        on=_today(),
        region_id=groningen.pk,
    )

    assert "vakmanschapsfonds-rijnmond" not in {
        a.seed_key for a in evaluation.arrangements.values()
    }
    rijnmond_fund = FundingArrangement.objects.get(seed_key="vakmanschapsfonds-rijnmond")
    [rules] = selectors.arrangement_rules([rijnmond_fund])
    assert rules.conditions[0].values == ("AM22",)  # the implicit region condition
