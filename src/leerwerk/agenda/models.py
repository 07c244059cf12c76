"""Appointments (availability, slots, bookings) and events (with registrations and a waiting
list) of a desk.

Every table carries its desk. Two guarantees live in the database:

* a slot has at most one active appointment (a partial unique constraint), and the booking
  service also locks the slot row, so two people booking the last slot at once cannot both win;
* an event is never over-booked: the registration service locks the event row while it counts
  the places that are taken (see ``services.event_register``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerwerk.agenda.constants import (
    ACTIVE_APPOINTMENT_STATUSES,
    SLOT_MINUTES_MAX,
    SLOT_MINUTES_MIN,
    AppointmentStatus,
    EventKind,
    EventRegistrationStatus,
    SlotMode,
)
from leerwerk.clients.models import phone_validator
from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.guidance.constants import QuestionTheme

# -- appointments ------------------------------------------------------------------------------


class AvailabilityBlock(PublicIdMixin, TimestampedMixin, models.Model):
    """An adviser's bookable time on one day, at a location of the desk or by video.

    Creating a block creates its slots (``services.availability_block_create``).
    """

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        related_name="availability_blocks",
        verbose_name=_("loket"),
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adviseur"),
    )
    mode = models.CharField(_("soort gesprek"), max_length=10, choices=SlotMode.choices)
    location = models.ForeignKey(
        "network.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vestiging"),
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("van"))
    end_time = models.TimeField(_("tot"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("duur van een afspraak (minuten)"),
        default=45,
        validators=[MinValueValidator(SLOT_MINUTES_MIN), MaxValueValidator(SLOT_MINUTES_MAX)],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("beschikbaarheid")
        verbose_name_plural = _("beschikbaarheid")
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["desk", "date"], name="agenda_block_desk_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=models.F("end_time")),
                name="agenda_block_start_before_end",
                violation_error_message=_("De begintijd moet voor de eindtijd liggen."),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=SLOT_MINUTES_MIN)
                & Q(slot_minutes__lte=SLOT_MINUTES_MAX),
                name="agenda_block_slot_minutes_range",
                violation_error_message=_("Een afspraak duurt 10 tot 240 minuten."),
            ),
            models.CheckConstraint(
                condition=Q(mode=SlotMode.LOCATION, location__isnull=False)
                | Q(mode=SlotMode.VIDEO, location__isnull=True),
                name="agenda_block_location_iff_on_location",
                violation_error_message=_(
                    "Kies een vestiging voor een gesprek op locatie, en geen voor video."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Slot(PublicIdMixin, models.Model):
    """One bookable time of a block."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="+", verbose_name=_("loket")
    )
    block = models.ForeignKey(
        AvailabilityBlock,
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("beschikbaarheid"),
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tijdstip")
        verbose_name_plural = _("tijdstippen")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["desk", "starts_at"], name="agenda_slot_desk_start_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["block", "starts_at"], name="agenda_slot_unique_per_block"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="agenda_slot_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%d-%m-%Y %H:%M}"


