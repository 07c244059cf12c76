"""Intake requests, trajectories and registrations through the staff API."""

import datetime

import pytest
from django.utils import timezone

from leerwerk.api.tests.crm_fixtures import *  # noqa: F403 (the CRM fixtures)
from leerwerk.core.models import AuditEvent
from leerwerk.guidance import vocabulary
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()


# -- intake requests -------------------------------------------------------------------------


def test_adviser_registers_a_phone_question(api_client_for, adviser_a, desk_a):
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/requests/",
        {
            "desk": str(desk_a.uuid),
            "channel": "phone",
            "theme": "funding",
            "description": "Wie betaalt mijn opleiding?",
            "given_name": "Mo",
            "phone": "06 11122233",
            "contact_preference": "phone",
            "postcode": "3011aa",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new"
    assert body["channel"] == "phone"
    assert body["postcode"] == "3011 AA"
    assert body["consent_given_at"] is not None
    assert body["trajectory"] is None
    assert IntakeRequest.objects.get(uuid=body["uuid"]).submitted_by == adviser_a


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "web_form"}, "channel"),  # the public form has its own way in
        ({"theme": "knutselen"}, "theme"),
        ({"phone": "bel me maar"}, "phone"),
        ({"postcode": "ABCD 12"}, "postcode"),
        ({"email": "geen-adres", "contact_preference": "email"}, "email"),
        ({"phone": "", "email": "", "contact_preference": "phone"}, "phone"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_registering_a_request_with_bad_input_is_400(
    api_client_for, adviser_a, desk_a, change, field
):
    payload = {
        "desk": str(desk_a.uuid),
        "channel": "walk_in",
        "theme": "funding",
        "description": "Vraag",
        "given_name": "Mo",
        "phone": "06 11122233",
        "contact_preference": "phone",
        **change,
    }

    response = api_client_for(adviser_a).post("/api/v1/staff/requests/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not IntakeRequest.objects.filter(given_name="Mo").exists()


def test_requests_are_filtered_by_status(api_client_for, adviser_a, crm_a):
    api = api_client_for(adviser_a)

    new = api.get("/api/v1/staff/requests/", {"status": "new"}).json()
    handled = api.get("/api/v1/staff/requests/", {"status": "handled"}).json()
    bad = api.get("/api/v1/staff/requests/", {"status": "weg"})

    assert [r["uuid"] for r in new["results"]] == [str(crm_a.request.uuid)]
    assert handled["count"] == 0
    assert bad.status_code == 400
    assert "status" in bad.json()["fields"]


def test_accepting_a_request_opens_a_trajectory_for_a_new_client(api_client_for, adviser_a, crm_a):
    api = api_client_for(adviser_a)

    response = api.post(
        f"/api/v1/staff/requests/{crm_a.request.uuid}/accept/",
        {"adviser": "me", "service_line": "leerwerkadvies"},
        format="json",
    )

    assert response.status_code == 201, response.content
    trajectory = response.json()
    assert trajectory["channel"] == "phone"  # kept from the request
    assert trajectory["theme"] == "retraining"
    assert trajectory["adviser"] == str(adviser_a.uuid)
    assert trajectory["client_name"] == "Ahmed ABakker"
    assert trajectory["intake_request"] == str(crm_a.request.uuid)
    request = api.get(f"/api/v1/staff/requests/{crm_a.request.uuid}/").json()
    assert request["status"] == "handled"
    assert request["trajectory"] == trajectory["uuid"]
    again = api.post(f"/api/v1/staff/requests/{crm_a.request.uuid}/accept/", {}, format="json")
    assert again.status_code == 400
    assert again.json()["fields"]["non_field_errors"] == ["Deze aanvraag is al behandeld."]


def test_accepting_a_request_for_an_existing_client(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).post(
        f"/api/v1/staff/requests/{crm_a.request.uuid}/accept/",
        {"client": str(crm_a.client.uuid)},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["client"] == str(crm_a.client.uuid)


def test_a_request_cannot_be_linked_to_another_desks_client_or_adviser(
    api_client_for, adviser_a, adviser_b, crm_a, crm_b
):
    api = api_client_for(adviser_a)
    url = f"/api/v1/staff/requests/{crm_a.request.uuid}/accept/"

    response = api.post(
        url, {"client": str(crm_b.client.uuid), "adviser": str(adviser_b.uuid)}, format="json"
    )

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["client"] == ["Dit object bestaat niet of u hebt er geen toegang toe."]
    assert fields["adviser"] == ["Deze medewerker bestaat niet of werkt niet bij uw loket."]
    crm_a.request.refresh_from_db()
    assert crm_a.request.status == "new"


def test_dismissing_a_request(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).post(
        f"/api/v1/staff/requests/{crm_a.request.uuid}/dismiss/"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "dismissed"
    assert AuditEvent.objects.filter(
        action="request.dismiss", object_uuid=crm_a.request.uuid
    ).exists()


# -- trajectories ----------------------------------------------------------------------------


def test_adviser_opens_a_trajectory(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/trajectories/",
        {
            "client": str(crm_a.client.uuid),
            "theme": "evc",
            "channel": "email",
            "adviser": str(adviser_a.uuid),
            "follow_up_on": TOMORROW,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "registered"
    assert body["opened_on"] == TODAY.isoformat()
    assert body["desk"] == str(crm_a.client.desk.uuid)
    assert body["adviser"] == str(adviser_a.uuid)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"opened_on": TOMORROW}, "opened_on", "Een traject kan niet in de toekomst beginnen."),
        ({"opened_on": "31-12-2024"}, "opened_on", "Vul een datum in zoals 2025-03-31."),
        ({"theme": "knutselen"}, "theme", '"knutselen" is een ongeldige keuze.'),
        ({"channel": ""}, "channel", '"" is een ongeldige keuze.'),
    ],
)
def test_opening_a_trajectory_with_bad_input_is_400(
    api_client_for, adviser_a, crm_a, change, field, message
):
    before = Trajectory.objects.count()
    payload = {"client": str(crm_a.client.uuid), "theme": "evc", "channel": "email", **change}

    response = api_client_for(adviser_a).post("/api/v1/staff/trajectories/", payload, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["fields"][field] == [message]
    assert Trajectory.objects.count() == before


def test_trajectory_moves_through_its_states_and_closes(api_client_for, adviser_a, crm_a):
    api = api_client_for(adviser_a)
    url = f"/api/v1/staff/trajectories/{crm_a.trajectory.uuid}/"

    intake = api.post(f"{url}transition/", {"version": 1, "to_status": "intake"}, format="json")
    assert intake.status_code == 200, intake.content
    assert intake.json()["status"] == "intake"
    not_allowed = api.post(
        f"{url}transition/", {"version": 2, "to_status": "registered"}, format="json"
    )
    assert not_allowed.status_code == 400
    closed = api.post(
        f"{url}close/",
        {"version": 2, "outcome": "training_started", "outcome_date": TODAY.isoformat()},
        format="json",
    )
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["status"], body["outcome"], body["closed_on"]) == (
        "closed",
        "training_started",
        TODAY.isoformat(),
    )
    assert api.get("/api/v1/staff/trajectories/", {"status": "closed"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"outcome": "dropped_out", "outcome_date": TOMORROW}, "outcome_date"),
        (
            {"outcome": "dropped_out", "outcome_date": "2025-01-01", "closed_on": TOMORROW},
            "closed_on",
        ),
        ({"outcome": "", "outcome_date": "2025-01-01"}, "outcome"),
        ({"outcome": "dropped_out"}, "outcome_date"),
    ],
)
def test_closing_needs_an_outcome_and_no_future_dates(
    api_client_for, adviser_a, crm_a, payload, field
):
    response = api_client_for(adviser_a).post(
        f"/api/v1/staff/trajectories/{crm_a.trajectory.uuid}/close/",
        {"version": 1, **payload},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    crm_a.trajectory.refresh_from_db()
    assert crm_a.trajectory.status == "registered"


def test_action_on_a_stale_version_is_409_and_changes_nothing(api_client_for, adviser_a, crm_a):
    api = api_client_for(adviser_a)
    url = f"/api/v1/staff/trajectories/{crm_a.trajectory.uuid}/"
    assert api.patch(url, {"version": 1, "theme": "funding"}, format="json").status_code == 200

    for suffix, body in [
        ("transition/", {"to_status": "intake"}),
        ("assign/", {"adviser": "me"}),
        ("close/", {"outcome": "dropped_out", "outcome_date": TODAY.isoformat()}),
    ]:
        response = api.post(f"{url}{suffix}", {"version": 1, **body}, format="json")
        assert response.status_code == 409, (suffix, response.content)
        assert response.json()["code"] == "conflict"
    crm_a.trajectory.refresh_from_db()
    assert (crm_a.trajectory.status, crm_a.trajectory.adviser) == ("registered", None)
    assert api.patch(url, {"version": 1, "theme": "evc"}, format="json").status_code == 409


def test_assigning_an_adviser_is_audited_and_shows_in_my_list(
    api_client_for, adviser_a, manager_a, crm_a
):
    manager = api_client_for(manager_a)
    url = f"/api/v1/staff/trajectories/{crm_a.trajectory.uuid}/assign/"

    response = manager.post(url, {"version": 1, "adviser": str(adviser_a.uuid)}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["adviser"] == str(adviser_a.uuid)
    assert AuditEvent.objects.filter(
        action="trajectory.assign", object_uuid=crm_a.trajectory.uuid
    ).exists()
    mine = api_client_for(adviser_a).get("/api/v1/staff/trajectories/", {"adviser": "me"}).json()
    assert [t["uuid"] for t in mine["results"]] == [str(crm_a.trajectory.uuid)]
    assert manager.get("/api/v1/staff/trajectories/", {"adviser": "me"}).json()["count"] == 0


def test_adviser_who_left_cannot_be_assigned(api_client_for, manager_a, ended_adviser_a, crm_a):
    response = api_client_for(manager_a).post(
        f"/api/v1/staff/trajectories/{crm_a.trajectory.uuid}/assign/",
        {"version": 1, "adviser": str(ended_adviser_a.uuid)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["adviser"] == ["Kies een adviseur die nu bij dit loket werkt."]


def test_trajectory_patch_changes_only_what_may_change(api_client_for, adviser_a, crm_a, crm_b):
    api = api_client_for(adviser_a)
    url = f"/api/v1/staff/trajectories/{crm_a.trajectory.uuid}/"

    moved = api.patch(url, {"version": 1, "client": str(crm_a.client.uuid)}, format="json")
    changed = api.patch(
        url,
        {"version": 1, "theme": "funding", "service_line": "mobiliteit", "follow_up_on": TOMORROW},
        format="json",
    )

    assert moved.status_code == 400
    assert moved.json()["fields"]["client"] == ["De klant van een traject kan niet veranderen."]
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["theme"], body["service_line"], body["follow_up_on"]) == (
        "funding",
        "mobiliteit",
        TOMORROW,
    )


# -- registrations ---------------------------------------------------------------------------


def test_adviser_registers_a_contact_moment_by_its_vocabulary_code(
    api_client_for, adviser_a, crm_a
):
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/registrations/",
        {
            "type": vocabulary.INTAKE,
            "kind": "contact_moment",
            "trajectory": str(crm_a.trajectory.uuid),
            "occurred_on": TODAY.isoformat(),
            "channel": "phone",
            "duration_minutes": 45,
            "note": "Eerste gesprek.",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["type"], body["type_name"]) == ("contact_moment", "intake", "Intake")
    assert body["vocabulary_version"] == 1
    assert body["desk"] == str(crm_a.trajectory.desk.uuid)  # taken from the trajectory
    assert body["client"] == str(crm_a.client.uuid)
    assert body["adviser"] == str(adviser_a.uuid)  # by default: who registers it


def test_employer_activity_is_registered_on_the_employer(api_client_for, adviser_a, crm_a):
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/registrations/",
        {
            "type": vocabulary.EMPLOYER_GROUP_SESSION,
            "employer": str(crm_a.employer.uuid),
            "occurred_on": TODAY.isoformat(),
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    api = api_client_for(adviser_a)
    listed = api.get("/api/v1/staff/registrations/", {"employer": crm_a.employer.uuid}).json()
    assert listed["count"] == 1
    assert listed["results"][0]["kind"] == "employer_activity"
    assert api.get("/api/v1/staff/registrations/", {"kind": "instrument"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"occurred_on": TOMORROW},
            "occurred_on",
            "Registreer alleen wat al gebeurd is: de datum ligt in de toekomst.",
        ),
        ({"duration_minutes": 481}, "duration_minutes", "De duur ligt tussen 1 minuut en 8 uur."),
        ({"duration_minutes": 0}, "duration_minutes", "De duur ligt tussen 1 minuut en 8 uur."),
        ({"type": "koffie"}, "type", "Onbekende registratiesoort: koffie."),
        ({"kind": "instrument"}, "kind", "Deze registratiesoort is een contactmoment."),
        ({"channel": ""}, "channel", "Kies het kanaal van het contact."),
        (
            {"occurred_on": "2022-06-01"},
            "type",
            "Deze registratiesoort hoort niet bij de registratielijst die op die datum gold.",
        ),
        ({"trajectory": None}, "trajectory", "Deze registratie hoort bij een traject."),
        ({"trajectory": None, "desk": None}, "desk", "Kies het loket."),
    ],
)
def test_registration_with_bad_input_gives_dutch_field_errors(
    api_client_for, adviser_a, desk_a, crm_a, change, field, message
):
    before = Registration.objects.count()
    payload = {
        "desk": str(desk_a.uuid),
        "type": vocabulary.ADVICE_CONVERSATION,
        "trajectory": str(crm_a.trajectory.uuid),
        "occurred_on": TODAY.isoformat(),
        "channel": "video",
        "duration_minutes": 60,
        **change,
    }
    payload = {name: value for name, value in payload.items() if value is not None}

    response = api_client_for(adviser_a).post(
        "/api/v1/staff/registrations/", payload, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["fields"][field] == [message]
    assert Registration.objects.count() == before


def test_registration_cannot_mix_desks(api_client_for, adviser_a, manager_a, crm_a, desk_b):
    # an adviser of desk A names desk B: it does not exist for them
    response = api_client_for(adviser_a).post(
        "/api/v1/staff/registrations/",
        {
            "desk": str(desk_b.uuid),
            "type": vocabulary.INFORMATION_CONTACT,
            "occurred_on": TODAY.isoformat(),
            "channel": "phone",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["desk"] == [
        "Dit object bestaat niet of u hebt er geen toegang toe."
    ]


def test_registration_change_and_delete(api_client_for, adviser_a, manager_a, crm_a):
    url = f"/api/v1/staff/registrations/{crm_a.registration.uuid}/"
    adviser = api_client_for(adviser_a)

    changed = adviser.patch(url, {"version": 1, "status": "no_show"}, format="json")
    stale = adviser.patch(url, {"version": 1, "note": "Later"}, format="json")
    retype = adviser.patch(url, {"version": 2, "type": vocabulary.INTAKE}, format="json")
    adviser_delete = adviser.delete(url)
    manager_delete = api_client_for(manager_a).delete(url)

    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "no_show"
    assert changed.json()["duration_minutes"] is None  # only a held contact has a duration
    assert stale.status_code == 409
    assert retype.status_code == 400
    assert adviser_delete.status_code == 403  # advisers see it, desk managers delete
    assert manager_delete.status_code == 204
    assert not Registration.objects.filter(pk=crm_a.registration.pk).exists()
    assert AuditEvent.objects.filter(
        action="registration.delete", object_uuid=crm_a.registration.uuid
    ).exists()
