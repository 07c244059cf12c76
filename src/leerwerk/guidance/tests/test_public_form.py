"""The public advice-request form of a desk, through HTTP."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import IntakeChannel, RequestStatus
from leerwerk.guidance.models import IntakeRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    """Submissions are counted in the cache; every test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


def form_url(desk):
    return reverse("guidance_public:request_form", args=[desk.slug])


def sent_url(desk):
    return reverse("guidance_public:request_sent", args=[desk.slug])


def valid_data(**overrides):
    data = {
        "theme": "career_advice",
        "description": "Ik werk in de zorg en wil iets anders. Wat past bij mij?",
        "given_name": "Fatima",
        "family_name": "el Amrani",
        "email": "Fatima@Example.test",
        "phone": "",
        "postcode": "3011ab",
        "contact_preference": "email",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_form_is_shown_in_plain_dutch_with_consent_not_ticked(client, desk_a):
    # when
    response = client.get(form_url(desk_a))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stel uw vraag" in html
    assert "Ik wil weten welk werk bij mij past" in html
    assert 'name="consent"' in html
    consent_input = html[html.index('name="consent"') - 200 : html.index('name="consent"') + 200]
    assert "checked" not in consent_input
    assert "csrfmiddlewaretoken" in html


def test_honeypot_is_hidden_from_people_screen_readers_and_keyboard(client, desk_a):
    # when
    html = client.get(form_url(desk_a)).content.decode()
    # then: the honeypot input sits in an aria-hidden container and is out of the tab order
    position = html.index('name="website"')
    container = html.rindex("<div", 0, html.rindex("<label", 0, position))
    assert 'aria-hidden="true"' in html[container : container + 120]
    assert 'tabindex="-1"' in html[position - 200 : position + 200]


def test_valid_submission_creates_web_form_request_with_consent_time(client, desk_a):
    # given
    before = timezone.now()
    # when
    response = client.post(form_url(desk_a), valid_data())
    # then
    assert response.status_code == 302
    assert response["Location"] == sent_url(desk_a)
    request = IntakeRequest.objects.get()
    assert request.desk == desk_a
    assert request.channel == IntakeChannel.WEB_FORM
    assert request.status == RequestStatus.NEW
    assert request.consent_given_at is not None and request.consent_given_at >= before
    assert request.email == "fatima@example.test"
    assert request.postcode == "3011 AB"
    assert AuditEvent.objects.filter(action="request.submit", object_uuid=request.uuid).exists()


def test_phone_preference_needs_phone_number(client, desk_a):
    # when
    response = client.post(
        form_url(desk_a), valid_data(contact_preference="phone", email="", phone="")
    )
    # then
    assert response.status_code == 200
    assert "U wilt gebeld worden: vul dan uw telefoonnummer in." in response.content.decode()
    assert not IntakeRequest.objects.exists()


def test_phone_preference_with_phone_is_saved(client, desk_a):
    # when
    response = client.post(
        form_url(desk_a), valid_data(contact_preference="phone", email="", phone="06 12345678")
    )
    # then
    assert response.status_code == 302
    assert IntakeRequest.objects.get().contact_preference == "phone"


def test_missing_consent_gives_error_and_saves_nothing(client, desk_a):
    # when
    response = client.post(form_url(desk_a), valid_data(consent=None))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Controleer uw invoer" in html
    assert "Wij kunnen u alleen helpen als u toestemming geeft." in html
    assert not IntakeRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "123 AB", "Vul een postcode in zoals 1234 AB."),
        ("postcode", "0123 AB", "Vul een postcode in zoals 1234 AB."),
        ("email", "fatima@", "Vul een goed e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        ("phone", "bel me", "Vul een goed telefoonnummer in"),
        ("theme", "", "Kies waar uw vraag over gaat."),
        ("description", "", "Schrijf kort wat uw vraag is."),
        ("given_name", "", "Vul uw voornaam in."),
    ],
)
def test_bad_input_gives_dutch_error_and_saves_nothing(client, desk_a, field, value, message):
    # when
    response = client.post(form_url(desk_a), valid_data(**{field: value}))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'href="#id_' in html  # the error summary links to the field
    assert not IntakeRequest.objects.exists()


