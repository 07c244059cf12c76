"""Demo CRM data for the demo desks: fake clients, requests, trajectories, registrations, an
employer and hand-entered figures, so every page and the report show something after
``make run``. Idempotent: a desk that already has demo clients is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from leerwerk.clients import services as client_services
from leerwerk.clients.models import Client
from leerwerk.core.constants import DeskRole
from leerwerk.guidance import services, vocabulary
from leerwerk.guidance.constants import Outcome
from leerwerk.guidance.models import RegistrationType
from leerwerk.guidance.selectors import vocabulary_in_force
from leerwerk.network.models import Desk, StaffMembership
from leerwerk.reporting.services import manual_value_set

DEMO_CLIENT_DOMAIN = "demo-klant.leerwerk.test"
FIRST = ["Demi", "Dirk", "Dana", "Daan", "Dewi"]


def _type(code: str, on: datetime.date) -> RegistrationType:
    return RegistrationType.objects.get(version=vocabulary_in_force(on), code=code)


@transaction.atomic
def load_demo_crm() -> int:
    """Returns the number of desks that got demo CRM data."""
    today = timezone.localdate()
    done = 0
    for desk in Desk.objects.filter(
        memberships__user__email__endswith="@demo.leerwerk.test"
    ).distinct():
        if Client.objects.filter(desk=desk, email__endswith=f"@{DEMO_CLIENT_DOMAIN}").exists():
            continue
        staff = StaffMembership.objects.active_on(today).filter(desk=desk).select_related("user")
        manager = next((m.user for m in staff if m.role == DeskRole.DESK_MANAGER), None)
        advisers = [m.user for m in staff if m.role == DeskRole.ADVISER]
        if manager is None or not advisers:
            continue
        postcode = desk.locations.values_list("postcode", flat=True).first() or ""
        for index, given in enumerate(FIRST):
            adviser = advisers[index % len(advisers)]
            client = client_services.client_create(
                actor=manager,
                desk=desk,
                given_name=given,
                family_name=f"Demoklant {index + 1}",
                email=f"{given.lower()}.{desk.slug}@{DEMO_CLIENT_DOMAIN}",
                phone=f"06{10000000 + desk.pk * 100 + index}",
                postcode=postcode,
                birth_year=1970 + index * 7,
                situation=[
                    "jobseeker_ww",
                    "worker",
                    "jobseeker_bijstand",
                    "student",
                    "self_employed",
                ][index],
            )
            opened = today - datetime.timedelta(days=40 + 60 * index)
            trajectory = services.trajectory_open(
                actor=manager,
                client=client,
                theme=[
                    "retraining",
                    "career_advice",
                    "funding",
                    "training_question",
                    "basic_skills",
                ][index],
                channel=["web_form", "phone", "walk_in", "partner_referral", "email"][index],
                adviser=adviser,
                opened_on=opened,
                follow_up_on=today + datetime.timedelta(days=7 - 5 * index),
            )
            day = opened + datetime.timedelta(days=3)
            services.registration_create(
                actor=adviser,
                desk=desk,
                type=_type(vocabulary.INTAKE, day),
                occurred_on=day,
                trajectory=trajectory,
                channel="in_person",
                duration_minutes=45,
            )
            for n in range(index % 3 + 1):
                day = opened + datetime.timedelta(days=10 + 7 * n)
                services.registration_create(
                    actor=adviser,
                    desk=desk,
                    type=_type(vocabulary.ADVICE_CONVERSATION, day),
                    occurred_on=day,
                    trajectory=trajectory,
                    channel=["in_person", "phone", "video"][n],
                    duration_minutes=60,
                    status="no_show" if (index, n) == (2, 1) else "completed",
                )
            if index in (0, 3):
                day = opened + datetime.timedelta(days=12)
                services.registration_create(
                    actor=adviser,
                    desk=desk,
                    type=_type(vocabulary.COMPETENCE_TEST, day),
                    occurred_on=day,
                    trajectory=trajectory,
                )
            if index == 4:
                trajectory.refresh_from_db()
                services.trajectory_close(
                    actor=adviser,
                    trajectory=trajectory,
                    expected_version=trajectory.version,
                    outcome=Outcome.TRAINING_STARTED,
                    outcome_date=today - datetime.timedelta(days=2),
                    closed_on=today - datetime.timedelta(days=1),
                )
        # Two new questions waiting for an intake.
        for given in ("Dex", "Dilan"):
            services.intake_request_register(
                actor=manager,
                desk=desk,
                channel="phone",
                theme="career_advice",
                description="Wil graag weten welke opleiding past bij ander werk. (demo)",
                given_name=given,
                family_name="Demovraag",
                phone=f"06{20000000 + desk.pk}",
                contact_preference="phone",
            )
        # An employer with an advice contact, and figures entered by hand.
        employer = client_services.employer_create(
            actor=manager,
            desk=desk,
            name=f"Demobedrijf {desk.region.name} BV",
            sector="care",
            size_class="10-49",
        )
        day = today - datetime.timedelta(days=20)
        services.registration_create(
            actor=manager,
            desk=desk,
            type=_type(vocabulary.EMPLOYER_ADVICE, day),
            occurred_on=day,
            employer=employer,
            channel="in_person",
        )
        half = 1 if today.month <= 6 else 2
        manual_value_set(
            actor=manager,
            desk=desk,
            figure_code="websitebezoekers",
            year=today.year,
            half=half,
            value=Decimal(1200 + desk.pk * 10),
            note="Demo",
        )
        done += 1
    return done
