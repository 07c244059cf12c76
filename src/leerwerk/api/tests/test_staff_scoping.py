"""Who sees which staff data through the API: another desk's objects are never found."""

import pytest

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.core.constants import GlobalRole
from leerwerk.network.models import Desk, DeskPartnership, Location, StaffMembership

pytestmark = pytest.mark.django_db

STAFF_ENDPOINTS = ["staff/desks", "staff/locations", "staff/memberships", "staff/partnerships"]

# What each endpoint allows on one object (partnerships are linked and unlinked, not edited).
OBJECT_METHODS = [
    ("staff/desks", "get"),
    ("staff/desks", "patch"),
    ("staff/locations", "get"),
    ("staff/locations", "patch"),
    ("staff/locations", "put"),
    ("staff/locations", "delete"),
    ("staff/memberships", "get"),
    ("staff/memberships", "patch"),
    ("staff/memberships", "delete"),
    ("staff/partnerships", "get"),
    ("staff/partnerships", "delete"),
]


def _uuids(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["uuid"] for item in response.json()["results"]}


def _still_there(obj) -> bool:  # type: ignore[no-untyped-def]
    """Unchanged in the database: same version (or, without one, still present)."""
    fresh = type(obj).objects.filter(pk=obj.pk).first()
    if fresh is None:
        return False
    if isinstance(fresh, StaffMembership):
        return fresh.end_date == obj.end_date and fresh.version == obj.version
    return getattr(fresh, "version", 0) == getattr(obj, "version", 0)


@pytest.mark.parametrize("user_fixture", ["adviser_a", "manager_a"])
@pytest.mark.parametrize(("endpoint", "method"), OBJECT_METHODS)
def test_staff_of_desk_a_get_404_for_every_object_of_desk_b(
    request, api_client_for, desk_b_objects, user_fixture, endpoint, method
):
    # given staff of desk A and an object of desk B
    client = api_client_for(request.getfixturevalue(user_fixture))
    obj = desk_b_objects[endpoint]

    # when they address it by its uuid
    response = getattr(client, method)(
        f"/api/v1/{endpoint}/{obj.uuid}/",
        {"version": getattr(obj, "version", 1), "name": "Overgenomen"},
        format="json",
    )

    # then it does not exist for them, and nothing changed
    assert response.status_code == 404, response.content
    assert response.json() == {"code": "not_found", "detail": "Niet gevonden.", "fields": {}}
    assert _still_there(obj)


@pytest.mark.parametrize("user_fixture", ["adviser_a", "manager_a"])
def test_lists_of_desk_a_staff_never_contain_desk_b_objects(
    request,
    api_client_for,
    desk_a,
    location_a,
    partnership_a,
    membership_a,
    desk_b_objects,
    user_fixture,
):
    client = api_client_for(request.getfixturevalue(user_fixture))
    own = {
        "staff/desks": desk_a,
        "staff/locations": location_a,
        "staff/partnerships": partnership_a,
        "staff/memberships": membership_a,
    }

    for endpoint in STAFF_ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}/")
        assert response.status_code == 200
        uuids = _uuids(response)
        assert str(own[endpoint].uuid) in uuids, endpoint
        assert str(desk_b_objects[endpoint].uuid) not in uuids, endpoint


