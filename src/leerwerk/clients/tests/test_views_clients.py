"""Creating, changing and viewing a client, and consent, through HTTP."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Consent, TargetGroup
from leerwerk.clients.selectors import has_consent
from leerwerk.clients.services import client_erase
from leerwerk.clients.tests.factories import ClientFactory, ConsentFactory
from leerwerk.core.constants import DeskRole
from leerwerk.core.models import AuditEvent
from leerwerk.guidance.constants import IntakeChannel, QuestionTheme
from leerwerk.guidance.tests.factories import (
    IntakeRequestFactory,
    RegistrationFactory,
    TrajectoryFactory,
)
from leerwerk.network.tests.factories import StaffMembershipFactory


def client_post(desk, **overrides: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "desk": str(desk.uuid),
        "given_name": "Noor",
        "family_name": "van Testhuizen",
        "email": "noor.test@example.test",
        "phone": "06 12345678",
        "preferred_channel": "email",
        "birth_year": "1990",
        "postcode": "3011ad",
        "situation": "worker",
        "education_level": "mbo_2",
        "language_needs": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def edit_post(client: Client, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(client.version),
        "given_name": client.given_name,
        "family_name": client.family_name,
        "email": client.email,
        "phone": client.phone,
        "preferred_channel": client.preferred_channel,
        "birth_year": str(client.birth_year or ""),
        "postcode": client.postcode,
        "situation": client.situation,
        "education_level": client.education_level,
        "language_needs": client.language_needs,
        "notes": client.notes,
    }
    data.update(overrides)
    return data


# -- create ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_form_preselects_the_only_desk(client_for, desk_a, adviser_a):
    response = client_for(adviser_a).get(reverse("clients:create"))
    assert response.status_code == 200
    assert response.context["form"]["desk"].value() == desk_a.uuid


@pytest.mark.django_db
def test_create_offers_only_the_desks_where_the_user_works(client_for, desk_a, desk_b, adviser_a):
    StaffMembershipFactory(desk=desk_b, user=adviser_a, role=DeskRole.DESK_MANAGER)
    response = client_for(adviser_a).get(reverse("clients:create"))
    desks = set(response.context["form"].fields["desk"].queryset)
    assert desks == {desk_a, desk_b}
    assert response.context["form"]["desk"].value() is None  # two desks: the user chooses


@pytest.mark.django_db
def test_create_a_client(client_for, desk_a, adviser_a):
    # given a target group to tick
    group = TargetGroup.objects.filter(is_active=True).first()
    # when the adviser creates a client
    response = client_for(adviser_a).post(
        reverse("clients:create"), client_post(desk_a, target_groups=str(group.pk))
    )
    # then the client is saved at desk A, normalised, and the page shows it
    client = Client.objects.get(family_name="van Testhuizen")
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[client.uuid])
    assert client.desk == desk_a
    assert client.postcode == "3011 AD"
    assert client.municipality is not None
    assert list(client.target_groups.all()) == [group]
    assert AuditEvent.objects.filter(action="client.create", object_uuid=client.uuid).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "12345", "Vul een postcode in zoals 1234 AB."),
        ("postcode", "0999 ZZ", "Vul een postcode in zoals 1234 AB."),
        ("phone", "bel me maar", "Vul een telefoonnummer in"),
        ("birth_year", str(timezone.localdate().year + 1), "Vul een geboortejaar in tussen"),
        ("email", "geen-adres", "Voer een geldig e-mailadres in."),
        ("given_name", "", "Dit veld is vereist."),
    ],
)
def test_create_shows_dutch_errors_and_saves_nothing(
    client_for, desk_a, adviser_a, field, value, message
):
    # when the adviser posts a client with one bad value
    response = client_for(adviser_a).post(
        reverse("clients:create"), client_post(desk_a, **{field: value})
    )
    # then the form comes back with the Dutch message at the field, the input kept
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    content = response.content.decode()
    assert "Controleer uw invoer" in content
    assert 'value="van Testhuizen"' in content
    assert not Client.objects.filter(family_name="van Testhuizen").exists()


@pytest.mark.django_db
def test_create_with_email_preference_needs_an_email(client_for, desk_a, adviser_a):
    response = client_for(adviser_a).post(
        reverse("clients:create"), client_post(desk_a, email="", preferred_channel="email")
    )
    assert "vul dan een e-mailadres in" in " ".join(response.context["form"].errors["email"])
    assert not Client.objects.filter(family_name="van Testhuizen").exists()


@pytest.mark.django_db
def test_create_warns_about_a_likely_existing_client_and_can_go_on(client_for, desk_a, adviser_a):
    # given a client with the same e-mail address
    existing = ClientFactory(
        desk=desk_a, given_name="Noor", family_name="van Testhuizen", email="noor.test@example.test"
    )
    http = client_for(adviser_a)
    # when the adviser creates the "new" client
    first = http.post(reverse("clients:create"), client_post(desk_a))
    # then nothing is saved yet: the match is shown, with the way on
    content = first.content.decode()
    assert first.status_code == 200
    assert "Komt deze klant al voor?" in content
    assert reverse("clients:detail", args=[existing.uuid]) in content
    assert "zelfde e-mailadres" in content
    assert "Toch een nieuwe klant aanmaken" in content
    assert 'value="van Testhuizen"' in content
    assert Client.objects.filter(family_name="van Testhuizen").count() == 1
    # when they confirm
    second = http.post(reverse("clients:create"), client_post(desk_a, toch_nieuw="1"))
    # then the new client is made
    assert second.status_code == 302
    assert Client.objects.filter(family_name="van Testhuizen").count() == 2


@pytest.mark.django_db
def test_create_does_not_warn_about_a_client_of_another_desk(client_for, desk_a, desk_b, adviser_a):
    ClientFactory(desk=desk_b, family_name="van Testhuizen", email="noor.test@example.test")
    response = client_for(adviser_a).post(reverse("clients:create"), client_post(desk_a))
    assert response.status_code == 302


@pytest.mark.django_db
def test_create_at_a_desk_where_the_user_does_not_work_is_refused(
    client_for, desk_a, desk_b, adviser_b
):
    response = client_for(adviser_b).post(reverse("clients:create"), client_post(desk_a))
    assert response.status_code == 200
    assert "Kies een loket waar u werkt." in " ".join(response.context["form"].errors["desk"])
    assert not Client.objects.filter(family_name="van Testhuizen").exists()


# -- edit ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_a_client(client_for, desk_a, adviser_a):
    client = ClientFactory(desk=desk_a, given_name="Oud", phone="0101234567")
    response = client_for(adviser_a).post(
        reverse("clients:edit", args=[client.uuid]), edit_post(client, given_name="Nieuw")
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.given_name == "Nieuw"
    assert client.version == 2


@pytest.mark.django_db
def test_edit_after_someone_else_saved_shows_a_conflict_and_keeps_the_input(
    client_for, desk_a, adviser_a, manager_a
):
    # given two people who opened the same client
    client = ClientFactory(desk=desk_a, given_name="Begin")
    loaded = edit_post(client)
    # when the first saves
    assert (
        client_for(manager_a)
        .post(reverse("clients:edit", args=[client.uuid]), {**loaded, "given_name": "Eerste"})
        .status_code
        == 302
    )
    # and the second saves the old version
    response = client_for(adviser_a).post(
        reverse("clients:edit", args=[client.uuid]), {**loaded, "given_name": "Tweede"}
    )
    # then the second gets the Dutch conflict message with their input, nothing is lost
    content = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in content
    assert "Laad de actuele gegevens" in content
    assert 'value="Tweede"' in content
    client.refresh_from_db()
    assert client.given_name == "Eerste"


@pytest.mark.django_db
def test_edit_with_a_bad_phone_saves_nothing(client_for, desk_a, adviser_a):
    client = ClientFactory(desk=desk_a, phone="0101234567")
    response = client_for(adviser_a).post(
        reverse("clients:edit", args=[client.uuid]), edit_post(client, phone="geen nummer")
    )
    assert response.status_code == 200
    assert "Vul een telefoonnummer in" in " ".join(response.context["form"].errors["phone"])
    client.refresh_from_db()
    assert client.phone == "0101234567" and client.version == 1


@pytest.mark.django_db
def test_erased_client_cannot_be_edited(client_for, desk_a, adviser_a, manager_a):
    client = ClientFactory(desk=desk_a)
    client_erase(actor=manager_a, client=client)
    http = client_for(adviser_a)
    get = http.get(reverse("clients:edit", args=[client.uuid]))
    post = http.post(reverse("clients:edit", args=[client.uuid]), edit_post(client))
    assert get.status_code == 302 and post.status_code == 302
    client.refresh_from_db()
    assert client.given_name == "Geanonimiseerd"


# -- client page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_client_page_shows_details_consents_trajectories_and_timeline(
    client_for, desk_a, adviser_a
):
    # given a client with a trajectory, a conversation, a request and consent
    client = ClientFactory(
        desk=desk_a, given_name="Sanne", family_name="Tijdlijn-Test", postcode="3011 AD"
    )
    client.target_groups.set(TargetGroup.objects.filter(is_active=True)[:1])
    trajectory = TrajectoryFactory(client=client, adviser=adviser_a, theme=QuestionTheme.RETRAINING)
    RegistrationFactory(trajectory=trajectory)
    IntakeRequestFactory(desk=desk_a, client=client, channel=IntakeChannel.WEB_FORM)
    ConsentFactory(client=client, purpose=ConsentPurpose.CONTACT)
    # when the adviser opens the client page
    response = client_for(adviser_a).get(reverse("clients:detail", args=[client.uuid]))
    # then everything is there
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sanne Tijdlijn-Test" in content
    assert client.target_groups.get().name in content
    assert "Omscholing" in content
    assert "Traject geopend: Omscholing" in content
    assert trajectory.registrations.get().type.name in content
    assert "Aanvraag via webformulier" in content
    assert "Gegevens wijzigen" in content
    rows = {row.purpose: row for row in response.context["consents"]}
    assert rows[ConsentPurpose.CONTACT].current is not None
    assert rows[ConsentPurpose.FOLLOW_UP].current is None


@pytest.mark.django_db
def test_viewing_a_client_is_audited(client_for, desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    client_for(adviser_a).get(reverse("clients:detail", args=[client.uuid]))
    event = AuditEvent.objects.get(action="client.view")
    assert event.actor == adviser_a
    assert event.object_uuid == client.uuid
    assert event.desk_id == desk_a.pk


@pytest.mark.django_db
def test_client_page_query_count_does_not_grow_with_the_timeline(client_for, desk_a, adviser_a):
    def count(trajectories: int, registrations: int) -> int:
        client = ClientFactory(desk=desk_a)
        for _ in range(trajectories):
            trajectory = TrajectoryFactory(client=client, adviser=adviser_a)
            RegistrationFactory.create_batch(registrations, trajectory=trajectory)
            IntakeRequestFactory(desk=desk_a, client=client)
        ConsentFactory(client=client)
        http = client_for(adviser_a)
        with CaptureQueriesContext(connection) as queries:
            response = http.get(reverse("clients:detail", args=[client.uuid]))
        assert response.status_code == 200
        return len(queries)

    small = count(1, 1)
    large = count(10, 4)  # 10 trajectories, 40 conversations, 10 requests: two pages
    assert small == large
    assert large <= 15


@pytest.mark.django_db
def test_erased_client_shows_anonymised_without_edit_buttons(
    client_for, desk_a, adviser_a, manager_a
):
    client = ClientFactory(desk=desk_a, given_name="Wordt", family_name="Gewist-Test")
    ConsentFactory(client=client)
    client_erase(actor=manager_a, client=client)
    response = client_for(adviser_a).get(reverse("clients:detail", args=[client.uuid]))
    content = response.content.decode()
    assert "Geanonimiseerd" in content
    assert "Gewist-Test" not in content
    assert reverse("clients:edit", args=[client.uuid]) not in content
    assert reverse("clients:consent_give", args=[client.uuid]) not in content


# -- consent ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdrawing_consent_shows_immediately(client_for, desk_a, adviser_a):
    # given a client who agreed to the satisfaction survey
    client = ClientFactory(desk=desk_a)
    ConsentFactory(client=client, purpose=ConsentPurpose.SATISFACTION_SURVEY)
    http = client_for(adviser_a)
    # when the adviser withdraws it
    response = http.post(
        reverse("clients:consent_withdraw", args=[client.uuid]),
        {"purpose": ConsentPurpose.SATISFACTION_SURVEY},
        follow=True,
    )
    # then it no longer holds, and the page says so at once
    assert not has_consent(client, ConsentPurpose.SATISFACTION_SURVEY)
    content = response.content.decode()
    assert "De toestemming is ingetrokken" in content
    rows = {row.purpose: row for row in response.context["consents"]}
    assert rows[ConsentPurpose.SATISFACTION_SURVEY].current is None
    assert rows[ConsentPurpose.SATISFACTION_SURVEY].last_withdrawn is not None
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


@pytest.mark.django_db
def test_giving_consent(client_for, desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    response = client_for(adviser_a).post(
        reverse("clients:consent_give", args=[client.uuid]),
        {"purpose": ConsentPurpose.SHARE_WITH_REFERRER},
        follow=True,
    )
    assert has_consent(client, ConsentPurpose.SHARE_WITH_REFERRER)
    assert "Toestemming vastgelegd" in response.content.decode()


@pytest.mark.django_db
def test_follow_up_consent_needs_the_number_of_months(client_for, desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    http = client_for(adviser_a)
    url = reverse("clients:consent_give", args=[client.uuid])
    # without months: refused with a Dutch message
    refused = http.post(url, {"purpose": ConsentPurpose.FOLLOW_UP}, follow=True)
    assert "Kies na hoeveel maanden" in refused.content.decode()
    assert not has_consent(client, ConsentPurpose.FOLLOW_UP)
    # with months: recorded
    http.post(url, {"purpose": ConsentPurpose.FOLLOW_UP, "follow_up_after_months": "6"})
    consent = Consent.objects.current().get(client=client, purpose=ConsentPurpose.FOLLOW_UP)
    assert consent.follow_up_after_months == 6
    assert consent.recorded_by == adviser_a


@pytest.mark.django_db
def test_consent_pages_take_post_only(client_for, desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    http = client_for(adviser_a)
    assert http.get(reverse("clients:consent_give", args=[client.uuid])).status_code == 405
    assert http.get(reverse("clients:consent_withdraw", args=[client.uuid])).status_code == 405


def test_a_search_with_too_many_results_asks_to_be_more_precise(
    adviser_a, desk_a, client_for, settings
):
    # given more clients with the same name than the search shows
    from leerwerk.clients import views as client_views
    from leerwerk.clients.tests.factories import ClientFactory

    limit = client_views.SEARCH_LIMIT
    client_views.SEARCH_LIMIT = 3
    try:
        for i in range(5):
            ClientFactory(desk=desk_a, family_name="Veelvoorkomend", email=f"veel{i}@example.test")
        # when searching for that name
        response = client_for(adviser_a).get("/medewerkers/klanten/", {"q": "Veelvoorkomend"})
        # then the first three are shown with the advice to search more precisely
        content = response.content.decode()
        assert "Meer dan 3 klanten gevonden" in content
        assert content.count("Veelvoorkomend") >= 3
    finally:
        client_views.SEARCH_LIMIT = limit


def test_a_search_just_under_the_limit_shows_the_exact_count(adviser_a, desk_a, client_for):
    from leerwerk.clients import views as client_views
    from leerwerk.clients.tests.factories import ClientFactory

    limit = client_views.SEARCH_LIMIT
    client_views.SEARCH_LIMIT = 3
    try:
        for i in range(3):
            ClientFactory(desk=desk_a, family_name="Driemaal", email=f"drie{i}@example.test")
        content = (
            client_for(adviser_a).get("/medewerkers/klanten/", {"q": "Driemaal"}).content.decode()
        )
        assert "3 klanten gevonden" in content
        assert "Meer dan" not in content
    finally:
        client_views.SEARCH_LIMIT = limit
