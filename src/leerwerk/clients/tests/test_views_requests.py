"""Intake requests through HTTP: the inbox, a request's page, accepting and dismissing,
registering a phone/walk-in/e-mail request and a partner referral."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client
from leerwerk.clients.selectors import has_consent
from leerwerk.clients.templatetags.clients_links import optional_reverse
from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.constants import DeskRole
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import IntakeChannel, QuestionTheme, RequestStatus
from leerwerk.guidance.models import IntakeRequest, Trajectory
from leerwerk.guidance.tests.factories import IntakeRequestFactory
from leerwerk.network.models import ServiceLine
from leerwerk.network.tests.factories import (
    DeskPartnershipFactory,
    PartnerFactory,
    StaffMembershipFactory,
)


def request_post(desk, **overrides: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "desk": str(desk.uuid),
        "channel": IntakeChannel.PHONE,
        "theme": QuestionTheme.FUNDING,
        "description": "Wie betaalt mijn opleiding tot verpleegkundige?",
        "given_name": "Bram",
        "family_name": "Belletjes-Test",
        "email": "",
        "phone": "06 87654321",
        "postcode": "3011 AD",
        "contact_preference": "phone",
        "consent": "on",
    }
    data.update(overrides)
    return data


def referral_post(partnership, **overrides: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "referrer_partner": str(partnership.uuid),
        "referrer_name": "Petra Verwijzer (test)",
        "referral_reason": "Wil omscholen naar de zorg.",
        "theme": QuestionTheme.RETRAINING,
        "description": "Omscholing naar de zorg",
        "given_name": "Vera",
        "family_name": "Verwezen-Test",
        "email": "vera.test@example.test",
        "phone": "",
        "postcode": "",
        "contact_preference": "email",
        "consent": "on",
    }
    data.update(overrides)
    return data


# -- inbox -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inbox_shows_new_requests_and_filters_by_status(client_for, desk_a, adviser_a):
    IntakeRequestFactory(desk=desk_a, given_name="Nieuwe", family_name="Aanvraag-Test")
    IntakeRequestFactory(
        desk=desk_a,
        given_name="Weggezette",
        family_name="Aanvraag-Test",
        status=RequestStatus.DISMISSED,
    )
    http = client_for(adviser_a)
    default = http.get(reverse("clients:request_list")).content.decode()
    dismissed = http.get(
        reverse("clients:request_list"), {"status": RequestStatus.DISMISSED}
    ).content.decode()
    everything = http.get(reverse("clients:request_list"), {"status": ""}).content.decode()
    assert "Nieuwe Aanvraag-Test" in default and "Weggezette" not in default
    assert "Weggezette Aanvraag-Test" in dismissed and "Nieuwe" not in dismissed
    assert "Nieuwe" in everything and "Weggezette" in everything


@pytest.mark.django_db
def test_inbox_is_paginated_with_a_bounded_number_of_queries(client_for, desk_a, adviser_a):
    partner = PartnerFactory(name="UWV Testkantoor")

    def count(n: int) -> tuple[int, int]:
        IntakeRequestFactory.create_batch(
            n, desk=desk_a, channel=IntakeChannel.PARTNER_REFERRAL, referrer_partner=partner
        )
        http = client_for(adviser_a)
        with CaptureQueriesContext(connection) as queries:
            response = http.get(reverse("clients:request_list"))
        return len(queries), response.context["page"].paginator.num_pages

    few, pages_few = count(3)
    many, pages_many = count(27)
    assert few == many
    assert (pages_few, pages_many) == (1, 2)


@pytest.mark.django_db
def test_empty_inbox_says_so(client_for, adviser_a):
    response = client_for(adviser_a).get(reverse("clients:request_list"))
    assert "Er zijn geen aanvragen met deze status." in response.content.decode()


# -- a request's page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_page_shows_matches_and_adviser_suggestions(client_for, desk_a, adviser_a):
    # given a request by someone who is already a client (same e-mail)
    known = ClientFactory(desk=desk_a, given_name="Karin", email="karin.test@example.test")
    intake = IntakeRequestFactory(
        desk=desk_a, given_name="Karin", family_name="Bekend", email="karin.test@example.test"
    )
    # when the adviser opens the request
    response = client_for(adviser_a).get(reverse("clients:request_detail", args=[intake.uuid]))
    # then the match and the advisers are offered, and the view is audited
    content = response.content.decode()
    assert response.status_code == 200
    assert [c.client for c in response.context["candidates"]] == [known]
    assert reverse("clients:detail", args=[known.uuid]) in content
    assert "zelfde e-mailadres" in content
    assert adviser_a in [s.user for s in response.context["advisers"]]
    assert adviser_a.get_full_name() in content
    assert AuditEvent.objects.filter(action="request.view", object_uuid=intake.uuid).exists()


@pytest.mark.django_db
def test_accepting_a_referral_creates_client_and_trajectory_with_channel_and_referrer(
    client_for, desk_a, adviser_a
):
    # given a partner referral with consent
    partner = PartnerFactory(name="Gemeente Testdam")
    intake = IntakeRequestFactory(
        desk=desk_a,
        channel=IntakeChannel.PARTNER_REFERRAL,
        referrer_partner=partner,
        referrer_name="Piet Doorsturen",
        theme=QuestionTheme.BASIC_SKILLS,
        given_name="Ada",
        family_name="Aangenomen-Test",
        email="ada.test@example.test",
    )
    line = ServiceLine.objects.order_by("sort_order").first()
    # when the adviser accepts it for a new client, assigned to themselves
    response = client_for(adviser_a).post(
        reverse("clients:request_accept", args=[intake.uuid]),
        {"client": "nieuw", "adviser": str(adviser_a.uuid), "service_line": line.code},
    )
    # then client and trajectory exist, with the request's channel and referrer
    client = Client.objects.get(family_name="Aangenomen-Test")
    trajectory = Trajectory.objects.get(client=client)
    assert client.desk == desk_a and client.email == "ada.test@example.test"
    assert trajectory.channel == IntakeChannel.PARTNER_REFERRAL
    assert trajectory.referrer_partner == partner
    assert trajectory.theme == QuestionTheme.BASIC_SKILLS
    assert trajectory.adviser == adviser_a
    assert trajectory.service_line == line
    assert trajectory.intake_request == intake
    intake.refresh_from_db()
    assert intake.status == RequestStatus.HANDLED and intake.client == client
    assert has_consent(client, ConsentPurpose.CONTACT)
    # and the adviser lands on the trajectory (or the client page while that does not exist)
    expected = optional_reverse(
        "guidance:trajectory_detail", trajectory_uuid=trajectory.uuid
    ) or reverse("clients:detail", args=[client.uuid])
    assert response.status_code == 302 and response.url == expected


@pytest.mark.django_db
def test_accepting_for_an_existing_client_links_it(client_for, desk_a, adviser_a):
    known = ClientFactory(desk=desk_a, email="karin.test@example.test")
    intake = IntakeRequestFactory(desk=desk_a, email="karin.test@example.test")
    client_for(adviser_a).post(
        reverse("clients:request_accept", args=[intake.uuid]),
        {"client": str(known.uuid), "adviser": ""},
    )
    assert Client.objects.filter(email="karin.test@example.test").count() == 1
    trajectory = Trajectory.objects.get(intake_request=intake)
    assert trajectory.client == known and trajectory.adviser is None


@pytest.mark.django_db
def test_accepting_with_a_client_that_is_not_a_match_is_refused(
    client_for, desk_a, desk_b, adviser_a
):
    # given a client of another desk (and one of the own desk that does not match)
    elsewhere = ClientFactory(desk=desk_b, email="ander.test@example.test")
    unrelated = ClientFactory(desk=desk_a, email="los.test@example.test", family_name="Los")
    intake = IntakeRequestFactory(desk=desk_a, email="karin.test@example.test")
    http = client_for(adviser_a)
    for chosen in (elsewhere, unrelated):
        response = http.post(
            reverse("clients:request_accept", args=[intake.uuid]), {"client": str(chosen.uuid)}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["client"]
    assert not Trajectory.objects.exists()
    intake.refresh_from_db()
    assert intake.status == RequestStatus.NEW


@pytest.mark.django_db
def test_accepting_twice_is_refused(client_for, desk_a, adviser_a):
    intake = IntakeRequestFactory(desk=desk_a, family_name="Dubbel-Test")
    http = client_for(adviser_a)
    url = reverse("clients:request_accept", args=[intake.uuid])
    first = http.post(url, {"client": "nieuw"})
    second = http.post(url, {"client": "nieuw"}, follow=True)
    assert first.status_code == 302
    assert "Deze aanvraag is al behandeld." in second.content.decode()
    assert Trajectory.objects.filter(intake_request=intake).count() == 1
    assert Client.objects.filter(family_name="Dubbel-Test").count() == 1


@pytest.mark.django_db
def test_handled_request_page_shows_no_accept_form(client_for, desk_a, adviser_a):
    intake = IntakeRequestFactory(desk=desk_a)
    http = client_for(adviser_a)
    http.post(reverse("clients:request_accept", args=[intake.uuid]), {"client": "nieuw"})
    content = http.get(reverse("clients:request_detail", args=[intake.uuid])).content.decode()
    assert reverse("clients:request_accept", args=[intake.uuid]) not in content
    assert reverse("clients:request_dismiss", args=[intake.uuid]) not in content


@pytest.mark.django_db
def test_dismissing_a_request(client_for, desk_a, adviser_a):
    intake = IntakeRequestFactory(desk=desk_a)
    http = client_for(adviser_a)
    response = http.post(reverse("clients:request_dismiss", args=[intake.uuid]))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == RequestStatus.DISMISSED
    again = http.post(reverse("clients:request_dismiss", args=[intake.uuid]), follow=True)
    assert "Deze aanvraag is al behandeld." in again.content.decode()


# -- registering -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_a_phone_request(client_for, desk_a, adviser_a):
    response = client_for(adviser_a).post(reverse("clients:request_register"), request_post(desk_a))
    intake = IntakeRequest.objects.get(family_name="Belletjes-Test")
    assert response.status_code == 302
    assert response.url == reverse("clients:request_detail", args=[intake.uuid])
    assert intake.desk == desk_a
    assert intake.channel == IntakeChannel.PHONE
    assert intake.submitted_by == adviser_a
    assert intake.consent_given_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"channel": IntakeChannel.EMAIL, "email": ""},
            "email",
            "De vraag kwam per e-mail binnen: vul het e-mailadres in.",
        ),
        ({"phone": "bel maar"}, "phone", "Vul een telefoonnummer in"),
        ({"postcode": "AB 1234"}, "postcode", "Vul een postcode in zoals 1234 AB."),
        ({"contact_preference": "phone", "phone": ""}, "phone", "vul dan uw telefoonnummer in"),
        ({"channel": IntakeChannel.WEB_FORM}, "channel", "Selecteer een geldige keuze."),
        ({"theme": ""}, "theme", "Dit veld is vereist."),
    ],
)
def test_register_shows_dutch_errors_and_saves_nothing(
    client_for, desk_a, adviser_a, overrides, field, message
):
    response = client_for(adviser_a).post(
        reverse("clients:request_register"), request_post(desk_a, **overrides)
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert "Controleer uw invoer" in response.content.decode()
    assert not IntakeRequest.objects.exists()


@pytest.mark.django_db
def test_register_a_partner_referral(client_for, desk_a, adviser_a):
    partnership = DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="UWV Test"))
    http = client_for(adviser_a)
    page = http.get(reverse("clients:referral_create"))
    assert "UWV Test" in page.content.decode()
    response = http.post(reverse("clients:referral_create"), referral_post(partnership))
    intake = IntakeRequest.objects.get(family_name="Verwezen-Test")
    assert response.status_code == 302
    assert intake.channel == IntakeChannel.PARTNER_REFERRAL
    assert intake.referrer_partner == partnership.partner
    assert intake.referrer_name == "Petra Verwijzer (test)"
    assert intake.desk == desk_a


@pytest.mark.django_db
def test_referral_needs_consent_and_a_partner_of_the_own_desk(
    client_for, desk_a, desk_b, adviser_a
):
    own = DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="Eigen Partner"))
    other = DeskPartnershipFactory(desk=desk_b, partner=PartnerFactory(name="Andere Partner"))
    http = client_for(adviser_a)
    no_consent = http.post(reverse("clients:referral_create"), referral_post(own, consent=""))
    wrong_partner = http.post(reverse("clients:referral_create"), referral_post(other))
    assert "toestemming" in " ".join(no_consent.context["form"].errors["consent"])
    assert "Kies een partner van uw loket." in " ".join(
        wrong_partner.context["form"].errors["referrer_partner"]
    )
    assert "Andere Partner" not in wrong_partner.content.decode()
    assert not IntakeRequest.objects.exists()


@pytest.mark.django_db
def test_referral_page_without_partners_explains_what_to_do(client_for, desk_a, adviser_a):
    response = client_for(adviser_a).get(reverse("clients:referral_create"))
    assert "nog geen partners" in response.content.decode()


@pytest.mark.django_db
def test_someone_at_two_desks_chooses_the_desk(client_for, desk_a, desk_b, adviser_a):
    StaffMembershipFactory(desk=desk_b, user=adviser_a, role=DeskRole.ADVISER)
    http = client_for(adviser_a)
    missing = http.post(reverse("clients:request_register"), {**request_post(desk_a), "desk": ""})
    assert "Kies het loket." in " ".join(missing.context["form"].errors["desk"])
    http.post(reverse("clients:request_register"), request_post(desk_b))
    assert IntakeRequest.objects.get().desk == desk_b
