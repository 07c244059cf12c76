"""The citizen's pages through HTTP: overview, profile, e-mail and password, self-tests, saved
offers, appointments, consent, download and deleting the account."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client
from django.utils import timezone

from leerwerk.agenda.constants import AppointmentStatus
from leerwerk.agenda.models import Appointment
from leerwerk.agenda.tests.factories import AppointmentFactory, SlotFactory
from leerwerk.catalogue.tests.factories_search import make_offer
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Consent
from leerwerk.clients.selectors import has_consent
from leerwerk.clients.tests.factories import ClientFactory, ConsentFactory
from leerwerk.core.models import AuditEvent
from leerwerk.mijn.models import CitizenAccount, ClientLink, ErasureRequest, SavedOffer
from leerwerk.mijn.tests.conftest import link_in_mail, logged_in
from leerwerk.mijn.tests.factories import PASSWORD, CitizenAccountFactory, ClientLinkFactory
from leerwerk.portal import services as portal_services
from leerwerk.portal.models import SelfTestSession

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Groene appels in de mand"


@pytest.fixture
def linked(account, desk_a):  # type: ignore[no-untyped-def]
    """The account linked to a client file at desk A."""
    client = ClientFactory(desk=desk_a, given_name="Jan", family_name="Burger")
    return ClientLinkFactory(client=client, account=account)


def _answer_all(session: SelfTestSession) -> None:
    from leerwerk.portal import selftests

    test = selftests.get_test(session.kind)
    portal_services.selftest_save_answers(
        session=session, answers={item.id: max(test.values) for item in test.items}
    )


# -- overview and profile ------------------------------------------------------------------------


def test_overview_shows_empty_states_for_a_new_account(citizen):
    response = citizen.get("/mijn/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welkom, Jan" in html
    assert "Nog geen tests" in html
    assert "Nog geen opleidingen bewaard" in html
    assert "Geen afspraken gepland" in html
    assert "Vraag dan om een uitnodiging" in html
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_overview_counts_what_the_account_holds(citizen, account, linked):
    SelfTestSession.objects.create(
        kind="waarden", account=account, resume_code="AAAA-BBBB-CCCC", expires_at=timezone.now()
    )
    SavedOffer.objects.create(account=account, offer=make_offer("Lasser"))
    html = citizen.get("/mijn/").content.decode()
    assert "1 test, 0 klaar" in html
    assert "1 bewaarde opleiding" in html
    assert "1 dossier gekoppeld" in html
    assert "Rijnmond" in html


def test_profile_saves_and_rejects_bad_input(citizen, account):
    bad = citizen.post(
        "/mijn/gegevens/", {"display_name": "", "phone": "bel me", "postcode": "12345"}
    )
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert errors["display_name"] == ["Vul uw naam in."]
    assert "telefoonnummer" in errors["phone"][0]
    assert "1234 AB" in errors["postcode"][0]

    good = citizen.post(
        "/mijn/gegevens/",
        {"display_name": "Jan B.", "phone": "06 1234 5678", "postcode": "3011ab"},
    )
    assert good.status_code == 302
    account.refresh_from_db()
    assert (account.display_name, account.phone, account.postcode) == (
        "Jan B.",
        "0612345678",
        "3011 AB",
    )


def test_profile_escapes_what_the_citizen_typed(citizen, account):
    account.display_name = "<script>alert(1)</script>"
    account.save()
    html = logged_in(account).get("/mijn/gegevens/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_changing_the_email_address_needs_the_new_address_confirmed(
    citizen, account, django_capture_on_commit_callbacks
):
    wrong = citizen.post(
        "/mijn/gegevens/e-mailadres/", {"email": "nieuw@example.test", "password": "fout"}
    )
    assert "Dit wachtwoord klopt niet" in wrong.content.decode()
    same = citizen.post(
        "/mijn/gegevens/e-mailadres/", {"email": account.email, "password": PASSWORD}
    )
    assert "Dit is al uw e-mailadres" in same.content.decode()

    citizen.post(
        "/mijn/gegevens/e-mailadres/", {"email": "Nieuw@Example.test", "password": PASSWORD}
    )
    account.refresh_from_db()
    assert account.email == "jan.burger@example.test"  # not yet
    assert mail.outbox[-1].to == ["nieuw@example.test"]
    link = link_in_mail(path="/mijn/gegevens/e-mailadres/")

    # the link works only in the session of this account
    stranger = logged_in(CitizenAccountFactory())
    assert stranger.get(link).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.get(link)
    assert response["Location"] == "/mijn/gegevens/"
    account.refresh_from_db()
    assert account.email == "nieuw@example.test"
    assert mail.outbox[-1].to == ["jan.burger@example.test"]  # the old address is told
    assert citizen.get("/mijn/").status_code == 200  # this session stays logged in
    assert citizen.get(link).status_code == 400  # used


def test_changing_to_a_registered_address_looks_the_same_and_never_succeeds(citizen, account):
    other = CitizenAccountFactory(email="bezet@example.test")
    taken = citizen.post(
        "/mijn/gegevens/e-mailadres/", {"email": "bezet@example.test", "password": PASSWORD}
    )
    free = logged_in(CitizenAccountFactory()).post(
        "/mijn/gegevens/e-mailadres/", {"email": "vrij@example.test", "password": PASSWORD}
    )
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"]
    assert "al een account" in mail.outbox[0].subject
    assert mail.outbox[0].to == [other.email]
    account.refresh_from_db()
    assert account.email == "jan.burger@example.test"
    assert account.pending_email == ""


def test_changing_the_password(citizen, account):
    wrong = citizen.post(
        "/mijn/gegevens/wachtwoord/",
        {"current_password": "fout", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert wrong.context["form"].errors["current_password"]
    mismatch = citizen.post(
        "/mijn/gegevens/wachtwoord/",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_again": "x"},
    )
    assert "niet hetzelfde" in mismatch.content.decode()

    done = citizen.post(
        "/mijn/gegevens/wachtwoord/",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert done["Location"] == "/mijn/gegevens/"
    account.refresh_from_db()
    assert check_password(NEW_PASSWORD, account.password)
    assert citizen.get("/mijn/").status_code == 200


def test_an_account_without_password_can_choose_one_without_a_current_one(db):
    account = CitizenAccountFactory(password="!unusable")
    client = logged_in(account)
    page = client.get("/mijn/gegevens/wachtwoord/")
    assert "current_password" not in page.context["form"].fields
    client.post(
        "/mijn/gegevens/wachtwoord/", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    account.refresh_from_db()
    assert check_password(NEW_PASSWORD, account.password)


# -- self-tests ----------------------------------------------------------------------------------


def test_a_test_started_while_logged_in_is_saved_in_the_account(citizen, account):
    response = citizen.post("/zelftesten/waarden/")
    session = SelfTestSession.objects.get()
    assert session.account == account
    assert response["Location"] == f"/zelftesten/test/{session.uuid}/deel/1/"

    listing = citizen.get("/mijn/zelftesten/").content.decode()
    assert "Wat vind ik belangrijk in werk?" in listing
    assert f"/zelftesten/test/{session.uuid}/deel/1/" in listing

    # the test opens only for its account
    assert citizen.get(f"/zelftesten/test/{session.uuid}/deel/1/").status_code == 200
    assert Client().get(f"/zelftesten/test/{session.uuid}/deel/1/").status_code == 404
    other = logged_in(CitizenAccountFactory())
    assert other.get(f"/zelftesten/test/{session.uuid}/deel/1/").status_code == 404


def test_a_test_started_anonymously_has_no_account(client):
    client.post("/zelftesten/waarden/")
    assert SelfTestSession.objects.get().account is None


def test_claiming_an_anonymous_test_by_its_code(citizen, account):
    session = portal_services.selftest_start(kind="vaardigheden", desk=None)
    _answer_all(session)

    unknown = citizen.post("/mijn/zelftesten/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert unknown.status_code == 404
    assert "Wij vinden geen test met deze code" in unknown.content.decode()
    empty = citizen.post("/mijn/zelftesten/", {"code": ""})
    assert empty.context["form"].errors["code"] == ["Vul de code van uw test in."]

    response = citizen.post("/mijn/zelftesten/", {"code": session.resume_code.lower()})
    assert response["Location"] == "/mijn/zelftesten/"
    session.refresh_from_db()
    assert session.account == account
    # the code no longer opens it for anyone else, and the owner sees the result
    assert portal_services.selftest_find_by_code(session.resume_code) is None
    assert citizen.get(f"/zelftesten/test/{session.uuid}/uitslag/").status_code == 200
    assert Client().get(f"/zelftesten/test/{session.uuid}/uitslag/").status_code == 404
    html = citizen.get("/mijn/zelftesten/").content.decode()
    assert "Klaar" in html and "Uitslag als PDF" in html


def test_a_test_of_another_account_cannot_be_claimed_or_removed(citizen):
    theirs = portal_services.selftest_start(
        kind="waarden", desk=None, account=CitizenAccountFactory()
    )
    assert citizen.post("/mijn/zelftesten/", {"code": theirs.resume_code}).status_code == 404
    assert citizen.post(f"/mijn/zelftesten/{theirs.uuid}/verwijderen/").status_code == 404
    assert SelfTestSession.objects.filter(pk=theirs.pk).exists()


def test_removing_a_test_and_tests_in_an_account_outlive_the_purge(citizen, account):
    mine = portal_services.selftest_start(kind="waarden", desk=None, account=account)
    anonymous = portal_services.selftest_start(kind="waarden", desk=None)
    later = timezone.now() + datetime.timedelta(days=31)
    assert portal_services.selftest_purge_expired(now=later) == (1, 0)
    assert SelfTestSession.objects.filter(pk=mine.pk).exists()
    assert not SelfTestSession.objects.filter(pk=anonymous.pk).exists()

    citizen.post(f"/mijn/zelftesten/{mine.uuid}/verwijderen/")
    assert not SelfTestSession.objects.exists()


def test_selftest_list_is_paginated(citizen, account):
    for _n in range(12):
        portal_services.selftest_start(kind="waarden", desk=None, account=account)
    first = citizen.get("/mijn/zelftesten/")
    assert len(first.context["rows"]) == 10
    assert "Paginering" in first.content.decode()
    assert len(citizen.get("/mijn/zelftesten/?pagina=2").context["rows"]) == 2


# -- saved offers --------------------------------------------------------------------------------


def test_the_offer_page_offers_saving_to_a_logged_in_citizen_and_login_to_others(citizen, account):
    offer = make_offer("Mbo Verpleegkunde")
    url = f"/opleidingen/{offer.uuid}/"
    anonymous = Client().get(url).content.decode()
    assert f"/mijn/inloggen/?next=/opleidingen/{offer.uuid}/" in anonymous
    assert "Bewaar in Mijn Leerwerkloket" not in anonymous

    page = citizen.get(url).content.decode()
    assert "Bewaar in Mijn Leerwerkloket" in page
    response = citizen.post(f"/mijn/opleidingen/{offer.uuid}/bewaren/", {"next": url})
    assert response["Location"] == url
    assert SavedOffer.objects.filter(account=account, offer=offer).count() == 1
    citizen.post(f"/mijn/opleidingen/{offer.uuid}/bewaren/", {"next": url})  # twice: still one
    assert SavedOffer.objects.filter(account=account).count() == 1
    assert "Niet meer bewaren" in citizen.get(url).content.decode()

    listing = citizen.get("/mijn/opleidingen/").content.decode()
    assert "Mbo Verpleegkunde" in listing
    citizen.post(f"/mijn/opleidingen/{offer.uuid}/verwijderen/")
    assert not SavedOffer.objects.exists()
    assert "nog geen opleidingen bewaard" in citizen.get("/mijn/opleidingen/").content.decode()


def test_saving_never_redirects_off_site_and_refuses_inactive_offers(citizen):
    offer = make_offer("Heftruck")
    response = citizen.post(
        f"/mijn/opleidingen/{offer.uuid}/bewaren/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/opleidingen/{offer.uuid}/"
    gone = make_offer("Oud", is_active=False)
    citizen.post(f"/mijn/opleidingen/{gone.uuid}/bewaren/")
    assert not SavedOffer.objects.filter(offer=gone).exists()
    assert citizen.get(f"/mijn/opleidingen/{gone.uuid}/bewaren/").status_code == 405


def test_saving_needs_a_citizen_login_and_csrf(account):
    offer = make_offer("Schilder")
    anonymous = Client().post(f"/mijn/opleidingen/{offer.uuid}/bewaren/")
    assert anonymous.status_code == 302
    strict = logged_in(account, Client(enforce_csrf_checks=True))
    assert strict.post(f"/mijn/opleidingen/{offer.uuid}/bewaren/").status_code == 403
    assert not SavedOffer.objects.exists()


# -- appointments --------------------------------------------------------------------------------


def test_booking_while_logged_in_lists_the_appointment(
    citizen, account, desk_a, django_capture_on_commit_callbacks
):
    slot = SlotFactory(block__desk=desk_a)
    form = citizen.get(f"/loketten/{desk_a.slug}/afspraak/{slot.uuid}/")
    assert form.context["form"].initial["email"] == account.email
    with django_capture_on_commit_callbacks(execute=True):
        citizen.post(
            f"/loketten/{desk_a.slug}/afspraak/{slot.uuid}/",
            {
                "theme": "career_advice",
                "given_name": "Jan",
                "family_name": "Burger",
                "email": account.email,
                "phone": "",
                "question": "",
                "consent": "on",
            },
        )
    appointment = Appointment.objects.get()
    assert appointment.account == account

    response = citizen.get("/mijn/afspraken/")
    assert response.context["upcoming"][0]["appointment"] == appointment
    assert "/afspraak/" in response.context["upcoming"][0]["manage_url"]
    assert "Afzeggen of verzetten" in response.content.decode()


def test_appointments_of_linked_files_show_and_others_do_not(citizen, account, linked, desk_a):
    past_slot = SlotFactory(
        block__desk=desk_a,
        block__date=timezone.localdate() - datetime.timedelta(days=3),
    )
    of_file = AppointmentFactory(
        slot=past_slot, client=linked.client, status=AppointmentStatus.COMPLETED
    )
    AppointmentFactory(slot=SlotFactory(block__desk=desk_a))  # someone else's
    response = citizen.get("/mijn/afspraken/")
    assert response.context["upcoming"] == []
    assert list(response.context["past"]) == [of_file]
    assert "U heeft geen afspraken gepland" in response.content.decode()


# -- consent -------------------------------------------------------------------------------------


def test_consent_page_without_a_linked_file_explains_how_to_link(citizen):
    html = citizen.get("/mijn/toestemming/").content.decode()
    assert "nog geen dossier van een leerwerkloket gekoppeld" in html


def test_giving_and_withdrawing_consent_as_the_citizen(citizen, linked):
    page = citizen.get("/mijn/toestemming/")
    assert [line.purpose for line in page.context["files"][0].lines] == list(ConsentPurpose.values)

    citizen.post(
        "/mijn/toestemming/",
        {"dossier": str(linked.uuid), "purpose": "satisfaction_survey", "action": "geven"},
    )
    consent = Consent.objects.current().get(client=linked.client)
    assert consent.source == "Mijn Leerwerkloket"
    assert consent.recorded_by is None
    event = AuditEvent.objects.get(action="consent.give")
    assert event.actor_id is None
    assert event.desk_id == linked.desk_id
    assert event.detail == {
        "purpose": "satisfaction_survey",
        "by": "client",
        "account": str(linked.account.uuid),
    }

    citizen.post(
        "/mijn/toestemming/",
        {"dossier": str(linked.uuid), "purpose": "satisfaction_survey", "action": "intrekken"},
    )
    assert not has_consent(linked.client, ConsentPurpose.SATISFACTION_SURVEY)  # at once
    assert AuditEvent.objects.filter(action="consent.withdraw", detail__by="client").exists()


def test_follow_up_consent_needs_a_period(citizen, linked):
    response = citizen.post(
        "/mijn/toestemming/",
        {"dossier": str(linked.uuid), "purpose": "follow_up", "action": "geven"},
    )
    assert response.status_code == 400
    assert "Kies na hoeveel maanden" in response.content.decode()
    citizen.post(
        "/mijn/toestemming/",
        {
            "dossier": str(linked.uuid),
            "purpose": "follow_up",
            "action": "geven",
            "follow_up_after_months": "6",
        },
    )
    assert Consent.objects.current().get(client=linked.client).follow_up_after_months == 6


def test_consent_of_a_file_that_is_not_linked_to_me_is_refused(citizen, linked, desk_b):
    other = ClientLinkFactory(client=ClientFactory(desk=desk_b))
    revoked = ClientLinkFactory(account=linked.account, revoked_at=timezone.now())
    for link in (other, revoked):
        response = citizen.post(
            "/mijn/toestemming/",
            {"dossier": str(link.uuid), "purpose": "contact", "action": "geven"},
        )
        assert response.status_code == 404
    assert not Consent.objects.exists()
    assert citizen.post("/mijn/toestemming/", {"dossier": "geen-uuid"}).status_code == 404


def test_a_citizen_actor_never_passes_a_staff_check(account, linked, desk_a):
    from leerwerk.clients.models import Client as ClientModel
    from leerwerk.core.access import access_for
    from leerwerk.core.policies import policy_for

    assert not access_for(account).is_authenticated
    assert not ClientModel.objects.for_user(account).exists()
    assert not policy_for(ClientModel).can(account, "view", linked.client)


def test_a_link_to_a_merged_duplicate_is_no_longer_shown(account, desk_a, manager_a):
    from leerwerk.clients import privacy

    duplicate = ClientLinkFactory(client=ClientFactory(desk=desk_a), account=account).client
    keep = ClientFactory(desk=desk_a)
    citizen = logged_in(account)
    assert len(citizen.get("/mijn/toestemming/").context["files"]) == 1
    privacy.client_merge(actor=manager_a, keep=keep, duplicate=duplicate)
    assert citizen.get("/mijn/toestemming/").context["files"] == []


# -- download all my data ------------------------------------------------------------------------


def test_download_holds_everything_and_is_audited(citizen, account, linked, desk_a):
    session = portal_services.selftest_start(kind="waarden", desk=None, account=account)
    _answer_all(session)
    SavedOffer.objects.create(account=account, offer=make_offer("Kok"))
    AppointmentFactory(slot=SlotFactory(block__desk=desk_a), account=account, question="Vraag")
    ConsentFactory(client=linked.client, purpose=ConsentPurpose.CONTACT)

    assert "Download mijn gegevens" in citizen.get("/mijn/gegevens-downloaden/").content.decode()
    response = citizen.get("/mijn/gegevens-downloaden/mijn-gegevens.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == account.email
    assert data["self_tests"][0]["kind"] == "waarden"
    assert data["self_tests"][0]["result"]["scores"]
    assert data["saved_offers"][0]["title"] == "Kok"
    assert data["appointments"][0]["question"] == "Vraag"
    assert data["links"][0]["desk"] == linked.desk.display_name
    file = data["client_files"][0]["file"]
    assert file["client"]["given_name"] == "Jan"
    assert file["consents"][0]["purpose"] == "contact"
    assert file["mijn_leerwerkloket"]["links"][0]["account_email"] == account.email
    assert AuditEvent.objects.filter(action="mijn.account.export").exists()
    export_event = AuditEvent.objects.get(action="client.export")
    assert export_event.detail["by"] == "client"
    assert export_event.object_uuid == linked.client.uuid


# -- delete my account ---------------------------------------------------------------------------


def test_delete_page_explains_that_the_file_is_separate(citizen, linked):
    html = citizen.get("/mijn/account-verwijderen/").content.decode()
    assert "Uw dossier bij het loket is apart van uw account" in html
    assert "Vraag het loket ook mijn dossier te verwijderen" in html


def test_deleting_needs_the_password(citizen, account):
    response = citizen.post("/mijn/account-verwijderen/", {"password": "fout"})
    assert response.status_code == 400
    assert "Dit wachtwoord klopt niet" in response.content.decode()
    empty = citizen.post("/mijn/account-verwijderen/", {"password": ""})
    assert empty.status_code == 400
    assert CitizenAccount.objects.filter(pk=account.pk).exists()


def test_deleting_removes_what_it_says_and_keeps_the_desk_file(
    citizen, account, linked, desk_a, django_capture_on_commit_callbacks
):
    portal_services.selftest_start(kind="waarden", desk=None, account=account)
    SavedOffer.objects.create(account=account, offer=make_offer("Timmerman"))
    appointment = AppointmentFactory(slot=SlotFactory(block__desk=desk_a), account=account)
    other_test = portal_services.selftest_start(kind="waarden", desk=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post("/mijn/account-verwijderen/", {"password": PASSWORD})

    assert response["Location"] == "/mijn/account-verwijderd/"
    assert not CitizenAccount.objects.filter(pk=account.pk).exists()
    assert list(SelfTestSession.objects.all()) == [other_test]
    assert not SavedOffer.objects.exists()
    appointment.refresh_from_db()
    assert appointment.account is None  # the desk keeps the appointment
    linked.refresh_from_db()
    assert linked.account is None and linked.revoked_at is not None
    linked.client.refresh_from_db()
    assert not linked.client.is_erased  # the desk's file is separate
    assert not ErasureRequest.objects.exists()
    assert citizen.get("/mijn/").status_code == 302  # logged out
    assert mail.outbox[-1].to == [account.email]
    assert AuditEvent.objects.filter(
        action="mijn.account.delete", object_uuid=account.uuid
    ).exists()


def test_deleting_can_ask_the_desk_to_erase_the_file(citizen, account, linked):
    citizen.post("/mijn/account-verwijderen/", {"password": PASSWORD, "ask_erasure": "on"})
    request = ErasureRequest.objects.get()
    assert (request.client, request.desk, request.handled_at) == (
        linked.client,
        linked.desk,
        None,
    )
    assert AuditEvent.objects.filter(
        action="mijn.erasure_request.create", desk_id=linked.desk_id
    ).exists()


def test_deleting_with_a_mailed_link_once(account, linked, django_capture_on_commit_callbacks):
    client = logged_in(account)
    client.post("/mijn/account-verwijderen/", {"actie": "link"})
    link = link_in_mail(path="/mijn/account-verwijderen/")
    anonymous = Client()  # the link itself is the proof, also in another browser
    assert anonymous.get(link).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(link, {"ask_erasure": "on"})
    assert response["Location"] == "/mijn/account-verwijderd/"
    assert not CitizenAccount.objects.exists()
    assert ErasureRequest.objects.count() == 1
    assert Client().get(link).status_code == 400
    assert not ClientLink.objects.filter(account__isnull=False).exists()


# -- lists do not grow queries with their items --------------------------------------------------


@pytest.mark.parametrize("path", ["/mijn/opleidingen/", "/mijn/afspraken/", "/mijn/zelftesten/"])
def test_list_pages_use_a_fixed_number_of_queries(
    citizen, account, desk_a, path, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_items(count: int) -> None:
        for n in range(count):
            SavedOffer.objects.create(account=account, offer=make_offer(f"Opleiding {n}"))
            AppointmentFactory(slot=SlotFactory(block__desk=desk_a), account=account)
            portal_services.selftest_start(kind="waarden", desk=desk_a, account=account)

    add_items(1)
    with CaptureQueriesContext(connection) as one:
        assert citizen.get(path).status_code == 200
    add_items(5)
    with django_assert_num_queries(len(one.captured_queries)):
        assert citizen.get(path).status_code == 200
