"""Send the reminder e-mail for booked appointments that start soon. Idempotent: each
appointment gets one reminder, recorded on the appointment (``reminder_sent_at``), so the
command can run as often as wanted (e.g. every 15 minutes from cron).

Django's tasks API is not configured in this project yet (no TASKS setting); when it is, a
task can call ``services.appointment_send_reminder`` the same way.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from leerwerk.agenda import services
from leerwerk.agenda.constants import REMINDER_HOURS, AppointmentStatus
from leerwerk.agenda.models import Appointment


class Command(BaseCommand):
    help = "Stuur een herinnering voor afspraken die binnenkort beginnen (één keer per afspraak)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=REMINDER_HOURS,
            help="Afspraken die binnen dit aantal uren beginnen (standaard 24).",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="Begin van de links in de e-mail, bijvoorbeeld https://leerwerkloket.nl "
            "(standaard LEERWERK_SITE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        due = (
            Appointment.objects.filter(
                status=AppointmentStatus.BOOKED,
                reminder_sent_at__isnull=True,
                slot__starts_at__gt=now,
                slot__starts_at__lte=now + datetime.timedelta(hours=options["hours"]),
            )
            .select_related("desk", "slot", "slot__block", "slot__block__location")
            .order_by("slot__starts_at", "id")
        )
        sent = sum(
            services.appointment_send_reminder(appointment=a, base_url=options["site_url"])
            for a in due.iterator(chunk_size=200)
        )
        self.stdout.write(f"{sent} herinnering{'' if sent == 1 else 'en'} verstuurd.")
