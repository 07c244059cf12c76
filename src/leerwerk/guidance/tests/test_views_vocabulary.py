"""The national vocabulary pages through HTTP: the national team maintains the list (drafts,
types, publishing, deleting a draft); everyone else reads the published versions and gets 403
on every write."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.guidance import services, vocabulary
from leerwerk.guidance.models import RegistrationType, VocabularyVersion
from leerwerk.guidance.selectors import registration_types, vocabulary_in_force

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
LIST_URL = reverse("guidance:vocabulary_list")
NOT_MAINTAINERS = ["adviser_a", "manager_a", "ministry_user", "admin_user"]


def url(name: str, *args: object) -> str:
    return reverse(f"guidance:{name}", args=args)


def type_data(**overrides: object) -> dict[str, object]:
    data = {
        "code": "netwerkgesprek",
        "kind": "contact_moment",
        "name": "Netwerkgesprek",
        "description": "Gesprek met een netwerkpartner over de klant.",
        "needs_trajectory": "on",
        "is_active": "on",
        "sort_order": "5",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(national_user) -> VocabularyVersion:  # type: ignore[no-untyped-def]
    return services.vocabulary_draft_create(actor=national_user)


# -- the national team ---------------------------------------------------------------------


def test_national_team_creates_a_draft_adds_a_type_and_publishes_it(client_for, national_user):
    browser = client_for(national_user)
    # when the national team makes a new version
    response = browser.post(url("vocabulary_draft_create"))
    # then a draft copy of version 1 exists and its page opens
    draft = VocabularyVersion.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == url("vocabulary_detail", 2)
    assert draft.published_at is None
    assert draft.types.count() == RegistrationType.objects.filter(version__number=1).count()
    page = browser.get(url("vocabulary_detail", 2)).content.decode()
    assert "Concept" in page
    assert "Publiceren" in page

    # when a type is added to the draft
    response = browser.post(url("registration_type_create", 2), type_data())
    assert response.status_code == 302
    added = draft.types.get(code="netwerkgesprek")
    assert (added.kind, added.name, added.sort_order) == ("contact_moment", "Netwerkgesprek", 5)
    assert added.needs_trajectory and added.is_active

    # and the draft is published from tomorrow
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = browser.post(
        url("vocabulary_publish", 2),
        {"effective_from": tomorrow.isoformat(), "notes": "Netwerkgesprek toegevoegd."},
    )
    # then version 2 holds from tomorrow, with the new type on offer from that day only
    assert response.status_code == 302
    assert vocabulary_in_force(tomorrow).number == 2
    assert vocabulary_in_force(TODAY()).number == 1
    assert registration_types(on=tomorrow).filter(code="netwerkgesprek").exists()
    assert not registration_types(on=TODAY()).filter(code="netwerkgesprek").exists()
    listing = browser.get(LIST_URL).content.decode()
    assert "Gepland" in listing
    assert "Geldt nu" in listing


def test_national_team_changes_a_type_but_not_its_code_or_kind(client_for, national_user, draft):
    browser = client_for(national_user)
    edit_url = url("registration_type_update", draft.number, vocabulary.ADVICE_CONVERSATION)
    # the form offers no code or kind
    form = browser.get(edit_url).content.decode()
    assert 'name="name"' in form
    assert 'name="kind"' not in form
    assert 'name="code"' not in form
    # when the type is renamed and switched off, with a kind smuggled in
    response = browser.post(
        edit_url,
        {"name": "Adviesgesprek (nieuw)", "kind": "instrument", "sort_order": "3", "code": "x"},
    )
    # then the name changes, the kind and code stay
    assert response.status_code == 302
    changed = draft.types.get(code=vocabulary.ADVICE_CONVERSATION)
    assert changed.name == "Adviesgesprek (nieuw)"
    assert changed.kind == "contact_moment"
    assert not changed.is_active
    assert not draft.types.filter(code="x").exists()
    # and version 1 is untouched
    original = RegistrationType.objects.get(version__number=1, code=vocabulary.ADVICE_CONVERSATION)
    assert original.name != "Adviesgesprek (nieuw)"
    assert original.is_active


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": vocabulary.INTAKE}, "code", "Deze code bestaat al in deze versie."),
        ({"code": "Netwerk gesprek"}, "code", "Gebruik alleen kleine letters, cijfers"),
        ({"code": ""}, "code", "Vul de code in."),
        ({"kind": ""}, "kind", "Kies de soort."),
        ({"name": ""}, "name", "Vul de naam in."),
        ({"sort_order": "-1"}, "sort_order", "Vul 0 of een hoger getal in."),
        ({"sort_order": "tien"}, "sort_order", "Vul een heel getal in"),
    ],
)
def test_type_form_errors_are_dutch_and_nothing_is_saved(
    client_for, national_user, draft, overrides, field, message
):
    count = draft.types.count()
    intake_name = draft.types.get(code=vocabulary.INTAKE).name
    response = client_for(national_user).post(
        url("registration_type_create", draft.number), type_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert draft.types.count() == count
    assert draft.types.get(code=vocabulary.INTAKE).name == intake_name  # not overwritten


def test_publish_date_must_follow_the_previous_version(client_for, national_user, draft):
    browser = client_for(national_user)
    # when the draft is published on the day version 1 started
    response = browser.post(
        url("vocabulary_publish", draft.number),
        {"effective_from": vocabulary.VERSION_1_EFFECTIVE_FROM.isoformat()},
    )
    # then the service's Dutch error shows at the date and nothing is published
    assert response.status_code == 200
    assert "Kies een datum na 01-01-2023" in response.content.decode()
    assert response.context["form"].errors["effective_from"]
    assert VocabularyVersion.objects.get(pk=draft.pk).published_at is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Vul de datum in vanaf wanneer deze versie geldt."), ("31-02-2026", "geldige datum")],
)
def test_publish_needs_a_valid_date(client_for, national_user, draft, value, message):
    response = client_for(national_user).post(
        url("vocabulary_publish", draft.number), {"effective_from": value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert VocabularyVersion.objects.get(pk=draft.pk).published_at is None


def test_a_draft_without_active_types_cannot_be_published(client_for, national_user, draft):
    for type_ in draft.types.all():
        services.registration_type_save(
            actor=national_user, version=draft, code=type_.code, is_active=False
        )
    response = client_for(national_user).post(
        url("vocabulary_publish", draft.number),
        {"effective_from": (TODAY() + datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert "zonder registratiesoorten kan niet worden gepubliceerd" in response.content.decode()


def test_national_team_deletes_a_draft_after_confirming(client_for, national_user, draft):
    browser = client_for(national_user)
    # the confirmation page asks first and deletes nothing
    confirm = browser.get(url("vocabulary_draft_delete", draft.number))
    assert "Weet u zeker" in confirm.content.decode()
    assert VocabularyVersion.objects.filter(number=draft.number).exists()
    # when confirmed
    response = browser.post(url("vocabulary_draft_delete", draft.number))
    # then the draft and its types are gone, version 1 stays
    assert response["Location"] == LIST_URL
    assert not VocabularyVersion.objects.filter(number=draft.number).exists()
    assert not RegistrationType.objects.filter(version__number=draft.number).exists()
    assert vocabulary_in_force().number == 1


def test_only_one_draft_at_a_time(client_for, national_user, draft):
    browser = client_for(national_user)
    listing = browser.get(LIST_URL).content.decode()
    assert "Nieuwe versie maken" not in listing
    assert "Verder met het concept" in listing
    response = browser.post(url("vocabulary_draft_create"), follow=True)
    assert "Er is al een concept" in response.content.decode()
    assert VocabularyVersion.objects.count() == 2


def test_a_published_version_cannot_be_edited_through_the_pages(client_for, national_user):
    browser = client_for(national_user)
    page = browser.get(url("vocabulary_detail", 1)).content.decode()
    assert "Registratiesoort toevoegen" not in page
    assert "Concept verwijderen" not in page
    for target in [
        url("registration_type_create", 1),
        url("registration_type_update", 1, vocabulary.INTAKE),
        url("vocabulary_publish", 1),
        url("vocabulary_draft_delete", 1),
    ]:
        response = browser.post(target, type_data(effective_from="2030-01-01"), follow=True)
        assert "Een gepubliceerde versie verandert niet meer" in response.content.decode()
    assert VocabularyVersion.objects.filter(number=1).exists()
    assert not RegistrationType.objects.filter(version__number=1, code="netwerkgesprek").exists()


def test_unknown_version_or_type_is_404(client_for, national_user, draft):
    browser = client_for(national_user)
    assert browser.get(url("vocabulary_detail", 99)).status_code == 404
    assert (
        browser.get(url("registration_type_update", draft.number, "bestaat-niet")).status_code
        == 404
    )
    assert browser.get(url("vocabulary_publish", 99)).status_code == 404


def test_staff_home_links_to_the_vocabulary_for_the_national_team(
    client_for, national_user, adviser_a
):
    link = f'href="{LIST_URL}"'
    assert link in client_for(national_user).get(reverse("staff:home")).content.decode()
    assert link not in client_for(adviser_a).get(reverse("staff:home")).content.decode()


# -- everyone else -------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_MAINTAINERS)
def test_others_read_the_published_versions(client_for, request, who, draft):
    browser = client_for(request.getfixturevalue(who))
    listing = browser.get(LIST_URL)
    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Versie 1" in content
    assert "Nieuwe versie maken" not in content
    assert f'href="{url("vocabulary_detail", draft.number)}"' not in content  # drafts hidden
    detail = browser.get(url("vocabulary_detail", 1))
    assert detail.status_code == 200
    assert "Competentietest (CTC)" in detail.content.decode()
    assert "Wijzigen" not in detail.content.decode()
    assert browser.get(url("vocabulary_detail", draft.number)).status_code == 404


@pytest.mark.parametrize("who", NOT_MAINTAINERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_get_403_on_every_write(client_for, request, who, method, draft):
    browser = client_for(request.getfixturevalue(who))
    targets = [
        url("registration_type_create", draft.number),
        url("registration_type_update", draft.number, vocabulary.INTAKE),
        url("vocabulary_publish", draft.number),
        url("vocabulary_draft_delete", draft.number),
        url("registration_type_create", 1),
    ]
    if method == "post":
        targets.append(url("vocabulary_draft_create"))
    for target in targets:
        data = {**type_data(), "effective_from": "2030-01-01"} if method == "post" else None
        response = getattr(browser, method)(target, data)
        assert response.status_code == 403, target
    # and nothing changed
    assert VocabularyVersion.objects.count() == 2
    assert VocabularyVersion.objects.get(pk=draft.pk).published_at is None
    assert not draft.types.filter(code="netwerkgesprek").exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert "inloggen" in response["Location"] or "login" in response["Location"]


def test_version_pages_need_few_queries(
    client_for, national_user, draft, django_assert_max_num_queries
):
    browser = client_for(national_user)
    browser.get(LIST_URL)  # warm the session
    with django_assert_max_num_queries(8):
        assert browser.get(LIST_URL).status_code == 200
    with django_assert_max_num_queries(8):
        assert browser.get(url("vocabulary_detail", draft.number)).status_code == 200
