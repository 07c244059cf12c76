"""The desk's audit log page through HTTP: desk managers read their own desk's events, with
filters and pagination; advisers get 403, everyone from elsewhere 404."""

from __future__ import annotations

import datetime
import uuid
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerwerk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def log_url(desk) -> str:  # type: ignore[no-untyped-def]
    return reverse("staff:audit_log", args=[desk.uuid])


def event(*, desk, actor=None, action="client.view", at=None, **extra):  # type: ignore[no-untyped-def]
    """An audit event, at a chosen moment when ``at`` is given."""
    values = {
        "desk": desk,
        "actor": actor,
        "actor_role": "adviser" if actor else "",
        "action": action,
        "object_type": "clients.client",
        "object_uuid": uuid.uuid4(),
        **extra,
    }
    if at is None:
        return AuditEvent.objects.create(**values)
    with mock.patch("django.utils.timezone.now", return_value=at):
        return AuditEvent.objects.create(**values)


def rows(response) -> list:  # type: ignore[no-untyped-def]
    return response.context["rows"]


def test_manager_sees_only_their_desks_events_newest_first(
    client_for, desk_a, desk_b, manager_a, adviser_a, adviser_b
):
    # given events at both desks
    adviser_a.name, adviser_b.name = "Anna Adviseur", "Bert Buitenloket"
    adviser_a.save()
    adviser_b.save()
    moment = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=AMSTERDAM)
    event(desk=desk_a, actor=adviser_a, action="client.view", at=moment)
    event(desk=desk_a, actor=adviser_a, action="client.export", at=moment.replace(hour=10))
    event(desk=desk_b, actor=adviser_b, action="client.erase", at=moment)
    # when desk A's manager opens the log
    response = client_for(manager_a).get(log_url(desk_a))
    # then they see desk A's two events, newest first, with Dutch labels
    assert response.status_code == 200
    shown = rows(response)
    assert [row.action for row in shown] == ["Klantgegevens geëxporteerd", "Klant bekeken"]
    content = response.content.decode()
    assert "Anna Adviseur" in content
    assert "Adviseur" in content  # the role
    assert "Klant" in content  # the object type
    assert "Gelukt" in content
    assert "Bert Buitenloket" not in content
    assert "Klantgegevens gewist" not in content
    # and no object is named: the uuids stay out of the page
    for audit in AuditEvent.objects.filter(desk=desk_a):
        assert str(audit.object_uuid) not in content


def test_times_are_shown_in_amsterdam_time_in_dutch(client_for, desk_a, manager_a, adviser_a):
    event(
        desk=desk_a, actor=adviser_a, at=datetime.datetime(2025, 6, 30, 22, 30, tzinfo=datetime.UTC)
    )
    content = client_for(manager_a).get(log_url(desk_a)).content.decode()
    assert "1 juli 2025, 00:30:00" in content


def test_unknown_codes_and_missing_actors_are_shown_plainly(client_for, desk_a, manager_a):
    event(desk=desk_a, actor=None, action="iets.nieuws", object_type="iets.anders", result="denied")
    content = client_for(manager_a).get(log_url(desk_a)).content.decode()
    assert "iets.nieuws" in content
    assert "iets.anders" in content
    assert "Niet ingelogd" in content
    assert "Geweigerd" in content


def test_filter_by_action(client_for, desk_a, manager_a, adviser_a):
    event(desk=desk_a, actor=adviser_a, action="client.view")
    event(desk=desk_a, actor=adviser_a, action="client.export")
    event(desk=desk_a, actor=adviser_a, action="client.export")
    browser = client_for(manager_a)
    # the action choices are the desk's actions, with Dutch labels
    page = browser.get(log_url(desk_a))
    choices = dict(page.context["form"].fields["handeling"].choices)
    assert choices["client.export"] == "Klantgegevens geëxporteerd"
    assert set(choices) == {"", "client.view", "client.export"}
    # when filtered on exports
    response = browser.get(log_url(desk_a), {"handeling": "client.export"})
    assert [row.action_code for row in rows(response)] == ["client.export", "client.export"]
    assert "2 gebeurtenissen met dit filter" in response.content.decode()


