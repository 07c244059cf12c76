"""Funding API: public read endpoints and the rate-limited evaluation, with the stable error
format."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from leerwerk.funding import examples
from leerwerk.funding.models import FundingArrangement

pytestmark = pytest.mark.django_db

EVALUATE = "/api/v1/funding/evaluate/"
ARRANGEMENTS = "/api/v1/funding/arrangements/"


@pytest.fixture(autouse=True)
def _setup(desk_a):  # type: ignore[no-untyped-def]
    cache.clear()  # rate-limit counters
    examples.seed(apps)
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_arrangements_are_public_with_their_conditions(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api.get(ARRANGEMENTS)

    assert response.status_code == 200
    by_name = {a["name"]: a for a in response.json()["results"]}
    credit = by_name["Levenlanglerenkrediet"]
    assert credit["is_example"] is True
    assert credit["scope"] == "national" and credit["region"] is None
    assert {c["description"] for c in credit["conditions"]} >= {"Leeftijd: tot en met 55 jaar"}
    fund = by_name["Regionaal vakmanschapsfonds (fictief voorbeeld, Rijnmond)"]
    assert fund["region"] == {"code": "AM22", "name": "Rijnmond"}
    assert fund["conditions"][0]["implicit"] is True
    voucher = by_name["Scholingsvoucher voor uitzendkrachten"]
    assert voucher["not_combinable_with"] == [fund["uuid"]]


def test_arrangements_filter_by_scope_and_region(api):
    sector = api.get(ARRANGEMENTS, {"scope": "sector"}).json()["results"]
    groningen = api.get(ARRANGEMENTS, {"region": "AM01"}).json()["results"]
    rijnmond = api.get(ARRANGEMENTS, {"region": "am22"}).json()["results"]

    assert [a["name"] for a in sector] == ["Scholingsvoucher voor uitzendkrachten"]
    assert all(a["scope"] != "regional" for a in groningen)
    assert any(a["scope"] == "regional" for a in rijnmond)


def test_one_arrangement_by_uuid_and_inactive_ones_are_not_found(api):
    slim = FundingArrangement.objects.get(seed_key="slim")
    assert (
        api.get(f"{ARRANGEMENTS}{slim.uuid}/").json()["name"] == "SLIM-subsidie voor mkb-werkgevers"
    )

    slim.is_active = False
    slim.save()

    response = api.get(f"{ARRANGEMENTS}{slim.uuid}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_evaluate_gives_verdicts_with_dutch_reasons(api):
    response = api.post(
        EVALUATE,
        {
            "situation": {
                "situations": ["agency_worker"],
                "age": 24,
                "postcode": "3011 AB",
                "sector": "transport",
            },
            "training": {"kind": "certificate", "level": "mbo_2", "lists": ["training_register"]},
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": "AM22", "name": "Rijnmond"}
    results = {r["name"]: r for r in body["results"]}
    voucher = results["Scholingsvoucher voor uitzendkrachten"]
    assert voucher["verdict"] == "eligible"
    assert voucher["not_combinable_with"] == [
        "Regionaal vakmanschapsfonds (fictief voorbeeld, Rijnmond)"
    ]
    assert voucher["conditions"][0]["reason"].startswith(
        "Uw situatie: Uitzendkracht of flexwerker."
    )
    slim = results["SLIM-subsidie voor mkb-werkgevers"]
    assert slim["verdict"] == "possibly"
    assert slim["questions"] == ["Hoeveel mensen werken er bij uw werkgever?"]
    verdicts = [r["verdict"] for r in body["results"]]
    assert verdicts == sorted(verdicts, key=["eligible", "possibly", "not_eligible"].index)


def test_evaluate_on_a_date_after_the_end_is_not_eligible(api):
    FundingArrangement.objects.filter(seed_key="slim").update(valid_until="2026-01-31")

    response = api.post(EVALUATE, {"situation": {}, "on": "2026-02-01"}, format="json")

    slim = next(r for r in response.json()["results"] if r["name"].startswith("SLIM"))
    assert slim["verdict"] == "not_eligible"
    assert slim["conditions"][0]["reason"] == "Deze regeling is gestopt op 31 januari 2026."


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "situation"),
        ({"situation": {"age": 130}}, "situation"),
        ({"situation": {"situations": ["astronaut"]}}, "situation"),
        ({"situation": {"postcode": "0000"}}, "situation"),
        ({"situation": {}, "training": {"crebo": "12"}}, "training"),
        ({"situation": {}, "on": "gisteren"}, "on"),
    ],
)
def test_evaluate_validation_errors_use_the_stable_format(api, payload, field):
    response = api.post(EVALUATE, payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "De invoer is niet goed. Bekijk de meldingen per veld."
    assert field in body["fields"]


def test_evaluate_rejects_other_methods(api):
    response = api.get(EVALUATE)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@override_settings(LEERWERK_FUNDING_EVALUATE_RATE="2/minute")
def test_evaluate_is_rate_limited(api, client_for, adviser_a):
    responses = [api.post(EVALUATE, {"situation": {}}, format="json") for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[2].json()["code"] == "throttled"
    assert responses[2].json()["detail"].startswith("Te veel verzoeken.")

    # logged-in clients are limited too (per user)
    staff = APIClient()
    staff.force_authenticate(adviser_a)
    codes = [staff.post(EVALUATE, {"situation": {}}, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_evaluate_stores_nothing(api):
    from leerwerk.funding.models import ArrangementChange, FundingAdvice

    before = (FundingAdvice.objects.count(), ArrangementChange.objects.count())

    api.post(EVALUATE, {"situation": {"age": 30}}, format="json")

    assert before == (FundingAdvice.objects.count(), ArrangementChange.objects.count())
