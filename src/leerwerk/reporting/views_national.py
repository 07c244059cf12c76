"""The national overview (/medewerkers/rapportage/landelijk/): every desk side by side for one
period, with national totals, a trend per year and charts, for the national team, ministry
viewers and administrators. Aggregates only: no page here shows or links to registrations or
clients (no drill-down), and splits by municipality or target group go to the split page, which
suppresses small numbers.

Computation goes through ``selectors.compute_desk_reports`` (every desk, one grouped query per
period) and ``selectors.compute_report`` (the national totals: a citizen served by two desks
counts once nationally, and the ratios are computed from the national totals).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leerwerk.core.access import access_for
from leerwerk.core.views_helpers import query_without_page
from leerwerk.network.models import Desk
from leerwerk.network.views.staff import OVERVIEW_ROLES
from leerwerk.reporting import charts
from leerwerk.reporting.constants import Method
from leerwerk.reporting.forms_national import NationalOverviewForm
from leerwerk.reporting.models import FigureDefinition, RuleSet
from leerwerk.reporting.selectors import (
    Cell,
    Period,
    Report,
    compute_desk_reports,
    compute_report,
    format_number,
    ruleset_in_force,
)
from leerwerk.reporting.views import (
    SECTION_LABELS,
    _attachment,
    _csv_number,
    plain_value,
)

TREND_YEARS = 5


def require_national(user: Any) -> None:
    """The national team, ministry viewers and administrators; everyone else 403."""
    if not access_for(user).has_global_role(OVERVIEW_ROLES):
        raise PermissionDenied


def published_rulesets() -> list[RuleSet]:
    return list(RuleSet.objects.filter(published_at__isnull=False).order_by("-number"))


def national_desks(user: Any) -> list[Desk]:
    return list(Desk.objects.for_user(user).select_related("region").order_by("display_name"))


def method_label(definition: FigureDefinition) -> str:
    return (
        str(Method(definition.method).label)
        if definition.method in Method.values
        else definition.method
    )


@dataclass(frozen=True)
class Figure:
    definition: FigureDefinition
    method: str

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def label(self) -> str:
        return self.definition.label


@dataclass(frozen=True)
class Value:
    value: Decimal | int | None
    text: str
    how: str
    manual: bool


@dataclass(frozen=True)
class DeskRow:
    name: str
    region: str
    values: list[Value]


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    figures: list[Figure]
    rows: list[DeskRow]
    total: list[Value]


def _value(cell: Cell, definition: FigureDefinition) -> Value:
    return Value(cell.value, format_number(cell.value, definition.unit), cell.how, cell.manual)


def _sections(desks: list[Desk], reports: dict[int, Report], national: Report) -> list[Section]:
    """One table per report section: desks as rows, the section's figures as columns."""
    keys: list[str] = []
    by_section: dict[str, list[int]] = {}
    for index, row in enumerate(national.rows):
        section = row.definition.section
        if section not in by_section:
            keys.append(section)
        by_section.setdefault(section, []).append(index)
    sections = []
    for key in keys:
        indexes = by_section[key]
        figures = [
            Figure(national.rows[i].definition, method_label(national.rows[i].definition))
            for i in indexes
        ]
        rows = [
            DeskRow(
                desk.display_name,
                desk.region.name,
                [
                    _value(reports[desk.pk].rows[i].cells[0], reports[desk.pk].rows[i].definition)
                    for i in indexes
                ],
            )
            for desk in desks
        ]
        total = [_value(national.rows[i].cells[0], national.rows[i].definition) for i in indexes]
        sections.append(
            Section(key, str(SECTION_LABELS.get(key, key.capitalize())), figures, rows, total)
        )
    return sections


@dataclass(frozen=True)
class Trend:
    definition: FigureDefinition
    years: list[str]
    rows: list[DeskRow]
    total: list[Value]


