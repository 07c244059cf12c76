"""Tenant scoping of the client and request pages, URL by URL (issue 3).

- staff of desk B get 404 for desk A's clients and requests, on GET and POST, and nothing changes;
- the national team, the ministry and people who no longer work at the desk get 404 for objects
  and 403 for the pages without an object, and never see a client's name;
- the same requests by desk A's own staff do work (so these tests can fail).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Consent
from leerwerk.clients.tests.factories import ClientFactory, ConsentFactory
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import IntakeChannel, QuestionTheme, RequestStatus
from leerwerk.guidance.models import IntakeRequest, Trajectory
from leerwerk.guidance.tests.factories import IntakeRequestFactory
from leerwerk.network.tests.factories import DeskPartnershipFactory, PartnerFactory

SECRET_NAME = "Zoë Vertrouwelijk-Geheim"
SECRET_EMAIL = "zoe.vertrouwelijk@example.test"


@pytest.fixture
def objs(desk_a) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    given, family = SECRET_NAME.split(" ")
    client = ClientFactory(desk=desk_a, given_name=given, family_name=family, email=SECRET_EMAIL)
    ConsentFactory(client=client, purpose=ConsentPurpose.CONTACT)
    intake = IntakeRequestFactory(
        desk=desk_a, given_name=given, family_name=family, email=SECRET_EMAIL
    )
    partnership = DeskPartnershipFactory(desk=desk_a, partner=PartnerFactory(name="Partner A"))
    return {"desk": desk_a, "client": client, "request": intake, "partnership": partnership}


def _edit(o: dict[str, Any]) -> dict[str, str]:
    c = o["client"]
    return {
        "version": str(c.version),
        "given_name": "Overgenomen",
        "family_name": c.family_name,
        "email": c.email,
        "phone": "",
        "preferred_channel": "email",
        "birth_year": "",
        "postcode": "",
        "situation": c.situation,
        "education_level": c.education_level,
    }


def _new_client(o: dict[str, Any]) -> dict[str, str]:
    return {
        "desk": str(o["desk"].uuid),
        "given_name": "Indringer",
        "family_name": "Nieuw-Test",
        "email": "indringer.test@example.test",
        "preferred_channel": "email",
        "situation": "other",
        "education_level": "unknown",
        "toch_nieuw": "1",
    }


def _new_request(o: dict[str, Any]) -> dict[str, str]:
    return {
        "desk": str(o["desk"].uuid),
        "channel": IntakeChannel.WALK_IN,
        "theme": QuestionTheme.OTHER,
        "description": "Vraag",
        "given_name": "Indringer",
        "email": "indringer.test@example.test",
        "contact_preference": "email",
        "consent": "on",
    }


def _new_referral(o: dict[str, Any]) -> dict[str, str]:
    return {
        "referrer_partner": str(o["partnership"].uuid),
        "referrer_name": "Indringer",
        "referral_reason": "Reden",
        "theme": QuestionTheme.OTHER,
        "description": "Vraag",
        "given_name": "Indringer",
        "email": "indringer.test@example.test",
        "contact_preference": "email",
        "consent": "on",
    }


Url = Callable[[dict[str, Any]], str]
Data = Callable[[dict[str, Any]], dict[str, str]]

# (name, url, POST data or None for GET-only pages)
OBJECT_PAGES: list[tuple[str, Url, Data | None]] = [
    ("detail", lambda o: reverse("clients:detail", args=[o["client"].uuid]), None),
    ("edit", lambda o: reverse("clients:edit", args=[o["client"].uuid]), _edit),
    (
        "request_detail",
        lambda o: reverse("clients:request_detail", args=[o["request"].uuid]),
        None,
    ),
]
OBJECT_POSTS: list[tuple[str, Url, Data]] = [
    ("edit", lambda o: reverse("clients:edit", args=[o["client"].uuid]), _edit),
    (
        "consent_give",
        lambda o: reverse("clients:consent_give", args=[o["client"].uuid]),
        lambda o: {"purpose": ConsentPurpose.SATISFACTION_SURVEY},
    ),
    (
        "consent_withdraw",
        lambda o: reverse("clients:consent_withdraw", args=[o["client"].uuid]),
        lambda o: {"purpose": ConsentPurpose.CONTACT},
    ),
    (
        "request_accept",
        lambda o: reverse("clients:request_accept", args=[o["request"].uuid]),
        lambda o: {"client": "nieuw"},
    ),
    (
        "request_dismiss",
        lambda o: reverse("clients:request_dismiss", args=[o["request"].uuid]),
        lambda o: {},
    ),
]
DESKLESS_PAGES: list[tuple[str, str, Data | None]] = [
    ("work_list", "clients:work_list", None),
    ("search", "clients:search", None),
    ("create", "clients:create", _new_client),
    ("request_list", "clients:request_list", None),
    ("request_register", "clients:request_register", _new_request),
    ("referral_create", "clients:referral_create", _new_referral),
]


def snapshot() -> tuple[Any, ...]:
    """Everything the POSTs above could change."""
    return (
        list(Client.objects.order_by("pk").values_list("pk", "version", "given_name")),
        list(Consent.objects.order_by("pk").values_list("pk", "purpose", "withdrawn_at")),
        list(IntakeRequest.objects.order_by("pk").values_list("pk", "status")),
        Trajectory.objects.count(),
    )


# -- another desk ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url", "data"), OBJECT_PAGES, ids=[p[0] for p in OBJECT_PAGES])
def test_other_desk_gets_404_on_get(client_for, objs, adviser_b, manager_b, name, url, data):
    for user in (adviser_b, manager_b):
        response = client_for(user).get(url(objs))
        assert response.status_code == 404, (name, user)
        assert SECRET_NAME.split(" ")[1] not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url", "data"), OBJECT_POSTS, ids=[p[0] for p in OBJECT_POSTS])
def test_other_desk_gets_404_on_post_and_nothing_changes(
    client_for, objs, adviser_b, manager_b, name, url, data
):
    before = snapshot()
    for user in (adviser_b, manager_b):
        response = client_for(user).post(url(objs), data(objs))
        assert response.status_code == 404, (name, user)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url", "data"), OBJECT_POSTS, ids=[p[0] for p in OBJECT_POSTS])
def test_own_desk_posts_do_change_something(client_for, objs, adviser_a, name, url, data):
    # the control for the test above: the same POST by desk A's adviser works
    before = snapshot()
    response = client_for(adviser_a).post(url(objs), data(objs))
    assert response.status_code == 302, (name, response.content.decode()[:2000])
    assert snapshot() != before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "url_name", "data"),
    [p for p in DESKLESS_PAGES if p[2] is not None],
    ids=[p[0] for p in DESKLESS_PAGES if p[2] is not None],
)
def test_other_desk_cannot_create_at_desk_a(client_for, objs, adviser_b, name, url_name, data):
    before = snapshot()
    response = client_for(adviser_b).post(reverse(url_name), data(objs))
    assert response.status_code == 200  # the form again, with "choose one of your desks"
    assert response.context["form"].errors
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "url_name", "data"),
    [p for p in DESKLESS_PAGES if p[2] is not None],
    ids=[p[0] for p in DESKLESS_PAGES if p[2] is not None],
)
def test_own_desk_can_create(client_for, objs, adviser_a, name, url_name, data):
    before = snapshot()
    response = client_for(adviser_a).post(reverse(url_name), data(objs))
    assert response.status_code == 302, response.context["form"].errors
    assert snapshot() != before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "url_name", "data"), DESKLESS_PAGES, ids=[p[0] for p in DESKLESS_PAGES]
)
def test_lists_of_another_desk_never_show_desk_a(client_for, objs, adviser_b, name, url_name, data):
    response = client_for(adviser_b).get(
        reverse(url_name), {"q": SECRET_NAME, "loket": str(objs["desk"].uuid), "status": ""}
    )
    assert response.status_code == 200
    content = response.content.decode().replace(f'value="{SECRET_NAME}"', "")
    content = content.replace(SECRET_NAME.replace(" ", "+"), "")
    assert SECRET_NAME.split(" ")[1] not in content.replace(f"‘{SECRET_NAME}’", "")
    assert SECRET_EMAIL not in content
    assert "Partner A" not in content


# -- national team, ministry, former staff ---------------------------------------------------


@pytest.fixture(params=["national_user", "ministry_user", "ended_adviser_a"])
def outsider(request):  # type: ignore[no-untyped-def]
    return request.getfixturevalue(request.param)


@pytest.mark.django_db
def test_outsiders_get_404_for_every_object_and_403_for_every_other_page(
    client_for, objs, outsider
):
    http = client_for(outsider)
    before = snapshot()
    for name, url, _data in OBJECT_PAGES:
        response = http.get(url(objs))
        assert response.status_code == 404, name
        assert SECRET_NAME.split(" ")[1] not in response.content.decode()
    for name, url, data in OBJECT_POSTS:
        assert http.post(url(objs), data(objs)).status_code == 404, name
    for name, url_name, data in DESKLESS_PAGES:
        response = http.get(reverse(url_name), {"q": SECRET_NAME})
        assert response.status_code == 403, name
        assert SECRET_EMAIL not in response.content.decode()
        if data is not None:
            assert http.post(reverse(url_name), data(objs)).status_code == 403, name
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="client.view").exists()


@pytest.mark.django_db
def test_anonymous_users_log_in_first(client, objs):
    for name, url, _data in OBJECT_PAGES:
        response = client.get(url(objs))
        assert response.status_code == 302 and "/account/" in response.url, name
    for name, url_name, _data in DESKLESS_PAGES:
        assert client.get(reverse(url_name)).status_code == 302, name


@pytest.mark.django_db
def test_national_team_home_has_no_client_links(client_for, national_user):
    content = client_for(national_user).get(reverse("staff:home")).content.decode()
    assert reverse("clients:work_list") not in content


@pytest.mark.django_db
def test_adviser_home_links_to_the_client_pages(client_for, desk_a, adviser_a):
    content = client_for(adviser_a).get(reverse("staff:home")).content.decode()
    assert f"{reverse('clients:work_list')}?loket={desk_a.uuid}" in content
    assert reverse("clients:referral_create") in content


@pytest.mark.django_db
def test_the_request_status_is_untouched_by_a_refused_accept(client_for, objs, adviser_b):
    client_for(adviser_b).post(
        reverse("clients:request_accept", args=[objs["request"].uuid]), {"client": "nieuw"}
    )
    objs["request"].refresh_from_db()
    assert objs["request"].status == RequestStatus.NEW
