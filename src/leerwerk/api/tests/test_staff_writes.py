"""Writes through the staff API: desk managers change their own desk, through the services."""

import datetime

import pytest
from django.utils import timezone

from leerwerk.core.models import AuditEvent
from leerwerk.network.models import DeskPartnership, Location, StaffMembership
from leerwerk.network.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

NEW_LOCATION = {
    "name": "Leerwerkloket Schiedam",
    "street": "Stadserf",
    "house_number": "1",
    "postcode": "3112dm",
    "city": "Schiedam",
    "accessibility_notes": "Rolstoeltoegankelijk, lift aanwezig.",
    "hours": [
        {"kind": "opening", "weekday": 0, "opens": "09:00", "closes": "17:00"},
        {
            "kind": "walk_in",
            "weekday": 3,
            "opens": "13:00",
            "closes": "16:00",
            "note": "Zonder afspraak",
        },
    ],
}


# -- desks -------------------------------------------------------------------------------------


def test_manager_changes_desk_settings_with_the_version_read(api_client_for, manager_a, desk_a):
    client = api_client_for(manager_a)
    read = client.get(f"/api/v1/staff/desks/{desk_a.uuid}/").json()

    response = client.patch(
        f"/api/v1/staff/desks/{desk_a.uuid}/",
        {
            "version": read["version"],
            "introduction": "Gratis advies over leren en werken.",
            "service_lines": ["leerwerkadvies", "mobiliteit"],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == read["version"] + 1
    assert body["service_lines"] == ["leerwerkadvies", "mobiliteit"]
    desk_a.refresh_from_db()
    assert desk_a.introduction == "Gratis advies over leren en werken."
    assert AuditEvent.objects.filter(action="desk.update", object_uuid=desk_a.uuid).exists()


def test_desk_change_based_on_an_old_version_is_409_and_saves_nothing(
    api_client_for, manager_a, desk_a
):
    client = api_client_for(manager_a)
    old_version = desk_a.version
    first = client.patch(
        f"/api/v1/staff/desks/{desk_a.uuid}/",
        {"version": old_version, "phone": "010 123 45 67"},
        format="json",
    )
    assert first.status_code == 200

    second = client.patch(
        f"/api/v1/staff/desks/{desk_a.uuid}/",
        {"version": old_version, "phone": "010 999 99 99"},
        format="json",
    )

    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "conflict"
    assert body["detail"].startswith("Iemand anders heeft dit intussen gewijzigd.")
    desk_a.refresh_from_db()
    assert desk_a.phone == "010 123 45 67"


def test_desk_change_without_a_version_is_400(api_client_for, manager_a, desk_a):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/desks/{desk_a.uuid}/", {"phone": "010 1"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "version": ["Geef het versienummer mee van de gegevens die u hebt gelezen."]
    }


def test_desk_change_with_bad_values_gives_dutch_field_errors(api_client_for, manager_a, desk_a):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/desks/{desk_a.uuid}/",
        {"version": desk_a.version, "email": "geen-adres", "service_lines": ["bestaat-niet"]},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["email"] == ["Voer een geldig e-mailadres in."]
    assert body["fields"]["service_lines"] == ["Onbekende code: bestaat-niet."]


def test_desk_cannot_be_replaced_with_put_or_deleted(api_client_for, manager_a, desk_a):
    client = api_client_for(manager_a)

    assert client.put(f"/api/v1/staff/desks/{desk_a.uuid}/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/staff/desks/{desk_a.uuid}/").status_code == 405


# -- locations --------------------------------------------------------------------------------


def test_manager_creates_a_location_with_hours(api_client_for, manager_a, desk_a):
    response = api_client_for(manager_a).post(
        "/api/v1/staff/locations/", {"desk": str(desk_a.uuid), **NEW_LOCATION}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["postcode"] == "3112 DM"  # normalised by the service
    assert body["municipality"] == {"code": "GM0606", "name": "Schiedam"}
    assert body["version"] == 1
    assert [(h["kind"], h["weekday"]) for h in body["hours"]] == [("opening", 0), ("walk_in", 3)]
    location = Location.objects.get(uuid=body["uuid"])
    assert location.desk == desk_a
    assert location.hours.count() == 2
    assert AuditEvent.objects.filter(action="location.create", object_uuid=location.uuid).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"postcode": "12345"}, "postcode", "Vul een postcode in zoals 1234 AB."),
        (
            {"postcode": "1000 AA"},
            "postcode",
            "Deze postcode kennen we niet. Controleer de postcode.",
        ),
        ({"name": ""}, "name", "Dit veld mag niet leeg zijn."),
        (
            {"hours": [{"kind": "opening", "weekday": 0, "opens": "12:00", "closes": "09:00"}]},
            "hours",
            None,
        ),
        (
            {
                "hours": [
                    {"kind": "opening", "weekday": 0, "opens": "09:00", "closes": "12:00"},
                    {"kind": "opening", "weekday": 0, "opens": "11:00", "closes": "14:00"},
                ]
            },
            "hours",
            "maandag: twee tijden van 'Openingstijden' overlappen elkaar.",
        ),
    ],
)
def test_bad_location_input_is_400_with_a_dutch_message_on_the_field(
    api_client_for, manager_a, desk_a, change, field, message
):
    before = Location.objects.count()

    response = api_client_for(manager_a).post(
        "/api/v1/staff/locations/",
        {"desk": str(desk_a.uuid), **NEW_LOCATION, **change},
        format="json",
    )

    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert field in fields
    if message:
        assert message in fields[field]
    assert Location.objects.count() == before


