"""Writes for appointments and events. Every service is keyword-only and one transaction; staff
services check the actor's permission with the model's policy; every change leaves an audit
event; e-mails go out after the transaction commits.

The two concurrency guarantees:

* **Booking a slot.** ``appointment_book`` locks the slot row (``SELECT … FOR UPDATE``) before
  it looks for an active appointment, so a second booking of the same slot waits for the first
  and then sees it. Behind that, a partial unique constraint allows one active appointment per
  slot whatever writes (SQLite has no row locks; there the constraint decides).
* **Event places.** ``event_register`` and ``event_registration_cancel`` lock the event row
  before they count the places that are taken, so registrations of one event are serialised
  and the event is never over-booked; promotion from the waiting list happens under the same
  lock.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.agenda import notifications
from leerwerk.agenda.constants import (
    ACTIVE_APPOINTMENT_STATUSES,
    BOOKING_LEAD_MINUTES,
    AppointmentStatus,
    ConversationType,
    EventKind,
    EventRegistrationStatus,
    SlotMode,
)
from leerwerk.agenda.models import (
    Appointment,
    AvailabilityBlock,
    Event,
    EventRegistration,
    Slot,
)
from leerwerk.clients import services as client_services
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client
from leerwerk.clients.selectors import client_match_candidates
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.mail import send_after_commit
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.guidance import services as guidance_services
from leerwerk.guidance.constants import (
    Channel,
    IntakeChannel,
    QuestionTheme,
    RegistrationStatus,
    RequestStatus,
    TrajectoryStatus,
)
from leerwerk.guidance.models import IntakeRequest, Registration, RegistrationType, Trajectory
from leerwerk.guidance.selectors import vocabulary_in_force
from leerwerk.network.models import Desk, Location, StaffMembership


def _slot_taken() -> str:
    return _("Dit tijdstip is net door iemand anders geboekt. Kies een ander tijdstip.")


def _is_active_member(desk_id: int, user: Any, on: datetime.date | None = None) -> bool:
    return (
        StaffMembership.objects.active_on(on or timezone.localdate())
        .filter(desk_id=desk_id, user=user)
        .exists()
    )


def _consent_error() -> ValidationError:
    return ValidationError(
        {
            "consent": _(
                "Wij kunnen de afspraak alleen maken als u toestemming geeft. Zet een vinkje."
            )
        }
    )


# -- availability ------------------------------------------------------------------------------


def slot_times(
    *,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    slot_minutes: int,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The (start, end) of every whole slot between start and end, as aware datetimes."""
    step = datetime.timedelta(minutes=slot_minutes)
    current = timezone.make_aware(datetime.datetime.combine(date, start_time))
    end = timezone.make_aware(datetime.datetime.combine(date, end_time))
    times = []
    while current + step <= end:
        times.append((current, current + step))
        current += step
    return times


@transaction.atomic
def availability_block_create(
    *,
    actor: Any,
    desk: Desk,
    adviser: Any,
    mode: str,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    slot_minutes: int,
    location: Location | None = None,
) -> AvailabilityBlock:
    """Publish an adviser's availability on one day and create its slots."""
    require_permission(actor, Action.ADD, AvailabilityBlock, desk_id=desk.pk)
    errors: dict[str, str] = {}
    if adviser is None or not _is_active_member(desk.pk, adviser, date):
        errors["adviser"] = _("Kies een adviseur die op die dag bij dit loket werkt.")
    if mode == SlotMode.LOCATION:
        if location is None:
            errors["location"] = _("Kies de vestiging waar het gesprek is.")
        elif location.desk_id != desk.pk:
            errors["location"] = _("Kies een vestiging van dit loket.")
    else:
        location = None
    if date < timezone.localdate():
        errors["date"] = _("Kies een datum vanaf vandaag.")
    if errors:
        raise ValidationError(errors)
    block = AvailabilityBlock(
        desk=desk,
        adviser=adviser,
        mode=mode,
        location=location,
        date=date,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
    )
    block.full_clean(exclude=["desk", "adviser", "location"])
    times = slot_times(
        date=date, start_time=start_time, end_time=end_time, slot_minutes=slot_minutes
    )
    if not times:
        raise ValidationError({"end_time": _("In deze tijd past geen hele afspraak.")})
    overlapping = AvailabilityBlock.objects.filter(
        adviser=adviser, date=date, start_time__lt=end_time, end_time__gt=start_time
    )
    if overlapping.exists():
        raise ValidationError(
            {"start_time": _("Deze adviseur heeft op dat moment al beschikbaarheid.")}
        )
    block.save()
    Slot.objects.bulk_create(
        Slot(desk=desk, block=block, starts_at=start, ends_at=end) for start, end in times
    )
    audit_record(
        actor=actor,
        action="availability.create",
        obj=block,
        desk_id=desk.pk,
        detail={"slots": len(times)},
    )
    return block


