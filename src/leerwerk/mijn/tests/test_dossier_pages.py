"""The "Berichten" and "Ontwikkelplan" pages: the dossier app's citizen services, for the
client files linked to the logged-in account only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.dossier.constants import MessageDirection, PlanStatus
from leerwerk.dossier.models import Message
from leerwerk.dossier.tests.factories import (
    DevelopmentPlanFactory,
    MessageFactory,
    PlanStepFactory,
)
from leerwerk.guidance.tests.factories import TrajectoryFactory
from leerwerk.mijn.tests.factories import ClientLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(account, desk_a):  # type: ignore[no-untyped-def]
    link = ClientLinkFactory(client=ClientFactory(desk=desk_a), account=account)
    return TrajectoryFactory(client=link.client)


def test_without_a_linked_file_the_pages_explain_what_to_do(citizen):
    assert (
        "Vraag uw adviseur om een uitnodiging" in citizen.get("/mijn/berichten/").content.decode()
    )
    assert (
        "Vraag uw adviseur om een uitnodiging"
        in citizen.get("/mijn/ontwikkelplan/").content.decode()
    )
    assert "/mijn/berichten/" in citizen.get("/mijn/").content.decode()


def test_threads_list_new_messages_and_opening_marks_them_read(citizen, trajectory):
    MessageFactory(
        trajectory=trajectory,
        direction=MessageDirection.FROM_DESK,
        author_label="Adviseur Kim",
        body="Hoe gaat het?\nLaat het weten.",
    )
    listing = citizen.get("/mijn/berichten/").content.decode()
    assert "1 nieuw" in listing

    thread = citizen.get(f"/mijn/berichten/{trajectory.uuid}/")
    html = thread.content.decode()
    assert thread.status_code == 200
    assert "Adviseur Kim" in html and "Hoe gaat het?<br>Laat het weten." in html
    assert Message.objects.get().read_by_citizen_at is not None
    assert "1 nieuw" not in citizen.get("/mijn/berichten/").content.decode()


def test_posting_a_message(citizen, account, trajectory, django_capture_on_commit_callbacks):
    empty = citizen.post(f"/mijn/berichten/{trajectory.uuid}/", {"body": "  "})
    assert empty.status_code == 400
    assert "Schrijf een bericht." in empty.content.decode()
    too_long = citizen.post(f"/mijn/berichten/{trajectory.uuid}/", {"body": "x" * 4001})
    assert too_long.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(
            f"/mijn/berichten/{trajectory.uuid}/", {"body": "<b>Ik heb een vraag</b>"}
        )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.direction == MessageDirection.FROM_CITIZEN
    assert message.author_label == account.display_name
    html = citizen.get(f"/mijn/berichten/{trajectory.uuid}/").content.decode()
    assert "&lt;b&gt;Ik heb een vraag&lt;/b&gt;" in html
    assert all("Ik heb een vraag" not in m.body for m in mail.outbox)  # no content by e-mail


def test_threads_of_files_not_linked_to_me_are_404(citizen, trajectory, desk_b):
    other = TrajectoryFactory(client=ClientFactory(desk=desk_b))
    assert citizen.get(f"/mijn/berichten/{other.uuid}/").status_code == 404
    assert citizen.post(f"/mijn/berichten/{other.uuid}/", {"body": "hallo"}).status_code == 404
    assert not Message.objects.exists()
    assert Client().get(f"/mijn/berichten/{trajectory.uuid}/").status_code == 302


def test_plans_show_shared_versions_never_drafts_and_the_pdf_is_audited(citizen, trajectory):
    DevelopmentPlanFactory(trajectory=trajectory, number=2, title="Concept dat niemand ziet")
    shared = DevelopmentPlanFactory(trajectory=trajectory, shared=True, title="Naar de zorg")
    PlanStepFactory(plan=shared, action="Open dag bezoeken")
    html = citizen.get("/mijn/ontwikkelplan/").content.decode()
    assert "Naar de zorg" in html and "Open dag bezoeken" in html
    assert "Concept dat niemand ziet" not in html

    pdf = citizen.get(f"/mijn/ontwikkelplan/{shared.uuid}.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="mijn.plan.download")
    assert (event.object_uuid, event.desk_id, event.detail["by"]) == (
        shared.uuid,
        shared.desk_id,
        "client",
    )


def test_pdfs_of_drafts_and_of_other_files_are_404(citizen, trajectory, desk_b):
    draft = DevelopmentPlanFactory(trajectory=trajectory)
    other = DevelopmentPlanFactory(
        trajectory=TrajectoryFactory(client=ClientFactory(desk=desk_b)), shared=True
    )
    assert draft.status == PlanStatus.DRAFT
    assert citizen.get(f"/mijn/ontwikkelplan/{draft.uuid}.pdf").status_code == 404
    assert citizen.get(f"/mijn/ontwikkelplan/{other.uuid}.pdf").status_code == 404
