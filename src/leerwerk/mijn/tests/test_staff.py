"""The staff side: inviting a client to link their file (scoping, audit, the e-mail), the
citizen accepting it across log-in or sign-up, revoking, and handling erasure requests."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from leerwerk.clients import privacy
from leerwerk.clients import services as client_services
from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.mijn.constants import SESSION_INVITE, ErasureOutcome
from leerwerk.mijn.models import ClientLink, ErasureRequest
from leerwerk.mijn.tests.conftest import link_in_mail, logged_in
from leerwerk.mijn.tests.factories import PASSWORD, CitizenAccountFactory, ClientLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_a(desk_a):  # type: ignore[no-untyped-def]
    return ClientFactory(desk=desk_a, given_name="Mila", email="mila@example.test")


@pytest.fixture
def invite(client_for, adviser_a, client_a, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """``invite()``: the adviser sends the invitation; returns the link's path from the mail."""

    def send() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(adviser_a).post(f"/medewerkers/klanten/{client_a.uuid}/mijn/")
        assert response.status_code == 302
        return link_in_mail(path="/mijn/uitnodiging/")

    return send


def _url(client) -> str:  # type: ignore[no-untyped-def]
    return f"/medewerkers/klanten/{client.uuid}/mijn/"


# -- the staff page: scoping and audit -----------------------------------------------------------


def test_the_client_page_links_to_the_mijn_page(client_for, adviser_a, client_a):
    html = client_for(adviser_a).get(f"/medewerkers/klanten/{client_a.uuid}/").content.decode()
    assert _url(client_a) in html


def test_an_adviser_of_the_desk_sees_the_page_and_it_is_audited(client_for, adviser_a, client_a):
    response = client_for(adviser_a).get(_url(client_a))
    assert response.status_code == 200
    assert "Deze klant is nog niet uitgenodigd" in response.content.decode()
    assert "Uitnodigen voor Mijn Leerwerkloket" in response.content.decode()
    event = AuditEvent.objects.get(action="mijn.link.view")
    assert (event.actor_id, event.object_uuid, event.desk_id) == (
        adviser_a.pk,
        client_a.uuid,
        client_a.desk_id,
    )


@pytest.mark.parametrize("user", ["adviser_b", "manager_b", "national_user", "ministry_user"])
def test_other_desks_and_the_national_level_get_404(request, client_for, client_a, user):
    staff = client_for(request.getfixturevalue(user))
    link = ClientLinkFactory(client=client_a)
    assert staff.get(_url(client_a)).status_code == 404
    assert staff.post(_url(client_a)).status_code == 404
    assert staff.post(f"{_url(client_a)}{link.uuid}/intrekken/").status_code == 404
    assert not ClientLink.objects.filter(revoked_at__isnull=False).exists()
    assert mail.outbox == []


def test_anonymous_and_citizens_are_sent_to_the_staff_login(client_a, account):
    for visitor in (Client(), logged_in(account)):
        response = visitor.get(_url(client_a))
        assert response.status_code == 302
        assert response["Location"].startswith("/account/inloggen/")


# -- inviting ------------------------------------------------------------------------------------


def test_inviting_mails_the_client_and_stores_only_a_hash(invite, client_a, adviser_a):
    path = invite()

    link = ClientLink.objects.get()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in link.token_hash and len(link.token_hash) == 64
    assert (link.client, link.desk_id, link.invited_by, link.account) == (
        client_a,
        client_a.desk_id,
        adviser_a,
        None,
    )
    message = mail.outbox[0]
    assert message.to == ["mila@example.test"]
    assert "Mila" not in message.body  # no personal details in the invitation
    assert AuditEvent.objects.filter(action="mijn.link.invite", desk_id=client_a.desk_id).exists()


def test_a_new_invitation_replaces_the_open_one(invite, client_a):
    first = invite()
    second = invite()
    assert ClientLink.objects.open_invitations().count() == 1
    assert Client().get(first).status_code == 400
    assert Client().get(second).status_code == 200


def test_a_client_without_email_cannot_be_invited(client_for, adviser_a, desk_a):
    no_mail = ClientFactory(desk=desk_a, email="", preferred_channel="phone")
    response = client_for(adviser_a).post(_url(no_mail))
    assert response.status_code == 400
    assert "geen e-mailadres" in response.content.decode()
    assert not ClientLink.objects.exists()


# -- accepting -----------------------------------------------------------------------------------


