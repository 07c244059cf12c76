"""Rules of the client services and selectors: validation, consent, search, erasure,
version conflicts and desk scoping."""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leerwerk.clients import services
from leerwerk.clients.constants import ConsentPurpose, ContactChannel
from leerwerk.clients.models import Client, Consent, Employer
from leerwerk.clients.selectors import client_match_candidates, client_search, has_consent
from leerwerk.clients.tests.factories import ClientFactory, ConsentFactory, EmployerFactory
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.guidance import vocabulary
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory
from leerwerk.guidance.tests.factories import (
    IntakeRequestFactory,
    RegistrationFactory,
    TrajectoryFactory,
)
from leerwerk.network.models import Postcode

pytestmark = pytest.mark.django_db


def create(actor, desk, **values):
    defaults = {
        "given_name": "Sanne",
        "family_name": "Visser",
        "email": "sanne@example.test",
        "preferred_channel": ContactChannel.EMAIL,
    }
    return services.client_create(actor=actor, desk=desk, **{**defaults, **values})


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# -- client validation -------------------------------------------------------------------------


def test_create_normalises_and_derives_municipality(desk_a, adviser_a):
    # when
    client = create(adviser_a, desk_a, email=" Sanne@Example.TEST ", postcode="3011ab")
    # then
    assert client.email == "sanne@example.test"
    assert client.postcode == "3011 AB"
    assert client.municipality.name == "Rotterdam"
    assert AuditEvent.objects.filter(action="client.create", object_uuid=client.uuid).exists()


@pytest.mark.parametrize("postcode", ["123 AB", "0123 AB", "12345", "ABCD 12", "1234 A1"])
def test_postcode_must_look_like_a_dutch_postcode(desk_a, adviser_a, postcode):
    with pytest.raises(ValidationError) as excinfo:
        create(adviser_a, desk_a, postcode=postcode)
    assert errors_of(excinfo)["postcode"] == ["Vul een postcode in zoals 1234 AB."]
    assert not Client.objects.exists()


def test_unknown_postcode_is_refused(desk_a, adviser_a):
    # given: a well-formed postcode that is not in the reference data
    known = set(Postcode.objects.values_list("code", flat=True))
    unknown = next(str(n) for n in range(1000, 10000) if str(n) not in known)
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        create(adviser_a, desk_a, postcode=f"{unknown} AA")
    assert "kennen we niet" in errors_of(excinfo)["postcode"][0]


@pytest.mark.parametrize("phone", ["bel mij", "12345", "06-1234567x"])
def test_phone_number_is_checked(desk_a, adviser_a, phone):
    with pytest.raises(ValidationError) as excinfo:
        create(adviser_a, desk_a, phone=phone)
    assert "telefoonnummer" in errors_of(excinfo)["phone"][0]


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("06 12345678", "0612345678"),
        ("010-1234567", "0101234567"),
        ("+31 6 12345678", "0612345678"),
        ("0031612345678", "0612345678"),
        ("+32 2 123 45 67", "+3221234567"),
    ],
)
def test_good_phone_numbers_pass_and_are_stored_as_digits(desk_a, adviser_a, phone, stored):
    # stored canonically, so a search by phone is one exact, indexed match
    assert create(adviser_a, desk_a, phone=phone).phone == stored


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"preferred_channel": "email", "email": "", "phone": "06 12345678"},
            "email",
            "U koos voor contact via e-mail",
        ),
        (
            {"preferred_channel": "phone", "phone": "", "email": "a@b.test"},
            "phone",
            "U koos voor contact via telefoon",
        ),
        ({"preferred_channel": "phone", "email": "", "phone": ""}, "email", "Vul een e-mailadres"),
    ],
)
def test_preferred_channel_needs_its_contact_detail(desk_a, adviser_a, values, field, message):
    with pytest.raises(ValidationError) as excinfo:
        create(adviser_a, desk_a, **values)
    assert message in errors_of(excinfo)[field][0]


def test_contact_by_post_needs_no_email_or_phone(desk_a, adviser_a):
    client = create(adviser_a, desk_a, preferred_channel="post", email="", postcode="3011 AB")
    assert client.preferred_channel == ContactChannel.POST


@pytest.mark.parametrize(
    ("offset", "valid"), [(None, True), (0, True), (1, False), ("min", True), ("min-1", False)]
)
def test_birth_year_range(desk_a, adviser_a, offset, valid):
    this_year = timezone.localdate().year
    year = {None: None, 0: this_year, 1: this_year + 1, "min": 1900, "min-1": 1899}[offset]
    if valid:
        assert create(adviser_a, desk_a, birth_year=year).birth_year == year
    else:
        with pytest.raises(ValidationError) as excinfo:
            create(adviser_a, desk_a, birth_year=year)
        assert "birth_year" in errors_of(excinfo)


