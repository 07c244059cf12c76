"""Partner referrals with a partner token, and the public national vocabulary."""

import pytest

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.api.tests.crm_fixtures import *  # noqa: F403 (the CRM fixtures)
from leerwerk.core.constants import GlobalRole
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.models import IntakeRequest, RegistrationType
from leerwerk.network.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

REFERRAL = {
    "referrer_name": "J. Visser (werkcoach)",
    "referral_reason": "Wil omscholen, heeft hulp nodig bij de keuze.",
    "consent": True,
    "theme": "retraining",
    "description": "Zoekt een opleiding in de techniek.",
    "given_name": "Karim",
    "family_name": "El Amrani",
    "email": "karim@example.test",
    "phone": "06 55566677",
    "postcode": "3011 AB",
    "contact_preference": "email",
}


def test_partner_referrer_refers_a_person_and_gets_only_uuid_and_status(
    api_client_for, partner_referrer, referring_partner, desk_a
):
    # given a UWV referrer with a token
    client = api_client_for(partner_referrer)

    # when they refer a person to desk A
    response = client.post(
        "/api/v1/referrals/", {"desk": str(desk_a.uuid), **REFERRAL}, format="json"
    )

    # then the desk has a new request from UWV, and nothing personal is sent back
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"uuid", "status"}
    assert body["status"] == "new"
    request = IntakeRequest.objects.get(uuid=body["uuid"])
    assert request.desk == desk_a
    assert request.channel == "partner_referral"
    assert request.referrer_partner == referring_partner
    assert request.submitted_by == partner_referrer
    assert request.consent_given_at is not None
    assert AuditEvent.objects.filter(action="request.refer", object_uuid=request.uuid).exists()


def test_the_desk_sees_the_referral_in_its_new_requests(
    api_client_for, partner_referrer, adviser_a, desk_a
):
    uuid = (
        api_client_for(partner_referrer)
        .post("/api/v1/referrals/", {"desk": desk_a.slug, **REFERRAL}, format="json")
        .json()["uuid"]
    )

    listed = api_client_for(adviser_a).get("/api/v1/staff/requests/", {"status": "new"}).json()

    [found] = [r for r in listed["results"] if r["uuid"] == uuid]
    assert found["referrer_partner"]["name"] == "UWV Rotterdam"
    assert found["referrer_name"] == "J. Visser (werkcoach)"


def test_partner_referrer_cannot_read_their_referral_back(api_client_for, partner_referrer, desk_a):
    client = api_client_for(partner_referrer)
    uuid = client.post(
        "/api/v1/referrals/", {"desk": str(desk_a.uuid), **REFERRAL}, format="json"
    ).json()["uuid"]

    assert client.get("/api/v1/referrals/").status_code == 405
    assert client.get(f"/api/v1/referrals/{uuid}/").status_code == 404
    assert client.get(f"/api/v1/staff/requests/{uuid}/").status_code == 404
    assert client.get("/api/v1/staff/requests/").json()["count"] == 0
    assert client.get("/api/v1/staff/clients/").json()["count"] == 0


