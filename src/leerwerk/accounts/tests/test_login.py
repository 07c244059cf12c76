"""Log-in, log-out and password reset for staff, through HTTP."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from leerwerk.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
RESET = reverse("accounts:password_reset")
PASSWORD = "correct-horse-battery-9"  # the factory's password
WRONG_LOGIN = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
THROTTLED = "Te veel mislukte pogingen."


@pytest.fixture(autouse=True)
def _clear_throttle():
    """Failed log-ins are counted in the cache; every test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_user():
    return UserFactory(email="adviseur.login@example.test", name="Ada Adviseur")


def log_in(client, email: str, password: str, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def error_summary(html: str) -> str:
    match = re.search(
        r'<div class="utrecht-alert utrecht-alert--error.*?</div>\s*</div>', html, re.S
    )
    assert match, "no error summary on the page"
    return match.group(0)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# -- the page --------------------------------------------------------------------------------


def test_login_page_has_fields_and_password_reset_link(client):
    # when
    html = client.get(LOGIN).content.decode()

    # then
    assert '<label class="utrecht-form-label" for="id_username">E-mailadres' in html
    assert '<label class="utrecht-form-label" for="id_password">Wachtwoord' in html
    assert f'href="{RESET}">Wachtwoord vergeten?</a>' in html
    assert 'autocomplete="current-password"' in html
    # and the brand is the site's name, not the host name the auth view puts in "site_name"
    assert "<title>Inloggen voor medewerkers – Leerwerkloket</title>" in html
    assert ">testserver<" not in html


# -- logging in ------------------------------------------------------------------------------


def test_login_with_email_in_other_case_works(client, staff_user):
    # when
    response = log_in(client, "Adviseur.Login@EXAMPLE.test", PASSWORD)

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert is_logged_in(client)
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_wrong_password_gives_dutch_message_without_saying_whether_email_exists(client, staff_user):
    # when: a wrong password for an existing account, and an e-mail address without account
    wrong_password = log_in(client, staff_user.email, "niet-het-wachtwoord")
    unknown_email = log_in(client, "bestaat.niet@example.test", "niet-het-wachtwoord")

    # then both are refused with exactly the same Dutch explanation
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert not is_logged_in(client)
    summary = error_summary(wrong_password.content.decode())
    assert WRONG_LOGIN in summary
    assert summary == error_summary(unknown_email.content.decode())
    assert "bestaat niet" not in summary
    assert "onbekend" not in summary.lower()


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client, staff_user
):
    # given five failed attempts
    assert settings.LEERWERK_LOGIN_MAX_FAILURES == 5
    for _ in range(5):
        response = log_in(client, staff_user.email, "fout-wachtwoord")
        assert WRONG_LOGIN in response.content.decode()

    # when the right password comes sixth
    response = log_in(client, staff_user.email, PASSWORD)

    # then it is refused with the throttle message
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert not is_logged_in(client)


def test_four_failures_do_not_block_the_right_password(client, staff_user):
    # given
    for _ in range(4):
        log_in(client, staff_user.email, "fout-wachtwoord")

    # when
    response = log_in(client, staff_user.email, PASSWORD)

    # then
    assert response.status_code == 302
    assert is_logged_in(client)


def test_inactive_user_cannot_log_in(client):
    # given
    user = UserFactory(email="gestopt@example.test", is_active=False)

    # when
    response = log_in(client, user.email, PASSWORD)

    # then
    assert response.status_code == 200
    assert not is_logged_in(client)
    assert "utrecht-alert--error" in response.content.decode()


def test_session_cookie_is_http_only(client, staff_user):
    # when
    response = log_in(client, staff_user.email, PASSWORD)

    # then
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/pad", "http://evil.example/medewerkers/"],
)
def test_next_to_another_host_is_not_followed(client, staff_user, next_url):
    # when
    response = log_in(client, staff_user.email, PASSWORD, next=next_url)

    # then the user lands on the staff start page instead
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert "evil.example" not in response["Location"]


def test_next_on_the_same_site_is_followed(client, staff_user):
    # when
    response = log_in(client, staff_user.email, PASSWORD, next="/loketten/rijnmond/")

    # then
    assert response["Location"] == "/loketten/rijnmond/"


def test_login_page_does_not_echo_unsafe_next(client):
    html = client.get(LOGIN, {"next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in html


# -- logging out -----------------------------------------------------------------------------


def test_logout_requires_post(client_for, staff_user):
    # given
    client = client_for(staff_user)

    # when
    response = client.get(LOGOUT)

    # then nothing happens on GET
    assert response.status_code == 405
    assert is_logged_in(client)


def test_logout_with_post_ends_the_session(client_for, staff_user):
    # given
    client = client_for(staff_user)

    # when
    response = client.post(LOGOUT)

    # then
    assert not is_logged_in(client)
    assert response.status_code in (200, 302)


def test_logged_in_pages_have_a_logout_form(client_for, staff_user):
    html = client_for(staff_user).get("/").content.decode()
    assert f'<form method="post" action="{LOGOUT}"' in html
    assert "Uitloggen" in html


# -- password reset --------------------------------------------------------------------------


def test_password_reset_shows_the_same_page_for_known_and_unknown_email(client, staff_user):
    # when
    known = client.post(RESET, {"email": staff_user.email.upper()}, follow=True)
    unknown = client.post(RESET, {"email": "bestaat.niet@example.test"}, follow=True)

    # then both land on the same page
    assert known.redirect_chain == unknown.redirect_chain
    assert known.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    assert "Controleer uw e-mail" in known.content.decode()
    # and only the known address got a mail, in Dutch
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_user.email]
    assert message.subject == "Nieuw wachtwoord instellen voor het Leerwerkloket"
    assert "nieuw wachtwoord" in message.body


def test_password_reset_ignores_inactive_accounts(client):
    # given
    UserFactory(email="gestopt@example.test", is_active=False)

    # when
    client.post(RESET, {"email": "gestopt@example.test"})

    # then
    assert mail.outbox == []


def test_link_in_reset_mail_sets_a_new_password(client, staff_user):
    # given a reset mail
    client.post(RESET, {"email": staff_user.email})
    link = re.search(
        r"https?://testserver(/account/wachtwoord-instellen/\S+/)", mail.outbox[0].body
    )
    assert link

    # when the link is opened and a new password chosen
    form_page = client.get(link.group(1), follow=True)
    assert "Nieuw wachtwoord instellen" in form_page.content.decode()
    assert 'id="id_new_password1"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new_password = "een-heel-nieuw-wachtwoord-42"
    response = client.post(
        set_url, {"new_password1": new_password, "new_password2": new_password}, follow=True
    )

    # then the password is changed and the old one no longer works
    assert "Wachtwoord gewijzigd" in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(new_password)
    assert not staff_user.check_password(PASSWORD)
    # and the link cannot be used twice
    again = client.get(link.group(1), follow=True)
    assert "Deze link werkt niet meer" in again.content.decode()


def test_a_weak_new_password_is_refused_in_dutch(client, staff_user):
    client.post(RESET, {"email": staff_user.email})
    link = re.search(
        r"https?://testserver(/account/wachtwoord-instellen/\S+/)", mail.outbox[0].body
    )
    set_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]

    response = client.post(set_url, {"new_password1": "12345", "new_password2": "12345"})

    html = response.content.decode()
    assert "Dit wachtwoord is te kort. Gebruik minstens 12 tekens." in html
    assert "alleen cijfers" in html
    assert "too short" not in html
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_reset_link_with_bad_token_explains(client, staff_user):
    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"})
    )
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.content.decode()
    assert f'href="{RESET}"' in response.content.decode()
