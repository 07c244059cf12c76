"""The development plan services: validation in Dutch, draft → shared → superseded, one draft
and one shared plan per trajectory, conflicts on concurrent edits, permissions and audit."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.dossier import services
from leerwerk.dossier.constants import MAX_STEPS, PlanStatus, StepOwner
from leerwerk.dossier.models import DevelopmentPlan, PlanStep
from leerwerk.guidance.constants import Outcome, TrajectoryStatus
from leerwerk.guidance.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def step(action: str = "Opleidingen vergelijken", owner: str = StepOwner.CLIENT, **extra):  # type: ignore[no-untyped-def]
    return {"action": action, "owner": owner, "target_date": None, "done_at": None, **extra}


@pytest.fixture
def trajectory(desk_a, adviser_a):  # type: ignore[no-untyped-def]
    client = ClientFactory(desk=desk_a, given_name="Fatima", family_name="Yilmaz")
    return TrajectoryFactory(client=client, adviser=adviser_a)


def create(actor, trajectory, **values):  # type: ignore[no-untyped-def]
    values = {
        "title": "Op weg naar de zorg",
        "goal": "Werken als helpende in de zorg.",
        "steps": [step(), step("Gesprek met een zorgorganisatie", StepOwner.ADVISER)],
        **values,
    }
    return services.plan_create(actor=actor, trajectory=trajectory, **values)


def share(actor, plan):  # type: ignore[no-untyped-def]
    return services.plan_share(actor=actor, plan=plan, expected_version=plan.version)


# -- create ------------------------------------------------------------------------------------


def test_an_adviser_writes_a_draft_plan_with_steps_in_order(adviser_a, trajectory):
    plan = create(adviser_a, trajectory, situation="  Werkt nu in de schoonmaak.  ")

    assert plan.status == PlanStatus.DRAFT
    assert plan.number == 1
    assert plan.plan_date == _today()
    assert plan.situation == "Werkt nu in de schoonmaak."
    assert plan.desk_id == trajectory.desk_id
    assert list(plan.steps.order_by("order").values_list("order", "action", "owner")) == [
        (1, "Opleidingen vergelijken", "client"),
        (2, "Gesprek met een zorgorganisatie", "adviser"),
    ]
    event = AuditEvent.objects.get(action="plan.create")
    assert event.object_uuid == plan.uuid
    assert event.actor_id == adviser_a.pk
    assert "Werken" not in str(event.detail)  # never the texts themselves


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": "  "}, "title", "Geef het plan een titel."),
        ({"title": "x" * 201}, "title", "hoogstens 200 tekens"),
        ({"goal": ""}, "goal", "Schrijf op wat de klant wil bereiken."),
        ({"situation": "x" * 4001}, "situation", "hoogstens 4000 tekens"),
        ({"agreements": "x" * 4001}, "agreements", "hoogstens 4000 tekens"),
        (
            {"plan_date": "tomorrow"},
            "plan_date",
            "De datum van het plan kan niet in de toekomst liggen.",
        ),
        (
            {"plan_date": "before_opened"},
            "plan_date",
            "De datum van het plan ligt vóór het begin van het traject",
        ),
    ],
)
def test_plan_fields_are_checked_with_dutch_messages(adviser_a, trajectory, values, field, message):
    dates = {
        "tomorrow": _today() + datetime.timedelta(days=1),
        "before_opened": trajectory.opened_on - datetime.timedelta(days=1),
    }
    values = {k: dates.get(v, v) if k == "plan_date" else v for k, v in values.items()}

    with pytest.raises(ValidationError) as caught:
        create(adviser_a, trajectory, **values)

    assert field in caught.value.error_dict
    assert message in " ".join(caught.value.message_dict[field])
    assert not DevelopmentPlan.objects.exists()


@pytest.mark.parametrize(
    ("bad_step", "field", "message"),
    [
        (step(action=""), "action", "Stap 2: schrijf op wat er moet gebeuren."),
        (step(action="x" * 501), "action", "Stap 2: Dit is te lang: hoogstens 500 tekens"),
        (step(owner="buurman"), "owner", "Stap 2: kies wie dit doet."),
        (
            step(target_date="yesterday"),
            "target_date",
            "Stap 2: de datum 'klaar voor' ligt vóór de datum van het plan.",
        ),
        (
            step(done_at="tomorrow"),
            "done_at",
            "Stap 2: de datum 'gedaan op' kan niet in de toekomst",
        ),
    ],
)
def test_each_step_is_checked_and_the_error_says_which_step(
    adviser_a, trajectory, bad_step, field, message
):
    dates = {
        "yesterday": _today() - datetime.timedelta(days=1),
        "tomorrow": _today() + datetime.timedelta(days=1),
    }
    bad_step = {k: dates.get(v, v) if isinstance(v, str) else v for k, v in bad_step.items()}

    with pytest.raises(ValidationError) as caught:
        create(adviser_a, trajectory, steps=[step(), bad_step])

    [error] = caught.value.error_dict["steps"]
    assert message in error.messages[0]
    assert error.code == "step"
    assert error.params["index"] == 1
    assert error.params["field"] == field


def test_a_target_date_before_the_plan_date_is_fine_when_the_step_is_done(adviser_a, trajectory):
    long_ago = trajectory.opened_on
    plan = create(
        adviser_a,
        trajectory,
        plan_date=_today(),
        steps=[step(target_date=long_ago, done_at=long_ago)],
    )
    assert plan.steps.get().done_at == long_ago


def test_a_plan_has_at_most_30_steps(adviser_a, trajectory):
    with pytest.raises(ValidationError) as caught:
        create(adviser_a, trajectory, steps=[step(f"Stap {n}") for n in range(MAX_STEPS + 1)])
    assert "hoogstens 30 stappen" in " ".join(caught.value.message_dict["steps"])


def test_a_draft_may_be_saved_without_steps(adviser_a, trajectory):
    plan = create(adviser_a, trajectory, steps=[])
    assert plan.steps.count() == 0


def test_only_one_draft_per_trajectory(adviser_a, trajectory):
    create(adviser_a, trajectory)
    with pytest.raises(ValidationError, match="Er is al een concept"):
        create(adviser_a, trajectory)
    assert DevelopmentPlan.objects.count() == 1


def test_no_plan_for_a_closed_trajectory(adviser_a, trajectory):
    TrajectoryFactory._meta.model.objects.filter(pk=trajectory.pk).update(
        status=TrajectoryStatus.CLOSED,
        closed_on=_today(),
        outcome=Outcome.ADVICE_NO_FOLLOW_UP,
        outcome_date=_today(),
    )
    trajectory.refresh_from_db()
    with pytest.raises(ValidationError, match="afgesloten"):
        create(adviser_a, trajectory)


def test_other_desks_and_the_national_team_may_not_write_a_plan(
    adviser_b, national_user, ministry_user, trajectory
):
    for outsider in (adviser_b, national_user, ministry_user):
        with pytest.raises(PermissionDenied):
            create(outsider, trajectory)
    assert not DevelopmentPlan.objects.exists()


def test_another_adviser_and_the_desk_manager_of_the_same_desk_may(manager_a, trajectory, desk_a):
    from leerwerk.network.tests.factories import StaffMembershipFactory

    colleague = StaffMembershipFactory(desk=desk_a, user__email="collega.a@example.test").user
    plan = create(colleague, trajectory)
    services.plan_update(
        actor=manager_a,
        plan=plan,
        expected_version=plan.version,
        steps=[step()],
        title="Nieuwe titel",
    )
    plan.refresh_from_db()
    assert plan.title == "Nieuwe titel"


# -- update and conflicts ----------------------------------------------------------------------


def test_update_replaces_texts_and_steps(adviser_a, trajectory):
    plan = create(adviser_a, trajectory)
    services.plan_update(
        actor=adviser_a,
        plan=plan,
        expected_version=plan.version,
        steps=[step("Alleen deze stap", StepOwner.PARTNER)],
        goal="Een opleiding tot verzorgende IG.",
    )
    plan.refresh_from_db()
    assert plan.goal == "Een opleiding tot verzorgende IG."
    assert plan.version == 2
    assert list(plan.steps.values_list("order", "action", "owner")) == [
        (1, "Alleen deze stap", "partner")
    ]


def test_a_concurrent_edit_gets_a_conflict_and_changes_nothing(adviser_a, manager_a, trajectory):
    # given two people opened the same draft (version 1)
    plan = create(adviser_a, trajectory)
    first = DevelopmentPlan.objects.get(pk=plan.pk)
    second = DevelopmentPlan.objects.get(pk=plan.pk)
    # when the first saves
    services.plan_update(
        actor=adviser_a,
        plan=first,
        expected_version=1,
        steps=[step("Van de eerste")],
        title="Eerste",
    )
    # then the second, saving against version 1, gets a conflict
    with pytest.raises(ConflictError) as caught:
        services.plan_update(
            actor=manager_a,
            plan=second,
            expected_version=1,
            steps=[step("Van de tweede")],
            title="Tweede",
        )
    assert "Iemand anders heeft dit intussen gewijzigd" in caught.value.messages[0]
    # and the first one's work is what stays, texts and steps
    plan.refresh_from_db()
    assert plan.title == "Eerste"
    assert list(plan.steps.values_list("action", flat=True)) == ["Van de eerste"]
    assert second.title == "Eerste"  # the object given is put back to what the database holds


def test_a_shared_plan_does_not_change_any_more(adviser_a, trajectory):
    plan = share(adviser_a, create(adviser_a, trajectory))
    with pytest.raises(ValidationError, match="Een gedeeld plan verandert niet meer"):
        services.plan_update(
            actor=adviser_a, plan=plan, expected_version=plan.version, steps=[step()], title="X"
        )


# -- sharing -------------------------------------------------------------------------------------


def test_sharing_makes_the_draft_the_current_plan_and_tells_the_client_without_content(
    adviser_a, trajectory, django_capture_on_commit_callbacks
):
    plan = create(adviser_a, trajectory)

    with django_capture_on_commit_callbacks(execute=True):
        share(adviser_a, plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.SHARED
    assert plan.shared_at is not None
    assert plan.shared_by == adviser_a
    [message] = mail.outbox
    assert message.to == [trajectory.client.email]
    assert "ontwikkelplan" in message.subject.lower()
    assert "/mijn/" in message.body
    assert "Werken als helpende" not in message.body  # the goal
    assert "Opleidingen vergelijken" not in message.body  # a step
    assert AuditEvent.objects.filter(action="plan.share", object_uuid=plan.uuid).exists()


def test_a_plan_without_steps_cannot_be_shared(adviser_a, trajectory):
    plan = create(adviser_a, trajectory, steps=[])
    with pytest.raises(ValidationError, match="Een plan zonder stappen kan niet worden gedeeld"):
        share(adviser_a, plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_sharing_with_a_stale_version_is_a_conflict(adviser_a, trajectory):
    plan = create(adviser_a, trajectory)
    stale = DevelopmentPlan.objects.get(pk=plan.pk)
    services.plan_update(
        actor=adviser_a, plan=plan, expected_version=1, steps=[step()], title="Nieuw"
    )
    with pytest.raises(ConflictError):
        services.plan_share(actor=adviser_a, plan=stale, expected_version=1)
    assert DevelopmentPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_a_new_version_copies_the_shared_plan_and_supersedes_it_when_shared(adviser_a, trajectory):
    first = share(adviser_a, create(adviser_a, trajectory))

    draft = services.plan_new_version(actor=adviser_a, trajectory=trajectory)

    assert draft.number == 2
    assert draft.status == PlanStatus.DRAFT
    assert draft.goal == first.goal
    assert list(draft.steps.values_list("action", flat=True)) == [
        "Opleidingen vergelijken",
        "Gesprek met een zorgorganisatie",
    ]
    # the client keeps seeing version 1 until version 2 is shared
    first.refresh_from_db()
    assert first.status == PlanStatus.SHARED

    share(adviser_a, draft)

    first.refresh_from_db()
    draft.refresh_from_db()
    assert (first.status, draft.status) == (PlanStatus.SUPERSEDED, PlanStatus.SHARED)
    assert first.superseded_at is not None
    assert first.steps.count() == 2  # history keeps its steps
    assert DevelopmentPlan.objects.filter(status=PlanStatus.SHARED).count() == 1


def test_a_new_version_needs_a_shared_plan_and_no_open_draft(adviser_a, trajectory):
    with pytest.raises(ValidationError, match="nog geen gedeeld plan"):
        services.plan_new_version(actor=adviser_a, trajectory=trajectory)
    share(adviser_a, create(adviser_a, trajectory))
    services.plan_new_version(actor=adviser_a, trajectory=trajectory)
    with pytest.raises(ValidationError, match="Er is al een concept"):
        services.plan_new_version(actor=adviser_a, trajectory=trajectory)


def test_the_database_allows_one_shared_plan_per_trajectory(adviser_a, trajectory):
    from django.db import IntegrityError, transaction

    from leerwerk.dossier.tests.factories import DevelopmentPlanFactory

    DevelopmentPlanFactory(trajectory=trajectory, number=1, shared=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentPlanFactory(trajectory=trajectory, number=2, shared=True)


# -- discard -------------------------------------------------------------------------------------


def test_a_draft_can_be_thrown_away_but_a_shared_plan_cannot(adviser_a, trajectory):
    draft = create(adviser_a, trajectory)
    services.plan_discard(actor=adviser_a, plan=draft)
    assert not DevelopmentPlan.objects.exists()
    assert not PlanStep.objects.exists()

    shared = share(adviser_a, create(adviser_a, trajectory))
    with pytest.raises(ValidationError, match="kan niet worden weggegooid"):
        services.plan_discard(actor=adviser_a, plan=shared)
    assert DevelopmentPlan.objects.filter(pk=shared.pk).exists()