def test_filtering_a_list_on_another_desk_gives_nothing(
    api_client_for, adviser_a, desk_b, location_b
):
    response = api_client_for(adviser_a).get("/api/v1/staff/locations/", {"desk": desk_b.uuid})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("endpoint", "max_queries"),
    [
        # token, roles, count, page, then one per prefetched relation; never one per row
        ("staff/desks", 5),
        ("staff/locations", 5),
        ("staff/memberships", 6),
        ("staff/partnerships", 4),
    ],
)
def test_staff_lists_take_a_fixed_number_of_queries(
    api_client_for,
    admin_user,
    desk_a,
    location_a,
    location_b,
    membership_a,
    membership_b,
    manager_a,
    partnership_a,
    partnership_b,
    django_assert_max_num_queries,
    endpoint,
    max_queries,
):
    # given an administrator who sees everything, so the pages are full
    client = api_client_for(admin_user)
    client.get("/api/v1/staff/desks/")  # the token's first use is recorded once

    # when / then
    with django_assert_max_num_queries(max_queries):
        response = client.get(f"/api/v1/{endpoint}/", {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] >= 2


def test_national_team_sees_all_desks_and_locations_but_no_memberships(
    api_client_for, national_user, location_a, location_b, membership_a, membership_b
):
    client = api_client_for(national_user)

    desks = client.get("/api/v1/staff/desks/", {"page_size": 200}).json()
    locations = client.get("/api/v1/staff/locations/", {"page_size": 200})
    memberships = client.get("/api/v1/staff/memberships/")

    assert desks["count"] == Desk.objects.count()
    assert _uuids(locations) == {str(location_a.uuid), str(location_b.uuid)}
    assert memberships.status_code == 200
    assert memberships.json()["count"] == 0
    assert client.get(f"/api/v1/staff/memberships/{membership_a.uuid}/").status_code == 404


def test_national_team_may_read_but_not_change_a_desk(api_client_for, national_user, desk_a):
    response = api_client_for(national_user).patch(
        f"/api/v1/staff/desks/{desk_a.uuid}/",
        {"version": desk_a.version, "display_name": "Landelijk loket"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    desk_a.refresh_from_db()
    assert desk_a.display_name == "Leerwerkloket Rijnmond"


def test_ministry_viewer_sees_no_memberships(api_client_for, ministry_user, membership_a):
    response = api_client_for(ministry_user).get("/api/v1/staff/memberships/")

    assert response.json()["count"] == 0


def test_adviser_whose_membership_ended_sees_empty_lists(
    api_client_for, ended_adviser_a, desk_a, location_a, partnership_a
):
    client = api_client_for(ended_adviser_a)

    for endpoint in STAFF_ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}/")
        assert response.status_code == 200
        assert response.json()["count"] == 0, endpoint
    assert client.get(f"/api/v1/staff/locations/{location_a.uuid}/").status_code == 404


def test_token_of_a_user_made_inactive_no_longer_works(api_client_for, adviser_a):
    client = api_client_for(adviser_a)
    adviser_a.is_active = False
    adviser_a.save()

    response = client.get("/api/v1/staff/desks/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Ongeldig, verlopen of ingetrokken token."


def test_partner_referrer_token_authenticates_but_reaches_no_staff_data(
    api_client_for, desk_b_objects, location_a
):
    # given a partner client (UWV referrer) with a token
    referrer = UserFactory(
        email="verwijzer@uwv.example.test", global_role=GlobalRole.PARTNER_REFERRER
    )
    client = api_client_for(referrer)

    # then every staff list is empty and every object is not found
    for endpoint in STAFF_ENDPOINTS:
        response = client.get(f"/api/v1/{endpoint}/")
        assert response.status_code == 200, endpoint
        assert response.json()["count"] == 0, endpoint
        obj = desk_b_objects[endpoint]
        assert client.get(f"/api/v1/{endpoint}/{obj.uuid}/").status_code == 404
    # and creating is refused
    response = client.post("/api/v1/staff/locations/", {}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("endpoint", STAFF_ENDPOINTS)
def test_anonymous_gets_401_on_staff_endpoints(api_client, endpoint, desk_b_objects):
    obj = desk_b_objects[endpoint]

    listing = api_client.get(f"/api/v1/{endpoint}/")
    detail = api_client.get(f"/api/v1/{endpoint}/{obj.uuid}/")
    delete = api_client.delete(f"/api/v1/{endpoint}/{obj.uuid}/")

    for response in (listing, detail, delete):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Token"
    assert _still_there(obj)


def test_session_log_in_works_for_the_staff_api(client_for, adviser_a, location_a):
    response = client_for(adviser_a).get("/api/v1/staff/locations/")

    assert response.status_code == 200
    assert _uuids(response) == {str(location_a.uuid)}


@pytest.mark.parametrize(
    ("endpoint", "model"),
    [
        ("staff/locations", Location),
        ("staff/memberships", StaffMembership),
        ("staff/partnerships", DeskPartnership),
    ],
)
def test_manager_of_a_cannot_create_objects_at_desk_b(
    api_client_for, manager_a, desk_b, endpoint, model
):
    before = model.objects.count()
    payload = {
        "desk": str(desk_b.uuid),
        "name": "Vestiging B",
        "street": "Grote Markt",
        "house_number": "1",
        "postcode": "9711 AA",
        "city": "Groningen",
        "email": "nieuw.b@example.test",
        "role": "adviser",
        "fte": "0.5",
        "start_date": "2026-01-01",
        "new_partner_name": "Partner B",
        "new_partner_kind": "other",
    }

    response = api_client_for(manager_a).post(f"/api/v1/{endpoint}/", payload, format="json")

    # desk B does not exist for them: the same answer as an unknown desk
    assert response.status_code == 400
    assert response.json()["fields"]["desk"] == [
        "Dit object bestaat niet of u hebt er geen toegang toe."
    ]
    assert model.objects.count() == before
