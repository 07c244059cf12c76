"""Mijn Leerwerkloket in a real browser: axe-core (zero serious or critical violations) on the
sign-up and log-in pages (also with errors), every page of a logged-in citizen at 1280 and
360 px wide, and a log-in with the keyboard only."""

from __future__ import annotations

import datetime
import re
from importlib import import_module

import pytest
from django.conf import settings
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

PASSWORD = "Zonnige dinsdag 2026"


@pytest.fixture
def citizen_data(reference_data):  # noqa: F811
    """An account with a linked file at Rijnmond, a test, a saved offer and an appointment."""
    from leerwerk.agenda.tests.factories import AppointmentFactory, SlotFactory
    from leerwerk.catalogue.tests.factories_search import make_offer
    from leerwerk.clients.tests.factories import ClientFactory
    from leerwerk.mijn.models import SavedOffer
    from leerwerk.mijn.tests.factories import CitizenAccountFactory, ClientLinkFactory
    from leerwerk.network.models import Desk
    from leerwerk.portal import services as portal_services

    desk = Desk.objects.get(slug="rijnmond")
    account = CitizenAccountFactory(email="sanne.test@example.test", display_name="Sanne")
    link = ClientLinkFactory(client=ClientFactory(desk=desk), account=account)
    from leerwerk.dossier.constants import MessageDirection
    from leerwerk.dossier.tests.factories import (
        DevelopmentPlanFactory,
        MessageFactory,
        PlanStepFactory,
    )
    from leerwerk.guidance.tests.factories import TrajectoryFactory

    trajectory = TrajectoryFactory(client=link.client)
    MessageFactory(
        trajectory=trajectory, direction=MessageDirection.FROM_DESK, author_label="Adviseur Kim"
    )
    PlanStepFactory(plan=DevelopmentPlanFactory(trajectory=trajectory, shared=True))
    portal_services.selftest_start(kind="waarden", desk=desk, account=account)
    SavedOffer.objects.create(account=account, offer=make_offer("Mbo Logistiek medewerker"))
    AppointmentFactory(
        slot=SlotFactory(
            block__desk=desk,
            block__date=datetime.date.today() + datetime.timedelta(days=2),  # noqa: DTZ011
        ),
        account=account,
    )
    return account


