"""Maintenance pages through HTTP: who sees and edits which arrangement (another desk gets
404), forms without a developer, the live preview, history and the six-month flag."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leerwerk.funding.constants import ChangeAction, Scope
from leerwerk.funding.models import Condition, FundingArrangement
from leerwerk.funding.tests.factories import (
    ArrangementFactory,
    ConditionFactory,
    regional_arrangement,
)

pytestmark = pytest.mark.django_db

LIST = "/medewerkers/financiering/"


def detail(arrangement: FundingArrangement) -> str:
    return reverse("funding:arrangement_detail", args=[arrangement.uuid])


def edit(arrangement: FundingArrangement) -> str:
    return reverse("funding:arrangement_update", args=[arrangement.uuid])


def _form(arrangement: FundingArrangement, **changes: str) -> dict[str, str]:
    data = {
        "version": str(arrangement.version),
        "name": arrangement.name,
        "provider": arrangement.provider,
        "provider_name": arrangement.provider_name,
        "audience": arrangement.audience,
        "how_to_apply": arrangement.how_to_apply,
        "checked_on": arrangement.checked_on.isoformat(),
        "is_active": "on",
    }
    data.update(changes)
    return data


# -- scoping --------------------------------------------------------------------------------


def test_another_desk_gets_404_on_every_page_of_a_regional_arrangement(
    client_for, manager_b, adviser_b, desk_a
):
    regional = regional_arrangement(desk_a, name="Fonds van Rijnmond")
    condition = ConditionFactory(arrangement=regional)
    urls = [
        detail(regional),
        edit(regional),
        reverse("funding:condition_create", args=[regional.uuid]) + "?soort=sector",
        reverse("funding:condition_update", args=[condition.uuid]),
        reverse("funding:condition_delete", args=[condition.uuid]),
    ]
    for user in (manager_b, adviser_b):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
            if url != detail(regional):  # the detail page only answers GET
                assert client.post(url, _form(regional, name="Gekaapt")).status_code == 404, url
        assert (
            client.post(
                reverse("funding:arrangement_checked", args=[regional.uuid]), {"version": 1}
            )
        ).status_code == 404
        assert "Fonds van Rijnmond" not in client.get(LIST).content.decode()
    regional.refresh_from_db()
    assert regional.name == "Fonds van Rijnmond"
    assert regional.conditions.count() == 1


def test_desk_manager_edits_own_regional_arrangement(client_for, manager_a, desk_a):
    regional = regional_arrangement(desk_a, name="Oud")

    response = client_for(manager_a).post(edit(regional), _form(regional, name="Nieuw"))

    assert response.status_code == 302
    regional.refresh_from_db()
    assert regional.name == "Nieuw"
    assert regional.changes.filter(action=ChangeAction.CHANGED, actor=manager_a).exists()


def test_desk_manager_sees_national_arrangements_but_may_not_edit_them(client_for, manager_a):
    national = ArrangementFactory(name="Landelijk")
    client = client_for(manager_a)

    assert client.get(detail(national)).status_code == 200
    assert client.get(edit(national)).status_code == 403
    assert client.post(edit(national), _form(national, name="Gekaapt")).status_code == 403
    national.refresh_from_db()
    assert national.name == "Landelijk"


def test_national_team_edits_national_arrangements_but_not_regional_ones(
    client_for, national_user, desk_a
):
    national = ArrangementFactory(name="Landelijk")
    regional = regional_arrangement(desk_a, name="Regionaal")
    client = client_for(national_user)

    assert client.post(edit(national), _form(national, name="Landelijk 2")).status_code == 302
    assert client.get(detail(regional)).status_code == 200  # not personal data: may read
    assert client.post(edit(regional), _form(regional, name="Gekaapt")).status_code == 403
    regional.refresh_from_db()
    assert regional.name == "Regionaal"


def test_adviser_reads_but_does_not_edit(client_for, adviser_a, desk_a):
    regional = regional_arrangement(desk_a)
    client = client_for(adviser_a)

    page = client.get(detail(regional))

    assert page.status_code == 200
    assert edit(regional) not in page.content.decode()
    assert client.get(edit(regional)).status_code == 403
    assert client.get(reverse("funding:arrangement_create")).status_code == 403


def test_a_user_without_a_role_gets_403_and_anonymous_goes_to_login(client, client_for):
    from leerwerk.accounts.tests.factories import UserFactory

    assert client_for(UserFactory()).get(LIST).status_code == 403
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/account/" in response["Location"]


# -- list, detail, forms --------------------------------------------------------------------


def test_list_flags_arrangements_checked_more_than_six_months_ago(
    client_for, national_user, django_assert_max_num_queries
):
    ArrangementFactory(
        name="Oud nagekeken", checked_on=timezone.localdate() - datetime.timedelta(days=200)
    )
    ArrangementFactory(name="Vers nagekeken")
    for _ in range(5):
        ArrangementFactory()
    client = client_for(national_user)

    with django_assert_max_num_queries(10):
        response = client.get(LIST)

    html = response.content.decode()
    assert "langer dan zes maanden niet gecontroleerd" in html
    stale = client.get(LIST, {"verouderd": "1"}).context["rows"]
    assert [a.name for a, is_stale in stale] == ["Oud nagekeken"]
    assert all(is_stale for _a, is_stale in stale)


def test_detail_shows_conditions_preview_and_history(client_for, national_user):
    arrangement = ArrangementFactory(name="Voor werkenden")
    ConditionFactory(arrangement=arrangement, kind="situation", values=["worker"])
    client = client_for(national_user)
    client.post(edit(arrangement), _form(arrangement, name="Voor werkenden", provider_name="UWV"))

    response = client.get(detail(arrangement))

    html = response.content.decode()
    assert "Situatie: Werkend" in html
    assert "Wie komt in aanmerking?" in html
    preview = response.context["preview"]
    assert len(preview) == 8
    verdicts = {row.label: row.result.verdict for row in preview}
    assert (
        verdicts[
            "Werkt in de zorg, 30 jaar, mbo 3, werkgever met 10 tot 50 werknemers, wil een certificaat"
        ]
        == "eligible"
    )
    assert verdicts["Student, 19 jaar, havo, wil een mbo 4-diploma"] == "not_eligible"
    assert "gewijzigd" in html and "provider_name" in html  # the history row


def test_national_team_creates_an_arrangement_through_the_form(client_for, national_user):
    client = client_for(national_user)
    page = client.get(reverse("funding:arrangement_create"))
    assert [value for value, _label in page.context["form"].fields["scope"].choices] == [
        "national",
        "sector",
    ]

    response = client.post(
        reverse("funding:arrangement_create"),
        {
            "name": "Sectorfonds Zorg",
            "scope": "sector",
            "provider": "sector_fund",
            "audience": "Voor mensen die in de zorg werken.",
            "how_to_apply": "Via uw werkgever.",
            "checked_on": timezone.localdate().isoformat(),
            "max_amount": "1.250,50",
            "own_contribution_percentage": "12,5",
            "source_url": "example.org/zorg",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    created = FundingArrangement.objects.get(name="Sectorfonds Zorg")
    assert created.scope == Scope.SECTOR and created.desk is None
    assert str(created.max_amount) == "1250.50"
    assert str(created.own_contribution_percentage) == "12.50"
    assert created.source_url == "https://example.org/zorg"


def test_desk_manager_creates_a_regional_arrangement_for_the_own_desk(
    client_for, manager_a, desk_a
):
    client = client_for(manager_a)
    page = client.get(reverse("funding:arrangement_create"))
    assert [value for value, _label in page.context["form"].fields["scope"].choices] == ["regional"]

    response = client.post(
        reverse("funding:arrangement_create"),
        {
            "name": "Regionaal leerbudget",
            "scope": "regional",
            "desk": str(desk_a.uuid),
            "provider": "regional_fund",
            "audience": "Voor inwoners van de regio.",
            "how_to_apply": "Via het loket.",
            "checked_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    assert FundingArrangement.objects.get(name="Regionaal leerbudget").desk == desk_a


def test_desk_manager_cannot_pick_another_desk_in_the_form(client_for, manager_a, desk_b):
    response = client_for(manager_a).post(
        reverse("funding:arrangement_create"),
        {
            "name": "Ander loket",
            "scope": "regional",
            "desk": str(desk_b.uuid),
            "provider": "regional_fund",
            "audience": "x",
            "how_to_apply": "x",
            "checked_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert not FundingArrangement.objects.filter(name="Ander loket").exists()


def test_a_stale_version_gives_a_conflict_message(client_for, national_user):
    arrangement = ArrangementFactory(name="Een")
    client = client_for(national_user)
    client.post(edit(arrangement), _form(arrangement, name="Twee"))

    response = client.post(edit(arrangement), _form(arrangement, name="Drie"))  # version 1 again

    assert response.status_code == 200
    assert response.context["form"].conflict
    arrangement.refresh_from_db()
    assert arrangement.name == "Twee"


def test_mark_checked_button(client_for, national_user):
    arrangement = ArrangementFactory(checked_on=timezone.localdate() - datetime.timedelta(days=300))

    response = client_for(national_user).post(
        reverse("funding:arrangement_checked", args=[arrangement.uuid]), {"version": "1"}
    )

    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.checked_on == timezone.localdate()


# -- conditions with live preview ------------------------------------------------------------


def test_condition_kind_is_chosen_first(client_for, national_user):
    arrangement = ArrangementFactory()
    url = reverse("funding:condition_create", args=[arrangement.uuid])

    response = client_for(national_user).get(url)

    assert response.status_code == 200
    assert "Soort voorwaarde" in response.content.decode()
    assert client_for(national_user).get(url + "?soort=age").context["kind"] == "age"


def test_preview_shows_who_qualifies_without_saving(client_for, national_user):
    arrangement = ArrangementFactory()
    url = reverse("funding:condition_create", args=[arrangement.uuid])
    data = {"soort": "age", "version": "1", "minimum": "50", "maximum": ""}
    client = client_for(national_user)

    htmx = client.post(url, data, HTTP_HX_REQUEST="true")
    button = client.post(url, {**data, "voorbeeld": "1"})

    assert htmx.status_code == 200
    assert [t.name for t in htmx.templates][0] == "funding/staff/_preview.html"
    assert "na deze wijziging" in htmx.content.decode()
    for response in (htmx, button):
        verdicts = {row.label: row.result.verdict for row in response.context["preview"]}
        assert verdicts["Zzp'er in de bouw, 52 jaar, mbo 4, wil een hbo-opleiding"] == "eligible"
        assert verdicts["Student, 19 jaar, havo, wil een mbo 4-diploma"] == "not_eligible"
    assert not Condition.objects.filter(arrangement=arrangement).exists()


def test_adding_a_condition_through_the_form(client_for, national_user):
    arrangement = ArrangementFactory()
    url = reverse("funding:condition_create", args=[arrangement.uuid])

    response = client_for(national_user).post(
        url, {"soort": "sector", "version": "1", "operator": "in", "values": ["care", "ict"]}
    )

    assert response.status_code == 302
    condition = arrangement.conditions.get()
    assert (condition.kind, condition.operator, condition.values) == (
        "sector",
        "in",
        ["care", "ict"],
    )


def test_municipalities_can_be_given_by_name(client_for, national_user):
    arrangement = ArrangementFactory()
    url = reverse("funding:condition_create", args=[arrangement.uuid])

    client_for(national_user).post(
        url,
        {"soort": "municipality", "version": "1", "operator": "in", "values": "Rotterdam, gm0014"},
    )

    assert sorted(arrangement.conditions.get().values) == ["GM0014", "GM0599"]


def test_an_invalid_or_contradicting_condition_is_shown_in_the_form(client_for, national_user):
    arrangement = ArrangementFactory()
    ConditionFactory(arrangement=arrangement, kind="age", operator="between", values=[], minimum=50)
    url = reverse("funding:condition_create", args=[arrangement.uuid])

    response = client_for(national_user).post(
        url, {"soort": "age", "version": "1", "minimum": "", "maximum": "30"}
    )

    assert response.status_code == 200
    assert "spreekt een andere voorwaarde" in response.content.decode()
    assert arrangement.conditions.count() == 1


def test_changing_and_removing_a_condition(client_for, national_user):
    arrangement = ArrangementFactory()
    condition = ConditionFactory(arrangement=arrangement, values=["worker"])
    client = client_for(national_user)

    edit_page = client.get(reverse("funding:condition_update", args=[condition.uuid]))
    assert edit_page.context["form"].initial["values"] == ["worker"]
    client.post(
        reverse("funding:condition_update", args=[condition.uuid]),
        {"version": "1", "operator": "not_in", "values": ["student"]},
    )
    condition.refresh_from_db()
    assert (condition.operator, condition.values) == ("not_in", ["student"])

    client.post(reverse("funding:condition_delete", args=[condition.uuid]), {"version": "2"})

    assert not arrangement.conditions.exists()
    actions = list(arrangement.changes.values_list("action", flat=True))
    assert actions[:2] == [ChangeAction.CONDITION_REMOVED, ChangeAction.CONDITION_CHANGED]
