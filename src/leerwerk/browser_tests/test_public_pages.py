"""The public pages in a real browser: accessibility (axe-core), keyboard, search, small screens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from leerwerk.browser_tests.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_home_is_accessible(page, base_url):
    page.goto(f"{base_url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("query", ["3011", "Bergen", "Atlantis"])
def test_home_with_search_results_is_accessible(page, base_url, query):
    page.goto(f"{base_url}/?q={query}")
    expect(page.locator("#zoekresultaten")).not_to_be_empty()
    assert_accessible(page)


def test_desk_page_with_locations_is_accessible(page, base_url, demo_logins):
    page.goto(f"{base_url}/loketten/rijnmond/")
    expect(page.locator("caption", has_text="Inloopspreekuur")).to_be_visible()
    expect(page.get_by_role("heading", name="Waarmee wij u helpen")).to_be_visible()
    expect(page.locator("article.lw-location").get_by_role("heading", level=3)).to_contain_text(
        "Leerwerkloket Rotterdam"
    )
    assert_accessible(page)


def test_desk_page_without_locations_is_accessible(page, base_url):
    page.goto(f"{base_url}/loketten/drenthe/")
    expect(
        page.get_by_text("Dit loket heeft nog geen vestigingen op de website gezet.")
    ).to_be_visible()
    assert_accessible(page)


def test_not_found_page_is_accessible(page, base_url):
    response = page.goto(f"{base_url}/loketten/bestaat-niet/")
    assert response is not None and response.status == 404
    assert_accessible(page)


def test_tab_from_the_top_reaches_the_skip_link_first_and_enter_moves_to_main(page, base_url):
    # given
    page.goto(f"{base_url}/")

    # when the first Tab is pressed
    page.keyboard.press("Tab")

    # then the skip link has focus and is visible
    skip_link = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    # when Enter is pressed, focus moves to the main content
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
    # and the next Tab continues inside main, not in the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_search_updates_results_while_typing_without_reloading(page, base_url):
    # given
    page.goto(f"{base_url}/")
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load (static files?)"
    page.evaluate("window.__sameDocument = true")
    results = page.locator("#zoekresultaten")
    expect(results).to_have_attribute("aria-live", "polite")

    # when a postcode is typed
    page.get_by_label("Uw postcode of woonplaats").press_sequentially("3011", delay=30)

    # then the results region shows the desk, the address bar follows, no reload happened
    expect(results).to_contain_text("Leerwerkloket Rijnmond")
    expect(results).to_contain_text("Postcode 3011 ligt in de gemeente Rotterdam")
    expect(page).to_have_url(f"{base_url}/?q=3011")
    expect(page).to_have_title(re.compile("^Zoeken naar ‘3011’"))
    assert page.evaluate("window.__sameDocument === true")

    # when the text is changed to a place name
    page.get_by_label("Uw postcode of woonplaats").fill("Súdwest")

    # then the results follow
    expect(results).to_contain_text("Leerwerkloket Friesland")
    expect(results).not_to_contain_text("Leerwerkloket Rijnmond")
    assert page.evaluate("window.__sameDocument === true")


def test_search_with_enter_stays_on_the_page(page, base_url):
    page.goto(f"{base_url}/")
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load (static files?)"
    page.evaluate("window.__sameDocument = true")
    field = page.get_by_label("Uw postcode of woonplaats")
    field.fill("Atlantis")
    field.press("Enter")
    expect(page.locator("#zoekresultaten")).to_contain_text("Geen loket gevonden")
    assert page.evaluate("window.__sameDocument === true")


def test_search_works_without_javascript(no_js_page, base_url):
    # given a browser without JavaScript
    page = no_js_page
    page.goto(f"{base_url}/")

    # when the form is filled in and sent
    page.get_by_label("Uw postcode of woonplaats").fill("Schiedam")
    page.get_by_role("button", name="Zoeken").click()

    # then a new page shows the result
    expect(page).to_have_url(f"{base_url}/?q=Schiedam")
    results = page.locator("#zoekresultaten")
    expect(results).to_contain_text("Leerwerkloket Rijnmond")
    expect(results).to_contain_text("De gemeente Schiedam hoort bij regio Rijnmond.")
    expect(page.get_by_label("Uw postcode of woonplaats")).to_have_value("Schiedam")


@pytest.mark.parametrize("path", ["/", "/?q=Bergen", "/loketten/rijnmond/", "/account/inloggen/"])
def test_no_horizontal_scroll_at_360_px(phone_page, base_url, demo_logins, path):
    phone_page.goto(f"{base_url}{path}")
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_horizontal_scroll(phone_page, 360)


@pytest.mark.parametrize("path", ["/", "/loketten/rijnmond/", "/account/inloggen/"])
def test_pages_load_their_own_styles_and_scripts_and_nothing_external(page, base_url, path):
    # given every request the page makes is recorded
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))

    # when
    page.goto(f"{base_url}{path}")
    page.wait_for_load_state("load")

    # then the stylesheets and htmx come from our own server, and nothing from elsewhere
    urls = [request.url for request in requests]
    assert all(url.startswith(base_url) for url in urls), urls
    statics = {r.url: r.response().status for r in requests if "/static/" in r.url}
    # the regional home (portal) adds its own stylesheet for the client streams
    assert len(statics) == (5 if path == "/loketten/rijnmond/" else 4), statics
    assert set(statics.values()) == {200}, statics
    assert page.evaluate("typeof window.htmx") == "object"