def test_filter_by_period_uses_whole_days_in_amsterdam(client_for, desk_a, manager_a, adviser_a):
    # given events just before, on, and just after 10 and 11 March (Amsterdam time)
    def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime(2025, 3, day, hour, minute, tzinfo=AMSTERDAM)

    event(desk=desk_a, actor=adviser_a, action="client.view", at=at(9, 23, 59))
    event(desk=desk_a, actor=adviser_a, action="client.update", at=at(10, 0, 0))
    event(desk=desk_a, actor=adviser_a, action="client.create", at=at(11, 23, 59))
    event(desk=desk_a, actor=adviser_a, action="client.erase", at=at(12, 0, 0))
    browser = client_for(manager_a)
    # when filtered from 10 up to and including 11 March
    response = browser.get(log_url(desk_a), {"van": "2025-03-10", "tot": "2025-03-11"})
    # then only the events on those days show
    assert sorted(row.action_code for row in rows(response)) == ["client.create", "client.update"]
    # and one bound alone works too
    only_from = browser.get(log_url(desk_a), {"van": "2025-03-12"})
    assert [row.action_code for row in rows(only_from)] == ["client.erase"]


def test_period_errors_are_dutch(client_for, desk_a, manager_a, adviser_a):
    event(desk=desk_a, actor=adviser_a)
    browser = client_for(manager_a)
    backwards = browser.get(log_url(desk_a), {"van": "2025-03-11", "tot": "2025-03-10"})
    assert backwards.status_code == 200
    assert "Kies een einddatum op of na de begindatum." in backwards.content.decode()
    invalid = browser.get(log_url(desk_a), {"van": "gisteren"})
    assert "Vul een geldige datum in" in invalid.content.decode()
    assert len(rows(invalid)) == 1  # the invalid part is not applied


def test_pages_of_fifty(client_for, desk_a, manager_a, adviser_a):
    for _ in range(55):
        event(desk=desk_a, actor=adviser_a)
    browser = client_for(manager_a)
    first = browser.get(log_url(desk_a))
    second = browser.get(log_url(desk_a), {"pagina": 2, "handeling": "client.view"})
    assert len(rows(first)) == 50
    assert len(rows(second)) == 5
    assert "pagina 1 van 2" in first.content.decode()
    assert "handeling=client.view&amp;pagina=1" in second.content.decode()  # filter kept


def test_query_count_does_not_grow_with_events(client_for, desk_a, manager_a, desk_b):
    # given 5 events by 5 different people
    from leerwerk.network.tests.factories import StaffMembershipFactory

    def make(n: int) -> None:
        for membership in StaffMembershipFactory.create_batch(n, desk=desk_a, role="adviser"):
            event(desk=desk_a, actor=membership.user)

    make(5)
    browser = client_for(manager_a)
    browser.get(log_url(desk_a))  # warm the session
    with CaptureQueriesContext(connection) as five:
        assert len(rows(browser.get(log_url(desk_a)))) == 5
    # when there are 50, by 50 people
    make(45)
    with CaptureQueriesContext(connection) as fifty:
        assert len(rows(browser.get(log_url(desk_a)))) == 50
    # then the page needs the same number of queries
    assert len(fifty) == len(five)
    assert len(five) <= 10


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("adviser_a", 403),  # works at the desk, but may not read its log
        ("manager_b", 404),  # another desk
        ("adviser_b", 404),
        ("national_user", 404),  # aggregates only
        ("ministry_user", 404),
        ("ended_adviser_a", 404),  # no longer works there
    ],
)
def test_who_may_not_read_the_log(client_for, request, desk_a, manager_a, who, status):
    event(desk=desk_a, actor=manager_a)
    response = client_for(request.getfixturevalue(who)).get(log_url(desk_a))
    assert response.status_code == status


def test_administrators_read_any_desks_log(client_for, desk_b, admin_user, adviser_b):
    event(desk=desk_b, actor=adviser_b)
    response = client_for(admin_user).get(log_url(desk_b))
    assert response.status_code == 200
    assert len(rows(response)) == 1


def test_unknown_desk_is_404_and_anonymous_must_log_in(client, client_for, manager_a, desk_a):
    missing = reverse("staff:audit_log", args=[uuid.uuid4()])
    assert client_for(manager_a).get(missing).status_code == 404
    assert client.get(log_url(desk_a)).status_code == 302


def test_the_desk_pages_link_to_the_log_for_managers_only(client_for, desk_a, manager_a, adviser_a):
    link = f'href="{log_url(desk_a)}"'
    desk_page = reverse("staff:desk_detail", args=[desk_a.uuid])
    assert link in client_for(manager_a).get(desk_page).content.decode()
    assert link not in client_for(adviser_a).get(desk_page).content.decode()