@transaction.atomic
def availability_block_delete(*, actor: Any, block: AvailabilityBlock) -> None:
    """Remove availability that nobody has booked yet."""
    require_permission(actor, Action.DELETE, AvailabilityBlock, obj=block)
    if Appointment.objects.filter(slot__block=block).exists():
        raise ValidationError(
            _("In dit blok zijn al afspraken gemaakt. Zeg die eerst af; dan blijft het blok staan.")
        )
    audit_record(actor=actor, action="availability.delete", obj=block, desk_id=block.desk_id)
    block.delete()


# -- appointments ------------------------------------------------------------------------------

PERSON_FIELDS = ["given_name", "family_name", "email", "phone", "theme", "question"]


def _lock_bookable_slot(slot: Slot, desk: Desk) -> Slot:
    """Lock the slot row; refuse a slot that cannot be booked (any more)."""
    locked = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("block", "block__location", "desk")
        .filter(pk=slot.pk, desk=desk)
        .first()
    )
    if locked is None or not desk.is_published:
        raise ValidationError(_("Dit tijdstip bestaat niet (meer). Kies een ander tijdstip."))
    if locked.starts_at < timezone.now() + datetime.timedelta(minutes=BOOKING_LEAD_MINUTES):
        raise ValidationError(_("Dit tijdstip is te snel. Kies een later tijdstip."))
    if locked.block.location is not None and not locked.block.location.is_public:
        raise ValidationError(_("Dit tijdstip bestaat niet (meer). Kies een ander tijdstip."))
    if locked.appointments.filter(status__in=ACTIVE_APPOINTMENT_STATUSES).exists():
        raise ValidationError(_slot_taken())
    return locked


def _intake_description(slot: Slot, question: str) -> str:
    local = timezone.localtime(slot.starts_at)
    mode = SlotMode(slot.block.mode).label
    text = _("Afspraak geboekt via de website voor %(when)s (%(mode)s).") % {
        "when": local.strftime("%d-%m-%Y %H:%M"),
        "mode": str(mode).lower(),
    }
    return f"{text}\n{question}".strip()[:2000]