def test_update_leaves_the_object_unchanged_when_refused(desk_a, adviser_a):
    # given
    client = ClientFactory(desk=desk_a, phone="06 12345678")
    # when
    with pytest.raises(ValidationError):
        services.client_update(
            actor=adviser_a, client=client, expected_version=client.version, phone="onzin"
        )
    # then
    assert client.phone == "06 12345678"
    client.refresh_from_db()
    assert client.phone == "06 12345678"


def test_erased_client_cannot_be_updated(desk_a, manager_a):
    client = ClientFactory(desk=desk_a)
    services.client_erase(actor=manager_a, client=client)
    with pytest.raises(ValidationError, match="geanonimiseerd"):
        services.client_update(
            actor=manager_a, client=client, expected_version=client.version, notes="x"
        )


@pytest.mark.parametrize("actor", ["adviser_b", "national_user", "ministry_user"])
def test_other_desk_and_national_team_cannot_create_or_update(desk_a, actor, request):
    user = request.getfixturevalue(actor)
    with pytest.raises(PermissionDenied):
        create(user, desk_a)
    client = ClientFactory(desk=desk_a)
    with pytest.raises(PermissionDenied):
        services.client_update(
            actor=user, client=client, expected_version=client.version, notes="x"
        )


# -- version conflicts --------------------------------------------------------------------------


def test_client_version_conflict_keeps_the_first_save(desk_a, adviser_a, manager_a):
    # given: two people load the same client
    client = ClientFactory(desk=desk_a)
    first = Client.objects.get(pk=client.pk)
    second = Client.objects.get(pk=client.pk)
    # when: both save
    services.client_update(
        actor=adviser_a, client=first, expected_version=first.version, notes="Eerste"
    )
    with pytest.raises(ConflictError) as excinfo:
        services.client_update(
            actor=manager_a, client=second, expected_version=second.version, notes="Tweede"
        )
    # then
    assert excinfo.value.code == "conflict"
    client.refresh_from_db()
    assert client.notes == "Eerste"
    assert client.version == first.version


# -- employers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "KVK12345"])
def test_kvk_number_has_eight_digits(desk_a, adviser_a, kvk):
    with pytest.raises(ValidationError) as excinfo:
        services.employer_create(actor=adviser_a, desk=desk_a, name="Bakkerij", kvk_number=kvk)
    assert "Een KvK-nummer heeft 8 cijfers." in errors_of(excinfo)["kvk_number"]


def test_kvk_number_is_unique_per_desk(desk_a, desk_b, adviser_a, adviser_b):
    # given
    services.employer_create(actor=adviser_a, desk=desk_a, name="Bakkerij", kvk_number="1234 5678")
    # when: the same number again at the same desk
    with pytest.raises(ValidationError) as excinfo:
        services.employer_create(actor=adviser_a, desk=desk_a, name="Bakker", kvk_number="12345678")
    # then
    assert "staat al in het systeem" in str(excinfo.value)
    # but another desk may register it, and employers without a number are not unique
    services.employer_create(actor=adviser_b, desk=desk_b, name="Bakkerij", kvk_number="12345678")
    services.employer_create(actor=adviser_a, desk=desk_a, name="Zonder nummer 1")
    services.employer_create(actor=adviser_a, desk=desk_a, name="Zonder nummer 2")
    assert Employer.objects.filter(kvk_number="12345678").count() == 2


def test_employer_update_conflict(desk_a, adviser_a):
    employer = EmployerFactory(desk=desk_a, name="Oud")
    stale = Employer.objects.get(pk=employer.pk)
    services.employer_update(
        actor=adviser_a, employer=employer, expected_version=employer.version, name="Nieuw"
    )
    with pytest.raises(ConflictError):
        services.employer_update(
            actor=adviser_a, employer=stale, expected_version=stale.version, name="Anders"
        )
    employer.refresh_from_db()
    assert employer.name == "Nieuw"


def test_contact_person_needs_email_or_phone(desk_a, adviser_a):
    employer = EmployerFactory(desk=desk_a)
    with pytest.raises(ValidationError):
        services.employer_contact_person_add(actor=adviser_a, employer=employer, name="Piet")
    person = services.employer_contact_person_add(
        actor=adviser_a, employer=employer, name="Piet", phone="010 1234567"
    )
    assert person.employer == employer


def test_employer_of_other_desk_is_denied(desk_a, adviser_b):
    employer = EmployerFactory(desk=desk_a)
    with pytest.raises(PermissionDenied):
        services.employer_update(
            actor=adviser_b, employer=employer, expected_version=employer.version, name="X"
        )


# -- consent ------------------------------------------------------------------------------------


