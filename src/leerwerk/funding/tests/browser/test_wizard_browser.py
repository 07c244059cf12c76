"""The public funding wizard in a real browser: accessibility (axe-core, zero serious or
critical violations) before and after an answer, with and without JavaScript, on a phone, and
a keyboard-only run; plus the adviser's check page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leerwerk.browser_tests.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

WIZARD = "/financiering/"
DESK_WIZARD = "/loketten/rijnmond/financiering/"


def _answer(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Werkend", exact=True).check()
    page.get_by_label("Hoe oud bent u?").fill("45")
    page.get_by_label("Wat is uw postcode?").fill("3011")
    page.get_by_label("In welke sector werkt u?").select_option("construction")
    page.get_by_label("Opleiding met diploma").check()


@pytest.mark.parametrize("path", [WIZARD, DESK_WIZARD])
def test_wizard_questions_are_accessible(page, base_url, path):
    page.goto(f"{base_url}{path}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Geld voor een opleiding of cursus")
    assert_accessible(page)


def test_answer_with_htmx_is_accessible_and_gets_the_focus(page, base_url):
    # given the wizard with JavaScript (htmx)
    page.goto(f"{base_url}{WIZARD}")
    assert page.evaluate("typeof window.htmx") == "object"
    page.evaluate("window.__sameDocument = true")

    # when it is answered and sent
    _answer(page)
    page.get_by_role("button", name="Bekijk welke regelingen passen").click()

    # then the answer appears in the same page and the focus moves to it
    heading = page.locator("#uitkomst-titel")
    expect(heading).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True
    expect(page.get_by_text("NL leert door: gratis ontwikkeladvies").first).to_be_visible()
    expect(page.get_by_role("link", name="Vraag advies aan Leerwerkloket Rijnmond")).to_be_visible()
    assert_accessible(page)
    # the answers stay in the form
    expect(page.get_by_label("Hoe oud bent u?")).to_have_value("45")


def test_answer_without_javascript(no_js_page, base_url):
    no_js_page.goto(f"{base_url}{DESK_WIZARD}")
    _answer(no_js_page)

    no_js_page.get_by_role("button", name="Bekijk welke regelingen passen").click()

    expect(no_js_page.locator("#uitkomst-titel")).to_be_visible()
    expect(
        no_js_page.get_by_text("Regionaal vakmanschapsfonds (fictief voorbeeld, Rijnmond)").first
    ).to_be_visible()
    # (axe needs JavaScript; the same answer page is checked with axe in the htmx test)


def test_errors_are_summarised_and_accessible(page, base_url):
    page.goto(f"{base_url}{WIZARD}")
    page.get_by_label("Hoe oud bent u?").fill("300")

    page.get_by_role("button", name="Bekijk welke regelingen passen").click()

    summary = page.locator("#foutmeldingen")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vul een leeftijd in van 0 tot en met 120.")
    assert_accessible(page)


def test_wizard_on_a_phone(phone_page, base_url):
    phone_page.goto(f"{base_url}{WIZARD}")
    _answer(phone_page)
    phone_page.get_by_role("button", name="Bekijk welke regelingen passen").click()
    expect(phone_page.locator("#uitkomst-titel")).to_be_visible()

    assert_no_horizontal_scroll(phone_page, 360)


def _tab_to(page, selector: str, most: int = 60) -> None:  # type: ignore[no-untyped-def]
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} never got focus with Tab")


def test_wizard_by_keyboard_only(page, base_url):
    # given the wizard, used with Tab, Space, arrow keys, typing and Enter only
    page.goto(f"{base_url}{WIZARD}")
    keyboard = page.keyboard

    # when "Werkend" is ticked with Space
    _tab_to(page, "input[name=situations][value=worker]")
    keyboard.press("Space")
    expect(page.locator("input[name=situations][value=worker]")).to_be_checked()
    # and the age and postcode are typed
    _tab_to(page, "input[name=age]")
    keyboard.type("45")
    _tab_to(page, "select[name=education_level]")
    _tab_to(page, "input[name=postcode]")
    keyboard.type("3011")
    # and a diploma is chosen among the radio buttons with the arrow keys
    _tab_to(page, "input[name=training_kind]")
    keyboard.press("ArrowDown")
    expect(page.locator("input[name=training_kind][value=diploma]")).to_be_checked()
    # and the form is sent from the button with Enter
    _tab_to(page, "button[type=submit]")
    keyboard.press("Enter")

    # then the answer has the focus, and its links are reachable with Tab
    expect(page.locator("#uitkomst-titel")).to_be_focused()
    _tab_to(page, "a[href='/loketten/rijnmond/adviesvraag/']")
    keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}/loketten/rijnmond/adviesvraag/")


def test_adviser_check_page_is_accessible(page, base_url, demo_logins, crm_configuration, log_in):
    from leerwerk.accounts.models import User
    from leerwerk.guidance.tests.factories import TrajectoryFactory
    from leerwerk.network.demo import DEMO_DOMAIN
    from leerwerk.network.models import Desk

    desk = Desk.objects.get(slug="rijnmond")
    adviser = User.objects.get(email=f"adviseur.rijnmond@{DEMO_DOMAIN}")
    trajectory = TrajectoryFactory(desk=desk)
    log_in(page, adviser)

    page.goto(f"{base_url}/medewerkers/financiering/trajecten/{trajectory.uuid}/")
    page.get_by_role("button", name="Uitkomst bekijken").click()
    expect(page.locator("#uitkomst")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Opslaan bij het traject").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Financieringsadvies van")
    assert_accessible(page)


def test_maintenance_pages_are_accessible(page, base_url, log_in):
    from leerwerk.accounts.tests.factories import UserFactory
    from leerwerk.core.constants import GlobalRole
    from leerwerk.funding.models import FundingArrangement

    national = UserFactory(global_role=GlobalRole.NATIONAL_TEAM)
    log_in(page, national)
    slim = FundingArrangement.objects.get(seed_key="slim")

    for path in [
        "/medewerkers/financiering/",
        f"/medewerkers/financiering/regelingen/{slim.uuid}/",
        f"/medewerkers/financiering/regelingen/{slim.uuid}/wijzigen/",
        f"/medewerkers/financiering/regelingen/{slim.uuid}/voorwaarden/nieuw/?soort=age",
    ]:
        page.goto(f"{base_url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    # the live preview follows a change without a reload
    page.get_by_label("Vanaf (jaar)").fill("60")
    page.get_by_label("Vanaf (jaar)").blur()
    expect(page.locator("#voorbeeld-titel")).to_have_text(
        "Wie komt in aanmerking na deze wijziging?"
    )
