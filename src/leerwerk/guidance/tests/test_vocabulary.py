"""The national vocabulary: drafts, publishing with an effective date, immutability."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerwerk.guidance import services, vocabulary
from leerwerk.guidance.models import RegistrationType, VocabularyVersion
from leerwerk.guidance.selectors import registration_types, vocabulary_in_force
from leerwerk.guidance.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_version_one_is_in_force_with_the_design_types():
    version = vocabulary_in_force()
    assert version.number == 1
    codes = set(registration_types().values_list("code", flat=True))
    assert {vocabulary.INTAKE, vocabulary.ADVICE_CONVERSATION, vocabulary.COMPETENCE_TEST} <= codes


@pytest.mark.parametrize("who", ["adviser_a", "manager_a", "ministry_user", "admin_user"])
def test_only_the_national_team_maintains_the_vocabulary(who, request):
    with pytest.raises(PermissionDenied):
        services.vocabulary_draft_create(actor=request.getfixturevalue(who))


def test_a_draft_copies_the_newest_version_and_stays_invisible_until_published(national_user):
    draft = services.vocabulary_draft_create(actor=national_user)
    assert draft.number == 2
    assert draft.types.count() == RegistrationType.objects.filter(version__number=1).count()
    assert vocabulary_in_force().number == 1
    with pytest.raises(ValidationError, match="al een concept"):
        services.vocabulary_draft_create(actor=national_user)


def test_publishing_switches_the_vocabulary_from_the_effective_date(
    national_user, manager_a, desk_a
):
    # given a draft with a renamed type and a new one
    draft = services.vocabulary_draft_create(actor=national_user)
    services.registration_type_save(
        actor=national_user,
        version=draft,
        code=vocabulary.ADVICE_CONVERSATION,
        name="Adviesgesprek (nieuw)",
    )
    services.registration_type_save(
        actor=national_user,
        version=draft,
        code="netwerkgesprek",
        kind="contact_moment",
        name="Netwerkgesprek",
        needs_trajectory=True,
    )
    tomorrow = TODAY() + datetime.timedelta(days=1)
    # when it is published from tomorrow
    services.vocabulary_publish(actor=national_user, version=draft, effective_from=tomorrow)
    # then today version 1 still holds, tomorrow version 2
    assert vocabulary_in_force(TODAY()).number == 1
    assert vocabulary_in_force(tomorrow).number == 2
    assert registration_types(on=tomorrow).filter(code="netwerkgesprek").exists()
    # and a published version cannot change any more
    with pytest.raises(ValidationError, match="verandert niet meer"):
        services.registration_type_save(
            actor=national_user, version=draft, code="x", name="X", kind="instrument"
        )


def test_published_dates_must_move_forward(national_user):
    draft = services.vocabulary_draft_create(actor=national_user)
    with pytest.raises(ValidationError) as error:
        services.vocabulary_publish(
            actor=national_user, version=draft, effective_from=vocabulary.VERSION_1_EFFECTIVE_FROM
        )
    assert "effective_from" in error.value.message_dict
    assert VocabularyVersion.objects.get(pk=draft.pk).published_at is None


def test_a_registration_must_use_the_vocabulary_of_its_date(national_user, manager_a, desk_a):
    # given version 2 in force since yesterday (published yesterday by back-dating v1's successor)
    draft = services.vocabulary_draft_create(actor=national_user)
    yesterday = TODAY() - datetime.timedelta(days=1)
    services.vocabulary_publish(actor=national_user, version=draft, effective_from=yesterday)
    trajectory = TrajectoryFactory(desk=desk_a, opened_on=TODAY() - datetime.timedelta(days=30))
    old_type = RegistrationType.objects.get(version__number=1, code=vocabulary.ADVICE_CONVERSATION)
    new_type = RegistrationType.objects.get(version=draft, code=vocabulary.ADVICE_CONVERSATION)
    # a v1 type today is refused; the v2 type today and the v1 type last week are fine
    with pytest.raises(ValidationError, match="registratielijst"):
        services.registration_create(
            actor=manager_a,
            desk=desk_a,
            type=old_type,
            occurred_on=TODAY(),
            trajectory=trajectory,
            channel="phone",
        )
    services.registration_create(
        actor=manager_a,
        desk=desk_a,
        type=new_type,
        occurred_on=TODAY(),
        trajectory=trajectory,
        channel="phone",
    )
    services.registration_create(
        actor=manager_a,
        desk=desk_a,
        type=old_type,
        occurred_on=TODAY() - datetime.timedelta(days=7),
        trajectory=trajectory,
        channel="phone",
    )


def test_a_draft_can_be_thrown_away(national_user):
    draft = services.vocabulary_draft_create(actor=national_user)
    services.vocabulary_draft_delete(actor=national_user, version=draft)
    assert not VocabularyVersion.objects.filter(number=2).exists()
