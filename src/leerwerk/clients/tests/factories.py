"""Factories for clients, employers and consent. Valid by default and desk-aware: pass
``desk=`` (or a client) and everything made along with it belongs to that desk.

Factories write rows directly (no services, no audit); use the services in tests of behaviour.
"""

import datetime

import factory
from django.utils import timezone

from leerwerk.clients.constants import ConsentPurpose, ContactChannel, Sector, SizeClass
from leerwerk.clients.models import Client, Consent, Employer, EmployerContactPerson
from leerwerk.network.models import Desk, Municipality, Postcode

DEFAULT_DESK_REGION = "AM22"  # Rijnmond, the same desk as the ``desk_a`` fixture
DEFAULT_POSTCODE = "3011 AB"  # Rotterdam


def default_desk() -> Desk:
    return Desk.objects.get(region__code=DEFAULT_DESK_REGION)


def municipality_for(postcode: str) -> Municipality | None:
    if not postcode:
        return None
    found = Postcode.objects.select_related("municipality").filter(code=postcode[:4]).first()
    return found.municipality if found else None


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        skip_postgeneration_save = True

    desk = factory.LazyFunction(default_desk)
    given_name = factory.Sequence(lambda n: f"Voornaam{n}")
    family_name = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.Sequence(lambda n: f"klant{n}@example.test")
    phone = factory.Sequence(lambda n: f"06{20000000 + n}")  # canonical, as services store it
    preferred_channel = ContactChannel.EMAIL
    birth_year = 1985
    postcode = DEFAULT_POSTCODE
    municipality = factory.LazyAttribute(lambda o: municipality_for(o.postcode))

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.target_groups.set(extracted)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    desk = factory.LazyFunction(default_desk)
    name = factory.Sequence(lambda n: f"Testbedrijf {n} B.V.")
    kvk_number = factory.Sequence(lambda n: f"{50000000 + n}")
    sector = Sector.ICT
    size_class = SizeClass.SMALL


class EmployerContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerContactPerson

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Contactpersoon {n}")
    role = "HR-adviseur"
    email = factory.Sequence(lambda n: f"contact{n}@bedrijf.example.test")


class ConsentFactory(factory.django.DjangoModelFactory):
    """Current consent for a purpose. ``ConsentFactory(client__desk=desk_b)`` for another desk."""

    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    purpose = ConsentPurpose.CONTACT
    given_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    withdrawn_at = None
    follow_up_after_months = factory.LazyAttribute(
        lambda o: 6 if o.purpose == ConsentPurpose.FOLLOW_UP else None
    )
    source = "gesprek"
