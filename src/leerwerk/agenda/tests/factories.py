"""Factories for availability, slots, appointments and events. They write rows directly (no
services, no audit); tests of behaviour use the services."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.agenda.constants import EventKind, EventRegistrationStatus, SlotMode
from leerwerk.agenda.models import Appointment, AvailabilityBlock, Event, EventRegistration, Slot
from leerwerk.clients.tests.factories import default_desk
from leerwerk.guidance.constants import QuestionTheme
from leerwerk.network.tests.factories import LocationFactory


def earlier_today(minutes: int) -> datetime.datetime:
    """``minutes`` ago, but never before today's local midnight: an appointment "that just
    took place" stays on today's date when the tests run shortly after midnight."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(minutes=minutes), midnight)


def tomorrow_at(hour: int, minute: int = 0, days: int = 1) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class AvailabilityBlockFactory(factory.django.DjangoModelFactory):
    """A video block tomorrow 9:00–10:00 with 30-minute slots (no slots: use SlotFactory)."""

    class Meta:
        model = AvailabilityBlock

    desk = factory.LazyFunction(default_desk)
    adviser = factory.SubFactory(UserFactory)
    mode = SlotMode.VIDEO
    location = None
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1))
    start_time = datetime.time(9, 0)
    end_time = datetime.time(10, 0)
    slot_minutes = 30


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    block = factory.SubFactory(AvailabilityBlockFactory)
    desk = factory.LazyAttribute(lambda slot: slot.block.desk)
    starts_at = factory.LazyAttribute(
        lambda slot: timezone.make_aware(
            datetime.datetime.combine(slot.block.date, slot.block.start_time)
        )
    )
    ends_at = factory.LazyAttribute(
        lambda slot: slot.starts_at + datetime.timedelta(minutes=slot.block.slot_minutes)
    )


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    slot = factory.SubFactory(SlotFactory)
    desk = factory.LazyAttribute(lambda appointment: appointment.slot.desk)
    given_name = factory.Sequence(lambda n: f"Testburger{n}")
    family_name = "Voorbeeld"
    email = factory.Sequence(lambda n: f"burger{n}@example.test")
    theme = QuestionTheme.CAREER_ADVICE
    consent_given_at = factory.LazyFunction(timezone.now)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    desk = factory.LazyFunction(default_desk)
    title = factory.Sequence(lambda n: f"Informatiebijeenkomst {n}")
    description = "Hoe vindt u een opleiding die bij u past?"
    kind = EventKind.INFORMATION_MEETING
    starts_at = factory.LazyFunction(lambda: tomorrow_at(14, days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=2))
    venue = "Bibliotheek, zaal 2"
    capacity = 20
    is_published = True


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    desk = factory.LazyAttribute(lambda registration: registration.event.desk)
    status = EventRegistrationStatus.REGISTERED
    given_name = factory.Sequence(lambda n: f"Deelnemer{n}")
    family_name = "Voorbeeld"
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.test")
    consent_given_at = factory.LazyFunction(timezone.now)


__all__ = ["LocationFactory"]