def _create_appointment(
    *,
    slot: Slot,
    values: dict[str, Any],
    consent_given_at: datetime.datetime,
    intake_request: Any,
    rescheduled_from: Appointment | None,
    account: Any = None,
) -> Appointment:
    appointment = Appointment(
        desk=slot.desk,
        slot=slot,
        consent_given_at=consent_given_at,
        intake_request=intake_request,
        rescheduled_from=rescheduled_from,
        account=account,
        **values,
    )
    appointment.full_clean(
        exclude=[
            "desk",
            "slot",
            "intake_request",
            "client",
            "registration",
            "rescheduled_from",
            "account",
        ],
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        # Only reached without row locks (SQLite): the unique constraint decided.
        raise ValidationError(_slot_taken()) from None
    return appointment


def _clean_person(values: dict[str, Any]) -> dict[str, Any]:
    if unknown := set(values) - set(PERSON_FIELDS):
        raise ValueError(f"Not an appointment field: {sorted(unknown)}")
    cleaned = {k: (v or "").strip() if isinstance(v, str) else v for k, v in values.items()}
    cleaned["email"] = cleaned.get("email", "").lower()
    cleaned.setdefault("question", "")
    cleaned.setdefault("phone", "")
    if cleaned.get("theme") not in QuestionTheme.values:
        raise ValidationError({"theme": _("Kies waar het gesprek over gaat.")})
    return cleaned


@transaction.atomic
def appointment_book(
    *,
    desk: Desk,
    slot: Slot,
    consent: bool,
    base_url: str = "",
    account: Any = None,
    **values: Any,
) -> Appointment:
    """A citizen books a free slot on the desk's website.

    The request lands in the desk's CRM as an intake request (web form, with consent to be
    contacted), so it shows in the desk's list of new requests; the client and the
    registration follow when the adviser records whether the appointment took place.
    Booked while logged in to Mijn Leerwerkloket, it is listed there (``account``).
    """
    if not consent:
        raise _consent_error()
    cleaned = _clean_person(values)
    slot = _lock_bookable_slot(slot, desk)
    now = timezone.now()
    request = guidance_services.intake_request_submit_public(
        desk=desk,
        consent=True,
        theme=cleaned["theme"],
        description=_intake_description(slot, cleaned["question"]),
        given_name=cleaned["given_name"],
        family_name=cleaned["family_name"],
        email=cleaned["email"],
        phone=cleaned["phone"],
        contact_preference="email",
    )
    appointment = _create_appointment(
        slot=slot,
        values=cleaned,
        consent_given_at=now,
        intake_request=request,
        rescheduled_from=None,
        account=account,
    )
    audit_record(
        actor=None,
        action="appointment.book",
        obj=appointment,
        desk_id=desk.pk,
        detail={"slot": str(slot.uuid), "request": str(request.uuid)},
    )
    send_after_commit(notifications.appointment_confirmation(appointment, base_url=base_url))
    return appointment


def _lock_appointment(appointment: Appointment) -> Appointment:
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__block", "slot__block__location", "desk")
        .get(pk=appointment.pk)
    )
    return locked


def _require_cancellable(appointment: Appointment) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("Deze afspraak is al afgezegd of voorbij."))
    if appointment.slot.starts_at <= timezone.now():
        raise ValidationError(_("Deze afspraak is al begonnen of voorbij."))


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, actor: Any = None, base_url: str = "", notify: bool = True
) -> Appointment:
    """Cancel a booked appointment: by the citizen (through the signed link, no actor) or by
    desk staff (actor). The slot is free again at once.

    When the citizen cancels, the request the booking made is withdrawn too (no longer on the
    desk's list of new requests), unless someone already took it into work. When staff cancel
    (illness, a closed office), the request stays open so the desk can offer another time."""
    if actor is not None:
        require_permission(actor, Action.CHANGE, Appointment, obj=appointment)
    appointment = _lock_appointment(appointment)
    _require_cancellable(appointment)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
    withdrawn = actor is None and _withdraw_request(appointment)
    audit_record(
        actor=actor,
        action="appointment.cancel",
        obj=appointment,
        desk_id=appointment.desk_id,
        detail={
            "by": "staff" if actor is not None else "citizen",
            "request_withdrawn": withdrawn,
        },
    )
    if notify:
        send_after_commit(notifications.appointment_cancelled(appointment, base_url=base_url))
    return appointment