def test_accepting_after_logging_in(invite, client_a):
    account = CitizenAccountFactory(email="mila.zelf@example.test")
    path = invite()
    browser = Client()

    page = browser.get(path)
    assert page.status_code == 200
    assert "Rijnmond" in page.content.decode()
    assert "Mila" not in page.content.decode()
    assert not ClientLink.objects.active().exists()  # nothing happens by opening the link

    login = browser.post("/mijn/inloggen/", {"email": account.email, "password": PASSWORD})
    assert login["Location"] == "/mijn/uitnodiging/bevestigen/"
    assert browser.get(login["Location"]).status_code == 200

    done = browser.post("/mijn/uitnodiging/bevestigen/", {"actie": "koppelen"})
    assert done["Location"] == "/mijn/"
    link = ClientLink.objects.get()
    assert link.account == account and link.accepted_at is not None
    assert SESSION_INVITE not in browser.session
    assert AuditEvent.objects.filter(action="mijn.link.accept", desk_id=client_a.desk_id).exists()
    assert Client().get(path).status_code == 400  # used
    assert "Rijnmond" in browser.get("/mijn/toestemming/").content.decode()


def test_accepting_after_signing_up_keeps_the_invitation(
    invite, client_a, django_capture_on_commit_callbacks
):
    path = invite()
    browser = Client()
    browser.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            "/mijn/account-maken/",
            {
                "display_name": "Mila",
                "email": "mila.nieuw@example.test",
                "password": "Mijn eigen wachtzin 42",
                "password_again": "Mijn eigen wachtzin 42",
            },
        )
    verify = browser.post(
        link_in_mail(path="/mijn/bevestigen/"), {"password": "Mijn eigen wachtzin 42"}
    )
    assert verify["Location"] == "/mijn/uitnodiging/bevestigen/"
    browser.post(verify["Location"], {"actie": "koppelen"})
    assert ClientLink.objects.active().get().account.email == "mila.nieuw@example.test"


def test_never_linked_automatically_by_email_and_declining_links_nothing(invite, client_a):
    same_address = CitizenAccountFactory(email=client_a.email)
    path = invite()
    browser = logged_in(same_address)
    assert browser.get(path)["Location"] == "/mijn/uitnodiging/bevestigen/"
    assert not ClientLink.objects.active().exists()

    browser.post("/mijn/uitnodiging/bevestigen/", {"actie": "weigeren"})
    assert not ClientLink.objects.active().exists()
    assert SESSION_INVITE not in browser.session