def test_manager_changes_a_location_and_replaces_its_hours(api_client_for, manager_a, location_a):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/locations/{location_a.uuid}/",
        {
            "version": location_a.version,
            "phone": "010 111 22 33",
            "hours": [{"kind": "walk_in", "weekday": 4, "opens": "10:00", "closes": "12:00"}],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == location_a.version + 1
    assert [h["weekday"] for h in response.json()["hours"]] == [4]
    location_a.refresh_from_db()
    assert location_a.phone == "010 111 22 33"
    assert list(location_a.hours.values_list("weekday", flat=True)) == [4]


def test_put_replaces_the_whole_location(api_client_for, manager_a, desk_a, location_a):
    response = api_client_for(manager_a).put(
        f"/api/v1/staff/locations/{location_a.uuid}/",
        {"desk": str(desk_a.uuid), "version": location_a.version, **NEW_LOCATION},
        format="json",
    )

    assert response.status_code == 200, response.content
    location_a.refresh_from_db()
    assert (location_a.name, location_a.postcode) == ("Leerwerkloket Schiedam", "3112 DM")
    assert location_a.municipality.code == "GM0606"
    assert location_a.hours.count() == 2


def test_hours_with_a_bad_time_are_reported_per_item(api_client_for, manager_a, location_a):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/locations/{location_a.uuid}/",
        {
            "version": location_a.version,
            "hours": [
                {"kind": "opening", "weekday": 0, "opens": "09:00", "closes": "12:00"},
                {"kind": "lunch", "weekday": 9, "opens": "negen uur", "closes": "12:00"},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()["fields"]["hours"]
    assert set(errors) == {"1"}  # by position in the list
    assert set(errors["1"]) == {"kind", "weekday", "opens"}
    assert errors["1"]["opens"] == ["Vul een tijd in zoals 09:00."]
    assert location_a.hours.count() == 2


def test_patch_without_hours_keeps_them(api_client_for, manager_a, location_a):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/locations/{location_a.uuid}/",
        {"version": location_a.version, "city": "Rotterdam-Centrum"},
        format="json",
    )

    assert response.status_code == 200
    assert location_a.hours.count() == 2


def test_location_cannot_move_to_another_desk(api_client_for, manager_a, location_a, desk_b):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/locations/{location_a.uuid}/",
        {"version": location_a.version, "desk": str(desk_b.uuid)},
        format="json",
    )

    assert response.status_code == 400
    location_a.refresh_from_db()
    assert location_a.desk_id != desk_b.pk


def test_location_conflict_is_409(api_client_for, manager_a, location_a):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/locations/{location_a.uuid}/",
        {"version": location_a.version + 5, "city": "Delft"},
        format="json",
    )

    assert response.status_code == 409
    location_a.refresh_from_db()
    assert location_a.city == "Rotterdam"


def test_manager_deletes_a_location(api_client_for, manager_a, location_a):
    response = api_client_for(manager_a).delete(f"/api/v1/staff/locations/{location_a.uuid}/")

    assert response.status_code == 204
    assert not Location.objects.filter(pk=location_a.pk).exists()
    assert AuditEvent.objects.filter(action="location.delete", object_uuid=location_a.uuid).exists()


