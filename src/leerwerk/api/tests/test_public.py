"""Public read endpoints: anyone may read published network data, nothing else."""

import pytest

from leerwerk.network.models import Desk
from leerwerk.network.tests.factories import DeskFactory, LocationFactory

pytestmark = pytest.mark.django_db


def test_regions_list_all_35_regions_with_their_central_municipality(
    api_client, django_assert_max_num_queries
):
    # when
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/regions/", {"page_size": 50})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 35
    rijnmond = next(r for r in body["results"] if r["code"] == "AM22")
    assert rijnmond["name"] == "Rijnmond"
    assert rijnmond["central_municipality"] == {"code": "GM0599", "name": "Rotterdam"}
    assert rijnmond["population"] > 1_000_000
    assert "id" not in rijnmond


def test_region_detail_is_found_by_code(api_client):
    response = api_client.get("/api/v1/regions/AM01/")

    assert response.status_code == 200
    assert response.json()["name"] == "Groningen"


def test_unknown_region_is_404_in_dutch(api_client):
    response = api_client.get("/api/v1/regions/AM04/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Niet gevonden.", "fields": {}}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "AM22", "q": "rotter"}, ["Rotterdam"]),
        ({"region": "am22", "q": "Rotterdam"}, ["Rotterdam"]),
        ({"region": "AM01", "q": "Rotterdam"}, []),
        ({"q": "groningen"}, ["Groningen", "Midden-Groningen"]),
    ],
)
def test_municipalities_filter_by_region_and_name(api_client, params, expected):
    response = api_client.get("/api/v1/municipalities/", params)

    assert response.status_code == 200
    assert [m["name"] for m in response.json()["results"]] == expected


