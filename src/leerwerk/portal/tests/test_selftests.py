"""Self-tests: the items and scoring rules, the flow through HTTP (save, resume, result,
share) and the adviser's step that attaches a shared result."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.core.models import AuditEvent
from leerwerk.guidance.tests.factories import TrajectoryFactory
from leerwerk.portal import selftests, services
from leerwerk.portal.constants import SelfTestKind
from leerwerk.portal.models import SelfTestSession, SelfTestShare

# -- rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("test", list(selftests.TESTS.values()), ids=lambda t: t.kind)
def test_each_test_has_12_to_30_items_with_unique_ids_and_balanced_themes(test):
    assert 12 <= len(test.items) <= 30
    assert len({item.id for item in test.items}) == len(test.items)
    per_theme = {theme.code: 0 for theme in test.themes}
    for item in test.items:
        per_theme[item.theme] += 1
    assert len(set(per_theme.values())) == 1, per_theme


@pytest.mark.parametrize("value", [1, 4])
def test_score_is_0_for_all_lowest_and_100_for_all_highest(value):
    test = selftests.get_test(SelfTestKind.VALUES)
    scores = selftests.score(test, {item.id: value for item in test.items})
    assert {s.score for s in scores} == {0 if value == 1 else 100}


def test_score_per_theme_is_transparent_and_ranked():
    test = selftests.get_test(SelfTestKind.INTERESTS)
    answers = {item.id: 1 for item in test.items}
    helpen = [item.id for item in test.items if item.theme == "helpen"]
    ordenen = [item.id for item in test.items if item.theme == "ordenen"]
    answers.update(dict.fromkeys(helpen, 4))  # 16 of 4..16 → 100
    answers.update({ordenen[0]: 4, ordenen[1]: 3})  # 1+1+4+3 = 9 of 4..16 → 42
    scores = selftests.score(test, answers)
    assert [s.code for s in scores[:2]] == ["helpen", "ordenen"]
    assert (scores[0].total, scores[0].minimum, scores[0].maximum, scores[0].score) == (
        16,
        4,
        16,
        100,
    )
    assert (scores[1].total, scores[1].score) == (9, 42)
    # the top two lead to care, education and administration groups
    groups = selftests.isco_groups_for(scores)
    assert groups[:2] == ["22", "23"]
    assert "41" in groups


def test_every_mapped_isco_group_has_a_label():
    for codes in selftests.INTEREST_TO_ISCO.values():
        for code in codes:
            assert code in selftests.ISCO_LABELS


def test_clean_answers_drops_unknown_items_and_values_off_the_scale():
    test = selftests.get_test(SelfTestKind.SKILLS)
    assert selftests.clean_answers(test, {"v01": "3", "v02": 9, "x99": 2, "v03": "a"}) == {"v01": 3}


# -- flow through HTTP ---------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _start(client, kind=SelfTestKind.VALUES, desk=None):  # type: ignore[no-untyped-def]
    url = (
        reverse("portal_public:desk_selftest_intro", args=[desk.slug, kind])
        if desk
        else reverse("portal_public:selftest_intro", args=[kind])
    )
    response = client.post(url)
    assert response.status_code == 302
    session = SelfTestSession.objects.get()
    assert response["Location"] == reverse("portal_public:selftest_page", args=[session.uuid, 1])
    return session


def _answer_page(client, session, page, value=3, action="verder"):  # type: ignore[no-untyped-def]
    test = selftests.get_test(session.kind)
    data = {item.id: str(value) for item in test.page_items(page)}
    data["actie"] = action
    return client.post(reverse("portal_public:selftest_page", args=[session.uuid, page]), data)


def test_index_and_intro_pages(client, desk_a):
    html = client.get(
        reverse("portal_public:desk_selftest_index", args=[desk_a.slug])
    ).content.decode()
    for test in selftests.TESTS.values():
        assert str(test.title) in html
    intro = client.get(reverse("portal_public:selftest_intro", args=["interesses"]))
    assert intro.status_code == 200
    assert (
        client.get(reverse("portal_public:selftest_intro", args=["bestaat-niet"])).status_code
        == 404
    )


def test_whole_test_to_result_with_explanation(client):
    session = _start(client)
    test = selftests.get_test(session.kind)
    for page in range(1, test.pages + 1):
        response = _answer_page(client, session, page, value=4 if page == 1 else 2)
        assert response.status_code == 302
    assert response["Location"] == reverse("portal_public:selftest_result", args=[session.uuid])
    session.refresh_from_db()
    assert session.completed_at is not None
    assert len(session.answers) == len(test.items)

    result = client.get(response["Location"])
    html = result.content.decode()
    assert result.status_code == 200
    assert "Zo is uw score berekend" in html
    assert "Score = (uw punten − minimaal aantal punten)" in html
    assert "no-store" in result["Cache-Control"] or "max-age=0" in result["Cache-Control"]


def test_a_page_needs_every_answer_to_go_on(client):
    session = _start(client)
    response = client.post(
        reverse("portal_public:selftest_page", args=[session.uuid, 1]), {"actie": "verder"}
    )
    assert response.status_code == 200
    assert "Kies een antwoord." in response.content.decode()
    assert "Controleer uw invoer" in response.content.decode()


def test_save_for_later_then_resume_with_code_and_with_signed_link(client):
    session = _start(client)
    _answer_page(client, session, 1)
    response = _answer_page(client, session, 2, action="bewaren")
    assert response["Location"] == reverse("portal_public:selftest_saved", args=[session.uuid])
    saved = client.get(response["Location"]).content.decode()
    session.refresh_from_db()
    assert session.resume_code in saved
    link = re.search(r'href="(http://testserver/zelftesten/verder/[^"]+/)"', saved).group(1)

    # resume with the code typed in lower case without dashes: to the first open page (3)
    typed = session.resume_code.replace("-", "").lower()
    response = client.post(reverse("portal_public:selftest_resume"), {"code": typed})
    assert response["Location"] == reverse("portal_public:selftest_page", args=[session.uuid, 3])
    # and with the link
    response = client.get(link.removeprefix("http://testserver"))
    assert response["Location"] == reverse("portal_public:selftest_page", args=[session.uuid, 3])


def test_tampered_link_and_unknown_code_find_nothing(client):
    session = _start(client)
    token = services.selftest_resume_token(session)
    assert (
        client.get(
            reverse("portal_public:selftest_resume_link", args=[token[:-2] + "xx"])
        ).status_code
        == 404
    )
    response = client.post(reverse("portal_public:selftest_resume"), {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 404
    assert "Wij vinden geen test met deze code" in response.content.decode()


def test_expired_test_is_gone(client):
    session = _start(client)
    SelfTestSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert (
        client.get(reverse("portal_public:selftest_page", args=[session.uuid, 1])).status_code
        == 404
    )
    response = client.post(reverse("portal_public:selftest_resume"), {"code": session.resume_code})
    assert response.status_code == 404


def test_resume_is_rate_limited(client, settings):
    settings.LEERWERK_PORTAL_RATE_LIMITS = {"resume": (2, 600)}
    for _ in range(2):
        client.post(reverse("portal_public:selftest_resume"), {"code": "AAAA-BBBB-CCCC"})
    assert (
        client.post(reverse("portal_public:selftest_resume"), {"code": "AAAA"}).status_code == 429
    )


def test_saved_answers_hold_no_personal_data():
    field_names = {f.name for f in SelfTestSession._meta.get_fields()}
    assert field_names == {
        "id",
        "uuid",
        "created_at",
        "updated_at",
        "kind",
        "desk",
        "answers",
        "resume_code",
        "completed_at",
        "expires_at",
        "account",  # only for a test saved in a Mijn Leerwerkloket account (an id)
    }


def _complete(client, kind=SelfTestKind.INTERESTS, desk=None):  # type: ignore[no-untyped-def]
    session = _start(client, kind=kind, desk=desk)
    for page in range(1, selftests.get_test(kind).pages + 1):
        _answer_page(client, session, page)
    session.refresh_from_db()
    return session


def test_interest_result_links_occupation_groups_and_training_search(client, desk_a):
    session = _complete(client, desk=desk_a)
    html = client.get(
        reverse("portal_public:selftest_result", args=[session.uuid])
    ).content.decode()
    assert "Werk dat bij u kan passen" in html
    # all answers equal: the first two themes in order, doen → ISCO 71 first
    assert selftests.ISCO_LABELS["71"] in html


def test_result_as_pdf(client):
    session = _complete(client, kind=SelfTestKind.SKILLS)
    response = client.get(reverse("portal_public:selftest_result_pdf", args=[session.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_unfinished_result_goes_back_to_the_open_page(client):
    session = _start(client)
    _answer_page(client, session, 1)
    response = client.get(reverse("portal_public:selftest_result", args=[session.uuid]))
    assert response["Location"] == reverse("portal_public:selftest_page", args=[session.uuid, 2])
    assert (
        client.post(reverse("portal_public:selftest_share", args=[session.uuid])).status_code == 302
    )
    assert not SelfTestShare.objects.exists()


# -- sharing with consent ------------------------------------------------------------------------


def _share(client, session):  # type: ignore[no-untyped-def]
    response = client.post(reverse("portal_public:selftest_share", args=[session.uuid]))
    assert response.status_code == 200
    share = SelfTestShare.objects.get()
    assert share.code in response.content.decode()
    return share


def test_nothing_is_shared_until_the_adviser_enters_the_code(client, client_for, adviser_a, desk_a):
    session = _complete(client, desk=desk_a)
    share = _share(client, session)
    # the share holds scores only, no answers per item, and belongs to nobody yet
    assert set(share.result) == {"scores", "isco_groups"}
    assert share.desk_id is None and share.trajectory_id is None
    adviser = client_for(adviser_a)
    list_html = adviser.get(reverse("portal_staff:shares", args=[desk_a.uuid])).content.decode()
    assert "Nog geen uitslagen gekoppeld." in list_html
    assert adviser.get(reverse("portal_staff:share_detail", args=[share.uuid])).status_code == 404


def test_adviser_attaches_with_the_code_then_sees_it_audited(client, client_for, adviser_a, desk_a):
    session = _complete(client, desk=desk_a)
    share = _share(client, session)
    trajectory = TrajectoryFactory(desk=desk_a)
    adviser = client_for(adviser_a)

    response = adviser.post(
        reverse("portal_staff:shares", args=[desk_a.uuid]),
        {"code": share.code.lower().replace("-", " "), "trajectory": str(trajectory.uuid)},
    )

    assert response.status_code == 302
    share.refresh_from_db()
    assert (share.trajectory_id, share.desk_id, share.attached_by_id) == (
        trajectory.pk,
        desk_a.pk,
        adviser_a.pk,
    )
    assert AuditEvent.objects.filter(
        action="selftest_share.attach", object_uuid=share.uuid
    ).exists()
    detail = adviser.get(response["Location"])
    assert detail.status_code == 200
    assert "Met je handen werken" in detail.content.decode()
    assert AuditEvent.objects.filter(action="selftest_share.view", object_uuid=share.uuid).exists()


def test_a_code_works_once_and_wrong_codes_are_refused(client, client_for, adviser_a, desk_a):
    session = _complete(client, desk=desk_a)
    share = _share(client, session)
    trajectory = TrajectoryFactory(desk=desk_a)
    url = reverse("portal_staff:shares", args=[desk_a.uuid])
    adviser = client_for(adviser_a)
    wrong = adviser.post(url, {"code": "ZZZZ-ZZZZ", "trajectory": str(trajectory.uuid)})
    assert "Deze code kennen wij niet" in wrong.content.decode()
    assert (
        adviser.post(url, {"code": share.code, "trajectory": str(trajectory.uuid)}).status_code
        == 302
    )
    again = adviser.post(url, {"code": share.code, "trajectory": str(trajectory.uuid)})
    assert "al aan een traject gekoppeld" in again.content.decode()


def test_another_desk_cannot_attach_to_or_see_desk_a(
    client, client_for, adviser_a, adviser_b, desk_a, desk_b
):
    session = _complete(client, desk=desk_a)
    share = _share(client, session)
    trajectory_a = TrajectoryFactory(desk=desk_a)
    other = client_for(adviser_b)
    # B cannot pick A's trajectory on its own page
    response = other.post(
        reverse("portal_staff:shares", args=[desk_b.uuid]),
        {"code": share.code, "trajectory": str(trajectory_a.uuid)},
    )
    assert response.status_code == 200
    assert "Kies een traject uit de lijst." in response.content.decode()
    # and after A attaches it, B gets 404
    client_for(adviser_a).post(
        reverse("portal_staff:shares", args=[desk_a.uuid]),
        {"code": share.code, "trajectory": str(trajectory_a.uuid)},
    )
    assert other.get(reverse("portal_staff:share_detail", args=[share.uuid])).status_code == 404


def test_national_team_never_sees_attached_results(
    client, client_for, adviser_a, national_user, desk_a
):
    session = _complete(client, desk=desk_a)
    share = _share(client, session)
    services.selftest_share_attach(
        actor=adviser_a, code=share.code, trajectory=TrajectoryFactory(desk=desk_a)
    )
    national = client_for(national_user)
    assert national.get(reverse("portal_staff:share_detail", args=[share.uuid])).status_code == 404
    assert national.get(reverse("portal_staff:shares", args=[desk_a.uuid])).status_code == 404


def test_purge_removes_expired_tests_and_unattached_shares_only(client, adviser_a, desk_a):
    session = _complete(client, desk=desk_a)
    loose = services.selftest_share_create(session=session)
    kept = services.selftest_share_create(session=session)
    services.selftest_share_attach(
        actor=adviser_a, code=kept.code, trajectory=TrajectoryFactory(desk=desk_a)
    )
    later = timezone.now() + datetime.timedelta(days=31)

    assert services.selftest_purge_expired(now=later) == (1, 1)
    assert not SelfTestSession.objects.exists()
    assert list(SelfTestShare.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not SelfTestShare.objects.filter(pk=loose.pk).exists()


def test_purge_command_runs(client):
    from io import StringIO

    from django.core.management import call_command

    _start(client)
    out = StringIO()
    call_command("portal_purge_selftests", stdout=out)
    assert "removed 0 self-tests and 0 share codes" in out.getvalue()
    assert SelfTestSession.objects.count() == 1
