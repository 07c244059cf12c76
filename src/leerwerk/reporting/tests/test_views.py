"""The desk half-year report pages: figures, filters, drill-down, manual figures, exports."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from leerwerk.core.models import AuditEvent
from leerwerk.guidance import vocabulary as v
from leerwerk.guidance.constants import Channel
from leerwerk.guidance.tests.factories import RegistrationFactory, TrajectoryFactory
from leerwerk.reporting.models import ManualValue

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 10)


def _url(name, desk, *extra):
    return reverse(f"reporting:{name}", args=[desk.uuid, *extra])


def _conversations(desk, n, channel=Channel.IN_PERSON):
    trajectory = TrajectoryFactory(desk=desk, opened_on=datetime.date(2025, 1, 2))
    return [
        RegistrationFactory(
            code=v.ADVICE_CONVERSATION, trajectory=trajectory, occurred_on=DAY, channel=channel
        )
        for _ in range(n)
    ]


def _row_cells(report, code):
    return [c.cell.value for s in report for r in s.rows if r.code == code for c in r.cells]


def test_the_report_shows_known_figures_and_the_ruleset_version(client_for, adviser_a, desk_a):
    # given three conversations of one client in 2025
    _conversations(desk_a, 3)
    # when the adviser opens the report
    response = client_for(adviser_a).get(_url("desk_report", desk_a))
    # then the 2025 column counts 3 conversations and 1 citizen, under rule set 1
    assert response.status_code == 200
    labels = response.context["period_labels"]
    index = labels.index("2025")
    assert _row_cells(response.context["sections"], "adviesgesprekken")[index] == 3
    assert _row_cells(response.context["sections"], "burgers-bereikt")[index] == 1
    content = response.content.decode()
    assert "telregels versie 1" in content.lower()
    assert "met de hand ingevoerd" in content
    assert "Een intake is geen adviesgesprek" in content


def test_filters_change_the_numbers(client_for, adviser_a, desk_a):
    _conversations(desk_a, 2, channel=Channel.IN_PERSON)
    _conversations(desk_a, 1, channel=Channel.PHONE)
    client = client_for(adviser_a)
    all_ = client.get(_url("desk_report", desk_a))
    phone = client.get(_url("desk_report", desk_a), {"contactkanaal": Channel.PHONE})
    index = all_.context["period_labels"].index("2025")
    assert _row_cells(all_.context["sections"], "adviesgesprekken")[index] == 3
    assert _row_cells(phone.context["sections"], "adviesgesprekken")[index] == 1


def test_drilldown_lists_exactly_the_counted_registrations_and_is_audited(
    client_for, adviser_a, desk_a
):
    counted = _conversations(desk_a, 2)
    RegistrationFactory(code=v.INTAKE, occurred_on=DAY, desk=desk_a)  # not a conversation
    RegistrationFactory(
        code=v.ADVICE_CONVERSATION, occurred_on=DAY, desk=desk_a, status="cancelled"
    )
    response = client_for(adviser_a).get(_url("drilldown", desk_a, "adviesgesprekken", "2025"))
    assert response.status_code == 200
    assert {r.pk for r in response.context["page"]} == {r.pk for r in counted}
    assert counted[0].client.full_name in response.content.decode()
    event = AuditEvent.objects.filter(action="report.drilldown").get()
    assert event.desk_id == desk_a.pk
    assert event.object_type == "guidance.registration"


@pytest.mark.parametrize("code", ["websitebezoekers", "burgers-per-fte", "fte", "bestaat-niet"])
def test_no_drilldown_for_manual_ratio_or_fte_figures(client_for, adviser_a, desk_a, code):
    response = client_for(adviser_a).get(_url("drilldown", desk_a, code, "2025"))
    assert response.status_code == 404


def test_drilldown_by_half_year_label(client_for, adviser_a, desk_a):
    _conversations(desk_a, 1)
    client = client_for(adviser_a)
    assert (
        client.get(_url("drilldown", desk_a, "adviesgesprekken", "2025-H1"))
        .context["page"]
        .paginator.count
        == 1
    )
    assert (
        client.get(_url("drilldown", desk_a, "adviesgesprekken", "2025-H2"))
        .context["page"]
        .paginator.count
        == 0
    )
    assert client.get(_url("drilldown", desk_a, "adviesgesprekken", "2025-H3")).status_code == 404


def test_the_manager_enters_manual_figures(client_for, manager_a, desk_a):
    client = client_for(manager_a)
    url = _url("manual_values", desk_a)
    assert client.get(url, {"jaar": 2025, "halfjaar": 1}).status_code == 200
    response = client.post(url, {"jaar": 2025, "halfjaar": 1, "waarde_websitebezoekers": "1200,5"})
    assert response.status_code == 302
    value = ManualValue.objects.get(desk=desk_a, figure_code="websitebezoekers", year=2025)
    assert str(value.value) == "1200.50"
    report = client.get(_url("desk_report", desk_a))
    assert "1.200,50" in report.content.decode()


def test_manual_form_errors_are_dutch_and_a_conflict_is_shown(client_for, manager_a, desk_a):
    client = client_for(manager_a)
    url = _url("manual_values", desk_a)
    bad = client.post(url, {"jaar": 2025, "halfjaar": 1, "waarde_websitebezoekers": "veel"})
    assert bad.status_code == 200
    assert "Vul een getal in." in bad.content.decode()
    client.post(url, {"jaar": 2025, "halfjaar": 1, "waarde_websitebezoekers": "10"})
    # someone loaded version 1 of the value, another change made it version 2
    stale = client.get(url, {"jaar": 2025, "halfjaar": 1}).context["form"]
    version = (
        stale.initial.get("versie_websitebezoekers") or stale["versie_websitebezoekers"].initial
    )
    client.post(
        url,
        {
            "jaar": 2025,
            "halfjaar": 1,
            "waarde_websitebezoekers": "20",
            "versie_websitebezoekers": version,
        },
    )
    conflict = client.post(
        url,
        {
            "jaar": 2025,
            "halfjaar": 1,
            "waarde_websitebezoekers": "30",
            "versie_websitebezoekers": version,
        },
    )
    assert conflict.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in conflict.content.decode()
    assert ManualValue.objects.get(desk=desk_a, figure_code="websitebezoekers").value == 20


def test_manual_form_is_403_for_an_adviser(client_for, adviser_a, desk_a):
    client = client_for(adviser_a)
    assert client.get(_url("manual_values", desk_a)).status_code == 403
    assert (
        client.post(
            _url("manual_values", desk_a),
            {"jaar": 2025, "halfjaar": 1, "waarde_websitebezoekers": "1"},
        ).status_code
        == 403
    )


ALL_URLS = [
    ("desk_report", ()),
    ("drilldown", ("adviesgesprekken", "2025")),
    ("manual_values", ()),
    ("export_csv", ()),
    ("export_xlsx", ()),
    ("export_pdf", ()),
]


@pytest.mark.parametrize(("name", "extra"), ALL_URLS)
@pytest.mark.parametrize("who", ["adviser_b", "manager_b", "national_user", "ministry_user"])
def test_other_desks_and_national_roles_get_404(client_for, desk_a, request, name, extra, who):
    client = client_for(request.getfixturevalue(who))
    url = _url(name, desk_a, *extra)
    assert client.get(url).status_code == 404
    assert client.post(url, {"jaar": 2025, "halfjaar": 1}).status_code in (404, 405)
    if name == "manual_values":
        assert client.post(url, {"jaar": 2025, "halfjaar": 1}).status_code == 404


def test_desk_nav_links_to_the_report_for_desk_staff(client_for, adviser_a, desk_a):
    response = client_for(adviser_a).get(reverse("staff:desk_detail", args=[desk_a.uuid]))
    assert _url("desk_report", desk_a) in response.content.decode()


def test_csv_export(client_for, adviser_a, desk_a):
    _conversations(desk_a, 3)
    response = client_for(adviser_a).get(_url("export_csv", desk_a))
    assert response.status_code == 200
    assert desk_a.slug in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    meta = dict(r for r in rows if len(r) == 2)
    assert meta["Telregels"].startswith("versie 1")
    header = next(r for r in rows if r and r[0] == "Onderdeel")
    row = next(r for r in rows if len(r) > 2 and r[1] == "adviesgesprekken")
    assert row[header.index("2025")] == "3"
    assert "Gehouden adviesgesprekken" in row[header.index("Uitleg")]


def test_xlsx_export(client_for, adviser_a, desk_a):
    from openpyxl import load_workbook

    _conversations(desk_a, 3)
    response = client_for(adviser_a).get(_url("export_xlsx", desk_a))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Rapportage"].iter_rows(values_only=True))
    meta = {r[0]: r[1] for r in rows if r and r[0] and len([c for c in r if c is not None]) == 2}
    assert meta["Telregels"].startswith("versie 1")
    header = next(r for r in rows if r and r[0] == "Onderdeel")
    row = next(r for r in rows if r and r[1] == "adviesgesprekken")
    assert row[header.index("2025")] == 3
    definitions = list(workbook["Definities"].iter_rows(values_only=True))
    assert any("Een intake is geen adviesgesprek" in (r[3] or "") for r in definitions)


def test_pdf_export(client_for, adviser_a, desk_a):
    _conversations(desk_a, 3)
    response = client_for(adviser_a).get(_url("export_pdf", desk_a))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('.pdf"')


def test_pdf_html_carries_figures_version_and_definitions(client_for, adviser_a, desk_a):
    _conversations(desk_a, 3)
    from unittest import mock

    with mock.patch("weasyprint.HTML") as html:
        html.return_value.write_pdf.return_value = b"%PDF-fake"
        client_for(adviser_a).get(_url("export_pdf", desk_a))
    source = html.call_args.kwargs["string"]
    assert "Telregels versie 1" in source
    assert "counter(pages)" in source
    assert "Een intake is geen adviesgesprek" in source
    assert desk_a.display_name in source


@pytest.mark.parametrize("count", [1, 12])
def test_report_query_count_is_bounded(
    client_for, adviser_a, desk_a, django_assert_max_num_queries, count
):
    _conversations(desk_a, count)
    client = client_for(adviser_a)
    with django_assert_max_num_queries(25):
        response = client.get(_url("desk_report", desk_a))
    assert response.status_code == 200
