"""Staff pages through HTTP: the day's appointments, availability, attendance, events and the
door; another desk gets 404, the national team sees nothing personal, access is audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.agenda.constants import AppointmentStatus, EventRegistrationStatus
from leerwerk.agenda.models import AvailabilityBlock, Event
from leerwerk.agenda.tests.factories import (
    AppointmentFactory,
    AvailabilityBlockFactory,
    EventFactory,
    EventRegistrationFactory,
    SlotFactory,
    earlier_today,
)
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import RegistrationStatus


@pytest.fixture
def today_appointment(desk_a, adviser_a):
    start = earlier_today(minutes=30)
    slot = SlotFactory(
        block__desk=desk_a,
        block__adviser=adviser_a,
        block__date=timezone.localdate(start),
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
    )
    return AppointmentFactory(slot=slot, given_name="Vandaag", email="vandaag@example.test")


def _pages(desk, appointment, event, registration, block):
    """Every staff page of the agenda, with the method that reaches it."""
    return [
        ("get", reverse("agenda:desk_agenda", args=[desk.uuid])),
        ("get", reverse("agenda:availability", args=[desk.uuid])),
        ("post", reverse("agenda:availability_delete", args=[block.uuid])),
        ("get", reverse("agenda:appointment_detail", args=[appointment.uuid])),
        ("get", reverse("agenda:event_list", args=[desk.uuid])),
        ("get", reverse("agenda:event_create", args=[desk.uuid])),
        ("get", reverse("agenda:event_detail", args=[event.uuid])),
        ("get", reverse("agenda:event_edit", args=[event.uuid])),
        ("get", reverse("agenda:event_door", args=[event.uuid])),
        ("post", reverse("agenda:event_counter", args=[event.uuid])),
        ("post", reverse("agenda:registration_check_in", args=[registration.uuid])),
        ("post", reverse("agenda:registration_cancel", args=[registration.uuid])),
    ]


@pytest.fixture
def desk_a_objects(desk_a, today_appointment):
    event = EventFactory(desk=desk_a)
    registration = EventRegistrationFactory(event=event)
    block = AvailabilityBlockFactory(desk=desk_a)
    return _pages(desk_a, today_appointment, event, registration, block)


def test_every_page_works_for_the_desks_own_adviser(client_for, adviser_a, desk_a_objects):
    client = client_for(adviser_a)
    for method, url in desk_a_objects:
        if method == "get":
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["adviser_b", "national_user", "ministry_user"])
def test_another_desk_and_the_national_team_get_404_everywhere(
    request, client_for, desk_a_objects, who
):
    client = client_for(request.getfixturevalue(who))
    for method, url in desk_a_objects:
        response = getattr(client, method)(url, {"teller": "walk_ins"})
        assert response.status_code == 404, (who, url, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(client, desk_a_objects):
    for method, url in desk_a_objects:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/account/" in response["Location"], url


def test_the_days_appointments_are_listed_and_access_is_audited(
    client_for, adviser_a, desk_a, today_appointment, django_assert_max_num_queries
):
    for _ in range(3):
        AppointmentFactory(
            slot=SlotFactory(
                block=today_appointment.slot.block,
                starts_at=today_appointment.slot.starts_at + datetime.timedelta(hours=1 + _),
                ends_at=today_appointment.slot.ends_at + datetime.timedelta(hours=1 + _),
            )
        )
    client = client_for(adviser_a)
    url = reverse("agenda:desk_agenda", args=[desk_a.uuid])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert "Vandaag Voorbeeld" in html
    assert AuditEvent.objects.filter(action="appointment.list", desk_id=desk_a.pk).exists()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    other_day = client.get(url, {"datum": tomorrow.isoformat()}).content.decode()
    assert "Vandaag Voorbeeld" not in other_day


def test_publishing_availability(client_for, adviser_a, desk_a):
    client = client_for(adviser_a)
    url = reverse("agenda:availability", args=[desk_a.uuid])
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        url,
        {
            "adviser": adviser_a.pk,
            "mode": "video",
            "date": day.isoformat(),
            "start_time": "13:00",
            "end_time": "14:00",
            "slot_minutes": "30",
        },
    )
    assert response.status_code == 302
    block = AvailabilityBlock.objects.get(desk=desk_a)
    assert block.slots.count() == 2
    bad = client.post(
        url,
        {
            "adviser": adviser_a.pk,
            "mode": "location",
            "date": day.isoformat(),
            "start_time": "15:00",
            "end_time": "14:00",
            "slot_minutes": "5",
        },
    ).content.decode()
    assert "De eindtijd moet na de begintijd liggen" in bad
    assert "minstens 10 minuten" in bad


def test_registering_a_no_show_through_the_page(client_for, adviser_a, today_appointment):
    client = client_for(adviser_a)
    url = reverse("agenda:appointment_detail", args=[today_appointment.uuid])
    assert AuditEvent.objects.filter(action="appointment.view").count() == 0
    page = client.get(url).content.decode()
    assert "Niet verschenen" in page
    assert AuditEvent.objects.filter(action="appointment.view").count() == 1
    response = client.post(url, {"actie": "niet_verschenen", "conversation_type": ""}, follow=True)
    assert "niet verschenen" in response.content.decode()
    today_appointment.refresh_from_db()
    assert today_appointment.status == AppointmentStatus.NO_SHOW
    assert today_appointment.registration.status == RegistrationStatus.NO_SHOW
    assert today_appointment.client.email == "vandaag@example.test"


def test_creating_and_editing_an_event(client_for, adviser_a, desk_a):
    client = client_for(adviser_a)
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=5)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    data = {
        "title": "Banenmarkt zorg",
        "kind": "job_fair",
        "description": "Kom langs bij onze stand.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Ahoy, hal 2",
        "capacity": "50",
        "registration_open": "on",
        "is_published": "on",
    }
    response = client.post(reverse("agenda:event_create", args=[desk_a.uuid]), data)
    assert response.status_code == 302
    event = Event.objects.get(desk=desk_a)
    assert event.is_published and event.capacity == 50
    edit = reverse("agenda:event_edit", args=[event.uuid])
    response = client.post(edit, {**data, "capacity": "60", "version": str(event.version)})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 60
    stale = client.post(edit, {**data, "capacity": "70", "version": "1"})
    assert stale.status_code == 400
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.content.decode()
    invalid = client.post(reverse("agenda:event_create", args=[desk_a.uuid]), {**data, "title": ""})
    assert "Vul een titel in" in invalid.content.decode()


def test_check_in_with_htmx_returns_the_row_and_updates_the_counters(client_for, adviser_a, desk_a):
    event = EventFactory(desk=desk_a)
    registration = EventRegistrationFactory(event=event, given_name="Anna")
    client = client_for(adviser_a)
    url = reverse("agenda:registration_check_in", args=[registration.uuid])
    response = client.post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="rij-{registration.uuid}"' in html and "Binnen om" in html
    assert 'hx-swap-oob="true"' in html and "Anna Voorbeeld is binnen." in html
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    # without JavaScript the same button works and returns to the door page
    undo = client.post(url, {"ongedaan": "1"})
    assert undo.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_counters_on_the_door_page(client_for, adviser_a, desk_a):
    event = EventFactory(desk=desk_a)
    client = client_for(adviser_a)
    url = reverse("agenda:event_counter", args=[event.uuid])
    client.post(url, {"teller": "walk_ins"}, HTTP_HX_REQUEST="true")
    response = client.post(url, {"teller": "stand_conversations"}, HTTP_HX_REQUEST="true")
    assert 'id="tellers"' in response.content.decode()
    client.post(url, {"teller": "walk_ins"})
    client.post(url, {"teller": "walk_ins", "richting": "min"})
    event.refresh_from_db()
    assert (event.walk_ins, event.stand_conversations) == (1, 1)
    detail = client.get(reverse("agenda:event_detail", args=[event.uuid])).content.decode()
    assert "Bezoekers (binnen + zonder aanmelding)" in detail


def test_staff_cancel_a_registration_and_the_waiting_list_moves_up(client_for, adviser_a, desk_a):
    event = EventFactory(desk=desk_a, capacity=1)
    placed = EventRegistrationFactory(event=event)
    waiting = EventRegistrationFactory(event=event, status=EventRegistrationStatus.WAITING)
    client = client_for(adviser_a)
    client.post(reverse("agenda:registration_cancel", args=[placed.uuid]))
    waiting.refresh_from_db()
    assert waiting.status == EventRegistrationStatus.REGISTERED


def test_the_desk_navigation_links_to_the_agenda(client_for, adviser_a, desk_a):
    html = (
        client_for(adviser_a).get(reverse("staff:desk_detail", args=[desk_a.uuid])).content.decode()
    )
    assert reverse("agenda:desk_agenda", args=[desk_a.uuid]) in html
