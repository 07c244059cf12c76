"""Calendar files (iCalendar, RFC 5545) for confirmations, written with the ``icalendar`` library."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

PRODID = "-//Leerwerk//Afspraken en activiteiten//NL"


def calendar_file(
    *,
    uid: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    summary: str,
    location: str,
    description: str,
    url: str = "",
) -> bytes:
    """One event as an .ics file (method PUBLISH: the citizen adds it to their own calendar)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = CalendarEvent()
    item.add("uid", uid)
    item.add("dtstamp", timezone.now())
    item.add("dtstart", starts_at)
    item.add("dtend", ends_at)
    item.add("summary", summary)
    if location:
        item.add("location", location)
    item.add("description", description)
    if url:
        item.add("url", url)
    calendar.add_component(item)
    return calendar.to_ical()
