"""The adviser's work list and the client search, through HTTP."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.constants import DeskRole
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import IntakeChannel, RequestStatus, TrajectoryStatus
from leerwerk.guidance.tests.factories import IntakeRequestFactory, TrajectoryFactory
from leerwerk.network.tests.factories import StaffMembershipFactory

WORK_LIST = "clients:work_list"
SEARCH = "clients:search"


def _overdue() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=3)


def given_work(desk, adviser, n: int) -> None:  # type: ignore[no-untyped-def]
    """``n`` open trajectories of ``adviser`` (overdue) and ``n`` new requests at ``desk``."""
    for i in range(n):
        TrajectoryFactory(
            client=ClientFactory(desk=desk, given_name=f"Werk{i}", family_name="Klant"),
            adviser=adviser,
            status=TrajectoryStatus.IN_PROGRESS,
            follow_up_on=_overdue(),
        )
        IntakeRequestFactory(desk=desk, given_name=f"Nieuw{i}", family_name="Aanvrager")


# -- work list -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_work_list_shows_the_three_sections_with_empty_states(client_for, adviser_a):
    # given an adviser with nothing to do
    # when they open the work list
    response = client_for(adviser_a).get(reverse(WORK_LIST))
    # then each section says it is empty
    assert response.status_code == 200
    content = response.content.decode()
    assert "U heeft geen open trajecten." in content
    assert "Er zijn geen nieuwe aanvragen." in content
    assert "Er zijn geen vervolgacties over tijd." in content


@pytest.mark.django_db
def test_work_list_shows_my_trajectories_new_requests_and_overdue_follow_ups(
    client_for, desk_a, adviser_a
):
    # given my open trajectory, my overdue one, an unassigned overdue one, a colleague's
    # overdue one, a closed one and a new request
    colleague = StaffMembershipFactory(desk=desk_a, role=DeskRole.ADVISER).user
    mine = TrajectoryFactory(
        client=ClientFactory(desk=desk_a, given_name="Mijn", family_name="Klant-Een"),
        adviser=adviser_a,
        status=TrajectoryStatus.INTAKE,
    )
    my_overdue = TrajectoryFactory(
        client=ClientFactory(desk=desk_a, given_name="Mijn", family_name="Klant-Laat"),
        adviser=adviser_a,
        status=TrajectoryStatus.IN_PROGRESS,
        follow_up_on=_overdue(),
    )
    unassigned = TrajectoryFactory(
        client=ClientFactory(desk=desk_a, given_name="Niemand", family_name="Klant-Vrij"),
        adviser=None,
        status=TrajectoryStatus.REGISTERED,
        follow_up_on=_overdue() + datetime.timedelta(days=1),
    )
    TrajectoryFactory(
        client=ClientFactory(desk=desk_a, given_name="Collega", family_name="Klant-Twee"),
        adviser=colleague,
        status=TrajectoryStatus.IN_PROGRESS,
        follow_up_on=_overdue(),
    )
    TrajectoryFactory(
        client=ClientFactory(desk=desk_a, given_name="Gesloten", family_name="Klant-Drie"),
        adviser=adviser_a,
        status=TrajectoryStatus.CLOSED,
        closed_on=timezone.localdate(),
        outcome="advice_no_follow_up",
        follow_up_on=_overdue(),
    )
    IntakeRequestFactory(desk=desk_a, given_name="Nieuwe", family_name="Vraagsteller")
    IntakeRequestFactory(
        desk=desk_a, given_name="Oude", family_name="Afgehandeld", status=RequestStatus.DISMISSED
    )
    # when I open the work list
    response = client_for(adviser_a).get(reverse(WORK_LIST))
    # then each thing is in its section; a colleague's follow-ups, closed and handled things
    # are not
    content = response.content.decode()
    assert mine in response.context["my_open"].page.object_list
    assert list(response.context["overdue"].page) == [my_overdue, unassigned]
    assert [r.given_name for r in response.context["new_requests"].page] == ["Nieuwe"]
    assert "Mijn Klant-Een" in content
    assert "Niemand Klant-Vrij" in content
    assert "Collega Klant-Twee" not in content
    assert "Nieuwe Vraagsteller" in content
    assert "Gesloten Klant-Drie" not in content
    assert "Afgehandeld" not in content
    assert reverse("clients:detail", args=[mine.client.uuid]) in content


@pytest.mark.django_db
def test_work_list_sections_page_separately(client_for, desk_a, adviser_a):
    # given 30 trajectories and 30 requests (more than one page each)
    given_work(desk_a, adviser_a, 30)
    # when the second page of the requests is opened
    response = client_for(adviser_a).get(reverse(WORK_LIST), {"pagina_nieuw": "2"})
    # then only that section moved on
    assert response.context["new_requests"].page.number == 2
    assert len(response.context["new_requests"].page) == 5
    assert response.context["my_open"].page.number == 1
    assert response.context["overdue"].page.number == 1
    # and the links of the other sections keep this section's page
    assert "pagina_nieuw=2&amp;pagina_mijn=2" in response.content.decode()


@pytest.mark.django_db
def test_work_list_query_count_does_not_grow_with_the_rows(client_for, desk_a, adviser_a):
    def count(n: int) -> int:
        given_work(desk_a, adviser_a, n)
        http = client_for(adviser_a)
        with CaptureQueriesContext(connection) as queries:
            response = http.get(reverse(WORK_LIST))
        assert response.status_code == 200
        return len(queries)

    few = count(3)
    many = count(27)  # 30 in all
    assert few == many
    assert many <= 15


@pytest.mark.django_db
def test_work_list_of_another_desk_shows_nothing_of_desk_a(
    client_for, desk_a, adviser_a, adviser_b
):
    # given work at desk A
    given_work(desk_a, adviser_a, 2)
    TrajectoryFactory(
        client=ClientFactory(desk=desk_a, given_name="Geheim", family_name="Overtijd"),
        status=TrajectoryStatus.IN_PROGRESS,
        follow_up_on=_overdue(),
    )
    # when an adviser of desk B opens their work list, also asking for desk A
    response = client_for(adviser_b).get(reverse(WORK_LIST), {"loket": str(desk_a.uuid)})
    # then nothing of desk A shows
    assert response.status_code == 200
    content = response.content.decode()
    assert "Werk0" not in content and "Nieuw0" not in content and "Geheim" not in content


@pytest.mark.django_db
def test_work_list_desk_filter_for_someone_at_two_desks(client_for, desk_a, desk_b, adviser_a):
    # given an adviser who also works at desk B, with a request at each desk
    StaffMembershipFactory(desk=desk_b, user=adviser_a, role=DeskRole.ADVISER)
    IntakeRequestFactory(desk=desk_a, given_name="Rotterdamse")
    IntakeRequestFactory(desk=desk_b, given_name="Groningse")
    http = client_for(adviser_a)
    # when they look at all their desks, then at desk B only
    both = http.get(reverse(WORK_LIST)).content.decode()
    only_b = http.get(reverse(WORK_LIST), {"loket": str(desk_b.uuid)}).content.decode()
    # then the filter is offered and works
    assert 'name="loket"' in both
    assert "Rotterdamse" in both and "Groningse" in both
    assert "Groningse" in only_b and "Rotterdamse" not in only_b


# -- search ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["Jansen-Test", "fleur.test@example.test", "06 1234 5678", "3011 AD", "3011ad"]
)
def test_search_finds_a_client_by_name_email_phone_or_postcode(
    client_for, desk_a, adviser_a, query
):
    # given a client of desk A
    found = ClientFactory(
        desk=desk_a,
        given_name="Fleur",
        family_name="Jansen-Test",
        email="fleur.test@example.test",
        phone="0612345678",
        postcode="3011 AD",
    )
    ClientFactory(desk=desk_a, given_name="Ander", family_name="Persoon-Test", phone="0102223334")
    # when the adviser searches
    response = client_for(adviser_a).get(reverse(SEARCH), {"q": query})
    # then exactly that client is listed, with a link to the client page
    assert list(response.context["page"]) == [found]
    assert reverse("clients:detail", args=[found.uuid]) in response.content.decode()


@pytest.mark.django_db
def test_search_without_result_offers_a_new_client(client_for, adviser_a):
    response = client_for(adviser_a).get(reverse(SEARCH), {"q": "Niemand-Bekend"})
    content = response.content.decode()
    assert "Geen klanten gevonden" in content
    assert reverse("clients:create") in content


@pytest.mark.django_db
def test_search_is_paginated_with_a_bounded_number_of_queries(client_for, desk_a, adviser_a):
    def count(n: int) -> tuple[int, int]:
        for i in range(n):
            ClientFactory(desk=desk_a, given_name=f"Zoek{i}", family_name="Gelijknamig")
        http = client_for(adviser_a)
        with CaptureQueriesContext(connection) as queries:
            response = http.get(reverse(SEARCH), {"q": "Gelijknamig"})
        return len(queries), response.context["page"].paginator.num_pages

    few, pages_few = count(3)
    many, pages_many = count(27)
    assert few == many
    assert (pages_few, pages_many) == (1, 2)


@pytest.mark.django_db
def test_search_with_htmx_returns_only_the_results(client_for, desk_a, adviser_a):
    ClientFactory(desk=desk_a, given_name="Live", family_name="Resultaat")
    response = client_for(adviser_a).get(
        reverse(SEARCH), {"q": "Resultaat"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "Live Resultaat" in content
    assert "<html" not in content


@pytest.mark.django_db
def test_search_never_finds_another_desks_client(client_for, desk_a, adviser_b):
    other = ClientFactory(desk=desk_a, given_name="Andere", family_name="Deskklant")
    response = client_for(adviser_b).get(
        reverse(SEARCH), {"q": "Deskklant", "loket": str(desk_a.uuid)}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Andere Deskklant" not in content
    assert str(other.uuid) not in content
    assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_search_is_audited_without_the_search_words(client_for, adviser_a):
    client_for(adviser_a).get(reverse(SEARCH), {"q": "Geheimenaam"})
    event = AuditEvent.objects.get(action="client.search")
    assert event.actor == adviser_a
    assert "Geheimenaam" not in str(event.detail)


@pytest.mark.django_db
def test_request_channel_shows_on_the_work_list(client_for, desk_a, adviser_a):
    IntakeRequestFactory(desk=desk_a, channel=IntakeChannel.WALK_IN)
    response = client_for(adviser_a).get(reverse(WORK_LIST))
    assert "Inloop" in response.content.decode()