def _withdraw_request(appointment: Appointment) -> bool:
    """Close the booking's request as "handled without a trajectory" when it is still new and
    no other booking of it is pending. True when it was closed."""
    if appointment.intake_request_id is None:
        return False
    pending = Appointment.objects.filter(
        intake_request_id=appointment.intake_request_id, status=AppointmentStatus.BOOKED
    ).exclude(pk=appointment.pk)
    closed = (
        IntakeRequest.objects.filter(pk=appointment.intake_request_id, status=RequestStatus.NEW)
        .exclude(Exists(pending))
        .update(
            status=RequestStatus.DISMISSED, handled_at=timezone.now(), updated_at=timezone.now()
        )
    )
    return bool(closed)


@transaction.atomic
def appointment_reschedule(
    *, appointment: Appointment, slot: Slot, base_url: str = ""
) -> Appointment:
    """Move a booking to another slot of the same desk: cancel and book in one transaction, so
    either both happen or neither (when the new slot was just taken, the old one is kept)."""
    old = _lock_appointment(appointment)
    _require_cancellable(old)
    if slot.pk == old.slot_id:
        raise ValidationError(_("Dit is al het tijdstip van uw afspraak. Kies een ander tijdstip."))
    old.status = AppointmentStatus.CANCELLED
    old.cancelled_at = timezone.now()
    old.save(update_fields=["status", "cancelled_at", "updated_at"])
    new_slot = _lock_bookable_slot(slot, old.desk)
    new = _create_appointment(
        slot=new_slot,
        values={name: getattr(old, name) for name in PERSON_FIELDS},
        consent_given_at=old.consent_given_at,
        intake_request=old.intake_request,
        rescheduled_from=old,
        account=old.account,
    )
    audit_record(
        actor=None,
        action="appointment.reschedule",
        obj=new,
        desk_id=new.desk_id,
        detail={"from": str(old.uuid), "slot": str(new_slot.uuid)},
    )
    send_after_commit(notifications.appointment_confirmation(new, base_url=base_url))
    return new


def _registration_type(code: str, on: datetime.date) -> RegistrationType:
    version = vocabulary_in_force(on)
    type_ = RegistrationType.objects.filter(version=version, code=code, is_active=True).first()
    if type_ is None:
        raise ValidationError(
            _("De registratielijst van die datum kent '%(code)s' niet.") % {"code": code}
        )
    return type_


def _matching_client(actor: Any, appointment: Appointment) -> Client | None:
    """An existing client of the desk with the same e-mail address (the match suggestions of
    the CRM); a name alone is not enough to link a booking to someone."""
    candidates = client_match_candidates(
        user=actor,
        desk_id=appointment.desk_id,
        email=appointment.email,
        phone=appointment.phone,
        given_name=appointment.given_name,
        family_name=appointment.family_name,
    )
    for candidate in candidates:
        if "zelfde e-mailadres" in candidate.reasons:
            return candidate.client
    return None


def _open_trajectory_of(client: Client) -> Trajectory | None:
    return (
        Trajectory.objects.open()
        .filter(client=client, desk_id=client.desk_id)
        .order_by("-opened_on", "-id")
        .first()
    )


def _crm_trajectory(actor: Any, appointment: Appointment) -> Trajectory:
    """The trajectory the appointment belongs to: the one opened from its intake request, the
    client's open trajectory, or a new one (creating the client when needed)."""
    adviser: Any = appointment.slot.block.adviser
    if not _is_active_member(appointment.desk_id, adviser):
        adviser = None
    request = appointment.intake_request
    if request is not None and request.status == RequestStatus.HANDLED:
        opened = Trajectory.objects.filter(intake_request=request).first()
        if opened is not None and opened.status != TrajectoryStatus.CLOSED:
            return opened
    client = _matching_client(actor, appointment)
    if client is not None and (existing := _open_trajectory_of(client)):
        if request is not None and request.status == RequestStatus.NEW:
            # The question joins the client's running trajectory; the request is done.
            guidance_services.intake_request_dismiss(actor=actor, request=request)
        return existing
    if request is not None and request.status == RequestStatus.NEW:
        return guidance_services.intake_request_accept(
            actor=actor, request=request, client=client, adviser=adviser
        )
    if client is None:
        client = client_services.client_create(
            actor=actor,
            desk=appointment.desk,
            given_name=appointment.given_name,
            family_name=appointment.family_name,
            email=appointment.email,
            phone=appointment.phone,
            preferred_channel="email",
        )
    client_services.consent_give(
        actor=actor,
        client=client,
        purpose=ConsentPurpose.CONTACT,
        given_at=appointment.consent_given_at,
        source=_("afspraak via de website"),
    )
    return guidance_services.trajectory_open(
        actor=actor,
        client=client,
        theme=appointment.theme,
        channel=IntakeChannel.WEB_FORM,
        adviser=adviser,
        opened_on=min(timezone.localdate(appointment.created_at), timezone.localdate()),
    )