class Appointment(PublicIdMixin, TimestampedMixin, models.Model):
    """A citizen's booking of a slot. Personal data: scoped to the desk, audited."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("loket"),
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("tijdstip")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    given_name = models.CharField(_("voornaam"), max_length=100)
    family_name = models.CharField(_("achternaam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(
        _("telefoonnummer"), max_length=20, blank=True, validators=[phone_validator]
    )
    theme = models.CharField(_("onderwerp"), max_length=30, choices=QuestionTheme.choices)
    question = models.TextField(_("vraag"), max_length=1000, blank=True)
    consent_given_at = models.DateTimeField(_("toestemming voor contact gegeven op"))
    intake_request = models.ForeignKey(
        "guidance.IntakeRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanvraag"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("klant"),
    )
    registration = models.ForeignKey(
        "guidance.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registratie"),
    )
    account = models.ForeignKey(
        "mijn.CitizenAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("geboekt vanuit account"),
        help_text=_("Het Mijn Leerwerkloket-account waarmee de afspraak is gemaakt."),
    )
    rescheduled_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_to",
        verbose_name=_("verzet van"),
    )
    cancelled_at = models.DateTimeField(_("afgezegd op"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    attendance_registered_at = models.DateTimeField(
        _("aanwezigheid vastgelegd op"), null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["slot__starts_at"]
        indexes = [models.Index(fields=["desk", "status"], name="agenda_appt_desk_status_idx")]
        constraints = [
            # The booking guarantee: one active appointment per slot, whoever writes.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=ACTIVE_APPOINTMENT_STATUSES),
                name="agenda_one_active_appointment_per_slot",
                violation_error_message=_(
                    "Dit tijdstip is net door iemand anders geboekt. Kies een ander tijdstip."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} ({self.get_status_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_APPOINTMENT_STATUSES


# -- events ------------------------------------------------------------------------------------


class EventQuerySet(ScopedQuerySet):
    def public(self) -> EventQuerySet:
        """Published events of published desks."""
        return self.filter(is_published=True, desk__is_published=True)

    def upcoming(self, now: datetime.datetime | None = None) -> EventQuerySet:
        return self.filter(ends_at__gte=now or timezone.now())


class Event(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """An information meeting, group session, workshop, job fair or online session."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="events", verbose_name=_("loket")
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=5000, blank=True)
    kind = models.CharField(_("soort"), max_length=30, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.ForeignKey(
        "network.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vestiging"),
    )
    venue = models.CharField(
        _("plaats"),
        max_length=250,
        blank=True,
        help_text=_("Een ander adres of een zaal, als het niet bij een vestiging is."),
    )
    online_url = models.URLField(_("link naar de online bijeenkomst"), blank=True)
    capacity = models.PositiveIntegerField(
        _("aantal plaatsen"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    target_audience = models.CharField(_("voor wie"), max_length=250, blank=True)
    registration_open = models.BooleanField(_("aanmelden kan"), default=True)
    is_published = models.BooleanField(_("op de website"), default=False)
    walk_ins = models.PositiveIntegerField(
        _("bezoekers zonder aanmelding"),
        default=0,
        help_text=_("Binnengelopen zonder aanmelding; telt als bezoeker."),
    )
    stand_conversations = models.PositiveIntegerField(_("gesprekken bij de stand"), default=0)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["desk", "starts_at"], name="agenda_event_desk_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="agenda_event_start_before_end",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="agenda_event_capacity_positive",
                violation_error_message=_("Een activiteit heeft minstens 1 plaats."),
            ),
            models.CheckConstraint(
                condition=Q(location__isnull=False) | ~Q(venue="") | ~Q(online_url=""),
                name="agenda_event_has_a_place",
                violation_error_message=_("Kies een vestiging, vul een adres in of een link."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventRegistration(PublicIdMixin, TimestampedMixin, models.Model):
    """A person's registration for an event, with a place or on the waiting list."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="+", verbose_name=_("loket")
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("activiteit")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EventRegistrationStatus.choices,
        default=EventRegistrationStatus.REGISTERED,
    )
    given_name = models.CharField(_("voornaam"), max_length=100)
    family_name = models.CharField(_("achternaam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(
        _("telefoonnummer"), max_length=20, blank=True, validators=[phone_validator]
    )
    consent_given_at = models.DateTimeField(_("toestemming voor contact gegeven op"))
    promoted_at = models.DateTimeField(_("van de wachtlijst gehaald op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("binnengekomen om"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "status"], name="agenda_evreg_event_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status=EventRegistrationStatus.CANCELLED),
                name="agenda_one_registration_per_email",
                violation_error_message=_("Met dit e-mailadres bent u al aangemeld."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True)
                | Q(status=EventRegistrationStatus.REGISTERED),
                name="agenda_checked_in_only_with_a_place",
                violation_error_message=_("Alleen wie een plaats heeft, kan binnenkomen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.get_status_display()}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()
