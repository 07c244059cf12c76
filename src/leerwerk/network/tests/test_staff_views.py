"""The staff pages through HTTP: what each role sees, the happy paths of every write, the audit
of team lists, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.core.constants import DeskRole
from leerwerk.core.models import AuditEvent
from leerwerk.network.constants import HoursKind, PartnerKind
from leerwerk.network.models import (
    Certification,
    Desk,
    DeskPartnership,
    ExpertiseTag,
    Location,
    OpeningHours,
    Partner,
    ServiceLine,
    StaffMembership,
)
from leerwerk.network.tests.factories import (
    DeskFactory,
    DeskPartnershipFactory,
    LocationFactory,
    OpeningHoursFactory,
    PartnerFactory,
    StaffMembershipFactory,
)

TODAY = timezone.localdate


def url(name: str, obj=None) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, args=[obj.uuid]) if obj is not None else reverse(name)


def membership_of(user, desk) -> StaffMembership:  # type: ignore[no-untyped-def]
    return StaffMembership.objects.get(user=user, desk=desk)


def hours_management(total: int, initial: int = 0) -> dict[str, str]:
    return {
        "tijden-TOTAL_FORMS": str(total),
        "tijden-INITIAL_FORMS": str(initial),
        "tijden-MIN_NUM_FORMS": "0",
        "tijden-MAX_NUM_FORMS": "50",
    }


def location_post(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Leerwerkloket Zuid (test)",
        "street": "Testlaan",
        "house_number": "12",
        "postcode": "3011ad",
        "city": "Rotterdam",
        "phone": "",
        "email": "",
        "accessibility_notes": "Lift aanwezig",
        "is_public": "on",
        **hours_management(2),
        "tijden-0-kind": HoursKind.WALK_IN,
        "tijden-0-weekday": "1",
        "tijden-0-opens": "09:30",
        "tijden-0-closes": "12:00",
        "tijden-0-note": "Zonder afspraak",
        "tijden-1-kind": "",
        "tijden-1-weekday": "",
        "tijden-1-opens": "",
        "tijden-1-closes": "",
        "tijden-1-note": "",
    }
    data.update(overrides)
    return data


# -- start page --------------------------------------------------------------------------------


def test_start_page_of_adviser_links_to_their_desk_only(client_for, adviser_a, desk_a, desk_b):
    # given an adviser of desk A
    # when they open the start page
    response = client_for(adviser_a).get(url("staff:home"))
    # then they see desk A with its pages, not desk B and no management links
    html = response.content.decode()
    assert response.status_code == 200
    assert url("staff:desk_detail", desk_a) in html
    assert url("staff:team_list", desk_a) in html
    assert url("staff:desk_detail", desk_b) not in html
    assert url("staff:desk_settings", desk_a) not in html
    assert url("staff:national_overview") not in html


def test_start_page_of_brigade_adviser_lists_every_desk_they_work_at(
    client_for, adviser_a, desk_a, desk_b
):
    # given an adviser of desk A who is also deployed at desk B
    StaffMembershipFactory(user=adviser_a, desk=desk_b, role=DeskRole.ADVISER)
    # when they open the start page
    html = client_for(adviser_a).get(url("staff:home")).content.decode()
    # then both desks are listed
    assert url("staff:desk_detail", desk_a) in html
    assert url("staff:desk_detail", desk_b) in html


def test_start_page_of_manager_has_management_links(client_for, manager_a, desk_a):
    html = client_for(manager_a).get(url("staff:home")).content.decode()
    for name in ("staff:desk_settings", "staff:membership_create", "staff:partnership_add"):
        assert url(name, desk_a) in html
    assert f"{url('staff:desk_detail', desk_a)}#vestigingen" in html


def test_start_page_of_national_team_links_to_overview(client_for, national_user):
    html = client_for(national_user).get(url("staff:home")).content.decode()
    assert url("staff:national_overview") in html
    assert reverse("admin:index") not in html
    assert "geen actieve rol" not in html


def test_start_page_of_ministry_shows_national_totals(client_for, ministry_user, manager_a, desk_a):
    # given one manager (0.60 fte) and one location in the whole network
    LocationFactory(desk=desk_a)
    # when the ministry viewer opens the start page
    response = client_for(ministry_user).get(url("staff:home"))
    # then the totals are there, and no names
    totals = response.context["totals"]
    assert totals.desks == Desk.objects.count()
    assert totals.people == 1
    assert totals.fte == Decimal("0.60")
    assert totals.locations == 1
    html = response.content.decode()
    assert manager_a.name not in html
    assert manager_a.email not in html
    assert url("staff:national_overview") in html


def test_start_page_of_administrator_links_to_admin_and_overview(client_for, admin_user):
    html = client_for(admin_user).get(url("staff:home")).content.decode()
    assert reverse("admin:index") in html
    assert url("staff:national_overview") in html


def test_start_page_without_role_explains_who_to_ask(client_for, desk_a):
    # given a logged-in user without any role
    user = UserFactory(email="zonder.rol@example.test")
    # when they open the start page
    response = client_for(user).get(url("staff:home"))
    # then they get a friendly explanation and no desk data
    html = response.content.decode()
    assert response.status_code == 200
    assert "U heeft geen actieve rol bij een loket" in html
    assert "projectleider" in html
    assert url("staff:desk_detail", desk_a) not in html


# -- national overview -------------------------------------------------------------------------


def test_national_overview_shows_figures_per_desk_and_totals(
    client_for, national_user, desk_a, desk_b, manager_a, adviser_a, adviser_b
):
    # given staff at desks A and B and a location at A
    LocationFactory(desk=desk_a)
    # when the national team opens the overview
    response = client_for(national_user).get(url("staff:national_overview"))
    # then every desk has a row, with its counts, and the totals add up
    assert response.status_code == 200
    by_desk = {f.desk.pk: f for f in response.context["figures"]}
    assert len(by_desk) == Desk.objects.count()
    assert (by_desk[desk_a.pk].staff_count, by_desk[desk_a.pk].managers) == (2, 1)
    assert by_desk[desk_a.pk].fte == Decimal("1.20")
    assert by_desk[desk_a.pk].locations == 1
    assert by_desk[desk_b.pk].advisers == 1
    totals = response.context["totals"]
    assert (totals.staff_count, totals.advisers, totals.managers) == (3, 2, 1)
    assert totals.fte == Decimal("1.80")
    html = response.content.decode()
    assert "<caption" in html
    assert "Totaal" in html


def test_national_overview_sorts_by_fte_descending(
    client_for, national_user, desk_a, desk_b, adviser_a, manager_a, adviser_b
):
    response = client_for(national_user).get(
        url("staff:national_overview"), {"sorteer": "fte", "volgorde": "af"}
    )
    figures = response.context["figures"]
    assert [f.desk.pk for f in figures[:2]] == [desk_a.pk, desk_b.pk]
    assert 'aria-sort="descending"' in response.content.decode()


def test_national_overview_counts_a_person_at_two_desks_once(
    client_for, national_user, adviser_a, desk_b
):
    StaffMembershipFactory(user=adviser_a, desk=desk_b)
    response = client_for(national_user).get(url("staff:national_overview"))
    assert response.context["totals"].staff_count == 2
    assert response.context["totals"].people == 1


@pytest.mark.parametrize("actor", ["adviser_a", "manager_a"])
def test_national_overview_is_refused_to_desk_staff(request, db, client_for, actor):
    user = request.getfixturevalue(actor)
    assert client_for(user).get(url("staff:national_overview")).status_code == 403


# -- desk page ---------------------------------------------------------------------------------


def test_desk_page_shows_region_contact_service_lines_locations_and_partners(
    client_for, adviser_a, desk_a
):
    # given a desk with contact data, a location with walk-in hours and a partner
    desk_a.email = "info@rijnmond.example.test"
    desk_a.save()
    desk_a.service_lines.set(ServiceLine.objects.filter(code="mobiliteit"))
    location = LocationFactory(desk=desk_a, name="Vestiging Centrum")
    OpeningHoursFactory(location=location, weekday=2, note="Zonder afspraak")
    DeskPartnershipFactory(
        desk=desk_a, partner=PartnerFactory(name="UWV", kind="uwv"), is_core=True
    )
    # when an adviser opens the desk page
    response = client_for(adviser_a).get(url("staff:desk_detail", desk_a))
    # then everything is on it
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Rijnmond",
        "info@rijnmond.example.test",
        "Mobiliteitsondersteuning",
        "Vestiging Centrum",
        "woensdag",
        "09:00–12:00",
        "Zonder afspraak",
        "UWV",
        "kernpartner",
    ):
        assert text in html, text


def test_desk_page_shows_team_names_to_colleagues_and_records_access(
    client_for, adviser_a, manager_a, desk_a
):
    response = client_for(adviser_a).get(url("staff:desk_detail", desk_a))
    html = response.content.decode()
    assert manager_a.name in html
    assert AuditEvent.objects.filter(
        actor=adviser_a, action="membership.list", desk_id=desk_a.pk
    ).exists()


def test_desk_page_hides_management_links_from_adviser(client_for, adviser_a, desk_a):
    location = LocationFactory(desk=desk_a)
    html = client_for(adviser_a).get(url("staff:desk_detail", desk_a)).content.decode()
    assert url("staff:location_edit", location) not in html
    assert url("staff:desk_settings", desk_a) not in html
    assert url("staff:location_create", desk_a) not in html


def test_desk_page_shows_management_links_to_manager(client_for, manager_a, desk_a):
    location = LocationFactory(desk=desk_a)
    html = client_for(manager_a).get(url("staff:desk_detail", desk_a)).content.decode()
    assert url("staff:location_edit", location) in html
    assert url("staff:location_delete", location) in html
    assert url("staff:desk_settings", desk_a) in html
    assert url("staff:location_create", desk_a) in html


# -- desk settings -----------------------------------------------------------------------------


def test_manager_changes_desk_settings_and_service_lines(client_for, manager_a, desk_a):
    # given the settings page as loaded by the manager
    client = client_for(manager_a)
    form = client.get(url("staff:desk_settings", desk_a)).context["form"]
    lines = list(ServiceLine.objects.filter(code__in=["leerwerkadvies", "mobiliteit"]))
    # when they change the name, the service lines and the e-mail address
    response = client.post(
        url("staff:desk_settings", desk_a),
        {
            "version": form.initial["version"],
            "display_name": "Werkcentrum Rijnmond",
            "organisation_kind": "werkcentrum",
            "service_lines": [line.pk for line in lines],
            "email": "werkcentrum@example.test",
            "phone": "010 000 0000",
            "website": "https://werkcentrum.example.test",
            "introduction": "Wij helpen u.",
            "is_published": "on",
        },
    )
    # then the desk is saved and the manager returns to the desk page
    assert response.status_code == 302
    assert response["Location"] == url("staff:desk_detail", desk_a)
    desk_a.refresh_from_db()
    assert desk_a.display_name == "Werkcentrum Rijnmond"
    assert desk_a.organisation_kind == "werkcentrum"
    assert set(desk_a.service_lines.all()) == set(lines)
    assert desk_a.version == form.initial["version"] + 1


# -- locations ---------------------------------------------------------------------------------


def test_manager_creates_location_with_walk_in_hours(client_for, manager_a, desk_a):
    response = client_for(manager_a).post(url("staff:location_create", desk_a), location_post())
    assert response.status_code == 302
    location = Location.objects.get(desk=desk_a, name="Leerwerkloket Zuid (test)")
    assert location.postcode == "3011 AD"
    assert location.municipality.name == "Rotterdam"
    hours = list(location.hours.all())
    assert len(hours) == 1
    assert (hours[0].kind, hours[0].weekday, hours[0].opens) == (
        HoursKind.WALK_IN,
        1,
        datetime.time(9, 30),
    )


def test_location_edit_form_shows_existing_hours_plus_an_empty_row(client_for, manager_a, desk_a):
    location = LocationFactory(desk=desk_a)
    OpeningHoursFactory(location=location)
    OpeningHoursFactory(location=location, weekday=3)
    response = client_for(manager_a).get(url("staff:location_edit", location))
    assert response.status_code == 200
    assert len(response.context["hours"].forms) == 3
    assert 'name="tijden-TOTAL_FORMS" value="3"' in response.content.decode()


def test_manager_edits_location_and_removes_one_hours_row(client_for, manager_a, desk_a):
    # given a location with two walk-in hours
    location = LocationFactory(desk=desk_a, postcode="3011 AD")
    OpeningHoursFactory(location=location, weekday=1)
    OpeningHoursFactory(location=location, weekday=3)
    # when the manager renames it, removes Tuesday and adds Friday opening hours
    data = location_post(
        name="Nieuwe naam",
        version=str(location.version),
        **hours_management(3, initial=2),
        **{
            "tijden-0-kind": HoursKind.WALK_IN,
            "tijden-0-weekday": "1",
            "tijden-0-opens": "09:00",
            "tijden-0-closes": "12:00",
            "tijden-0-DELETE": "on",
            "tijden-1-kind": HoursKind.WALK_IN,
            "tijden-1-weekday": "3",
            "tijden-1-opens": "09:00",
            "tijden-1-closes": "12:00",
            "tijden-1-note": "",
            "tijden-2-kind": HoursKind.OPENING,
            "tijden-2-weekday": "4",
            "tijden-2-opens": "13:00",
            "tijden-2-closes": "17:00",
            "tijden-2-note": "",
        },
    )
    response = client_for(manager_a).post(url("staff:location_edit", location), data)
    # then the location has Thursday walk-in and Friday opening hours only
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.name == "Nieuwe naam"
    rows = sorted((h.kind, h.weekday) for h in location.hours.all())
    assert rows == [(HoursKind.OPENING, 4), (HoursKind.WALK_IN, 3)]


def test_add_row_shows_one_more_row_keeps_input_and_saves_nothing(client_for, manager_a, desk_a):
    # given a half-filled new location
    data = location_post(name="Nog niet opgeslagen", rij_toevoegen="1")
    # when the manager clicks "Tijd toevoegen" (without JavaScript)
    response = client_for(manager_a).post(url("staff:location_create", desk_a), data)
    # then the same page comes back with the input kept and one more row, and nothing is saved
    assert response.status_code == 200
    assert len(response.context["hours"].forms) == 3
    html = response.content.decode()
    assert 'value="Nog niet opgeslagen"' in html
    assert 'value="09:30"' in html
    assert "Controleer" not in html  # no error summary for an unfinished form
    assert not Location.objects.filter(name="Nog niet opgeslagen").exists()


def test_add_row_works_with_htmx_too(client_for, manager_a, desk_a):
    data = location_post(rij_toevoegen="1")
    response = client_for(manager_a).post(
        url("staff:location_create", desk_a), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="tijden"' in response.content.decode()
    assert len(response.context["hours"].forms) == 3


def test_manager_deletes_location_after_confirmation(client_for, manager_a, desk_a):
    location = LocationFactory(desk=desk_a)
    OpeningHoursFactory(location=location)
    client = client_for(manager_a)
    # the GET only asks for confirmation
    confirm = client.get(url("staff:location_delete", location))
    assert confirm.status_code == 200
    assert Location.objects.filter(pk=location.pk).exists()
    # the POST deletes, with its hours
    response = client.post(url("staff:location_delete", location))
    assert response.status_code == 302
    assert not Location.objects.filter(pk=location.pk).exists()
    assert not OpeningHours.objects.filter(location_id=location.pk).exists()


# -- team --------------------------------------------------------------------------------------


def test_team_list_shows_the_team_and_records_an_audit_event(
    client_for, adviser_a, manager_a, desk_a
):
    # given a certified adviser with expertise seconded by UWV
    membership = membership_of(adviser_a, desk_a)
    membership.mother_organisation = PartnerFactory(name="UWV", kind=PartnerKind.UWV)
    membership.save()
    membership.certifications.set(Certification.objects.filter(name="NOLOC"))
    membership.expertise_tags.set(ExpertiseTag.objects.filter(slug="omscholing"))
    # when the manager opens the team list
    response = client_for(manager_a).get(url("staff:team_list", desk_a))
    # then the columns are filled and the access is audited
    html = response.content.decode()
    assert response.status_code == 200
    for text in (adviser_a.name, adviser_a.email, "Adviseur", "0,60", "UWV", "NOLOC", "Omscholing"):
        assert text in html, text
    assert url("staff:membership_edit", membership) in html
    event = AuditEvent.objects.get(actor=manager_a, action="membership.list")
    assert event.object_type == "network.staffmembership"
    assert event.desk_id == desk_a.pk


def test_team_list_hides_ended_memberships_unless_asked(
    client_for, adviser_a, ended_adviser_a, desk_a
):
    client = client_for(adviser_a)
    current = client.get(url("staff:team_list", desk_a)).content.decode()
    assert ended_adviser_a.email not in current
    everyone = client.get(url("staff:team_list", desk_a), {"ook_beeindigd": "1"}).content.decode()
    assert ended_adviser_a.email in everyone
    assert "beëindigd" in everyone


def test_team_list_for_adviser_has_no_edit_links(client_for, adviser_a, manager_a, desk_a):
    html = client_for(adviser_a).get(url("staff:team_list", desk_a)).content.decode()
    assert manager_a.email in html
    assert url("staff:membership_edit", membership_of(manager_a, desk_a)) not in html
    assert url("staff:membership_create", desk_a) not in html


def test_team_list_is_paginated(client_for, manager_a, desk_a):
    StaffMembershipFactory.create_batch(30, desk=desk_a)
    client = client_for(manager_a)
    first = client.get(url("staff:team_list", desk_a))
    assert len(first.context["page"].object_list) == 25
    assert "pagina=2" in first.content.decode()
    second = client.get(url("staff:team_list", desk_a), {"pagina": "2"})
    assert len(second.context["page"].object_list) == 6


def test_manager_adds_new_person_to_the_team(client_for, manager_a, desk_a):
    # given a partner of the desk and the reference lists
    uwv = DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="UWV", kind="uwv"))
    noloc = Certification.objects.get(name="NOLOC")
    tag = ExpertiseTag.objects.get(slug="financiering")
    # when the manager adds a new colleague
    response = client_for(manager_a).post(
        url("staff:membership_create", desk_a),
        {
            "email": "Nieuwe.Collega@Example.test",
            "name": "Nina Nieuw (test)",
            "role": DeskRole.ADVISER,
            "fte": "0,6",
            "mother_organisation": str(uwv.partner.uuid),
            "start_date": TODAY().isoformat(),
            "end_date": "",
            "certifications": [noloc.pk],
            "expertise_tags": [tag.pk],
        },
    )
    # then an account and a membership exist
    assert response.status_code == 302
    assert response["Location"] == url("staff:team_list", desk_a)
    membership = StaffMembership.objects.get(desk=desk_a, user__email="nieuwe.collega@example.test")
    assert membership.fte == Decimal("0.60")
    assert membership.mother_organisation == uwv.partner
    assert list(membership.certifications.all()) == [noloc]
    assert list(membership.expertise_tags.all()) == [tag]
    assert not membership.user.has_usable_password()


def test_mother_organisation_lists_desk_partners_first(client_for, manager_a, desk_a):
    own = DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="Zeta roc")).partner
    other = PartnerFactory(name="Alfa gemeente")
    html = client_for(manager_a).get(url("staff:membership_create", desk_a)).content.decode()
    assert "Partners van dit loket" in html
    assert html.index(str(own.uuid)) < html.index(str(other.uuid))


def test_manager_edits_membership(client_for, manager_a, adviser_a, desk_a):
    membership = membership_of(adviser_a, desk_a)
    client = client_for(manager_a)
    form = client.get(url("staff:membership_edit", membership)).context["form"]
    assert form.initial["fte"] == Decimal("0.60")
    response = client.post(
        url("staff:membership_edit", membership),
        {
            "version": membership.version,
            "role": DeskRole.DESK_MANAGER,
            "fte": "0,8",
            "mother_organisation": "",
            "start_date": membership.start_date.isoformat(),
            "end_date": "",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.fte) == (DeskRole.DESK_MANAGER, Decimal("0.80"))


def test_manager_ends_membership_default_today(client_for, manager_a, adviser_a, desk_a):
    membership = membership_of(adviser_a, desk_a)
    client = client_for(manager_a)
    form = client.get(url("staff:membership_end", membership)).context["form"]
    assert form.initial["end_date"] == TODAY()
    response = client.post(
        url("staff:membership_end", membership),
        {"version": membership.version, "end_date": TODAY().isoformat()},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == TODAY()


def test_ended_adviser_loses_access_the_day_after(client_for, manager_a, adviser_a, desk_a):
    membership = membership_of(adviser_a, desk_a)
    yesterday = TODAY() - datetime.timedelta(days=1)
    client_for(manager_a).post(
        url("staff:membership_end", membership),
        {"version": membership.version, "end_date": yesterday.isoformat()},
    )
    assert client_for(adviser_a).get(url("staff:desk_detail", desk_a)).status_code == 404


# -- partners ----------------------------------------------------------------------------------


def test_partner_list_shows_partners(client_for, adviser_a, desk_a):
    DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="Roc Testland"), note="BBL")
    response = client_for(adviser_a).get(url("staff:partner_list", desk_a))
    html = response.content.decode()
    assert "Roc Testland" in html
    assert "BBL" in html


def test_manager_adds_existing_partner(client_for, manager_a, desk_a):
    partner = PartnerFactory(name="Gemeente Testdam", kind=PartnerKind.MUNICIPALITY)
    response = client_for(manager_a).post(
        url("staff:partnership_add", desk_a),
        {"partner": str(partner.uuid), "is_core": "on", "note": "Centrumgemeente"},
    )
    assert response.status_code == 302
    link = DeskPartnership.objects.get(desk=desk_a, partner=partner)
    assert link.is_core
    assert link.note == "Centrumgemeente"


def test_manager_adds_new_partner(client_for, manager_a, desk_a):
    response = client_for(manager_a).post(
        url("staff:partnership_add", desk_a),
        {"new_partner_name": "Bibliotheek Testdam", "new_partner_kind": PartnerKind.OTHER},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Bibliotheek Testdam", kind=PartnerKind.OTHER)
    assert DeskPartnership.objects.filter(desk=desk_a, partner=partner, is_core=False).exists()


def test_partner_add_form_offers_only_partners_not_yet_linked(client_for, manager_a, desk_a):
    linked = DeskPartnershipFactory(
        desk=desk_a, partner=PartnerFactory(name="Al gekoppeld")
    ).partner
    free = PartnerFactory(name="Nog niet gekoppeld")
    html = client_for(manager_a).get(url("staff:partnership_add", desk_a)).content.decode()
    assert str(free.uuid) in html
    assert str(linked.uuid) not in html


def test_manager_removes_partner_after_confirmation(client_for, manager_a, desk_a):
    link = DeskPartnershipFactory(desk=desk_a)
    client = client_for(manager_a)
    assert client.get(url("staff:partnership_remove", link)).status_code == 200
    assert DeskPartnership.objects.filter(pk=link.pk).exists()
    response = client.post(url("staff:partnership_remove", link))
    assert response.status_code == 302
    assert not DeskPartnership.objects.filter(pk=link.pk).exists()
    assert Partner.objects.filter(pk=link.partner_id).exists()


# -- administrator -----------------------------------------------------------------------------


def test_administrator_sees_team_of_any_desk(client_for, admin_user, adviser_b, desk_b):
    response = client_for(admin_user).get(url("staff:team_list", desk_b))
    assert response.status_code == 200
    assert adviser_b.email in response.content.decode()


# -- query counts ------------------------------------------------------------------------------


def _queries(client, path: str, data=None) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow_desk(desk: Desk, n: int) -> None:
    certs = list(Certification.objects.all())
    tags = list(ExpertiseTag.objects.all())
    partner = PartnerFactory(name="UWV", kind=PartnerKind.UWV)
    for membership in StaffMembershipFactory.create_batch(
        n, desk=desk, mother_organisation=partner
    ):
        membership.certifications.set(certs)
        membership.expertise_tags.set(tags)
    for location in LocationFactory.create_batch(n // 3, desk=desk):
        OpeningHoursFactory(location=location)
        OpeningHoursFactory(location=location, kind=HoursKind.OPENING, weekday=4)
    for _ in range(n // 3):
        DeskPartnershipFactory(desk=desk)


def test_team_list_query_count_does_not_grow(
    client_for, manager_a, desk_a, django_assert_max_num_queries
):
    client = client_for(manager_a)
    path = url("staff:team_list", desk_a)
    _grow_desk(desk_a, 3)
    small = _queries(client, path, {"ook_beeindigd": "1"})
    _grow_desk(desk_a, 30)
    large = _queries(client, path, {"ook_beeindigd": "1"})
    assert large == small
    with django_assert_max_num_queries(12):
        client.get(path)


def test_desk_page_query_count_does_not_grow(
    client_for, manager_a, desk_a, django_assert_max_num_queries
):
    client = client_for(manager_a)
    path = url("staff:desk_detail", desk_a)
    _grow_desk(desk_a, 3)
    small = _queries(client, path)
    _grow_desk(desk_a, 30)
    large = _queries(client, path)
    assert large == small
    with django_assert_max_num_queries(18):
        client.get(path)


def test_national_overview_query_count_does_not_grow(
    client_for, national_user, desk_a, django_assert_max_num_queries
):
    client = client_for(national_user)
    path = url("staff:national_overview")
    _grow_desk(desk_a, 3)
    small = _queries(client, path)
    for desk in DeskFactory.create_batch(10):
        _grow_desk(desk, 3)
    _grow_desk(desk_a, 30)
    large = _queries(client, path)
    assert large == small
    with django_assert_max_num_queries(9):
        client.get(path)


def test_partner_list_query_count_does_not_grow(client_for, manager_a, desk_a):
    client = client_for(manager_a)
    path = url("staff:partner_list", desk_a)
    _grow_desk(desk_a, 3)
    small = _queries(client, path)
    _grow_desk(desk_a, 30)
    assert _queries(client, path) == small
