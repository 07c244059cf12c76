"""Who reaches which CRM data through the API: another desk's objects are never found, and the
national team, the ministry and partner referrers never see a client record."""

import pytest

from leerwerk.api.tests.crm_fixtures import *  # noqa: F403 (the CRM fixtures)
from leerwerk.api.tests.crm_fixtures import make_desk_data
from leerwerk.clients.models import Client, Consent, EmployerContactPerson
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory

pytestmark = pytest.mark.django_db

CRM_ENDPOINTS = [
    "staff/clients",
    "staff/employers",
    "staff/requests",
    "staff/trajectories",
    "staff/registrations",
]

# Every way to address one object: (endpoint, method, path after the uuid, body).
OBJECT_CALLS = [
    ("staff/clients", "get", "", None),
    ("staff/clients", "patch", "", {"version": 1, "given_name": "Overgenomen"}),
    ("staff/clients", "post", "consents/", {"purpose": "satisfaction_survey"}),
    ("staff/clients", "delete", "consents/contact/", None),
    ("staff/employers", "get", "", None),
    ("staff/employers", "patch", "", {"version": 1, "name": "Overgenomen"}),
    ("staff/employers", "post", "contact-persons/", {"name": "X", "email": "x@example.test"}),
    ("staff/requests", "get", "", None),
    ("staff/requests", "post", "accept/", {}),
    ("staff/requests", "post", "dismiss/", {}),
    ("staff/trajectories", "get", "", None),
    ("staff/trajectories", "patch", "", {"version": 1, "theme": "evc"}),
    ("staff/trajectories", "post", "transition/", {"version": 1, "to_status": "intake"}),
    ("staff/trajectories", "post", "assign/", {"version": 1, "adviser": "me"}),
    (
        "staff/trajectories",
        "post",
        "close/",
        {"version": 1, "outcome": "dropped_out", "outcome_date": "2025-01-02"},
    ),
    ("staff/registrations", "get", "", None),
    ("staff/registrations", "patch", "", {"version": 1, "note": "Overgenomen"}),
    ("staff/registrations", "delete", "", None),
]


def _snapshot() -> tuple:  # type: ignore[type-arg]
    """Everything the calls could change, to prove that nothing did."""
    return (
        list(Client.objects.order_by("pk").values_list("pk", "version", "given_name")),
        list(Consent.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        EmployerContactPerson.objects.count(),
        list(IntakeRequest.objects.order_by("pk").values_list("pk", "status")),
        list(Trajectory.objects.order_by("pk").values_list("pk", "version", "status")),
        list(Registration.objects.order_by("pk").values_list("pk", "version")),
    )


def _call(client, endpoint, method, suffix, body, obj):  # type: ignore[no-untyped-def]
    url = f"/api/v1/{endpoint}/{obj.uuid}/{suffix}"
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, format="json")


def _uuids(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["uuid"] for item in response.json()["results"]}


@pytest.mark.parametrize("user_fixture", ["adviser_a", "manager_a"])
@pytest.mark.parametrize(("endpoint", "method", "suffix", "body"), OBJECT_CALLS)
def test_staff_of_desk_a_get_404_for_every_crm_object_of_desk_b(
    request, api_client_for, crm_b, user_fixture, endpoint, method, suffix, body
):
    # given staff of desk A and the CRM objects of desk B
    client = api_client_for(request.getfixturevalue(user_fixture))
    obj = crm_b.by_endpoint()[endpoint]
    before = _snapshot()

    # when they address one of them by its uuid, in any way
    response = _call(client, endpoint, method, suffix, body, obj)

    # then it does not exist for them, and nothing changed
    assert response.status_code == 404, response.content
    assert response.json() == {"code": "not_found", "detail": "Niet gevonden.", "fields": {}}
    assert _snapshot() == before


@pytest.mark.parametrize(("endpoint", "method", "suffix", "body"), OBJECT_CALLS)
def test_staff_of_desk_b_reach_the_same_objects(
    api_client_for, manager_b, crm_b, endpoint, method, suffix, body
):
    """The other side of the 404 test: the desk's own manager gets past the lookup."""
    response = _call(
        api_client_for(manager_b), endpoint, method, suffix, body, crm_b.by_endpoint()[endpoint]
    )

    assert response.status_code in {200, 201, 204}, response.content


@pytest.mark.parametrize("user_fixture", ["adviser_a", "manager_a"])
def test_crm_lists_of_desk_a_staff_never_contain_desk_b_objects(
    request, api_client_for, crm_a, crm_b, user_fixture
):
    client = api_client_for(request.getfixturevalue(user_fixture))
    own, other = crm_a.by_endpoint(), crm_b.by_endpoint()

    for endpoint in CRM_ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
        assert response.status_code == 200, endpoint
        uuids = _uuids(response)
        assert str(own[endpoint].uuid) in uuids, endpoint
        assert str(other[endpoint].uuid) not in uuids, endpoint


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("staff/clients", {"q": "BJansen"}),
        ("staff/clients", {"q": "9711"}),
        ("staff/clients", {"q": "fatima.b@example.test"}),
        ("staff/employers", {"q": "12345678"}),
        ("staff/requests", {"status": "new"}),
        ("staff/trajectories", {"status": "registered"}),
        ("staff/registrations", {"kind": "contact_moment"}),
    ],
)
def test_searching_and_filtering_never_reach_desk_b(
    api_client_for, adviser_a, crm_a, crm_b, desk_b, endpoint, params
):
    client = api_client_for(adviser_a)
    other = str(crm_b.by_endpoint()[endpoint].uuid)

    filtered = client.get(f"/api/v1/{endpoint}/", params)
    on_desk_b = client.get(f"/api/v1/{endpoint}/", {**params, "desk": desk_b.uuid})

    assert filtered.status_code == 200
    assert other not in _uuids(filtered)
    assert on_desk_b.json()["count"] == 0


