"""Bad input on the staff forms: every case shows a Dutch message and saves nothing. Also the
lost-update guard: two edits from the same loaded version, the second is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.core.constants import DeskRole
from leerwerk.network.constants import HoursKind, PartnerKind
from leerwerk.network.models import DeskPartnership, Location, OpeningHours, StaffMembership
from leerwerk.network.tests.factories import (
    DeskPartnershipFactory,
    LocationFactory,
    OpeningHoursFactory,
    PartnerFactory,
    StaffMembershipFactory,
)

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


def today() -> datetime.date:
    return timezone.localdate()


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def hours_rows(*rows: tuple[str, int, str, str], initial: int = 0) -> dict[str, str]:
    data = {
        "tijden-TOTAL_FORMS": str(len(rows)),
        "tijden-INITIAL_FORMS": str(initial),
        "tijden-MIN_NUM_FORMS": "0",
        "tijden-MAX_NUM_FORMS": "50",
    }
    for index, (kind, weekday, opens, closes) in enumerate(rows):
        data.update(
            {
                f"tijden-{index}-kind": kind,
                f"tijden-{index}-weekday": str(weekday),
                f"tijden-{index}-opens": opens,
                f"tijden-{index}-closes": closes,
                f"tijden-{index}-note": "",
            }
        )
    return data


def location_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Vestiging West",
        "street": "Westblaak",
        "house_number": "1",
        "postcode": "3011 AD",
        "city": "Rotterdam",
        "is_public": "on",
        **hours_rows((HoursKind.WALK_IN, 1, "09:00", "12:00")),
    }
    data.update(overrides)
    return data


# -- locations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("12AB", "Vul een postcode in zoals 1234 AB."),
        ("0123 AB", "Vul een postcode in zoals 1234 AB."),
        ("3011", "Vul een postcode in zoals 1234 AB."),
        ("1000 AA", "Deze postcode kennen we niet."),
    ],
)
def test_invalid_postcode_is_refused_in_dutch(client_for, manager_a, desk_a, postcode, message):
    response = client_for(manager_a).post(
        reverse("staff:location_create", args=[desk_a.uuid]), location_data(postcode=postcode)
    )
    assert response.status_code == 200
    assert message in html_of(response)
    assert "Controleer uw invoer" in html_of(response)
    assert not Location.objects.filter(desk=desk_a).exists()


def test_closing_before_opening_is_refused(client_for, manager_a, desk_a):
    data = location_data(**hours_rows((HoursKind.OPENING, 0, "17:00", "09:00")))
    response = client_for(manager_a).post(
        reverse("staff:location_create", args=[desk_a.uuid]), data
    )
    assert response.status_code == 200
    assert "De eindtijd moet na de begintijd liggen." in html_of(response)
    assert "Rij 1" in html_of(response)
    assert not Location.objects.filter(desk=desk_a).exists()


def test_half_filled_hours_row_is_refused(client_for, manager_a, desk_a):
    data = location_data(**hours_rows((HoursKind.OPENING, 0, "09:00", "")))
    response = client_for(manager_a).post(
        reverse("staff:location_create", args=[desk_a.uuid]), data
    )
    assert "Vul de eindtijd in" in html_of(response)
    assert not Location.objects.filter(desk=desk_a).exists()


def test_overlapping_walk_in_hours_are_refused_and_old_hours_kept(client_for, manager_a, desk_a):
    # given a location with one walk-in slot on Tuesday
    location = LocationFactory(desk=desk_a, postcode="3011 AD")
    OpeningHoursFactory(
        location=location, weekday=1, opens=datetime.time(9), closes=datetime.time(12)
    )
    # when the manager saves two overlapping walk-in slots on Wednesday
    data = location_data(
        version=location.version,
        name="Niet opgeslagen",
        **hours_rows(
            (HoursKind.WALK_IN, 2, "09:00", "12:00"),
            (HoursKind.WALK_IN, 2, "11:00", "13:00"),
        ),
    )
    response = client_for(manager_a).post(
        reverse("staff:location_edit", args=[location.uuid]), data
    )
    # then the service's Dutch error shows and neither the location nor its hours changed
    assert response.status_code == 200
    assert "overlappen elkaar" in html_of(response)
    location.refresh_from_db()
    assert location.name != "Niet opgeslagen"
    assert list(
        OpeningHours.objects.filter(location=location).values_list("weekday", flat=True)
    ) == [1]
    assert 'value="Niet opgeslagen"' in html_of(response)  # the input is kept
    assert "Vestiging Niet opgeslagen wijzigen" not in html_of(response)


def test_opening_and_walk_in_hours_may_overlap(client_for, manager_a, desk_a):
    data = location_data(
        **hours_rows(
            (HoursKind.OPENING, 2, "09:00", "17:00"),
            (HoursKind.WALK_IN, 2, "09:00", "12:00"),
        )
    )
    response = client_for(manager_a).post(
        reverse("staff:location_create", args=[desk_a.uuid]), data
    )
    assert response.status_code == 302
    assert OpeningHours.objects.filter(location__desk=desk_a).count() == 2


def test_location_version_conflict(client_for, manager_a, desk_a):
    location = LocationFactory(desk=desk_a, postcode="3011 AD")
    client = client_for(manager_a)
    path = reverse("staff:location_edit", args=[location.uuid])
    version = client.get(path).context["form"].initial["version"]
    first = client.post(path, location_data(version=version, name="Eerste"))
    second = client.post(path, location_data(version=version, name="Tweede"))
    assert first.status_code == 302
    assert second.status_code == 200
    assert CONFLICT in html_of(second)
    location.refresh_from_db()
    assert location.name == "Eerste"


# -- desk settings -----------------------------------------------------------------------------


def settings_data(version: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "version": version,
        "display_name": "Leerwerkloket Rijnmond",
        "organisation_kind": "leerwerkloket",
        "email": "",
        "phone": "",
        "website": "",
        "introduction": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_desk_settings_version_conflict_keeps_first_edit_and_second_input(
    client_for, manager_a, desk_a, admin_user
):
    # given a desk manager and an administrator who loaded the settings at the same version
    path = reverse("staff:desk_settings", args=[desk_a.uuid])
    manager, admin = client_for(manager_a), client_for(admin_user)
    version = manager.get(path).context["form"].initial["version"]
    assert admin.get(path).context["form"].initial["version"] == version
    # when both save
    first = admin.post(path, settings_data(version, display_name="Naam van de beheerder"))
    second = manager.post(path, settings_data(version, display_name="Naam van de projectleider"))
    # then the second gets the Dutch conflict message with their input kept, the first survives
    assert first.status_code == 302
    assert second.status_code == 200
    assert CONFLICT in html_of(second)
    assert 'value="Naam van de projectleider"' in html_of(second)
    assert "Laad de actuele gegevens" in html_of(second)
    assert "Instellingen van Naam van de beheerder" in html_of(second)  # title: the saved name
    desk_a.refresh_from_db()
    assert desk_a.display_name == "Naam van de beheerder"
    assert desk_a.version == version + 1


def test_desk_settings_refuses_invalid_email_and_empty_name(client_for, manager_a, desk_a):
    name = desk_a.display_name
    response = client_for(manager_a).post(
        reverse("staff:desk_settings", args=[desk_a.uuid]),
        settings_data(desk_a.version, display_name="", email="geen-adres"),
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "Dit veld is vereist." in html
    assert "Voer een geldig e-mailadres in." in html
    desk_a.refresh_from_db()
    assert desk_a.display_name == name


def test_desk_settings_without_version_is_refused(client_for, manager_a, desk_a):
    data = settings_data(desk_a.version, display_name="Zonder versie")
    del data["version"]
    response = client_for(manager_a).post(reverse("staff:desk_settings", args=[desk_a.uuid]), data)
    assert "Laad de pagina opnieuw" in html_of(response)
    desk_a.refresh_from_db()
    assert desk_a.display_name != "Zonder versie"


# -- team --------------------------------------------------------------------------------------


def new_member(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "nieuw.lid@example.test",
        "name": "Nieuw Lid (test)",
        "role": DeskRole.ADVISER,
        "fte": "0,6",
        "mother_organisation": "",
        "start_date": today().isoformat(),
        "end_date": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("fte", "message"),
    [
        ("0", "Vul een fte in van meer dan 0 en hoogstens 1"),
        ("1.5", "Vul een fte in van meer dan 0 en hoogstens 1"),
        ("1,5", "Vul een fte in van meer dan 0 en hoogstens 1"),
        ("-0,2", "Vul een fte in van meer dan 0 en hoogstens 1"),
        ("0,555", "Gebruik hoogstens twee cijfers achter de komma."),
        ("veel", "Vul de fte in als getal"),
        ("", "Dit veld is vereist."),
    ],
)
def test_fte_out_of_range_is_refused(client_for, manager_a, desk_a, fte, message):
    before = StaffMembership.objects.count()
    response = client_for(manager_a).post(
        reverse("staff:membership_create", args=[desk_a.uuid]), new_member(fte=fte)
    )
    assert response.status_code == 200
    assert message in html_of(response)
    assert StaffMembership.objects.count() == before


@pytest.mark.parametrize(
    ("fte", "saved"), [("0,6", "0.60"), ("0.6", "0.60"), ("1", "1.00"), ("0,05", "0.05")]
)
def test_fte_accepts_dutch_comma_and_point(client_for, manager_a, desk_a, fte, saved):
    response = client_for(manager_a).post(
        reverse("staff:membership_create", args=[desk_a.uuid]), new_member(fte=fte)
    )
    assert response.status_code == 302
    membership = StaffMembership.objects.get(user__email="nieuw.lid@example.test")
    assert membership.fte == Decimal(saved)


def test_fte_is_shown_with_a_dutch_comma(client_for, manager_a, adviser_a, desk_a):
    membership = StaffMembership.objects.get(user=adviser_a, desk=desk_a)
    html = html_of(
        client_for(manager_a).get(reverse("staff:membership_edit", args=[membership.uuid]))
    )
    assert 'value="0,60"' in html


def test_end_before_start_is_refused(client_for, manager_a, desk_a):
    data = new_member(
        start_date=today().isoformat(),
        end_date=(today() - datetime.timedelta(days=1)).isoformat(),
    )
    response = client_for(manager_a).post(
        reverse("staff:membership_create", args=[desk_a.uuid]), data
    )
    assert "De einddatum kan niet voor de begindatum liggen." in html_of(response)
    assert not StaffMembership.objects.filter(user__email="nieuw.lid@example.test").exists()


def test_duplicate_membership_is_refused(client_for, manager_a, adviser_a, desk_a):
    # given an adviser who already works at desk A
    before = StaffMembership.objects.filter(desk=desk_a).count()
    # when the manager adds the same person again for an overlapping period
    response = client_for(manager_a).post(
        reverse("staff:membership_create", args=[desk_a.uuid]),
        new_member(email=adviser_a.email.upper(), name=adviser_a.name),
    )
    # then the service's Dutch message shows and nothing is added
    assert response.status_code == 200
    assert "heeft in deze periode al een lidmaatschap bij dit loket" in html_of(response)
    assert StaffMembership.objects.filter(desk=desk_a).count() == before


def test_new_membership_after_an_ended_one_is_allowed(
    client_for, manager_a, ended_adviser_a, desk_a
):
    response = client_for(manager_a).post(
        reverse("staff:membership_create", args=[desk_a.uuid]),
        new_member(email=ended_adviser_a.email, name=ended_adviser_a.name),
    )
    assert response.status_code == 302
    assert StaffMembership.objects.filter(user=ended_adviser_a, desk=desk_a).count() == 2


def test_changing_the_last_manager_into_adviser_is_refused(client_for, manager_a, desk_a):
    membership = StaffMembership.objects.get(user=manager_a, desk=desk_a)
    response = client_for(manager_a).post(
        reverse("staff:membership_edit", args=[membership.uuid]),
        {
            "version": membership.version,
            "role": DeskRole.ADVISER,
            "fte": "0,6",
            "start_date": membership.start_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Een loket houdt minstens één actieve projectleider." in html_of(response)
    membership.refresh_from_db()
    assert membership.role == DeskRole.DESK_MANAGER


def test_ending_the_last_manager_in_the_past_is_refused(client_for, admin_user, manager_a, desk_a):
    membership = StaffMembership.objects.get(user=manager_a, desk=desk_a)
    response = client_for(admin_user).post(
        reverse("staff:membership_end", args=[membership.uuid]),
        {
            "version": membership.version,
            "end_date": (today() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Een loket houdt minstens één actieve projectleider." in html_of(response)
    membership.refresh_from_db()
    assert membership.end_date is None


def test_ending_a_manager_is_allowed_when_another_remains(client_for, manager_a, desk_a):
    other = StaffMembershipFactory(desk=desk_a, role=DeskRole.DESK_MANAGER)
    membership = StaffMembership.objects.get(user=manager_a, desk=desk_a)
    response = client_for(other.user).post(
        reverse("staff:membership_end", args=[membership.uuid]),
        {
            "version": membership.version,
            "end_date": (today() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302


def test_end_date_before_start_is_refused_on_end_page(client_for, manager_a, adviser_a, desk_a):
    membership = StaffMembership.objects.get(user=adviser_a, desk=desk_a)
    response = client_for(manager_a).post(
        reverse("staff:membership_end", args=[membership.uuid]),
        {
            "version": membership.version,
            "end_date": (membership.start_date - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "De einddatum kan niet voor de begindatum liggen." in html_of(response)
    membership.refresh_from_db()
    assert membership.end_date is None


def test_membership_version_conflict(client_for, manager_a, adviser_a, desk_a, admin_user):
    membership = StaffMembership.objects.get(user=adviser_a, desk=desk_a)
    path = reverse("staff:membership_edit", args=[membership.uuid])
    manager, admin = client_for(manager_a), client_for(admin_user)
    version = manager.get(path).context["form"].initial["version"]
    data = {"version": version, "role": DeskRole.ADVISER, "start_date": membership.start_date}
    first = admin.post(path, {**data, "fte": "0,4"})
    second = manager.post(path, {**data, "fte": "0,9"})
    assert first.status_code == 302
    assert CONFLICT in html_of(second)
    assert 'value="0,9"' in html_of(second)
    membership.refresh_from_db()
    assert membership.fte == Decimal("0.40")


def test_ending_from_an_old_version_is_a_conflict(client_for, manager_a, adviser_a, desk_a):
    membership = StaffMembership.objects.get(user=adviser_a, desk=desk_a)
    client = client_for(manager_a)
    old = membership.version
    edit = client.post(
        reverse("staff:membership_edit", args=[membership.uuid]),
        {
            "version": old,
            "role": DeskRole.ADVISER,
            "fte": "0,5",
            "start_date": membership.start_date,
        },
    )
    assert edit.status_code == 302
    end = client.post(
        reverse("staff:membership_end", args=[membership.uuid]),
        {"version": old, "end_date": today().isoformat()},
    )
    assert CONFLICT in html_of(end)
    membership.refresh_from_db()
    assert membership.end_date is None


# -- partners ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies een bestaande partner of vul naam en soort van een nieuwe partner in."),
        ({"new_partner_name": "Alleen een naam"}, "Kies de soort van de nieuwe partner."),
        ({"new_partner_kind": PartnerKind.OTHER}, "Vul de naam van de nieuwe partner in."),
    ],
)
def test_partner_form_needs_a_partner(client_for, manager_a, desk_a, data, message):
    response = client_for(manager_a).post(
        reverse("staff:partnership_add", args=[desk_a.uuid]), data
    )
    assert response.status_code == 200
    assert message in html_of(response)
    assert not DeskPartnership.objects.filter(desk=desk_a).exists()


def test_partner_form_refuses_both_existing_and_new(client_for, manager_a, desk_a):
    partner = PartnerFactory(name="Bestaand")
    response = client_for(manager_a).post(
        reverse("staff:partnership_add", args=[desk_a.uuid]),
        {"partner": str(partner.uuid), "new_partner_name": "Nieuw", "new_partner_kind": "other"},
    )
    assert "niet allebei" in html_of(response)
    assert not DeskPartnership.objects.filter(desk=desk_a).exists()


def test_adding_an_already_linked_partner_by_name_is_refused(client_for, manager_a, desk_a):
    link = DeskPartnershipFactory(
        desk=desk_a, partner=PartnerFactory(name="Roc Dubbel", kind="college")
    )
    response = client_for(manager_a).post(
        reverse("staff:partnership_add", args=[desk_a.uuid]),
        {"new_partner_name": "roc dubbel", "new_partner_kind": "college"},
    )
    assert response.status_code == 200
    assert "is al partner van dit loket" in html_of(response)
    assert DeskPartnership.objects.filter(desk=desk_a).count() == 1
    assert link.partner.name in html_of(response)
