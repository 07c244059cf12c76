"""The public pages through HTTP: booking, the signed link (cancel, reschedule, tampering),
events per desk and nationally, registration, and the abuse guards (honeypot, rate limit)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leerwerk.agenda import tokens
from leerwerk.agenda.constants import AppointmentStatus, EventRegistrationStatus
from leerwerk.agenda.models import Appointment, EventRegistration
from leerwerk.agenda.tests.factories import (
    AppointmentFactory,
    EventFactory,
    EventRegistrationFactory,
    SlotFactory,
    tomorrow_at,
)

FORM = {
    "theme": "career_advice",
    "question": "Ik wil iets anders gaan doen.",
    "given_name": "Testburger",
    "family_name": "Voorbeeld",
    "email": "test.burger@example.test",
    "phone": "",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()


@pytest.fixture
def slots_a(desk_a):
    block_slot = SlotFactory(block__desk=desk_a)
    later = SlotFactory(
        block=block_slot.block,
        starts_at=block_slot.starts_at + datetime.timedelta(minutes=30),
        ends_at=block_slot.ends_at + datetime.timedelta(minutes=30),
    )
    return block_slot, later


def _manage_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/afspraak/[^\s]+/)", message.body).group(1)


def test_the_desk_page_links_to_booking_and_events(desk_a):
    response = Client().get(reverse("public:desk_detail", args=[desk_a.slug]))
    html = response.content.decode()
    assert reverse("agenda_public:slot_list", args=[desk_a.slug]) in html
    assert reverse("agenda_public:event_list", args=[desk_a.slug]) in html


def test_free_slots_are_listed_and_taken_ones_are_not(
    desk_a, slots_a, django_assert_max_num_queries
):
    first, second = slots_a
    AppointmentFactory(slot=first)
    with django_assert_max_num_queries(4):
        response = Client().get(reverse("agenda_public:slot_list", args=[desk_a.slug]))
    html = response.content.decode()
    assert str(second.uuid) in html and str(first.uuid) not in html


def test_slot_pages_of_another_desk_and_unknown_desks_are_404(desk_a, desk_b, slots_a):
    first, _ = slots_a
    client = Client()
    assert (
        client.get(reverse("agenda_public:book", args=[desk_b.slug, first.uuid])).status_code == 404
    )
    assert client.get("/loketten/bestaat-niet/afspraak/").status_code == 404


def test_booking_through_the_website(desk_a, slots_a, django_capture_on_commit_callbacks):
    first, _ = slots_a
    client = Client()
    url = reverse("agenda_public:book", args=[desk_a.slug, first.uuid])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, FORM, follow=True)
    assert response.status_code == 200
    assert "Uw afspraak is gemaakt" in response.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.slot == first and appointment.status == AppointmentStatus.BOOKED
    assert len(mail.outbox) == 1
    # the slot is gone from the list and its page says so
    assert client.get(url).status_code == 404


def test_booking_validation_messages_are_dutch(desk_a, slots_a):
    first, _ = slots_a
    url = reverse("agenda_public:book", args=[desk_a.slug, first.uuid])
    response = Client().post(url, {**FORM, "email": "fout", "consent": "", "theme": ""})
    html = response.content.decode()
    assert "Vul een goed e-mailadres in" in html
    assert "Zet een vinkje" in html
    assert "Kies waar u over wilt praten" in html
    assert not Appointment.objects.exists()


def test_the_honeypot_saves_nothing(desk_a, slots_a):
    first, _ = slots_a
    url = reverse("agenda_public:book", args=[desk_a.slug, first.uuid])
    response = Client().post(url, {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Appointment.objects.exists()


def test_public_forms_are_rate_limited(desk_a, settings):
    settings.LEERWERK_AGENDA_PUBLIC_LIMIT = 2
    event = EventFactory(desk=desk_a, capacity=10)
    url = reverse("agenda_public:event_detail", args=[desk_a.slug, event.uuid])
    client = Client()
    for n in range(2):
        data = {**FORM, "email": f"p{n}@example.test"}
        assert client.post(url, data).status_code == 302
    response = client.post(url, {**FORM, "email": "p9@example.test"})
    assert response.status_code == 429
    assert "Even wachten" in response.content.decode()
    assert EventRegistration.objects.count() == 2


def test_forms_need_the_csrf_token(desk_a, slots_a):
    first, _ = slots_a
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("agenda_public:book", args=[desk_a.slug, first.uuid]), FORM)
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_the_link_in_the_mail_cancels(desk_a, slots_a, django_capture_on_commit_callbacks):
    first, _ = slots_a
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agenda_public:book", args=[desk_a.slug, first.uuid]), FORM)
    link = _manage_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "Zeg de afspraak af" in page.content.decode()
    response = client.post(link, {"actie": "afzeggen"}, follow=True)
    assert "Uw afspraak is afgezegd" in response.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED


def test_the_link_in_the_mail_reschedules(desk_a, slots_a, django_capture_on_commit_callbacks):
    first, second = slots_a
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agenda_public:book", args=[desk_a.slug, first.uuid]), FORM)
    link = _manage_link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"actie": "verzetten", "tijdstip": str(second.uuid)})
    assert response.status_code == 302
    new = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert new.slot == second
    assert len(mail.outbox) == 2  # a new confirmation with a new link
    # the old link now shows a cancelled appointment that cannot be changed again
    old_page = client.get(link).content.decode()
    assert "verzet" in old_page and "Zeg de afspraak af" not in old_page


def test_reschedule_to_a_bad_choice_gives_a_clear_message(desk_a, slots_a):
    first, _ = slots_a
    appointment = AppointmentFactory(slot=first)
    token = tokens.make_token(
        purpose=tokens.APPOINTMENT, uuid_=appointment.uuid, expires_at=first.starts_at
    )
    url = reverse("agenda_public:appointment_manage", args=[token])
    response = Client().post(url, {"actie": "verzetten", "tijdstip": "geen-uuid"})
    assert response.status_code == 400
    assert "niet meer vrij" in response.content.decode()


@pytest.mark.parametrize("kind", ["appointment", "event"])
def test_a_tampered_link_gets_a_clear_error_page(desk_a, slots_a, kind):
    if kind == "appointment":
        target = AppointmentFactory(slot=slots_a[0])
        purpose, name = tokens.APPOINTMENT, "agenda_public:appointment_manage"
    else:
        target = EventRegistrationFactory(event__desk=desk_a)
        purpose, name = tokens.EVENT_REGISTRATION, "agenda_public:registration_cancel"
    token = tokens.make_token(purpose=purpose, uuid_=target.uuid, expires_at=tomorrow_at(23))
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = Client().post(reverse(name, args=[tampered]), {"actie": "afzeggen"})
    assert response.status_code == 400
    assert "De link is niet compleet of klopt niet" in response.content.decode()
    # a token made for the other purpose does not work either
    other = (
        tokens.APPOINTMENT if purpose == tokens.EVENT_REGISTRATION else tokens.EVENT_REGISTRATION
    )
    wrong = tokens.make_token(purpose=other, uuid_=target.uuid, expires_at=tomorrow_at(23))
    assert Client().get(reverse(name, args=[wrong])).status_code == 400


def test_an_expired_link_says_so(desk_a):
    past = timezone.now() - datetime.timedelta(hours=2)
    appointment = AppointmentFactory(
        slot=SlotFactory(
            block__desk=desk_a, starts_at=past, ends_at=past + datetime.timedelta(minutes=30)
        )
    )
    token = tokens.make_token(purpose=tokens.APPOINTMENT, uuid_=appointment.uuid, expires_at=past)
    response = Client().get(reverse("agenda_public:appointment_manage", args=[token]))
    assert response.status_code == 410
    assert "al begonnen of voorbij" in response.content.decode()


# -- events --------------------------------------------------------------------------------


def test_event_lists_per_desk_and_national(desk_a, desk_b, django_assert_max_num_queries):
    mine = EventFactory(desk=desk_a, title="Open dag in Rotterdam")
    theirs = EventFactory(desk=desk_b, title="Banenmarkt Groningen")
    EventFactory(desk=desk_a, title="Nog geheim", is_published=False)
    client = Client()
    with django_assert_max_num_queries(4):
        desk_page = client.get(reverse("agenda_public:event_list", args=[desk_a.slug]))
    html = desk_page.content.decode()
    assert mine.title in html and theirs.title not in html and "Nog geheim" not in html
    with django_assert_max_num_queries(4):
        national = client.get(reverse("agenda_public:national_event_list")).content.decode()
    assert mine.title in national and theirs.title in national and "Nog geheim" not in national


def test_the_event_lists_are_paged(desk_a):
    from leerwerk.agenda.views_public import EVENTS_PER_PAGE

    start = tomorrow_at(10)
    for number in range(EVENTS_PER_PAGE + 3):
        when = start + datetime.timedelta(days=number)
        EventFactory(
            desk=desk_a,
            title=f"Workshop {number:02d}",
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=1),
        )
    client = Client()
    first = client.get(reverse("agenda_public:national_event_list")).content.decode()
    second = client.get(
        reverse("agenda_public:national_event_list"), {"pagina": 2}
    ).content.decode()
    assert "Workshop 00" in first and f"Workshop {EVENTS_PER_PAGE - 1:02d}" in first
    assert f"Workshop {EVENTS_PER_PAGE:02d}" not in first
    assert f"Workshop {EVENTS_PER_PAGE:02d}" in second and "Workshop 00" not in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_event_detail_of_another_desk_or_unpublished_is_404(desk_a, desk_b):
    event = EventFactory(desk=desk_a)
    draft = EventFactory(desk=desk_a, is_published=False)
    client = Client()
    assert (
        client.get(
            reverse("agenda_public:event_detail", args=[desk_b.slug, event.uuid])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("agenda_public:event_detail", args=[desk_a.slug, draft.uuid])
        ).status_code
        == 404
    )


def test_registering_for_an_event_and_for_the_waiting_list(
    desk_a, django_capture_on_commit_callbacks
):
    event = EventFactory(desk=desk_a, capacity=1)
    url = reverse("agenda_public:event_detail", args=[desk_a.slug, event.uuid])
    client = Client()
    assert "Meld mij aan" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {**FORM, "email": "een@example.test"}, follow=True)
    assert "U bent aangemeld" in first.content.decode()
    page = client.get(url).content.decode()
    assert "Zet mij op de wachtlijst" in page
    second = client.post(url, {**FORM, "email": "twee@example.test"}, follow=True)
    assert "U staat op de wachtlijst" in second.content.decode()
    assert list(event.registrations.values_list("status", flat=True).order_by("id")) == [
        EventRegistrationStatus.REGISTERED,
        EventRegistrationStatus.WAITING,
    ]
    duplicate = client.post(url, {**FORM, "email": "een@example.test"})
    assert "Met dit e-mailadres bent u al aangemeld" in duplicate.content.decode()


def test_cancel_link_for_an_event_registration(desk_a, django_capture_on_commit_callbacks):
    event = EventFactory(desk=desk_a, capacity=1)
    url = reverse("agenda_public:event_detail", args=[desk_a.slug, event.uuid])
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**FORM, "email": "een@example.test"})
        client.post(url, {**FORM, "email": "twee@example.test"})
    link = re.search(r"(/activiteiten/afmelden/[^\s]+/)", mail.outbox[0].body).group(1)
    assert "Meld mij af" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, follow=True)
    assert "U bent afgemeld" in response.content.decode()
    promoted = EventRegistration.objects.get(email="twee@example.test")
    assert promoted.status == EventRegistrationStatus.REGISTERED
    assert any("plaats vrij" in m.subject and m.to == ["twee@example.test"] for m in mail.outbox)