@transaction.atomic
def appointment_register_attendance(
    *,
    actor: Any,
    appointment: Appointment,
    attended: bool,
    conversation_type: str = "",
) -> Appointment:
    """The adviser records that the appointment took place or that the citizen did not come.

    Either way it lands in the CRM: the client is found (same e-mail address) or created, the
    appointment joins a trajectory, and a contact moment (intake or advice conversation) is
    registered with status completed or no-show, through the guidance services, so the
    reports count it (a no-show separately).
    """
    require_permission(actor, Action.CHANGE, Appointment, obj=appointment)
    appointment = _lock_appointment(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("Voor deze afspraak is al vastgelegd wat er gebeurde."))
    day = timezone.localdate(appointment.slot.starts_at)
    if day > timezone.localdate():
        raise ValidationError(_("Deze afspraak is nog niet geweest."))
    if conversation_type and conversation_type not in ConversationType.values:
        raise ValidationError({"conversation_type": _("Kies intake of adviesgesprek.")})
    trajectory = _crm_trajectory(actor, appointment)
    if not conversation_type:
        had_intake = Registration.objects.filter(
            trajectory=trajectory, type__code=ConversationType.INTAKE
        ).exists()
        conversation_type = ConversationType.ADVICE if had_intake else ConversationType.INTAKE
    block = appointment.slot.block
    registration = guidance_services.registration_create(
        actor=actor,
        desk=appointment.desk,
        type=_registration_type(conversation_type, day),
        occurred_on=day,
        trajectory=trajectory,
        channel=Channel.VIDEO if block.mode == SlotMode.VIDEO else Channel.IN_PERSON,
        status=RegistrationStatus.COMPLETED if attended else RegistrationStatus.NO_SHOW,
        duration_minutes=block.slot_minutes if attended else None,
        adviser=block.adviser,
    )
    appointment.status = AppointmentStatus.COMPLETED if attended else AppointmentStatus.NO_SHOW
    appointment.client = trajectory.client
    appointment.registration = registration
    appointment.attendance_registered_at = timezone.now()
    appointment.save(
        update_fields=[
            "status",
            "client",
            "registration",
            "attendance_registered_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="appointment.attendance",
        obj=appointment,
        desk_id=appointment.desk_id,
        detail={"status": appointment.status, "registration": str(registration.uuid)},
    )
    return appointment


def appointment_send_reminder(*, appointment: Appointment, base_url: str = "") -> bool:
    """Send the reminder of one appointment once. The claim (an UPDATE that only succeeds while
    no reminder was recorded) makes a second run, or a second worker, send nothing."""
    with transaction.atomic():
        claimed = Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.BOOKED, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=timezone.now())
        if not claimed:
            return False
        audit_record(
            actor=None,
            action="appointment.reminder",
            obj=appointment,
            desk_id=appointment.desk_id,
        )
        send_after_commit(notifications.appointment_reminder(appointment, base_url=base_url))
    return True


# -- events ------------------------------------------------------------------------------------

EVENT_FIELDS = [
    "title",
    "description",
    "kind",
    "starts_at",
    "ends_at",
    "location",
    "venue",
    "online_url",
    "capacity",
    "target_audience",
    "registration_open",
    "is_published",
]


