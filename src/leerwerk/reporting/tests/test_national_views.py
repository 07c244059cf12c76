"""The national overview and the split pages over HTTP: who gets in, what they see (aggregates
only, small numbers suppressed for national roles), exports, and a bounded number of queries."""

from __future__ import annotations

import csv
import datetime
import io
from unittest import mock

import pytest
from django.urls import reverse

from leerwerk.accounts.tests.factories import UserFactory
from leerwerk.clients.models import TargetGroup
from leerwerk.clients.tests.factories import ClientFactory
from leerwerk.core.constants import GlobalRole
from leerwerk.guidance import vocabulary as v
from leerwerk.guidance.tests.factories import RegistrationFactory, TrajectoryFactory
from leerwerk.network.models import Desk, Municipality

pytestmark = pytest.mark.django_db

D = datetime.date
H1 = {"periode": "2025-H1"}
ROTTERDAM, SCHIEDAM, VLAARDINGEN = "GM0599", "GM0606", "GM0622"

OVERVIEW = reverse("reporting:national_overview")
SPLIT = reverse("reporting:national_split")
EXPORTS = ["national_export_csv", "national_export_xlsx", "national_export_pdf"]


def _reached(desk, municipality: str, n: int, groups=(), conversations: int = 1):  # type: ignore[no-untyped-def]
    """``n`` clients of ``desk`` living in ``municipality``, each with held conversations."""
    clients = []
    for _ in range(n):
        client = ClientFactory(desk=desk, municipality=Municipality.objects.get(code=municipality))
        client.target_groups.set(groups)
        trajectory = TrajectoryFactory(desk=desk, client=client, opened_on=D(2025, 1, 1))
        for _ in range(conversations):
            RegistrationFactory(
                code=v.ADVICE_CONVERSATION, trajectory=trajectory, occurred_on=D(2025, 3, 3)
            )
        clients.append(client)
    return clients


def _section_total(response, code: str):  # type: ignore[no-untyped-def]
    for section in response.context["sections"]:
        for figure, total in zip(section.figures, section.total, strict=True):
            if figure.code == code:
                return total.value
    raise AssertionError(code)


def _desk_value(response, desk, code: str):  # type: ignore[no-untyped-def]
    for section in response.context["sections"]:
        codes = [f.code for f in section.figures]
        if code in codes:
            row = next(r for r in section.rows if r.name == desk.display_name)
            return row.values[codes.index(code)].value
    raise AssertionError(code)


# -- the overview ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["national_user", "ministry_user", "admin_user"])
def test_national_roles_see_every_desk_and_the_national_total(
    client_for, request, who, desk_a, desk_b
):
    clients = _reached(desk_a, ROTTERDAM, 2, conversations=2)
    _reached(desk_b, "GM0014", 1)
    response = client_for(request.getfixturevalue(who)).get(OVERVIEW, H1)
    assert response.status_code == 200
    assert _desk_value(response, desk_a, "adviesgesprekken") == 4
    assert _desk_value(response, desk_a, "burgers-bereikt") == 2
    assert _desk_value(response, desk_b, "burgers-bereikt") == 1
    assert _section_total(response, "burgers-bereikt") == 3
    content = response.content.decode()
    assert content.count('<th scope="row" class="utrecht-table__header-cell">') >= 35
    assert "telregels versie 1" in content.lower()
    assert "Een intake is geen adviesgesprek" in content  # definitions next to the figures
    assert "<svg" in content and 'aria-hidden="true"' in content
    # aggregates only: no names and no links to registrations, clients or desk pages
    for client in clients:
        assert client.family_name not in content
    assert "/klanten/" not in content
    assert "/cijfer/" not in content
    assert reverse("reporting:desk_report", args=[desk_a.uuid]) not in content


def test_the_default_period_is_the_last_complete_half_year(client_for, national_user):
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 3, 15)):
        response = client_for(national_user).get(OVERVIEW)
    assert response.context["period"].label == "2025 H2"
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 8, 1)):
        response = client_for(national_user).get(OVERVIEW)
    assert response.context["period"].label == "2026 H1"


def test_a_year_and_a_trend_per_year(client_for, national_user, desk_a):
    _reached(desk_a, ROTTERDAM, 3)
    response = client_for(national_user).get(
        OVERVIEW, {"periode": "2025", "cijfer": "burgers-bereikt"}
    )
    assert response.context["period"].label == "2025"
    trend = response.context["trend"]
    assert trend.years == ["2021", "2022", "2023", "2024", "2025"]
    assert [v.value for v in trend.total] == [0, 0, 0, 0, 3]
    row = next(r for r in trend.rows if r.name == desk_a.display_name)
    assert row.values[-1].value == 3


