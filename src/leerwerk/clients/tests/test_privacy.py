"""Data-subject services: merging two records of one person, and export (JSON and PDF)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerwerk.clients import privacy
from leerwerk.clients.constants import ConsentPurpose, EducationLevel, Situation
from leerwerk.clients.models import Client, Consent, TargetGroup
from leerwerk.clients.selectors import client_search, has_consent
from leerwerk.clients.services import client_erase, client_update
from leerwerk.clients.tests.factories import ClientFactory, ConsentFactory
from leerwerk.core.constants import DeskRole
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.guidance import vocabulary
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory
from leerwerk.guidance.tests.factories import (
    IntakeRequestFactory,
    RegistrationFactory,
    TrajectoryFactory,
)
from leerwerk.network.tests.factories import StaffMembershipFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(n):
    return NOW - datetime.timedelta(days=n)


def with_work(client, *, trajectories=1, registrations_per_trajectory=2, requests=1):
    for _ in range(trajectories):
        trajectory = TrajectoryFactory(client=client)
        for _ in range(registrations_per_trajectory):
            RegistrationFactory(trajectory=trajectory)
    for _ in range(requests):
        IntakeRequestFactory(desk=client.desk, client=client, status="handled")
    return client


def counts(*clients):
    return {
        "trajectories": Trajectory.objects.filter(client__in=clients).count(),
        "registrations": Registration.objects.filter(client__in=clients).count(),
        "requests": IntakeRequest.objects.filter(client__in=clients).count(),
        "consents": Consent.objects.filter(client__in=clients).count(),
    }


# -- merge -----------------------------------------------------------------------------------


def test_merge_moves_everything_and_counts_stay_equal(desk_a, adviser_a):
    # given: two records of one person, each with work
    keep = with_work(ClientFactory(desk=desk_a, given_name="Sanne", family_name="Visser"))
    duplicate = with_work(
        ClientFactory(desk=desk_a, given_name="Sanne", family_name="Visser"),
        trajectories=2,
        registrations_per_trajectory=3,
        requests=2,
    )
    RegistrationFactory(code=vocabulary.INFORMATION_CONTACT, client=duplicate)
    ConsentFactory(client=duplicate, purpose=ConsentPurpose.SATISFACTION_SURVEY)
    before = counts(keep, duplicate)
    registrations_total = Registration.objects.count()
    # when
    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # then: all of it now belongs to keep, nothing was lost or doubled
    assert counts(keep) == before
    assert counts(duplicate) == dict.fromkeys(before, 0)
    assert Registration.objects.count() == registrations_total
    assert before["registrations"] == 2 + 6 + 1
    assert has_consent(keep, ConsentPurpose.SATISFACTION_SURVEY)


def test_merge_marks_and_anonymises_the_duplicate(desk_a, adviser_a):
    # given
    keep = ClientFactory(desk=desk_a, family_name="Visser")
    duplicate = ClientFactory(
        desk=desk_a,
        given_name="Sanne",
        family_name="Visser-de Boer",
        email="sanne@example.test",
        phone="06 11112222",
        notes="Heeft twee kinderen.",
        language_needs="Spreekt liever Engels",
    )
    # when
    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # then
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    for field in ("family_name", "email", "phone", "postcode", "notes", "language_needs"):
        assert getattr(duplicate, field) == "", field
    assert duplicate.given_name == privacy.MERGED_NAME
    assert duplicate.birth_year is None
    assert duplicate.erased_at is None
    assert list(client_search(user=adviser_a, query="Visser")) == [keep]


def test_merge_fills_empty_fields_of_keep_and_keeps_its_own(desk_a, adviser_a):
    # given
    group_a = TargetGroup.objects.create(code="test-groep-a", name="Testgroep A")
    group_b = TargetGroup.objects.create(code="test-groep-b", name="Testgroep B")
    keep = ClientFactory(
        desk=desk_a,
        email="keep@example.test",
        phone="",
        birth_year=None,
        postcode="",
        municipality=None,
        situation=Situation.OTHER,
        education_level=EducationLevel.MBO_2,
        notes="Eerste notitie.",
        target_groups=[group_a],
    )
    duplicate = ClientFactory(
        desk=desk_a,
        email="dup@example.test",
        phone="06 33334444",
        birth_year=1971,
        postcode="9711 AA",
        situation=Situation.WORKER,
        education_level=EducationLevel.HBO,
        has_startkwalificatie=True,
        notes="Tweede notitie.",
        target_groups=[group_b],
    )
    # when
    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # then: empty fields filled, filled fields kept, notes and groups combined
    keep.refresh_from_db()
    assert keep.email == "keep@example.test"
    assert keep.phone == "06 33334444"
    assert keep.birth_year == 1971
    assert keep.postcode == "9711 AA"
    assert keep.municipality is not None and keep.municipality.name == "Groningen"
    assert keep.situation == Situation.WORKER
    assert keep.education_level == EducationLevel.MBO_2
    assert keep.has_startkwalificatie is True
    assert "Eerste notitie." in keep.notes and "Tweede notitie." in keep.notes
    assert set(keep.target_groups.all()) == {group_a, group_b}


def test_merge_keeps_the_earliest_current_consent_per_purpose(desk_a, adviser_a):
    # given: both records hold current consent for contact; the duplicate's is older
    keep = ClientFactory(desk=desk_a)
    duplicate = ClientFactory(desk=desk_a)
    ConsentFactory(client=keep, purpose=ConsentPurpose.CONTACT, given_at=days_ago(5))
    earliest = ConsentFactory(
        client=duplicate, purpose=ConsentPurpose.CONTACT, given_at=days_ago(40)
    )
    # when
    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # then
    current = Consent.objects.current().filter(client=keep, purpose=ConsentPurpose.CONTACT)
    assert list(current) == [earliest]
    assert current.get().given_at == earliest.given_at


def test_merge_respects_a_later_withdrawal_on_the_other_record(desk_a, adviser_a):
    # given: consent given on the duplicate, later withdrawn on keep
    keep = ClientFactory(desk=desk_a)
    duplicate = ClientFactory(desk=desk_a)
    withdrawn_at = days_ago(3)
    ConsentFactory(
        client=keep,
        purpose=ConsentPurpose.FOLLOW_UP,
        given_at=days_ago(30),
        withdrawn_at=withdrawn_at,
    )
    ConsentFactory(client=duplicate, purpose=ConsentPurpose.FOLLOW_UP, given_at=days_ago(20))
    # and consent given again after a withdrawal stays
    ConsentFactory(
        client=duplicate,
        purpose=ConsentPurpose.CONTACT,
        given_at=days_ago(50),
        withdrawn_at=days_ago(40),
    )
    ConsentFactory(client=keep, purpose=ConsentPurpose.CONTACT, given_at=days_ago(10))
    # when
    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # then
    assert not has_consent(keep, ConsentPurpose.FOLLOW_UP)
    assert has_consent(keep, ConsentPurpose.CONTACT)
    moved = Consent.objects.filter(client=keep, purpose=ConsentPurpose.FOLLOW_UP)
    assert moved.count() == 2
    assert all(c.withdrawn_at == withdrawn_at for c in moved)


def test_merge_is_audited_with_both_ids(desk_a, adviser_a):
    # given
    keep, duplicate = ClientFactory(desk=desk_a), ClientFactory(desk=desk_a)
    # when
    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # then
    event = AuditEvent.objects.get(action="client.merge")
    assert event.actor_id == adviser_a.pk
    assert event.desk_id == desk_a.pk
    assert event.detail["keep"] == str(keep.uuid)
    assert event.detail["duplicate"] == str(duplicate.uuid)


def test_merge_is_one_transaction(desk_a, adviser_a, monkeypatch):
    # given: the audit at the end fails
    keep = ClientFactory(desk=desk_a)
    duplicate = with_work(ClientFactory(desk=desk_a, family_name="Jansen"))
    before = counts(duplicate)

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(privacy, "audit_record", broken)
    # when
    with pytest.raises(RuntimeError):
        privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # then: nothing moved, nothing anonymised
    assert counts(duplicate) == before
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.family_name == "Jansen"


def test_merge_gives_both_records_a_new_version(desk_a, adviser_a):
    # given: someone has the keep record open in a form
    keep, duplicate = ClientFactory(desk=desk_a), ClientFactory(desk=desk_a)
    stale_version = keep.version
    privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    # when: they save what they loaded before the merge
    with pytest.raises(ConflictError):
        client_update(
            actor=adviser_a, client=keep, expected_version=stale_version, notes="Oude versie"
        )


def test_merge_refuses_a_client_into_itself(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    with pytest.raises(ValidationError, match="zichzelf"):
        privacy.client_merge(actor=adviser_a, keep=client, duplicate=client)


@pytest.mark.parametrize("erased", ["keep", "duplicate"])
def test_merge_refuses_erased_clients(desk_a, manager_a, erased):
    # given
    clients = {"keep": ClientFactory(desk=desk_a), "duplicate": ClientFactory(desk=desk_a)}
    client_erase(actor=manager_a, client=clients[erased])
    clients[erased].refresh_from_db()
    # when / then
    with pytest.raises(ValidationError, match="geanonimiseerd"):
        privacy.client_merge(actor=manager_a, **clients)
    assert Client.objects.filter(merged_into__isnull=False).count() == 0


def test_merge_refuses_an_already_merged_duplicate(desk_a, adviser_a):
    # given
    first, second, duplicate = (ClientFactory(desk=desk_a) for _ in range(3))
    privacy.client_merge(actor=adviser_a, keep=first, duplicate=duplicate)
    # when / then
    with pytest.raises(ValidationError, match="al samengevoegd"):
        privacy.client_merge(actor=adviser_a, keep=second, duplicate=duplicate)


def test_merge_refuses_clients_of_two_desks_even_for_staff_of_both(desk_a, desk_b, adviser_a):
    # given: an adviser working at both desks
    StaffMembershipFactory(user=adviser_a, desk=desk_b, role=DeskRole.ADVISER)
    keep, duplicate = ClientFactory(desk=desk_a), with_work(ClientFactory(desk=desk_b))
    # when / then
    with pytest.raises(ValidationError, match="hetzelfde loket"):
        privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)
    assert Trajectory.objects.filter(client=duplicate).count() == 1


@pytest.mark.parametrize("actor", ["adviser_b", "national_user", "ministry_user"])
def test_merge_by_other_desk_or_national_team_is_denied(desk_a, actor, request):
    # given
    user = request.getfixturevalue(actor)
    keep, duplicate = ClientFactory(desk=desk_a), ClientFactory(desk=desk_a)
    # when / then
    with pytest.raises(PermissionDenied):
        privacy.client_merge(actor=user, keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merge_with_a_client_of_another_desk_is_denied(desk_a, desk_b, adviser_a):
    keep, duplicate = ClientFactory(desk=desk_a), ClientFactory(desk=desk_b)
    with pytest.raises(PermissionDenied):
        privacy.client_merge(actor=adviser_a, keep=keep, duplicate=duplicate)


# -- export ----------------------------------------------------------------------------------


@pytest.fixture
def full_client(desk_a, adviser_a):
    """A client with a bit of everything, next to another client of the same desk."""
    group = TargetGroup.objects.create(code="test-herintreders", name="Testherintreders")
    client = ClientFactory(
        desk=desk_a,
        given_name="Mila",
        family_name="de Groot",
        email="mila@example.test",
        target_groups=[group],
    )
    request = IntakeRequestFactory(
        desk=desk_a, client=client, status="handled", description="Ik wil de zorg in."
    )
    trajectory = TrajectoryFactory(client=client, intake_request=request, adviser=adviser_a)
    RegistrationFactory(trajectory=trajectory, code=vocabulary.INTAKE, channel="phone")
    RegistrationFactory(trajectory=trajectory, code=vocabulary.COMPETENCE_TEST)
    RegistrationFactory(
        trajectory=trajectory, status="no_show", duration_minutes=None, channel="video"
    )
    RegistrationFactory(code=vocabulary.INFORMATION_CONTACT, client=client, channel="chat")
    ConsentFactory(client=client, purpose=ConsentPurpose.CONTACT, given_at=days_ago(10))
    ConsentFactory(
        client=client,
        purpose=ConsentPurpose.SATISFACTION_SURVEY,
        given_at=days_ago(9),
        withdrawn_at=days_ago(2),
    )
    other = with_work(
        ClientFactory(desk=desk_a, given_name="Bram", family_name="Bakker", email="bram@x.test")
    )
    ConsentFactory(client=other)
    RegistrationFactory(code=vocabulary.EMPLOYER_ADVICE, desk=desk_a)
    return client


def test_export_contains_everything_about_the_client(full_client, adviser_a):
    # when
    data = privacy.client_export(actor=adviser_a, client=full_client)
    # then
    assert data["client"]["uuid"] == str(full_client.uuid)
    assert data["client"]["family_name"] == "de Groot"
    assert data["client"]["email"] == "mila@example.test"
    assert data["desk"]["name"] == full_client.desk.display_name
    assert data["target_groups"] == ["Testherintreders"]
    assert {c["purpose"] for c in data["consents"]} == {"contact", "satisfaction_survey"}
    withdrawn = next(c for c in data["consents"] if c["purpose"] == "satisfaction_survey")
    assert withdrawn["given_at"] and withdrawn["withdrawn_at"]
    assert [r["description"] for r in data["requests"]] == ["Ik wil de zorg in."]
    assert len(data["trajectories"]) == 1
    assert data["trajectories"][0]["adviser"] == adviser_a.name
    by_type = {r["type"]: r for r in data["registrations"]}
    assert set(by_type) == {
        vocabulary.INTAKE,
        vocabulary.COMPETENCE_TEST,
        vocabulary.ADVICE_CONVERSATION,
        vocabulary.INFORMATION_CONTACT,
    }
    assert by_type[vocabulary.INTAKE]["channel"] == "phone"
    assert by_type[vocabulary.ADVICE_CONVERSATION]["status"] == "no_show"
    assert by_type[vocabulary.INFORMATION_CONTACT]["trajectory"] is None
    assert by_type[vocabulary.COMPETENCE_TEST]["occurred_on"] == timezone.localdate().isoformat()


def test_export_holds_no_data_of_other_clients(full_client, adviser_a):
    # when
    data = privacy.client_export(actor=adviser_a, client=full_client)
    # then
    ours = {str(r.uuid) for r in Registration.objects.filter(client=full_client)}
    assert {r["uuid"] for r in data["registrations"]} == ours
    text = json.dumps(data)
    assert "Bram" not in text and "Bakker" not in text and "bram@x.test" not in text
    assert "Testbedrijf" not in text


def test_export_is_json_serialisable_and_audited(full_client, adviser_a):
    # when
    data = privacy.client_export(actor=adviser_a, client=full_client)
    # then
    assert json.loads(json.dumps(data)) == data
    event = AuditEvent.objects.get(action="client.export")
    assert event.object_uuid == full_client.uuid
    assert event.actor_id == adviser_a.pk
    assert event.detail == {"format": "json"}


def test_export_query_count_does_not_grow_with_the_data(
    full_client, adviser_a, django_assert_max_num_queries
):
    # given: much more work for the client
    trajectory = TrajectoryFactory(client=full_client)
    for _ in range(20):
        RegistrationFactory(trajectory=trajectory, adviser=adviser_a)
    # when / then: one query per kind of data, whatever the amount; +2 for Mijn Leerwerkloket
    # (links, erasure requests), +3 for the dossier (messages, plans, their steps)
    with django_assert_max_num_queries(12 + 2 + 3):
        privacy.client_export(actor=adviser_a, client=full_client)


def test_export_of_an_erased_client_holds_no_personal_details(full_client, manager_a):
    # given
    client_erase(actor=manager_a, client=full_client)
    # when
    data = privacy.client_export(actor=manager_a, client=full_client)
    # then
    text = json.dumps(data)
    assert "Mila" not in text and "mila@example.test" not in text
    assert "Ik wil de zorg in." not in text
    assert data["client"]["erased_at"]
    assert len(data["registrations"]) == 4


@pytest.mark.parametrize("actor", ["adviser_b", "manager_b", "national_user", "ministry_user"])
@pytest.mark.parametrize("export", ["client_export", "client_export_pdf", "client_export_html"])
def test_export_by_other_desk_or_national_team_is_denied(full_client, actor, export, request):
    # given
    user = request.getfixturevalue(actor)
    # when / then
    with pytest.raises(PermissionDenied):
        getattr(privacy, export)(actor=user, client=full_client)
    assert not AuditEvent.objects.filter(action="client.export").exists()


def test_pdf_export_is_a_pdf_and_audited(full_client, adviser_a):
    # when
    pdf = privacy.client_export_pdf(actor=adviser_a, client=full_client)
    # then
    assert pdf.startswith(b"%PDF")
    assert AuditEvent.objects.get(action="client.export").detail == {"format": "pdf"}


def test_pdf_report_is_readable_dutch_with_page_numbers(full_client, adviser_a):
    from weasyprint import HTML

    # when
    html = privacy.client_export_html(actor=adviser_a, client=full_client)
    document = HTML(string=html).render()
    # then
    assert len(document.pages) >= 1
    assert "<title>Overzicht van uw gegevens</title>" in html
    assert full_client.desk.display_name in html
    assert 'counter(page) " van " counter(pages)' in html
    assert "Gemaakt op" in html
    for heading in ("Uw gegevens", "Uw toestemming", "Uw aanvragen", "Uw trajecten"):
        assert heading in html
    assert "Competentietest (CTC)" in html
    assert "Niet verschenen" in html
    assert "Bram" not in html


def test_long_pdf_report_runs_over_several_pages(full_client, adviser_a):
    from weasyprint import HTML

    # given
    trajectory = TrajectoryFactory(client=full_client)
    for _ in range(80):
        RegistrationFactory(trajectory=trajectory, note="Gesprek over een opleiding in de zorg.")
    # when
    document = HTML(string=privacy.client_export_html(actor=adviser_a, client=full_client))
    # then
    assert len(document.render().pages) >= 2


def test_export_and_erasure_reach_appointments_funding_advice_offers_and_self_tests(
    desk_a, manager_a, adviser_a
):
    from leerwerk.agenda.tests.factories import AppointmentFactory, SlotFactory
    from leerwerk.catalogue.models import SavedOffer
    from leerwerk.catalogue.tests.factories import offer
    from leerwerk.funding import services as funding_services
    from leerwerk.funding.eligibility import SituationFacts
    from leerwerk.portal.models import SelfTestShare

    # given a client with an appointment, saved funding advice, a saved offer and a shared test
    client = ClientFactory(desk=desk_a, given_name="Fatima", family_name="El Amrani")
    trajectory = TrajectoryFactory(desk=desk_a, client=client)
    appointment = AppointmentFactory(
        slot=SlotFactory(desk=desk_a),
        desk=desk_a,
        client=client,
        given_name="Fatima",
        family_name="El Amrani",
        email="fatima@example.test",
        question="Ik wil de zorg in.",
    )
    funding_services.funding_advice_save(
        actor=adviser_a,
        trajectory=trajectory,
        situation=SituationFacts(age=41),
        training=None,
        note="Belt terug na gesprek met werkgever.",
    )
    SavedOffer.objects.create(
        desk=desk_a, trajectory=trajectory, offer=offer(), note="Past bij Fatima"
    )
    SelfTestShare.objects.create(
        code="ABCD-1234",
        kind="interests",
        result={"scores": {"sociaal": 80}},
        expires_at=timezone.now() + datetime.timedelta(days=30),
        desk=desk_a,
        trajectory=trajectory,
        attached_at=timezone.now(),
    )
    # when the data is exported, everything is in it
    data = privacy.client_export(actor=manager_a, client=client)
    assert data["appointments"][0]["question"] == "Ik wil de zorg in."
    assert data["funding_advice"][0]["note"] == "Belt terug na gesprek met werkgever."
    assert data["saved_offers"][0]["note"] == "Past bij Fatima"
    assert data["self_tests"][0]["result"] == {"scores": {"sociaal": 80}}
    json.dumps(data)  # and it stays serialisable
    # when the client is erased, nothing personal is left in those places
    client_erase(actor=manager_a, client=client)
    appointment.refresh_from_db()
    assert (appointment.family_name, appointment.email, appointment.question) == ("", "", "")
    assert "Fatima" not in appointment.given_name
    advice = trajectory.funding_advices.get()
    assert advice.note == "" and advice.situation["age"] is None
    assert SavedOffer.objects.get(trajectory=trajectory).note == ""
    assert not SelfTestShare.objects.filter(trajectory=trajectory).exists()
    after = privacy.client_export(actor=manager_a, client=client)
    assert "Fatima" not in json.dumps(after, default=str)
