"""Messages between client and desk, and the services the citizen side (Mijn Leerwerkloket)
calls: validation, read markers, e-mails without content, threads and shared plans."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.dossier import services
from leerwerk.dossier.constants import MessageDirection, PlanStatus
from leerwerk.dossier.models import Message
from leerwerk.dossier.tests.factories import DevelopmentPlanFactory, MessageFactory
from leerwerk.guidance.constants import Outcome, TrajectoryStatus
from leerwerk.guidance.models import Trajectory
from leerwerk.guidance.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

SECRET = "Ik heb schulden en durf dat niet te zeggen."


@pytest.fixture
def client_a(desk_a):  # type: ignore[no-untyped-def]
    return ClientFactory(
        desk=desk_a, given_name="Fatima", family_name="Yilmaz", email="fatima@example.test"
    )


@pytest.fixture
def trajectory(client_a, adviser_a):  # type: ignore[no-untyped-def]
    return TrajectoryFactory(client=client_a, adviser=adviser_a)


def close(trajectory: Trajectory, days_ago: int) -> Trajectory:
    closed_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    Trajectory.objects.filter(pk=trajectory.pk).update(
        status=TrajectoryStatus.CLOSED,
        opened_on=closed_on - datetime.timedelta(days=10),
        closed_on=closed_on,
        outcome=Outcome.ADVICE_NO_FOLLOW_UP,
        outcome_date=closed_on,
    )
    trajectory.refresh_from_db()
    return trajectory


# -- the desk writes ----------------------------------------------------------------------------


def test_a_reply_is_signed_with_the_advisers_first_name_and_mails_the_client_without_content(
    adviser_a, trajectory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_post(actor=adviser_a, trajectory=trajectory, body=SECRET)

    assert message.direction == MessageDirection.FROM_DESK
    assert message.author == adviser_a
    assert message.author_label == adviser_a.name.split(" ")[0]
    [sent] = mail.outbox
    assert sent.to == ["fatima@example.test"]
    assert "/mijn/berichten/" in sent.body
    assert SECRET not in sent.body and SECRET not in sent.subject
    event = AuditEvent.objects.get(action="message.post")
    assert SECRET not in str(event.detail)


def test_a_reply_can_be_signed_by_the_desk(adviser_a, trajectory, desk_a):
    message = services.message_post(
        actor=adviser_a, trajectory=trajectory, body="Hallo", sign_as_desk=True
    )
    assert message.author_label == desk_a.display_name
    assert message.author_label.startswith("Leerwerkloket")


def test_no_mail_when_the_client_has_no_email_address(
    adviser_a, desk_a, django_capture_on_commit_callbacks
):
    trajectory = TrajectoryFactory(client=ClientFactory(desk=desk_a, email=""))
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=adviser_a, trajectory=trajectory, body="Hallo")
    assert mail.outbox == []
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Schrijf een bericht."),
        ("   \n  ", "Schrijf een bericht."),
        ("x" * 4001, "Het bericht is te lang: hoogstens 4000 tekens (nu 4001)."),
    ],
)
def test_the_body_must_be_filled_in_and_not_too_long(adviser_a, trajectory, body, message):
    with pytest.raises(ValidationError) as caught:
        services.message_post(actor=adviser_a, trajectory=trajectory, body=body)
    assert caught.value.message_dict["body"] == [message]
    assert not Message.objects.exists()


def test_line_breaks_are_kept_and_outer_space_trimmed(adviser_a, trajectory):
    message = services.message_post(
        actor=adviser_a, trajectory=trajectory, body="  Eerste regel\r\nTweede regel  "
    )
    assert message.body == "Eerste regel\nTweede regel"


def test_replying_marks_the_clients_messages_read(adviser_a, trajectory):
    unread = MessageFactory(trajectory=trajectory)
    services.message_post(actor=adviser_a, trajectory=trajectory, body="Dank u wel.")
    unread.refresh_from_db()
    assert unread.read_by_desk_at is not None


def test_another_desk_and_the_national_team_may_not_write(adviser_b, national_user, trajectory):
    for outsider in (adviser_b, national_user):
        with pytest.raises(PermissionDenied):
            services.message_post(actor=outsider, trajectory=trajectory, body="Hallo")
        with pytest.raises(PermissionDenied):
            services.thread_mark_read_by_desk(actor=outsider, trajectory=trajectory)
    assert not Message.objects.exists()


def test_no_messages_to_an_erased_client(adviser_a, manager_a, trajectory):
    from leerwerk.clients.services import client_erase

    client_erase(actor=manager_a, client=trajectory.client)
    trajectory.refresh_from_db()
    with pytest.raises(ValidationError, match="verwijderd"):
        services.message_post(actor=adviser_a, trajectory=trajectory, body="Hallo")


def test_opening_the_thread_marks_only_the_clients_messages_read(adviser_a, trajectory):
    from_client = MessageFactory(trajectory=trajectory)
    from_desk = MessageFactory(
        trajectory=trajectory, direction=MessageDirection.FROM_DESK, author=adviser_a
    )
    assert services.thread_mark_read_by_desk(actor=adviser_a, trajectory=trajectory) == 1
    assert services.thread_mark_read_by_desk(actor=adviser_a, trajectory=trajectory) == 0
    from_client.refresh_from_db()
    from_desk.refresh_from_db()
    assert from_client.read_by_desk_at is not None
    assert from_desk.read_by_desk_at is None
    assert from_desk.read_by_citizen_at is None


# -- the citizen writes -------------------------------------------------------------------------


def test_a_citizen_message_mails_the_adviser_without_content_or_name(
    client_a, trajectory, adviser_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.citizen_post_message(
            client=client_a, trajectory=trajectory, body=SECRET, account_label="Fatima Y."
        )

    assert message.direction == MessageDirection.FROM_CITIZEN
    assert message.author is None
    assert message.author_label == "Fatima Y."
    assert message.read_by_desk_at is None
    [sent] = mail.outbox
    assert sent.to == [adviser_a.email]
    assert sent.subject == "Er is een nieuw bericht"
    assert SECRET not in sent.body
    assert "Fatima" not in sent.body and "Yilmaz" not in sent.body
    assert f"/medewerkers/begeleiding/trajecten/{trajectory.uuid}/berichten/" in sent.body
    event = AuditEvent.objects.get(action="message.citizen_post")
    assert event.actor_id is None


def test_without_a_working_adviser_the_desk_address_gets_the_mail(
    client_a, desk_a, django_capture_on_commit_callbacks
):
    desk_a.email = "loket@rijnmond.example.test"
    desk_a.save(update_fields=["email"])
    trajectory = TrajectoryFactory(client=client_a, adviser=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.citizen_post_message(
            client=client_a, trajectory=trajectory, body="Hallo", account_label=""
        )
    [sent] = mail.outbox
    assert sent.to == ["loket@rijnmond.example.test"]


def test_a_former_adviser_is_not_mailed(
    client_a, desk_a, ended_adviser_a, django_capture_on_commit_callbacks
):
    trajectory = TrajectoryFactory(client=client_a, adviser=ended_adviser_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.citizen_post_message(
            client=client_a, trajectory=trajectory, body="Hallo", account_label=""
        )
    assert all(ended_adviser_a.email not in sent.to for sent in mail.outbox)


def test_an_empty_label_falls_back_to_the_clients_first_name(client_a, trajectory):
    message = services.citizen_post_message(
        client=client_a, trajectory=trajectory, body="Hallo", account_label="   "
    )
    assert message.author_label == "Fatima"


def test_a_citizen_cannot_write_in_someone_elses_trajectory(client_a, desk_a):
    others = TrajectoryFactory(client=ClientFactory(desk=desk_a))
    with pytest.raises(ValidationError, match="hoort niet bij uw gegevens"):
        services.citizen_post_message(
            client=client_a, trajectory=others, body="Hallo", account_label="Fatima"
        )
    assert not Message.objects.exists()


@pytest.mark.parametrize(("days_ago", "allowed"), [(0, True), (30, True), (31, False)])
def test_a_citizen_can_write_until_30_days_after_closing(client_a, trajectory, days_ago, allowed):
    close(trajectory, days_ago)
    if allowed:
        services.citizen_post_message(
            client=client_a, trajectory=trajectory, body="Nog een vraag", account_label="F"
        )
        assert Message.objects.count() == 1
    else:
        with pytest.raises(ValidationError, match="meer dan 30 dagen klaar"):
            services.citizen_post_message(
                client=client_a, trajectory=trajectory, body="Nog een vraag", account_label="F"
            )
        assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "x" * 4001])
def test_a_citizen_message_must_be_filled_in_and_not_too_long(client_a, trajectory, body):
    with pytest.raises(ValidationError) as caught:
        services.citizen_post_message(
            client=client_a, trajectory=trajectory, body=body, account_label="F"
        )
    assert "body" in caught.value.message_dict


# -- threads and read markers for the citizen ---------------------------------------------------


def test_threads_show_open_trajectories_and_closed_ones_with_messages(client_a, adviser_a):
    open_empty = TrajectoryFactory(client=client_a)
    closed_with = close(TrajectoryFactory(client=client_a), days_ago=100)
    close(TrajectoryFactory(client=client_a), days_ago=5)  # closed, no messages: left out
    first = MessageFactory(trajectory=closed_with, body="Eerste")
    second = MessageFactory(
        trajectory=closed_with,
        direction=MessageDirection.FROM_DESK,
        author=adviser_a,
        body="Tweede",
    )
    Message.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    MessageFactory(trajectory=TrajectoryFactory(client=ClientFactory()))  # someone else's

    threads = services.citizen_threads(client_a)

    by_trajectory = {thread.trajectory.pk: thread for thread in threads}
    assert set(by_trajectory) == {open_empty.pk, closed_with.pk}
    thread = by_trajectory[closed_with.pk]
    assert [m.body for m in thread.messages] == ["Eerste", "Tweede"]
    assert thread.unread == 1
    assert thread.can_write is False
    assert by_trajectory[open_empty.pk].can_write is True
    assert by_trajectory[open_empty.pk].messages == []
    # fetching marks nothing
    second.refresh_from_db()
    assert second.read_by_citizen_at is None


def test_citizen_mark_read_marks_the_desks_messages_of_that_thread(client_a, trajectory, adviser_a):
    from_desk = MessageFactory(
        trajectory=trajectory, direction=MessageDirection.FROM_DESK, author=adviser_a
    )
    own = MessageFactory(trajectory=trajectory)
    other_thread = MessageFactory(
        trajectory=TrajectoryFactory(client=client_a),
        direction=MessageDirection.FROM_DESK,
        author=adviser_a,
    )

    assert services.citizen_mark_read(client_a, trajectory) == 1

    for message in (from_desk, own, other_thread):
        message.refresh_from_db()
    assert from_desk.read_by_citizen_at is not None
    assert own.read_by_citizen_at is None
    assert other_thread.read_by_citizen_at is None


def test_citizen_mark_read_refuses_another_clients_thread(client_a):
    others = TrajectoryFactory(client=ClientFactory())
    with pytest.raises(ValidationError):
        services.citizen_mark_read(client_a, others)


# -- plans for the citizen ------------------------------------------------------------------------


def test_citizen_plans_are_shared_and_superseded_ones_newest_first_never_drafts(client_a):
    trajectory = TrajectoryFactory(client=client_a)
    now = timezone.now()
    old = DevelopmentPlanFactory(
        trajectory=trajectory,
        number=1,
        status=PlanStatus.SUPERSEDED,
        shared_at=now - datetime.timedelta(days=20),
        superseded_at=now,
    )
    current = DevelopmentPlanFactory(trajectory=trajectory, number=2, shared=True)
    DevelopmentPlanFactory(trajectory=trajectory, number=3)  # draft
    DevelopmentPlanFactory(shared=True)  # another client's

    assert services.citizen_plans(client_a) == [current, old]


def test_citizen_lookups_by_uuid_only_find_the_clients_own_visible_things(client_a, trajectory):
    shared = DevelopmentPlanFactory(trajectory=trajectory, number=1, shared=True)
    draft = DevelopmentPlanFactory(trajectory=trajectory, number=2)
    others_plan = DevelopmentPlanFactory(shared=True)
    others_trajectory = TrajectoryFactory(client=ClientFactory())

    assert services.citizen_plan(client_a, shared.uuid) == shared
    assert services.citizen_plan(client_a, str(shared.uuid)) == shared
    assert services.citizen_plan(client_a, draft.uuid) is None
    assert services.citizen_plan(client_a, others_plan.uuid) is None
    assert services.citizen_plan(client_a, "geen-uuid") is None
    assert services.citizen_trajectory(client_a, trajectory.uuid) == trajectory
    assert services.citizen_trajectory(client_a, others_trajectory.uuid) is None
    assert services.citizen_trajectory(client_a, "geen-uuid") is None


def test_a_desk_manager_looking_leaves_the_messages_new_for_the_advisers(manager_a, trajectory):
    message = MessageFactory(trajectory=trajectory)
    assert services.thread_mark_read_by_desk(actor=manager_a, trajectory=trajectory) == 0
    message.refresh_from_db()
    assert message.read_by_desk_at is None
