"""Tenant scoping of the trajectory, registration and employer pages, URL by URL (issue 3).

For every URL that takes a client, trajectory, registration or employer UUID:
- an adviser of desk B gets 404 for desk A's object, on GET and POST, and the POST changes
  nothing in the database;
- the same POST by desk A's own staff does change the database (so the refused POST was valid);
- the national team gets 404 or 403 everywhere and never sees a client's or employer's name;
- anonymous users are sent to the login page.
Pages that are not about one object (lists, new objects) show only the user's own desk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.clients.models import Employer, EmployerContactPerson
from leerwerk.clients.tests.factories import ClientFactory, EmployerFactory
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import Outcome, TrajectoryStatus
from leerwerk.guidance.models import Registration, Trajectory
from leerwerk.guidance.tests.factories import (
    RegistrationFactory,
    TrajectoryFactory,
    registration_type,
)
from leerwerk.guidance.vocabulary import EMPLOYER_ADVICE, INTAKE

SECRET_CLIENT = "Vertrouwelijk-Klantnaam"
SECRET_EMPLOYER = "Geheim Bedrijf Testnaam"


def desk_objects(desk: Any) -> dict[str, Any]:
    client = ClientFactory(desk=desk, given_name="Zoë", family_name=SECRET_CLIENT)
    trajectory = TrajectoryFactory(client=client)
    employer = EmployerFactory(desk=desk, name=SECRET_EMPLOYER)
    return {
        "client": client,
        "trajectory": trajectory,
        "registration": RegistrationFactory(trajectory=trajectory, note="Notitie A"),
        "employer": employer,
        "activity": RegistrationFactory(code=EMPLOYER_ADVICE, employer=employer),
    }


def _today() -> str:
    return timezone.localdate().isoformat()


def _open(objs: dict[str, Any]) -> dict[str, str]:
    return {"theme": "retraining", "channel": "phone", "adviser": "", "follow_up_on": ""}


def _version(kind: str) -> Callable[[dict[str, Any]], dict[str, str]]:
    def build(objs: dict[str, Any], **extra: str) -> dict[str, str]:
        return {"version": str(objs[kind].version), **extra}

    return build


def _registration(objs: dict[str, Any]) -> dict[str, str]:
    return {
        "type": str(registration_type(INTAKE).pk),
        "occurred_on": _today(),
        "channel": "phone",
        "status": "completed",
        "duration_minutes": "30",
    }


def _registration_edit(objs: dict[str, Any]) -> dict[str, str]:
    return {
        "version": str(objs["registration"].version),
        "occurred_on": _today(),
        "channel": "video",
        "status": "completed",
        "duration_minutes": "15",
        "note": "Overgenomen",
    }


def _employer(objs: dict[str, Any]) -> dict[str, str]:
    return {
        "version": str(objs["employer"].version),
        "name": "Overgenomen BV",
        "kvk_number": "12345678",
    }


def _activity(objs: dict[str, Any]) -> dict[str, str]:
    return {
        "type": str(registration_type(EMPLOYER_ADVICE).pk),
        "occurred_on": _today(),
        "status": "completed",
    }


# name, which object the UUID in the URL belongs to, a valid POST body (None: GET only),
# the URL query string
ObjectUrl = tuple[str, str, Callable[[dict[str, Any]], dict[str, str]] | None, str]
OBJECT_URLS: list[ObjectUrl] = [
    ("guidance:trajectory_open", "client", _open, ""),
    ("guidance:trajectory_detail", "trajectory", None, ""),
    (
        "guidance:trajectory_status",
        "trajectory",
        lambda objs: _version("trajectory")(objs, to_status=TrajectoryStatus.INTAKE),
        "",
    ),
    ("guidance:trajectory_assign", "trajectory", lambda objs: _version("trajectory")(objs), ""),
    (
        "guidance:trajectory_update",
        "trajectory",
        lambda objs: _version("trajectory")(objs, theme="evc", follow_up_on=_today()),
        "",
    ),
    (
        "guidance:trajectory_close",
        "trajectory",
        lambda objs: _version("trajectory")(
            objs,
            outcome=Outcome.TRAINING_STARTED,
            outcome_date=_today(),
            closed_on=_today(),
        ),
        "",
    ),
    ("guidance:registration_create", "trajectory", _registration, "?soort=contact_moment"),
    ("guidance:registration_update", "registration", _registration_edit, ""),
    ("guidance:registration_delete", "registration", lambda objs: {}, ""),
    ("guidance:employer_detail", "employer", None, ""),
    ("guidance:employer_update", "employer", _employer, ""),
    (
        "guidance:employer_contact_person_add",
        "employer",
        lambda objs: {"name": "Inge Indringer", "email": "inge@example.test"},
        "",
    ),
    ("guidance:employer_activity_create", "employer", _activity, ""),
    ("guidance:information_contact_create", "client", None, ""),  # ?klant=<uuid>, below
]
POST_URLS = [entry for entry in OBJECT_URLS if entry[2] is not None]
DESK_PAGES = [
    "guidance:employer_list",
    "guidance:employer_create",
    "guidance:information_contact_create",
]


def _ids(entries: list[ObjectUrl]) -> list[str]:
    return [name.split(":")[1] for name, *_rest in entries]


def url_for(name: str, kind: str, objs: dict[str, Any], query: str = "") -> str:
    if name == "guidance:information_contact_create":
        return f"{reverse(name)}?klant={objs[kind].uuid}"
    return reverse(name, args=[objs[kind].uuid]) + query


def snapshot() -> tuple[Any, ...]:
    """Everything these pages could change, to prove that a refused POST changed nothing."""
    return (
        list(
            Trajectory.objects.order_by("pk").values_list(
                "pk", "version", "status", "theme", "adviser_id", "follow_up_on"
            )
        ),
        list(Registration.objects.order_by("pk").values_list("pk", "version", "channel", "note")),
        list(Employer.objects.order_by("pk").values_list("pk", "version", "name", "kvk_number")),
        list(EmployerContactPerson.objects.order_by("pk").values_list("pk", "name")),
    )


@pytest.fixture
def objs_a(desk_a, adviser_a, manager_a) -> dict[str, Any]:
    return desk_objects(desk_a)


# -- an adviser of desk B and the objects of desk A ----------------------------------------------


@pytest.mark.parametrize(("name", "kind", "post", "query"), OBJECT_URLS, ids=_ids(OBJECT_URLS))
def test_adviser_of_another_desk_gets_404_on_get(
    client_for, adviser_b, objs_a, name, kind, post, query
):
    # given an adviser of desk B
    browser = client_for(adviser_b)
    # when they open a page about a desk-A object
    response = browser.get(url_for(name, kind, objs_a, query))
    # then it does not exist for them
    assert response.status_code == 404
    assert SECRET_CLIENT not in response.content.decode()


@pytest.mark.parametrize(("name", "kind", "post", "query"), POST_URLS, ids=_ids(POST_URLS))
def test_adviser_of_another_desk_gets_404_on_post_and_nothing_changes(
    client_for, adviser_b, manager_b, objs_a, name, kind, post, query
):
    # given desk B's staff (also its manager, who may delete) and desk A's objects
    before = snapshot()
    for user in (adviser_b, manager_b):
        # when they post a valid form for a desk-A object
        response = client_for(user).post(url_for(name, kind, objs_a, query), post(objs_a))
        # then the object does not exist for them and nothing changed
        assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(("name", "kind", "post", "query"), POST_URLS, ids=_ids(POST_URLS))
def test_the_same_post_by_the_own_desk_changes_the_database(
    client_for, manager_a, objs_a, name, kind, post, query
):
    # given desk A's manager (the refused POSTs above are valid ones)
    before = snapshot()
    # when they send the same POST
    response = client_for(manager_a).post(url_for(name, kind, objs_a, query), post(objs_a))
    # then it is saved and they are sent on
    assert response.status_code == 302, response.content.decode()[:3000]
    assert snapshot() != before


def test_information_contact_for_another_desks_client_is_404_and_saves_nothing(
    client_for, adviser_b, objs_a
):
    # given an adviser of desk B and a client of desk A
    url = url_for("guidance:information_contact_create", "client", objs_a)
    data = {
        "type": str(registration_type("informatiecontact").pk),
        "occurred_on": _today(),
        "channel": "phone",
        "status": "completed",
    }
    count = Registration.objects.count()
    # when they register an information contact for that client
    response = client_for(adviser_b).post(url, data)
    # then the client does not exist for them and nothing is saved
    assert response.status_code == 404
    assert Registration.objects.count() == count


# -- pages for the own desk ---------------------------------------------------------------------


def test_employer_list_and_search_show_only_the_own_desk(client_for, adviser_b, desk_b, objs_a):
    # given employers at desk A and at desk B
    EmployerFactory(desk=desk_b, name="Bedrijf van Groningen")
    browser = client_for(adviser_b)
    # when desk B's adviser lists and searches employers
    listed = browser.get(reverse("guidance:employer_list")).content.decode()
    searched = browser.get(reverse("guidance:employer_list"), {"q": "Geheim"}).content.decode()
    by_kvk = browser.get(
        reverse("guidance:employer_list"), {"q": objs_a["employer"].kvk_number}
    ).content.decode()
    # then only desk B's employer is there
    assert "Bedrijf van Groningen" in listed
    for page in (listed, searched, by_kvk):
        assert SECRET_EMPLOYER not in page


def test_a_desk_b_adviser_cannot_create_an_employer_at_desk_a(client_for, adviser_b, desk_b):
    # given an adviser of desk B
    # when they add an employer
    response = client_for(adviser_b).post(
        reverse("guidance:employer_create"), {"name": "Nieuw BV", "kvk_number": "87654321"}
    )
    # then it belongs to their own desk (no desk can be chosen with one membership)
    assert response.status_code == 302
    assert Employer.objects.get(kvk_number="87654321").desk == desk_b


# -- the national team ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "post", "query"), OBJECT_URLS, ids=_ids(OBJECT_URLS))
def test_national_team_never_reaches_an_object_page(
    client_for, national_user, objs_a, name, kind, post, query
):
    # given the national team
    browser = client_for(national_user)
    before = snapshot()
    url = url_for(name, kind, objs_a, query)
    # when they open or post any page about a client, trajectory, registration or employer
    responses = [browser.get(url)]
    if post is not None:
        responses.append(browser.post(url, post(objs_a)))
    # then they are refused, see no name and change nothing
    for response in responses:
        assert response.status_code in (403, 404)
        body = response.content.decode()
        assert SECRET_CLIENT not in body
        assert SECRET_EMPLOYER not in body
    assert snapshot() == before


@pytest.mark.parametrize("name", DESK_PAGES)
def test_national_team_and_ministry_are_refused_the_desk_pages(
    client_for, national_user, ministry_user, objs_a, name
):
    # given the aggregate-only roles
    for user in (national_user, ministry_user):
        # when they open an employer list or a form for new desk data
        response = client_for(user).get(reverse(name))
        post = client_for(user).post(reverse(name), {"name": "X BV", "q": SECRET_EMPLOYER})
        # then they are refused and see no name
        assert response.status_code == 403
        assert post.status_code in (403, 405)
        assert SECRET_EMPLOYER not in response.content.decode()
    assert not AuditEvent.objects.filter(actor=national_user, action="employer.list").exists()


def test_ended_adviser_gets_404(client_for, ended_adviser_a, objs_a):
    # given an adviser whose membership at desk A ended yesterday
    browser = client_for(ended_adviser_a)
    # when they open the trajectory and the employer
    trajectory = browser.get(url_for("guidance:trajectory_detail", "trajectory", objs_a))
    employer = browser.get(url_for("guidance:employer_detail", "employer", objs_a))
    # then both are gone for them
    assert trajectory.status_code == 404
    assert employer.status_code == 404


@pytest.mark.parametrize(("name", "kind", "post", "query"), OBJECT_URLS, ids=_ids(OBJECT_URLS))
def test_anonymous_users_log_in_first(client, objs_a, name, kind, post, query):
    # given nobody logged in
    # when they open a page
    response = client.get(url_for(name, kind, objs_a, query))
    # then they are sent to the login page
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
