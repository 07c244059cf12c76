"""API tokens: ``Authorization: Token <raw>``, stored as a hash, revocable, expiring."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from leerwerk.accounts.models import ApiToken
from leerwerk.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

STAFF_URL = "/api/v1/staff/desks/"
INVALID = "Ongeldig, verlopen of ingetrokken token."


def _client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_valid_token_authenticates_as_its_user(adviser_a, desk_a):
    token, raw = api_token_create(user=adviser_a, name="koppeling")

    response = _client(raw).get(STAFF_URL)

    assert response.status_code == 200
    assert [desk["uuid"] for desk in response.json()["results"]] == [str(desk_a.uuid)]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_is_stored_only_as_a_hash(adviser_a):
    token, raw = api_token_create(user=adviser_a, name="koppeling")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in stored.values()}
    assert stored["digest"] == ApiToken.digest_of(raw)
    assert stored["prefix"] == raw[:8]


@pytest.mark.parametrize(
    "header",
    ["Token verkeerd-token-dat-niet-bestaat", "Token " + "x" * 43],
)
def test_wrong_token_is_401_in_dutch(adviser_a, header):
    api_token_create(user=adviser_a, name="koppeling")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(STAFF_URL)

    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": INVALID, "fields": {}}


def test_revoked_token_is_401(adviser_a):
    token, raw = api_token_create(user=adviser_a, name="koppeling")
    api_token_revoke(token=token)

    response = _client(raw).get(STAFF_URL)

    assert response.status_code == 401
    assert response.json()["detail"] == INVALID


def test_expired_token_is_401(adviser_a):
    _token, raw = api_token_create(
        user=adviser_a,
        name="koppeling",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    response = _client(raw).get(STAFF_URL)

    assert response.status_code == 401
    assert response.json()["detail"] == INVALID


def test_token_of_an_inactive_user_is_401(adviser_a):
    _token, raw = api_token_create(user=adviser_a, name="koppeling")
    adviser_a.is_active = False
    adviser_a.save()

    response = _client(raw).get(STAFF_URL)

    assert response.status_code == 401
    assert response.json()["detail"] == INVALID


def test_token_header_without_a_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token")

    response = client.get(STAFF_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_bad_token_is_refused_on_public_endpoints_too():
    """A client that sends a token means to be someone: a bad one is an error, not anonymity."""
    response = _client("verkeerd").get("/api/v1/regions/")

    assert response.status_code == 401


def test_command_prints_the_raw_token_once_and_it_works(adviser_a):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_token",
        "--email",
        "ADVISEUR.A@example.test",
        "--name",
        "Koppeling CRM",
        "--days",
        "30",
        stdout=out,
        stderr=err,
    )

    raw = out.getvalue().strip()
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    assert token.user == adviser_a and token.name == "Koppeling CRM"
    expected_expiry = timezone.now() + datetime.timedelta(days=30)
    assert abs((token.expires_at - expected_expiry).total_seconds()) < 60
    assert "enige keer" in err.getvalue() and raw not in err.getvalue()
    assert _client(raw).get(STAFF_URL).status_code == 200


def test_command_without_days_makes_a_token_that_does_not_expire(adviser_a):
    out = io.StringIO()

    call_command(
        "create_api_token",
        "--email",
        adviser_a.email,
        "--name",
        "x",
        stdout=out,
        stderr=io.StringIO(),
    )

    assert ApiToken.objects.get(user=adviser_a).expires_at is None


@pytest.mark.parametrize(
    ("email", "days", "message"),
    [
        ("niemand@example.test", None, "Er is geen gebruiker"),
        ("adviseur.a@example.test", "0", "--days moet 1 of meer zijn"),
    ],
)
def test_command_refuses_bad_input(adviser_a, email, days, message):
    args = ["--email", email, "--name", "x"] + (["--days", days] if days else [])

    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


def test_command_refuses_an_inactive_user(adviser_a):
    adviser_a.is_active = False
    adviser_a.save()

    with pytest.raises(CommandError, match="niet actief"):
        call_command(
            "create_api_token",
            "--email",
            adviser_a.email,
            "--name",
            "x",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
