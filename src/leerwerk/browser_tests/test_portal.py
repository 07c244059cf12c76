"""The portal in a real browser: the regional home, the self-tests (start, mid-way, result),
the callback form and the content editor, with axe-core (zero serious/critical), the keyboard
and a 360 px wide phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from leerwerk.browser_tests.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_rijnmond(demo_logins):  # type: ignore[no-untyped-def]
    """Rijnmond with a long queue, so the regional home shows the 'busy' state."""
    from leerwerk.guidance.tests.factories import IntakeRequestFactory
    from leerwerk.network.models import Desk
    from leerwerk.portal.models import DeskPortalSettings

    desk = Desk.objects.get(slug="rijnmond")
    DeskPortalSettings.objects.create(desk=desk, norm_days=1)
    IntakeRequestFactory.create_batch(3, desk=desk)
    return desk


def test_regional_home_is_accessible(page, base_url, demo_logins):
    page.goto(f"{base_url}/loketten/rijnmond/")
    expect(page.get_by_role("heading", name="Hoe kunnen wij u helpen?")).to_be_visible()
    expect(page.get_by_role("link", name="Bel mij terug")).to_be_visible()
    assert_accessible(page)


def test_regional_home_when_busy_is_accessible_and_fits_a_phone(
    phone_page, base_url, busy_rijnmond
):
    phone_page.goto(f"{base_url}/loketten/rijnmond/")
    expect(phone_page.get_by_text("Het is nu erg druk.")).to_be_visible()
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page, 360)


def test_callback_form_with_errors_is_accessible(page, base_url):
    page.goto(f"{base_url}/loketten/rijnmond/terugbellen/")
    assert_accessible(page)
    page.get_by_role("button", name="Bel mij terug").click()
    expect(page.get_by_role("heading", name="Controleer uw invoer")).to_be_visible()
    assert_accessible(page)


def _choose_all(page, label: str) -> None:  # type: ignore[no-untyped-def]
    for group in page.locator("fieldset").all():
        group.get_by_label(label, exact=True).check()


def test_self_test_start_mid_way_and_result_are_accessible(page, base_url):
    # start
    page.goto(f"{base_url}/zelftesten/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Begin met “Wat vind ik leuk\\?”")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start de test").click()

    # mid-way, with the error state of an unanswered page
    expect(page.get_by_text("Deel 1 van 4", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", name="Controleer uw invoer")).to_be_visible()
    assert_accessible(page)
    for _ in range(4):
        _choose_all(page, "Leuk")
        page.locator("button[value=verder]").click()

    # result
    expect(page.get_by_role("heading", name="Zo is uw score berekend")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Maak een deelcode").click()
    expect(page.locator(".lw-code")).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    assert_accessible(page)


@pytest.mark.parametrize("kind", ["waarden", "vaardigheden"])
def test_other_self_tests_are_accessible_on_a_phone(phone_page, base_url, kind):
    phone_page.goto(f"{base_url}/zelftesten/{kind}/")
    phone_page.get_by_role("button", name="Start de test").click()
    expect(phone_page.get_by_text("Deel 1 van 3", exact=True)).to_be_visible()
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page, 360)


def test_a_self_test_page_can_be_answered_with_the_keyboard_only(page, base_url):
    page.goto(f"{base_url}/zelftesten/waarden/")
    page.get_by_role("button", name="Start de test").click()
    expect(page.get_by_text("Deel 1 van 3", exact=True)).to_be_visible()

    # focus the first radio of the first question, then per question: arrow to an answer, Tab on
    page.locator("fieldset").first.get_by_role("radio").first.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")  # selects the next answer of this question
        page.keyboard.press("Tab")  # the next question (or the buttons after the last)
    expect(page.get_by_role("button", name="Volgende")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Deel 2 van 3", exact=True)).to_be_visible()


def test_content_editor_with_preview_is_accessible(page, base_url, log_in, desk_a_manager):
    desk, manager = desk_a_manager
    log_in(page, manager)
    page.goto(f"{base_url}/medewerkers/website/loketten/{desk.uuid}/")
    assert_accessible(page)
    page.get_by_role("link", name="Wat wij bieden").click()
    page.get_by_label("Tekst").fill("Wij helpen **gratis**.\n\n- Loopbaanadvies\n- Scholing")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    expect(page.get_by_role("heading", name="Voorbeeld (nog niet opgeslagen)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De tekst is opgeslagen.")).to_be_visible()


@pytest.fixture
def desk_a_manager(reference_data):  # type: ignore[no-untyped-def]
    from leerwerk.core.constants import DeskRole
    from leerwerk.network.models import Desk
    from leerwerk.network.tests.factories import StaffMembershipFactory

    desk = Desk.objects.get(slug="rijnmond")
    membership = StaffMembershipFactory(desk=desk, role=DeskRole.DESK_MANAGER)
    return desk, membership.user
