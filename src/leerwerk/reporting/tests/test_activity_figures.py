"""Counting rules version 2: events give three separate numbers and website visits are counted
by the portal (issue 4 item 7, issue 7 items 4 and 7)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from leerwerk.agenda.constants import EventRegistrationStatus
from leerwerk.agenda.tests.factories import EventFactory, EventRegistrationFactory
from leerwerk.portal.models import PageVisitCount
from leerwerk.reporting.models import RuleSet
from leerwerk.reporting.selectors import (
    Period,
    ReportFilters,
    compute_desk_reports,
    compute_report,
)

pytestmark = pytest.mark.django_db

D = datetime.date
H1, H2, Y = Period.half(2027, 1), Period.half(2027, 2), Period.year(2027)


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def v2() -> RuleSet:
    return RuleSet.objects.get(number=2)


def event(desk, day, *, registered=0, came=0, cancelled=0, waiting=0, walk_ins=0, stand=0):  # type: ignore[no-untyped-def]
    e = EventFactory(
        desk=desk,
        starts_at=at(day),
        ends_at=at(day, 16),
        capacity=50,
        walk_ins=walk_ins,
        stand_conversations=stand,
    )
    for i in range(registered):
        EventRegistrationFactory(event=e, checked_in_at=at(day) if i < came else None)
    for _ in range(cancelled):
        EventRegistrationFactory(event=e, status=EventRegistrationStatus.CANCELLED)
    for _ in range(waiting):
        EventRegistrationFactory(event=e, status=EventRegistrationStatus.WAITING)
    return e


def test_version_2_is_seeded_published_and_in_force_from_2027():
    ruleset = v2()
    assert ruleset.published_at is not None
    assert ruleset.effective_from == D(2027, 1, 1)
    methods = dict(ruleset.figures.values_list("code", "method"))
    assert methods["websitebezoekers"] == "website_visits"
    assert methods["activiteiten-aanmeldingen"] == "event_registrations"
    assert methods["activiteiten-bezoekers"] == "event_visitors"
    assert methods["standgesprekken"] == "stand_conversations"
    # version 1 still has the hand-entered website visitors
    assert RuleSet.objects.get(number=1).figures.get(code="websitebezoekers").method == "manual"


def test_registrations_visitors_and_stand_conversations_stay_three_numbers(desk_a, desk_b):
    # an information meeting: 10 registered, 6 came, 2 walk-ins; 3 cancelled, 4 waiting
    event(desk_a, D(2027, 3, 10), registered=10, came=6, cancelled=3, waiting=4, walk_ins=2)
    # a job fair in the second half: nobody registers, 40 conversations at the stand, 25 visitors
    event(desk_a, D(2027, 9, 20), walk_ins=25, stand=40)
    # on the boundary: starts on 30 June, counts in the first half
    event(desk_a, D(2027, 6, 30), registered=1, came=1)
    # another desk's event never counts for desk A
    event(desk_b, D(2027, 3, 10), registered=7, came=7, stand=9)
    report = compute_report(desk_ids=[desk_a.pk], periods=[H1, H2, Y], ruleset=v2())
    for code, expected in {
        "activiteiten-aanmeldingen": (11, 0, 11),
        "activiteiten-bezoekers": (9, 25, 34),
        "standgesprekken": (0, 40, 40),
    }.items():
        assert tuple(report.value(code, p.label) for p in (H1, H2, Y)) == expected, code
    # the same numbers per desk in the national computation, and desks add up
    per_desk = compute_desk_reports(desk_ids=[desk_a.pk, desk_b.pk], periods=[H1], ruleset=v2())
    assert per_desk[desk_a.pk].value("activiteiten-bezoekers", H1.label) == 9
    assert per_desk[desk_b.pk].value("standgesprekken", H1.label) == 9
    both = compute_report(desk_ids=[desk_a.pk, desk_b.pk], periods=[H1], ruleset=v2())
    assert both.value("activiteiten-aanmeldingen", H1.label) == 11 + 7


def test_website_visits_are_counted_page_views(desk_a, desk_b):
    PageVisitCount.objects.create(
        desk=desk_a, page="public:desk_detail", day=D(2027, 1, 1), count=30
    )
    PageVisitCount.objects.create(
        desk=desk_a, page="portal_public:selftest_index", day=D(2027, 6, 30), count=12
    )
    PageVisitCount.objects.create(
        desk=desk_a, page="public:desk_detail", day=D(2027, 7, 1), count=5
    )
    PageVisitCount.objects.create(
        desk=desk_b, page="public:desk_detail", day=D(2027, 2, 1), count=99
    )
    report = compute_report(desk_ids=[desk_a.pk], periods=[H1, H2, Y], ruleset=v2())
    assert [report.value("websitebezoekers", p.label) for p in (H1, H2, Y)] == [42, 5, 47]


def test_activity_figures_cannot_be_split_by_client_properties(desk_a):
    event(desk_a, D(2027, 3, 10), registered=2, came=2)
    report = compute_report(
        desk_ids=[desk_a.pk],
        periods=[H1],
        ruleset=v2(),
        filters=ReportFilters(contact_channel="phone"),
    )
    cell = report.row("activiteiten-bezoekers").cells[0]
    assert cell.value is None
    assert "Niet uit te splitsen" in cell.how
