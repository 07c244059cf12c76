"""The public funding wizard through HTTP: questions, explained answers, next steps, nothing
stored, CSRF, desk pages."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from leerwerk.core.models import AuditEvent
from leerwerk.funding import examples
from leerwerk.funding.models import ArrangementChange, FundingAdvice, FundingArrangement
from leerwerk.guidance.models import IntakeRequest

pytestmark = pytest.mark.django_db

WIZARD = "/financiering/"


@pytest.fixture(autouse=True)
def _examples(desk_a):  # type: ignore[no-untyped-def]
    examples.seed(apps)  # with the regional example (desk A = Rijnmond)


def test_the_wizard_asks_a_few_plain_questions(client):
    response = client.get(WIZARD)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Geld voor een opleiding of cursus" in html
    assert "Wat past bij u?" in html
    assert "Hoe oud bent u?" in html
    assert "Wij bewaren uw antwoorden niet." in html
    assert "csrfmiddlewaretoken" in html


def test_a_jobseeker_in_rotterdam_gets_an_explained_answer_with_next_steps(client, desk_a):
    response = client.post(
        WIZARD,
        {
            "situations": ["jobseeker_ww"],
            "age": "45",
            "education_level": "mbo_2",
            "postcode": "3011",
            "training_kind": "diploma",
            "training_level": "mbo_3",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Uw uitkomst" in html
    assert "NL leert door: gratis ontwikkeladvies" in html
    assert "Uw leeftijd: 45 jaar. Dat past" in html
    assert "Voorbeeld: controleer voor gebruik" in html
    # the regional example of Rijnmond is evaluated: the sector is still unknown
    assert "Regionaal vakmanschapsfonds" in html
    assert "In welke sector werkt u?" in html
    # next step: the advice-request form of the desk of this postcode
    assert reverse("guidance_public:request_form", args=[desk_a.slug]) in html


def test_without_answers_everything_is_possibly_or_not_and_asks_the_questions(client):
    response = client.post(WIZARD, {})

    assert response.status_code == 200
    groups = response.context["groups"]
    assert groups["eligible"] == []
    assert {r["verdict"] for r in groups["possibly"]} == {"possibly"}
    assert "Vul uw postcode in. Dan zoeken we ook naar regelingen in uw regio." in (
        response.content.decode()
    )
    # without a region, no regional arrangements are shown
    assert all(r["scope"] != "regional" for r in groups["possibly"] + groups["not_eligible"])


def test_an_unknown_postcode_is_explained(client):
    response = client.post(WIZARD, {"postcode": "0000"})

    assert response.status_code == 200
    assert response.context["evaluation"] is None
    assert "Vul een postcode in zoals 3011 of 3011 AB." in response.content.decode()


def test_an_impossible_age_is_explained(client):
    response = client.post(WIZARD, {"age": "200"})

    assert "Vul een leeftijd in van 0 tot en met 120." in response.content.decode()


def test_nothing_is_stored_from_the_public_wizard(client):
    counts = (
        FundingArrangement.objects.count(),
        ArrangementChange.objects.count(),
        FundingAdvice.objects.count(),
        IntakeRequest.objects.count(),
        AuditEvent.objects.count(),
    )

    client.post(WIZARD, {"situations": ["worker"], "age": "30", "postcode": "3011 AB"})

    assert counts == (
        FundingArrangement.objects.count(),
        ArrangementChange.objects.count(),
        FundingAdvice.objects.count(),
        IntakeRequest.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_wizard_requires_a_csrf_token():
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(WIZARD, {"age": "30"})

    assert response.status_code == 403


def test_htmx_gets_the_same_answer(client):
    response = client.post(WIZARD, {"situations": ["worker"]}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert 'id="wizard"' in response.content.decode()
    assert response.context["evaluation"] is not None


def test_desk_wizard_links_to_its_own_advice_form_and_shows_its_regional_arrangements(
    client, desk_a
):
    url = reverse("funding_public:desk_wizard", args=[desk_a.slug])

    response = client.post(url, {"situations": ["worker"], "sector": "construction"})

    html = response.content.decode()
    assert reverse("guidance_public:request_form", args=[desk_a.slug]) in html
    assert "Regionaal vakmanschapsfonds" in html
    # the region is not asserted from the desk: the postcode question stays open
    fund = next(
        r
        for group in response.context["groups"].values()
        for r in group
        if r["name"].startswith("Regionaal vakmanschapsfonds")
    )
    assert fund["verdict"] == "possibly"
    assert "Wat is uw postcode?" in fund["questions"]


def test_unknown_or_unpublished_desk_is_404(client, desk_b):
    assert client.get("/loketten/bestaat-niet/financiering/").status_code == 404
    desk_b.is_published = False
    desk_b.save()
    assert client.get(f"/loketten/{desk_b.slug}/financiering/").status_code == 404


def test_inactive_arrangements_are_not_in_the_wizard(client):
    FundingArrangement.objects.filter(seed_key="slim").update(is_active=False)

    response = client.post(WIZARD, {})

    assert "SLIM-subsidie" not in response.content.decode()


def test_wizard_answers_in_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.post(WIZARD, {"situations": ["worker"], "age": "30", "postcode": "3011"})
