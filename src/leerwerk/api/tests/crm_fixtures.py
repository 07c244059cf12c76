"""Fixtures for the CRM API tests (imported by the test_crm_* modules).

Every object is made through the services, by a desk manager of its desk, so the data is what
the application itself would hold: a client, an employer with a contact person, a new intake
request, an open trajectory and a contact moment on it, at desk A (Rijnmond) and desk B
(Groningen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.clients import services as client_services
from leerwerk.clients.models import Client, Employer
from leerwerk.core.constants import GlobalRole
from leerwerk.guidance import services as guidance_services
from leerwerk.guidance import vocabulary
from leerwerk.guidance.models import IntakeRequest, Registration, RegistrationType, Trajectory
from leerwerk.guidance.selectors import registration_types
from leerwerk.network.tests.factories import PartnerFactory

__all__ = ["crm_a", "crm_b", "partner_referrer", "referring_partner"]  # the fixtures


@dataclass
class DeskData:
    client: Client
    employer: Employer
    request: IntakeRequest
    trajectory: Trajectory
    registration: Registration

    def by_endpoint(self) -> dict[str, Any]:
        return {
            "staff/clients": self.client,
            "staff/employers": self.employer,
            "staff/requests": self.request,
            "staff/trajectories": self.trajectory,
            "staff/registrations": self.registration,
        }


def registration_type(code: str) -> RegistrationType:
    return registration_types().get(code=code)


def make_desk_data(
    desk: Any, actor: Any, *, postcode: str, prefix: str, kvk: str = "12345678"
) -> DeskData:
    client = client_services.client_create(
        actor=actor,
        desk=desk,
        given_name="Fatima",
        family_name=f"{prefix}Jansen",
        email=f"fatima.{prefix.lower()}@example.test",
        phone="06 12345678",
        postcode=postcode,
    )
    client_services.consent_give(actor=actor, client=client, purpose="contact")
    employer = client_services.employer_create(
        actor=actor, desk=desk, name=f"{prefix} Bouw BV", kvk_number=kvk
    )
    client_services.employer_contact_person_add(
        actor=actor, employer=employer, name="Piet de Boer", email="piet@example.test"
    )
    request = guidance_services.intake_request_register(
        actor=actor,
        desk=desk,
        channel="phone",
        theme="retraining",
        description="Ik wil omscholen naar de zorg.",
        given_name="Ahmed",
        family_name=f"{prefix}Bakker",
        phone="06 87654321",
        contact_preference="phone",
    )
    trajectory = guidance_services.trajectory_open(
        actor=actor, client=client, theme="career_advice", channel="walk_in"
    )
    registration = guidance_services.registration_create(
        actor=actor,
        desk=desk,
        type=registration_type(vocabulary.ADVICE_CONVERSATION),
        occurred_on=timezone.localdate(),
        trajectory=trajectory,
        channel="in_person",
        duration_minutes=60,
    )
    return DeskData(client, employer, request, trajectory, registration)


@pytest.fixture
def crm_a(desk_a, manager_a) -> DeskData:  # type: ignore[no-untyped-def]
    return make_desk_data(desk_a, manager_a, postcode="3011 AA", prefix="A")


@pytest.fixture
def crm_b(desk_b, manager_b) -> DeskData:  # type: ignore[no-untyped-def]
    return make_desk_data(desk_b, manager_b, postcode="9711 AA", prefix="B")


@pytest.fixture
def referring_partner(db):  # type: ignore[no-untyped-def]
    return PartnerFactory(name="UWV Rotterdam", kind="uwv")


@pytest.fixture
def partner_referrer(referring_partner):  # type: ignore[no-untyped-def]
    """A referrer of UWV: the API client of a partner organisation."""
    return UserFactory(
        email="verwijzer@uwv.example.test",
        global_role=GlobalRole.PARTNER_REFERRER,
        partner=referring_partner,
    )
