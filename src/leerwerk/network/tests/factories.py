import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.core.constants import DeskRole
from leerwerk.network.constants import HoursKind, PartnerKind
from leerwerk.network.models import (
    Desk,
    DeskPartnership,
    Location,
    OpeningHours,
    Partner,
    Region,
    StaffMembership,
)


class DeskFactory(factory.django.DjangoModelFactory):
    """An extra desk in an existing region (the reference data gives every region one)."""

    class Meta:
        model = Desk

    region = factory.LazyFunction(lambda: Region.objects.order_by("code").first())
    display_name = factory.Sequence(lambda n: f"Testloket {n}")
    slug = factory.Sequence(lambda n: f"testloket-{n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    desk = factory.SubFactory(DeskFactory)
    name = factory.Sequence(lambda n: f"Vestiging {n}")
    street = "Teststraat"
    house_number = factory.Sequence(lambda n: str(n + 1))
    postcode = "3011 AA"
    city = "Rotterdam"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    location = factory.SubFactory(LocationFactory)
    kind = HoursKind.WALK_IN
    weekday = 1
    opens = datetime.time(9, 0)
    closes = datetime.time(12, 0)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("name", "kind")

    name = factory.Sequence(lambda n: f"Testpartner {n}")
    kind = PartnerKind.OTHER


class DeskPartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeskPartnership

    desk = factory.SubFactory(DeskFactory)
    partner = factory.SubFactory(PartnerFactory)
    is_core = False


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    desk = factory.SubFactory(DeskFactory)
    role = DeskRole.ADVISER
    fte = Decimal("0.60")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = None