def _event_validate(event: Event) -> None:
    event.title = (event.title or "").strip()
    event.venue = (event.venue or "").strip()
    errors: dict[str, str] = {}
    if event.location is not None and event.location.desk_id != event.desk_id:
        errors["location"] = _("Kies een vestiging van dit loket.")
    if event.kind == EventKind.ONLINE and not event.online_url:
        errors["online_url"] = _("Een online bijeenkomst heeft een link.")
    if event.location is None and not event.venue and not event.online_url:
        errors["location"] = _("Kies een vestiging, vul een adres in of een link.")
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = _("Het einde moet na het begin liggen.")
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["desk", "location"])


@transaction.atomic
def event_create(*, actor: Any, desk: Desk, **values: Any) -> Event:
    require_permission(actor, Action.ADD, Event, desk_id=desk.pk)
    if unknown := set(values) - set(EVENT_FIELDS):
        raise ValueError(f"Not an event field: {sorted(unknown)}")
    event = Event(desk=desk, **values)
    _event_validate(event)
    if event.starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Kies een begin in de toekomst.")})
    event.save()
    audit_record(actor=actor, action="event.create", obj=event, desk_id=desk.pk)
    return event


def _taken_places(event: Event) -> int:
    return event.registrations.filter(status=EventRegistrationStatus.REGISTERED).count()


def _promote_waiting(event: Event, *, base_url: str) -> list[EventRegistration]:
    """Fill free places from the waiting list, first come first served. Call with the event
    row locked."""
    free = event.capacity - _taken_places(event)
    if free <= 0:
        return []
    promoted = list(
        event.registrations.filter(status=EventRegistrationStatus.WAITING).order_by(
            "created_at", "id"
        )[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = EventRegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_record(
            actor=None,
            action="event.registration.promote",
            obj=registration,
            desk_id=event.desk_id,
        )
        send_after_commit(notifications.registration_promoted(registration, base_url=base_url))
    return promoted


def _lock_event(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("desk", "location")
        .get(pk=event.pk)
    )


@transaction.atomic
def event_update(
    *, actor: Any, event: Event, expected_version: int, base_url: str = "", **values: Any
) -> Event:
    """Change an event. More places take people off the waiting list at once; fewer places
    than the people already registered is refused."""
    require_permission(actor, Action.CHANGE, Event, obj=event)
    if unknown := set(values) - set(EVENT_FIELDS):
        raise ValueError(f"Not an event field: {sorted(unknown)}")
    _lock_event(event)
    with unchanged_on_error(event):
        for name, value in values.items():
            setattr(event, name, value)
        _event_validate(event)
        taken = _taken_places(event)
        if event.capacity < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "Er zijn al %(count)s mensen aangemeld. Kies minstens zoveel plaatsen."
                    )
                    % {"count": taken}
                }
            )
        save_versioned(event, expected_version=expected_version, fields=sorted(values))
    _promote_waiting(event, base_url=base_url)
    audit_record(
        actor=actor,
        action="event.update",
        obj=event,
        desk_id=event.desk_id,
        detail={"fields": sorted(values)},
    )
    return event


def _registration_consent_error() -> ValidationError:
    return ValidationError(
        {"consent": _("Wij kunnen u alleen aanmelden als u toestemming geeft. Zet een vinkje.")}
    )


