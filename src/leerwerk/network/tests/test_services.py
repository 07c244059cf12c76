"""Rules enforced by the network services, whoever calls them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerwerk.core.constants import DeskRole
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.network import services
from leerwerk.network.constants import HoursKind
from leerwerk.network.demo import load_demo_data
from leerwerk.network.models import Desk, Location, OpeningHours, StaffMembership
from leerwerk.network.tests.factories import LocationFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def hours(day=1, opens=(9, 0), closes=(12, 0), kind=HoursKind.WALK_IN):
    return {
        "kind": kind,
        "weekday": day,
        "opens": datetime.time(*opens),
        "closes": datetime.time(*closes),
    }


def location_values(**overrides):
    values = {
        "name": "Vestiging Centrum",
        "street": "Coolsingel",
        "house_number": "40",
        "postcode": "3011ad",
        "city": "Rotterdam",
    }
    return {**values, **overrides}


def test_location_create_normalises_postcode_and_derives_municipality(manager_a, desk_a):
    location = services.location_create(
        actor=manager_a, desk=desk_a, hours=[hours()], **location_values()
    )
    assert location.postcode == "3011 AD"
    assert location.municipality.name == "Rotterdam"
    assert location.hours.count() == 1
    assert AuditEvent.objects.filter(action="location.create", object_uuid=location.uuid).exists()


def test_location_with_unknown_postcode_is_refused_and_not_saved(manager_a, desk_a):
    with pytest.raises(ValidationError) as error:
        services.location_create(
            actor=manager_a, desk=desk_a, **location_values(postcode="1000 AA")
        )
    assert "Deze postcode kennen we niet" in str(error.value)
    assert not Location.objects.filter(desk=desk_a).exists()


def test_overlapping_walk_in_hours_are_refused_and_nothing_is_saved(manager_a, desk_a):
    with pytest.raises(ValidationError, match="overlappen"):
        services.location_create(
            actor=manager_a,
            desk=desk_a,
            hours=[hours(opens=(9, 0), closes=(12, 0)), hours(opens=(11, 0), closes=(13, 0))],
            **location_values(),
        )
    assert not Location.objects.filter(desk=desk_a).exists()
    assert not OpeningHours.objects.exists()


def test_hours_ending_before_they_start_are_refused(manager_a, desk_a):
    with pytest.raises(ValidationError, match="begintijd"):
        services.location_create(
            actor=manager_a,
            desk=desk_a,
            hours=[hours(opens=(12, 0), closes=(9, 0))],
            **location_values(),
        )


def test_an_adviser_cannot_create_a_location_even_through_the_service(adviser_a, desk_a):
    with pytest.raises(PermissionDenied):
        services.location_create(actor=adviser_a, desk=desk_a, **location_values())


def test_a_manager_cannot_touch_another_desks_location(manager_a, desk_b):
    other = LocationFactory(desk=desk_b)
    with pytest.raises(PermissionDenied):
        services.location_update(
            actor=manager_a, location=other, expected_version=other.version, name="X"
        )
    with pytest.raises(PermissionDenied):
        services.location_delete(actor=manager_a, location=other)
    assert Location.objects.filter(pk=other.pk, name=other.name).exists()


def test_concurrent_edits_conflict_instead_of_overwriting(manager_a, desk_a):
    # given two people who loaded the same version of the desk
    first = Desk.objects.get(pk=desk_a.pk)
    second = Desk.objects.get(pk=desk_a.pk)
    services.desk_update(
        actor=manager_a, desk=first, expected_version=first.version, phone="010 123 4567"
    )
    # when the second saves against the old version
    with pytest.raises(ConflictError):
        services.desk_update(
            actor=manager_a, desk=second, expected_version=second.version, phone="010 999 9999"
        )
    # then the first change survives
    desk_a.refresh_from_db()
    assert desk_a.phone == "010 123 4567"
    assert desk_a.version == 2


def test_membership_create_makes_an_account_without_password(manager_a, desk_a):
    membership = services.staff_membership_create(
        actor=manager_a,
        desk=desk_a,
        email="Nieuw.Collega@Example.test",
        name="Nieuwe Collega",
        role=DeskRole.ADVISER,
        fte=Decimal("0.6"),
        start_date=TODAY(),
    )
    assert membership.user.email == "nieuw.collega@example.test"
    assert not membership.user.has_usable_password()
    assert AuditEvent.objects.filter(action="membership.create", desk_id=desk_a.pk).exists()


def test_overlapping_memberships_at_one_desk_are_refused(manager_a, adviser_a, desk_a):
    with pytest.raises(ValidationError, match="al een lidmaatschap"):
        services.staff_membership_create(
            actor=manager_a,
            desk=desk_a,
            email=adviser_a.email,
            name="",
            role=DeskRole.DESK_MANAGER,
            fte=Decimal("0.2"),
            start_date=TODAY(),
        )


@pytest.mark.parametrize("fte", ["0", "1.5", "-0.2"])
def test_fte_outside_range_is_refused(manager_a, desk_a, fte):
    with pytest.raises(ValidationError):
        services.staff_membership_create(
            actor=manager_a,
            desk=desk_a,
            email="fte@example.test",
            name="Fte Test",
            role=DeskRole.ADVISER,
            fte=Decimal(fte),
            start_date=TODAY(),
        )
    assert not StaffMembership.objects.filter(user__email="fte@example.test").exists()


def test_the_last_desk_manager_cannot_be_ended_or_demoted(manager_a, desk_a):
    membership = StaffMembership.objects.get(user=manager_a)
    with pytest.raises(ValidationError, match="minstens één actieve projectleider"):
        services.staff_membership_end(
            actor=manager_a,
            membership=membership,
            expected_version=membership.version,
            end_date=TODAY() - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="minstens één actieve projectleider"):
        services.staff_membership_update(
            actor=manager_a,
            membership=membership,
            expected_version=membership.version,
            role=DeskRole.ADVISER,
        )
    # ending today leaves the desk without a manager from tomorrow: refused as well
    with pytest.raises(ValidationError, match="minstens één actieve projectleider"):
        services.staff_membership_end(
            actor=manager_a, membership=membership, expected_version=membership.version
        )
    # with a second manager it is allowed
    StaffMembershipFactory(desk=desk_a, role=DeskRole.DESK_MANAGER)
    services.staff_membership_update(
        actor=manager_a,
        membership=membership,
        expected_version=membership.version,
        role=DeskRole.ADVISER,
    )
    membership.refresh_from_db()
    assert membership.role == DeskRole.ADVISER


def test_ending_a_membership_before_its_start_is_refused(manager_a, adviser_a):
    membership = StaffMembership.objects.get(user=adviser_a)
    with pytest.raises(ValidationError, match="einddatum"):
        services.staff_membership_end(
            actor=manager_a,
            membership=membership,
            expected_version=membership.version,
            end_date=membership.start_date - datetime.timedelta(days=1),
        )


def test_partner_added_once_per_desk(manager_a, desk_a):
    partnership = services.desk_partnership_add(
        actor=manager_a,
        desk=desk_a,
        new_partner_name="Voorbeeld Bibliotheek",
        new_partner_kind="other",
    )
    with pytest.raises(ValidationError, match="al partner"):
        services.desk_partnership_add(actor=manager_a, desk=desk_a, partner=partnership.partner)


def test_region_desks_are_ensured_without_duplicates():
    assert services.region_desks_ensure() == 0
    assert Desk.objects.values("region").distinct().count() == 35


def test_demo_data_is_idempotent_and_obviously_fake():
    first = load_demo_data()
    counts = (Desk.objects.count(), Location.objects.count(), StaffMembership.objects.count())
    second = load_demo_data()
    assert first == second
    assert (
        Desk.objects.count(),
        Location.objects.count(),
        StaffMembership.objects.count(),
    ) == counts
    assert StaffMembership.objects.count() == 12
    names = StaffMembership.objects.values_list("user__name", flat=True)
    assert all("(demo)" in name for name in names)
    assert all(login.email.endswith("@demo.leerwerk.test") for login in first)
    # every demo location lies in its desk's region
    for location in Location.objects.select_related("municipality", "desk"):
        assert location.municipality.region_id == location.desk.region_id