# -- advisers may read, not write -------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [
        ("staff/desks", "patch"),
        ("staff/locations", "patch"),
        ("staff/locations", "put"),
        ("staff/locations", "delete"),
        ("staff/memberships", "patch"),
        ("staff/memberships", "delete"),
        ("staff/partnerships", "delete"),
    ],
)
def test_adviser_gets_403_on_writes_to_own_desk_objects(
    api_client_for,
    adviser_a,
    desk_a,
    location_a,
    partnership_a,
    manager_a,
    endpoint,
    method,
):
    objects = {
        "staff/desks": desk_a,
        "staff/locations": location_a,
        "staff/partnerships": partnership_a,
        "staff/memberships": manager_a.memberships.get(),
    }
    obj = objects[endpoint]

    response = getattr(api_client_for(adviser_a), method)(
        f"/api/v1/{endpoint}/{obj.uuid}/",
        {"version": getattr(obj, "version", 1), "name": "Door adviseur"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "U hebt geen toestemming voor deze handeling.",
        "fields": {},
    }
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("endpoint", ["staff/locations", "staff/memberships", "staff/partnerships"])
def test_adviser_cannot_create(api_client_for, adviser_a, desk_a, endpoint):
    response = api_client_for(adviser_a).post(
        f"/api/v1/{endpoint}/", {"desk": str(desk_a.uuid), **NEW_LOCATION}, format="json"
    )

    assert response.status_code == 403


def test_manager_of_two_desks_cannot_create_at_the_desk_where_they_are_adviser(
    api_client_for, manager_a, desk_b
):
    # given the manager of A is also an adviser at B
    from leerwerk.network.tests.factories import StaffMembershipFactory

    StaffMembershipFactory(user=manager_a, desk=desk_b, role="adviser")

    response = api_client_for(manager_a).post(
        "/api/v1/staff/locations/", {"desk": str(desk_b.uuid), **NEW_LOCATION}, format="json"
    )

    assert response.status_code == 403
    assert not Location.objects.filter(desk=desk_b).exists()


# -- memberships ------------------------------------------------------------------------------


def test_manager_adds_a_new_person_to_the_team(api_client_for, manager_a, desk_a):
    partner = PartnerFactory(name="UWV", kind="uwv")

    response = api_client_for(manager_a).post(
        "/api/v1/staff/memberships/",
        {
            "desk": str(desk_a.uuid),
            "email": "Nieuwe.Collega@Example.test",
            "name": "Nieuwe Collega",
            "role": "adviser",
            "fte": "0.80",
            "start_date": str(timezone.localdate()),
            "mother_organisation": str(partner.uuid),
            "certifications": ["NOLOC"],
            "expertise_tags": ["omscholing", "evc"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["email"] == "nieuwe.collega@example.test"
    assert body["fte"] == "0.80"
    assert body["is_active"] is True
    assert body["mother_organisation"] == str(partner.uuid)
    assert body["certifications"] == ["NOLOC"]
    assert sorted(body["expertise_tags"]) == ["evc", "omscholing"]
    assert "email" not in body or body["email"] is None
    membership = StaffMembership.objects.get(uuid=body["uuid"])
    assert membership.desk == desk_a and not membership.user.has_usable_password()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"fte": "2"}, "fte", "Zorg ervoor dat deze waarde kleiner is dan of gelijk is aan 1.00."),
        ({"fte": "0"}, "fte", None),
        ({"role": "directeur"}, "role", '"directeur" is een ongeldige keuze.'),
        ({"email": "geen-adres"}, "email", "Voer een geldig e-mailadres in."),
        ({"email": ""}, "email", None),
        ({"start_date": "gisteren"}, "start_date", None),
        ({"certifications": ["Onbekend"]}, "certifications", "Onbekende code: Onbekend."),
    ],
)
def test_bad_membership_input_is_400_in_dutch(
    api_client_for, manager_a, desk_a, change, field, message
):
    before = StaffMembership.objects.count()
    payload = {
        "desk": str(desk_a.uuid),
        "email": "iemand@example.test",
        "role": "adviser",
        "fte": "0.5",
        "start_date": "2026-01-01",
        **change,
    }

    response = api_client_for(manager_a).post("/api/v1/staff/memberships/", payload, format="json")

    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert field in fields
    if message:
        assert fields[field] == [message]
    assert StaffMembership.objects.count() == before


def test_adding_someone_twice_in_the_same_period_is_refused(
    api_client_for, manager_a, adviser_a, desk_a
):
    response = api_client_for(manager_a).post(
        "/api/v1/staff/memberships/",
        {
            "desk": str(desk_a.uuid),
            "email": adviser_a.email,
            "role": "adviser",
            "fte": "0.2",
            "start_date": str(timezone.localdate()),
        },
        format="json",
    )

    assert response.status_code == 400
    assert "al een lidmaatschap" in response.json()["fields"]["non_field_errors"][0]


def test_manager_changes_fte_of_a_colleague(api_client_for, manager_a, membership_a):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/memberships/{membership_a.uuid}/",
        {"version": membership_a.version, "fte": "0.40"},
        format="json",
    )

    assert response.status_code == 200, response.content
    membership_a.refresh_from_db()
    assert str(membership_a.fte) == "0.40"
    assert response.json()["version"] == membership_a.version


def test_email_of_a_member_cannot_be_changed_through_the_membership(
    api_client_for, manager_a, membership_a
):
    response = api_client_for(manager_a).patch(
        f"/api/v1/staff/memberships/{membership_a.uuid}/",
        {"version": membership_a.version, "email": "ander@example.test"},
        format="json",
    )

    assert response.status_code == 400
    assert membership_a.user.email == "adviseur.a@example.test"


