"""The staff pages for a client's data-subject rights, through HTTP: export (JSON and PDF),
erasure (anonymising) and merging two records of one person; the links to them; and the
cross-desk rules (another desk and the national team get 404, nothing changes)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from leerwerk.clients import privacy
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Consent
from leerwerk.clients.tests.factories import ClientFactory, ConsentFactory
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory
from leerwerk.guidance.tests.factories import (
    IntakeRequestFactory,
    RegistrationFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

SECRET_NAME = ("Zoë", "Vertrouwelijk-Geheim")
SECRET_EMAIL = "zoe.vertrouwelijk@example.test"


def with_work(client: Client, *, trajectories: int = 1, per_trajectory: int = 2) -> Client:
    for _ in range(trajectories):
        trajectory = TrajectoryFactory(client=client)
        for _ in range(per_trajectory):
            RegistrationFactory(trajectory=trajectory, note="Persoonlijke notitie")
    IntakeRequestFactory(desk=client.desk, client=client, status="handled")
    return client


@pytest.fixture
def person(desk_a) -> Client:  # type: ignore[no-untyped-def]
    given, family = SECRET_NAME
    client = ClientFactory(
        desk=desk_a,
        given_name=given,
        family_name=family,
        email=SECRET_EMAIL,
        notes="Gevoelige notitie",
    )
    ConsentFactory(client=client, purpose=ConsentPurpose.CONTACT)
    return with_work(client)


@pytest.fixture
def twin(desk_a) -> Client:  # type: ignore[no-untyped-def]
    """A second record of the same person: same family name, other e-mail."""
    client = ClientFactory(
        desk=desk_a,
        given_name=SECRET_NAME[0],
        family_name=SECRET_NAME[1],
        email="zoe.tweede@example.test",
        phone="",
    )
    return with_work(client, trajectories=2, per_trajectory=3)


def url(name: str, client: Client) -> str:
    return reverse(f"clients:{name}", args=[client.uuid])


def work_counts(client: Client) -> dict[str, int]:
    return {
        "trajectories": Trajectory.objects.filter(client=client).count(),
        "registrations": Registration.objects.filter(client=client).count(),
        "requests": IntakeRequest.objects.filter(client=client).count(),
    }


def snapshot(*clients: Client) -> list[Any]:
    """Everything an erase or merge would change, to show that nothing did."""
    rows = []
    for client in clients:
        fresh = Client.objects.get(pk=client.pk)
        rows.append(
            (
                fresh.full_name,
                fresh.email,
                fresh.version,
                fresh.erased_at,
                fresh.merged_into_id,
                work_counts(fresh),
                Consent.objects.current().filter(client=fresh).count(),
            )
        )
    return rows


def merge_data(keep: Client, duplicate: Client, **extra: str) -> dict[str, str]:
    data = {
        "dubbel": str(duplicate.uuid),
        "versie": str(keep.version),
        "versie_dubbel": str(duplicate.version),
        "bevestigd": "on",
    }
    data.update(extra)
    return data


# -- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("user_name", ["adviser_a", "manager_a"])
def test_json_export_holds_this_client_and_no_other(client_for, person, twin, user_name, request):
    # given: an adviser or desk manager of the client's desk, and another client at the desk
    user = request.getfixturevalue(user_name)
    # when
    response = client_for(user).get(url("export_json", person))
    # then: a download named by UUID only, with this client's data and nothing of the other
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="klant-{person.uuid}.json"'
    assert SECRET_NAME[1] not in disposition
    data = json.loads(response.content)
    assert data["client"]["uuid"] == str(person.uuid)
    assert data["client"]["email"] == SECRET_EMAIL
    assert len(data["trajectories"]) == 1
    assert len(data["registrations"]) == 2
    body = response.content.decode()
    assert str(twin.uuid) not in body
    assert "zoe.tweede@example.test" not in body
    assert response["Cache-Control"] == "no-store"


def test_pdf_export_is_a_pdf_named_by_uuid(client_for, person, adviser_a):
    response = client_for(adviser_a).get(url("export_pdf", person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="klant-{person.uuid}.pdf"'


@pytest.mark.parametrize("name, fmt", [("export_json", "json"), ("export_pdf", "pdf")])
def test_export_is_audited_once(client_for, person, adviser_a, name, fmt):
    # when
    client_for(adviser_a).get(url(name, person))
    # then
    events = AuditEvent.objects.filter(action="client.export", object_uuid=person.uuid)
    assert [(e.actor_id, e.detail.get("format")) for e in events] == [(adviser_a.pk, fmt)]


@pytest.mark.parametrize("name", ["export_json", "export_pdf"])
def test_export_takes_get_only(client_for, person, adviser_a, name):
    assert client_for(adviser_a).post(url(name, person)).status_code == 405


# -- erase -----------------------------------------------------------------------------------


def test_erase_page_explains_what_goes_and_what_stays(client_for, person, manager_a):
    response = client_for(manager_a).get(url("erase", person))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Wat wordt verwijderd" in content
    assert "Wat blijft" in content
    assert "rapportages" in content
    assert "1 traject " in content
    assert "2 registraties" in content
    assert "ANONIMISEREN" in content


def test_manager_erases_and_counts_stay(client_for, person, manager_a):
    # given
    before = work_counts(person)
    registrations_total = Registration.objects.count()
    c = client_for(manager_a)
    # when
    response = c.post(url("erase", person), {"confirmation": "ANONIMISEREN"})
    # then: back on the client page with a message; the name is gone, the work is still counted
    assert response.status_code == 302
    assert response["Location"] == url("detail", person)
    person.refresh_from_db()
    assert person.is_erased
    assert SECRET_NAME[1] not in person.full_name
    assert person.email == ""
    assert work_counts(person) == before
    assert Registration.objects.count() == registrations_total
    assert not Registration.objects.filter(client=person).exclude(note="").exists()
    assert not Consent.objects.current().filter(client=person).exists()
    assert AuditEvent.objects.filter(
        action="client.erase", object_uuid=person.uuid, actor=manager_a
    ).exists()
    page = c.get(response["Location"]).content.decode()
    assert "Trajecten en registraties tellen nog mee" in page
    assert SECRET_NAME[1] not in page


def test_erase_accepts_the_word_in_lower_case(client_for, person, manager_a):
    client_for(manager_a).post(url("erase", person), {"confirmation": " anonimiseren "})
    person.refresh_from_db()
    assert person.is_erased


@pytest.mark.parametrize("typed", ["", "ANONIEM", "ja", "verwijderen"])
def test_erase_without_the_right_word_changes_nothing(client_for, person, manager_a, typed):
    # given
    before = snapshot(person)
    # when
    response = client_for(manager_a).post(url("erase", person), {"confirmation": typed})
    # then: the page again with a Dutch error, nothing erased, no audit of an erasure
    assert response.status_code == 200
    content = response.content.decode()
    assert "Controleer uw invoer" in content
    assert "ANONIMISEREN" in content
    assert "Er is niets verwijderd" in content or "Typ het woord" in content
    assert snapshot(person) == before
    assert not AuditEvent.objects.filter(action="client.erase").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_adviser_may_not_erase(client_for, person, adviser_a, method):
    # given
    before = snapshot(person)
    # when
    response = getattr(client_for(adviser_a), method)(
        url("erase", person), {"confirmation": "ANONIMISEREN"}
    )
    # then
    assert response.status_code == 403
    assert snapshot(person) == before


def test_erasing_an_erased_client_again_goes_back_to_the_page(client_for, person, manager_a):
    client_for(manager_a).post(url("erase", person), {"confirmation": "ANONIMISEREN"})
    response = client_for(manager_a).get(url("erase", person))
    assert response.status_code == 302
    assert response["Location"] == url("detail", person)
    assert AuditEvent.objects.filter(action="client.erase").count() == 1


# -- merge -----------------------------------------------------------------------------------


def test_merge_page_offers_the_likely_duplicate(client_for, person, twin, adviser_a, desk_a):
    # given: a third client with another name
    other = ClientFactory(desk=desk_a, given_name="Piet", family_name="Anders")
    # when
    content = client_for(adviser_a).get(url("merge", person)).content.decode()
    # then: the twin (same family name) is offered, the person itself and the other are not
    assert f"?dubbel={twin.uuid}" in content
    assert f"?dubbel={person.uuid}" not in content
    assert f"?dubbel={other.uuid}" not in content
    assert "zelfde achternaam" in content


def test_merge_search_box_finds_clients_of_the_desk_only(
    client_for, person, adviser_a, desk_a, desk_b
):
    # given
    here = ClientFactory(desk=desk_a, given_name="Fatima", family_name="Zoekbaar")
    there = ClientFactory(desk=desk_b, given_name="Fatima", family_name="Zoekbaar")
    # when
    response = client_for(adviser_a).get(url("merge", person), {"q": "Zoekbaar"})
    # then
    content = response.content.decode()
    assert f"?dubbel={here.uuid}" in content
    assert str(there.uuid) not in content
    assert AuditEvent.objects.filter(action="client.search", detail__for="merge").exists()


def test_merge_compare_shows_both_records_side_by_side(client_for, person, twin, adviser_a):
    response = client_for(adviser_a).get(url("merge", person), {"dubbel": str(twin.uuid)})
    assert response.status_code == 200
    content = response.content.decode()
    assert SECRET_EMAIL in content
    assert "zoe.tweede@example.test" in content
    assert "Blijft bestaan" in content
    assert "Gaat op in de andere" in content
    assert 'name="bevestigd"' in content
    assert AuditEvent.objects.filter(action="client.view", object_uuid=twin.uuid).exists()


def test_merge_moves_trajectories_and_registrations(client_for, person, twin, adviser_a):
    # given
    expected = {
        key: work_counts(person)[key] + work_counts(twin)[key] for key in work_counts(person)
    }
    c = client_for(adviser_a)
    # when
    response = c.post(url("merge", person), merge_data(person, twin))
    # then
    assert response.status_code == 302
    assert response["Location"] == url("detail", person)
    assert work_counts(person) == expected
    assert work_counts(twin) == {"trajectories": 0, "registrations": 0, "requests": 0}
    twin.refresh_from_db()
    assert twin.merged_into_id == person.pk
    event = AuditEvent.objects.get(action="client.merge")
    assert event.actor_id == adviser_a.pk
    assert event.object_uuid == person.uuid
    assert event.detail["duplicate"] == str(twin.uuid)
    page = c.get(response["Location"]).content.decode()
    assert "De klanten zijn samengevoegd" in page


def test_merge_without_ticking_the_box_changes_nothing(client_for, person, twin, adviser_a):
    # given
    before = snapshot(person, twin)
    # when
    response = client_for(adviser_a).post(
        url("merge", person), merge_data(person, twin, bevestigd="")
    )
    # then
    assert response.status_code == 200
    assert "Vink aan dat u heeft gecontroleerd" in response.content.decode()
    assert snapshot(person, twin) == before
    assert not AuditEvent.objects.filter(action="client.merge").exists()


def test_merge_without_a_chosen_client_changes_nothing(client_for, person, twin, adviser_a):
    before = snapshot(person, twin)
    data = merge_data(person, twin)
    data.pop("dubbel")
    response = client_for(adviser_a).post(url("merge", person), data)
    assert response.status_code == 200
    assert "Kies de klant die u wilt samenvoegen" in response.content.decode()
    assert snapshot(person, twin) == before


def test_merge_into_itself_is_refused(client_for, person, adviser_a):
    # given
    before = snapshot(person)
    # when
    response = client_for(adviser_a).post(url("merge", person), merge_data(person, person))
    # then
    assert response.status_code == 200
    assert "niet met zichzelf" in response.content.decode()
    assert snapshot(person) == before
    get = client_for(adviser_a).get(url("merge", person), {"dubbel": str(person.uuid)})
    assert "niet met zichzelf" in get.content.decode()
    assert 'name="bevestigd"' not in get.content.decode()


def test_merge_with_an_erased_client_is_refused(client_for, person, twin, manager_a):
    # given: the twin was erased
    c = client_for(manager_a)
    c.post(url("erase", twin), {"confirmation": "ANONIMISEREN"})
    twin.refresh_from_db()
    before = snapshot(person, twin)
    # when
    response = c.post(url("merge", person), merge_data(person, twin))
    # then
    assert response.status_code == 200
    assert "geanonimiseerd en kan niet worden samengevoegd" in response.content.decode()
    assert snapshot(person, twin) == before
    # and an erased client cannot be the one that stays either
    response = c.get(url("merge", twin))
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "geanonimiseerd en kan niet worden samengevoegd" in page


def test_merge_after_someone_changed_a_record_asks_again(client_for, person, twin, adviser_a):
    # given: the form was loaded, then the twin was changed
    data = merge_data(person, twin)
    Client.objects.filter(pk=twin.pk).update(version=twin.version + 1)
    before = snapshot(person, twin)
    # when
    response = client_for(adviser_a).post(url("merge", person), data)
    # then
    assert response.status_code == 200
    content = response.content.decode()
    assert "intussen gewijzigd" in content
    assert f'value="{twin.version + 1}"' in content
    assert snapshot(person, twin) == before


def test_merge_with_a_client_of_another_desk_is_404(
    client_for, person, adviser_a, desk_b, manager_b
):
    # given: a client at desk B, and a user who works at both desks (so may see it)
    from leerwerk.core.constants import DeskRole
    from leerwerk.network.tests.factories import StaffMembershipFactory

    elsewhere = ClientFactory(desk=desk_b, family_name=SECRET_NAME[1])
    StaffMembershipFactory(desk=desk_b, user=adviser_a, role=DeskRole.ADVISER)
    before = snapshot(person, elsewhere)
    # when / then
    c = client_for(adviser_a)
    assert c.post(url("merge", person), merge_data(person, elsewhere)).status_code == 404
    assert c.get(url("merge", person), {"dubbel": str(elsewhere.uuid)}).status_code == 404
    assert snapshot(person, elsewhere) == before
    # the service would refuse it too
    with pytest.raises(Exception, match="hetzelfde loket"):
        privacy.client_merge(actor=adviser_a, keep=person, duplicate=elsewhere)


# -- another desk and the national team ------------------------------------------------------


@pytest.fixture(
    params=["adviser_b", "manager_b", "national_user", "ministry_user", "ended_adviser_a"]
)
def outsider(request):  # type: ignore[no-untyped-def]
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(
    "name, method, data",
    [
        ("export_json", "get", None),
        ("export_pdf", "get", None),
        ("erase", "get", None),
        ("erase", "post", {"confirmation": "ANONIMISEREN"}),
        ("merge", "get", None),
        ("merge", "post", "merge"),
    ],
)
def test_outsiders_get_404_and_nothing_changes(
    client_for, person, twin, outsider, name, method, data
):
    # given
    before = snapshot(person, twin)
    if data == "merge":
        data = merge_data(person, twin)
    # when
    response = getattr(client_for(outsider), method)(url(name, person), data or {})
    # then
    assert response.status_code == 404
    assert SECRET_NAME[1].encode() not in response.content
    assert snapshot(person, twin) == before
    assert not AuditEvent.objects.filter(
        action__in=["client.export", "client.erase", "client.merge"]
    ).exists()


def test_outsider_cannot_use_desk_a_client_as_duplicate(client_for, person, twin, desk_b):
    # given: desk B's adviser with a client of their own, naming desk A's client as the duplicate
    from leerwerk.core.constants import DeskRole
    from leerwerk.network.tests.factories import StaffMembershipFactory

    user = StaffMembershipFactory(desk=desk_b, role=DeskRole.ADVISER).user
    own = ClientFactory(desk=desk_b)
    before = snapshot(person, own)
    # when
    c = client_for(user)
    response = c.post(url("merge", own), merge_data(own, person))
    # then
    assert response.status_code == 404
    assert c.get(url("merge", own), {"dubbel": str(person.uuid)}).status_code == 404
    assert snapshot(person, own) == before


def test_anonymous_is_sent_to_login(client, person):  # type: ignore[no-untyped-def]
    for name in ("export_json", "export_pdf", "erase", "merge"):
        response = client.get(url(name, person))
        assert response.status_code == 302
        assert "login" in response["Location"] or "inloggen" in response["Location"]


# -- links -----------------------------------------------------------------------------------


def test_client_page_links_for_the_desk_manager(client_for, person, manager_a):
    content = client_for(manager_a).get(url("detail", person)).content.decode()
    assert url("export_json", person) in content
    assert url("export_pdf", person) in content
    assert url("erase", person) in content
    assert url("merge", person) in content
    assert reverse("guidance:trajectory_open", args=[person.uuid]) in content
    assert f"{reverse('guidance:information_contact_create')}?klant={person.uuid}" in content


def test_client_page_hides_erase_from_the_adviser(client_for, person, adviser_a):
    content = client_for(adviser_a).get(url("detail", person)).content.decode()
    assert url("export_json", person) in content
    assert url("merge", person) in content
    assert url("erase", person) not in content


def test_erased_client_page_offers_no_erase_or_merge(client_for, person, manager_a):
    client_for(manager_a).post(url("erase", person), {"confirmation": "ANONIMISEREN"})
    content = client_for(manager_a).get(url("detail", person)).content.decode()
    assert url("erase", person) not in content
    assert url("merge", person) not in content
    assert url("export_pdf", person) in content


def test_staff_home_links_to_employers_and_information_contact(client_for, desk_a, adviser_a):
    content = client_for(adviser_a).get(reverse("staff:home")).content.decode()
    assert f"{reverse('guidance:employer_list')}?loket={desk_a.uuid}" in content
    assert reverse("guidance:information_contact_create") in content


def test_public_desk_page_has_the_ask_button(client, desk_a):  # type: ignore[no-untyped-def]
    content = client.get(reverse("public:desk_detail", kwargs={"slug": desk_a.slug})).content
    expected = reverse("guidance_public:request_form", kwargs={"slug": desk_a.slug})
    assert f'href="{expected}"'.encode() in content
    assert b"Stel uw vraag" in content
