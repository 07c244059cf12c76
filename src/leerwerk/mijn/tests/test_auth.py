"""Making an account, confirming it, signing in (password and link), a new password and signing
out: through the pages, with bad input, enumeration, expired and reused links, open redirects,
rate limits, the honeypot and CSRF."""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client
from django.utils import timezone

from leerwerk.core.models import AuditEvent
from leerwerk.mijn import services
from leerwerk.mijn.constants import SESSION_ACCOUNT
from leerwerk.mijn.models import CitizenAccount
from leerwerk.mijn.tests.conftest import link_in_mail, logged_in
from leerwerk.mijn.tests.factories import PASSWORD, CitizenAccountFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Blauwe fiets op de dijk"
SIGNUP = {
    "display_name": "Fatima",
    "email": "Fatima.Test@Example.test",
    "password": NEW_PASSWORD,
    "password_again": NEW_PASSWORD,
}


@pytest.fixture
def signup(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """``signup(client, **changes)``: post the sign-up form; mails sent on commit are sent."""

    def post(client: Client, **changes: str):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/mijn/account-maken/", {**SIGNUP, **changes})

    return post


def _is_logged_in(client: Client) -> bool:
    return SESSION_ACCOUNT in client.session


@pytest.fixture
def small_limits(settings):  # type: ignore[no-untyped-def]
    settings.LEERWERK_PORTAL_RATE_LIMITS = {
        "mijn_address": (3, 600),
        "mijn_email": (2, 600),
        "mijn_login_address": (20, 600),
        "mijn_login_email": (3, 600),
    }
    return settings


# -- sign-up and confirmation --------------------------------------------------------------------


def test_signup_makes_an_unconfirmed_account_and_mails_a_link(client, signup):
    response = signup(client)

    assert response.status_code == 302
    assert response["Location"] == "/mijn/account-maken/verstuurd/"
    account = CitizenAccount.objects.get()
    assert account.email == "fatima.test@example.test"  # stored in lower case
    assert account.email_verified_at is None
    assert check_password(NEW_PASSWORD, account.password)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima.test@example.test"]
    assert "/mijn/bevestigen/" in mail.outbox[0].body
    assert not _is_logged_in(client)
    assert client.get(response["Location"]).status_code == 200


def test_confirming_needs_the_link_and_the_password_and_then_logs_in(client, signup):
    signup(client)
    link = link_in_mail(path="/mijn/bevestigen/")

    assert client.get(link).status_code == 200
    wrong = client.post(link, {"password": "niet het goede wachtwoord"})
    assert wrong.status_code == 400
    assert "Dit wachtwoord klopt niet" in wrong.content.decode()
    assert CitizenAccount.objects.get().email_verified_at is None

    right = client.post(link, {"password": NEW_PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == "/mijn/"
    assert CitizenAccount.objects.get().email_verified_at is not None
    assert _is_logged_in(client)
    assert client.get("/mijn/").status_code == 200


def test_an_unconfirmed_account_cannot_log_in(client, signup):
    signup(client)
    mail.outbox.clear()

    response = client.post("/mijn/inloggen/", {"email": SIGNUP["email"], "password": NEW_PASSWORD})

    assert response.status_code == 200
    assert "Bevestig eerst uw e-mailadres" in response.content.decode()
    assert not _is_logged_in(client)
    assert len(mail.outbox) == 1  # a fresh confirmation link, to the address itself


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "kort", "password_again": "kort"}, "password", "te kort"),
        ({"password": "123456789012345", "password_again": "123456789012345"}, "password", ""),
        ({"password_again": "iets anders dan eerst"}, "password_again", "niet hetzelfde"),
        ({"email": "geen-adres"}, "email", "Vul een goed e-mailadres in"),
        ({"display_name": ""}, "display_name", "Vul uw naam in"),
        ({"password": "", "password_again": ""}, "password", "Kies een wachtwoord"),
    ],
)
def test_signup_rejects_bad_input_in_dutch(client, changes, field, message, signup):
    response = signup(client, **changes)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert "Controleer uw invoer" in response.content.decode()
    assert not CitizenAccount.objects.exists()
    assert mail.outbox == []


def test_signup_refuses_a_password_like_the_email_address(client, signup):
    response = signup(
        client,
        email="wilhelmina.vandervelde@example.test",
        password="wilhelmina.vandervelde",
        password_again="wilhelmina.vandervelde",
    )
    assert "password" in response.context["form"].errors
    assert not CitizenAccount.objects.exists()