@transaction.atomic
def event_register(
    *,
    event: Event,
    given_name: str,
    family_name: str,
    email: str,
    consent: bool,
    phone: str = "",
    base_url: str = "",
) -> EventRegistration:
    """A citizen registers: a place while there is one, otherwise the waiting list."""
    if not consent:
        raise _registration_consent_error()
    event = _lock_event(event)
    if not (event.is_published and event.desk.is_published):
        raise ValidationError(_("Voor deze activiteit kunt u zich niet aanmelden."))
    if not event.registration_open:
        raise ValidationError(_("Aanmelden voor deze activiteit kan niet meer."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("Deze activiteit is al begonnen. Aanmelden kan niet meer."))
    registration = EventRegistration(
        desk_id=event.desk_id,
        event=event,
        given_name=(given_name or "").strip(),
        family_name=(family_name or "").strip(),
        email=(email or "").strip().lower(),
        phone=(phone or "").strip(),
        consent_given_at=timezone.now(),
    )
    registration.full_clean(exclude=["desk", "event"], validate_constraints=False)
    active = event.registrations.exclude(status=EventRegistrationStatus.CANCELLED)
    if active.filter(email=registration.email).exists():
        raise ValidationError({"email": _("Met dit e-mailadres bent u al aangemeld.")})
    if _taken_places(event) < event.capacity:
        registration.status = EventRegistrationStatus.REGISTERED
    else:
        registration.status = EventRegistrationStatus.WAITING
    registration.save()
    audit_record(
        actor=None,
        action="event.register",
        obj=registration,
        desk_id=event.desk_id,
        detail={"status": registration.status},
    )
    send_after_commit(notifications.registration_confirmation(registration, base_url=base_url))
    return registration


@transaction.atomic
def event_registration_cancel(
    *, registration: EventRegistration, actor: Any = None, base_url: str = ""
) -> EventRegistration:
    """Cancel a registration (citizen through the signed link, or desk staff). A freed place
    goes to the first person on the waiting list, who gets an e-mail."""
    if actor is not None:
        require_permission(actor, Action.CHANGE, EventRegistration, obj=registration)
    event = _lock_event(registration.event)
    registration = EventRegistration.objects.select_related("event").get(pk=registration.pk)
    if registration.status == EventRegistrationStatus.CANCELLED:
        raise ValidationError(_("U bent al afgemeld."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("De activiteit is al begonnen. Afmelden kan niet meer."))
    registration.status = EventRegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="event.registration.cancel",
        obj=registration,
        desk_id=event.desk_id,
        detail={"by": "staff" if actor is not None else "citizen"},
    )
    send_after_commit(notifications.registration_cancelled(registration, base_url=base_url))
    _promote_waiting(event, base_url=base_url)
    return registration


@transaction.atomic
def event_check_in(
    *, actor: Any, registration: EventRegistration, undo: bool = False
) -> EventRegistration:
    """At the door: mark a registered person as arrived (or undo a mistake)."""
    require_permission(actor, Action.CHANGE, EventRegistration, obj=registration)
    registration = EventRegistration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status != EventRegistrationStatus.REGISTERED:
        raise ValidationError(_("Alleen wie een plaats heeft, kan binnenkomen."))
    if undo:
        registration.checked_in_at = None
    elif registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at", "updated_at"])
    audit_record(
        actor=actor,
        action="event.check_in.undo" if undo else "event.check_in",
        obj=registration,
        desk_id=registration.desk_id,
    )
    return registration


COUNTERS = {"walk_ins", "stand_conversations"}


@transaction.atomic
def event_counter_change(*, actor: Any, event: Event, counter: str, delta: int) -> Event:
    """Add one to (or correct by taking one off) the walk-in or stand-conversation counter.

    An atomic UPDATE … SET n = n + 1, so two people counting at the same stand lose nothing.
    """
    require_permission(actor, Action.CHANGE, Event, obj=event)
    if counter not in COUNTERS or delta not in (1, -1):
        raise ValueError(f"Unknown counter change: {counter} {delta}")
    rows = Event.objects.filter(pk=event.pk)
    if delta < 0:
        rows = rows.filter(**{f"{counter}__gt": 0})
    rows.update(**{counter: F(counter) + delta})
    event.refresh_from_db(fields=[counter])
    audit_record(
        actor=actor,
        action=f"event.{counter}",
        obj=event,
        desk_id=event.desk_id,
        detail={"delta": delta},
    )
    return event
