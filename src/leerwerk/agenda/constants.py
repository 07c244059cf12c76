from django.db import models
from django.utils.translation import gettext_lazy as _


class SlotMode(models.TextChoices):
    """Where an appointment takes place."""

    LOCATION = "location", _("Op locatie")
    VIDEO = "video", _("Videogesprek")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Geboekt")
    CANCELLED = "cancelled", _("Afgezegd")
    COMPLETED = "completed", _("Gehouden")
    NO_SHOW = "no_show", _("Niet verschenen")


# A slot is taken while it has an appointment in one of these states.
ACTIVE_APPOINTMENT_STATUSES = [
    AppointmentStatus.BOOKED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
]


class ConversationType(models.TextChoices):
    """Which contact moment of the national vocabulary an appointment becomes."""

    INTAKE = "intake", _("Intake")
    ADVICE = "adviesgesprek", _("Ontwikkel- en adviesgesprek")


class EventKind(models.TextChoices):
    INFORMATION_MEETING = "information_meeting", _("Informatiebijeenkomst")
    GROUP_SESSION = "group_session", _("Groepsbijeenkomst")
    WORKSHOP = "workshop", _("Workshop")
    JOB_FAIR = "job_fair", _("Banenmarkt of stand")
    ONLINE = "online", _("Online bijeenkomst (webinar)")


class EventRegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Aangemeld")
    WAITING = "waiting", _("Op de wachtlijst")
    CANCELLED = "cancelled", _("Afgemeld")


SLOT_MINUTES_MIN = 10
SLOT_MINUTES_MAX = 240
#: How far ahead citizens can book, and how soon (no bookings for a slot starting within this).
BOOKING_HORIZON_DAYS = 60
BOOKING_LEAD_MINUTES = 60
#: Default: reminders go out for appointments that start within this many hours.
REMINDER_HOURS = 24
