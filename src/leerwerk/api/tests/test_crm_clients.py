"""Clients, consent and employers through the staff API."""

import pytest
from django.utils import timezone

from leerwerk.api.tests.crm_fixtures import *  # noqa: F403 (the CRM fixtures)
from leerwerk.clients.models import Client, Employer
from leerwerk.clients.selectors import has_consent
from leerwerk.clients.services import client_erase
from leerwerk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_CLIENT = {
    "given_name": "Sanne",
    "family_name": "de Vries",
    "email": "Sanne.deVries@Example.test",
    "phone": "010 1234567",
    "postcode": "3112dm",
    "situation": "worker",
    "education_level": "mbo_2",
    "birth_year": 1985,
}


# -- clients -----------------------------------------------------------------------------------


def test_adviser_creates_a_client_through_the_service(api_client_for, adviser_a, desk_a):
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/clients/", {"desk": str(desk_a.uuid), **NEW_CLIENT}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["postcode"] == "3112 DM"  # normalised by the service
    assert body["email"] == "sanne.devries@example.test"
    assert body["municipality"] == {"code": "GM0606", "name": "Schiedam"}
    assert body["version"] == 1
    assert body["is_erased"] is False
    client = Client.objects.get(uuid=body["uuid"])
    assert client.desk == desk_a
    assert AuditEvent.objects.filter(action="client.create", object_uuid=client.uuid).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"postcode": "12345"}, "postcode", "Vul een postcode in zoals 1234 AB."),
        (
            {"postcode": "1000 AA"},
            "postcode",
            "Deze postcode kennen we niet. Controleer de postcode.",
        ),
        (
            {"phone": "bel me"},
            "phone",
            "Vul een telefoonnummer in, bijvoorbeeld 06 12345678 of 010 1234567.",
        ),
        ({"email": "geen-adres"}, "email", "Voer een geldig e-mailadres in."),
        ({"given_name": ""}, "given_name", "Dit veld mag niet leeg zijn."),
        ({"situation": "astronaut"}, "situation", '"astronaut" is een ongeldige keuze.'),
        (
            {"birth_year": timezone.localdate().year + 1},
            "birth_year",
            f"Vul een geboortejaar in tussen 1900 en {timezone.localdate().year}.",
        ),
        (
            {"email": "", "phone": "", "preferred_channel": "email"},
            "email",
            "Vul een e-mailadres of telefoonnummer in, zodat we contact kunnen opnemen.",
        ),
        ({"target_groups": ["bestaat-niet"]}, "target_groups", "Onbekende code: bestaat-niet."),
    ],
)
def test_client_with_bad_input_gives_dutch_field_errors(
    api_client_for, adviser_a, desk_a, change, field, message
):
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/clients/", {"desk": str(desk_a.uuid), **NEW_CLIENT, **change}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert message in body["fields"][field], body
    assert not Client.objects.filter(family_name="de Vries").exists()


def test_adviser_cannot_create_a_client_at_another_desk(api_client_for, adviser_a, desk_b):
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/clients/", {"desk": str(desk_b.uuid), **NEW_CLIENT}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"]["desk"] == [
        "Dit object bestaat niet of u hebt er geen toegang toe."
    ]
    assert not Client.objects.filter(family_name="de Vries").exists()


def test_reading_a_client_is_recorded_in_the_audit_log(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).get(f"/api/v1/staff/clients/{crm_a.client.uuid}/")

    assert response.status_code == 200
    body = response.json()
    assert body["family_name"] == "AJansen"
    assert [c["purpose"] for c in body["consents"]] == ["contact"]
    event = AuditEvent.objects.get(action="client.view", object_uuid=crm_a.client.uuid)
    assert event.actor == adviser_a
    assert event.desk_id == crm_a.client.desk_id


def test_listing_clients_is_not_a_view_of_one_record(api_client_for, adviser_a, crm_a):
    api_client_for(adviser_a).get("/api/v1/staff/clients/")

    assert not AuditEvent.objects.filter(action="client.view").exists()


