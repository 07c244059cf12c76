"""The regional home: content blocks, team, links to the other parts, and the callback form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from leerwerk.core.constants import DeskRole
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import IntakeChannel, QuestionTheme, RequestStatus
from leerwerk.guidance.models import IntakeRequest
from leerwerk.network.models import Desk
from leerwerk.network.tests.factories import StaffMembershipFactory
from leerwerk.portal import services
from leerwerk.portal.constants import ContentSlot
from leerwerk.portal.models import DeskPortalSettings

pytestmark = pytest.mark.django_db


def _home(client, desk):  # type: ignore[no-untyped-def]
    return client.get(reverse("public:desk_detail", args=[desk.slug])).content.decode()


def test_published_blocks_are_shown_as_sanitised_markdown(client, desk_a, manager_a):
    services.content_block_save(
        actor=manager_a,
        desk=desk_a,
        slot=ContentSlot.HOME_INTRO,
        title="Welkom in Rijnmond",
        body='Wij helpen **gratis**.\n\n<script>alert("x")</script>\n\n[klik](javascript:alert(1))',
        is_published=True,
        expected_version=None,
    )
    services.content_block_save(
        actor=manager_a,
        desk=desk_a,
        slot=ContentSlot.OFFER,
        title="",
        body="Nog niet klaar",
        is_published=False,
        expected_version=None,
    )

    html = _home(client, desk_a)

    assert "Welkom in Rijnmond" in html
    assert "Wij helpen <strong>gratis</strong>." in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "Nog niet klaar" not in html  # a draft stays off the site


def test_team_shows_roles_unless_the_desk_opts_in_to_names(client, desk_a):
    StaffMembershipFactory(desk=desk_a, role=DeskRole.ADVISER, user__name="Fien Testadviseur")
    StaffMembershipFactory(desk=desk_a, role=DeskRole.ADVISER, user__name="Bram Testadviseur")
    StaffMembershipFactory(desk=desk_a, role=DeskRole.DESK_MANAGER, user__name="Pim Testleider")

    html = _home(client, desk_a)
    assert "Bij ons werken 2 adviseurs en 1 projectleider." in html
    assert "Fien Testadviseur" not in html

    DeskPortalSettings.objects.create(desk=desk_a, show_staff_names=True)
    html = _home(client, desk_a)
    assert "Fien Testadviseur, adviseur" in html
    assert "Pim Testleider, projectleider" in html


def test_regional_home_links_to_self_tests_callback_and_other_parts(client, desk_a):
    html = _home(client, desk_a)
    assert f'href="/loketten/{desk_a.slug}/zelftesten/"' in html
    assert f'href="/loketten/{desk_a.slug}/terugbellen/"' in html
    assert f'href="/loketten/{desk_a.slug}/adviesvraag/"' in html
    assert f'href="/loketten/{desk_a.slug}/opleidingen/"' in html  # catalogue (issue 5)
    assert f'href="/loketten/{desk_a.slug}/financiering/"' in html  # funding (issue 6)
    assert f'href="/loketten/{desk_a.slug}/kansberoepen/"' in html


def test_unpublished_desk_has_no_regional_home_nor_callback(client, desk_a):
    Desk.objects.filter(pk=desk_a.pk).update(is_published=False)
    assert client.get(reverse("public:desk_detail", args=[desk_a.slug])).status_code == 404
    assert client.get(reverse("portal_public:callback", args=[desk_a.slug])).status_code == 404


# -- callback ("kort vraagje") -------------------------------------------------------------------

VALID = {
    "given_name": "Testa",
    "phone": "06 12345678",
    "question": "Mag ik met een WW-uitkering een cursus doen?",
    "consent": "on",
}


def test_callback_lands_as_a_new_intake_request(client, desk_a):
    response = client.post(reverse("portal_public:callback", args=[desk_a.slug]), VALID)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal_public:callback_sent", args=[desk_a.slug])
    request = IntakeRequest.objects.get(desk=desk_a)
    assert request.status == RequestStatus.NEW
    assert request.channel == IntakeChannel.WEB_FORM
    assert request.theme == QuestionTheme.OTHER
    assert request.contact_preference == "phone"
    assert request.description.startswith("Terugbelverzoek (kort vraagje): Mag ik")
    assert request.consent_given_at is not None
    assert AuditEvent.objects.filter(action="request.submit", desk=desk_a).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "", "Vul uw telefoonnummer in."),
        ("phone", "bel me", "Vul een goed telefoonnummer in"),
        ("consent", "", "Wij kunnen u alleen bellen als u toestemming geeft."),
        ("question", "x" * 501, "Uw vraag is te lang."),
    ],
)
def test_callback_shows_clear_dutch_errors(client, desk_a, field, value, message):
    data = {**VALID, field: value}
    if not value:
        data.pop(field)
    response = client.post(reverse("portal_public:callback", args=[desk_a.slug]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IntakeRequest.objects.exists()


def test_callback_honeypot_pretends_success_and_saves_nothing(client, desk_a):
    response = client.post(
        reverse("portal_public:callback", args=[desk_a.slug]), {**VALID, "website": "spam"}
    )
    assert response.status_code == 302
    assert not IntakeRequest.objects.exists()


def test_callback_is_rate_limited_per_address(client, desk_a, settings):
    settings.LEERWERK_PORTAL_RATE_LIMITS = {"callback": (2, 600)}
    url = reverse("portal_public:callback", args=[desk_a.slug])
    assert client.post(url, VALID).status_code == 302
    assert client.post(url, VALID).status_code == 302
    response = client.post(url, VALID)
    assert response.status_code == 429
    assert "Wacht 10 minuten" in response.content.decode()
    assert IntakeRequest.objects.count() == 2


def test_callback_needs_csrf(desk_a):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("portal_public:callback", args=[desk_a.slug]), VALID
    )
    assert response.status_code == 403
    assert not IntakeRequest.objects.exists()


def test_regional_home_query_count_is_bounded(client, desk_a, django_assert_max_num_queries):
    for _ in range(5):
        StaffMembershipFactory(desk=desk_a, role=DeskRole.ADVISER, fte=Decimal("0.5"))
    DeskPortalSettings.objects.create(desk=desk_a, show_staff_names=True)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("public:desk_detail", args=[desk_a.slug]))
    assert response.status_code == 200


def test_the_next_three_activities_are_on_the_regional_home(client, desk_a, desk_b):
    import datetime

    from leerwerk.agenda.tests.factories import EventFactory, tomorrow_at

    for number in range(4):
        when = tomorrow_at(10, days=1 + number)
        EventFactory(
            desk=desk_a,
            title=f"Infobijeenkomst {number}",
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=1),
        )
    EventFactory(desk=desk_b, title="Banenmarkt elders")
    html = _home(client, desk_a)
    assert "Infobijeenkomst 0" in html and "Infobijeenkomst 2" in html
    assert "Infobijeenkomst 3" not in html  # the fourth is on the activities page
    assert "Banenmarkt elders" not in html
    assert f'href="/loketten/{desk_a.slug}/activiteiten/"' in html


def test_without_activities_the_home_says_so(client, desk_a):
    assert "Er staan nu geen activiteiten gepland." in _home(client, desk_a)
