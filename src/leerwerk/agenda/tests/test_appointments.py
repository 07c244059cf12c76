"""Appointments through the services: availability, booking, cancelling, rescheduling, the
reminder, and attendance that lands in the CRM (intake request, client, trajectory,
registration)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from leerwerk.agenda import services, tokens
from leerwerk.agenda.constants import AppointmentStatus, SlotMode
from leerwerk.agenda.models import Appointment, Slot
from leerwerk.agenda.tests.factories import (
    AppointmentFactory,
    SlotFactory,
    earlier_today,
    tomorrow_at,
)
from leerwerk.clients.models import Client
from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import RegistrationStatus, RequestStatus, TrajectoryStatus
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory
from leerwerk.guidance.tests.factories import TrajectoryFactory
from leerwerk.network.tests.factories import LocationFactory

PERSON = {
    "given_name": "Testburger",
    "family_name": "Voorbeeld",
    "email": "Test.Burger@Example.test",
    "phone": "06 12345678",
    "theme": "career_advice",
    "question": "Ik wil de zorg in.",
}


@pytest.fixture
def location_a(desk_a):
    return LocationFactory(desk=desk_a, name="Vestiging Centrum", postcode="3011 AA")


@pytest.fixture
def block_a(desk_a, adviser_a, location_a):
    """Tomorrow 9:00–10:30 at a location, 45-minute slots: 9:00 and 9:45."""
    return services.availability_block_create(
        actor=adviser_a,
        desk=desk_a,
        adviser=adviser_a,
        mode=SlotMode.LOCATION,
        location=location_a,
        date=timezone.localdate() + datetime.timedelta(days=1),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
        slot_minutes=45,
    )


def book(desk, slot, **extra):
    return services.appointment_book(
        desk=desk, slot=slot, consent=True, base_url="https://leerwerk.test", **{**PERSON, **extra}
    )


# -- availability --------------------------------------------------------------------------


def test_a_block_creates_whole_slots_only(block_a):
    starts = [timezone.localtime(s.starts_at).time() for s in block_a.slots.order_by("starts_at")]
    assert starts == [datetime.time(9, 0), datetime.time(9, 45)]  # 10:30 leaves no whole third


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_time": datetime.time(11, 0), "end_time": datetime.time(11, 20)}, "end_time"),
        ({"location": None}, "location"),
        ({"date": timezone.localdate() - datetime.timedelta(days=1)}, "date"),
    ],
)
def test_block_validation_messages_are_dutch(desk_a, adviser_a, location_a, change, field):
    values = {
        "mode": SlotMode.LOCATION,
        "location": location_a,
        "date": timezone.localdate() + datetime.timedelta(days=1),
        "start_time": datetime.time(11, 0),
        "end_time": datetime.time(12, 0),
        "slot_minutes": 30,
        **change,
    }
    with pytest.raises(ValidationError) as exc:
        services.availability_block_create(
            actor=adviser_a, desk=desk_a, adviser=adviser_a, **values
        )
    assert field in exc.value.message_dict


def test_overlapping_availability_of_one_adviser_is_refused(block_a, desk_a, adviser_a):
    with pytest.raises(ValidationError, match="al beschikbaarheid"):
        services.availability_block_create(
            actor=adviser_a,
            desk=desk_a,
            adviser=adviser_a,
            mode=SlotMode.VIDEO,
            date=block_a.date,
            start_time=datetime.time(10, 0),
            end_time=datetime.time(11, 0),
            slot_minutes=30,
        )


def test_another_desks_adviser_cannot_publish_availability(desk_a, adviser_b):
    with pytest.raises(PermissionDenied):
        services.availability_block_create(
            actor=adviser_b,
            desk=desk_a,
            adviser=adviser_b,
            mode=SlotMode.VIDEO,
            date=timezone.localdate() + datetime.timedelta(days=1),
            start_time=datetime.time(9, 0),
            end_time=datetime.time(10, 0),
            slot_minutes=30,
        )


def test_a_block_with_bookings_cannot_be_deleted(block_a, desk_a, adviser_a):
    book(desk_a, block_a.slots.first())
    with pytest.raises(ValidationError, match="al afspraken"):
        services.availability_block_delete(actor=adviser_a, block=block_a)


# -- booking -------------------------------------------------------------------------------


def test_booking_lands_as_an_intake_request_and_sends_a_confirmation_with_ics(
    block_a, desk_a, django_capture_on_commit_callbacks
):
    slot = block_a.slots.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(desk_a, slot)

    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.email == "test.burger@example.test"
    request = appointment.intake_request
    assert request.desk == desk_a and request.status == RequestStatus.NEW
    assert request.consent_given_at is not None
    assert "Afspraak geboekt via de website" in request.description
    assert AuditEvent.objects.filter(action="appointment.book", object_uuid=appointment.uuid)

    [message] = mail.outbox
    assert message.to == ["test.burger@example.test"]
    assert "Uw afspraak met" in message.subject
    assert "https://leerwerk.test/afspraak/" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == "afspraak.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == slot.starts_at
    assert event.decoded("dtend") == slot.ends_at
    assert "Vestiging Centrum" in str(event.get("location"))
    assert str(event.get("uid")) == f"appointment-{appointment.uuid}@leerwerk"


def test_a_taken_slot_cannot_be_booked_again(block_a, desk_a):
    slot = block_a.slots.first()
    book(desk_a, slot)
    with pytest.raises(ValidationError, match="net door iemand anders geboekt"):
        book(desk_a, slot, email="ander@example.test")
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_the_database_refuses_a_second_active_appointment_on_a_slot(block_a, desk_a):
    """The constraint behind the lock: even a direct write cannot double-book."""
    from django.db import IntegrityError, transaction

    slot = block_a.slots.first()
    book(desk_a, slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(slot=slot)


def test_booking_needs_consent_and_valid_details(block_a, desk_a):
    slot = block_a.slots.first()
    with pytest.raises(ValidationError) as exc:
        services.appointment_book(desk=desk_a, slot=slot, consent=False, **PERSON)
    assert "toestemming" in exc.value.message_dict["consent"][0]
    with pytest.raises(ValidationError) as exc:
        book(desk_a, slot, email="geen-adres")
    assert "email" in exc.value.message_dict
    assert not Appointment.objects.exists()


def test_a_slot_of_another_desk_or_too_soon_cannot_be_booked(desk_a, desk_b, adviser_a):
    other = SlotFactory(block__desk=desk_b)
    with pytest.raises(ValidationError, match="bestaat niet"):
        book(desk_a, other)
    soon = timezone.now() + datetime.timedelta(minutes=20)
    too_soon = SlotFactory(
        block__desk=desk_a, starts_at=soon, ends_at=soon + datetime.timedelta(minutes=30)
    )
    with pytest.raises(ValidationError, match="te snel"):
        book(desk_a, too_soon)


def test_cancel_frees_the_slot_and_mails(block_a, desk_a, django_capture_on_commit_callbacks):
    slot = block_a.slots.first()
    appointment = book(desk_a, slot)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert "afgezegd" in mail.outbox[-1].subject
    again = book(desk_a, slot, email="volgende@example.test")  # free again
    assert again.status == AppointmentStatus.BOOKED
    with pytest.raises(ValidationError, match="al afgezegd"):
        services.appointment_cancel(appointment=appointment)


def test_a_citizens_cancellation_withdraws_the_new_request(block_a, desk_a):
    appointment = book(desk_a, block_a.slots.first())
    request = appointment.intake_request
    assert request.status == RequestStatus.NEW

    services.appointment_cancel(appointment=appointment, notify=False)

    request.refresh_from_db()
    assert request.status == RequestStatus.DISMISSED
    assert request.handled_at is not None
    event = AuditEvent.objects.filter(action="appointment.cancel").latest("at")
    assert event.detail == {"by": "citizen", "request_withdrawn": True}


def test_staff_cancellation_keeps_the_request_open(block_a, desk_a, adviser_a):
    appointment = book(desk_a, block_a.slots.first())

    services.appointment_cancel(appointment=appointment, actor=adviser_a, notify=False)

    appointment.intake_request.refresh_from_db()
    assert appointment.intake_request.status == RequestStatus.NEW


def test_a_request_already_in_work_stays_as_it_is(block_a, desk_a, adviser_a):
    from leerwerk.guidance import services as guidance_services

    appointment = book(desk_a, block_a.slots.first())
    guidance_services.intake_request_accept(actor=adviser_a, request=appointment.intake_request)

    services.appointment_cancel(appointment=appointment, notify=False)

    appointment.intake_request.refresh_from_db()
    assert appointment.intake_request.status == RequestStatus.HANDLED


def test_reschedule_moves_the_booking_atomically(block_a, desk_a):
    first, second = block_a.slots.order_by("starts_at")
    appointment = book(desk_a, first)
    moved = services.appointment_reschedule(appointment=appointment, slot=second)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert moved.slot == second and moved.rescheduled_from == appointment
    assert moved.intake_request == appointment.intake_request  # no second request
    assert IntakeRequest.objects.filter(desk=desk_a).count() == 1


def test_reschedule_to_a_taken_slot_keeps_the_old_booking(block_a, desk_a):
    first, second = block_a.slots.order_by("starts_at")
    appointment = book(desk_a, first)
    book(desk_a, second, email="ander@example.test")
    with pytest.raises(ValidationError, match="net door iemand anders geboekt"):
        services.appointment_reschedule(appointment=appointment, slot=second)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED  # the cancel was rolled back


# -- tokens --------------------------------------------------------------------------------


def test_tokens_are_signed_purpose_bound_and_expire(block_a, desk_a):
    appointment = book(desk_a, block_a.slots.first())
    token = tokens.make_token(
        purpose=tokens.APPOINTMENT, uuid_=appointment.uuid, expires_at=appointment.slot.starts_at
    )
    assert tokens.read_token(token, purpose=tokens.APPOINTMENT) == appointment.uuid
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token(token[:-2] + "xx", purpose=tokens.APPOINTMENT)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token(token, purpose=tokens.EVENT_REGISTRATION)
    with pytest.raises(tokens.TokenExpired):
        tokens.read_token(
            token,
            purpose=tokens.APPOINTMENT,
            now=appointment.slot.starts_at + datetime.timedelta(seconds=1),
        )


# -- reminders -----------------------------------------------------------------------------


def test_reminders_are_sent_once(block_a, desk_a, django_capture_on_commit_callbacks):
    appointment = book(desk_a, block_a.slots.first())
    later = SlotFactory(
        block__desk=desk_a, starts_at=tomorrow_at(10, days=5), ends_at=tomorrow_at(11, days=5)
    )
    far = book(desk_a, later, email="later@example.test")
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_appointment_reminders", "--hours", "48", stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_appointment_reminders", "--hours", "48", stdout=out)

    assert [m.to for m in mail.outbox] == [[appointment.email]]
    assert "Herinnering" in mail.outbox[0].subject
    appointment.refresh_from_db()
    far.refresh_from_db()
    assert appointment.reminder_sent_at is not None and far.reminder_sent_at is None
    assert "1 herinnering" in out.getvalue() and "0 herinneringen" in out.getvalue()


# -- attendance and the CRM ----------------------------------------------------------------


def _past_appointment(desk, adviser, **extra):
    """A booked appointment that started an hour ago, today (booked earlier, so written
    directly)."""
    start = earlier_today(minutes=60)
    slot = SlotFactory(
        block__desk=desk,
        block__adviser=adviser,
        block__date=timezone.localdate(start),
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
    )
    request = IntakeRequest.objects.create(
        desk=desk,
        channel="web_form",
        theme="career_advice",
        description="Afspraak geboekt via de website.",
        given_name=extra.get("given_name", "Testburger"),
        family_name="Voorbeeld",
        email=extra.get("email", "burger@example.test"),
        consent_given_at=timezone.now() - datetime.timedelta(days=2),
    )
    return AppointmentFactory(slot=slot, intake_request=request, **extra)


def test_a_held_appointment_becomes_client_trajectory_and_intake(desk_a, adviser_a):
    appointment = _past_appointment(desk_a, adviser_a, email="burger@example.test")

    done = services.appointment_register_attendance(
        actor=adviser_a, appointment=appointment, attended=True
    )

    assert done.status == AppointmentStatus.COMPLETED
    registration = done.registration
    assert registration.type.code == "intake"
    assert registration.status == RegistrationStatus.COMPLETED
    assert registration.channel == "video"
    assert registration.duration_minutes == 30
    assert registration.client == done.client and done.client.email == "burger@example.test"
    assert registration.trajectory.intake_request == appointment.intake_request
    appointment.intake_request.refresh_from_db()
    assert appointment.intake_request.status == RequestStatus.HANDLED


def test_a_no_show_is_registered_as_no_show_for_the_reports(desk_a, adviser_a):
    appointment = _past_appointment(desk_a, adviser_a)
    done = services.appointment_register_attendance(
        actor=adviser_a, appointment=appointment, attended=False
    )
    assert done.status == AppointmentStatus.NO_SHOW
    assert done.registration.status == RegistrationStatus.NO_SHOW
    assert done.registration.duration_minutes is None
    assert Registration.objects.filter(desk=desk_a, status=RegistrationStatus.NO_SHOW).count() == 1
    with pytest.raises(ValidationError, match="al vastgelegd"):
        services.appointment_register_attendance(actor=adviser_a, appointment=done, attended=True)


def test_a_known_client_with_an_open_trajectory_gets_an_advice_conversation_there(
    desk_a, adviser_a
):
    client = ClientFactory(desk=desk_a, email="bekend@example.test")
    trajectory = TrajectoryFactory(client=client, status=TrajectoryStatus.IN_PROGRESS)
    appointment = _past_appointment(desk_a, adviser_a, email="bekend@example.test")

    done = services.appointment_register_attendance(
        actor=adviser_a, appointment=appointment, attended=True, conversation_type="adviesgesprek"
    )

    assert done.client == client
    assert done.registration.trajectory == trajectory
    assert done.registration.type.code == "adviesgesprek"
    assert Client.objects.filter(desk=desk_a, email="bekend@example.test").count() == 1
    assert Trajectory.objects.filter(client=client).count() == 1
    appointment.intake_request.refresh_from_db()
    assert appointment.intake_request.status == RequestStatus.DISMISSED


def test_attendance_cannot_be_registered_before_the_day_or_by_another_desk(
    block_a, desk_a, adviser_a, adviser_b
):
    appointment = book(desk_a, block_a.slots.first())
    with pytest.raises(ValidationError, match="nog niet geweest"):
        services.appointment_register_attendance(
            actor=adviser_a, appointment=appointment, attended=True
        )
    with pytest.raises(PermissionDenied):
        services.appointment_register_attendance(
            actor=adviser_b, appointment=appointment, attended=True
        )


def test_slot_rows_carry_their_desk(block_a, desk_a):
    assert set(Slot.objects.filter(block=block_a).values_list("desk_id", flat=True)) == {desk_a.pk}
