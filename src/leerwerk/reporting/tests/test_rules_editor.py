"""The counting-rules editor of the national team: drafting a new version, editing, adding and
removing figures, validation (Dutch), conflicts, publishing, deleting a draft, and who may."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from leerwerk.core.exceptions import ConflictError
from leerwerk.core.models import AuditEvent
from leerwerk.guidance import vocabulary as v
from leerwerk.guidance.tests.factories import RegistrationFactory
from leerwerk.reporting import services
from leerwerk.reporting.models import FigureDefinition, RuleSet
from leerwerk.reporting.selectors import Period, compute_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("only_version_1")]

LIST = reverse("reporting:rules_list")


def _url(name: str, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"reporting:{name}", args=args)


def _form(figure: FigureDefinition, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "label": figure.label,
        "section": figure.section,
        "explanation": figure.explanation,
        "method": figure.method,
        "type_codes": figure.type_codes,
        "statuses": figure.statuses,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "combine": figure.combine,
        "unit": figure.unit,
        "sort_order": figure.sort_order,
        "fingerprint": services.figure_fingerprint(figure),
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(national_user) -> RuleSet:
    return services.ruleset_draft(actor=national_user)


def test_the_national_team_drafts_a_copy_of_the_latest_version(client_for, national_user):
    client = client_for(national_user)
    assert "Nieuwe versie maken" in client.get(LIST).content.decode()
    response = client.post(_url("rules_draft_create"))
    assert response.status_code == 302
    draft = RuleSet.objects.get(number=2)
    assert draft.published_at is None
    assert sorted(draft.figures.values_list("code", flat=True)) == sorted(
        RuleSet.objects.get(number=1).figures.values_list("code", flat=True)
    )
    assert AuditEvent.objects.filter(action="ruleset.draft").exists()
    # a second draft is refused
    client.post(_url("rules_draft_create"))
    assert RuleSet.objects.count() == 2


def test_edit_a_figure_and_publish(client_for, national_user, draft, desk_a):
    client = client_for(national_user)
    figure = draft.figures.get(code="adviesgesprekken")
    # the adviser counts intakes as conversations too in version 2
    response = client.post(
        _url("rules_figure_update", 2, figure.code),
        _form(figure, type_codes=[v.ADVICE_CONVERSATION, v.INTAKE], label="Gesprekken"),
    )
    assert response.status_code == 302, response.content.decode()
    figure.refresh_from_db()
    assert figure.type_codes == sorted([v.ADVICE_CONVERSATION, v.INTAKE])
    assert figure.label == "Gesprekken"
    detail = client.get(_url("rules_detail", 2)).content.decode()
    assert "Gesprekken" in detail
    # publishing: not before version 1's date
    page = client.get(_url("rules_publish", 2))
    fingerprint = page.context["form"]["fingerprint"].value()
    early = client.post(
        _url("rules_publish", 2), {"effective_from": "2022-12-31", "fingerprint": fingerprint}
    )
    assert early.status_code == 200
    assert "Kies 01-01-2023 of later" in early.content.decode()
    response = client.post(
        _url("rules_publish", 2),
        {"effective_from": "2025-01-01", "notes": "Intakes tellen mee", "fingerprint": fingerprint},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert AuditEvent.objects.filter(action="ruleset.publish").exists()
    # reports can be computed under either version
    RegistrationFactory(code=v.INTAKE, occurred_on=datetime.date(2025, 2, 2), desk=desk_a)
    period = [Period.half(2025, 1)]
    old = compute_report(
        desk_ids=[desk_a.pk], periods=period, ruleset=RuleSet.objects.get(number=1)
    )
    new = compute_report(desk_ids=[desk_a.pk], periods=period, ruleset=draft)
    assert old.value("adviesgesprekken", "2025 H1") == 0
    assert new.value("adviesgesprekken", "2025 H1") == 1
    # and the desk report offers the choice of version
    # a published version no longer changes
    with pytest.raises(ValidationError):
        services.figure_save(
            actor=national_user,
            ruleset=draft,
            code="adviesgesprekken",
            expected_fingerprint=services.figure_fingerprint(figure),
            label="Anders",
        )
    assert client.get(_url("rules_figure_update", 2, "adviesgesprekken")).status_code == 302


def test_the_desk_report_can_be_recomputed_under_a_published_version(
    client_for, national_user, adviser_a, draft, desk_a
):
    services.ruleset_publish(
        actor=national_user, ruleset=draft, effective_from=datetime.date(2024, 1, 1)
    )
    response = client_for(adviser_a).get(_url("desk_report", desk_a.uuid), {"telregels": "1"})
    assert response.context["report"].ruleset.number == 1
    assert (
        client_for(adviser_a).get(_url("desk_report", desk_a.uuid)).context["report"].ruleset.number
        == 2
    )


def test_add_and_remove_a_figure(client_for, national_user, draft):
    client = client_for(national_user)
    data = {
        "code": "doorverwijzingen",
        "label": "Doorverwijzingen",
        "section": "burgers",
        "explanation": "Externe doorverwijzingen (EVC en andere).",
        "method": "registrations",
        "type_codes": ["evc"],
        "statuses": ["completed"],
        "combine": "sum",
        "unit": "aantal",
        "sort_order": 200,
    }
    response = client.post(_url("rules_figure_create", 2), data)
    assert response.status_code == 302, response.content.decode()
    figure = draft.figures.get(code="doorverwijzingen")
    assert figure.type_codes == ["evc"]
    # the same code again is refused
    again = client.post(_url("rules_figure_create", 2), data)
    assert "Deze code bestaat al in deze versie." in again.content.decode()
    # removing it
    page = client.get(_url("rules_figure_delete", 2, "doorverwijzingen"))
    response = client.post(
        _url("rules_figure_delete", 2, "doorverwijzingen"),
        {"fingerprint": page.context["fingerprint"]},
    )
    assert response.status_code == 302
    assert not draft.figures.filter(code="doorverwijzingen").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"type_codes": ["bestaat-niet"]}, "staan niet in de registratielijst die nu geldt"),
        ({"type_codes": []}, "Kies minstens één registratiesoort"),
        ({"explanation": "  "}, "Vul de uitleg in"),
        (
            {"method": "ratio", "numerator": "burgers-bereikt", "denominator": "burgers-bereikt"},
            None,  # checked separately: self-reference needs the figure's own code
        ),
    ],
)
def test_validation_messages_are_dutch(client_for, national_user, draft, changes, message):
    client = client_for(national_user)
    figure = draft.figures.get(code="intakes")
    response = client.post(_url("rules_figure_update", 2, "intakes"), _form(figure, **changes))
    if message is None:
        assert response.status_code == 302  # a ratio of two other figures is fine
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    figure.refresh_from_db()
    assert figure.explanation.strip()


def test_ratio_rules(national_user, draft):
    figure = draft.figures.get(code="burgers-per-fte")
    fingerprint = services.figure_fingerprint(figure)

    def save(**values):  # type: ignore[no-untyped-def]
        return services.figure_save(
            actor=national_user,
            ruleset=draft,
            code="burgers-per-fte",
            expected_fingerprint=fingerprint,
            **values,
        )

    with pytest.raises(ValidationError) as itself:
        save(numerator="burgers-per-fte")
    assert "niet met zichzelf" in str(itself.value)
    with pytest.raises(ValidationError) as missing:
        save(denominator="bestaat-niet")
    assert "bestaat niet in deze versie" in str(missing.value)
    with pytest.raises(ValidationError) as ratio:
        save(denominator="kosten-per-burger")
    assert "andere deling" in str(ratio.value)
    # a figure used by a ratio cannot be removed
    with pytest.raises(ValidationError) as used:
        services.figure_delete(actor=national_user, figure=draft.figures.get(code="fte"))
    assert "rekent met dit cijfer" in str(used.value)


def test_a_change_made_meanwhile_gives_a_conflict(client_for, national_user, draft):
    client = client_for(national_user)
    figure = draft.figures.get(code="intakes")
    stale = _form(figure)
    assert (
        client.post(
            _url("rules_figure_update", 2, "intakes"), _form(figure, label="Intakegesprekken")
        ).status_code
        == 302
    )
    response = client.post(_url("rules_figure_update", 2, "intakes"), {**stale, "label": "Oud"})
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    figure.refresh_from_db()
    assert figure.label == "Intakegesprekken"
    # publishing a draft that changed since the page was loaded is refused as well
    old_fingerprint = services.ruleset_fingerprint(draft)
    services.figure_save(
        actor=national_user,
        ruleset=draft,
        code="intakes",
        expected_fingerprint=services.figure_fingerprint(figure),
        label="Intakes",
    )
    with pytest.raises(ConflictError):
        services.ruleset_publish(
            actor=national_user,
            ruleset=draft,
            effective_from=datetime.date(2026, 1, 1),
            expected_fingerprint=old_fingerprint,
        )


def test_publishing_checks_every_figure(national_user, draft):
    # a figure with a code that is not in the vocabulary (stored directly, as old data would be)
    draft.figures.filter(code="intakes").update(type_codes=["verdwenen-soort"])
    with pytest.raises(ValidationError) as problem:
        services.ruleset_publish(
            actor=national_user, ruleset=draft, effective_from=datetime.date(2026, 1, 1)
        )
    assert "Intakes: " in str(problem.value)
    assert RuleSet.objects.get(number=2).published_at is None


def test_delete_a_draft(client_for, national_user, draft):
    client = client_for(national_user)
    assert client.get(_url("rules_draft_delete", 2)).status_code == 200
    assert client.post(_url("rules_draft_delete", 2)).status_code == 302
    assert not RuleSet.objects.filter(number=2).exists()
    assert not FigureDefinition.objects.filter(ruleset__number=2).exists()
    assert AuditEvent.objects.filter(action="ruleset.draft_delete").exists()
    # a published version cannot be deleted
    with pytest.raises(ValidationError):
        services.ruleset_draft_delete(actor=national_user, ruleset=RuleSet.objects.get(number=1))


@pytest.mark.parametrize("who", ["adviser_a", "manager_a", "ministry_user", "admin_user"])
def test_only_the_national_team_maintains_the_rules(client_for, request, who, draft):
    user = request.getfixturevalue(who)
    client = client_for(user)
    # everyone with a staff account reads the published versions, not the draft
    assert client.get(LIST).status_code == 200
    assert client.get(_url("rules_detail", 1)).status_code == 200
    assert client.get(_url("rules_detail", 2)).status_code == 404
    assert "Nieuwe versie maken" not in client.get(LIST).content.decode()
    for name, args in [
        ("rules_figure_create", (2,)),
        ("rules_figure_update", (2, "intakes")),
        ("rules_figure_delete", (2, "intakes")),
        ("rules_publish", (2,)),
        ("rules_draft_delete", (2,)),
    ]:
        assert client.get(_url(name, *args)).status_code == 403
        assert client.post(_url(name, *args), {}).status_code == 403
    assert client.post(_url("rules_draft_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.ruleset_draft_delete(actor=user, ruleset=draft)


def test_anonymous_must_log_in(client):  # type: ignore[no-untyped-def]
    assert client.get(LIST).status_code == 302
