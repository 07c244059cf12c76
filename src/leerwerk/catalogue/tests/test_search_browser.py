"""The citizen search page in a real browser at 360 px: axe, no sideways scrolling, and the
keyboard: search, tick a facet with the space bar (htmx reloads the results, focus stays on
the checkbox, the count is announced in the live region)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leerwerk.browser_tests.conftest import (  # noqa: F401  (fixtures)
    base_url,
    browser,
    page,
    phone_page,
    reference_data,
)
from leerwerk.browser_tests.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def offers(reference_data):  # type: ignore[no-untyped-def]  # noqa: F811
    from leerwerk.catalogue import geo
    from leerwerk.catalogue.constants import Level, OfferKind
    from leerwerk.catalogue.search import search_words_refresh
    from leerwerk.catalogue.tests.factories_search import make_offer

    geo.load_coordinates()
    make_offer(
        "Verpleegkundige",
        level=Level.MBO_4,
        kind=OfferKind.DIPLOMA,
        is_bbl=True,
        sector="care",
        municipality="GM0599",
        cost_amount=1200,
    )
    make_offer(
        "Opleiding verpleegkunde",
        level=Level.BACHELOR,
        kind=OfferKind.DIPLOMA,
        sector="care",
        municipality="GM0014",
    )
    make_offer("Cursus heftruckchauffeur", sector="transport", municipality="GM0606")
    search_words_refresh()


def test_citizen_search_at_360_px_is_accessible_and_keyboard_usable(phone_page, base_url, offers):  # noqa: F811
    phone = phone_page
    phone.goto(f"{base_url}/opleidingen/")
    status = phone.locator("#zoek-status")
    expect(status).to_have_text("3 opleidingen gevonden")
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone, 360)

    # type words and press Enter: only the results reload
    search_box = phone.get_by_label("Zoek een opleiding")
    search_box.focus()
    phone.keyboard.type("verpleeg")
    phone.keyboard.press("Enter")
    expect(status).to_have_text("2 opleidingen gevonden")
    expect(phone.get_by_role("link", name="Cursus heftruckchauffeur")).to_have_count(0)

    # tick a facet with the keyboard: the list narrows, focus stays, the count is announced
    checkbox = phone.get_by_role("checkbox", name="Mbo niveau 4 (1)")
    checkbox.focus()
    phone.keyboard.press("Space")
    expect(status).to_have_text("1 opleiding gevonden")
    expect(phone.get_by_role("checkbox", name="Mbo niveau 4 (1)")).to_be_focused()
    expect(phone.get_by_role("checkbox", name="Mbo niveau 4 (1)")).to_be_checked()
    assert "niveau=mbo_4" in phone.url  # the address can be shared and bookmarked
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone, 360)


def test_no_results_page_is_accessible(page, base_url, offers):  # noqa: F811
    page.goto(f"{base_url}/opleidingen/?q=verplegkundige&niveau=mbo_2&zoek_precies=1")
    expect(page.get_by_role("heading", name="Geen opleidingen gevonden")).to_be_visible()
    assert_accessible(page)