def _trend(
    desks: list[Desk],
    reports: dict[int, Report],
    national: Report,
    definition: FigureDefinition,
) -> Trend:
    def values(report: Report) -> list[Value]:
        return [_value(cell, definition) for cell in report.row(definition.code).cells]

    return Trend(
        definition=definition,
        years=[p.label for p in national.periods],
        rows=[DeskRow(d.display_name, d.region.name, values(reports[d.pk])) for d in desks],
        total=values(national),
    )


def _trend_periods(period: Period) -> list[Period]:
    last = period.end.year
    return [Period.year(year) for year in range(last - TREND_YEARS + 1, last + 1)]


def overview_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the overview page and its exports show."""
    user = request.user
    try:
        in_force = ruleset_in_force()
    except RuleSet.DoesNotExist:
        raise Http404 from None
    form = NationalOverviewForm(
        request.GET or None, rulesets=published_rulesets(), in_force=in_force
    )
    ruleset, period, filters = form.ruleset(), form.period(), form.report_filters()
    desks = national_desks(user)
    desk_ids = [d.pk for d in desks]
    reports = compute_desk_reports(
        desk_ids=desk_ids, periods=[period], ruleset=ruleset, filters=filters
    )
    national = compute_report(desk_ids=desk_ids, periods=[period], ruleset=ruleset, filters=filters)
    context: dict[str, Any] = {
        "form": form,
        "ruleset": ruleset,
        "period": period,
        "desks": desks,
        "national": national,
        "sections": _sections(desks, reports, national),
        "filters_used": form.filters_used(),
        "query": query_without_page(request),
        "generated_at": national.generated_at,
        "trend": None,
        "bars": None,
        "line": None,
    }
    definition = form.figure()
    if definition is not None:
        trend_periods = _trend_periods(period)
        trend_reports = compute_desk_reports(
            desk_ids=desk_ids, periods=trend_periods, ruleset=ruleset, filters=filters
        )
        trend_national = compute_report(
            desk_ids=desk_ids, periods=trend_periods, ruleset=ruleset, filters=filters
        )
        trend = _trend(desks, trend_reports, trend_national, definition)
        index = [r.definition.code for r in national.rows].index(definition.code)
        context["figure"] = definition
        context["trend"] = trend
        context["bars"] = charts.bar_chart(
            [
                (
                    desk.display_name,
                    reports[desk.pk].rows[index].cells[0].value,
                    format_number(reports[desk.pk].rows[index].cells[0].value, definition.unit),
                )
                for desk in desks
            ]
        )
        context["line"] = charts.line_chart(
            [(year, v.value, v.text) for year, v in zip(trend.years, trend.total, strict=True)],
            unit=definition.unit,
        )
    return context


@login_required
@require_GET
def national_overview(request: HttpRequest) -> HttpResponse:
    require_national(request.user)
    context = overview_context(request)
    context.update(
        title=_("Landelijk overzicht van de cijfers"),
        breadcrumbs=[
            (_("Medewerkers"), reverse("staff:home")),
            (_("Landelijk overzicht"), reverse("staff:national_overview")),
        ],
    )
    return render(request, "reporting/national_overview.html", context)


# -- exports ---------------------------------------------------------------------------------


def _meta(context: dict[str, Any]) -> list[tuple[str, str]]:
    ruleset: RuleSet = context["ruleset"]
    filters = context["filters_used"]
    meta = [
        (_("Rapport"), _("Landelijk overzicht van de cijfers")),
        (_("Periode"), context["period"].label),
        (_("Loketten"), str(len(context["desks"]))),
        (
            _("Telregels"),
            _("versie %(number)s, geldig vanaf %(date)s")
            % {"number": ruleset.number, "date": date_format(ruleset.effective_from, "j F Y")},
        ),
        (_("Gemaakt op"), date_format(timezone.localtime(context["generated_at"]), "j F Y H:i")),
        (_("Filters"), "; ".join(f"{k}: {v}" for k, v in filters) if filters else _("geen")),
        (
            _("Let op"),
            _(
                "Alleen totalen, geen gegevens van personen. Landelijk telt een burger die bij "
                "twee loketten kwam één keer; delingen zijn berekend uit de landelijke totalen."
            ),
        ),
    ]
    return [(str(label), str(value)) for label, value in meta]


def _table(context: dict[str, Any]) -> tuple[list[str], list[list[Any]], list[Figure]]:
    """Header, rows (desks, then the national total) and the figures, for the spreadsheets."""
    figures = [f for s in context["sections"] for f in s.figures]
    header = [_("Loket"), _("Arbeidsmarktregio"), *[f.label for f in figures]]
    rows: list[list[Any]] = []
    per_desk: dict[str, list[Value]] = {}
    regions: dict[str, str] = {}
    for section in context["sections"]:
        for row in section.rows:
            per_desk.setdefault(row.name, []).extend(row.values)
            regions[row.name] = row.region
    for name, values in per_desk.items():
        rows.append([name, regions[name], *[v.value for v in values]])
    total = [v.value for s in context["sections"] for v in s.total]
    rows.append([_("Landelijk totaal"), "", *total])
    return [str(h) for h in header], rows, figures


def _filename(context: dict[str, Any], extension: str) -> str:
    stamp = timezone.localtime(context["generated_at"]).strftime("%Y-%m-%d")
    period = context["period"].label.replace(" ", "-")
    number = context["ruleset"].number
    return f"landelijk-overzicht-{period}-telregels-v{number}-{stamp}.{extension}"


@login_required
@require_GET
def national_export_csv(request: HttpRequest) -> HttpResponse:
    require_national(request.user)
    context = overview_context(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for label, value in _meta(context):
        writer.writerow([label, value])
    writer.writerow([])
    header, rows, figures = _table(context)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[0], row[1], *[_csv_number(v) for v in row[2:]]])
    writer.writerow([])
    writer.writerow([_("Code"), _("Cijfer"), _("Berekening"), _("Eenheid"), _("Uitleg")])
    for figure in figures:
        d = figure.definition
        writer.writerow([d.code, d.label, figure.method, d.unit, d.explanation])
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return _attachment(content, "text/csv; charset=utf-8", _filename(context, "csv"))


@login_required
@require_GET
def national_export_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    require_national(request.user)
    context = overview_context(request)
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Overzicht")
    for label, value in _meta(context):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    header, rows, figures = _table(context)
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in rows:
        sheet.append([row[0], row[1], *[plain_value(v) for v in row[2:]]])
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 28
    trend = context["trend"]
    if trend is not None:
        trend_sheet = workbook.create_sheet(_("Trend"))
        trend_sheet.append([_("Cijfer"), trend.definition.label])
        trend_sheet.append([])
        trend_sheet.append([_("Loket"), *trend.years])
        for cell in trend_sheet[trend_sheet.max_row]:
            cell.font = bold
        for desk_row in trend.rows:
            trend_sheet.append([desk_row.name, *[plain_value(v.value) for v in desk_row.values]])
        trend_sheet.append([_("Landelijk totaal"), *[plain_value(v.value) for v in trend.total]])
        trend_sheet.column_dimensions["A"].width = 32
    definitions = workbook.create_sheet(_("Definities"))
    definitions.append([_("Code"), _("Cijfer"), _("Berekening"), _("Eenheid"), _("Uitleg")])
    for cell in definitions[1]:
        cell.font = bold
    for figure in figures:
        d = figure.definition
        definitions.append([d.code, d.label, figure.method, d.unit, d.explanation])
    definitions.column_dimensions["B"].width = 40
    definitions.column_dimensions["E"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(context, "xlsx"),
    )


@login_required
@require_GET
def national_export_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import HTML

    require_national(request.user)
    context = overview_context(request)
    context["meta"] = _meta(context)
    html = render_to_string("reporting/national_overview_pdf.html", context, request=request)
    pdf = HTML(string=html).write_pdf()
    return _attachment(pdf, "application/pdf", _filename(context, "pdf"))
