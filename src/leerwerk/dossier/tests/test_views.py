"""The staff pages of the dossier through HTTP: scoping URL by URL (another desk gets 404, the
national team nothing, anonymous users the login page), the plan editor (rows, errors,
conflicts), sharing, the PDF, the message thread, and the summary on the trajectory page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.dossier.constants import MessageDirection, PlanStatus, StepOwner
from leerwerk.dossier.models import DevelopmentPlan, Message
from leerwerk.dossier.tests.factories import (
    DevelopmentPlanFactory,
    MessageFactory,
    PlanStepFactory,
)
from leerwerk.guidance.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "Vertrouwelijk-Klantnaam"


@pytest.fixture
def objs(desk_a, adviser_a) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """At desk A: a trajectory of a client with a shared plan, a draft (version 2) and a
    message from the client."""
    client = ClientFactory(desk=desk_a, given_name="Zoë", family_name=SECRET_NAME)
    trajectory = TrajectoryFactory(client=client, adviser=adviser_a)
    shared = DevelopmentPlanFactory(trajectory=trajectory, number=1, shared=True)
    PlanStepFactory(plan=shared, order=1)
    draft = DevelopmentPlanFactory(trajectory=trajectory, number=2)
    PlanStepFactory(plan=draft, order=1)
    message = MessageFactory(trajectory=trajectory, body="Geheime vraag van de klant")
    return {"trajectory": trajectory, "shared": shared, "draft": draft, "message": message}


def _plan_post(objs: dict[str, Any]) -> dict[str, str]:
    return {
        "title": "Gewijzigd plan",
        "plan_date": timezone.localdate().isoformat(),
        "goal": "Werk in de zorg",
        "version": str(objs["draft"].version),
        **steps_data([("Open dag", "client")]),
    }


def steps_data(rows: list[tuple[str, str]], **extra: str) -> dict[str, str]:
    data = {
        "stappen-TOTAL_FORMS": str(len(rows)),
        "stappen-INITIAL_FORMS": str(len(rows)),
        "stappen-MIN_NUM_FORMS": "0",
        "stappen-MAX_NUM_FORMS": "30",
    }
    for index, (action, owner) in enumerate(rows):
        data[f"stappen-{index}-action"] = action
        data[f"stappen-{index}-owner"] = owner
        data[f"stappen-{index}-target_date"] = ""
        data[f"stappen-{index}-done_at"] = ""
    data.update(extra)
    return data


class Url(NamedTuple):
    name: str
    key: str  # which object's UUID goes in the URL
    post: Callable[[dict[str, Any]], dict[str, str]] | None = None
    changed: Callable[[dict[str, Any]], bool] | None = None  # did a POST change the database?


def _draft_title(objs: dict[str, Any]) -> bool:
    return DevelopmentPlan.objects.get(pk=objs["draft"].pk).title == "Gewijzigd plan"


URLS = [
    Url("dossier:plan_overview", "trajectory"),
    Url("dossier:plan_detail", "shared"),
    Url("dossier:plan_pdf", "shared"),
    Url("dossier:plan_edit", "draft", _plan_post, _draft_title),
    Url(
        "dossier:plan_share",
        "draft",
        lambda o: {"version": str(o["draft"].version)},
        lambda o: DevelopmentPlan.objects.get(pk=o["draft"].pk).status == PlanStatus.SHARED,
    ),
    Url(
        "dossier:plan_discard",
        "draft",
        lambda o: {},
        lambda o: not DevelopmentPlan.objects.filter(pk=o["draft"].pk).exists(),
    ),
    Url(
        "dossier:plan_create",
        "trajectory",
        lambda o: {**_plan_post(o), "version": ""},
        lambda o: DevelopmentPlan.objects.filter(title="Gewijzigd plan").exists(),
    ),
    Url(
        "dossier:thread",
        "trajectory",
        lambda o: {"body": "Antwoord van het loket", "sign_as": "name"},
        lambda o: Message.objects.filter(body="Antwoord van het loket").exists(),
    ),
]
POST_ONLY = [
    Url(
        "dossier:plan_new_version",
        "trajectory",
        lambda o: {},
        lambda o: DevelopmentPlan.objects.filter(number=3).exists(),
    )
]


def url_of(spec: Url, objs: dict[str, Any]) -> str:
    return reverse(spec.name, args=[objs[spec.key].uuid])


@pytest.mark.parametrize("spec", URLS + POST_ONLY, ids=lambda s: s.name)
def test_another_desk_gets_404_and_changes_nothing(client_for, adviser_b, manager_b, objs, spec):
    for outsider in (adviser_b, manager_b):
        browser = client_for(outsider)
        if spec not in POST_ONLY:
            assert browser.get(url_of(spec, objs)).status_code == 404
        if spec.post is not None:
            response = browser.post(url_of(spec, objs), spec.post(objs))
            assert response.status_code == 404
            assert not spec.changed(objs)  # type: ignore[misc]
    read = Message.objects.get(pk=objs["message"].pk).read_by_desk_at
    assert read is None  # nobody of desk B marked the client's message read


@pytest.mark.parametrize("spec", [s for s in URLS + POST_ONLY if s.post], ids=lambda s: s.name)
def test_the_same_post_by_the_own_desk_works(client_for, adviser_a, objs, spec):
    if spec.name == "dossier:plan_create":  # only without a draft
        DevelopmentPlan.objects.filter(pk=objs["draft"].pk).delete()
    if spec.name == "dossier:plan_new_version":
        DevelopmentPlan.objects.filter(pk=objs["draft"].pk).delete()
        DevelopmentPlanFactory(
            trajectory=objs["trajectory"],
            number=2,
            status=PlanStatus.SUPERSEDED,
            shared_at=timezone.now(),
            superseded_at=timezone.now(),
        )
    response = client_for(adviser_a).post(url_of(spec, objs), spec.post(objs))  # type: ignore[misc]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert spec.changed(objs)  # type: ignore[misc]


@pytest.mark.parametrize("spec", URLS + POST_ONLY, ids=lambda s: s.name)
def test_the_national_team_and_ministry_never_get_in(
    client_for, national_user, ministry_user, objs, spec
):
    for viewer in (national_user, ministry_user):
        browser = client_for(viewer)
        responses = []
        if spec not in POST_ONLY:
            responses.append(browser.get(url_of(spec, objs)))
        if spec.post is not None:
            responses.append(browser.post(url_of(spec, objs), spec.post(objs)))
        for response in responses:
            assert response.status_code in (403, 404)
            assert SECRET_NAME not in response.content.decode()
        if spec.changed is not None:
            assert not spec.changed(objs)


@pytest.mark.parametrize("spec", URLS + POST_ONLY, ids=lambda s: s.name)
def test_anonymous_users_are_sent_to_the_login_page(client, objs, spec):
    response = (
        client.post(url_of(spec, objs)) if spec in POST_ONLY else client.get(url_of(spec, objs))
    )
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_another_adviser_of_the_same_desk_may_read_and_reply(client_for, desk_a, objs):
    from leerwerk.network.tests.factories import StaffMembershipFactory

    colleague = StaffMembershipFactory(desk=desk_a, user__email="collega@example.test").user
    browser = client_for(colleague)
    for spec in URLS:
        expected = 302 if spec.name == "dossier:plan_create" else 200  # to the existing draft
        assert browser.get(url_of(spec, objs)).status_code == expected, spec.name
    response = browser.post(
        url_of(URLS[-1], objs), {"body": "Ik neem het over.", "sign_as": "desk"}
    )
    assert response.status_code == 302


def test_the_unread_list_is_for_desk_staff_only(client_for, adviser_a, national_user, objs):
    page = client_for(adviser_a).get(reverse("dossier:unread_list"))
    assert page.status_code == 200
    assert SECRET_NAME in page.content.decode()
    assert client_for(national_user).get(reverse("dossier:unread_list")).status_code == 403


def test_the_unread_list_shows_only_my_trajectories(client_for, manager_a, objs):
    page = client_for(manager_a).get(reverse("dossier:unread_list"))
    assert SECRET_NAME not in page.content.decode()
    assert "U heeft geen nieuwe berichten." in page.content.decode()


# -- the plan editor ---------------------------------------------------------------------------


def test_an_adviser_writes_a_plan_through_the_form(client_for, adviser_a, desk_a):
    trajectory = TrajectoryFactory(client=ClientFactory(desk=desk_a), adviser=adviser_a)
    browser = client_for(adviser_a)
    url = reverse("dossier:plan_create", args=[trajectory.uuid])
    page = browser.get(url)
    assert page.status_code == 200
    assert 'name="stappen-0-action"' in page.content.decode()  # one empty row to start

    target = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    data = {
        "title": "Op weg naar de zorg",
        "plan_date": timezone.localdate().isoformat(),
        "goal": "Werken als helpende.",
        "situation": "",
        "agreements": "Elke maand een gesprek.",
        "version": "",
        **steps_data(
            [("Open dag bezoeken", "client"), ("", ""), ("Werkgever bellen", "adviser")],
            **{"stappen-0-target_date": target},
        ),
    }
    response = browser.post(url, data)

    plan = DevelopmentPlan.objects.get(trajectory=trajectory)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier:plan_detail", args=[plan.uuid])
    assert plan.status == PlanStatus.DRAFT
    assert list(plan.steps.values_list("order", "action", "owner", "target_date")) == [
        (1, "Open dag bezoeken", "client", datetime.date.fromisoformat(target)),
        (2, "Werkgever bellen", "adviser", None),
    ]


def test_adding_a_step_shows_one_more_row_and_saves_nothing(client_for, adviser_a, objs):
    url = reverse("dossier:plan_edit", args=[objs["draft"].uuid])
    data = {**_plan_post(objs), "stap_toevoegen": "1"}

    response = client_for(adviser_a).post(url, data, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="stappen-1-action"' in html
    assert re.search(r'name="stappen-1-action"[^>]*autofocus', html)
    assert 'value="Open dag"' in html  # what was typed stays
    assert "Er is een lege stap 2 toegevoegd." in html
    assert DevelopmentPlan.objects.get(pk=objs["draft"].pk).title != "Gewijzigd plan"


def test_removing_a_step_leaves_the_other_rows(client_for, adviser_a, objs):
    url = reverse("dossier:plan_edit", args=[objs["draft"].uuid])
    data = {
        **_plan_post(objs),
        **steps_data([("Eerste", "client"), ("Tweede", "adviser"), ("Derde", "partner")]),
        "stap_verwijderen": "1",
    }
    html = client_for(adviser_a).post(url, data).content.decode()
    assert 'value="Eerste"' in html and 'value="Derde"' in html
    assert 'value="Tweede"' not in html
    assert "Stap 2 is weggehaald." in html
    assert 'name="stappen-2-action"' not in html


def test_errors_show_at_the_field_and_the_row_in_dutch(client_for, adviser_a, objs):
    url = reverse("dossier:plan_edit", args=[objs["draft"].uuid])
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = {
        **_plan_post(objs),
        "goal": "",
        **steps_data(
            [("Goed", "client"), ("Te vroeg", "client"), ("", "adviser")],
            **{"stappen-1-target_date": yesterday},
        ),
    }
    response = client_for(adviser_a).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="foutmeldingen"' in html
    assert "Schrijf op wat de klant wil bereiken." in html
    assert "Schrijf op wat er moet gebeuren." in html  # row 3 has only an owner
    assert DevelopmentPlan.objects.get(pk=objs["draft"].pk).title != "Gewijzigd plan"


def test_a_service_rule_on_a_step_is_shown_at_its_row(client_for, adviser_a, objs):
    url = reverse("dossier:plan_edit", args=[objs["draft"].uuid])
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = {
        **_plan_post(objs),
        **steps_data(
            [("Goed", "client"), ("", ""), ("Te vroeg", "client")],
            **{"stappen-2-target_date": yesterday},
        ),
    }
    html = client_for(adviser_a).post(url, data).content.decode()
    # the blank row is skipped by the service but the message lands at row 3, field "Klaar voor"
    assert re.search(
        r'id="id_stappen-2-target_date_error">de datum &#x27;klaar voor&#x27; ligt vóór', html
    )
    assert "Stap 3, Klaar voor" in html


def test_a_stale_version_gets_the_conflict_message(client_for, adviser_a, objs):
    url = reverse("dossier:plan_edit", args=[objs["draft"].uuid])
    DevelopmentPlan.objects.filter(pk=objs["draft"].pk).update(version=5)
    html = client_for(adviser_a).post(url, _plan_post(objs)).content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Laad de actuele gegevens" in html


def test_a_shared_plan_cannot_be_opened_in_the_editor(client_for, adviser_a, objs):
    response = client_for(adviser_a).get(reverse("dossier:plan_edit", args=[objs["shared"].uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier:plan_detail", args=[objs["shared"].uuid])


def test_new_plan_page_leads_to_the_existing_draft(client_for, adviser_a, objs):
    response = client_for(adviser_a).get(
        reverse("dossier:plan_create", args=[objs["trajectory"].uuid])
    )
    assert response["Location"] == reverse("dossier:plan_edit", args=[objs["draft"].uuid])


# -- sharing and the PDF -----------------------------------------------------------------------


def test_sharing_through_the_page(client_for, adviser_a, objs, django_capture_on_commit_callbacks):
    url = reverse("dossier:plan_share", args=[objs["draft"].uuid])
    browser = client_for(adviser_a)
    assert "Ja, deel het plan" in browser.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(url, {"version": objs["draft"].version}, follow=True)
    assert "Het plan is gedeeld." in response.content.decode()
    assert DevelopmentPlan.objects.get(pk=objs["shared"].pk).status == PlanStatus.SUPERSEDED
    assert DevelopmentPlan.objects.get(pk=objs["draft"].pk).status == PlanStatus.SHARED
    assert len(mail.outbox) == 1


def test_sharing_an_empty_plan_shows_the_reason(client_for, adviser_a, objs):
    objs["draft"].steps.all().delete()
    url = reverse("dossier:plan_share", args=[objs["draft"].uuid])
    html = client_for(adviser_a).post(url, {"version": objs["draft"].version}).content.decode()
    assert "Een plan zonder stappen kan niet worden gedeeld." in html
    assert DevelopmentPlan.objects.get(pk=objs["draft"].pk).status == PlanStatus.DRAFT


def test_the_pdf_download_is_audited(client_for, adviser_a, objs):
    response = client_for(adviser_a).get(reverse("dossier:plan_pdf", args=[objs["shared"].uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert SECRET_NAME not in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="plan.pdf", object_uuid=objs["shared"].uuid).exists()


def test_plan_pages_are_audited(client_for, adviser_a, objs):
    browser = client_for(adviser_a)
    browser.get(reverse("dossier:plan_detail", args=[objs["shared"].uuid]))
    browser.get(reverse("dossier:plan_overview", args=[objs["trajectory"].uuid]))
    assert AuditEvent.objects.filter(action="plan.view", object_uuid=objs["shared"].uuid).exists()
    assert AuditEvent.objects.filter(
        action="plan.list", object_uuid=objs["trajectory"].uuid
    ).exists()


def test_plan_overview_lists_versions_and_empty_state(client_for, adviser_a, objs, desk_a):
    html = (
        client_for(adviser_a)
        .get(reverse("dossier:plan_overview", args=[objs["trajectory"].uuid]))
        .content.decode()
    )
    assert "2 versies" in html
    assert "Concept van versie 2 verder schrijven" in html
    empty = TrajectoryFactory(client=ClientFactory(desk=desk_a))
    html = (
        client_for(adviser_a)
        .get(reverse("dossier:plan_overview", args=[empty.uuid]))
        .content.decode()
    )
    assert "Er is nog geen ontwikkelplan voor dit traject." in html
    assert "Ontwikkelplan maken" in html


# -- the message thread ------------------------------------------------------------------------


def test_opening_the_thread_marks_the_clients_messages_read_and_audits(client_for, adviser_a, objs):
    url = reverse("dossier:thread", args=[objs["trajectory"].uuid])
    browser = client_for(adviser_a)
    html = browser.get(url).content.decode()
    badge = 'utrecht-status-badge--warning">nieuw<'
    assert "Geheime vraag van de klant" in html
    assert html.count(badge) == 1  # shown as new this once
    assert Message.objects.get(pk=objs["message"].pk).read_by_desk_at is not None
    event = AuditEvent.objects.get(action="message.thread_view")
    assert event.detail["marked_read"] == 1
    assert browser.get(url).content.decode().count(badge) == 0


def test_messages_are_escaped_and_keep_their_line_breaks(client_for, adviser_a, objs):
    MessageFactory(trajectory=objs["trajectory"], body="<script>alert(1)</script>\nTweede regel")
    html = (
        client_for(adviser_a)
        .get(reverse("dossier:thread", args=[objs["trajectory"].uuid]))
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Tweede regel" in html


def test_replying_through_the_page(client_for, adviser_a, objs, django_capture_on_commit_callbacks):
    url = reverse("dossier:thread", args=[objs["trajectory"].uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(adviser_a).post(
            url, {"body": "Goed dat u het vraagt.", "sign_as": "desk"}
        )
    message = Message.objects.get(direction=MessageDirection.FROM_DESK)
    assert response.status_code == 302
    assert response["Location"] == f"{url}#bericht-{message.uuid}"
    assert message.author_label == objs["trajectory"].desk.display_name
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"body": "", "sign_as": "name"}, "Schrijf een bericht."),
        ({"body": "x" * 4001, "sign_as": "name"}, "Het bericht is te lang"),
        ({"body": "Hallo", "sign_as": "iemand"}, "Kies de afzender."),
    ],
)
def test_a_bad_reply_is_refused_with_a_dutch_message(client_for, adviser_a, objs, data, error):
    url = reverse("dossier:thread", args=[objs["trajectory"].uuid])
    response = client_for(adviser_a).post(url, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Message.objects.filter(direction=MessageDirection.FROM_DESK).exists()


def test_a_long_thread_opens_on_the_newest_page(client_for, adviser_a, objs):
    for n in range(30):
        MessageFactory(trajectory=objs["trajectory"], body=f"Bericht nummer {n:02d}")
    html = (
        client_for(adviser_a)
        .get(reverse("dossier:thread", args=[objs["trajectory"].uuid]))
        .content.decode()
    )
    assert "pagina 2 van 2" in html
    assert "Bericht nummer 29" in html
    assert "Geheime vraag van de klant" not in html  # the oldest is on page 1


def test_empty_thread_says_so(client_for, adviser_a, desk_a):
    trajectory = TrajectoryFactory(client=ClientFactory(desk=desk_a))
    html = (
        client_for(adviser_a)
        .get(reverse("dossier:thread", args=[trajectory.uuid]))
        .content.decode()
    )
    assert "Er zijn nog geen berichten over dit traject." in html
    assert "Bericht sturen" in html


# -- on the trajectory page and the work list -------------------------------------------------


def test_the_trajectory_page_links_to_plan_and_messages(client_for, adviser_a, objs):
    MessageFactory(trajectory=objs["trajectory"])
    html = (
        client_for(adviser_a)
        .get(reverse("guidance:trajectory_detail", args=[objs["trajectory"].uuid]))
        .content.decode()
    )
    assert reverse("dossier:plan_overview", args=[objs["trajectory"].uuid]) in html
    assert "Berichten (2 nieuw)" in html
    assert "versie 1, gedeeld op" in html
    assert "concept van versie 2" in html


def test_the_trajectory_page_section_costs_one_query(client_for, adviser_a, objs):
    browser = client_for(adviser_a)
    url = reverse("guidance:trajectory_detail", args=[objs["trajectory"].uuid])
    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        browser.get(url)
    ours = [q["sql"] for q in queries if "dossier_" in q["sql"]]
    assert len(ours) == 1
    # and no more with many messages and plan versions
    MessageFactory.create_batch(20, trajectory=objs["trajectory"])
    with CaptureQueriesContext(connection) as more:
        browser.get(url)
    assert len(more) == len(queries)


def test_the_work_list_shows_my_unread_messages_in_one_query(client_for, adviser_a, objs):
    browser = client_for(adviser_a)
    url = reverse("clients:work_list")
    with CaptureQueriesContext(connection) as queries:
        html = browser.get(url).content.decode()
    assert "U heeft 1 nieuw bericht van een klant" in html
    assert len([q for q in queries if "dossier_" in q["sql"]]) == 1
    Message.objects.update(read_by_desk_at=timezone.now())
    assert "nieuw bericht" not in browser.get(url).content.decode()


def test_step_owner_labels_on_the_plan_page(client_for, adviser_a, objs):
    PlanStepFactory(plan=objs["shared"], order=2, owner=StepOwner.PARTNER, action="Intake bij roc")
    html = (
        client_for(adviser_a)
        .get(reverse("dossier:plan_detail", args=[objs["shared"].uuid]))
        .content.decode()
    )
    assert "Intake bij roc" in html and "Partner" in html


def test_no_step_is_added_beyond_30(client_for, adviser_a, objs):
    url = reverse("dossier:plan_edit", args=[objs["draft"].uuid])
    rows = [(f"Stap {n}", "client") for n in range(30)]
    data = {**_plan_post(objs), **steps_data(rows), "stap_toevoegen": "1"}
    html = client_for(adviser_a).post(url, data).content.decode()
    assert "Een plan heeft hoogstens 30 stappen." in html
    assert 'name="stappen-29-action"' in html
    assert 'name="stappen-30-action"' not in html


def test_more_than_30_rows_are_refused_in_dutch(client_for, adviser_a, objs):
    url = reverse("dossier:plan_edit", args=[objs["draft"].uuid])
    rows = [(f"Stap {n}", "client") for n in range(31)]
    html = (
        client_for(adviser_a).post(url, {**_plan_post(objs), **steps_data(rows)}).content.decode()
    )
    assert "Een plan heeft hoogstens 30 stappen." in html
    assert DevelopmentPlan.objects.get(pk=objs["draft"].pk).steps.count() == 1
