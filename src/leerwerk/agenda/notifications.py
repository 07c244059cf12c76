"""E-mails to citizens: confirmations (with an .ics file), cancellations, reminders and
promotions from the waiting list. Built here, sent by the services after their transaction
commits (``transaction.on_commit``), so a rolled-back booking never sends mail."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.agenda import tokens
from leerwerk.agenda.constants import SlotMode
from leerwerk.agenda.ics import calendar_file
from leerwerk.agenda.models import Appointment, Event, EventRegistration
from leerwerk.core.mail import site_url

# -- appointments ------------------------------------------------------------------------------


def appointment_manage_url(appointment: Appointment, base_url: str = "") -> str:
    token = tokens.make_token(
        purpose=tokens.APPOINTMENT, uuid_=appointment.uuid, expires_at=appointment.slot.starts_at
    )
    return site_url(base_url) + reverse("agenda_public:appointment_manage", args=[token])


def appointment_place(appointment: Appointment) -> str:
    block = appointment.slot.block
    if block.mode == SlotMode.VIDEO or block.location is None:
        return _("Videogesprek: u krijgt de link voor het gesprek van de adviseur.")
    location = block.location
    return f"{location.name}, {location.address}"


def _appointment_context(appointment: Appointment, base_url: str) -> dict[str, Any]:
    return {
        "appointment": appointment,
        "desk": appointment.desk,
        "starts_at": timezone.localtime(appointment.slot.starts_at),
        "ends_at": timezone.localtime(appointment.slot.ends_at),
        "place": appointment_place(appointment),
        "manage_url": appointment_manage_url(appointment, base_url),
    }


def appointment_confirmation(appointment: Appointment, *, base_url: str = "") -> EmailMessage:
    context = _appointment_context(appointment, base_url)
    message = EmailMessage(
        subject=_("Uw afspraak met %(desk)s") % {"desk": appointment.desk.display_name},
        body=render_to_string("agenda/email/appointment_confirmed.txt", context),
        to=[appointment.email],
    )
    message.attach(
        "afspraak.ics",
        calendar_file(
            uid=f"appointment-{appointment.uuid}@leerwerk",
            starts_at=appointment.slot.starts_at,
            ends_at=appointment.slot.ends_at,
            summary=_("Afspraak met %(desk)s") % {"desk": appointment.desk.display_name},
            location=context["place"],
            description=_("Afzeggen of verzetten: %(url)s") % {"url": context["manage_url"]},
            url=context["manage_url"],
        ),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    return message


def appointment_cancelled(appointment: Appointment, *, base_url: str = "") -> EmailMessage:
    context = _appointment_context(appointment, base_url)
    context["book_url"] = site_url(base_url) + reverse(
        "agenda_public:slot_list", args=[appointment.desk.slug]
    )
    return EmailMessage(
        subject=_("Uw afspraak met %(desk)s is afgezegd") % {"desk": appointment.desk.display_name},
        body=render_to_string("agenda/email/appointment_cancelled.txt", context),
        to=[appointment.email],
    )


def appointment_reminder(appointment: Appointment, *, base_url: str = "") -> EmailMessage:
    context = _appointment_context(appointment, base_url)
    return EmailMessage(
        subject=_("Herinnering: uw afspraak met %(desk)s")
        % {"desk": appointment.desk.display_name},
        body=render_to_string("agenda/email/appointment_reminder.txt", context),
        to=[appointment.email],
    )


# -- events ------------------------------------------------------------------------------------


def registration_cancel_url(registration: EventRegistration, base_url: str = "") -> str:
    token = tokens.make_token(
        purpose=tokens.EVENT_REGISTRATION,
        uuid_=registration.uuid,
        expires_at=registration.event.starts_at,
    )
    return site_url(base_url) + reverse("agenda_public:registration_cancel", args=[token])


def event_place(event: Event) -> str:
    parts = []
    if event.location is not None:
        parts.append(f"{event.location.name}, {event.location.address}")
    if event.venue:
        parts.append(event.venue)
    if event.online_url:
        parts.append(event.online_url)
    return " – ".join(parts)


def _event_context(registration: EventRegistration, base_url: str) -> dict[str, Any]:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "desk": event.desk,
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
        "place": event_place(event),
        "cancel_url": registration_cancel_url(registration, base_url),
        "event_url": site_url(base_url)
        + reverse("agenda_public:event_detail", args=[event.desk.slug, event.uuid]),
    }


def _with_calendar(message: EmailMessage, registration: EventRegistration, context: dict) -> None:
    event = registration.event
    message.attach(
        "activiteit.ics",
        calendar_file(
            uid=f"event-{event.uuid}-{registration.uuid}@leerwerk",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            summary=event.title,
            location=context["place"],
            description=_("Afmelden: %(url)s") % {"url": context["cancel_url"]},
            url=context["event_url"],
        ),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )


def registration_confirmation(
    registration: EventRegistration, *, base_url: str = ""
) -> EmailMessage:
    """A place (with a calendar file) or a place on the waiting list."""
    context = _event_context(registration, base_url)
    waiting = registration.status == "waiting"
    message = EmailMessage(
        subject=(
            _("U staat op de wachtlijst: %(title)s")
            if waiting
            else _("U bent aangemeld: %(title)s")
        )
        % {"title": registration.event.title},
        body=render_to_string(
            "agenda/email/registration_waiting.txt"
            if waiting
            else "agenda/email/registration_confirmed.txt",
            context,
        ),
        to=[registration.email],
    )
    if not waiting:
        _with_calendar(message, registration, context)
    return message


def registration_promoted(registration: EventRegistration, *, base_url: str = "") -> EmailMessage:
    context = _event_context(registration, base_url)
    message = EmailMessage(
        subject=_("Er is een plaats vrij: %(title)s") % {"title": registration.event.title},
        body=render_to_string("agenda/email/registration_promoted.txt", context),
        to=[registration.email],
    )
    _with_calendar(message, registration, context)
    return message


def registration_cancelled(registration: EventRegistration, *, base_url: str = "") -> EmailMessage:
    context = _event_context(registration, base_url)
    return EmailMessage(
        subject=_("U bent afgemeld: %(title)s") % {"title": registration.event.title},
        body=render_to_string("agenda/email/registration_cancelled.txt", context),
        to=[registration.email],
    )