def test_filled_honeypot_pretends_success_without_saving(client, desk_a):
    # when
    response = client.post(form_url(desk_a), valid_data(website="http://spam.example"))
    # then
    assert response.status_code == 302
    assert response["Location"] == sent_url(desk_a)
    assert not IntakeRequest.objects.exists()


def test_rate_limit_per_client_address(desk_a, settings):
    # given: five requests from one address
    settings.LEERWERK_PUBLIC_REQUEST_LIMIT = 5
    browser = Client(REMOTE_ADDR="192.0.2.10")
    for n in range(5):
        assert browser.post(form_url(desk_a), valid_data(given_name=f"Naam{n}")).status_code == 302
    # when: a sixth one
    response = browser.post(form_url(desk_a), valid_data(given_name="Zesde"))
    # then: a friendly message, nothing saved
    assert response.status_code == 429
    assert "Wacht 10 minuten" in response.content.decode()
    assert IntakeRequest.objects.count() == 5
    # and another address is not affected
    other = Client(REMOTE_ADDR="192.0.2.11")
    assert other.post(form_url(desk_a), valid_data()).status_code == 302
    assert IntakeRequest.objects.count() == 6


def test_invalid_attempts_do_not_count_for_the_rate_limit(desk_a, settings):
    # given
    settings.LEERWERK_PUBLIC_REQUEST_LIMIT = 2
    browser = Client(REMOTE_ADDR="192.0.2.20")
    for _ in range(3):
        browser.post(form_url(desk_a), valid_data(consent=None))
    # when
    response = browser.post(form_url(desk_a), valid_data())
    # then
    assert response.status_code == 302


def test_csrf_is_required(desk_a):
    # given
    browser = Client(enforce_csrf_checks=True)
    # when
    response = browser.post(form_url(desk_a), valid_data())
    # then
    assert response.status_code == 403
    assert not IntakeRequest.objects.exists()


@pytest.mark.parametrize("page", [form_url, sent_url])
def test_unpublished_desk_gives_404(client, desk_a, page):
    # given
    desk_a.is_published = False
    desk_a.save(update_fields=["is_published"])
    # when / then
    assert client.get(page(desk_a)).status_code == 404
    assert client.post(form_url(desk_a), valid_data()).status_code == 404
    assert not IntakeRequest.objects.exists()


def test_unknown_desk_gives_404(client):
    assert client.get("/loketten/bestaat-niet/adviesvraag/").status_code == 404


def test_thank_you_page_says_what_happens_next_without_personal_data(client, desk_a):
    # given
    client.post(form_url(desk_a), valid_data())
    # when
    response = client.get(sent_url(desk_a))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat gebeurt er nu?" in html
    assert "Fatima" not in html
    assert "fatima@example.test" not in html.lower()


def test_markup_in_description_is_escaped_when_the_form_is_shown_again(client, desk_a):
    # given: a description with markup and a missing consent, so the form comes back
    evil = "<script>alert('x')</script><b>vet</b>"
    # when
    response = client.post(form_url(desk_a), valid_data(description=evil, consent=None))
    # then
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>vet</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_markup_in_description_is_stored_as_text_and_escaped_in_the_export(
    client, desk_a, manager_a
):
    # given: a request with markup, taken into work by the desk
    from leerwerk.clients.privacy import client_export_html
    from leerwerk.guidance.services import intake_request_accept

    evil = "<img src=x onerror=alert(1)>"
    client.post(form_url(desk_a), valid_data(description=evil))
    request = IntakeRequest.objects.get()
    assert request.description == evil
    trajectory = intake_request_accept(actor=manager_a, request=request)
    # when
    html = client_export_html(actor=manager_a, client=trajectory.client)
    # then
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_form_page_query_count(client, desk_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(form_url(desk_a))
