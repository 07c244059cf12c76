"""Tenant scoping of the staff pages, URL by URL (issue 2).

For every staff URL that takes a desk, location, membership or partnership UUID:
- staff of desk A get 404 for desk B's object, on GET and POST, and a POST changes nothing;
- a desk manager of A manages A (the same POSTs do change the database);
- an adviser of A gets 403 on A's management pages;
- the national team and the ministry see desks and figures, never a person's name or e-mail;
- ended, not yet started and deactivated people have no access; anonymous users log in first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.accounts.models import User
from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.core.constants import DeskRole
from leerwerk.network.constants import HoursKind, PartnerKind
from leerwerk.network.models import (
    Desk,
    DeskPartnership,
    Location,
    OpeningHours,
    Partner,
    StaffMembership,
)
from leerwerk.network.tests.factories import (
    DeskPartnershipFactory,
    LocationFactory,
    OpeningHoursFactory,
    PartnerFactory,
    StaffMembershipFactory,
)

SECRET_NAME = "Zoë Vertrouwelijk-Geheim"
SECRET_EMAIL = "zoe.vertrouwelijk@example.test"


# -- the objects of one desk, and a valid POST for every URL -----------------------------------


def desk_objects(desk: Desk, *, manager: User) -> dict[str, Any]:
    """A location with hours, a partnership, and the memberships of ``desk``."""
    location = LocationFactory(desk=desk, postcode="3011 AD")
    OpeningHoursFactory(location=location)
    partnership = DeskPartnershipFactory(desk=desk, partner=PartnerFactory(name=f"Partner {desk}"))
    adviser = StaffMembershipFactory(
        desk=desk, role=DeskRole.ADVISER, user__email=f"collega.{desk.slug}@example.test"
    )
    return {
        "desk": desk,
        "location": location,
        "partnership": partnership,
        "membership": adviser,
        "manager_membership": StaffMembership.objects.get(desk=desk, user=manager),
    }


def _hours(version: int | None = None) -> dict[str, str]:
    data = {
        "tijden-TOTAL_FORMS": "1",
        "tijden-INITIAL_FORMS": "0",
        "tijden-MIN_NUM_FORMS": "0",
        "tijden-MAX_NUM_FORMS": "50",
        "tijden-0-kind": HoursKind.OPENING,
        "tijden-0-weekday": "4",
        "tijden-0-opens": "13:00",
        "tijden-0-closes": "17:00",
        "tijden-0-note": "",
    }
    if version is not None:
        data["version"] = str(version)
    return data


def _location(version: int | None = None) -> dict[str, str]:
    return {
        "name": "Gewijzigde vestiging",
        "street": "Coolsingel",
        "house_number": "40",
        "postcode": "3011 AD",
        "city": "Rotterdam",
        "is_public": "on",
        **_hours(version),
    }


def _desk_settings(objs: dict[str, Any]) -> dict[str, Any]:
    desk = objs["desk"]
    return {
        "version": str(desk.version),
        "display_name": "Overgenomen loket",
        "organisation_kind": "werkcentrum",
        "email": "overgenomen@example.test",
        "is_published": "on",
    }


def _membership_fields(objs: dict[str, Any]) -> dict[str, Any]:
    membership = objs["membership"]
    return {
        "version": str(membership.version),
        "role": DeskRole.DESK_MANAGER,
        "fte": "0,9",
        "start_date": membership.start_date.isoformat(),
        "end_date": "",
    }


def _new_member(objs: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": "indringer@example.test",
        "name": "Ingo Indringer (test)",
        "role": DeskRole.DESK_MANAGER,
        "fte": "1",
        "start_date": timezone.localdate().isoformat(),
    }


def _end(objs: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": str(objs["membership"].version),
        "end_date": timezone.localdate().isoformat(),
    }


def _partner(objs: dict[str, Any]) -> dict[str, Any]:
    return {"new_partner_name": "Overname BV", "new_partner_kind": PartnerKind.OTHER}


# name, which object the UUID in the URL belongs to, the POST body (None: GET only)
StaffUrl = tuple[str, str, Callable[[dict[str, Any]], dict[str, Any]] | None]
STAFF_URLS: list[StaffUrl] = [
    ("staff:desk_detail", "desk", None),
    ("staff:desk_settings", "desk", _desk_settings),
    ("staff:location_create", "desk", lambda objs: _location()),
    ("staff:location_edit", "location", lambda objs: _location(objs["location"].version)),
    ("staff:location_delete", "location", lambda objs: {}),
    ("staff:team_list", "desk", None),
    ("staff:membership_create", "desk", _new_member),
    ("staff:membership_edit", "membership", _membership_fields),
    ("staff:membership_end", "membership", _end),
    ("staff:partner_list", "desk", None),
    ("staff:partnership_add", "desk", _partner),
    ("staff:partnership_remove", "partnership", lambda objs: {}),
]
POST_URLS = [entry for entry in STAFF_URLS if entry[2] is not None]
MANAGEMENT_URLS = [entry for entry in STAFF_URLS if entry[2] is not None]
READ_URLS = [entry for entry in STAFF_URLS if entry[2] is None]
TEAM_URLS = ["staff:team_list", "staff:membership_create"]
MEMBERSHIP_URLS = ["staff:membership_edit", "staff:membership_end"]


def _ids(entries: list[StaffUrl]) -> list[str]:
    return [name.split(":")[1] for name, _kind, _post in entries]


def url_for(name: str, kind: str, objs: dict[str, Any]) -> str:
    return reverse(name, args=[objs[kind].uuid])


def snapshot() -> tuple[Any, ...]:
    """Everything a staff page could change, to prove that a refused POST changed nothing."""
    return (
        list(Desk.objects.order_by("pk").values_list("pk", "version", "display_name", "email")),
        list(
            Desk.service_lines.through.objects.order_by("pk").values_list(
                "pk", "desk_id", "serviceline_id"
            )
        ),
        list(Location.objects.order_by("pk").values_list("pk", "version", "name", "postcode")),
        list(OpeningHours.objects.order_by("pk").values_list("pk", "location_id", "weekday")),
        list(
            StaffMembership.objects.order_by("pk").values_list(
                "pk", "version", "role", "fte", "end_date"
            )
        ),
        list(DeskPartnership.objects.order_by("pk").values_list("pk", "desk_id", "partner_id")),
        list(Partner.objects.order_by("pk").values_list("pk", "name")),
        list(User.objects.order_by("pk").values_list("pk", "email")),
    )


@pytest.fixture
def objs_a(desk_a, manager_a) -> dict[str, Any]:
    return desk_objects(desk_a, manager=manager_a)


@pytest.fixture
def objs_b(desk_b, manager_b) -> dict[str, Any]:
    return desk_objects(desk_b, manager=manager_b)


# -- staff of desk A and the objects of desk B --------------------------------------------------


@pytest.mark.parametrize("actor", ["adviser_a", "manager_a"])
@pytest.mark.parametrize(("name", "kind", "post"), STAFF_URLS, ids=_ids(STAFF_URLS))
def test_desk_a_staff_get_404_for_desk_b_objects(
    request, client_for, objs_a, objs_b, actor, name, kind, post
):
    # given staff of desk A
    client = client_for(request.getfixturevalue(actor))
    # when they open a URL with an object of desk B
    response = client.get(url_for(name, kind, objs_b))
    # then desk B's object does not exist for them
    assert response.status_code == 404
    assert objs_b["desk"].display_name not in response.content.decode()


@pytest.mark.parametrize("actor", ["adviser_a", "manager_a"])
@pytest.mark.parametrize(("name", "kind", "post"), POST_URLS, ids=_ids(POST_URLS))
def test_desk_a_staff_post_to_desk_b_objects_gets_404_and_changes_nothing(
    request, client_for, objs_a, objs_b, actor, name, kind, post
):
    # given staff of desk A and the state of the database
    client = client_for(request.getfixturevalue(actor))
    before = snapshot()
    # when they POST a valid change to an object of desk B
    response = client.post(url_for(name, kind, objs_b), post(objs_b))
    # then they get 404 and nothing changed
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("actor", ["adviser_b", "manager_b"])
@pytest.mark.parametrize(("name", "kind", "post"), POST_URLS, ids=_ids(POST_URLS))
def test_desk_b_staff_post_to_desk_a_objects_gets_404_and_changes_nothing(
    request, client_for, objs_a, objs_b, actor, name, kind, post
):
    client = client_for(request.getfixturevalue(actor))
    before = snapshot()
    response = client.post(url_for(name, kind, objs_a), post(objs_a))
    assert response.status_code == 404
    assert snapshot() == before


def test_unknown_uuid_is_404(client_for, admin_user):
    # even the administrator, who sees every desk, gets 404 for a UUID that does not exist
    missing = "00000000-0000-4000-8000-000000000000"
    client = client_for(admin_user)
    for name, _kind, _post in STAFF_URLS:
        assert client.get(reverse(name, args=[missing])).status_code == 404, name


# -- managing the own desk -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "post"), POST_URLS, ids=_ids(POST_URLS))
def test_manager_of_a_manages_desk_a(client_for, manager_a, objs_a, objs_b, name, kind, post):
    # given the manager of desk A
    client = client_for(manager_a)
    before = snapshot()
    assert client.get(url_for(name, kind, objs_a)).status_code == 200
    # when they POST the same valid change to desk A's object
    response = client.post(url_for(name, kind, objs_a), post(objs_a))
    # then it is saved (a redirect after success) and the database changed
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot() != before


@pytest.mark.parametrize(("name", "kind", "post"), MANAGEMENT_URLS, ids=_ids(MANAGEMENT_URLS))
def test_adviser_of_a_gets_403_on_management_pages_of_a(
    client_for, adviser_a, objs_a, name, kind, post
):
    # given an adviser of desk A
    client = client_for(adviser_a)
    before = snapshot()
    # when they open or POST to a management page of their own desk
    assert client.get(url_for(name, kind, objs_a)).status_code == 403
    response = client.post(url_for(name, kind, objs_a), post(objs_a))
    # then they may see the desk but not manage it
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("name", "kind", "post"), READ_URLS, ids=_ids(READ_URLS))
def test_adviser_of_a_reads_desk_a_pages(client_for, adviser_a, objs_a, name, kind, post):
    assert client_for(adviser_a).get(url_for(name, kind, objs_a)).status_code == 200


# -- national team and ministry: aggregates only ---------------------------------------------------


@pytest.fixture
def secret_colleague(desk_a) -> User:
    return StaffMembershipFactory(
        desk=desk_a, user__email=SECRET_EMAIL, user__name=SECRET_NAME
    ).user


AGGREGATE_ROLES = ["national_user", "ministry_user"]


@pytest.mark.parametrize("actor", AGGREGATE_ROLES)
def test_aggregate_roles_open_every_desk_page(request, client_for, actor, objs_a):
    client = client_for(request.getfixturevalue(actor))
    for desk in Desk.objects.all():
        response = client.get(reverse("staff:desk_detail", args=[desk.uuid]))
        assert response.status_code == 200, desk.display_name


@pytest.mark.parametrize("actor", AGGREGATE_ROLES)
def test_aggregate_roles_see_counts_and_locations_but_no_names(
    request, client_for, actor, objs_a, secret_colleague, manager_a, desk_a
):
    # given desk A with a manager, two advisers (one with a recognisable name) and a location
    client = client_for(request.getfixturevalue(actor))
    pages = {
        "desk": client.get(reverse("staff:desk_detail", args=[desk_a.uuid])),
        "overview": client.get(reverse("staff:national_overview")),
        "home": client.get(reverse("staff:home")),
        "partners": client.get(reverse("staff:partner_list", args=[desk_a.uuid])),
    }
    # then every page opens, shows figures, and never a name or e-mail address of a person
    for page, response in pages.items():
        assert response.status_code == 200, page
        html = response.content.decode()
        for secret in (SECRET_NAME, SECRET_EMAIL, manager_a.email, manager_a.name):
            assert secret not in html, (page, secret)
    desk_page = pages["desk"]
    assert desk_page.context["figures"].staff_count == 3
    assert desk_page.context["team"] is None
    assert objs_a["location"].name in desk_page.content.decode()
    overview = {f.desk.pk: f for f in pages["overview"].context["figures"]}
    assert overview[desk_a.pk].staff_count == 3
    assert overview[desk_a.pk].locations == 1


@pytest.mark.parametrize("actor", AGGREGATE_ROLES)
@pytest.mark.parametrize("name", TEAM_URLS)
def test_aggregate_roles_get_404_on_team_pages(request, client_for, actor, objs_a, name):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(reverse(name, args=[objs_a["desk"].uuid])).status_code == 404


@pytest.mark.parametrize("actor", AGGREGATE_ROLES)
@pytest.mark.parametrize("name", MEMBERSHIP_URLS)
def test_aggregate_roles_get_404_on_membership_pages(request, client_for, actor, objs_a, name):
    client = client_for(request.getfixturevalue(actor))
    before = snapshot()
    target = reverse(name, args=[objs_a["membership"].uuid])
    assert client.get(target).status_code == 404
    assert client.post(target, _end(objs_a)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("actor", AGGREGATE_ROLES)
@pytest.mark.parametrize(
    ("name", "kind", "post"),
    [e for e in MANAGEMENT_URLS if e[0] not in TEAM_URLS + MEMBERSHIP_URLS],
    ids=_ids([e for e in MANAGEMENT_URLS if e[0] not in TEAM_URLS + MEMBERSHIP_URLS]),
)
def test_aggregate_roles_may_not_manage(request, client_for, actor, objs_a, name, kind, post):
    client = client_for(request.getfixturevalue(actor))
    before = snapshot()
    assert client.get(url_for(name, kind, objs_a)).status_code == 403
    assert client.post(url_for(name, kind, objs_a), post(objs_a)).status_code == 403
    assert snapshot() == before


def test_administrator_reaches_every_page_of_any_desk(client_for, admin_user, objs_b):
    client = client_for(admin_user)
    for name, kind, _post in STAFF_URLS:
        assert client.get(url_for(name, kind, objs_b)).status_code == 200, name
    assert client.get(reverse("staff:national_overview")).status_code == 200


# -- people without (current) access ---------------------------------------------------------------


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def future_adviser_a(desk_a) -> User:
    """Starts at desk A tomorrow."""
    return StaffMembershipFactory(
        desk=desk_a, user__email="toekomstig.a@example.test", start_date=_tomorrow()
    ).user


@pytest.mark.parametrize("actor", ["ended_adviser_a", "future_adviser_a"])
@pytest.mark.parametrize(("name", "kind", "post"), STAFF_URLS, ids=_ids(STAFF_URLS))
def test_people_without_current_membership_get_404(
    request, client_for, actor, objs_a, name, kind, post
):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(url_for(name, kind, objs_a)).status_code == 404


@pytest.mark.parametrize("actor", ["ended_adviser_a", "future_adviser_a"])
def test_people_without_current_membership_see_the_no_role_message(
    request, client_for, actor, desk_a
):
    response = client_for(request.getfixturevalue(actor)).get(reverse("staff:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "U heeft geen actieve rol bij een loket" in html
    assert reverse("staff:desk_detail", args=[desk_a.uuid]) not in html
    assert response.context["cards"] == []


def test_deactivated_account_has_no_access(client_for, adviser_a, objs_a):
    # given an adviser whose account was deactivated while logged in
    client = client_for(adviser_a)
    User.objects.filter(pk=adviser_a.pk).update(is_active=False)
    # then the session no longer counts: every staff page sends them to the log-in page
    login = reverse("accounts:login")
    for name, kind, _post in STAFF_URLS:
        response = client.get(url_for(name, kind, objs_a))
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name
    assert client.get(reverse("staff:home"))["Location"].startswith(login)


def test_deactivated_account_with_membership_gives_no_access_rights(desk_a):
    """Also below the session: the roles of an inactive account are empty."""
    from leerwerk.core.access import access_for

    user = StaffMembershipFactory(desk=desk_a, user__is_active=False).user
    assert access_for(user).desk_roles == {}
    assert not Desk.objects.for_user(user).exists()


@pytest.mark.parametrize(("name", "kind", "post"), STAFF_URLS, ids=_ids(STAFF_URLS))
def test_anonymous_users_are_sent_to_the_login_page(client, objs_a, name, kind, post):
    before = snapshot()
    target = url_for(name, kind, objs_a)
    for response in (client.get(target), client.post(target, post(objs_a) if post else {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert snapshot() == before


@pytest.mark.parametrize("name", ["staff:home", "staff:national_overview"])
def test_anonymous_users_log_in_for_start_and_overview(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_user_without_role_gets_403_on_national_overview(client_for, db):
    user = UserFactory(email="niemand@example.test")
    assert client_for(user).get(reverse("staff:national_overview")).status_code == 403