def test_filters_and_an_older_ruleset(client_for, national_user, desk_a):
    _reached(desk_a, ROTTERDAM, 2)
    response = client_for(national_user).get(OVERVIEW, {**H1, "contactkanaal": "phone"})
    assert _section_total(response, "adviesgesprekken") == 0
    assert response.context["filters_used"]
    # an unknown value is ignored
    response = client_for(national_user).get(OVERVIEW, {**H1, "telregels": "99"})
    assert response.context["ruleset"].number == 1


def test_the_default_rules_are_those_in_force_at_the_end_of_the_period(client_for, national_user):
    # version 2 (seeded) takes effect on 1 January 2027
    with mock.patch("django.utils.timezone.localdate", return_value=D(2027, 8, 1)):
        response = client_for(national_user).get(OVERVIEW)
        assert response.context["period"].label == "2027 H1"
        assert response.context["ruleset"].number == 2
        response = client_for(national_user).get(OVERVIEW, {"periode": "2026-H2"})
        assert response.context["ruleset"].number == 1
        # a version chosen explicitly wins
        response = client_for(national_user).get(OVERVIEW, {"periode": "2027-H1", "telregels": "1"})
        assert response.context["ruleset"].number == 1


@pytest.mark.parametrize("who", ["adviser_a", "manager_a"])
def test_desk_staff_get_403(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(SPLIT).status_code == 403
    for name in EXPORTS:
        assert client.get(reverse(f"reporting:{name}")).status_code == 403


def test_partner_referrers_get_403_and_anonymous_must_log_in(client):  # type: ignore[no-untyped-def]
    from django.test import Client

    referrer = UserFactory(email="verwijzer@example.test", global_role=GlobalRole.PARTNER_REFERRER)
    logged_in = Client()
    logged_in.force_login(referrer, backend="leerwerk.accounts.backends.EmailBackend")
    for url in [OVERVIEW, SPLIT, *[reverse(f"reporting:{n}") for n in EXPORTS]]:
        assert logged_in.get(url).status_code == 403
        response = client.get(url)
        assert response.status_code == 302
        assert "inloggen" in response["Location"] or "login" in response["Location"]


def test_overview_queries_do_not_grow_with_the_desks(
    client_for, national_user, django_assert_max_num_queries
):
    for desk in Desk.objects.all():
        _reached(desk, ROTTERDAM, 1)
    client = client_for(national_user)
    with django_assert_max_num_queries(40):
        response = client.get(OVERVIEW, {**H1, "cijfer": "burgers-bereikt"})
    assert len(response.context["desks"]) == 35
    assert _section_total(response, "burgers-bereikt") == 35


def test_csv_export_parses_back(client_for, national_user, desk_a):
    _reached(desk_a, ROTTERDAM, 2)
    response = client_for(national_user).get(reverse("reporting:national_export_csv"), H1)
    assert response.status_code == 200
    assert "landelijk-overzicht-2025-H1-telregels-v1" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    meta = dict(r for r in rows if len(r) == 2)
    assert meta["Telregels"].startswith("versie 1")
    assert meta["Periode"] == "2025 H1"
    header = next(r for r in rows if r and r[0] == "Loket")
    desk_row = next(r for r in rows if r and r[0] == desk_a.display_name)
    total_row = next(r for r in rows if r and r[0] == "Landelijk totaal")
    column = header.index("Burgers individueel bereikt")
    assert desk_row[column] == "2"
    assert total_row[column] == "2"
    assert len([r for r in rows if len(r) == len(header) and r[0] != "Loket"]) == 36
    assert any(r and r[0] == "burgers-bereikt" and "Een klant met drie" in r[-1] for r in rows)


def test_xlsx_export_parses_back(client_for, ministry_user, desk_a):
    from openpyxl import load_workbook

    _reached(desk_a, ROTTERDAM, 2)
    response = client_for(ministry_user).get(
        reverse("reporting:national_export_xlsx"), {**H1, "cijfer": "burgers-bereikt"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Overzicht"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Loket")
    desk_row = next(r for r in rows if r and r[0] == desk_a.display_name)
    assert desk_row[header.index("Burgers individueel bereikt")] == 2
    trend = list(workbook["Trend"].iter_rows(values_only=True))
    assert trend[-1][0] == "Landelijk totaal"
    assert trend[-1][-1] == 2
    definitions = list(workbook["Definities"].iter_rows(values_only=True))
    assert any("Een intake is geen adviesgesprek" in (r[4] or "") for r in definitions)


def test_pdf_export(client_for, national_user, desk_a):
    _reached(desk_a, ROTTERDAM, 1)
    response = client_for(national_user).get(reverse("reporting:national_export_pdf"), H1)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    with mock.patch("weasyprint.HTML") as html:
        html.return_value.write_pdf.return_value = b"%PDF-fake"
        client_for(national_user).get(reverse("reporting:national_export_pdf"), H1)
    source = html.call_args.kwargs["string"]
    assert "Telregels versie 1" in source
    assert "counter(pages)" in source
    assert desk_a.display_name in source


def test_the_network_overview_links_to_the_figures(client_for, national_user):
    response = client_for(national_user).get(reverse("staff:national_overview"))
    assert OVERVIEW in response.content.decode()


# -- splits ----------------------------------------------------------------------------------


def _split_cells(response):  # type: ignore[no-untyped-def]
    table = response.context["table"]
    return {row.label: [c.text for c in row.cells] for row in table.rows}


def test_national_split_by_municipality_suppresses_small_numbers(client_for, national_user, desk_a):
    # given 12 clients reached living in Rotterdam, 3 in Schiedam and 6 in Vlaardingen
    _reached(desk_a, ROTTERDAM, 12)
    _reached(desk_a, SCHIEDAM, 3)
    _reached(desk_a, VLAARDINGEN, 6)
    response = client_for(national_user).get(
        SPLIT, {**H1, "cijfer": "burgers-bereikt", "naar": "gemeente"}
    )
    assert response.status_code == 200
    cells = _split_cells(response)
    # then Schiedam shows "< 5", and Vlaardingen (the next smallest) is hidden too, so Schiedam
    # cannot be computed from the total
    assert cells["Schiedam"] == ["< 5"]
    assert cells["Vlaardingen"] == ["×"]
    assert cells["Rotterdam"] == ["12"]
    assert [c.text for c in response.context["table"].column_totals] == ["21"]
    content = response.content.decode()
    assert "1 tot en met 4" in content
    assert ">3<" not in content


def test_the_split_downloads_as_csv_exactly_as_shown(client_for, national_user, desk_a):
    _reached(desk_a, ROTTERDAM, 12)
    _reached(desk_a, SCHIEDAM, 3)
    _reached(desk_a, VLAARDINGEN, 6)
    query = {**H1, "cijfer": "burgers-bereikt", "naar": "gemeente"}
    page = client_for(national_user).get(SPLIT, query).content.decode()
    assert "export=csv" in page
    response = client_for(national_user).get(SPLIT, {**query, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    as_dict = {row[0]: row[1:] for row in rows if row}
    assert as_dict["Schiedam"] == ["< 5"]
    assert as_dict["Vlaardingen"] == ["×"]
    assert as_dict["Rotterdam"] == ["12"]
    assert as_dict["Totaal"] == ["21"]
    assert as_dict["Telregels"] == ["Telregels v1"]
    assert "3" not in as_dict["Schiedam"]


def test_national_split_by_target_group_per_desk(client_for, ministry_user, desk_a, desk_b):
    group, other = list(TargetGroup.objects.filter(is_active=True).order_by("sort_order")[:2])
    _reached(desk_a, ROTTERDAM, 2, groups=[group])
    _reached(desk_a, ROTTERDAM, 7, groups=[other])
    _reached(desk_b, "GM0014", 8, groups=[group])
    response = client_for(ministry_user).get(
        SPLIT, {**H1, "cijfer": "burgers-bereikt", "naar": "doelgroep"}
    )
    table = response.context["table"]
    assert not table.additive
    assert table.columns[:2] == [group.name, other.name]
    rows = {row.label: row for row in table.rows}
    assert rows[desk_a.display_name].cells[0].text == "< 5"
    # every line of the table hides none or at least two entries
    hidden_in_row = [c for c in rows[desk_a.display_name].cells if c.state] + (
        [rows[desk_a.display_name].total] if rows[desk_a.display_name].total.state else []
    )
    assert len(hidden_in_row) >= 2
    assert "geen optelsom" in response.content.decode()


def test_desk_staff_see_their_own_split_unsuppressed(client_for, adviser_a, desk_a):
    _reached(desk_a, SCHIEDAM, 3)
    _reached(desk_a, ROTTERDAM, 9)
    url = reverse("reporting:desk_split", args=[desk_a.uuid])
    response = client_for(adviser_a).get(url, {**H1, "cijfer": "burgers-bereikt"})
    assert response.status_code == 200
    assert _split_cells(response)["Schiedam"] == ["3"]
    assert not response.context["suppressed"]


def test_national_roles_see_a_desk_split_suppressed(client_for, national_user, desk_a):
    _reached(desk_a, SCHIEDAM, 3)
    _reached(desk_a, ROTTERDAM, 9)
    url = reverse("reporting:desk_split", args=[desk_a.uuid])
    response = client_for(national_user).get(url, {**H1, "cijfer": "burgers-bereikt"})
    assert _split_cells(response)["Schiedam"] == ["< 5"]


@pytest.mark.parametrize("who", ["adviser_b", "manager_b"])
def test_another_desk_gets_404_on_a_desk_split(client_for, request, who, desk_a):
    url = reverse("reporting:desk_split", args=[desk_a.uuid])
    assert client_for(request.getfixturevalue(who)).get(url).status_code == 404
