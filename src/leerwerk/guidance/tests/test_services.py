"""Rules of the guidance services and selectors: requests, trajectories, registrations,
version conflicts, adviser suggestions and the work list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client
from leerwerk.clients.selectors import has_consent
from leerwerk.clients.tests.factories import ClientFactory, EmployerFactory
from leerwerk.core.constants import DeskRole, GlobalRole
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.guidance import services, vocabulary
from leerwerk.guidance.constants import (
    TRANSITIONS,
    IntakeChannel,
    Outcome,
    RegistrationStatus,
    RequestStatus,
    TrajectoryStatus,
)
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory
from leerwerk.guidance.selectors import adviser_suggestions, work_list
from leerwerk.guidance.tests.factories import (
    IntakeRequestFactory,
    RegistrationFactory,
    TrajectoryFactory,
    registration_type,
)
from leerwerk.network.models import ExpertiseTag
from leerwerk.network.tests.factories import PartnerFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)

REQUEST_VALUES = {
    "theme": "retraining",
    "description": "Ik wil de techniek in.",
    "given_name": "Youssef",
    "family_name": "Bakkali",
    "email": "youssef@example.test",
    "contact_preference": "email",
}


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def closed_values():
    return {
        "closed_on": YESTERDAY,
        "outcome": Outcome.ADVICE_NO_FOLLOW_UP,
        "outcome_date": YESTERDAY,
    }


# -- requests -------------------------------------------------------------------------------------


def test_public_submit_needs_consent_and_a_published_desk(desk_a):
    with pytest.raises(ValidationError) as excinfo:
        services.intake_request_submit_public(desk=desk_a, consent=False, **REQUEST_VALUES)
    assert "consent" in errors_of(excinfo)
    desk_a.is_published = False
    with pytest.raises(ValidationError, match="geen aanvragen"):
        services.intake_request_submit_public(desk=desk_a, consent=True, **REQUEST_VALUES)
    assert not IntakeRequest.objects.exists()


def test_public_submit_records_channel_and_consent_time(desk_a):
    before = timezone.now()
    request = services.intake_request_submit_public(desk=desk_a, consent=True, **REQUEST_VALUES)
    assert request.channel == IntakeChannel.WEB_FORM
    assert request.consent_given_at >= before
    assert request.submitted_by is None
    assert AuditEvent.objects.filter(action="request.submit", object_uuid=request.uuid).exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"theme": "astrology"}, "theme"),
        ({"postcode": "12 AB"}, "postcode"),
        ({"phone": "bel me"}, "phone"),
        ({"email": "geen-mail"}, "email"),
        ({"email": "", "contact_preference": "email"}, "email"),
        ({"phone": "", "contact_preference": "phone"}, "phone"),
        ({"given_name": ""}, "given_name"),
    ],
)
def test_request_validation(desk_a, values, field):
    with pytest.raises(ValidationError) as excinfo:
        services.intake_request_submit_public(
            desk=desk_a, consent=True, **{**REQUEST_VALUES, **values}
        )
    assert field in errors_of(excinfo)


@pytest.mark.parametrize(
    ("channel", "valid"),
    [("phone", True), ("walk_in", True), ("email", True), ("other", True), ("web_form", False)],
)
def test_register_by_adviser_per_channel(desk_a, adviser_a, channel, valid):
    if valid:
        request = services.intake_request_register(
            actor=adviser_a, desk=desk_a, channel=channel, **REQUEST_VALUES
        )
        assert request.channel == channel
        assert request.submitted_by == adviser_a
    else:
        with pytest.raises(ValidationError) as excinfo:
            services.intake_request_register(
                actor=adviser_a, desk=desk_a, channel=channel, **REQUEST_VALUES
            )
        assert "channel" in errors_of(excinfo)


def test_register_without_consent_has_no_consent_time(desk_a, adviser_a):
    request = services.intake_request_register(
        actor=adviser_a, desk=desk_a, channel="phone", consent=False, **REQUEST_VALUES
    )
    assert request.consent_given_at is None


@pytest.mark.parametrize("actor", ["adviser_b", "national_user", "ministry_user"])
def test_register_at_other_desk_is_denied(desk_a, actor, request):
    with pytest.raises(PermissionDenied):
        services.intake_request_register(
            actor=request.getfixturevalue(actor), desk=desk_a, channel="phone", **REQUEST_VALUES
        )


def test_partner_referrer_refers_for_own_organisation_only(desk_a):
    # given
    own, other = PartnerFactory(name="UWV Rotterdam"), PartnerFactory(name="Gemeente X")
    referrer = UserFactory(global_role=GlobalRole.PARTNER_REFERRER, partner=own)
    # when: they try to refer on behalf of another organisation
    request = services.intake_request_refer(
        actor=referrer,
        desk=desk_a,
        partner=other,
        referrer_name="Jan Klant",
        referral_reason="Wil omscholen",
        consent=True,
        **REQUEST_VALUES,
    )
    # then
    assert request.referrer_partner == own
    assert request.channel == IntakeChannel.PARTNER_REFERRAL


def test_referrer_without_partner_is_denied(desk_a):
    referrer = UserFactory(global_role=GlobalRole.PARTNER_REFERRER, partner=None)
    with pytest.raises(PermissionDenied):
        services.intake_request_refer(
            actor=referrer,
            desk=desk_a,
            referrer_name="x",
            referral_reason="y",
            consent=True,
            **REQUEST_VALUES,
        )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"partner": None}, "referrer_partner"),
        ({"consent": False}, "consent"),
        ({"referrer_name": " "}, "referrer_name"),
        ({"referral_reason": ""}, "referral_reason"),
    ],
)
def test_referral_validation(desk_a, adviser_a, values, field):
    arguments = {
        "partner": PartnerFactory(),
        "referrer_name": "Jan",
        "referral_reason": "Wil omscholen",
        "consent": True,
        **values,
    }
    with pytest.raises(ValidationError) as excinfo:
        services.intake_request_refer(actor=adviser_a, desk=desk_a, **arguments, **REQUEST_VALUES)
    assert field in errors_of(excinfo)


def test_accept_creates_client_and_keeps_channel_referrer_and_consent(desk_a, adviser_a):
    # given: a partner referral from last week
    partner = PartnerFactory()
    request = IntakeRequestFactory(
        desk=desk_a,
        channel=IntakeChannel.PARTNER_REFERRAL,
        referrer_partner=partner,
        given_name="Eva",
        family_name="",
        phone="06 12345678",
        contact_preference="phone",
    )
    week_ago = timezone.now() - datetime.timedelta(days=7)
    IntakeRequest.objects.filter(pk=request.pk).update(
        created_at=week_ago, consent_given_at=week_ago
    )
    request.refresh_from_db()
    # when
    trajectory = services.intake_request_accept(actor=adviser_a, request=request, adviser=adviser_a)
    # then
    assert trajectory.channel == IntakeChannel.PARTNER_REFERRAL
    assert trajectory.referrer_partner == partner
    assert trajectory.intake_request == request
    assert trajectory.opened_on == timezone.localdate(week_ago)
    assert trajectory.adviser == adviser_a
    client = trajectory.client
    assert client.desk == desk_a and client.given_name == "Eva"
    assert client.preferred_channel == "phone"
    assert has_consent(client, ConsentPurpose.CONTACT)
    assert client.consents.get().given_at == week_ago
    request.refresh_from_db()
    assert request.status == RequestStatus.HANDLED and request.client == client


def test_accept_links_an_existing_client_of_the_same_desk(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    request = IntakeRequestFactory(desk=desk_a)
    trajectory = services.intake_request_accept(actor=adviser_a, request=request, client=client)
    assert trajectory.client == client
    assert Client.objects.count() == 1


def test_accept_twice_is_refused(desk_a, adviser_a):
    request = IntakeRequestFactory(desk=desk_a)
    services.intake_request_accept(actor=adviser_a, request=request)
    with pytest.raises(ValidationError, match="al behandeld"):
        services.intake_request_accept(actor=adviser_a, request=request)
    assert Trajectory.objects.count() == 1


def test_accept_with_a_client_of_another_desk_is_refused(desk_a, desk_b, adviser_a):
    # given: an adviser working at both desks, so only the desk rule can stop it
    StaffMembershipFactory(user=adviser_a, desk=desk_b)
    request = IntakeRequestFactory(desk=desk_a)
    other = ClientFactory(desk=desk_b)
    with pytest.raises(PermissionDenied):
        services.intake_request_accept(actor=adviser_a, request=request, client=other)
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    assert not Trajectory.objects.exists()


def test_accept_request_of_other_desk_is_denied(desk_a, adviser_b, national_user):
    request = IntakeRequestFactory(desk=desk_a)
    for user in (adviser_b, national_user):
        with pytest.raises(PermissionDenied):
            services.intake_request_accept(actor=user, request=request)


def test_dismiss_then_accept_or_dismiss_again_is_refused(desk_a, adviser_a):
    request = IntakeRequestFactory(desk=desk_a)
    services.intake_request_dismiss(actor=adviser_a, request=request)
    assert request.status == RequestStatus.DISMISSED and request.handled_at
    with pytest.raises(ValidationError):
        services.intake_request_dismiss(actor=adviser_a, request=request)
    with pytest.raises(ValidationError):
        services.intake_request_accept(actor=adviser_a, request=request)
    assert AuditEvent.objects.filter(action="request.dismiss").count() == 1


# -- trajectories ---------------------------------------------------------------------------------


def test_open_refuses_future_dates_erased_clients_and_other_desks(desk_a, adviser_a, adviser_b):
    client = ClientFactory(desk=desk_a)
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_open(
            actor=adviser_a, client=client, theme="evc", channel="phone", opened_on=TOMORROW
        )
    assert "opened_on" in errors_of(excinfo)
    with pytest.raises(PermissionDenied):
        services.trajectory_open(actor=adviser_b, client=client, theme="evc", channel="phone")
    client.erased_at = timezone.now()
    with pytest.raises(ValidationError):
        services.trajectory_open(actor=adviser_a, client=client, theme="evc", channel="phone")
    assert not Trajectory.objects.exists()


def make_trajectory(status, **extra):
    values = closed_values() if status == TrajectoryStatus.CLOSED else {}
    return TrajectoryFactory(status=status, **values, **extra)


ALL_PAIRS = [(a, b) for a in TrajectoryStatus.values for b in TrajectoryStatus.values]


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_every_transition_pair(desk_a, adviser_a, from_status, to_status):
    # given
    trajectory = make_trajectory(from_status, desk=desk_a)
    allowed = to_status in TRANSITIONS[from_status] and to_status != TrajectoryStatus.CLOSED
    # when / then
    if allowed:
        services.trajectory_transition(
            actor=adviser_a,
            trajectory=trajectory,
            expected_version=trajectory.version,
            to_status=to_status,
        )
        assert Trajectory.objects.get(pk=trajectory.pk).status == to_status
        event = AuditEvent.objects.get(action="trajectory.transition")
        assert event.detail == {"from": from_status, "to": to_status}
    else:
        with pytest.raises(ValidationError):
            services.trajectory_transition(
                actor=adviser_a,
                trajectory=trajectory,
                expected_version=trajectory.version,
                to_status=to_status,
            )
        assert Trajectory.objects.get(pk=trajectory.pk).status == from_status
        assert trajectory.status == from_status


def test_transition_to_unknown_status_is_refused(desk_a, adviser_a):
    trajectory = make_trajectory(TrajectoryStatus.REGISTERED, desk=desk_a)
    with pytest.raises(ValidationError):
        services.trajectory_transition(
            actor=adviser_a, trajectory=trajectory, expected_version=1, to_status="lost"
        )


@pytest.mark.parametrize("from_status", TrajectoryStatus.values)
def test_close_from_every_status(desk_a, adviser_a, from_status):
    trajectory = make_trajectory(from_status, desk=desk_a)
    allowed = TrajectoryStatus.CLOSED in TRANSITIONS[from_status]

    def close():
        return services.trajectory_close(
            actor=adviser_a,
            trajectory=trajectory,
            expected_version=trajectory.version,
            outcome=Outcome.TRAINING_STARTED,
            outcome_date=TODAY,
        )

    if allowed:
        close()
        trajectory.refresh_from_db()
        assert trajectory.status == TrajectoryStatus.CLOSED
        assert trajectory.closed_on == TODAY and trajectory.follow_up_on is None
    else:
        with pytest.raises(ValidationError, match="al afgesloten"):
            close()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"outcome": ""}, None),
        ({"outcome": "gelukt"}, "outcome"),
        ({"outcome_date": TOMORROW}, "outcome_date"),
        ({"closed_on": TOMORROW}, "closed_on"),
        ({"closed_on": TODAY - datetime.timedelta(days=60)}, "closed_on"),
    ],
)
def test_close_needs_an_outcome_and_no_future_dates(desk_a, adviser_a, values, field):
    # given: opened 30 days ago
    trajectory = make_trajectory(TrajectoryStatus.IN_PROGRESS, desk=desk_a, follow_up_on=TODAY)
    arguments = {"outcome": Outcome.TRAINING_STARTED, "outcome_date": TODAY, **values}
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_close(
            actor=adviser_a, trajectory=trajectory, expected_version=trajectory.version, **arguments
        )
    # then
    if field:
        assert field in errors_of(excinfo)
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.IN_PROGRESS
    assert trajectory.follow_up_on == TODAY


def test_reassign_to_current_staff_of_the_desk_is_audited(desk_a, adviser_a, manager_a):
    # given
    trajectory = make_trajectory(TrajectoryStatus.INTAKE, desk=desk_a, adviser=adviser_a)
    # when
    services.trajectory_assign(
        actor=manager_a,
        trajectory=trajectory,
        expected_version=trajectory.version,
        adviser=manager_a,
    )
    # then
    assert Trajectory.objects.get(pk=trajectory.pk).adviser == manager_a
    event = AuditEvent.objects.get(action="trajectory.assign")
    assert event.actor_id == manager_a.pk
    assert event.detail == {"from_user": adviser_a.pk, "to_user": manager_a.pk}


@pytest.mark.parametrize("adviser", ["adviser_b", "ended_adviser_a", "national_user"])
def test_reassign_only_to_current_staff_of_the_desk(desk_a, manager_a, adviser, request):
    trajectory = make_trajectory(TrajectoryStatus.INTAKE, desk=desk_a)
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_assign(
            actor=manager_a,
            trajectory=trajectory,
            expected_version=trajectory.version,
            adviser=request.getfixturevalue(adviser),
        )
    assert "adviser" in errors_of(excinfo)
    assert Trajectory.objects.get(pk=trajectory.pk).adviser is None
    assert not AuditEvent.objects.filter(action="trajectory.assign").exists()


def test_trajectory_of_other_desk_cannot_be_changed(desk_a, adviser_b):
    trajectory = make_trajectory(TrajectoryStatus.INTAKE, desk=desk_a)
    with pytest.raises(PermissionDenied):
        services.trajectory_transition(
            actor=adviser_b,
            trajectory=trajectory,
            expected_version=trajectory.version,
            to_status=TrajectoryStatus.IN_PROGRESS,
        )
    with pytest.raises(PermissionDenied):
        services.trajectory_assign(
            actor=adviser_b,
            trajectory=trajectory,
            expected_version=trajectory.version,
            adviser=None,
        )


def test_trajectory_version_conflict_keeps_the_first_save(desk_a, adviser_a, manager_a):
    trajectory = make_trajectory(TrajectoryStatus.INTAKE, desk=desk_a)
    first = Trajectory.objects.get(pk=trajectory.pk)
    second = Trajectory.objects.get(pk=trajectory.pk)
    services.trajectory_update(
        actor=adviser_a, trajectory=first, expected_version=first.version, follow_up_on=TOMORROW
    )
    with pytest.raises(ConflictError):
        services.trajectory_transition(
            actor=manager_a,
            trajectory=second,
            expected_version=second.version,
            to_status=TrajectoryStatus.ON_HOLD,
        )
    trajectory.refresh_from_db()
    assert trajectory.follow_up_on == TOMORROW
    assert trajectory.status == TrajectoryStatus.INTAKE
    assert second.status == TrajectoryStatus.INTAKE  # the refused change is not left behind


ACTIONS = st.lists(
    st.sampled_from([*TrajectoryStatus.values, "close", "bogus"]), min_size=1, max_size=10
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_property_any_sequence_of_moves_stays_legal(desk_a, adviser_a, actions):
    # given
    trajectory = make_trajectory(TrajectoryStatus.REGISTERED, desk=desk_a)
    expected = TrajectoryStatus.REGISTERED
    for action in actions:
        trajectory.refresh_from_db()
        # when
        try:
            if action == "close":
                services.trajectory_close(
                    actor=adviser_a,
                    trajectory=trajectory,
                    expected_version=trajectory.version,
                    outcome=Outcome.DROPPED_OUT,
                    outcome_date=TODAY,
                )
            else:
                services.trajectory_transition(
                    actor=adviser_a,
                    trajectory=trajectory,
                    expected_version=trajectory.version,
                    to_status=action,
                )
        except ValidationError:
            accepted = False
        else:
            accepted = True
        # then: a move succeeds exactly when TRANSITIONS allows it
        target = TrajectoryStatus.CLOSED if action == "close" else action
        legal = target in TRANSITIONS[expected] and (
            action == "close" or target != TrajectoryStatus.CLOSED
        )
        assert accepted == legal, (expected, action)
        if accepted:
            expected = target
        stored = Trajectory.objects.get(pk=trajectory.pk)
        assert stored.status == expected
        assert (stored.status == TrajectoryStatus.CLOSED) == bool(
            stored.outcome and stored.closed_on
        )


# -- registrations --------------------------------------------------------------------------------


def register(actor, desk, code, **values):
    return services.registration_create(
        actor=actor, desk=desk, type=registration_type(code), **{"occurred_on": TODAY, **values}
    )


@pytest.fixture
def trajectory_a(desk_a):
    return make_trajectory(TrajectoryStatus.IN_PROGRESS, desk=desk_a)


@pytest.mark.parametrize(
    "code",
    [
        vocabulary.INTAKE,
        vocabulary.ADVICE_CONVERSATION,
        vocabulary.COMPETENCE_TEST,
        "evc",
        "loopbaan-apk",
    ],
)
def test_types_that_need_a_trajectory(desk_a, adviser_a, trajectory_a, code):
    with pytest.raises(ValidationError) as excinfo:
        register(adviser_a, desk_a, code, client=trajectory_a.client, channel="phone")
    assert "trajectory" in errors_of(excinfo)
    registration = register(adviser_a, desk_a, code, trajectory=trajectory_a, channel="phone")
    assert registration.client == trajectory_a.client
    assert registration.kind == registration.type.kind
    assert AuditEvent.objects.filter(action="registration.create").count() == 1


def test_information_contact_needs_no_trajectory(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    registration = register(
        adviser_a, desk_a, vocabulary.INFORMATION_CONTACT, client=client, channel="chat"
    )
    assert registration.trajectory is None and registration.client == client
    anonymous = register(adviser_a, desk_a, vocabulary.INFORMATION_CONTACT, channel="phone")
    assert anonymous.client is None
    assert registration.adviser == adviser_a


def test_contact_moment_needs_a_channel(desk_a, adviser_a, trajectory_a):
    with pytest.raises(ValidationError) as excinfo:
        register(adviser_a, desk_a, vocabulary.ADVICE_CONVERSATION, trajectory=trajectory_a)
    assert "channel" in errors_of(excinfo)


def test_no_show_only_for_contact_moments(desk_a, adviser_a, trajectory_a):
    with pytest.raises(ValidationError) as excinfo:
        register(
            adviser_a, desk_a, vocabulary.COMPETENCE_TEST, trajectory=trajectory_a, status="no_show"
        )
    assert "status" in errors_of(excinfo)
    registration = register(
        adviser_a,
        desk_a,
        vocabulary.ADVICE_CONVERSATION,
        trajectory=trajectory_a,
        channel="video",
        status=RegistrationStatus.NO_SHOW,
        duration_minutes=60,
    )
    assert registration.status == RegistrationStatus.NO_SHOW
    assert registration.duration_minutes is None  # nothing was held


def test_employer_activity_needs_an_employer_and_never_a_client(desk_a, adviser_a, trajectory_a):
    with pytest.raises(ValidationError) as excinfo:
        register(adviser_a, desk_a, vocabulary.EMPLOYER_ADVICE)
    assert "employer" in errors_of(excinfo)
    employer = EmployerFactory(desk=desk_a)
    registration = register(
        adviser_a,
        desk_a,
        vocabulary.EMPLOYER_GROUP_SESSION,
        employer=employer,
        client=trajectory_a.client,
        trajectory=trajectory_a,
    )
    assert registration.employer == employer
    assert registration.client is None and registration.trajectory is None


def test_only_employer_activities_have_an_employer(desk_a, adviser_a, trajectory_a):
    with pytest.raises(ValidationError) as excinfo:
        register(
            adviser_a,
            desk_a,
            vocabulary.ADVICE_CONVERSATION,
            trajectory=trajectory_a,
            channel="phone",
            employer=EmployerFactory(desk=desk_a),
        )
    assert "employer" in errors_of(excinfo)


@pytest.mark.parametrize(
    ("occurred_on", "field"),
    [
        (TOMORROW, "occurred_on"),
        (TODAY - datetime.timedelta(days=31), "occurred_on"),  # before the trajectory opened
        (datetime.date(2022, 12, 31), "type"),  # before the vocabulary was in force
    ],
)
def test_registration_dates(desk_a, adviser_a, trajectory_a, occurred_on, field):
    if field == "type":
        Trajectory.objects.filter(pk=trajectory_a.pk).update(opened_on=datetime.date(2022, 1, 1))
        trajectory_a.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        register(
            adviser_a,
            desk_a,
            vocabulary.ADVICE_CONVERSATION,
            trajectory=trajectory_a,
            channel="phone",
            occurred_on=occurred_on,
        )
    assert field in errors_of(excinfo)


def test_registration_on_the_opening_day_is_fine(desk_a, adviser_a, trajectory_a):
    registration = register(
        adviser_a,
        desk_a,
        vocabulary.INTAKE,
        trajectory=trajectory_a,
        channel="in_person",
        occurred_on=trajectory_a.opened_on,
    )
    assert registration.occurred_on == trajectory_a.opened_on


@pytest.mark.parametrize(("minutes", "valid"), [(0, False), (1, True), (480, True), (481, False)])
def test_duration_between_one_minute_and_eight_hours(
    desk_a, adviser_a, trajectory_a, minutes, valid
):
    def create():
        return register(
            adviser_a,
            desk_a,
            vocabulary.ADVICE_CONVERSATION,
            trajectory=trajectory_a,
            channel="phone",
            duration_minutes=minutes,
        )

    if valid:
        assert create().duration_minutes == minutes
    else:
        with pytest.raises(ValidationError) as excinfo:
            create()
        assert "duration_minutes" in errors_of(excinfo)
        assert not Registration.objects.exists()


def test_inactive_type_cannot_be_chosen(desk_a, adviser_a, trajectory_a):
    type_ = registration_type(vocabulary.COMPETENCE_TEST)
    type_.is_active = False
    type_.save()
    with pytest.raises(ValidationError) as excinfo:
        services.registration_create(
            actor=adviser_a, desk=desk_a, type=type_, occurred_on=TODAY, trajectory=trajectory_a
        )
    assert "type" in errors_of(excinfo)


@pytest.mark.parametrize("other", ["trajectory", "client", "employer"])
def test_registration_with_something_of_another_desk_is_denied(desk_a, desk_b, adviser_a, other):
    # given: an adviser of both desks, registering at desk A with a thing of desk B
    StaffMembershipFactory(user=adviser_a, desk=desk_b)
    code, values = {
        "trajectory": (
            vocabulary.ADVICE_CONVERSATION,
            {"trajectory": make_trajectory("intake", desk=desk_b), "channel": "phone"},
        ),
        "client": (
            vocabulary.INFORMATION_CONTACT,
            {"client": ClientFactory(desk=desk_b), "channel": "phone"},
        ),
        "employer": (vocabulary.EMPLOYER_ADVICE, {"employer": EmployerFactory(desk=desk_b)}),
    }[other]
    # when / then
    with pytest.raises(PermissionDenied):
        register(adviser_a, desk_a, code, **values)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("actor", ["adviser_b", "national_user", "ministry_user"])
def test_registration_at_other_desk_is_denied(desk_a, actor, request):
    with pytest.raises(PermissionDenied):
        register(
            request.getfixturevalue(actor), desk_a, vocabulary.INFORMATION_CONTACT, channel="phone"
        )


def test_registration_update_rules_and_conflict(desk_a, adviser_a, manager_a):
    # given
    registration = RegistrationFactory(desk=desk_a, duration_minutes=30)
    first = Registration.objects.get(pk=registration.pk)
    second = Registration.objects.get(pk=registration.pk)
    # when: both save
    services.registration_update(
        actor=adviser_a, registration=first, expected_version=first.version, duration_minutes=45
    )
    with pytest.raises(ConflictError):
        services.registration_update(
            actor=manager_a, registration=second, expected_version=second.version, note="Anders"
        )
    # then
    registration.refresh_from_db()
    assert registration.duration_minutes == 45 and registration.note == ""
    # and the rules hold on update too
    with pytest.raises(ValidationError):
        services.registration_update(
            actor=adviser_a,
            registration=registration,
            expected_version=registration.version,
            occurred_on=TOMORROW,
        )
    assert Registration.objects.get(pk=registration.pk).occurred_on == TODAY


def test_registration_delete_is_for_the_desk_manager(desk_a, adviser_a, manager_a):
    registration = RegistrationFactory(desk=desk_a)
    with pytest.raises(PermissionDenied):
        services.registration_delete(actor=adviser_a, registration=registration)
    services.registration_delete(actor=manager_a, registration=registration)
    assert not Registration.objects.exists()
    assert AuditEvent.objects.filter(action="registration.delete").exists()


# -- adviser suggestions --------------------------------------------------------------------------


def staff(desk, name, *, fte, open_trajectories, expertise=False, role=DeskRole.ADVISER):
    membership = StaffMembershipFactory(
        desk=desk, role=role, fte=Decimal(fte), user__name=name, user__email=f"{name}@x.test"
    )
    if expertise:
        tag, _ = ExpertiseTag.objects.get_or_create(
            slug="omscholing", defaults={"name": "Omscholing"}
        )
        membership.expertise_tags.add(tag)
    for _ in range(open_trajectories):
        TrajectoryFactory(desk=desk, adviser=membership.user, status=TrajectoryStatus.IN_PROGRESS)
    # closed work does not count for the caseload
    make_trajectory(TrajectoryStatus.CLOSED, desk=desk, adviser=membership.user)
    return membership.user


def test_adviser_suggestions_expertise_first_then_lightest_caseload_per_fte(
    desk_a, desk_b, django_assert_max_num_queries
):
    # given
    busy_expert = staff(desk_a, "busy-expert", fte="1.0", open_trajectories=4, expertise=True)
    half_expert = staff(desk_a, "half-expert", fte="0.5", open_trajectories=1, expertise=True)
    light_expert = staff(desk_a, "light-expert", fte="1.0", open_trajectories=1, expertise=True)
    idle_generalist = staff(desk_a, "idle-generalist", fte="0.5", open_trajectories=0)
    busy_generalist = staff(desk_a, "busy-generalist", fte="0.8", open_trajectories=3)
    staff(desk_b, "other-desk-expert", fte="1.0", open_trajectories=0, expertise=True)
    # when
    with django_assert_max_num_queries(3):
        suggestions = adviser_suggestions(desk_id=desk_a.pk, theme="retraining")
    # then: expertise first (1/1.0 < 1/0.5 < 4/1.0), then the rest by load per fte
    assert [s.user for s in suggestions] == [
        light_expert,
        half_expert,
        busy_expert,
        idle_generalist,
        busy_generalist,
    ]
    assert [s.open_trajectories for s in suggestions] == [1, 1, 4, 0, 3]
    assert [s.matches_expertise for s in suggestions] == [True, True, True, False, False]


def test_adviser_suggestions_leave_out_staff_who_left(desk_a, adviser_a, ended_adviser_a):
    suggestions = adviser_suggestions(desk_id=desk_a.pk, theme="other")
    assert [s.user for s in suggestions] == [adviser_a]


# -- work list ------------------------------------------------------------------------------------


def test_work_list_contents(desk_a, desk_b, adviser_a, manager_a, django_assert_max_num_queries):
    # given
    mine_due = TrajectoryFactory(
        desk=desk_a, adviser=adviser_a, status="intake", follow_up_on=YESTERDAY
    )
    mine_later = TrajectoryFactory(
        desk=desk_a, adviser=adviser_a, status="on_hold", follow_up_on=TOMORROW
    )
    make_trajectory(TrajectoryStatus.CLOSED, desk=desk_a, adviser=adviser_a)
    TrajectoryFactory(  # a colleague's overdue follow-up: on the colleague's list, not mine
        desk=desk_a,
        adviser=manager_a,
        status="in_progress",
        follow_up_on=TODAY - datetime.timedelta(days=5),
    )
    unassigned_due = TrajectoryFactory(
        desk=desk_a,
        adviser=None,
        status="registered",
        follow_up_on=TODAY - datetime.timedelta(days=3),
    )
    TrajectoryFactory(desk=desk_a, adviser=manager_a, follow_up_on=TODAY)  # due today: not overdue
    TrajectoryFactory(desk=desk_b, follow_up_on=YESTERDAY)
    new_request = IntakeRequestFactory(desk=desk_a)
    IntakeRequestFactory(desk=desk_a, status=RequestStatus.HANDLED)
    IntakeRequestFactory(desk=desk_a, status=RequestStatus.DISMISSED)
    IntakeRequestFactory(desk=desk_b)
    # when
    with django_assert_max_num_queries(4):
        result = work_list(user=adviser_a)
        mine = [(t, t.client.family_name, t.desk.display_name) for t in result.my_open]
        requests = [(r, r.desk.display_name) for r in result.new_requests]
        overdue = [(t, t.client.family_name, t.adviser and t.adviser.name) for t in result.overdue]
    # then
    assert [t for t, *_ in mine] == [mine_due, mine_later]
    assert [r for r, _ in requests] == [new_request]
    assert [t for t, *_ in overdue] == [unassigned_due, mine_due]


def test_work_list_of_national_team_is_empty(desk_a, national_user):
    TrajectoryFactory(desk=desk_a, follow_up_on=YESTERDAY)
    IntakeRequestFactory(desk=desk_a)
    result = work_list(user=national_user)
    assert not result.new_requests.exists()
    assert not result.overdue.exists()
