"""The committed OpenAPI schema (docs/api/openapi.yaml) is what the code generates."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

SCHEMA_FILE = Path(settings.PROJECT_DIR) / "docs" / "api" / "openapi.yaml"


@pytest.fixture(scope="module")
def generated():  # type: ignore[no-untyped-def]
    """The schema as `make schema` writes it (in the default language, Dutch)."""
    GENERATOR_STATS.reset()
    with translation.override(settings.LANGUAGE_CODE):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    GENERATOR_STATS.reset()
    return schema, OpenApiYamlRenderer().render(schema, renderer_context={}), warnings


def test_committed_schema_is_up_to_date(generated):
    _schema, output, _warnings = generated
    committed = SCHEMA_FILE.read_bytes() if SCHEMA_FILE.exists() else b""

    if output != committed:
        pytest.fail(
            f"{SCHEMA_FILE.relative_to(settings.PROJECT_DIR)} is out of date with the API code. "
            "Run `make schema` and commit the result.",
            pytrace=False,
        )


def test_schema_generates_without_warnings_and_is_valid_openapi(generated):
    schema, _output, (warnings, errors) = generated

    assert warnings == {} and errors == {}, "fix these, `make schema` uses --fail-on-warn"
    validate_schema(schema)


def test_schema_documents_scoped_errors_and_token_auth(generated):
    schema, _output, _warnings = generated
    patch = schema["paths"]["/api/v1/staff/locations/{uuid}/"]["patch"]

    assert {"400", "401", "403", "404", "409"} <= set(patch["responses"])
    assert {"tokenAuth": []} in patch["security"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
    assert "{}" not in str(patch["security"])  # not anonymous


@pytest.mark.django_db
def test_schema_is_served_at_the_schema_url(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"/api/v1/staff/memberships/" in response.content
