"""Events through the services: creating, registering with capacity and a waiting list,
promotion when someone cancels, check-in, walk-ins and stand conversations, and the three
figures for the reports."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from leerwerk.agenda import selectors, services
from leerwerk.agenda.constants import EventKind, EventRegistrationStatus
from leerwerk.agenda.models import Event
from leerwerk.agenda.tests.factories import EventFactory, EventRegistrationFactory, tomorrow_at
from leerwerk.core.models import AuditEvent

REGISTERED, WAITING, CANCELLED = (
    EventRegistrationStatus.REGISTERED,
    EventRegistrationStatus.WAITING,
    EventRegistrationStatus.CANCELLED,
)


def register(event, n: int, **extra):
    return services.event_register(
        event=event,
        given_name=f"Deelnemer{n}",
        family_name="Voorbeeld",
        email=f"deelnemer{n}@example.test",
        consent=True,
        base_url="https://leerwerk.test",
        **extra,
    )


# -- creating ------------------------------------------------------------------------------


def test_staff_create_an_event_for_their_own_desk_only(desk_a, adviser_a, adviser_b):
    values = {
        "title": "Werken in de zorg",
        "kind": EventKind.GROUP_SESSION,
        "starts_at": tomorrow_at(14),
        "ends_at": tomorrow_at(16),
        "venue": "Buurthuis De Brug",
        "capacity": 12,
    }
    event = services.event_create(actor=adviser_a, desk=desk_a, **values)
    assert event.desk == desk_a and not event.is_published
    with pytest.raises(PermissionDenied):
        services.event_create(actor=adviser_b, desk=desk_a, **values)


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"ends_at": tomorrow_at(13)}, "ends_at", "na het begin"),
        ({"venue": ""}, "location", "vestiging"),
        ({"kind": EventKind.ONLINE}, "online_url", "link"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at", "toekomst"),
    ],
)
def test_event_validation_messages_are_dutch(desk_a, adviser_a, change, field, text):
    values = {
        "title": "Werken in de zorg",
        "kind": EventKind.WORKSHOP,
        "starts_at": tomorrow_at(14),
        "ends_at": tomorrow_at(16),
        "venue": "Buurthuis De Brug",
        "capacity": 12,
        **change,
    }
    with pytest.raises(ValidationError) as exc:
        services.event_create(actor=adviser_a, desk=desk_a, **values)
    assert text in " ".join(exc.value.message_dict[field])


# -- registration, capacity, waiting list --------------------------------------------------


def test_places_first_then_the_waiting_list(desk_a, django_capture_on_commit_callbacks):
    event = EventFactory(desk=desk_a, capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [register(event, n).status for n in range(3)]
    assert statuses == [REGISTERED, REGISTERED, WAITING]
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0].startswith("U bent aangemeld") and subjects[2].startswith("U staat op de")
    # a place comes with a calendar file; the waiting list without
    assert len(mail.outbox[0].attachments) == 1 and not mail.outbox[2].attachments
    [item] = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")
    assert str(item.get("summary")) == event.title
    assert item.decoded("dtstart") == event.starts_at
    assert "/activiteiten/afmelden/" in mail.outbox[0].body


def test_cancelling_a_place_promotes_the_first_on_the_waiting_list_with_mail(
    desk_a, django_capture_on_commit_callbacks
):
    event = EventFactory(desk=desk_a, capacity=1)
    first = register(event, 1)
    second = register(event, 2)
    third = register(event, 3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.event_registration_cancel(registration=first)

    for registration in (first, second, third):
        registration.refresh_from_db()
    assert (first.status, second.status, third.status) == (CANCELLED, REGISTERED, WAITING)
    assert second.promoted_at is not None
    promoted = [m for m in mail.outbox if m.to == [second.email]]
    assert len(promoted) == 1 and "plaats vrij" in promoted[0].subject
    assert AuditEvent.objects.filter(action="event.registration.promote").count() == 1


def test_cancelling_from_the_waiting_list_promotes_nobody(desk_a):
    event = EventFactory(desk=desk_a, capacity=1)
    first = register(event, 1)
    waiting = register(event, 2)
    services.event_registration_cancel(registration=waiting)
    first.refresh_from_db()
    assert first.status == REGISTERED
    assert event.registrations.filter(status=REGISTERED).count() == 1
    with pytest.raises(ValidationError, match="al afgemeld"):
        services.event_registration_cancel(registration=waiting)


def test_more_places_take_people_off_the_waiting_list_fewer_than_taken_is_refused(
    desk_a, adviser_a
):
    event = EventFactory(desk=desk_a, capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    services.event_update(actor=adviser_a, event=event, expected_version=1, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == REGISTERED
    with pytest.raises(ValidationError, match="al 2 mensen aangemeld"):
        services.event_update(actor=adviser_a, event=event, expected_version=2, capacity=1)


def test_registration_rules(desk_a):
    event = EventFactory(desk=desk_a)
    register(event, 1)
    with pytest.raises(ValidationError, match="al aangemeld"):
        register(event, 1)
    with pytest.raises(ValidationError) as exc:
        services.event_register(
            event=event, given_name="A", family_name="B", email="c@example.test", consent=False
        )
    assert "toestemming" in exc.value.message_dict["consent"][0]
    closed = EventFactory(desk=desk_a, registration_open=False)
    with pytest.raises(ValidationError, match="kan niet meer"):
        register(closed, 2)
    draft = EventFactory(desk=desk_a, is_published=False)
    with pytest.raises(ValidationError, match="niet aanmelden"):
        register(draft, 3)


def test_a_cancelled_person_may_register_again(desk_a):
    event = EventFactory(desk=desk_a)
    first = register(event, 1)
    services.event_registration_cancel(registration=first)
    again = register(event, 1)
    assert again.status == REGISTERED


# -- at the door ---------------------------------------------------------------------------


def test_check_in_walk_ins_and_stand_conversations(desk_a, adviser_a, adviser_b):
    event = EventFactory(desk=desk_a, kind=EventKind.JOB_FAIR)
    registration = register(event, 1)
    services.event_check_in(actor=adviser_a, registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    services.event_counter_change(actor=adviser_a, event=event, counter="walk_ins", delta=1)
    services.event_counter_change(actor=adviser_a, event=event, counter="walk_ins", delta=1)
    services.event_counter_change(
        actor=adviser_a, event=event, counter="stand_conversations", delta=1
    )
    services.event_counter_change(actor=adviser_a, event=event, counter="walk_ins", delta=-1)
    event.refresh_from_db()
    assert (event.walk_ins, event.stand_conversations) == (1, 1)
    with pytest.raises(PermissionDenied):
        services.event_counter_change(actor=adviser_b, event=event, counter="walk_ins", delta=1)
    with pytest.raises(PermissionDenied):
        services.event_check_in(actor=adviser_b, registration=registration)


def test_counters_never_go_below_zero(desk_a, adviser_a):
    event = EventFactory(desk=desk_a)
    services.event_counter_change(actor=adviser_a, event=event, counter="walk_ins", delta=-1)
    event.refresh_from_db()
    assert event.walk_ins == 0


def test_only_people_with_a_place_check_in(desk_a, adviser_a):
    waiting = EventRegistrationFactory(event__desk=desk_a, status=WAITING)
    with pytest.raises(ValidationError, match="plaats heeft"):
        services.event_check_in(actor=adviser_a, registration=waiting)


# -- the three figures ---------------------------------------------------------------------


def test_event_figures_are_three_separate_numbers_per_desk(desk_a, desk_b, adviser_a):
    """Registrations, visitors (checked in + walk-ins) and stand conversations differ and are
    never merged; waiting list and cancellations are not registrations; only events that start
    in the period count; the query is one grouped query."""
    day = timezone.localdate() + datetime.timedelta(days=7)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    fair = EventFactory(
        desk=desk_a,
        kind=EventKind.JOB_FAIR,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=3,
        walk_ins=4,
        stand_conversations=9,
    )
    people = [EventRegistrationFactory(event=fair) for _ in range(3)]
    EventRegistrationFactory(event=fair, status=WAITING)
    EventRegistrationFactory(event=fair, status=CANCELLED)
    for person in people[:2]:
        person.checked_in_at = timezone.now()
        person.save()
    session = EventFactory(
        desk=desk_a, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    EventRegistrationFactory(event=session, checked_in_at=timezone.now())
    outside = EventFactory(
        desk=desk_a,
        starts_at=start + datetime.timedelta(days=40),
        ends_at=start + datetime.timedelta(days=40, hours=1),
        walk_ins=100,
    )
    EventRegistrationFactory(event=outside)
    EventFactory(desk=desk_b, starts_at=start, ends_at=start + datetime.timedelta(hours=1))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        figures = selectors.event_figures(desk_ids=[desk_a.pk, desk_b.pk], start=day, end=day)

    assert len(queries) == 1
    assert figures[desk_a.pk] == {
        "event_registrations": 4,  # 3 at the fair + 1 at the session
        "event_visitors": 7,  # 2 + 1 checked in, 4 walk-ins
        "stand_conversations": 9,
    }
    assert figures[desk_b.pk] == {
        "event_registrations": 0,
        "event_visitors": 0,
        "stand_conversations": 0,
    }
    assert selectors.event_figures(desk_ids=[desk_a.pk], start=day, end=day).keys() == {desk_a.pk}


def test_event_figures_period_boundaries_are_inclusive_local_days(desk_a):
    day = timezone.localdate() + datetime.timedelta(days=3)
    late = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30)))
    EventFactory(
        desk=desk_a, starts_at=late, ends_at=late + datetime.timedelta(hours=1), walk_ins=2
    )
    assert (
        selectors.event_figures(desk_ids=[desk_a.pk], start=day, end=day)[desk_a.pk][
            "event_visitors"
        ]
        == 2
    )
    next_day = day + datetime.timedelta(days=1)
    assert selectors.event_figures(desk_ids=[desk_a.pk], start=next_day, end=next_day) == {}


def test_public_events_show_published_upcoming_events_of_published_desks(desk_a, desk_b):
    shown = EventFactory(desk=desk_a)
    EventFactory(desk=desk_a, is_published=False)
    past_start = timezone.now() - datetime.timedelta(days=2)
    EventFactory(
        desk=desk_a, starts_at=past_start, ends_at=past_start + datetime.timedelta(hours=1)
    )
    desk_b.is_published = False
    desk_b.save()
    EventFactory(desk=desk_b)
    assert list(selectors.public_events()) == [shown]
    assert Event.objects.count() == 4
