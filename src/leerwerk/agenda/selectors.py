"""Reads for appointments and events: public lists (free slots, published events), the
adviser's day, the door list, and the event figures for the reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from leerwerk.agenda.constants import (
    ACTIVE_APPOINTMENT_STATUSES,
    BOOKING_HORIZON_DAYS,
    BOOKING_LEAD_MINUTES,
    EventRegistrationStatus,
)
from leerwerk.agenda.models import (
    Appointment,
    AvailabilityBlock,
    Event,
    EventRegistration,
    Slot,
)
from leerwerk.network.models import Desk


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


# -- appointments ------------------------------------------------------------------------------


def free_slots(
    *, desk: Desk, now: datetime.datetime | None = None, days: int = BOOKING_HORIZON_DAYS
) -> QuerySet[Slot]:
    """Slots of a published desk that a citizen can book now: not too soon, not too far ahead,
    at a public location (or by video), without an active appointment."""
    now = now or timezone.now()
    taken = Appointment.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE_APPOINTMENT_STATUSES)
    return (
        Slot.objects.filter(
            desk=desk,
            desk__is_published=True,
            starts_at__gte=now + datetime.timedelta(minutes=BOOKING_LEAD_MINUTES),
            starts_at__lt=now + datetime.timedelta(days=days),
        )
        .filter(Q(block__location__isnull=True) | Q(block__location__is_public=True))
        .exclude(Exists(taken))
        .select_related("block", "block__location")
        .order_by("starts_at", "block__location__name", "id")
    )


def free_slot(*, desk: Desk, uuid: Any) -> Slot | None:
    return free_slots(desk=desk).filter(uuid=uuid).first()


def slots_by_day(slots: Any) -> list[dict[str, Any]]:
    """Group slots by local day for the booking page."""
    days: list[dict[str, Any]] = []
    for slot in slots:
        day = timezone.localdate(slot.starts_at)
        if not days or days[-1]["day"] != day:
            days.append({"day": day, "slots": []})
        days[-1]["slots"].append(slot)
    return days


def day_appointments(*, user: Any, desk: Desk, day: datetime.date) -> QuerySet[Appointment]:
    """The appointments of one day at a desk, for its advisers (scoped by the policy)."""
    start, end = _day_bounds(day)
    return (
        Appointment.objects.for_user(user)
        .filter(desk=desk, slot__starts_at__gte=start, slot__starts_at__lt=end)
        .select_related("slot", "slot__block", "slot__block__adviser", "slot__block__location")
        .order_by("slot__starts_at", "id")
    )


def upcoming_blocks(*, user: Any, desk: Desk, today: datetime.date | None = None) -> QuerySet:
    """Availability from today on, with the number of slots and of booked slots."""
    today = today or timezone.localdate()
    return (
        AvailabilityBlock.objects.for_user(user)
        .filter(desk=desk, date__gte=today)
        .select_related("adviser", "location")
        .annotate(
            slot_count=Count("slots", distinct=True),
            booked_count=Count(
                "slots__appointments",
                filter=Q(slots__appointments__status__in=ACTIVE_APPOINTMENT_STATUSES),
                distinct=True,
            ),
        )
        .order_by("date", "start_time", "id")
    )


# -- events ------------------------------------------------------------------------------------


def _with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        taken=Count(
            "registrations",
            filter=Q(registrations__status=EventRegistrationStatus.REGISTERED),
            distinct=True,
        ),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status=EventRegistrationStatus.WAITING),
            distinct=True,
        ),
    )


def public_events(*, desk: Desk | None = None, now: datetime.datetime | None = None) -> QuerySet:
    """Published events that have not ended, of one desk or of all published desks."""
    events = Event.objects.public().upcoming(now).select_related("desk", "location")
    if desk is not None:
        events = events.filter(desk=desk)
    return _with_places(events).order_by("starts_at", "id")


def public_event(*, desk: Desk, uuid: Any) -> Event | None:
    return (
        _with_places(Event.objects.public().filter(desk=desk, uuid=uuid))
        .select_related("desk", "location")
        .first()
    )


def staff_events(*, user: Any, desk: Desk, past: bool = False) -> QuerySet:
    events = Event.objects.for_user(user).filter(desk=desk).select_related("location")
    now = timezone.now()
    events = events.filter(ends_at__lt=now) if past else events.filter(ends_at__gte=now)
    return _with_places(events).order_by("-starts_at" if past else "starts_at", "id")


def event_door_list(*, user: Any, event: Event) -> QuerySet[EventRegistration]:
    """The people with a place, for check-in at the door (alphabetical)."""
    return (
        EventRegistration.objects.for_user(user)
        .filter(event=event, status=EventRegistrationStatus.REGISTERED)
        .order_by("family_name", "given_name", "id")
    )


def event_waiting_list(*, user: Any, event: Event) -> QuerySet[EventRegistration]:
    return (
        EventRegistration.objects.for_user(user)
        .filter(event=event, status=EventRegistrationStatus.WAITING)
        .order_by("created_at", "id")
    )


EVENT_FIGURE_KEYS = ("event_registrations", "event_visitors", "stand_conversations")


def event_figures(
    *, desk_ids: Any, start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    """Per desk, for the events that start between ``start`` and ``end`` (inclusive, local
    dates): three separate numbers, never merged (DESIGN §4, counting rules).

    * ``event_registrations`` — registrations with a place (not cancelled, not on the waiting
      list), whether or not the person came;
    * ``event_visitors`` — people counted at the door: registered people who checked in plus
      walk-ins without a registration;
    * ``stand_conversations`` — conversations at the desk's stand (job fairs).

    Unscoped: aggregates only, no personal data (for the reports and the national overview).
    One grouped query; desks without events in the period are absent.
    """
    period_start = _day_bounds(start)[0]
    period_end = _day_bounds(end)[1]
    per_event = EventRegistration.objects.filter(event=OuterRef("pk")).values("event")
    registered = per_event.filter(status=EventRegistrationStatus.REGISTERED)
    places = registered.annotate(n=Count("pk")).values("n")
    checked_in = registered.filter(checked_in_at__isnull=False).annotate(n=Count("pk")).values("n")
    rows = (
        Event.objects.filter(
            desk_id__in=list(desk_ids), starts_at__gte=period_start, starts_at__lt=period_end
        )
        .annotate(
            _places=Coalesce(Subquery(places, output_field=IntegerField()), 0),
            _checked_in=Coalesce(Subquery(checked_in, output_field=IntegerField()), 0),
        )
        .values("desk_id")
        .annotate(
            event_registrations=Sum("_places"),
            event_visitors=Sum("_checked_in") + Sum("walk_ins"),
            stand_conversations=Sum("stand_conversations"),
        )
        .order_by("desk_id")
    )
    return {row["desk_id"]: {key: int(row[key] or 0) for key in EVENT_FIGURE_KEYS} for row in rows}
