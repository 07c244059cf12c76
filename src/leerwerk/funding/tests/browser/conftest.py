"""Browser fixtures for the funding pages: the shared ones of ``leerwerk.browser_tests`` (the
system Chromium, a live server with the reference data seeded again per test), plus the
example arrangements, which a live-server test also has to seed again."""

from __future__ import annotations

import pytest

from leerwerk.browser_tests.conftest import (  # noqa: F401  (fixtures used by the tests here)
    base_url,
    browser,
    crm_configuration,
    demo_logins,
    log_in,
    no_js_page,
    page,
    phone_page,
    reference_data,
)


@pytest.fixture(autouse=True)
def funding_examples(reference_data):  # type: ignore[no-untyped-def]  # noqa: F811
    from django.apps import apps

    from leerwerk.funding.examples import seed

    seed(apps)
