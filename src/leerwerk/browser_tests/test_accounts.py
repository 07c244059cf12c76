"""Log-in and password reset pages in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leerwerk.browser_tests.helpers import assert_accessible

pytestmark = pytest.mark.browser


def test_login_page_is_accessible(page, base_url):
    page.goto(f"{base_url}/account/inloggen/")
    expect(page.get_by_label("E-mailadres")).to_be_visible()
    assert_accessible(page)


def test_login_page_with_errors_is_accessible(page, base_url):
    # given
    page.goto(f"{base_url}/account/inloggen/")

    # when the form is sent with a wrong password
    page.get_by_label("E-mailadres").fill("niemand@example.test")
    page.get_by_label("Wachtwoord", exact=True).fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen", exact=True).click()

    # then the page shows the error summary and is still accessible
    expect(page.get_by_role("alert")).to_contain_text(
        "Dit e-mailadres en wachtwoord horen niet bij elkaar."
    )
    assert_accessible(page)


def test_login_page_with_empty_fields_is_accessible(page, base_url):
    page.goto(f"{base_url}/account/inloggen/")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_password_reset_page_is_accessible(page, base_url):
    page.goto(f"{base_url}/account/wachtwoord-vergeten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord vergeten")
    assert_accessible(page)


def test_password_reset_done_page_is_accessible(page, base_url):
    page.goto(f"{base_url}/account/wachtwoord-vergeten/")
    page.get_by_label("E-mailadres").fill("niemand@example.test")
    page.get_by_role("button", name="Stuur mij een link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw e-mail")
    assert_accessible(page)


def test_demo_user_logs_in_through_the_form_and_lands_on_the_staff_start_page(
    page, base_url, demo_logins
):
    # given a demo adviser
    from leerwerk.network.demo import DEMO_PASSWORD

    adviser = next(login for login in demo_logins if login.role == "adviseur")

    # when they log in through the form, by keyboard only
    page.goto(f"{base_url}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(adviser.email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")

    # then they land on the staff start page, logged in
    expect(page).to_have_url(f"{base_url}/medewerkers/")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    # and logging out brings them back to the public site
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("link", name="Inloggen medewerkers")).to_be_visible()
