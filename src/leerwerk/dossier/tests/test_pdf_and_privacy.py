"""The plan as a PDF (WeasyPrint, read back through its layout) and the dossier in the client's
data export and erasure."""

from __future__ import annotations

import pytest
from django.utils import timezone

from leerwerk.clients import privacy
from leerwerk.clients.services import client_erase
from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.dossier import services
from leerwerk.dossier.constants import ERASED_TEXT, MessageDirection, PlanStatus, StepOwner
from leerwerk.dossier.models import DevelopmentPlan, Message, PlanStep
from leerwerk.dossier.tests.factories import (
    DevelopmentPlanFactory,
    MessageFactory,
    PlanStepFactory,
)
from leerwerk.guidance.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(desk_a, adviser_a):  # type: ignore[no-untyped-def]
    client = ClientFactory(desk=desk_a, given_name="Fatima", family_name="Yılmaz-de Vries")
    trajectory = TrajectoryFactory(client=client, adviser=adviser_a)
    plan = DevelopmentPlanFactory(
        trajectory=trajectory, shared=True, shared_by=adviser_a, goal="Werken <b>in</b> de zorg"
    )
    PlanStepFactory(plan=plan, order=1, action="Open dag bezoeken", owner=StepOwner.CLIENT)
    PlanStepFactory(
        plan=plan,
        order=2,
        action="Opleiding zoeken",
        owner=StepOwner.ADVISER,
        done_at=timezone.localdate(),
    )
    return plan


def _page_texts(html: str) -> list[str]:
    """The text WeasyPrint laid out on each page (including the page-margin boxes)."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    texts = []
    for page in document.pages:
        words: list[str] = []
        for box in page._page_box.descendants():
            text = getattr(box, "text", None)
            if text:
                words.append(text)
        texts.append(" ".join(words))
    return texts


def test_the_pdf_is_a_pdf_with_the_clients_name_version_and_page_numbers(plan, desk_a):
    pdf = services.plan_pdf_bytes(plan)
    assert pdf.startswith(b"%PDF")

    pages = _page_texts(services.plan_pdf_html(plan))
    text = " ".join(pages)
    assert "Fatima Yılmaz-de Vries" in text
    assert desk_a.display_name in text
    assert "Ontwikkelplan" in text
    assert "versie 1" in text
    assert "Open dag bezoeken" in text and "Opleiding zoeken" in text
    assert f"pagina 1 van {len(pages)}" in pages[0]


def test_the_pdf_escapes_the_texts(plan):
    html = services.plan_pdf_html(plan)
    assert "Werken &lt;b&gt;in&lt;/b&gt; de zorg" in html
    assert "<b>in</b>" not in html


def test_a_long_plan_runs_over_pages_with_page_numbers(plan):
    for order in range(3, 31):
        PlanStepFactory(plan=plan, order=order, action="Een lange stap " * 20)
    pages = _page_texts(services.plan_pdf_html(plan))
    assert len(pages) >= 2
    assert f"pagina 2 van {len(pages)}" in pages[1]


def test_a_draft_pdf_says_it_is_a_draft(plan):
    DevelopmentPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT, shared_at=None)
    plan.refresh_from_db()
    assert "CONCEPT" in services.plan_pdf_html(plan)


# -- export and erasure -------------------------------------------------------------------------


def test_the_client_export_holds_the_messages_and_plans(plan, adviser_a):
    trajectory = plan.trajectory
    MessageFactory(trajectory=trajectory, body="Mijn vraag over de opleiding")
    MessageFactory(
        trajectory=trajectory,
        direction=MessageDirection.FROM_DESK,
        author=adviser_a,
        author_label="Test",
        body="Het antwoord",
    )

    data = privacy.client_export(actor=adviser_a, client=trajectory.client)

    assert [m["body"] for m in data["messages"]] == ["Mijn vraag over de opleiding", "Het antwoord"]
    assert data["messages"][0]["direction"] == "from_citizen"
    assert data["messages"][0]["trajectory"] == str(trajectory.uuid)
    [exported] = data["development_plans"]
    assert exported["uuid"] == str(plan.uuid)
    assert exported["goal"] == "Werken <b>in</b> de zorg"
    assert [s["action"] for s in exported["steps"]] == ["Open dag bezoeken", "Opleiding zoeken"]
    assert exported["steps"][1]["done_at"] == timezone.localdate().isoformat()


def test_erasure_replaces_texts_and_keeps_the_counts(plan, adviser_a, manager_a):
    trajectory = plan.trajectory
    MessageFactory(trajectory=trajectory, author_label="Fatima", body="Persoonlijk verhaal")
    MessageFactory(
        trajectory=trajectory,
        direction=MessageDirection.FROM_DESK,
        author=adviser_a,
        author_label="Test",
        body="Antwoord met naam Fatima",
    )
    other = MessageFactory(body="Van een andere klant")

    client_erase(actor=manager_a, client=trajectory.client)

    messages = Message.objects.filter(trajectory=trajectory)
    assert messages.count() == 2
    assert set(messages.values_list("body", flat=True)) == {ERASED_TEXT}
    assert messages.get(direction=MessageDirection.FROM_CITIZEN).author_label == ERASED_TEXT
    assert messages.get(direction=MessageDirection.FROM_DESK).author_label == "Test"
    plan.refresh_from_db()
    assert (plan.title, plan.goal, plan.situation, plan.agreements) == (
        ERASED_TEXT,
        ERASED_TEXT,
        "",
        "",
    )
    assert plan.status == PlanStatus.SHARED
    assert set(PlanStep.objects.filter(plan=plan).values_list("action", flat=True)) == {ERASED_TEXT}
    assert PlanStep.objects.filter(plan=plan).count() == 2
    other.refresh_from_db()
    assert other.body == "Van een andere klant"
    # and the erased client's dossier is no longer offered to the citizen side
    trajectory.client.refresh_from_db()
    assert services.citizen_threads(trajectory.client) == []
    assert services.citizen_plans(trajectory.client) == []


def test_plans_and_messages_follow_the_trajectory_in_a_merge(adviser_a, desk_a):
    keep = ClientFactory(desk=desk_a)
    duplicate = ClientFactory(desk=desk_a)
    trajectory = TrajectoryFactory(client=duplicate)
    DevelopmentPlanFactory(trajectory=trajectory, shared=True)
    MessageFactory(trajectory=trajectory)

    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)

    assert len(services.citizen_plans(keep)) == 1
    assert len(services.citizen_threads(keep)[0].messages) == 1
