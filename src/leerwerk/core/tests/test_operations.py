"""Health endpoint and logging without personal data."""

import json
import logging
from unittest import mock

import pytest
from django.db import connection

from leerwerk.core.logging import JsonFormatter, RedactPersonalDataFilter, redact

pytestmark = pytest.mark.django_db


def test_health_reports_database_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "vendor": connection.vendor}
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_reports_503_when_the_database_fails(client):
    with mock.patch.object(connection, "cursor", side_effect=Exception("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("mail jan.jansen@example.nl now", "jan.jansen@example.nl"),
        ("bel 06-12345678", "06-12345678"),
        ("bel +31 6 12345678", "+31 6 12345678"),
        ("postcode 3511 AB", "3511 AB"),
        ("postcode 3511ab", "3511ab"),
    ],
)
def test_redact_masks_personal_data(text, leaked):
    assert leaked not in redact(text)


def test_redact_keeps_identifiers_and_numbers():
    text = "desk 12 location 0b3e8c1e-1c1a-4a8e-9b7c-1f2a3b4c5d6e status 404 took 123.4 ms"
    assert redact(text) == text


def test_json_log_line_is_redacted_including_extra_fields():
    record = logging.makeLogRecord(
        {"msg": "user %s logged in", "args": ("a@b.nl",), "levelname": "INFO", "route": "x@y.nl"}
    )
    RedactPersonalDataFilter().filter(record)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "a@b.nl" not in line and "x@y.nl" not in line
    assert entry["message"] == "user [e-mail] logged in"


def test_request_log_has_route_not_query_or_credentials(client, caplog):
    caplog.set_level(logging.INFO, logger="leerwerk.request")
    client.post(
        "/account/inloggen/?next=/medewerkers/",
        {"username": "geheim.persoon@example.test", "password": "verkeerd-wachtwoord"},
    )
    client.get("/?q=3511+AB")
    lines = [r for r in caplog.records if r.name == "leerwerk.request"]
    assert len(lines) == 2
    dumped = " ".join(json.dumps(vars(r), default=str) for r in lines)
    assert "geheim.persoon" not in dumped
    assert "3511" not in dumped
    assert lines[0].route == "account/inloggen/"
    assert lines[0].status == 200
