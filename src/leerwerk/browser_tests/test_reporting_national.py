"""The national overview of the figures and the counting-rules editor in a real browser:
accessibility (axe-core), the charts hidden from assistive technology with the tables as the
content, and the editor's form with its error summary."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leerwerk.browser_tests.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def national(crm_configuration):  # type: ignore[no-untyped-def]
    """Counting rules version 1 (seeded by a migration, seeded again because live-server tests
    empty the database) and a national team member."""
    from django.apps import apps

    from leerwerk.accounts.tests.factories import UserFactory
    from leerwerk.core.constants import GlobalRole

    importlib.import_module("leerwerk.reporting.migrations.0002_seed_rules").seed(apps, None)
    return UserFactory(email="landelijk@example.test", global_role=GlobalRole.NATIONAL_TEAM)


def test_national_overview_is_accessible(page, base_url, national, log_in):
    log_in(page, national)
    page.goto(base_url + reverse("reporting:national_overview") + "?periode=2025-H1")
    expect(page.locator("h1")).to_contain_text("Landelijk overzicht van de cijfers")
    # the charts are decoration: hidden from assistive technology; the tables hold the numbers
    for chart in page.locator("figure.lw-chart svg").all():
        assert chart.get_attribute("aria-hidden") == "true"
    expect(page.locator("table caption").first).to_be_visible()
    assert_accessible(page)


def test_national_split_is_accessible(page, base_url, national, log_in):
    log_in(page, national)
    page.goto(base_url + reverse("reporting:national_split") + "?naar=doelgroep")
    expect(page.locator("h1")).to_contain_text("Cijfers uitgesplitst")
    assert_accessible(page)


def test_rules_editor_is_accessible(page, base_url, national, log_in):
    log_in(page, national)
    page.goto(base_url + reverse("reporting:rules_list"))
    assert_accessible(page)
    page.get_by_role("button", name="Nieuwe versie maken").click()
    expect(page.locator("h1")).to_contain_text("Telregels versie 2")
    assert_accessible(page)
    page.goto(base_url + reverse("reporting:rules_figure_update", args=[2, "intakes"]))
    page.get_by_label("Uitleg").fill("")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    expect(page.locator("#foutmeldingen")).to_contain_text("Vul de uitleg in")
    assert_accessible(page)


def test_national_overview_on_a_phone(phone_page, base_url, national, log_in):
    log_in(phone_page, national)
    phone_page.goto(base_url + reverse("reporting:national_overview"))
    assert_no_horizontal_scroll(phone_page, 360)