def test_consent_give_and_withdraw_takes_effect_at_once(desk_a, adviser_a):
    # given
    client = ClientFactory(desk=desk_a)
    services.consent_give(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    assert has_consent(client, ConsentPurpose.CONTACT)
    # when
    services.consent_withdraw(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    # then: the very next check sees it
    assert not has_consent(client, ConsentPurpose.CONTACT)
    consent = Consent.objects.get(client=client)
    assert consent.withdrawn_at is not None and consent.withdrawn_at >= consent.given_at
    actions = list(
        AuditEvent.objects.filter(object_uuid=client.uuid).values_list("action", flat=True)
    )
    assert "consent.give" in actions and "consent.withdraw" in actions


def test_consent_can_be_given_again_after_withdrawal(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    services.consent_give(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    services.consent_withdraw(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    services.consent_give(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    assert has_consent(client, ConsentPurpose.CONTACT)
    assert Consent.objects.filter(client=client).count() == 2


def test_giving_current_consent_again_changes_nothing(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    first = services.consent_give(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    again = services.consent_give(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    assert again == first
    assert Consent.objects.filter(client=client).count() == 1


def test_withdrawing_absent_consent_is_a_no_op(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    assert services.consent_withdraw(actor=adviser_a, client=client, purpose="contact") is None


def test_consent_is_per_purpose(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    services.consent_give(actor=adviser_a, client=client, purpose=ConsentPurpose.CONTACT)
    assert not has_consent(client, ConsentPurpose.SATISFACTION_SURVEY)
    with pytest.raises(ValueError):
        has_consent(client, "marketing")


def test_consent_purpose_must_be_known(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    with pytest.raises(ValidationError) as excinfo:
        services.consent_give(actor=adviser_a, client=client, purpose="marketing")
    assert "purpose" in errors_of(excinfo)


@pytest.mark.parametrize(
    ("months", "valid"), [(None, False), (0, False), (1, True), (36, True), (37, False)]
)
def test_follow_up_consent_needs_months(desk_a, adviser_a, months, valid):
    client = ClientFactory(desk=desk_a)

    def give():
        return services.consent_give(
            actor=adviser_a,
            client=client,
            purpose=ConsentPurpose.FOLLOW_UP,
            follow_up_after_months=months,
        )

    if valid:
        assert give().follow_up_after_months == months
    else:
        with pytest.raises(ValidationError) as excinfo:
            give()
        assert "follow_up_after_months" in errors_of(excinfo)
        assert not has_consent(client, ConsentPurpose.FOLLOW_UP)


def test_months_are_only_kept_for_follow_up(desk_a, adviser_a):
    client = ClientFactory(desk=desk_a)
    consent = services.consent_give(
        actor=adviser_a, client=client, purpose="contact", follow_up_after_months=6
    )
    assert consent.follow_up_after_months is None


@pytest.mark.parametrize("actor", ["adviser_b", "national_user"])
def test_consent_of_other_desk_is_denied(desk_a, actor, request):
    client = ConsentFactory(client__desk=desk_a).client
    user = request.getfixturevalue(actor)
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=user, client=client, purpose="contact")
    assert has_consent(client, "contact")


# -- search ---------------------------------------------------------------------------------------


@pytest.fixture
def search_clients(desk_a, desk_b):
    found = ClientFactory(
        desk=desk_a,
        given_name="Anouk",
        family_name="van der Berg",
        email="anouk.berg@example.test",
        phone="0698765432",  # as the services store it
        postcode="3011 AB",
    )
    ClientFactory(desk=desk_a, given_name="Bas", family_name="Smit", postcode="3072 XY")
    ClientFactory(  # same details at another desk
        desk=desk_b,
        given_name="Anouk",
        family_name="van der Berg",
        email="anouk.berg@example.test",
        phone="0698765432",  # as the services store it
        postcode="3011 AB",
    )
    erased = ClientFactory(desk=desk_a, given_name="Anouk", family_name="Berg-Weg")
    erased.erased_at = timezone.now()
    erased.save()
    merged = ClientFactory(desk=desk_a, given_name="Anouk", family_name="van der Berg")
    merged.merged_into = found
    merged.save()
    return found


@pytest.mark.parametrize(
    "query",
    [
        "Anouk",
        "anouk berg",
        "van der Berg",
        "ANOUK.BERG@example.test",
        "06 98765432",
        "0698765432",
        "3011",
        "3011 ab",
        "3011AB",
    ],
)
def test_search_finds_by_name_email_phone_postcode_in_own_desk_only(
    search_clients, adviser_a, query, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the user's desks, then the clients
        result = list(client_search(user=adviser_a, query=query))
    assert result == [search_clients]


@pytest.mark.parametrize("query", ["", "   ", "Pieter", "nobody@example.test", "9711"])
def test_search_finds_nothing(search_clients, adviser_a, query):
    assert list(client_search(user=adviser_a, query=query)) == []


def test_national_team_finds_no_client(search_clients, national_user):
    assert list(client_search(user=national_user, query="Anouk")) == []


def test_match_candidates_list_the_likely_same_person(search_clients, adviser_a, desk_a):
    candidates = client_match_candidates(
        user=adviser_a,
        desk_id=desk_a.pk,
        email="anouk.berg@example.test",
        family_name="van der Berg",
        given_name="A",
    )
    assert [c.client for c in candidates] == [search_clients]
    assert "zelfde e-mailadres" in candidates[0].reasons


# -- erasure --------------------------------------------------------------------------------------


def registration_counts(desk):
    return Counter(Registration.objects.filter(desk=desk).values_list("type__code", flat=True))


def test_erase_keeps_counts_and_removes_personal_details(desk_a, manager_a):
    # given
    client = ClientFactory(desk=desk_a, notes="Gevoelig", language_needs="Engels", birth_year=1970)
    trajectory = TrajectoryFactory(client=client)
    RegistrationFactory(trajectory=trajectory, note="Over de scheiding gesproken")
    RegistrationFactory(trajectory=trajectory, code=vocabulary.COMPETENCE_TEST)
    RegistrationFactory(code=vocabulary.INFORMATION_CONTACT, client=client)
    request = IntakeRequestFactory(desk=desk_a, client=client, status="handled")
    ConsentFactory(client=client)
    counts_before = registration_counts(desk_a)
    trajectories_before = Trajectory.objects.filter(desk=desk_a).count()
    # when
    services.client_erase(actor=manager_a, client=client)
    # then: the numbers for the reports are the same
    assert registration_counts(desk_a) == counts_before
    assert Trajectory.objects.filter(desk=desk_a).count() == trajectories_before
    assert Trajectory.objects.get(pk=trajectory.pk).client == client
    # and the person is gone
    client.refresh_from_db()
    assert client.is_erased
    assert client.given_name == services.ERASED_NAME
    for field in ("family_name", "email", "phone", "postcode", "notes", "language_needs"):
        assert getattr(client, field) == "", field
    assert client.birth_year is None
    assert client.municipality is not None  # kept for the split of the figures
    assert not Registration.objects.filter(client=client).exclude(note="").exists()
    request.refresh_from_db()
    assert request.email == "" and request.description == ""
    assert not Consent.objects.current().filter(client=client).exists()
    assert not has_consent(client, ConsentPurpose.CONTACT)
    assert AuditEvent.objects.filter(action="client.erase", object_uuid=client.uuid).exists()
    assert IntakeRequest.objects.filter(pk=request.pk).exists()


def test_erase_is_for_the_desk_manager_only(desk_a, adviser_a, manager_b, national_user):
    client = ClientFactory(desk=desk_a)
    for user in (adviser_a, manager_b, national_user):
        with pytest.raises(PermissionDenied):
            services.client_erase(actor=user, client=client)
    client.refresh_from_db()
    assert not client.is_erased


def test_erase_twice_changes_nothing(desk_a, manager_a):
    client = ClientFactory(desk=desk_a)
    services.client_erase(actor=manager_a, client=client)
    erased_at = Client.objects.get(pk=client.pk).erased_at
    services.client_erase(actor=manager_a, client=client)
    assert Client.objects.get(pk=client.pk).erased_at == erased_at


REGISTRATION_CODES = [
    vocabulary.INTAKE,
    vocabulary.ADVICE_CONVERSATION,
    vocabulary.INFORMATION_CONTACT,
    vocabulary.COMPETENCE_TEST,
    "evc",
    "werkscan",
]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    codes=st.lists(st.sampled_from(REGISTRATION_CODES), max_size=8),
    other_codes=st.lists(st.sampled_from(REGISTRATION_CODES), max_size=3),
    trajectories=st.integers(min_value=1, max_value=3),
)
def test_property_erase_never_changes_registration_counts(
    desk_a, manager_a, codes, other_codes, trajectories
):
    # given: a client with any mix of registrations, and another client
    client = ClientFactory(desk=desk_a)
    own = [TrajectoryFactory(client=client) for _ in range(trajectories)]
    for n, code in enumerate(codes):
        if code == vocabulary.INFORMATION_CONTACT:
            RegistrationFactory(code=code, client=client, note="notitie")
        else:
            RegistrationFactory(code=code, trajectory=own[n % len(own)], note="notitie")
    for code in other_codes:
        RegistrationFactory(code=code, desk=desk_a)
    before = registration_counts(desk_a)
    before_client = Counter(
        Registration.objects.filter(client=client).values_list("type__code", flat=True)
    )
    # when
    services.client_erase(actor=manager_a, client=client)
    # then
    assert registration_counts(desk_a) == before
    assert (
        Counter(Registration.objects.filter(client=client).values_list("type__code", flat=True))
        == before_client
    )
    assert before_client == Counter(codes)
