"""Registrations through HTTP: add to a trajectory, change, delete, information contacts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.models import AuditEvent
from leerwerk.guidance import vocabulary
from leerwerk.guidance.constants import Channel, RegistrationKind, RegistrationStatus
from leerwerk.guidance.models import Registration, Trajectory
from leerwerk.guidance.tests.factories import (
    RegistrationFactory,
    TrajectoryFactory,
    registration_type,
)
from leerwerk.network.tests.factories import DeskPartnershipFactory, PartnerFactory

TODAY = timezone.localdate
CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


@pytest.fixture
def trajectory(desk_a, adviser_a) -> Trajectory:
    return TrajectoryFactory(desk=desk_a)


def create_url(trajectory: Trajectory, kind: str) -> str:
    return reverse("guidance:registration_create", args=[trajectory.uuid]) + f"?soort={kind}"


def contact_moment(**extra: str) -> dict[str, str]:
    return {
        "type": str(registration_type(vocabulary.ADVICE_CONVERSATION).pk),
        "occurred_on": TODAY().isoformat(),
        "channel": Channel.VIDEO,
        "status": RegistrationStatus.COMPLETED,
        "duration_minutes": "60",
        "note": "Besproken: omscholing naar de zorg",
        **extra,
    }


def _options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


# -- add -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "contact_moment",
            [vocabulary.INTAKE, vocabulary.ADVICE_CONVERSATION, vocabulary.INFORMATION_CONTACT],
        ),
        ("instrument", [vocabulary.COMPETENCE_TEST, "basisvaardighedentest"]),
        ("referral", ["evc", "assessment", "diplomawaardering"]),
    ],
)
def test_the_form_offers_the_types_of_the_kind(client_for, adviser_a, trajectory, kind, expected):
    # when the form for a kind is opened
    body = client_for(adviser_a).get(create_url(trajectory, kind)).content.decode()
    # then its type choices are those of that kind in the vocabulary in force
    offered = {str(pk) for pk in _options(body, "type") if pk}
    assert {str(registration_type(code).pk) for code in expected} <= offered
    assert str(registration_type(vocabulary.EMPLOYER_ADVICE).pk) not in offered
    # and only a contact moment asks for a channel and offers "no-show"
    assert ('name="channel"' in body) == (kind == "contact_moment")
    assert ("no_show" in _options(body, "status")) == (kind == "contact_moment")


def test_unknown_kind_is_404(client_for, adviser_a, trajectory):
    response = client_for(adviser_a).get(create_url(trajectory, "employer_activity"))
    assert response.status_code == 404


def test_add_a_contact_moment(client_for, adviser_a, trajectory):
    # when an advice conversation is registered
    response = client_for(adviser_a).post(
        create_url(trajectory, "contact_moment"), contact_moment()
    )
    # then it is saved in the trajectory, for its client, by this adviser, and audited
    assert response.status_code == 302
    assert response["Location"].endswith("#registraties")
    registration = Registration.objects.get(trajectory=trajectory)
    assert registration.client == trajectory.client
    assert registration.adviser == adviser_a
    assert (registration.kind, registration.channel, registration.duration_minutes) == (
        RegistrationKind.CONTACT_MOMENT,
        Channel.VIDEO,
        60,
    )
    assert AuditEvent.objects.filter(
        action="registration.create", object_uuid=registration.uuid
    ).exists()


def test_add_a_referral_with_partner(client_for, desk_a, adviser_a, trajectory):
    # given a partner of the desk
    partner = DeskPartnershipFactory(
        desk=desk_a, partner=PartnerFactory(name="EVC-centrum")
    ).partner
    # when an EVC referral is registered to that partner
    response = client_for(adviser_a).post(
        create_url(trajectory, "referral"),
        {
            "type": str(registration_type("evc").pk),
            "occurred_on": TODAY().isoformat(),
            "status": RegistrationStatus.COMPLETED,
            "partner": str(partner.uuid),
        },
    )
    # then it is saved with the partner
    assert response.status_code == 302
    registration = Registration.objects.get(trajectory=trajectory)
    assert (registration.kind, registration.partner) == (RegistrationKind.REFERRAL, partner)


def test_a_cancelled_meeting_keeps_no_duration(client_for, adviser_a, trajectory):
    # when a cancelled conversation is registered with a duration
    client_for(adviser_a).post(
        create_url(trajectory, "contact_moment"),
        contact_moment(status=RegistrationStatus.CANCELLED, duration_minutes="30"),
    )
    # then the duration is not kept
    assert Registration.objects.get(trajectory=trajectory).duration_minutes is None


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (
            "contact_moment",
            {"occurred_on": (TODAY() + datetime.timedelta(days=1)).isoformat()},
            "Registreer alleen wat al gebeurd is: de datum ligt in de toekomst.",
        ),
        (
            "contact_moment",
            {"duration_minutes": "0"},
            "De duur ligt tussen 1 minuut en 8 uur (480 minuten).",
        ),
        (
            "contact_moment",
            {"duration_minutes": "481"},
            "De duur ligt tussen 1 minuut en 8 uur (480 minuten).",
        ),
        ("contact_moment", {"channel": ""}, "Kies het kanaal van het contact."),
        (
            "contact_moment",
            {"occurred_on": (TODAY() - datetime.timedelta(days=365)).isoformat()},
            "Deze datum ligt vóór het begin van het traject.",
        ),
        ("contact_moment", {"type": ""}, "Kies wat er is gebeurd."),
        (
            "instrument",
            {
                "type": "competentietest-ctc",
                "status": RegistrationStatus.NO_SHOW,
                "channel": "",
            },
            "&#x27;Niet verschenen&#x27; kan alleen bij een contactmoment.",
        ),
    ],
)
def test_invalid_registration_gets_a_dutch_message_and_saves_nothing(
    client_for, adviser_a, trajectory, kind, data, message
):
    # given a registration with one thing wrong
    if data.get("type") == "competentietest-ctc":
        data["type"] = str(registration_type(vocabulary.COMPETENCE_TEST).pk)
    form = {**contact_moment(), **data}
    # when it is sent
    response = client_for(adviser_a).post(create_url(trajectory, kind), form)
    # then a Dutch message and nothing saved
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.filter(trajectory=trajectory).exists()


def test_a_type_of_another_kind_is_refused(client_for, adviser_a, trajectory):
    # when an employer activity type is posted on the contact moment form
    response = client_for(adviser_a).post(
        create_url(trajectory, "contact_moment"),
        contact_moment(type=str(registration_type(vocabulary.EMPLOYER_ADVICE).pk)),
    )
    # then it is refused and nothing saved
    assert response.status_code == 200
    assert not Registration.objects.exists()


# -- change ----------------------------------------------------------------------------------


def test_change_a_registration(client_for, adviser_a, trajectory):
    # given a registration
    registration = RegistrationFactory(trajectory=trajectory)
    url = reverse("guidance:registration_update", args=[registration.uuid])
    browser = client_for(adviser_a)
    assert browser.get(url).status_code == 200
    # when its channel, duration and note are changed
    response = browser.post(
        url,
        {
            "occurred_on": registration.occurred_on.isoformat(),
            "channel": Channel.PHONE,
            "status": RegistrationStatus.COMPLETED,
            "duration_minutes": "20",
            "note": "Kort gebeld",
            "version": "1",
        },
    )
    # then they are saved and the trajectory page opens again
    registration.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("guidance:trajectory_detail", args=[trajectory.uuid])
    )
    assert (registration.channel, registration.duration_minutes, registration.note) == (
        Channel.PHONE,
        20,
        "Kort gebeld",
    )
    assert registration.version == 2


def test_change_with_an_old_version_gets_the_conflict_message(client_for, adviser_a, trajectory):
    # given a registration someone else already changed (version 2)
    registration = RegistrationFactory(trajectory=trajectory, version=2, note="Door collega")
    # when it is saved from a page loaded at version 1
    response = client_for(adviser_a).post(
        reverse("guidance:registration_update", args=[registration.uuid]),
        {
            "occurred_on": registration.occurred_on.isoformat(),
            "channel": Channel.PHONE,
            "status": RegistrationStatus.COMPLETED,
            "note": "Mijn versie",
            "version": "1",
        },
    )
    # then the Dutch conflict message and the colleague's note stays
    assert CONFLICT in response.content.decode()
    registration.refresh_from_db()
    assert registration.note == "Door collega"


def test_change_to_no_show_on_an_instrument_is_refused(client_for, adviser_a, trajectory):
    # given a competence test
    registration = RegistrationFactory(trajectory=trajectory, code=vocabulary.COMPETENCE_TEST)
    # when it is changed to "no-show"
    response = client_for(adviser_a).post(
        reverse("guidance:registration_update", args=[registration.uuid]),
        {
            "occurred_on": registration.occurred_on.isoformat(),
            "status": RegistrationStatus.NO_SHOW,
            "version": "1",
        },
    )
    # then it is refused in Dutch
    assert "kan alleen bij een contactmoment" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.COMPLETED


# -- delete ----------------------------------------------------------------------------------


def test_desk_manager_deletes_a_registration_after_confirmation(client_for, manager_a, trajectory):
    # given a registration
    registration = RegistrationFactory(trajectory=trajectory)
    url = reverse("guidance:registration_delete", args=[registration.uuid])
    browser = client_for(manager_a)
    # when the manager opens the confirmation and confirms
    confirm = browser.get(url)
    assert "Weet u zeker" in confirm.content.decode()
    assert Registration.objects.filter(pk=registration.pk).exists()
    response = browser.post(url)
    # then it is gone and audited
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert AuditEvent.objects.filter(
        action="registration.delete", object_uuid=registration.uuid
    ).exists()


def test_an_adviser_may_not_delete(client_for, adviser_a, trajectory):
    # given a registration of the adviser's own desk
    registration = RegistrationFactory(trajectory=trajectory)
    url = reverse("guidance:registration_delete", args=[registration.uuid])
    browser = client_for(adviser_a)
    # when the adviser tries to delete it
    # then they are refused (403: they can see it) and it stays
    assert browser.get(url).status_code == 403
    assert browser.post(url).status_code == 403
    assert Registration.objects.filter(pk=registration.pk).exists()
    # and the trajectory page offers them no delete link
    page = browser.get(reverse("guidance:trajectory_detail", args=[trajectory.uuid]))
    assert url not in page.content.decode()


# -- information contact ---------------------------------------------------------------------


def _information_contact(**extra: str) -> dict[str, str]:
    return {
        "type": str(registration_type(vocabulary.INFORMATION_CONTACT).pk),
        "occurred_on": TODAY().isoformat(),
        "channel": Channel.CHAT,
        "status": RegistrationStatus.COMPLETED,
        "duration_minutes": "10",
        **extra,
    }


def test_information_contact_without_client_or_trajectory(client_for, desk_a, adviser_a):
    # given the adviser's desk
    url = reverse("guidance:information_contact_create")
    browser = client_for(adviser_a)
    body = browser.get(url).content.decode()
    # only types without a trajectory are offered, and no desk choice with one desk
    assert _options(body, "type") == [
        "",
        str(registration_type(vocabulary.INFORMATION_CONTACT).pk),
    ]
    assert 'name="desk"' not in body
    # when a chat question is registered
    response = browser.post(url, _information_contact())
    # then it is saved at the desk without client or trajectory
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.desk, registration.client, registration.trajectory) == (
        desk_a,
        None,
        None,
    )


def test_information_contact_for_a_client(client_for, desk_a, adviser_a):
    # given a client of the desk
    client = ClientFactory(desk=desk_a)
    url = reverse("guidance:information_contact_create") + f"?klant={client.uuid}"
    # when an information contact is registered for the client
    response = client_for(adviser_a).post(url, _information_contact())
    # then it belongs to the client and the client page opens
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[client.uuid])
    assert Registration.objects.get().client == client


def test_information_contact_for_someone_with_two_desks_asks_which_desk(
    client_for, desk_a, desk_b, adviser_a
):
    # given an adviser who also works at desk B
    from leerwerk.network.tests.factories import StaffMembershipFactory

    StaffMembershipFactory(desk=desk_b, user=adviser_a)
    url = reverse("guidance:information_contact_create")
    browser = client_for(adviser_a)
    # when the form is sent without a desk, and then with desk B
    missing = browser.post(url, _information_contact())
    chosen = browser.post(url, _information_contact(desk=str(desk_b.uuid)))
    # then the desk must be chosen and is used
    assert "Kies het loket." in missing.content.decode()
    assert chosen.status_code == 302
    assert Registration.objects.get().desk == desk_b


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"channel": ""}, "Kies het kanaal van het contact."),
        (
            {"occurred_on": (TODAY() + datetime.timedelta(days=2)).isoformat()},
            "Registreer alleen wat al gebeurd is",
        ),
        ({"duration_minutes": "481"}, "De duur ligt tussen 1 minuut en 8 uur"),
    ],
)
def test_invalid_information_contact_saves_nothing(client_for, adviser_a, data, message):
    response = client_for(adviser_a).post(
        reverse("guidance:information_contact_create"), _information_contact(**data)
    )
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_an_advice_conversation_cannot_be_registered_without_a_trajectory(client_for, adviser_a):
    # when the type of an advice conversation is posted on the information contact form
    response = client_for(adviser_a).post(
        reverse("guidance:information_contact_create"),
        _information_contact(type=str(registration_type(vocabulary.ADVICE_CONVERSATION).pk)),
    )
    # then it is refused
    assert response.status_code == 200
    assert not Registration.objects.exists()