def test_expired_revoked_and_forged_invitations_are_refused(
    invite, client_for, adviser_a, client_a
):
    path = invite()
    assert Client().get("/mijn/uitnodiging/verzonnen-code/").status_code == 400

    link = ClientLink.objects.get()
    ClientLink.objects.filter(pk=link.pk).update(
        invited_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert Client().get(path).status_code == 410
    ClientLink.objects.filter(pk=link.pk).update(invited_at=timezone.now())

    browser = logged_in(CitizenAccountFactory())
    browser.get(path)  # the invitation waits in the session
    client_for(adviser_a).post(f"{_url(client_a)}{link.uuid}/intrekken/")
    response = browser.post("/mijn/uitnodiging/bevestigen/", {"actie": "koppelen"})
    assert response.status_code == 400
    assert not ClientLink.objects.active().exists()


def test_confirming_without_an_invitation_in_the_session(citizen):
    assert citizen.get("/mijn/uitnodiging/bevestigen/").status_code == 400


# -- revoking ------------------------------------------------------------------------------------


def test_revoking_a_link_hides_the_file_from_the_citizen(client_for, adviser_a, client_a, account):
    link = ClientLinkFactory(client=client_a, account=account)
    citizen = logged_in(account)
    assert "Rijnmond" in citizen.get("/mijn/toestemming/").content.decode()

    page = client_for(adviser_a).get(_url(client_a)).content.decode()
    assert "gekoppeld" in page and account.email in page
    client_for(adviser_a).post(f"{_url(client_a)}{link.uuid}/intrekken/")

    link.refresh_from_db()
    assert link.revoked_at is not None
    assert citizen.get("/mijn/toestemming/").context["files"] == []
    assert AuditEvent.objects.filter(action="mijn.link.revoke").exists()


def test_an_active_link_blocks_a_new_invitation(client_for, adviser_a, client_a):
    ClientLinkFactory(client=client_a)
    response = client_for(adviser_a).post(_url(client_a))
    assert response.status_code == 400
    assert "al gekoppeld" in response.content.decode()


# -- erasure requests ----------------------------------------------------------------------------


@pytest.fixture
def erasure_a(client_a, account):  # type: ignore[no-untyped-def]
    ClientLinkFactory(client=client_a, account=account)
    return ErasureRequest.objects.create(desk=client_a.desk, client=client_a)


def test_desk_managers_see_their_requests(client_for, manager_a, manager_b, erasure_a, desk_b):
    ErasureRequest.objects.create(desk=desk_b, client=ClientFactory(desk=desk_b))
    response = client_for(manager_a).get("/medewerkers/mijn-leerwerkloket/verwijderverzoeken/")
    assert response.status_code == 200
    assert list(response.context["page"]) == [erasure_a]
    assert AuditEvent.objects.filter(action="mijn.erasure_request.list").exists()
    home = client_for(manager_a).get("/medewerkers/").content.decode()
    assert "/medewerkers/mijn-leerwerkloket/verwijderverzoeken/" in home

    other = client_for(manager_b)
    assert erasure_a not in list(
        other.get("/medewerkers/mijn-leerwerkloket/verwijderverzoeken/").context["page"]
    )
    url = f"/medewerkers/mijn-leerwerkloket/verwijderverzoeken/{erasure_a.uuid}/"
    assert other.get(url).status_code == 404
    assert other.post(url, {"decision": "anonimiseren"}).status_code == 404


@pytest.mark.parametrize("user", ["adviser_a", "national_user", "ministry_user"])
def test_others_cannot_list_or_handle_requests(request, client_for, erasure_a, user):
    staff = client_for(request.getfixturevalue(user))
    assert staff.get("/medewerkers/mijn-leerwerkloket/verwijderverzoeken/").status_code == 403
    url = f"/medewerkers/mijn-leerwerkloket/verwijderverzoeken/{erasure_a.uuid}/"
    assert staff.get(url).status_code == 404
    assert staff.post(url, {"decision": "anonimiseren"}).status_code == 404
    erasure_a.client.refresh_from_db()
    assert not erasure_a.client.is_erased


def test_handling_a_request_erases_the_file(client_for, manager_a, erasure_a):
    url = f"/medewerkers/mijn-leerwerkloket/verwijderverzoeken/{erasure_a.uuid}/"
    page = client_for(manager_a).get(url)
    assert page.status_code == 200 and page.context["can_handle"]
    missing = client_for(manager_a).post(url, {})
    assert "Kies wat u met het dossier doet" in missing.content.decode()

    response = client_for(manager_a).post(url, {"decision": "anonimiseren"})
    assert response.status_code == 302
    erasure_a.refresh_from_db()
    assert erasure_a.outcome == ErasureOutcome.ERASED
    assert erasure_a.handled_by == manager_a and erasure_a.handled_at is not None
    erasure_a.client.refresh_from_db()
    assert erasure_a.client.is_erased
    assert not ClientLink.objects.filter(client=erasure_a.client).exists()  # would name them
    assert AuditEvent.objects.filter(action="client.erase").exists()
    assert AuditEvent.objects.filter(action="mijn.erasure_request.handle").exists()
    again = client_for(manager_a).post(url, {"decision": "anonimiseren"})
    assert "al afgehandeld" in again.content.decode()


def test_keeping_the_file_needs_a_reason(client_for, manager_a, erasure_a):
    url = f"/medewerkers/mijn-leerwerkloket/verwijderverzoeken/{erasure_a.uuid}/"
    no_reason = client_for(manager_a).post(url, {"decision": "bewaren", "note": " "})
    assert "Schrijf waarom" in no_reason.content.decode()
    client_for(manager_a).post(
        url, {"decision": "bewaren", "note": "Wettelijke bewaartermijn loopt nog."}
    )
    erasure_a.refresh_from_db()
    assert erasure_a.outcome == ErasureOutcome.KEPT
    assert erasure_a.note == "Wettelijke bewaartermijn loopt nog."
    erasure_a.client.refresh_from_db()
    assert not erasure_a.client.is_erased


# -- the clients app's export and erasure reach mijn --------------------------------------------


def test_client_export_and_erasure_include_mijn_data(manager_a, erasure_a, account):
    data = privacy.client_export(actor=manager_a, client=erasure_a.client)
    mijn = data["mijn_leerwerkloket"]
    assert mijn["links"][0]["account_email"] == account.email
    assert mijn["erasure_requests"][0]["uuid"] == str(erasure_a.uuid)

    client_services.client_erase(actor=manager_a, client=erasure_a.client)
    erasure_a.refresh_from_db()
    assert erasure_a.outcome == ErasureOutcome.ERASED and erasure_a.handled_at is not None
    assert not ClientLink.objects.exists()
    assert not logged_in(account).get("/mijn/toestemming/").context["files"]
