"""Opening a trajectory and the trajectory page with its actions, through HTTP."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.constants import DeskRole
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import Outcome, TrajectoryStatus
from leerwerk.guidance.models import Trajectory
from leerwerk.guidance.tests.factories import RegistrationFactory, TrajectoryFactory
from leerwerk.guidance.vocabulary import COMPETENCE_TEST
from leerwerk.network.models import ExpertiseTag, ServiceLine, StaffMembership
from leerwerk.network.tests.factories import PartnerFactory, StaffMembershipFactory

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"
TODAY = timezone.localdate


def detail_url(trajectory: Trajectory) -> str:
    return reverse("guidance:trajectory_detail", args=[trajectory.uuid])


def action_url(name: str, trajectory: Trajectory) -> str:
    return reverse(f"guidance:{name}", args=[trajectory.uuid])


@pytest.fixture
def trajectory(desk_a, adviser_a) -> Trajectory:
    return TrajectoryFactory(
        client=ClientFactory(desk=desk_a, given_name="Fenna", family_name="Testpersoon"),
        adviser=adviser_a,
    )


# -- open a trajectory -----------------------------------------------------------------------


def test_open_trajectory_shows_advisers_with_caseload_and_expertise(
    client_for, desk_a, adviser_a, manager_a
):
    # given an adviser with expertise in retraining and two open trajectories
    tag, _ = ExpertiseTag.objects.get_or_create(slug="omscholing", defaults={"name": "Omscholing"})
    StaffMembership.objects.get(user=adviser_a, desk=desk_a).expertise_tags.add(tag)
    TrajectoryFactory.create_batch(2, desk=desk_a, adviser=adviser_a)
    client = ClientFactory(desk=desk_a)
    url = reverse("guidance:trajectory_open", args=[client.uuid])
    # when the theme "retraining" is chosen
    page = client_for(manager_a).get(url, {"theme": "retraining"}).content.decode()
    # then the adviser with expertise comes first, with caseload and badge
    advisers = page[page.index('id="adviseurs"') :]
    assert advisers.index(adviser_a.name) < advisers.index(manager_a.name)
    assert "2 open trajecten" in advisers
    assert "utrecht-status-badge--success" in advisers


def test_htmx_theme_change_returns_only_the_adviser_choices(client_for, desk_a, adviser_a):
    # given the open form
    client = ClientFactory(desk=desk_a)
    url = reverse("guidance:trajectory_open", args=[client.uuid])
    # when htmx asks for the advisers of another theme
    response = client_for(adviser_a).get(url, {"theme": "evc"}, HTTP_HX_REQUEST="true")
    # then only the fieldset comes back
    body = response.content.decode()
    assert 'id="adviseurs"' in body
    assert "<html" not in body
    assert adviser_a.name in body
    # and the full page's theme select asks for exactly that
    page = client_for(adviser_a).get(url).content.decode()
    select = re.search(r'<select name="theme"[^>]*>', page).group(0)
    assert f'hx-get="{url}"' in select
    assert 'hx-target="#adviseurs"' in select


def test_open_trajectory_saves_and_redirects(client_for, desk_a, adviser_a):
    # given a client of the adviser's desk and a service line of the desk
    line = ServiceLine.objects.order_by("pk").first()
    desk_a.service_lines.add(line)
    client = ClientFactory(desk=desk_a)
    follow_up = TODAY() + datetime.timedelta(days=7)
    # when the adviser opens a trajectory and picks themselves
    response = client_for(adviser_a).post(
        reverse("guidance:trajectory_open", args=[client.uuid]),
        {
            "theme": "funding",
            "channel": "walk_in",
            "service_line": str(line.pk),
            "adviser": str(adviser_a.uuid),
            "follow_up_on": follow_up.isoformat(),
        },
    )
    # then the trajectory exists and the page of it opens
    trajectory = Trajectory.objects.get(client=client)
    assert response.status_code == 302
    assert response["Location"] == detail_url(trajectory)
    assert (trajectory.theme, trajectory.channel, trajectory.adviser) == (
        "funding",
        "walk_in",
        adviser_a,
    )
    assert (trajectory.service_line, trajectory.follow_up_on) == (line, follow_up)


def test_open_trajectory_without_theme_or_with_a_referral_without_partner_saves_nothing(
    client_for, desk_a, adviser_a
):
    # given a client
    client = ClientFactory(desk=desk_a)
    url = reverse("guidance:trajectory_open", args=[client.uuid])
    browser = client_for(adviser_a)
    # when the form is sent without theme, and as a referral without referrer
    empty = browser.post(url, {"channel": "phone"}).content.decode()
    referral = browser.post(url, {"theme": "evc", "channel": "partner_referral"}).content.decode()
    # then Dutch messages and no trajectory
    assert "Kies het onderwerp van de vraag." in empty
    assert "Kies de organisatie die de klant heeft doorverwezen." in referral
    assert not Trajectory.objects.filter(client=client).exists()


def test_open_trajectory_with_a_referrer(client_for, desk_a, adviser_a):
    # given a partner organisation
    partner = PartnerFactory(name="UWV Testkantoor")
    client = ClientFactory(desk=desk_a)
    # when a referral is registered with the partner
    response = client_for(adviser_a).post(
        reverse("guidance:trajectory_open", args=[client.uuid]),
        {"theme": "evc", "channel": "partner_referral", "referrer_partner": str(partner.uuid)},
    )
    # then the referrer is kept
    assert response.status_code == 302
    assert Trajectory.objects.get(client=client).referrer_partner == partner


def test_update_button_without_javascript_saves_nothing(client_for, desk_a, adviser_a):
    # given the open form
    client = ClientFactory(desk=desk_a)
    # when "show advisers for this theme" is pressed
    response = client_for(adviser_a).post(
        reverse("guidance:trajectory_open", args=[client.uuid]),
        {"theme": "evc", "channel": "phone", "bijwerken": "1"},
    )
    # then the form comes back with the input kept and nothing is saved
    assert response.status_code == 200
    assert 'value="evc" selected' in response.content.decode()
    assert not Trajectory.objects.filter(client=client).exists()


def test_an_erased_client_gets_no_new_trajectory(client_for, desk_a, adviser_a):
    # given an anonymised client
    client = ClientFactory(desk=desk_a, erased_at=timezone.now())
    # when a trajectory is opened
    response = client_for(adviser_a).post(
        reverse("guidance:trajectory_open", args=[client.uuid]),
        {"theme": "evc", "channel": "phone"},
    )
    # then the service refuses in Dutch
    assert "Voor deze klant kan geen traject meer worden geopend." in response.content.decode()
    assert not Trajectory.objects.filter(client=client).exists()


# -- the trajectory page ---------------------------------------------------------------------


def test_trajectory_page_shows_the_trajectory_and_records_the_view(
    client_for, adviser_a, trajectory
):
    # given a trajectory with a registration
    RegistrationFactory(trajectory=trajectory, note="Besproken: mbo-opleiding")
    # when the adviser opens it
    response = client_for(adviser_a).get(detail_url(trajectory))
    # then client, status, theme, adviser and the registration are shown
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Fenna Testpersoon", "Aangemeld", "Loopbaanadvies", adviser_a.name):
        assert text in body
    assert "Besproken: mbo-opleiding" in body
    # and the view of personal data is in the audit log
    assert AuditEvent.objects.filter(
        actor=adviser_a, action="trajectory.view", object_uuid=trajectory.uuid
    ).exists()


def test_trajectory_page_offers_only_the_allowed_transitions(client_for, adviser_a, trajectory):
    # given a trajectory in status "registered"
    # when the page is opened
    body = client_for(adviser_a).get(detail_url(trajectory)).content.decode()
    # then the status choices are intake and on hold; closing is a separate action
    select = re.search(r'<select name="to_status".*?</select>', body, re.S).group(0)
    assert re.findall(r'<option value="(\w*)"', select) == ["", "intake", "on_hold"]
    assert action_url("trajectory_close", trajectory) in body
    # and the two forms on the page have unique ids
    ids = re.findall(r' id="([^"]+)"', body)
    assert len(ids) == len(set(ids))


def test_trajectory_page_links_to_the_client(client_for, adviser_a, trajectory):
    # when the page is opened
    body = client_for(adviser_a).get(detail_url(trajectory)).content.decode()
    # then the client's name links to the client page
    assert f'href="{reverse("clients:detail", args=[trajectory.client.uuid])}"' in body


def test_registrations_on_the_trajectory_page_are_paginated(client_for, adviser_a, trajectory):
    # given 30 registrations
    RegistrationFactory.create_batch(30, trajectory=trajectory)
    browser = client_for(adviser_a)
    # when the first and second page are opened
    first = browser.get(detail_url(trajectory)).content.decode()
    second = browser.get(detail_url(trajectory), {"pagina": 2}).content.decode()
    # then 25 and 5 rows are shown
    assert "30 registraties, pagina 1 van 2" in first
    edit_link = re.compile(r"/registraties/[0-9a-f-]{36}/wijzigen/")
    assert len(edit_link.findall(first)) == 25
    assert len(edit_link.findall(second)) == 5


def test_trajectory_page_query_count_does_not_grow(
    client_for, adviser_a, trajectory, django_assert_max_num_queries
):
    # given a trajectory with 3 registrations (one a referral with partner)
    RegistrationFactory.create_batch(2, trajectory=trajectory, adviser=adviser_a)
    RegistrationFactory(trajectory=trajectory, code="evc", partner=PartnerFactory())
    browser = client_for(adviser_a)
    browser.get(detail_url(trajectory))  # warm the session
    with CaptureQueriesContext(connection) as three:
        browser.get(detail_url(trajectory))
    # when 27 more registrations are added (a full page and a second page)
    RegistrationFactory.create_batch(27, trajectory=trajectory, adviser=adviser_a)
    # then the page needs no more queries than with 3, and stays within a fixed bound
    with django_assert_max_num_queries(len(three)):
        response = browser.get(detail_url(trajectory))
    assert response.status_code == 200
    assert len(three) <= 12


# -- status ----------------------------------------------------------------------------------


def test_change_status(client_for, adviser_a, trajectory):
    # when the adviser moves the trajectory to intake
    response = client_for(adviser_a).post(
        action_url("trajectory_status", trajectory), {"to_status": "intake", "version": "1"}
    )
    # then it is saved, audited and the page says so
    trajectory.refresh_from_db()
    assert response.status_code == 302
    assert trajectory.status == TrajectoryStatus.INTAKE
    assert AuditEvent.objects.filter(
        action="trajectory.transition", object_uuid=trajectory.uuid
    ).exists()


@pytest.mark.parametrize("to_status", ["in_progress", "closed", "registered", "nonsense"])
def test_illegal_transition_is_refused_in_dutch(client_for, adviser_a, trajectory, to_status):
    # given a trajectory in status "registered"
    # when a move that TRANSITIONS does not allow (or closing without outcome) is posted
    response = client_for(adviser_a).post(
        action_url("trajectory_status", trajectory), {"to_status": to_status, "version": "1"}
    )
    # then a Dutch message and nothing changes
    assert response.status_code == 200
    assert "Deze status kan niet vanuit de huidige status." in response.content.decode()
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.version) == (TrajectoryStatus.REGISTERED, 1)


def test_status_page_of_an_in_progress_trajectory_says_only_closing_is_left(
    client_for, adviser_a, desk_a
):
    # given a trajectory in progress (it can only go on hold or close)
    trajectory = TrajectoryFactory(desk=desk_a, status=TrajectoryStatus.IN_PROGRESS)
    # when the status page is opened
    body = client_for(adviser_a).get(action_url("trajectory_status", trajectory)).content.decode()
    # then "on hold" is the only choice
    select = re.search(r'<select name="to_status".*?</select>', body, re.S).group(0)
    assert re.findall(r'<option value="(\w*)"', select) == ["", "on_hold"]


# -- adviser ---------------------------------------------------------------------------------


def test_reassignment_leaves_an_audit_event(client_for, desk_a, adviser_a, trajectory):
    # given a second adviser at the desk
    colleague = StaffMembershipFactory(
        desk=desk_a, role=DeskRole.ADVISER, user__name="Collega Tweede"
    ).user
    # when the trajectory is given to the colleague
    response = client_for(adviser_a).post(
        action_url("trajectory_assign", trajectory),
        {"adviser": str(colleague.uuid), "version": "1"},
    )
    # then the colleague is the adviser and the audit log says who from and to
    trajectory.refresh_from_db()
    assert response.status_code == 302
    assert trajectory.adviser == colleague
    event = AuditEvent.objects.get(action="trajectory.assign", object_uuid=trajectory.uuid)
    assert event.actor == adviser_a
    assert event.detail == {"from_user": adviser_a.pk, "to_user": colleague.pk}


def test_an_adviser_of_another_desk_cannot_be_assigned(
    client_for, adviser_a, adviser_b, trajectory
):
    # when someone posts the UUID of an adviser of desk B
    response = client_for(adviser_a).post(
        action_url("trajectory_assign", trajectory),
        {"adviser": str(adviser_b.uuid), "version": "1"},
    )
    # then a Dutch message and nothing changes
    assert "Kies een adviseur die nu bij dit loket werkt." in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.adviser == adviser_a
    assert not AuditEvent.objects.filter(action="trajectory.assign").exists()


def test_two_tabs_the_second_save_gets_the_conflict_message(
    client_for, desk_a, adviser_a, trajectory
):
    # given the trajectory page open in two tabs (both loaded version 1)
    browser = client_for(adviser_a)
    page = browser.get(detail_url(trajectory)).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    colleague = StaffMembershipFactory(desk=desk_a, role=DeskRole.ADVISER).user
    # when the first tab changes the status and the second then reassigns
    first = browser.post(
        action_url("trajectory_status", trajectory), {"to_status": "intake", "version": version}
    )
    second = browser.post(
        action_url("trajectory_assign", trajectory),
        {"adviser": str(colleague.uuid), "version": version},
    )
    # then the second gets the Dutch conflict message and its change is not saved
    assert first.status_code == 302
    assert second.status_code == 200
    assert CONFLICT in second.content.decode()
    assert "Laad de actuele gegevens" in second.content.decode()
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.adviser, trajectory.version) == ("intake", adviser_a, 2)


# -- details and closing ---------------------------------------------------------------------


def test_update_theme_service_line_and_follow_up(client_for, desk_a, adviser_a, trajectory):
    # given a service line of the desk
    line = ServiceLine.objects.order_by("pk").first()
    desk_a.service_lines.add(line)
    day = TODAY() + datetime.timedelta(days=14)
    # when theme, service line and follow-up date are changed
    response = client_for(adviser_a).post(
        action_url("trajectory_update", trajectory),
        {
            "theme": "basic_skills",
            "service_line": str(line.pk),
            "follow_up_on": day.isoformat(),
            "version": "1",
        },
    )
    # then they are saved
    trajectory.refresh_from_db()
    assert response.status_code == 302
    assert (trajectory.theme, trajectory.service_line, trajectory.follow_up_on) == (
        "basic_skills",
        line,
        day,
    )


def test_a_service_line_the_desk_does_not_offer_is_refused(client_for, adviser_a, trajectory):
    # given a service line that desk A does not offer
    line = ServiceLine.objects.exclude(desks=trajectory.desk).order_by("pk").first()
    # when it is posted
    response = client_for(adviser_a).post(
        action_url("trajectory_update", trajectory),
        {"theme": "evc", "service_line": str(line.pk), "version": "1"},
    )
    # then nothing is saved
    assert response.status_code == 200
    trajectory.refresh_from_db()
    assert trajectory.service_line is None


def test_close_with_outcome(client_for, adviser_a, trajectory):
    # when the trajectory is closed with an outcome
    response = client_for(adviser_a).post(
        action_url("trajectory_close", trajectory),
        {
            "outcome": Outcome.TRAINING_STARTED,
            "outcome_date": TODAY().isoformat(),
            "closed_on": TODAY().isoformat(),
            "version": "1",
        },
    )
    # then it is closed with outcome and dates, and the page shows no more actions
    trajectory.refresh_from_db()
    assert response.status_code == 302
    assert (trajectory.status, trajectory.outcome, trajectory.closed_on) == (
        TrajectoryStatus.CLOSED,
        Outcome.TRAINING_STARTED,
        TODAY(),
    )
    page = client_for(adviser_a).get(detail_url(trajectory)).content.decode()
    assert "Gestart met een opleiding" in page
    assert action_url("trajectory_status", trajectory) not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": ""}, "Kies de uitkomst van het traject."),
        ({"outcome_date": ""}, "Vul de datum van de uitkomst in."),
        (
            {"outcome_date": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "De datum van de uitkomst kan niet in de toekomst liggen.",
        ),
        (
            {"closed_on": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "De datum van afsluiten kan niet in de toekomst liggen.",
        ),
        (
            {"closed_on": (TODAY() - datetime.timedelta(days=365)).isoformat()},
            "Een traject kan niet sluiten voordat het begon.",
        ),
    ],
)
def test_closing_needs_an_outcome_and_sensible_dates(
    client_for, adviser_a, trajectory, data, message
):
    # given a valid closing form with one thing wrong
    form = {
        "outcome": Outcome.DROPPED_OUT,
        "outcome_date": TODAY().isoformat(),
        "closed_on": TODAY().isoformat(),
        "version": "1",
        **data,
    }
    # when it is sent
    response = client_for(adviser_a).post(action_url("trajectory_close", trajectory), form)
    # then a Dutch message and the trajectory stays open
    assert response.status_code == 200
    assert message in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.REGISTERED


def test_closing_twice_is_refused(client_for, adviser_a, desk_a):
    # given a closed trajectory
    trajectory = TrajectoryFactory(
        desk=desk_a,
        status=TrajectoryStatus.CLOSED,
        outcome=Outcome.DROPPED_OUT,
        outcome_date=TODAY(),
        closed_on=TODAY(),
    )
    # when it is closed again
    response = client_for(adviser_a).post(
        action_url("trajectory_close", trajectory),
        {
            "outcome": Outcome.TRAINING_STARTED,
            "outcome_date": TODAY().isoformat(),
            "closed_on": TODAY().isoformat(),
            "version": "1",
        },
    )
    # then the service says so and the outcome stays
    assert "Dit traject is al afgesloten." in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.outcome == Outcome.DROPPED_OUT


def test_instrument_registration_of_the_trajectory_is_listed(client_for, adviser_a, trajectory):
    # given a competence test in the trajectory
    RegistrationFactory(trajectory=trajectory, code=COMPETENCE_TEST)
    # when the page is opened
    body = client_for(adviser_a).get(detail_url(trajectory)).content.decode()
    # then the instrument is listed
    assert "Competentietest (CTC)" in body