def test_filtering_on_another_desks_client_gives_nothing(api_client_for, adviser_a, crm_a, crm_b):
    client = api_client_for(adviser_a)

    for endpoint, name in [("staff/trajectories", "client"), ("staff/registrations", "client")]:
        response = client.get(f"/api/v1/{endpoint}/", {name: crm_b.client.uuid})
        assert response.json()["count"] == 0, endpoint
    response = client.get("/api/v1/staff/registrations/", {"trajectory": crm_b.trajectory.uuid})
    assert response.json()["count"] == 0


@pytest.mark.parametrize("user_fixture", ["national_user", "ministry_user", "admin_user"])
def test_national_team_ministry_and_administrators_never_see_crm_records(
    request, api_client_for, crm_a, user_fixture
):
    # given users with a global role that is not desk work
    client = api_client_for(request.getfixturevalue(user_fixture))
    before = _snapshot()

    # then every CRM list is empty
    for endpoint in CRM_ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}/")
        assert response.status_code == 200, endpoint
        assert response.json()["count"] == 0, endpoint
    # and every object, and every action on it, is not found
    for endpoint, method, suffix, body in OBJECT_CALLS:
        obj = crm_a.by_endpoint()[endpoint]
        response = _call(client, endpoint, method, suffix, body, obj)
        assert response.status_code == 404, (endpoint, method, suffix, response.content)
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(action="client.view").exists()


@pytest.mark.parametrize("user_fixture", ["national_user", "ministry_user"])
@pytest.mark.parametrize("endpoint", CRM_ENDPOINTS)
def test_national_team_and_ministry_cannot_create_crm_records(
    request, api_client_for, desk_a, user_fixture, endpoint
):
    client = api_client_for(request.getfixturevalue(user_fixture))

    response = client.post(f"/api/v1/{endpoint}/", {"desk": str(desk_a.uuid)}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_partner_referrer_token_reads_no_crm_data(api_client_for, partner_referrer, crm_a):
    client = api_client_for(partner_referrer)

    for endpoint in CRM_ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}/")
        assert response.status_code == 200, endpoint
        assert response.json()["count"] == 0, endpoint
    for endpoint, method, suffix, body in OBJECT_CALLS:
        obj = crm_a.by_endpoint()[endpoint]
        response = _call(client, endpoint, method, suffix, body, obj)
        assert response.status_code == 404, (endpoint, method, suffix)


def test_adviser_whose_membership_ended_sees_no_crm_data(api_client_for, ended_adviser_a, crm_a):
    client = api_client_for(ended_adviser_a)

    for endpoint in CRM_ENDPOINTS:
        assert client.get(f"/api/v1/{endpoint}/").json()["count"] == 0, endpoint
    assert client.get(f"/api/v1/staff/clients/{crm_a.client.uuid}/").status_code == 404


@pytest.mark.parametrize(("endpoint", "method", "suffix", "body"), OBJECT_CALLS)
def test_anonymous_gets_401_on_every_crm_object_call(
    api_client, crm_a, endpoint, method, suffix, body
):
    before = _snapshot()

    response = _call(api_client, endpoint, method, suffix, body, crm_a.by_endpoint()[endpoint])

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert _snapshot() == before


@pytest.mark.parametrize("endpoint", [*CRM_ENDPOINTS, "referrals"])
def test_anonymous_gets_401_on_crm_lists_and_creates(api_client, endpoint):
    created = api_client.post(f"/api/v1/{endpoint}/", {}, format="json")

    assert created.status_code == 401
    assert created["WWW-Authenticate"] == "Token"
    if endpoint != "referrals":
        assert api_client.get(f"/api/v1/{endpoint}/").status_code == 401


def test_session_log_in_works_for_the_crm_api(client_for, adviser_a, crm_a):
    response = client_for(adviser_a).get("/api/v1/staff/clients/")

    assert response.status_code == 200
    assert _uuids(response) == {str(crm_a.client.uuid)}


@pytest.mark.parametrize(
    ("endpoint", "max_queries"),
    [
        # token, roles, count, page, then one per prefetched relation; never one per row
        ("staff/clients", 6),
        ("staff/employers", 5),
        ("staff/requests", 4),
        ("staff/trajectories", 4),
        ("staff/registrations", 4),
    ],
)
def test_crm_lists_take_a_fixed_number_of_queries(
    api_client_for, desk_a, manager_a, crm_a, django_assert_max_num_queries, endpoint, max_queries
):
    # given a desk with many CRM objects (three sets, so a query per row would show)
    for n in range(2):
        make_desk_data(desk_a, manager_a, postcode="3012 AB", prefix=f"Extra{n}", kvk=f"8765432{n}")
    client = api_client_for(manager_a)
    client.get("/api/v1/staff/clients/")  # the token's first use is recorded once

    # when / then
    with django_assert_max_num_queries(max_queries):
        response = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] >= 3


def test_client_retrieve_takes_a_fixed_number_of_queries(
    api_client_for, adviser_a, crm_a, django_assert_max_num_queries
):
    client = api_client_for(adviser_a)
    client.get("/api/v1/staff/clients/")

    # token, roles, the client, its target groups, its consents, and the audit event
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/staff/clients/{crm_a.client.uuid}/")
    assert response.status_code == 200