def test_municipalities_of_a_region_are_paginated_in_few_queries(
    api_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/municipalities/", {"region": "AM22", "page_size": 5})

    body = response.json()
    assert body["count"] > 5
    assert len(body["results"]) == 5
    assert body["next"] is not None
    assert {m["region"]["code"] for m in body["results"]} == {"AM22"}


def test_desks_list_only_published_desks_with_service_lines_and_contact(
    api_client, desk_a, django_assert_max_num_queries
):
    # given an unpublished desk
    hidden = DeskFactory(display_name="Verborgen loket", is_published=False)
    desk_a.email = "info@rijnmond.example.test"
    desk_a.save()

    # when
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/desks/", {"page_size": 100})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Desk.objects.filter(is_published=True).count()
    uuids = {d["uuid"] for d in body["results"]}
    assert str(hidden.uuid) not in uuids
    rijnmond = next(d for d in body["results"] if d["uuid"] == str(desk_a.uuid))
    assert rijnmond["region"] == {"code": "AM22", "name": "Rijnmond"}
    assert rijnmond["contact"]["email"] == "info@rijnmond.example.test"
    assert [line["code"] for line in rijnmond["service_lines"]] == ["leerwerkadvies"]
    assert rijnmond["organisation_kind"] == "leerwerkloket"
    assert "id" not in rijnmond and "version" not in rijnmond


def test_desk_detail_by_uuid_and_unpublished_desk_is_404(api_client, desk_a):
    hidden = DeskFactory(is_published=False)

    assert api_client.get(f"/api/v1/desks/{desk_a.uuid}/").json()["slug"] == desk_a.slug
    assert api_client.get(f"/api/v1/desks/{hidden.uuid}/").status_code == 404
    assert api_client.get("/api/v1/desks/not-a-uuid/").status_code == 404
    assert api_client.get(f"/api/v1/desks/{desk_a.pk}/").status_code == 404


def test_locations_list_public_locations_with_hours_filtered_by_desk(
    api_client, desk_a, location_a, location_b, django_assert_max_num_queries
):
    # given a location that is not public
    LocationFactory(desk=desk_a, name="Achterkantoor", is_public=False)

    # when
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/locations/", {"desk": str(desk_a.uuid)})

    # then
    assert response.status_code == 200
    results = response.json()["results"]
    assert [location["name"] for location in results] == [location_a.name]
    hours = results[0]["hours"]
    assert {"kind": "opening", "weekday": 0, "opens": "09:00:00", "closes": "12:00:00"}.items() <= (
        hours[0].items()
    )
    assert hours[1]["kind"] == "walk_in"
    assert results[0]["municipality"] == {"code": "GM0599", "name": "Rotterdam"}
    assert results[0]["desk"]["uuid"] == str(desk_a.uuid)


def test_locations_of_all_desks_in_bounded_queries(
    api_client, location_a, location_b, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/locations/")

    assert {loc["uuid"] for loc in response.json()["results"]} == {
        str(location_a.uuid),
        str(location_b.uuid),
    }


def test_locations_filter_with_a_bad_desk_id_is_400_in_dutch(api_client):
    response = api_client.get("/api/v1/locations/", {"desk": "12"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"desk": ["Dit is geen geldige id (UUID)."]}


@pytest.mark.parametrize("code", ["3011", "3011AB", "3011 ab"])
def test_postcode_finds_municipality_region_and_desk(
    api_client, desk_a, code, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = api_client.get(f"/api/v1/postcodes/{code}/")

    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == "3011"
    assert body["municipality"] == {"code": "GM0599", "name": "Rotterdam"}
    assert body["region"] == {"code": "AM22", "name": "Rijnmond"}
    assert [desk["uuid"] for desk in body["desks"]] == [str(desk_a.uuid)]
    assert body["message"] == ""


def test_unknown_postcode_is_404_with_a_dutch_message(api_client):
    response = api_client.get("/api/v1/postcodes/0999/")

    assert response.status_code == 404
    assert response.json()["detail"] == "Postcode 0999 kennen we niet. Controleer de postcode."


def test_malformed_postcode_is_400(api_client):
    response = api_client.get("/api/v1/postcodes/12345/")

    assert response.status_code == 400
    assert response.json()["fields"]["code"] == [
        "Vul een postcode in van vier cijfers, zoals 3511."
    ]


def test_special_duo_postcode_is_200_with_no_desk_and_the_explanation(api_client):
    response = api_client.get("/api/v1/postcodes/0010/")

    assert response.status_code == 200
    body = response.json()
    assert body["desks"] == []
    assert body["municipality"] is None and body["region"] is None
    assert "België" in body["message"]


def test_postcode_of_a_region_without_a_published_desk_explains_that(api_client, desk_a):
    desk_a.is_published = False
    desk_a.save()

    body = api_client.get("/api/v1/postcodes/3011/").json()

    assert body["desks"] == []
    assert body["message"] == "In de regio Rijnmond is nog geen loket te vinden."


def test_partners_list_is_public(api_client, partnership_a):
    response = api_client.get("/api/v1/partners/", {"q": "Testpartner A"})

    assert response.status_code == 200
    assert [p["uuid"] for p in response.json()["results"]] == [str(partnership_a.partner.uuid)]


def test_public_endpoints_refuse_writes(api_client, desk_a):
    response = api_client.patch(
        f"/api/v1/desks/{desk_a.uuid}/", {"display_name": "Gekaapt"}, format="json"
    )

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    desk_a.refresh_from_db()
    assert desk_a.display_name != "Gekaapt"


def test_anonymous_clients_are_throttled(api_client):
    # given a very low anonymous rate
    from rest_framework.throttling import AnonRateThrottle

    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {"anon": "2/minute"}
    try:
        # when
        responses = [api_client.get("/api/v1/regions/AM01/") for _ in range(3)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original

    # then
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[2].json()["code"] == "throttled"
    assert responses[2].json()["detail"].startswith("Te veel verzoeken. Probeer het over ")


def test_api_root_lists_the_endpoints(api_client):
    response = api_client.get("/api/v1/")

    assert response.status_code == 200
    assert "staff/locations" in response.json()
