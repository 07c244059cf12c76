"""The CRM pages in a real browser: accessibility (axe-core) of the adviser's pages and of the
public advice-request form, a keyboard-only run through that form, and small screens.

The data is made through the services, at the demo desk of Rijnmond, by its demo adviser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from leerwerk.browser_tests.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESK_SLUG = "rijnmond"
PUBLIC_FORM = f"/loketten/{DESK_SLUG}/adviesvraag/"


@dataclass(frozen=True)
class CrmData:
    adviser: Any
    client: Any
    request: Any
    trajectory: Any
    employer: Any


@pytest.fixture
def crm(demo_logins, crm_configuration) -> CrmData:  # type: ignore[no-untyped-def]
    """At the demo desk of Rijnmond, made through the services by its demo adviser: a client
    with an open trajectory (assigned to the adviser) with a contact moment and a competence
    test, a new intake request, and an employer with a contact person and an advice contact."""
    from leerwerk.accounts.models import User
    from leerwerk.api.tests.crm_fixtures import make_desk_data, registration_type
    from leerwerk.guidance import services, vocabulary
    from leerwerk.network.demo import DEMO_DOMAIN
    from leerwerk.network.models import Desk

    desk = Desk.objects.get(slug=DESK_SLUG)
    adviser = User.objects.get(email=f"adviseur.{DESK_SLUG}@{DEMO_DOMAIN}")
    data = make_desk_data(desk, adviser, postcode="3011 AB", prefix="A")
    trajectory = services.trajectory_assign(
        actor=adviser,
        trajectory=data.trajectory,
        expected_version=data.trajectory.version,
        adviser=adviser,
    )
    today = timezone.localdate()
    services.registration_create(
        actor=adviser,
        desk=desk,
        type=registration_type(vocabulary.COMPETENCE_TEST),
        trajectory=trajectory,
        occurred_on=today,
    )
    services.registration_create(
        actor=adviser,
        desk=desk,
        type=registration_type(vocabulary.EMPLOYER_ADVICE),
        employer=data.employer,
        occurred_on=today,
    )
    return CrmData(adviser, data.client, data.request, trajectory, data.employer)


def _submit(page) -> None:  # type: ignore[no-untyped-def]
    """Send the page's main form as it is (empty), to get its error messages."""
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(page.locator("#foutmeldingen")).to_be_visible()


class StaffPage(NamedTuple):
    url: Callable[[CrmData], str]
    shows: str  # so the check runs on the real page, not on an error page
    action: Callable[[Any], None] | None = None  # what to do on the page before the check


def _url(name: str, attribute: str | None = None) -> Callable[[CrmData], str]:
    """The URL of view ``name``, with the UUID of the object ``attribute`` of the data."""
    return lambda data: reverse(name, args=[getattr(data, attribute).uuid] if attribute else [])


STAFF_PAGES = {
    "work-list": StaffPage(_url("clients:work_list"), "Fatima AJansen"),
    "client-search": StaffPage(
        lambda data: reverse("clients:search") + "?q=Jansen", "Fatima AJansen"
    ),
    "client-create-errors": StaffPage(_url("clients:create"), "Controleer uw invoer", _submit),
    "client-page": StaffPage(_url("clients:detail", "client"), "Competentietest"),
    "request-inbox": StaffPage(_url("clients:request_list"), "Ahmed ABakker"),
    "request-detail": StaffPage(
        _url("clients:request_detail", "request"), "Ik wil omscholen naar de zorg."
    ),
    "trajectory-open": StaffPage(_url("guidance:trajectory_open", "client"), "Traject openen"),
    "trajectory-page": StaffPage(
        _url("guidance:trajectory_detail", "trajectory"), "Competentietest"
    ),
    "registration-errors": StaffPage(
        _url("guidance:registration_create", "trajectory"), "Controleer uw invoer", _submit
    ),
    "employer-list": StaffPage(_url("guidance:employer_list"), "A Bouw BV"),
    "employer-detail": StaffPage(_url("guidance:employer_detail", "employer"), "Piet de Boer"),
}


@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_staff_crm_page_is_accessible(page, base_url, crm, log_in, name):
    # given the demo adviser is logged in
    log_in(page, crm.adviser)
    staff_page = STAFF_PAGES[name]

    # when they open the page (and send its form empty, for the pages with errors)
    response = page.goto(f"{base_url}{staff_page.url(crm)}")
    assert response is not None and response.status == 200
    if staff_page.action is not None:
        staff_page.action(page)

    # then it shows what it should and has no serious or critical accessibility problems
    expect(page.locator("main")).to_contain_text(staff_page.shows)
    assert_accessible(page)


@pytest.mark.parametrize("with_errors", [False, True], ids=["empty", "errors"])
def test_public_advice_request_form_is_accessible(page, base_url, demo_logins, with_errors):
    page.goto(f"{base_url}{PUBLIC_FORM}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel uw vraag")
    if with_errors:
        page.get_by_role("button", name="Verstuur mijn vraag").click()
        expect(page.get_by_role("alert")).to_contain_text("Kies waar uw vraag over gaat.")
    assert_accessible(page)


def _tab_to(page, selector: str, most: int = 40) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching ``selector`` has focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} never got focus with Tab")


def _focused(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("document.activeElement.name || document.activeElement.id")


def test_public_advice_request_form_by_keyboard_only(page, base_url, demo_logins):
    from leerwerk.guidance.constants import IntakeChannel, QuestionTheme
    from leerwerk.guidance.models import IntakeRequest

    # given the form, used with the keyboard only (Tab, Space, Enter and typing)
    page.goto(f"{base_url}{PUBLIC_FORM}")
    keyboard = page.keyboard

    # when the first theme is chosen with Space
    _tab_to(page, "input[name=theme]")
    keyboard.press("Space")
    expect(page.locator("#id_theme_0")).to_be_checked()
    # and every next field is reached with one Tab, in the order they are shown
    for name, text in [
        ("description", "Ik wil weten welk werk bij mij past."),
        ("given_name", "Toetsia"),
        ("family_name", "Bordgebruiker"),
        ("contact_preference", ""),  # "e-mail" is already chosen
        ("email", "toetsia@example.test"),
        ("phone", ""),
        ("postcode", "3011 AB"),
        ("consent", ""),
    ]:
        keyboard.press("Tab")
        assert _focused(page) == name
        keyboard.type(text)
    keyboard.press("Space")
    expect(page.get_by_role("checkbox")).to_be_checked()
    # the honeypot for robots is skipped
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Verstuur mijn vraag")).to_be_focused()
    keyboard.press("Enter")

    # then the thank-you page shows and the request reached the desk
    expect(page).to_have_url(f"{base_url}{PUBLIC_FORM}verstuurd/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw vraag is verstuurd")
    request = IntakeRequest.objects.get(family_name="Bordgebruiker")
    assert request.desk.slug == DESK_SLUG
    assert request.channel == IntakeChannel.WEB_FORM
    assert request.theme == QuestionTheme.CAREER_ADVICE
    assert request.email == "toetsia@example.test"
    assert request.postcode == "3011 AB"
    assert request.consent_given_at is not None


@pytest.mark.parametrize("name", ["client-page", "trajectory-page"])
def test_no_horizontal_scroll_at_360_px(phone_page, base_url, crm, log_in, name):
    log_in(phone_page, crm.adviser)
    staff_page = STAFF_PAGES[name]
    phone_page.goto(f"{base_url}{staff_page.url(crm)}")
    expect(phone_page.locator("main")).to_contain_text(staff_page.shows)
    assert_no_horizontal_scroll(phone_page, 360)