def test_signup_with_a_registered_address_looks_the_same_and_mails_the_owner(
    client, account, signup
):
    # given a confirmed account; when someone signs up with its address (other case)
    known = signup(Client(), email="JAN.burger@example.test")
    unknown = signup(Client(), email="nieuw.adres@example.test")

    # then both get the same answer
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # the owner gets "you already have an account"; the account is untouched
    assert CitizenAccount.objects.filter(email="jan.burger@example.test").count() == 1
    account.refresh_from_db()
    assert check_password(PASSWORD, account.password)
    to_owner = [m for m in mail.outbox if m.to == ["jan.burger@example.test"]]
    assert len(to_owner) == 1
    assert "al een account" in to_owner[0].subject
    assert "/mijn/bevestigen/" not in to_owner[0].body


def test_a_second_signup_of_an_unconfirmed_address_takes_the_latest_password(client, signup):
    signup(client, password="Eerste wachtzin van mij", password_again="Eerste wachtzin van mij")
    first_link = link_in_mail(path="/mijn/bevestigen/")
    signup(client)  # the mailbox owner tries again with NEW_PASSWORD

    assert CitizenAccount.objects.count() == 1
    second_link = link_in_mail(path="/mijn/bevestigen/")
    # only the latest password confirms the account (also through the first link)
    assert client.post(first_link, {"password": "Eerste wachtzin van mij"}).status_code == 400
    assert client.post(second_link, {"password": NEW_PASSWORD}).status_code == 302


