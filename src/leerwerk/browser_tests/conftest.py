"""Browser tests: Playwright (sync API) on the system Chromium against pytest-django's live server.

Run them with ``pytest -m browser``. Playwright never downloads a browser here; the system
Chromium (Debian package ``chromium``, see ``bin/ensure-chromium``) is used, or LEERWERK_CHROMIUM.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The live server runs Django in a thread while Playwright's sync API keeps an event loop in the
# test thread; Django would otherwise refuse database access from fixtures in this thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("LEERWERK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


_RUNNING: dict[str, object] = {}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium for the whole session. Apps import this fixture into their own test
    modules, which makes pytest see several session fixtures; Playwright's sync API allows only
    one running instance, so the first copy starts it and owns it, the others reuse it."""
    from playwright.sync_api import sync_playwright

    if "browser" in _RUNNING:
        yield _RUNNING["browser"]
        return
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run bin/ensure-chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _RUNNING["browser"] = chromium
        try:
            yield chromium
        finally:
            _RUNNING.pop("browser", None)
            chromium.close()


@pytest.fixture(autouse=True)
def reference_data(live_server) -> None:  # type: ignore[no-untyped-def]
    """Live-server tests are transactional: the database is emptied after each test, including
    the configuration seeded by migrations. Seed it again, then load the reference data
    (regions, municipalities, postcodes, one desk per region)."""
    from django.apps import apps
    from django.core.cache import cache

    from leerwerk.conftest import load_reference

    seed_migration = importlib.import_module("leerwerk.network.migrations.0002_seed_configuration")
    seed_migration.seed(apps, None)
    load_reference()
    cache.clear()  # log-in throttling counters


@pytest.fixture
def demo_logins(reference_data):  # type: ignore[no-untyped-def]
    """Demo desks with locations, hours and staff (obviously fake people)."""
    from leerwerk.network.demo import load_demo_data

    return load_demo_data()


@pytest.fixture
def base_url(live_server) -> str:  # type: ignore[no-untyped-def]
    return live_server.url


def _new_page(browser, **context_options):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-NL", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    context, page = _new_page(browser)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    """A page in a 360 px wide viewport (a small phone)."""
    context, page = _new_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True)
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    context, page = _new_page(browser, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def crm_configuration(reference_data) -> None:  # type: ignore[no-untyped-def]
    """The CRM configuration seeded by migrations (target groups, vocabulary version 1), seeded
    again because live-server tests empty the database after each test."""
    from django.apps import apps

    for module in (
        "leerwerk.clients.migrations.0002_seed_target_groups",
        "leerwerk.guidance.migrations.0002_seed_vocabulary",
    ):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def log_in(live_server):  # type: ignore[no-untyped-def]
    """``log_in(page, user)``: give the page's browser context a session of ``user`` (no form;
    logging in through the form is tested in test_accounts)."""
    from django.conf import settings
    from django.test import Client

    def log_in(page, user) -> None:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return log_in
