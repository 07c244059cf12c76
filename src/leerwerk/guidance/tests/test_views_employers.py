"""Employer pages through HTTP: list and search, create and change, contact persons and
employer activities."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerwerk.clients.models import Employer, EmployerContactPerson
from leerwerk.clients.tests.factories import EmployerContactPersonFactory, EmployerFactory
from leerwerk.core.models import AuditEvent
from leerwerk.guidance import vocabulary
from leerwerk.guidance.constants import RegistrationKind, RegistrationStatus
from leerwerk.guidance.models import Registration
from leerwerk.guidance.tests.factories import RegistrationFactory, registration_type
from leerwerk.network.models import Municipality

TODAY = timezone.localdate
CONFLICT = "Iemand anders heeft dit intussen gewijzigd"
LIST_URL = "guidance:employer_list"


def detail_url(employer: Employer) -> str:
    return reverse("guidance:employer_detail", args=[employer.uuid])


# -- list ------------------------------------------------------------------------------------


def test_list_is_paginated_and_audited(client_for, desk_a, adviser_a):
    # given 30 employers
    EmployerFactory.create_batch(30, desk=desk_a)
    browser = client_for(adviser_a)
    # when the list and its second page are opened
    first = browser.get(reverse(LIST_URL)).content.decode()
    second = browser.get(reverse(LIST_URL), {"pagina": 2}).content.decode()
    # then 25 and 5 employers are shown
    assert "30 werkgevers, pagina 1 van 2" in first
    assert first.count('href="/medewerkers/begeleiding/werkgevers/') - 1 == 25  # + "toevoegen"
    assert second.count('href="/medewerkers/begeleiding/werkgevers/') - 1 == 5
    assert AuditEvent.objects.filter(actor=adviser_a, action="employer.list").count() == 2


def test_search_by_name_and_kvk(client_for, desk_a, adviser_a):
    # given three employers
    EmployerFactory(desk=desk_a, name="Bakkerij De Korenschoof", kvk_number="11112222")
    EmployerFactory(desk=desk_a, name="Zorggroep Rijnmond", kvk_number="33334444")
    EmployerFactory(desk=desk_a, name="Havenbedrijf Test", kvk_number="")
    browser = client_for(adviser_a)
    # when searched on part of a name, and on (part of) a KvK number
    by_name = browser.get(reverse(LIST_URL), {"q": "korenschoof"}).content.decode()
    by_kvk = browser.get(reverse(LIST_URL), {"q": "3333 4444"}).content.decode()
    nothing = browser.get(reverse(LIST_URL), {"q": "onbekend"}).content.decode()
    # then the right employers are found
    assert "Bakkerij De Korenschoof" in by_name
    assert "Zorggroep Rijnmond" not in by_name
    assert "Zorggroep Rijnmond" in by_kvk
    assert "Bakkerij" not in by_kvk
    assert "Geen werkgevers gevonden." in nothing


def test_list_query_count_does_not_grow(
    client_for, desk_a, adviser_a, django_assert_max_num_queries
):
    # given 3 employers with contact persons and a municipality
    municipality = Municipality.objects.order_by("code").first()

    def make(n: int) -> None:
        for employer in EmployerFactory.create_batch(n, desk=desk_a, municipality=municipality):
            EmployerContactPersonFactory(employer=employer)

    make(3)
    browser = client_for(adviser_a)
    browser.get(reverse(LIST_URL))  # warm the session
    with CaptureQueriesContext(connection) as three:
        browser.get(reverse(LIST_URL))
    # when there are 30
    make(27)
    # then the list needs no more queries, within a fixed bound
    with django_assert_max_num_queries(len(three)):
        response = browser.get(reverse(LIST_URL))
    assert response.status_code == 200
    assert len(three) <= 10


# -- create and change -----------------------------------------------------------------------


def test_create_employer(client_for, desk_a, adviser_a):
    # given a municipality
    municipality = Municipality.objects.get(name="Rotterdam")
    # when an employer is added with a KvK number typed with a space
    response = client_for(adviser_a).post(
        reverse("guidance:employer_create"),
        {
            "name": "  Bouwbedrijf Test  ",
            "kvk_number": "1234 5678",
            "sector": "construction",
            "size_class": "10-49",
            "municipality": municipality.code,
        },
    )
    # then it is saved at the adviser's desk and its page opens
    employer = Employer.objects.get(kvk_number="12345678")
    assert response.status_code == 302
    assert response["Location"] == detail_url(employer)
    assert (employer.desk, employer.name, employer.municipality) == (
        desk_a,
        "Bouwbedrijf Test",
        municipality,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kvk_number": "1234567"}, "Een KvK-nummer heeft 8 cijfers."),
        ({"kvk_number": "1234567a"}, "Een KvK-nummer heeft 8 cijfers."),
        ({"kvk_number": "123456789"}, "Een KvK-nummer heeft 8 cijfers."),
        ({"name": ""}, "Vul de naam van de werkgever in."),
    ],
)
def test_invalid_employer_gets_a_dutch_message(client_for, adviser_a, data, message):
    response = client_for(adviser_a).post(
        reverse("guidance:employer_create"), {"name": "Test BV", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Employer.objects.exists()


def test_duplicate_kvk_at_the_desk_gets_a_message(client_for, desk_a, desk_b, adviser_a):
    # given an employer with this KvK number at desk A, and one at desk B
    EmployerFactory(desk=desk_a, name="Eerste BV", kvk_number="55556666")
    EmployerFactory(desk=desk_b, name="Groninger BV", kvk_number="77778888")
    browser = client_for(adviser_a)
    # when desk A adds the same number again, and desk B's number
    duplicate = browser.post(
        reverse("guidance:employer_create"), {"name": "Tweede BV", "kvk_number": "55556666"}
    )
    other_desk = browser.post(
        reverse("guidance:employer_create"), {"name": "Rijnmond BV", "kvk_number": "77778888"}
    )
    # then the duplicate gets a message; another desk's number is fine
    assert duplicate.status_code == 200
    assert "Deze werkgever (KvK-nummer) staat al in het systeem." in duplicate.content.decode()
    assert other_desk.status_code == 302
    assert Employer.objects.filter(kvk_number="55556666").count() == 1
    assert Employer.objects.filter(kvk_number="77778888").count() == 2


def test_change_employer(client_for, desk_a, adviser_a):
    # given an employer
    employer = EmployerFactory(desk=desk_a, name="Oude Naam BV")
    url = reverse("guidance:employer_update", args=[employer.uuid])
    browser = client_for(adviser_a)
    assert 'value="Oude Naam BV"' in browser.get(url).content.decode()
    # when the name is changed
    response = browser.post(
        url, {"name": "Nieuwe Naam BV", "kvk_number": employer.kvk_number, "version": "1"}
    )
    # then it is saved
    employer.refresh_from_db()
    assert response.status_code == 302
    assert (employer.name, employer.version) == ("Nieuwe Naam BV", 2)


def test_change_employer_with_an_old_version_gets_the_conflict_message(
    client_for, desk_a, adviser_a
):
    # given an employer a colleague already changed
    employer = EmployerFactory(desk=desk_a, name="Door Collega BV", version=2)
    # when it is saved from a page loaded at version 1
    response = client_for(adviser_a).post(
        reverse("guidance:employer_update", args=[employer.uuid]),
        {"name": "Mijn Naam BV", "version": "1"},
    )
    # then the conflict message; the title keeps the saved name
    body = response.content.decode()
    assert CONFLICT in body
    assert "Door Collega BV wijzigen" in body
    employer.refresh_from_db()
    assert employer.name == "Door Collega BV"


def test_changing_to_a_kvk_of_another_employer_at_the_desk_is_refused(
    client_for, desk_a, adviser_a
):
    # given two employers at the desk
    EmployerFactory(desk=desk_a, kvk_number="10101010")
    employer = EmployerFactory(desk=desk_a, kvk_number="20202020")
    # when the second gets the first one's number
    response = client_for(adviser_a).post(
        reverse("guidance:employer_update", args=[employer.uuid]),
        {"name": employer.name, "kvk_number": "10101010", "version": "1"},
    )
    # then a message and nothing changes
    assert "staat al in het systeem" in response.content.decode()
    employer.refresh_from_db()
    assert employer.kvk_number == "20202020"


# -- detail, contact persons, activities -----------------------------------------------------


def test_detail_shows_contact_persons_and_activities(client_for, desk_a, adviser_a):
    # given an employer with a contact person and an advice contact
    employer = EmployerFactory(desk=desk_a, name="Logistiek Test BV")
    EmployerContactPersonFactory(employer=employer, name="Petra Personeelszaken")
    RegistrationFactory(code=vocabulary.EMPLOYER_ADVICE, employer=employer, note="Over BBL")
    # when the page is opened
    response = client_for(adviser_a).get(detail_url(employer))
    body = response.content.decode()
    # then both are shown, and the view is audited
    assert "Petra Personeelszaken" in body
    assert "Adviescontact met werkgever" in body
    assert "Over BBL" in body
    assert AuditEvent.objects.filter(action="employer.view", object_uuid=employer.uuid).exists()


def test_add_contact_person(client_for, desk_a, adviser_a):
    # given an employer
    employer = EmployerFactory(desk=desk_a)
    url = reverse("guidance:employer_contact_person_add", args=[employer.uuid])
    browser = client_for(adviser_a)
    # when a contact person without e-mail and phone is sent, and then a complete one
    missing = browser.post(url, {"name": "Karel Contact"})
    bad_phone = browser.post(url, {"name": "Karel Contact", "phone": "abc"})
    response = browser.post(url, {"name": "Karel Contact", "role": "HR", "phone": "010 1234567"})
    # then the first two get Dutch messages and the third is saved
    assert "Vul een e-mailadres of telefoonnummer van de contactpersoon in." in (
        missing.content.decode()
    )
    assert "Vul een telefoonnummer in" in bad_phone.content.decode()
    assert response.status_code == 302
    person = EmployerContactPerson.objects.get(employer=employer)
    assert (person.name, person.phone) == ("Karel Contact", "010 1234567")


@pytest.mark.parametrize(
    "code",
    [
        vocabulary.EMPLOYER_ADVICE,
        vocabulary.EMPLOYER_GROUP_SESSION,
        vocabulary.EMPLOYER_LEARNING_WORK,
    ],
)
def test_register_each_employer_activity(client_for, desk_a, adviser_a, code):
    # given an employer
    employer = EmployerFactory(desk=desk_a)
    # when an activity of this type is registered
    response = client_for(adviser_a).post(
        reverse("guidance:employer_activity_create", args=[employer.uuid]),
        {
            "type": str(registration_type(code).pk),
            "occurred_on": TODAY().isoformat(),
            "status": RegistrationStatus.COMPLETED,
        },
    )
    # then it is saved for the employer, without client or trajectory
    assert response.status_code == 302
    registration = Registration.objects.get(employer=employer)
    assert registration.kind == RegistrationKind.EMPLOYER_ACTIVITY
    assert registration.type.code == code
    assert (registration.client, registration.trajectory) == (None, None)


def test_activity_form_offers_only_the_employer_types(client_for, desk_a, adviser_a):
    employer = EmployerFactory(desk=desk_a)
    body = (
        client_for(adviser_a)
        .get(reverse("guidance:employer_activity_create", args=[employer.uuid]))
        .content.decode()
    )
    for code in (
        vocabulary.EMPLOYER_ADVICE,
        vocabulary.EMPLOYER_GROUP_SESSION,
        vocabulary.EMPLOYER_LEARNING_WORK,
    ):
        assert f'value="{registration_type(code).pk}"' in body
    assert f'value="{registration_type(vocabulary.ADVICE_CONVERSATION).pk}"' not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"occurred_on": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "Registreer alleen wat al gebeurd is",
        ),
        ({"status": RegistrationStatus.NO_SHOW}, "kan alleen bij een contactmoment"),
        ({"type": ""}, "Kies wat er is gebeurd."),
    ],
)
def test_invalid_activity_saves_nothing(client_for, desk_a, adviser_a, data, message):
    employer = EmployerFactory(desk=desk_a)
    form = {
        "type": str(registration_type(vocabulary.EMPLOYER_ADVICE).pk),
        "occurred_on": TODAY().isoformat(),
        "status": RegistrationStatus.COMPLETED,
        **data,
    }
    response = client_for(adviser_a).post(
        reverse("guidance:employer_activity_create", args=[employer.uuid]), form
    )
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_activity_edit_returns_to_the_employer(client_for, desk_a, adviser_a):
    # given an employer activity
    employer = EmployerFactory(desk=desk_a)
    activity = RegistrationFactory(code=vocabulary.EMPLOYER_ADVICE, employer=employer)
    # when its note is changed
    response = client_for(adviser_a).post(
        reverse("guidance:registration_update", args=[activity.uuid]),
        {
            "occurred_on": activity.occurred_on.isoformat(),
            "status": RegistrationStatus.COMPLETED,
            "note": "Vervolgafspraak gemaakt",
            "version": "1",
        },
    )
    # then it is saved and the employer page opens
    assert response.status_code == 302
    assert response["Location"].startswith(detail_url(employer))
    activity.refresh_from_db()
    assert activity.note == "Vervolgafspraak gemaakt"


def test_someone_at_two_desks_sees_both_and_can_narrow_to_one(
    client_for, desk_a, desk_b, adviser_a
):
    # given an adviser who also works at desk B, and an employer at each desk
    from leerwerk.network.tests.factories import StaffMembershipFactory

    StaffMembershipFactory(desk=desk_b, user=adviser_a)
    EmployerFactory(desk=desk_a, name="Rijnmondse Werkgever")
    EmployerFactory(desk=desk_b, name="Groningse Werkgever")
    browser = client_for(adviser_a)
    # when the list is opened, and then for desk B only
    both = browser.get(reverse(LIST_URL)).content.decode()
    only_b = browser.get(reverse(LIST_URL), {"loket": str(desk_b.uuid)}).content.decode()
    # then both desks' employers are listed with their desk, and ?loket narrows the list
    assert "Rijnmondse Werkgever" in both
    assert "Groningse Werkgever" in both
    assert desk_b.display_name in both
    assert "Groningse Werkgever" in only_b
    assert "Rijnmondse Werkgever" not in only_b