def _log_in(page, account, live_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Give the browser a citizen session (the log-in form has its own tests)."""
    from leerwerk.mijn.auth import session_hash
    from leerwerk.mijn.constants import SESSION_ACCOUNT, SESSION_HASH

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_ACCOUNT] = str(account.uuid)
    store[SESSION_HASH] = session_hash(account)
    store.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )


def _check(page, width: int | None) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert_accessible(page)
    if width:
        assert_no_horizontal_scroll(page, width)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_signup_and_login_pages_with_errors(request, base_url, viewport):  # noqa: F811
    tab = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    width = 360 if viewport == "phone" else None

    tab.goto(f"{base_url}/mijn/account-maken/")
    expect(tab.get_by_role("heading", name="Account maken", level=1)).to_be_visible()
    _check(tab, width)
    tab.get_by_label("Uw naam").fill("Sanne")
    tab.get_by_label("E-mailadres").fill("geen-adres")
    tab.get_by_label("Kies een wachtwoord").fill("kort")
    tab.get_by_label("Typ het wachtwoord nog een keer").fill("anders")
    tab.get_by_role("button", name="Account maken").click()
    expect(tab.get_by_role("heading", name="Controleer uw invoer")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/inloggen/")
    _check(tab, width)
    tab.get_by_label("E-mailadres").fill("onbekend@example.test")
    tab.get_by_label("Wachtwoord").fill("verkeerd wachtwoord")
    tab.get_by_role("button", name="Inloggen").click()
    expect(tab.get_by_text("Dit e-mailadres en wachtwoord horen niet bij elkaar")).to_be_visible()
    _check(tab, width)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_of_a_logged_in_citizen(request, base_url, live_server, citizen_data, viewport):  # noqa: F811
    tab = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    width = 360 if viewport == "phone" else None
    _log_in(tab, citizen_data, live_server)

    tab.goto(f"{base_url}/mijn/")
    expect(tab.get_by_role("heading", name="Welkom, Sanne")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/gegevens/")
    tab.get_by_label("Uw naam").fill("")
    tab.get_by_label("Postcode").fill("99")
    tab.get_by_role("button", name="Gegevens opslaan").click()
    expect(tab.get_by_role("heading", name="Controleer uw invoer")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/zelftesten/")
    expect(tab.get_by_role("heading", name="Wat vind ik belangrijk in werk?")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/opleidingen/")
    expect(tab.get_by_role("link", name="Mbo Logistiek medewerker")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/afspraken/")
    expect(tab.get_by_role("link", name="Afzeggen of verzetten")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/toestemming/")
    expect(tab.get_by_role("heading", name="Leerwerkloket Rijnmond")).to_be_visible()
    tab.get_by_role("button", name=re.compile("Toestemming geven.*Later opnieuw")).click()
    expect(tab.get_by_text("Kies na hoeveel maanden")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/berichten/")
    expect(tab.get_by_text("1 nieuw")).to_be_visible()
    _check(tab, width)
    tab.get_by_role("link", name="Loopbaanadvies").click()
    expect(tab.get_by_text("Adviseur Kim")).to_be_visible()
    tab.get_by_role("button", name="Verstuur").click()
    expect(tab.get_by_role("heading", name="Controleer uw invoer")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/ontwikkelplan/")
    expect(tab.get_by_role("heading", name="Op weg naar werk in de zorg")).to_be_visible()
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/gegevens-downloaden/")
    _check(tab, width)

    tab.goto(f"{base_url}/mijn/account-verwijderen/")
    expect(tab.get_by_label("Vraag het loket ook mijn dossier te verwijderen")).to_be_visible()
    tab.get_by_label("Uw wachtwoord").fill("niet goed")
    tab.get_by_role("button", name="Account definitief verwijderen").click()
    expect(tab.get_by_role("heading", name="Controleer uw invoer")).to_be_visible()
    _check(tab, width)


def test_empty_states_are_accessible(page, base_url, live_server, reference_data):  # noqa: F811
    from leerwerk.mijn.tests.factories import CitizenAccountFactory

    _log_in(page, CitizenAccountFactory(display_name="Nieuw"), live_server)
    for path, text in [
        ("/mijn/zelftesten/", "U heeft nog geen zelftesten"),
        ("/mijn/opleidingen/", "U heeft nog geen opleidingen bewaard"),
        ("/mijn/afspraken/", "U heeft geen afspraken gepland"),
        ("/mijn/toestemming/", "nog geen dossier van een leerwerkloket gekoppeld"),
    ]:
        page.goto(f"{base_url}{path}")
        expect(page.get_by_text(text)).to_be_visible()
        assert_accessible(page)


def tab_to(page, selector: str, limit: int = 60) -> None:  # noqa: F811
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_log_in_with_the_keyboard_only(page, base_url, reference_data):  # noqa: F811
    from leerwerk.mijn.tests.factories import CitizenAccountFactory

    CitizenAccountFactory(email="toetsenbord@example.test", display_name="Kees")
    page.goto(f"{base_url}/mijn/inloggen/")
    tab_to(page, "#id_email")
    page.keyboard.type("toetsenbord@example.test")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Inloggen")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Welkom, Kees")).to_be_visible()
    # and out again, by keyboard
    tab_to(page, "form[action='/mijn/uitloggen/'] button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="U bent uitgelogd")).to_be_visible()


def test_staff_invitation_and_erasure_pages(page, base_url, log_in, reference_data):  # noqa: F811
    from leerwerk.clients.tests.factories import ClientFactory
    from leerwerk.core.constants import DeskRole
    from leerwerk.mijn.models import ErasureRequest
    from leerwerk.network.models import Desk
    from leerwerk.network.tests.factories import StaffMembershipFactory

    desk = Desk.objects.get(slug="rijnmond")
    manager = StaffMembershipFactory(desk=desk, role=DeskRole.DESK_MANAGER).user
    client = ClientFactory(desk=desk, given_name="Noor", email="noor@example.test")
    erasure = ErasureRequest.objects.create(desk=desk, client=client)
    log_in(page, manager)

    page.goto(f"{base_url}/medewerkers/klanten/{client.uuid}/")
    page.get_by_role("link", name="Mijn Leerwerkloket: uitnodigen en koppeling").click()
    expect(page.get_by_text("Deze klant is nog niet uitgenodigd.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Uitnodigen voor Mijn Leerwerkloket").click()
    expect(page.get_by_text("De uitnodiging is verstuurd naar noor@example.test.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base_url}/medewerkers/mijn-leerwerkloket/verwijderverzoeken/")
    assert_accessible(page)
    page.get_by_role("link", name=client.full_name).click()
    page.get_by_label("Dossier bewaren, met een reden").check()
    page.get_by_role("button", name="Verzoek afhandelen").click()
    expect(page.get_by_role("heading", name="Controleer uw invoer")).to_be_visible()
    assert_accessible(page)
    assert ErasureRequest.objects.get(pk=erasure.pk).handled_at is None