def test_referral_without_consent_is_refused(api_client_for, partner_referrer, desk_a):
    response = api_client_for(partner_referrer).post(
        "/api/v1/referrals/",
        {"desk": str(desk_a.uuid), **REFERRAL, "consent": False},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "consent": [
            "Verwijs alleen door als de klant toestemming geeft dat het loket contact opneemt."
        ]
    }
    assert not IntakeRequest.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"postcode": "301 AB"}, "postcode", "Vul een postcode in zoals 1234 AB."),
        (
            {"phone": "bellen"},
            "phone",
            "Vul een telefoonnummer in, bijvoorbeeld 06 12345678 of 010 1234567.",
        ),
        ({"email": "karim@"}, "email", "Voer een geldig e-mailadres in."),
        ({"referrer_name": ""}, "referrer_name", "Dit veld mag niet leeg zijn."),
        ({"theme": "vakantie"}, "theme", '"vakantie" is een ongeldige keuze.'),
        (
            {"desk": "bestaat-niet"},
            "desk",
            "Dit loket bestaat niet. Controleer de id of het webadres.",
        ),
        (
            {"email": "", "contact_preference": "email"},
            "email",
            "U wilt een e-mail: vul dan uw e-mailadres in.",
        ),
        ({"consent": None}, "consent", "Dit veld is vereist."),
    ],
)
def test_referral_with_bad_input_gives_dutch_field_errors(
    api_client_for, partner_referrer, desk_a, change, field, message
):
    payload = {"desk": str(desk_a.uuid), **REFERRAL, **change}
    payload = {name: value for name, value in payload.items() if value is not None}

    response = api_client_for(partner_referrer).post("/api/v1/referrals/", payload, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["fields"][field] == [message]
    assert not IntakeRequest.objects.exists()


def test_referrer_cannot_refer_on_behalf_of_another_organisation(
    api_client_for, partner_referrer, desk_a
):
    other = PartnerFactory(name="Gemeente Elders", kind="municipality")

    response = api_client_for(partner_referrer).post(
        "/api/v1/referrals/",
        {"desk": str(desk_a.uuid), "partner": str(other.uuid), **REFERRAL},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"partner": ["U verwijst namens uw eigen organisatie."]}


def test_referrer_account_without_an_organisation_is_403(api_client_for, desk_a):
    loose = UserFactory(email="los@example.test", global_role=GlobalRole.PARTNER_REFERRER)

    response = api_client_for(loose).post(
        "/api/v1/referrals/", {"desk": str(desk_a.uuid), **REFERRAL}, format="json"
    )

    assert response.status_code == 403
    assert not IntakeRequest.objects.exists()


def test_desk_staff_register_a_referral_on_behalf_of_a_partner(
    api_client_for, adviser_a, referring_partner, desk_a
):
    api = api_client_for(adviser_a)

    without = api.post("/api/v1/referrals/", {"desk": desk_a.slug, **REFERRAL}, format="json")
    response = api.post(
        "/api/v1/referrals/",
        {"desk": desk_a.slug, "partner": str(referring_partner.uuid), **REFERRAL},
        format="json",
    )

    assert without.status_code == 400
    assert without.json()["fields"] == {"partner": ["Kies de verwijzende organisatie."]}
    assert response.status_code == 201, response.content
    request = IntakeRequest.objects.get(uuid=response.json()["uuid"])
    assert request.referrer_partner == referring_partner
    assert request.submitted_by == adviser_a


def test_desk_staff_cannot_refer_into_another_desk(
    api_client_for, adviser_a, referring_partner, desk_b
):
    response = api_client_for(adviser_a).post(
        "/api/v1/referrals/",
        {"desk": str(desk_b.uuid), "partner": str(referring_partner.uuid), **REFERRAL},
        format="json",
    )

    assert response.status_code == 403
    assert not IntakeRequest.objects.exists()


@pytest.mark.parametrize("user_fixture", ["national_user", "ministry_user"])
def test_national_team_and_ministry_cannot_refer(request, api_client_for, desk_a, user_fixture):
    response = api_client_for(request.getfixturevalue(user_fixture)).post(
        "/api/v1/referrals/", {"desk": str(desk_a.uuid), **REFERRAL}, format="json"
    )

    assert response.status_code == 403
    assert not IntakeRequest.objects.exists()


def test_unpublished_desk_takes_no_partner_referrals(api_client_for, partner_referrer, desk_a):
    desk_a.is_published = False
    desk_a.save(update_fields=["is_published"])

    response = api_client_for(partner_referrer).post(
        "/api/v1/referrals/", {"desk": str(desk_a.uuid), **REFERRAL}, format="json"
    )

    assert response.status_code == 400
    assert "desk" in response.json()["fields"]


def test_anonymous_cannot_refer(api_client, desk_a):
    response = api_client.post(
        "/api/v1/referrals/", {"desk": str(desk_a.uuid), **REFERRAL}, format="json"
    )

    assert response.status_code == 401
    assert not IntakeRequest.objects.exists()


# -- the national vocabulary -------------------------------------------------------------------


def test_vocabulary_in_force_is_public(api_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # version in force, count, page
        response = api_client.get("/api/v1/vocabulary/", {"page_size": 200})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == RegistrationType.objects.filter(version__number=1).count()
    advice = next(t for t in body["results"] if t["code"] == "adviesgesprek")
    assert advice == {
        "kind": "contact_moment",
        "code": "adviesgesprek",
        "name": "Ontwikkel- en adviesgesprek",
        "description": "Een gehouden adviesgesprek over leren en werken, via elk kanaal.",
        "needs_trajectory": True,
        "version": 1,
        "effective_from": "2023-01-01",
    }


def test_vocabulary_is_filtered_by_kind_and_read_by_code(api_client):
    instruments = api_client.get("/api/v1/vocabulary/", {"kind": "instrument"}).json()
    one = api_client.get("/api/v1/vocabulary/competentietest-ctc/")
    bad = api_client.get("/api/v1/vocabulary/", {"kind": "koffie"})

    assert {t["kind"] for t in instruments["results"]} == {"instrument"}
    assert "competentietest-ctc" in {t["code"] for t in instruments["results"]}
    assert one.status_code == 200
    assert one.json()["name"] == "Competentietest (CTC)"
    assert bad.status_code == 400


def test_inactive_types_are_not_in_the_vocabulary(api_client):
    RegistrationType.objects.filter(code="werkscan").update(is_active=False)

    codes = {
        t["code"]
        for t in api_client.get("/api/v1/vocabulary/", {"page_size": 200}).json()["results"]
    }

    assert "werkscan" not in codes
    assert "loopbaan-apk" in codes
