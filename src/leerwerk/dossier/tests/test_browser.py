"""The dossier pages in a real browser (system Chromium, Playwright): axe-core on the plan
editor (empty, with errors, with an added row), the plan pages and the message thread (zero
serious or critical violations), the editor and the thread used with the keyboard only, and
both at 360 px wide without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
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
def dossier(reference_data) -> dict[str, Any]:  # noqa: F811
    """At Rijnmond: an adviser, a client with an open trajectory, a shared plan with steps and
    a short conversation (two messages from the client, one reply)."""
    from leerwerk.clients.tests.factories import ClientFactory
    from leerwerk.dossier.constants import MessageDirection, StepOwner
    from leerwerk.dossier.tests.factories import (
        DevelopmentPlanFactory,
        MessageFactory,
        PlanStepFactory,
    )
    from leerwerk.guidance.tests.factories import TrajectoryFactory
    from leerwerk.network.models import Desk
    from leerwerk.network.tests.factories import StaffMembershipFactory

    desk = Desk.objects.get(slug=DESK_SLUG)
    adviser = StaffMembershipFactory(
        desk=desk, user__email="adviseur.dossier@example.test", user__name="Sanne de Wit"
    ).user
    client = ClientFactory(desk=desk, given_name="Fatima", family_name="Yilmaz")
    trajectory = TrajectoryFactory(client=client, adviser=adviser)
    plan = DevelopmentPlanFactory(trajectory=trajectory, shared=True, shared_by=adviser)
    PlanStepFactory(plan=plan, order=1, action="Open dag van het roc bezoeken")
    PlanStepFactory(plan=plan, order=2, action="Werkgever bellen", owner=StepOwner.ADVISER)
    MessageFactory(trajectory=trajectory, body="Goedemiddag,\nwanneer is de open dag?")
    MessageFactory(
        trajectory=trajectory,
        direction=MessageDirection.FROM_DESK,
        author=adviser,
        author_label="Sanne",
        body="Op 12 maart. Zal ik u aanmelden?",
    )
    MessageFactory(trajectory=trajectory, body="Ja graag!")
    fresh = TrajectoryFactory(client=ClientFactory(desk=desk), adviser=adviser)
    return {"adviser": adviser, "trajectory": trajectory, "plan": plan, "fresh": fresh}


def focused(page) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    return page.evaluate("document.activeElement?.id || document.activeElement?.textContent")


def tab_to(page, selector: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Press Tab until the element matching ``selector`` has focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_plan_editor_is_accessible_and_works_with_the_keyboard(page, base_url, dossier, log_in):  # noqa: F811
    from leerwerk.dossier.models import DevelopmentPlan

    log_in(page, dossier["adviser"])
    trajectory = dossier["fresh"]
    page.goto(base_url + reverse("dossier:plan_create", args=[trajectory.uuid]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw ontwikkelplan")
    assert_accessible(page)

    # error state: sent without a title or goal
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    expect(page.locator("#foutmeldingen")).to_contain_text("Geef het plan een titel.")
    expect(page.locator("#foutmeldingen")).to_contain_text("Schrijf op wat de klant wil bereiken.")
    assert_accessible(page)

    # keyboard only from here: fill the plan, a first step, add a second step, fill it
    page.locator("#id_title").focus()
    page.keyboard.type("Op weg naar de zorg")
    tab_to(page, "#id_goal")
    page.keyboard.type("Werken als helpende in de zorg.")
    tab_to(page, "#id_stappen-0-action")
    page.keyboard.type("Open dag bezoeken")
    page.keyboard.press("Tab")  # to "Wie"
    assert focused(page) == "id_stappen-0-owner"
    page.keyboard.press("ArrowDown")  # Klant
    tab_to(page, "#stap-toevoegen")
    page.keyboard.press("Enter")
    # the new row came in (htmx) and has the focus
    expect(page.locator("#id_stappen-1-action")).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("Er is een lege stap 2 toegevoegd.")
    page.keyboard.type("Werkgever bellen")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Adviseur
    assert page.locator("#id_stappen-1-owner").input_value() == "adviser"
    assert page.locator("#id_stappen-0-action").input_value() == "Open dag bezoeken"
    assert_accessible(page)
    # Enter in a text field saves (it does not remove a step)
    page.locator("#id_stappen-1-action").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Ontwikkelplan versie 1")
    plan = DevelopmentPlan.objects.get(trajectory=trajectory)
    assert list(plan.steps.values_list("action", "owner")) == [
        ("Open dag bezoeken", "client"),
        ("Werkgever bellen", "adviser"),
    ]
    assert_accessible(page)


def test_removing_a_step_with_the_keyboard_keeps_the_focus_on_the_form(
    page,  # noqa: F811
    base_url,  # noqa: F811
    dossier,
    log_in,  # noqa: F811
):
    from leerwerk.dossier.services import plan_new_version

    draft = plan_new_version(actor=dossier["adviser"], trajectory=dossier["trajectory"])
    log_in(page, dossier["adviser"])
    page.goto(base_url + reverse("dossier:plan_edit", args=[draft.uuid]))
    expect(page.locator("#id_stappen-1-action")).to_have_value("Werkgever bellen")

    tab_to(page, "button[name=stap_verwijderen][value='0']")
    page.keyboard.press("Enter")

    expect(page.locator("#id_stappen-0-action")).to_have_value("Werkgever bellen")
    expect(page.locator("#id_stappen-1-action")).to_have_count(0)
    expect(page.locator("#stap-toevoegen")).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("Stap 1 is weggehaald.")
    assert_accessible(page)


def test_plan_pages_are_accessible(page, base_url, dossier, log_in):  # noqa: F811
    from leerwerk.dossier.services import plan_new_version

    log_in(page, dossier["adviser"])
    trajectory, plan = dossier["trajectory"], dossier["plan"]
    draft = plan_new_version(actor=dossier["adviser"], trajectory=trajectory)
    for url, shows in (
        (reverse("guidance:trajectory_detail", args=[trajectory.uuid]), "Berichten (2 nieuw)"),
        (reverse("dossier:plan_overview", args=[trajectory.uuid]), "2 versies"),
        (reverse("dossier:plan_detail", args=[plan.uuid]), "Open dag van het roc bezoeken"),
        (reverse("dossier:plan_share", args=[draft.uuid]), "Ja, deel het plan"),
        (reverse("dossier:plan_discard", args=[draft.uuid]), "Ja, gooi het concept weg"),
        (reverse("dossier:unread_list"), "Fatima Yilmaz"),
    ):
        response = page.goto(base_url + url)
        assert response is not None and response.status == 200
        expect(page.locator("main")).to_contain_text(shows)
        assert_accessible(page)


def test_message_thread_is_accessible_and_a_reply_can_be_sent_with_the_keyboard(
    page,  # noqa: F811
    base_url,  # noqa: F811
    dossier,
    log_in,  # noqa: F811
):
    from leerwerk.dossier.models import Message

    log_in(page, dossier["adviser"])
    page.goto(base_url + reverse("dossier:thread", args=[dossier["trajectory"].uuid]))
    expect(page.locator(".lw-thread li")).to_have_count(3)
    expect(page.locator(".lw-thread")).to_contain_text("wanneer is de open dag?")
    assert_accessible(page)

    # sent empty: the error
    page.get_by_role("button", name="Bericht versturen").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Schrijf een bericht.")
    assert_accessible(page)

    page.locator("#id_body").focus()
    page.keyboard.type("Ik heb u aangemeld.")
    page.keyboard.press("Enter")  # a new line, not sending
    page.keyboard.type("Tot dan!")
    tab_to(page, "input[name=sign_as][value=name]")
    page.keyboard.press("ArrowDown")  # the desk as sender
    tab_to(page, "button[type=submit].utrecht-button--submit")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Uw bericht is verstuurd.")).to_be_visible()
    expect(page.locator(".lw-thread li")).to_have_count(4)
    reply = Message.objects.get(body__startswith="Ik heb u aangemeld.")
    assert reply.body == "Ik heb u aangemeld.\nTot dan!"
    assert reply.author_label == "Leerwerkloket Rijnmond"
    assert_accessible(page)


@pytest.mark.parametrize("which", ["thread", "editor"])
def test_dossier_pages_fit_a_small_phone(phone_page, base_url, dossier, log_in, which):  # noqa: F811
    log_in(phone_page, dossier["adviser"])
    if which == "thread":
        url = reverse("dossier:thread", args=[dossier["trajectory"].uuid])
    else:
        url = reverse("dossier:plan_create", args=[dossier["fresh"].uuid])
    phone_page.goto(base_url + url)
    if which == "editor":
        phone_page.get_by_role("button", name="Stap toevoegen").click()
        expect(phone_page.locator("#id_stappen-1-action")).to_be_visible()
    assert_no_horizontal_scroll(phone_page, 360)
    # every field and button is fully on the screen (nothing cut off inside a row)
    outside = phone_page.evaluate(
        """() => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button:not(.lw-visually-hidden)'))
            .filter(el => { const r = el.getBoundingClientRect(); return r.left < 0 || r.right > 360; })
            .map(el => el.id || el.name || el.textContent)"""
    )
    assert outside == []
    assert_accessible(phone_page)