@pytest.mark.parametrize("query", ["ajans", "Fatima AJansen", "3011", "3011 AA", "06 12345678"])
def test_search_finds_a_client_by_name_postcode_or_phone(api_client_for, adviser_a, crm_a, query):
    other = Client.objects.create(
        desk=crm_a.client.desk, given_name="Kees", family_name="Smit", email="kees@example.test"
    )

    response = api_client_for(adviser_a).get("/api/v1/staff/clients/", {"q": query})

    uuids = [item["uuid"] for item in response.json()["results"]]
    assert uuids == [str(crm_a.client.uuid)]
    assert str(other.uuid) not in uuids


def test_change_with_the_version_read_and_a_stale_version_gives_409(
    api_client_for, adviser_a, crm_a
):
    client = api_client_for(adviser_a)
    url = f"/api/v1/staff/clients/{crm_a.client.uuid}/"
    read = client.get(url).json()

    first = client.patch(url, {"version": read["version"], "notes": "Belt terug."}, format="json")
    second = client.patch(url, {"version": read["version"], "notes": "Anders."}, format="json")

    assert first.status_code == 200, first.content
    assert first.json()["version"] == read["version"] + 1
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    crm_a.client.refresh_from_db()
    assert crm_a.client.notes == "Belt terug."


def test_client_change_without_a_version_is_400(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).patch(
        f"/api/v1/staff/clients/{crm_a.client.uuid}/", {"notes": "x"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "version": ["Geef het versienummer mee van de gegevens die u hebt gelezen."]
    }


def test_client_cannot_move_to_another_desk(api_client_for, adviser_a, crm_a, desk_b):
    response = api_client_for(adviser_a).patch(
        f"/api/v1/staff/clients/{crm_a.client.uuid}/",
        {"version": 1, "desk": str(crm_a.client.desk.uuid)},
        format="json",
    )
    assert response.status_code == 200

    moved = api_client_for(adviser_a).patch(
        f"/api/v1/staff/clients/{crm_a.client.uuid}/",
        {"version": 2, "desk": str(desk_b.uuid)},
        format="json",
    )
    assert moved.status_code == 400


def test_client_cannot_be_deleted_through_the_api(api_client_for, manager_a, crm_a):
    response = api_client_for(manager_a).delete(f"/api/v1/staff/clients/{crm_a.client.uuid}/")

    assert response.status_code == 405
    assert Client.objects.filter(pk=crm_a.client.pk).exists()


def test_erased_client_is_returned_anonymised(api_client_for, manager_a, crm_a):
    client_erase(actor=manager_a, client=crm_a.client)
    api = api_client_for(manager_a)

    body = api.get(f"/api/v1/staff/clients/{crm_a.client.uuid}/").json()
    listed = api.get("/api/v1/staff/clients/").json()["results"]

    assert body["is_erased"] is True
    assert body["given_name"] == "Geanonimiseerd"
    assert body["family_name"] == body["email"] == body["phone"] == body["postcode"] == ""
    assert "Jansen" not in str(listed) and "fatima" not in str(listed)
    change = api.patch(
        f"/api/v1/staff/clients/{crm_a.client.uuid}/",
        {"version": body["version"], "given_name": "Terug"},
        format="json",
    )
    assert change.status_code == 400
    assert api.get("/api/v1/staff/clients/", {"q": "Geanonimiseerd"}).json()["count"] == 0


def test_consent_is_given_and_withdrawn_at_once(api_client_for, adviser_a, crm_a):
    api = api_client_for(adviser_a)
    url = f"/api/v1/staff/clients/{crm_a.client.uuid}/consents/"

    given = api.post(url, {"purpose": "follow_up", "follow_up_after_months": 6}, format="json")
    assert given.status_code == 201, given.content
    assert given.json()["follow_up_after_months"] == 6
    assert has_consent(crm_a.client, "follow_up")

    withdrawn = api.delete(f"{url}follow_up/")
    assert withdrawn.status_code == 204
    assert not has_consent(crm_a.client, "follow_up")
    assert api.delete(f"{url}follow_up/").status_code == 404  # nothing left to withdraw
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"purpose": "marketing"}, "purpose"),
        ({"purpose": "follow_up"}, "follow_up_after_months"),
        ({"purpose": "follow_up", "follow_up_after_months": 99}, "follow_up_after_months"),
    ],
)
def test_consent_with_bad_input_is_400(api_client_for, adviser_a, crm_a, payload, field):
    response = api_client_for(adviser_a).post(
        f"/api/v1/staff/clients/{crm_a.client.uuid}/consents/", payload, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_unknown_consent_purpose_is_404(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).delete(
        f"/api/v1/staff/clients/{crm_a.client.uuid}/consents/marketing/"
    )

    assert response.status_code == 404


# -- employers ---------------------------------------------------------------------------------


def test_adviser_registers_an_employer_and_a_contact_person(api_client_for, adviser_a, desk_a):
    api = api_client_for(adviser_a)
    created = api.post(
        "/api/v1/staff/employers/",
        {
            "desk": str(desk_a.uuid),
            "name": "Zorggroep Maas",
            "kvk_number": "1234 5679",
            "sector": "care",
            "size_class": "50-249",
            "municipality": "GM0599",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    employer = created.json()
    assert employer["kvk_number"] == "12345679"
    assert employer["municipality"] == "GM0599"

    person = api.post(
        f"/api/v1/staff/employers/{employer['uuid']}/contact-persons/",
        {"name": "Anja Post", "role": "HR", "phone": "010 7654321"},
        format="json",
    )
    assert person.status_code == 201, person.content
    detail = api.get(f"/api/v1/staff/employers/{employer['uuid']}/").json()
    assert [p["name"] for p in detail["contact_persons"]] == ["Anja Post"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kvk_number": "1234567"}, "kvk_number", "Een KvK-nummer heeft 8 cijfers."),
        ({"kvk_number": "1234567a"}, "kvk_number", "Een KvK-nummer heeft 8 cijfers."),
        (
            {"kvk_number": "12345678"},  # already at this desk
            "kvk_number",
            "Deze werkgever (KvK-nummer) staat al in het systeem.",
        ),
        ({"name": ""}, "name", "Dit veld mag niet leeg zijn."),
        ({"sector": "ruimtevaart"}, "sector", '"ruimtevaart" is een ongeldige keuze.'),
        ({"municipality": "GM9999"}, "municipality", "Onbekende code: GM9999."),
    ],
)
def test_employer_with_bad_input_gives_dutch_field_errors(
    api_client_for, adviser_a, desk_a, crm_a, change, field, message
):
    before = Employer.objects.count()
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/employers/",
        {"desk": str(desk_a.uuid), "name": "Nieuw BV", **change},
        format="json",
    )

    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert fields[field] == [message]
    assert Employer.objects.count() == before


def test_contact_person_needs_a_way_to_reach_them(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).post(
        f"/api/v1/staff/employers/{crm_a.employer.uuid}/contact-persons/",
        {"name": "Zonder Gegevens", "phone": "abc"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["phone"] == [
        "Vul een telefoonnummer in, bijvoorbeeld 06 12345678 of 010 1234567."
    ]


def test_employer_search_by_name_or_kvk(api_client_for, adviser_a, crm_a):
    api = api_client_for(adviser_a)

    by_name = api.get("/api/v1/staff/employers/", {"q": "bouw"}).json()
    by_kvk = api.get("/api/v1/staff/employers/", {"q": "1234 5678"}).json()
    nothing = api.get("/api/v1/staff/employers/", {"q": "bakkerij"}).json()

    assert by_name["count"] == by_kvk["count"] == 1
    assert nothing["count"] == 0


def test_employer_change_needs_the_current_version(api_client_for, adviser_a, crm_a):
    api = api_client_for(adviser_a)
    url = f"/api/v1/staff/employers/{crm_a.employer.uuid}/"

    ok = api.patch(url, {"version": 1, "notes": "Zoekt leerwerkplekken."}, format="json")
    stale = api.patch(url, {"version": 1, "notes": "Anders"}, format="json")

    assert ok.status_code == 200, ok.content
    assert stale.status_code == 409
    crm_a.employer.refresh_from_db()
    assert crm_a.employer.notes == "Zoekt leerwerkplekken."