def test_an_expired_or_altered_confirmation_link_is_refused(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    real = time.time()
    with monkeypatch.context() as past, django_capture_on_commit_callbacks(execute=True):
        past.setattr(time, "time", lambda: real - 25 * 3600)
        services.account_signup(email="oud@example.test", password=NEW_PASSWORD, display_name="O")
    link = link_in_mail(path="/mijn/bevestigen/")

    assert client.get(link).status_code == 410
    assert "te oud" in client.get(link).content.decode()
    assert client.get(link[:-3] + "xx/").status_code == 400
    assert client.post(link, {"password": NEW_PASSWORD}).status_code == 410
    assert CitizenAccount.objects.get().email_verified_at is None


def test_the_honeypot_pretends_and_does_nothing(client, signup):
    response = signup(client, website="http://spam.example")

    assert response.status_code == 302
    assert response["Location"] == "/mijn/account-maken/verstuurd/"
    assert not CitizenAccount.objects.exists()
    assert mail.outbox == []


def test_signups_are_limited_per_address_and_per_email(small_limits, signup):
    one_address = Client(REMOTE_ADDR="192.0.2.10")
    for n in range(3):
        assert signup(one_address, email=f"a{n}@example.test").status_code == 302
    assert signup(one_address, email="a9@example.test").status_code == 429

    # the same e-mail address from different addresses: two mails, then a wait
    for n in range(2):
        response = signup(Client(REMOTE_ADDR=f"198.51.100.{n}"), email="doel@example.test")
        assert response.status_code == 302
    limited = signup(Client(REMOTE_ADDR="198.51.100.9"), email="doel@example.test")
    assert limited.status_code == 429
    assert "Even wachten" in limited.content.decode()
    assert len([m for m in mail.outbox if m.to == ["doel@example.test"]]) == 2


def test_public_forms_need_the_csrf_token(signup):
    strict = Client(enforce_csrf_checks=True)
    assert signup(strict).status_code == 403
    assert strict.get("/mijn/account-maken/").status_code == 200  # the form itself is fine
    login = strict.post("/mijn/inloggen/", {"email": "a@example.test", "password": "x"})
    assert login.status_code == 403
    assert strict.post("/mijn/inloggen/link/", {"email": "a@example.test"}).status_code == 403
    assert strict.post("/mijn/wachtwoord-vergeten/", {"email": "a@example.test"}).status_code == 403
    assert not CitizenAccount.objects.exists()


# -- signing in with a password ------------------------------------------------------------------


def test_login_rotates_the_session_and_is_no_staff_login(client, account):
    client.get("/mijn/inloggen/")
    before = client.session.session_key

    response = client.post(
        "/mijn/inloggen/", {"email": "Jan.Burger@example.test", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/mijn/"
    assert client.session.session_key != before
    assert client.session[SESSION_ACCOUNT] == str(account.uuid)
    assert "_auth_user_id" not in client.session  # the staff log-in is untouched
    staff = client.get("/medewerkers/")
    assert staff.status_code == 302
    assert staff["Location"].startswith("/account/inloggen/")
    account.refresh_from_db()
    assert account.last_login_at is not None
    assert AuditEvent.objects.filter(action="mijn.account.login").exists()


def test_wrong_password_and_unknown_address_get_the_same_answer(client, account):
    wrong = client.post("/mijn/inloggen/", {"email": account.email, "password": "fout fout fout"})
    unknown = client.post(
        "/mijn/inloggen/", {"email": "onbekend@example.test", "password": "fout fout fout"}
    )

    assert wrong.status_code == unknown.status_code == 400
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "horen niet bij elkaar" in wrong.content.decode()
    assert not _is_logged_in(client)


def test_failed_logins_are_throttled_per_email_the_same_for_unknown_addresses(
    client, account, small_limits
):
    for email in (account.email, "onbekend@example.test"):
        for _n in range(3):
            client.post("/mijn/inloggen/", {"email": email, "password": "fout fout fout"})
        response = client.post("/mijn/inloggen/", {"email": email, "password": PASSWORD})
        assert response.status_code == 429
        assert "Te veel pogingen" in response.content.decode()
    assert not _is_logged_in(client)


def test_login_form_rejects_empty_input_in_dutch(client):
    response = client.post("/mijn/inloggen/", {"email": "", "password": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == ["Vul uw e-mailadres in."]
    assert errors["password"] == ["Vul uw wachtwoord in."]


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver@evil.example/",
        "javascript:alert(1)",
        "mijn/opleidingen/",
    ],
)
def test_login_never_redirects_off_site(client, account, evil):
    page = client.get("/mijn/inloggen/", {"next": evil})
    assert evil not in page.content.decode()

    response = client.post(
        "/mijn/inloggen/", {"email": account.email, "password": PASSWORD, "next": evil}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mijn/"

    # also when already logged in
    again = client.get("/mijn/inloggen/", {"next": evil})
    assert again["Location"] == "/mijn/"


def test_login_follows_a_path_on_this_site(client, account):
    page = client.get("/mijn/inloggen/", {"next": "/mijn/opleidingen/"})
    assert 'value="/mijn/opleidingen/"' in page.content.decode()
    response = client.post(
        "/mijn/inloggen/",
        {"email": account.email, "password": PASSWORD, "next": "/mijn/opleidingen/"},
    )
    assert response["Location"] == "/mijn/opleidingen/"


def test_pages_need_a_login_and_come_back_after_it(client):
    response = client.get("/mijn/afspraken/")
    assert response.status_code == 302
    assert response["Location"] == "/mijn/inloggen/?next=%2Fmijn%2Fafspraken%2F"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_citizen_session_ends_when_the_password_changes_elsewhere(account):
    other_browser = logged_in(account)
    assert other_browser.get("/mijn/").status_code == 200

    services.password_change(account=account, current=PASSWORD, new=NEW_PASSWORD)

    assert other_browser.get("/mijn/").status_code == 302


def test_logout_flushes_the_session_and_needs_post(citizen):
    assert citizen.get("/mijn/uitloggen/").status_code == 405
    response = citizen.post("/mijn/uitloggen/")
    assert response["Location"] == "/mijn/uitgelogd/"
    assert not _is_logged_in(citizen)
    assert citizen.get("/mijn/").status_code == 302


def test_an_unconfirmed_account_in_a_session_counts_as_logged_out(db):
    unconfirmed = CitizenAccountFactory(email_verified_at=None)
    assert logged_in(unconfirmed).get("/mijn/").status_code == 302


# -- sign-in link --------------------------------------------------------------------------------


def test_sign_in_link_requests_look_the_same_for_known_and_unknown_addresses(client, account):
    known = client.post("/mijn/inloggen/link/", {"email": account.email})
    unknown = client.post("/mijn/inloggen/link/", {"email": "onbekend@example.test"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/mijn/inloggen/link/verstuurd/"
    # each address gets one mail: a link for the account, "no account" for the other
    assert [m.to for m in mail.outbox] == [[account.email], ["onbekend@example.test"]]
    assert "/mijn/inloggen/link/" in mail.outbox[0].body
    assert "geen account" in mail.outbox[1].subject
    assert "/mijn/inloggen/link/" not in mail.outbox[1].body


def test_a_sign_in_link_logs_in_once(client, account):
    client.post("/mijn/inloggen/link/", {"email": account.email})
    link = link_in_mail(path="/mijn/inloggen/link/")

    page = client.get(link)  # a mail scanner opening the link does not use it
    assert page.status_code == 200
    assert not _is_logged_in(client)
    response = client.post(link)
    assert response["Location"] == "/mijn/"
    assert _is_logged_in(client)

    again = Client().post(link)
    assert again.status_code == 400
    assert "al gebruikt" in again.content.decode()


def test_a_sign_in_link_stops_after_15_minutes(client, account, monkeypatch):
    real = time.time()
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda: real - 16 * 60)
        services.login_link_request(email=account.email)
    link = link_in_mail(path="/mijn/inloggen/link/")
    assert client.post(link).status_code == 410
    assert not _is_logged_in(client)


def test_a_sign_in_link_confirms_an_account_and_drops_a_password_set_before(client):
    services.account_signup(
        email="vooraf@example.test", password=NEW_PASSWORD, display_name="Iemand anders"
    )
    mail.outbox.clear()
    client.post("/mijn/inloggen/link/", {"email": "vooraf@example.test"})
    client.post(link_in_mail(path="/mijn/inloggen/link/"))

    account = CitizenAccount.objects.get()
    assert account.email_verified_at is not None
    assert not account.has_usable_password  # the password chosen before is no longer valid
    assert (
        Client()
        .post("/mijn/inloggen/", {"email": "vooraf@example.test", "password": NEW_PASSWORD})
        .status_code
        == 400
    )


# -- a new password ------------------------------------------------------------------------------


def test_reset_requests_look_the_same_for_known_and_unknown_addresses(client, account):
    known = client.post("/mijn/wachtwoord-vergeten/", {"email": account.email})
    unknown = client.post("/mijn/wachtwoord-vergeten/", {"email": "nee@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [[account.email], ["nee@example.test"]]
    assert "/mijn/wachtwoord-vergeten/" not in mail.outbox[1].body


def test_a_reset_link_sets_a_new_password_once(client, account):
    client.post("/mijn/wachtwoord-vergeten/", {"email": account.email})
    link = link_in_mail(path="/mijn/wachtwoord-vergeten/")

    mismatch = client.post(link, {"password": NEW_PASSWORD, "password_again": "anders"})
    assert mismatch.status_code == 200
    assert "niet hetzelfde" in mismatch.content.decode()
    weak = client.post(link, {"password": "abc", "password_again": "abc"})
    assert "password" in weak.context["form"].errors

    done = client.post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done["Location"] == "/mijn/"
    account.refresh_from_db()
    assert check_password(NEW_PASSWORD, account.password)
    assert Client().get(link).status_code == 400  # used


def test_an_expired_reset_link_is_refused(client, account, monkeypatch):
    real = time.time()
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda: real - 61 * 60)
        services.password_reset_request(email=account.email)
    assert client.get(link_in_mail(path="/mijn/wachtwoord-vergeten/")).status_code == 410


def test_mail_forms_honeypot_and_limits(client, account, small_limits):
    trap = client.post("/mijn/inloggen/link/", {"email": account.email, "website": "x"})
    assert trap["Location"] == "/mijn/inloggen/link/verstuurd/"
    assert mail.outbox == []
    for _n in range(2):
        Client(REMOTE_ADDR="203.0.113.5").post(
            "/mijn/wachtwoord-vergeten/", {"email": "x@example.test"}
        )
    limited = Client(REMOTE_ADDR="203.0.113.6").post(
        "/mijn/wachtwoord-vergeten/", {"email": "x@example.test"}
    )
    assert limited.status_code == 429


def test_unconfirmed_accounts_are_removed_after_a_week(account):
    from django.core.management import call_command

    old = CitizenAccountFactory(
        email_verified_at=None, created_at=timezone.now() - datetime.timedelta(days=8)
    )
    fresh = CitizenAccountFactory(email_verified_at=None)
    call_command("mijn_purge_unconfirmed", stdout=io.StringIO())
    assert set(CitizenAccount.objects.all()) == {account, fresh}
    assert not CitizenAccount.objects.filter(pk=old.pk).exists()