def test_delete_ends_the_membership_and_the_access(api_client_for, manager_a, adviser_a):
    membership = adviser_a.memberships.get()
    adviser_client = api_client_for(adviser_a)
    assert adviser_client.get("/api/v1/staff/desks/").json()["count"] == 1

    response = api_client_for(manager_a).delete(f"/api/v1/staff/memberships/{membership.uuid}/")

    assert response.status_code == 204
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate()
    # still listed with include_ended, hidden from the default list from tomorrow on
    listed = api_client_for(manager_a).get("/api/v1/staff/memberships/", {"include_ended": "true"})
    assert str(membership.uuid) in {m["uuid"] for m in listed.json()["results"]}


def test_ending_a_membership_that_has_not_started_is_400(api_client_for, manager_a, desk_a):
    from leerwerk.network.tests.factories import StaffMembershipFactory

    future = StaffMembershipFactory(
        desk=desk_a, start_date=timezone.localdate() + datetime.timedelta(days=30)
    )

    response = api_client_for(manager_a).delete(f"/api/v1/staff/memberships/{future.uuid}/")

    assert response.status_code == 400
    assert response.json()["fields"]["non_field_errors"] == [
        "De einddatum kan niet voor de begindatum liggen."
    ]
    future.refresh_from_db()
    assert future.end_date is None


def test_ending_with_an_old_version_is_409(api_client_for, manager_a, membership_a):
    response = api_client_for(manager_a).delete(
        f"/api/v1/staff/memberships/{membership_a.uuid}/?version={membership_a.version + 1}"
    )

    assert response.status_code == 409
    membership_a.refresh_from_db()
    assert membership_a.end_date is None


def test_ended_memberships_are_hidden_unless_asked_for(api_client_for, manager_a, desk_a):
    from leerwerk.network.tests.factories import StaffMembershipFactory

    today = timezone.localdate()
    old = StaffMembershipFactory(
        desk=desk_a,
        start_date=today - datetime.timedelta(days=100),
        end_date=today - datetime.timedelta(days=10),
    )
    client = api_client_for(manager_a)

    default = {m["uuid"] for m in client.get("/api/v1/staff/memberships/").json()["results"]}
    everything = {
        m["uuid"]
        for m in client.get("/api/v1/staff/memberships/", {"include_ended": "true"}).json()[
            "results"
        ]
    }

    assert str(old.uuid) not in default
    assert str(old.uuid) in everything


# -- partnerships -----------------------------------------------------------------------------


def test_manager_links_an_existing_and_a_new_partner(api_client_for, manager_a, desk_a):
    client = api_client_for(manager_a)
    existing = PartnerFactory(name="Albeda", kind="college")

    linked = client.post(
        "/api/v1/staff/partnerships/",
        {"desk": str(desk_a.uuid), "partner_uuid": str(existing.uuid), "is_core": True},
        format="json",
    )
    new = client.post(
        "/api/v1/staff/partnerships/",
        {
            "desk": str(desk_a.uuid),
            "new_partner_name": "Gemeente Rotterdam",
            "new_partner_kind": "municipality",
            "new_partner_municipality": "GM0599",
        },
        format="json",
    )

    assert linked.status_code == 201, linked.content
    assert linked.json()["partner"]["uuid"] == str(existing.uuid)
    assert linked.json()["is_core"] is True
    assert new.status_code == 201, new.content
    assert new.json()["partner"]["municipality"] == {"code": "GM0599", "name": "Rotterdam"}
    assert DeskPartnership.objects.filter(desk=desk_a).count() == 2


def test_linking_the_same_partner_twice_is_400(api_client_for, manager_a, partnership_a):
    response = api_client_for(manager_a).post(
        "/api/v1/staff/partnerships/",
        {"desk": str(partnership_a.desk.uuid), "partner_uuid": str(partnership_a.partner.uuid)},
        format="json",
    )

    assert response.status_code == 400
    assert "is al partner van dit loket" in response.json()["fields"]["non_field_errors"][0]


def test_linking_without_a_partner_is_400(api_client_for, manager_a, desk_a):
    response = api_client_for(manager_a).post(
        "/api/v1/staff/partnerships/", {"desk": str(desk_a.uuid)}, format="json"
    )

    assert response.status_code == 400


def test_manager_unlinks_a_partner(api_client_for, manager_a, partnership_a):
    response = api_client_for(manager_a).delete(f"/api/v1/staff/partnerships/{partnership_a.uuid}/")

    assert response.status_code == 204
    assert not DeskPartnership.objects.filter(pk=partnership_a.pk).exists()
