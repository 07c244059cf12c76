"""Catalogue pages in a real browser: the CSV upload and its run page with the error report,
the opportunity-occupation autocomplete, and the public scholingsmatrix (axe-core on each)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from leerwerk.browser_tests.helpers import assert_accessible

pytestmark = pytest.mark.browser

FILES = Path(__file__).resolve().parent.parent / "catalogue" / "tests" / "files"


@pytest.fixture
def manager(reference_data):  # type: ignore[no-untyped-def]
    from leerwerk.core.constants import DeskRole
    from leerwerk.network.models import Desk
    from leerwerk.network.tests.factories import StaffMembershipFactory

    desk = Desk.objects.get(region__code="AM22")
    return StaffMembershipFactory(
        desk=desk, role=DeskRole.DESK_MANAGER, user__email="pl.catalogus@example.test"
    ).user


def test_upload_and_run_page_with_error_report(page, base_url, manager, log_in):  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, manager)
    page.goto(f"{base_url}/medewerkers/opleidingen/")
    assert_accessible(page)
    page.get_by_role("button", name="Eigen opleidingen uploaden (CSV)").first.click()
    expect(page.get_by_role("heading", name="Bestand uploaden")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Bestand", exact=True).set_input_files(str(FILES / "offers_bad.csv"))
    page.get_by_role("button", name="Importeren").click()

    expect(page.get_by_text("Klaar, met afgekeurde regels")).to_be_visible()
    expect(page.get_by_role("cell", name="is verplicht, maar leeg")).to_be_visible()
    expect(page.get_by_role("link", name="Download de afgekeurde regels (CSV)")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_have_count(0)  # not in the report
    assert dialogs == []  # the file's script never ran
    assert_accessible(page)


def test_occupation_autocomplete_and_public_matrix(page, base_url, manager, log_in):  # type: ignore[no-untyped-def]
    from leerwerk.catalogue.tests import factories

    factories.occupation("verpleegkundige", "2221.1")
    desk = manager.memberships.get().desk
    log_in(page, manager)
    page.goto(f"{base_url}/medewerkers/opleidingen/loket/{desk.uuid}/kansberoepen/nieuw/")
    page.get_by_label("Zoek een beroep (ESCO)").fill("verpleeg")
    expect(page.get_by_label("verpleegkundige")).to_be_visible()  # htmx, without submitting
    assert_accessible(page)
    page.get_by_label("verpleegkundige").check()
    page.get_by_label("Sector").select_option(label="Zorg en welzijn")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1, name="verpleegkundige")).to_be_visible()

    page.goto(f"{base_url}/loketten/{desk.slug}/kansberoepen/")
    expect(page.get_by_role("rowheader", name="Zorg en welzijn")).to_be_visible()
    assert_accessible(page)
