"""The booking flow and event registration in a real browser: axe-core on every step and form
state (zero serious or critical violations), and a booking made with the keyboard only
(Tab, Enter, Space and typing) on a 360 px wide phone."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from leerwerk.browser_tests.conftest import (  # noqa: F401  (fixtures)
    base_url,
    browser,
    log_in,
    page,
    phone_page,
    reference_data,
)
from leerwerk.browser_tests.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESK_SLUG = "rijnmond"


@pytest.fixture
def desk_with_slots(reference_data):  # noqa: F811
    from leerwerk.agenda.tests.factories import SlotFactory
    from leerwerk.network.models import Desk
    from leerwerk.network.tests.factories import LocationFactory

    desk = Desk.objects.get(slug=DESK_SLUG)
    location = LocationFactory(desk=desk, name="Leerwerkloket Centrum")
    first = SlotFactory(block__desk=desk, block__mode="location", block__location=location)
    SlotFactory(
        block=first.block,
        starts_at=first.starts_at + datetime.timedelta(minutes=30),
        ends_at=first.ends_at + datetime.timedelta(minutes=30),
    )
    return desk


@pytest.fixture
def published_event(reference_data):  # noqa: F811
    from leerwerk.agenda.tests.factories import EventFactory
    from leerwerk.network.models import Desk

    return EventFactory(
        desk=Desk.objects.get(slug=DESK_SLUG), title="Werken in de techniek", capacity=1
    )


def tab_to(page, selector: str, limit: int = 80) -> None:  # noqa: F811
    """Press Tab until the element matching ``selector`` has focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_booking_flow_is_accessible_in_every_state(page, base_url, desk_with_slots):  # noqa: F811
    page.goto(f"{base_url}/loketten/{DESK_SLUG}/afspraak/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maak een afspraak")
    assert_accessible(page)

    page.get_by_role("link", name="Leerwerkloket Centrum").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw gegevens voor de afspraak")
    assert_accessible(page)

    # submitted empty: the error summary and the messages at the fields
    page.get_by_role("button", name="Maak de afspraak").click()
    expect(page.get_by_text("Kies waar u over wilt praten.").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Ik wil weten welk werk bij mij past").check()
    page.get_by_label("Voornaam").fill("Testburger")
    page.get_by_label("Achternaam").fill("Voorbeeld")
    page.get_by_label("E-mailadres").fill("test.burger@example.test")
    page.get_by_label("Ik geef het leerwerkloket toestemming").check()
    page.get_by_role("button", name="Maak de afspraak").click()

    expect(page.get_by_text("Uw afspraak is gemaakt.")).to_be_visible()
    expect(page.get_by_role("button", name="Zeg de afspraak af")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Zeg de afspraak af").click()
    expect(page.get_by_text("Uw afspraak is afgezegd.")).to_be_visible()
    assert_accessible(page)


def test_event_registration_is_accessible_in_every_state(page, base_url, published_event):  # noqa: F811
    page.goto(f"{base_url}/loketten/{DESK_SLUG}/activiteiten/")
    assert_accessible(page)
    page.get_by_role("link", name="Werken in de techniek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werken in de techniek")
    assert_accessible(page)

    page.get_by_role("button", name="Meld mij aan").click()
    expect(page.get_by_text("Vul uw voornaam in.").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Voornaam").fill("Testburger")
    page.get_by_label("Achternaam").fill("Voorbeeld")
    page.get_by_label("E-mailadres").fill("test.burger@example.test")
    page.get_by_label("Ik geef het leerwerkloket toestemming").check()
    page.get_by_role("button", name="Meld mij aan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent aangemeld")
    assert_accessible(page)

    # the event is full now: the page offers the waiting list
    page.goto(f"{base_url}/loketten/{DESK_SLUG}/activiteiten/{published_event.uuid}/")
    expect(page.get_by_role("button", name="Zet mij op de wachtlijst")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base_url}/activiteiten/")
    assert_accessible(page)


def test_keyboard_only_booking_on_a_small_phone(phone_page, base_url, desk_with_slots):  # noqa: F811
    phone = phone_page
    phone.goto(f"{base_url}/loketten/{DESK_SLUG}/")
    assert_no_horizontal_scroll(phone, 360)

    tab_to(phone, "a[href$='/afspraak/']")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Maak een afspraak")
    assert_no_horizontal_scroll(phone, 360)

    tab_to(phone, "a[href*='/afspraak/']:not([href$='/afspraak/'])")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Uw gegevens voor de afspraak")
    assert_no_horizontal_scroll(phone, 360)

    tab_to(phone, "input[name='theme']")
    phone.keyboard.press("Space")
    for name, text in [
        ("given_name", "Testburger"),
        ("family_name", "Voorbeeld"),
        ("email", "toetsenbord@example.test"),
    ]:
        tab_to(phone, f"input[name='{name}']")
        phone.keyboard.type(text)
    tab_to(phone, "input[name='consent']")
    phone.keyboard.press("Space")
    tab_to(phone, "button[type='submit']")
    phone.keyboard.press("Enter")

    expect(phone.get_by_text("Uw afspraak is gemaakt.")).to_be_visible()
    assert_no_horizontal_scroll(phone, 360)

    from leerwerk.agenda.models import Appointment

    assert Appointment.objects.get().email == "toetsenbord@example.test"


def test_check_in_at_the_door_with_the_keyboard(page, base_url, published_event, log_in):  # noqa: F811
    from leerwerk.agenda.tests.factories import EventRegistrationFactory
    from leerwerk.core.constants import DeskRole
    from leerwerk.network.tests.factories import StaffMembershipFactory

    adviser = StaffMembershipFactory(
        desk=published_event.desk, role=DeskRole.ADVISER, user__email="deur@example.test"
    ).user
    registration = EventRegistrationFactory(event=published_event, given_name="Anna")
    log_in(page, adviser)
    page.goto(f"{base_url}/medewerkers/agenda/activiteiten/{published_event.uuid}/deur/")
    assert_accessible(page)

    tab_to(page, f"#knop-{registration.uuid}")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Binnen om")).to_be_visible()
    expect(page.locator("#deur-status")).to_have_text("Anna Voorbeeld is binnen.")
    tab_to(page, "#teller-inloop")
    page.keyboard.press("Space")
    expect(page.locator("#tellers")).to_contain_text("Bezoekers in totaal")
    assert_accessible(page)

    registration.refresh_from_db()
    published_event.refresh_from_db()
    assert registration.checked_in_at is not None
    assert published_event.walk_ins == 1
