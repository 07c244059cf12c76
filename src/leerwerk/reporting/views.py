"""Staff pages of the half-year report of one desk: the report in the national format, the
drill-down to the registrations behind a figure, the figures entered by hand, and exports.

The report is for the desk's own advisers and desk manager (and administrators); everyone else
gets 404, like for any object of another desk. The national overview comes later.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.core.access import access_for
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action, DeskRole, GlobalRole
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page, require_on_desk
from leerwerk.guidance.models import Registration
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk
from leerwerk.network.views.staff import DeskPermissions
from leerwerk.reporting import services
from leerwerk.reporting.constants import Half, Method
from leerwerk.reporting.forms import (
    HalfYearChoiceForm,
    ManualValuesForm,
    ReportFilterForm,
    current_half,
)
from leerwerk.reporting.models import ManualValue, RuleSet
from leerwerk.reporting.selectors import (
    COUNTED,
    Cell,
    Period,
    Report,
    compute_report,
    format_number,
    registrations_for_figure,
    ruleset_for_periods,
    ruleset_in_force,
    standard_periods,
)

REPORT_ROLES = frozenset({DeskRole.ADVISER, DeskRole.DESK_MANAGER})
SECTION_LABELS = {
    "burgers": gettext_lazy("Burgers"),
    "werkgevers": gettext_lazy("Werkgevers"),
    "bereik": gettext_lazy("Bereik"),
    "middelen": gettext_lazy("Inzet en middelen"),
}
PERIOD_SLUG = re.compile(r"^(?P<year>\d{4})(?:-H(?P<half>[12]))?$")
GET_POST = require_http_methods(["GET", "POST"])


# -- helpers ---------------------------------------------------------------------------------


def may_view_report(user: Any, desk: Desk) -> bool:
    """The desk's own advisers and desk manager, and administrators."""
    access = access_for(user)
    return bool(access.roles_at(desk.pk) & REPORT_ROLES) or access.has_global_role(
        [GlobalRole.ADMINISTRATOR]
    )


def _get_desk(request: HttpRequest, desk_uuid: uuid.UUID) -> Desk:
    desk = Desk.objects.select_related("region").get_for_user_or_404(
        request.user, Action.VIEW, uuid=desk_uuid
    )
    if not may_view_report(request.user, desk):
        raise Http404
    return desk


def period_slug(period: Period) -> str:
    return period.label.replace(" ", "-")


def period_from_slug(slug: str) -> Period:
    match = PERIOD_SLUG.match(slug)
    if not match or not 2015 <= int(match["year"]) <= 2100:
        raise Http404
    year = int(match["year"])
    return Period.half(year, int(match["half"])) if match["half"] else Period.year(year)


def format_value(value: Decimal | int | None, unit: str) -> str:
    """A figure the Dutch way: 1.234 / 1.234,50 / € 1.234,50; a dash when there is none."""
    return format_number(value, unit)


def plain_value(value: Decimal | int | None) -> int | float | None:
    """A figure as a number for spreadsheets."""
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


@dataclass(frozen=True)
class ShownCell:
    cell: Cell
    text: str
    period: Period
    drilldown_url: str


@dataclass(frozen=True)
class ShownRow:
    code: str
    label: str
    explanation: str
    unit: str
    method: str
    manual: bool
    derived: bool
    cells: list[ShownCell]


@dataclass(frozen=True)
class Section:
    label: str
    rows: list[ShownRow]


def _sections(report: Report, desk: Desk, query: str, with_links: bool) -> list[Section]:
    sections: dict[str, list[ShownRow]] = {}
    for row in report.rows:
        d = row.definition
        counted = d.method in COUNTED
        cells = []
        for period, cell in zip(report.periods, row.cells, strict=True):
            url = ""
            if with_links and counted and cell.value:
                url = reverse("reporting:drilldown", args=[desk.uuid, d.code, period_slug(period)])
                url = f"{url}?{query}" if query else url
            cells.append(ShownCell(cell, format_value(cell.value, d.unit), period, url))
        sections.setdefault(d.section, []).append(
            ShownRow(
                code=d.code,
                label=d.label,
                explanation=d.explanation,
                unit=d.unit,
                method=str(Method(d.method).label) if d.method in Method.values else d.method,
                manual=d.method == Method.MANUAL,
                derived=d.method in (Method.RATIO, Method.STAFF_FTE),
                cells=cells,
            )
        )
    return [
        Section(str(SECTION_LABELS.get(key, key.capitalize())), rows)
        for key, rows in sections.items()
    ]


def _published_rulesets() -> list[RuleSet]:
    return list(RuleSet.objects.filter(published_at__isnull=False).order_by("-number"))


def _build_report(request: HttpRequest, desk: Desk) -> tuple[Report, ReportFilterForm]:
    form = ReportFilterForm(request.GET, desk=desk, rulesets=_published_rulesets())
    ruleset = form.ruleset()
    periods = standard_periods()
    try:
        report = compute_report(
            desk_ids=[desk.pk],
            periods=periods,
            ruleset=ruleset or ruleset_for_periods(periods),
            filters=form.report_filters(),
        )
    except RuleSet.DoesNotExist:
        raise Http404 from None
    return report, form


def _filter_summary(form: ReportFilterForm) -> list[tuple[str, str]]:
    """The filters in use, as (label, chosen value) for the page and the exports."""
    summary = []
    data = form.cleaned_choices()
    for name in ("doelgroep", "contactkanaal", "binnengekomen", "gemeente", "verwijzer", "dienst"):
        value = data.get(name)
        if value:
            choices = dict(form.fields[name].choices)
            summary.append((str(form.fields[name].label), str(choices.get(value, value))))
    return summary


def _report_context(request: HttpRequest, desk: Desk, *, with_links: bool) -> dict[str, Any]:
    report, form = _build_report(request, desk)
    query = query_without_page(request)
    return {
        "desk": desk,
        "report": report,
        "form": form,
        "sections": _sections(report, desk, query, with_links),
        "filters_used": _filter_summary(form),
        "query": query,
        "period_labels": [p.label for p in report.periods],
    }


# -- the report ------------------------------------------------------------------------------


@login_required
@require_GET
def desk_report(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _get_desk(request, desk_uuid)
    user = request.user
    may_drill = require_on_desk_ok(user, desk)
    context = _report_context(request, desk, with_links=may_drill)
    context.update(
        title=_("Halfjaarrapportage"),
        permissions=DeskPermissions.of(user, desk),
        may_enter_manual=_may_change_manual(user, desk),
        breadcrumbs=[
            (_("Medewerkers"), reverse("staff:home")),
            (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
        ],
    )
    return render(request, "reporting/desk_report.html", context)


def require_on_desk_ok(user: Any, desk: Desk) -> bool:
    return policy_for(Registration).can_on_desk(user, Action.VIEW, desk.pk)


def _may_change_manual(user: Any, desk: Desk) -> bool:
    return policy_for(ManualValue).can_on_desk(user, Action.CHANGE, desk.pk)


# -- drill-down ------------------------------------------------------------------------------


@login_required
@require_GET
def drilldown(
    request: HttpRequest, desk_uuid: uuid.UUID, code: str, period_label: str
) -> HttpResponse:
    desk = _get_desk(request, desk_uuid)
    user = request.user
    # Personal data: only staff who may see the desk's registrations.
    require_on_desk(user, Registration, Action.VIEW, desk)
    period = period_from_slug(period_label)
    form = ReportFilterForm(request.GET, desk=desk, rulesets=_published_rulesets())
    try:
        ruleset = form.ruleset() or ruleset_in_force(period.end)
    except RuleSet.DoesNotExist:
        raise Http404 from None
    definition = ruleset.figures.filter(code=code).first()
    if definition is None or definition.method not in COUNTED:
        raise Http404
    filters = form.report_filters()
    registrations = (
        registrations_for_figure(
            desk_ids=[desk.pk], period=period, definition=definition, filters=filters
        )
        & Registration.objects.for_user(user, Action.VIEW)
    ).order_by("-occurred_on", "-pk")
    page = paginate(request, registrations)
    audit_record(
        actor=user,
        action="report.drilldown",
        object_type="guidance.registration",
        desk_id=desk.pk,
        detail={
            "figure": definition.code,
            "period": period.label,
            "ruleset": ruleset.number,
            "filters": {k: v for k, v in vars(filters).items() if v},
            "page": page.number,
        },
    )
    report_url = reverse("reporting:desk_report", args=[desk.uuid])
    report_query = query_without_page(request)
    context = {
        "title": _("%(figure)s in %(period)s")
        % {"figure": definition.label, "period": period.label},
        "desk": desk,
        "definition": definition,
        "period": period,
        "ruleset": ruleset,
        "page": page,
        "query": report_query,
        "filters_used": _filter_summary(form),
        "report_url": f"{report_url}?{report_query}" if report_query else report_url,
        "permissions": DeskPermissions.of(user, desk),
        "breadcrumbs": [
            (_("Medewerkers"), reverse("staff:home")),
            (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
            (_("Halfjaarrapportage"), report_url),
        ],
    }
    return render(request, "reporting/drilldown.html", context)


# -- figures entered by hand -----------------------------------------------------------------


@login_required
@GET_POST
def manual_values(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _get_desk(request, desk_uuid)
    user = request.user
    require_on_desk(user, ManualValue, Action.CHANGE, desk)
    source = request.POST if request.method == "POST" else request.GET
    year, half = current_half()
    choice = HalfYearChoiceForm(
        {"jaar": source.get("jaar", year), "halfjaar": source.get("halfjaar", half)}
    )
    if choice.is_valid():
        year, half = choice.cleaned_data["jaar"], choice.cleaned_data["halfjaar"]
    elif request.method == "POST":
        raise Http404
    else:
        choice = HalfYearChoiceForm({"jaar": year, "halfjaar": half})
    try:  # the figures asked for are those of the rules in force in that half-year
        ruleset = ruleset_in_force(Period.half(year, half).end)
    except RuleSet.DoesNotExist:
        raise Http404 from None
    definitions = list(ruleset.figures.filter(method=Method.MANUAL).order_by("sort_order"))
    current = {
        m.figure_code: m
        for m in ManualValue.objects.for_user(user, Action.VIEW).filter(
            desk=desk, year=year, half=half, figure_code__in=[d.code for d in definitions]
        )
    }
    initial = {"jaar": year, "halfjaar": half}
    if request.method == "POST":
        form = ManualValuesForm(request.POST, definitions=definitions, current=current)
        if form.is_valid() and _save_manual(user, desk, year, half, form):
            messages.success(
                request,
                _("De cijfers voor %(half)s %(year)s zijn opgeslagen.")
                % {"half": Half(half).label, "year": year},
            )
            url = reverse("reporting:manual_values", args=[desk.uuid])
            return HttpResponseRedirect(f"{url}?jaar={year}&halfjaar={half}")
    else:
        form = ManualValuesForm(initial=initial, definitions=definitions, current=current)
    report_url = reverse("reporting:desk_report", args=[desk.uuid])
    context = {
        "title": _("Cijfers met de hand invoeren"),
        "desk": desk,
        "ruleset": ruleset,
        "choice": choice,
        "form": form,
        "year": year,
        "half_label": Half(half).label,
        "permissions": DeskPermissions.of(user, desk),
        "breadcrumbs": [
            (_("Medewerkers"), reverse("staff:home")),
            (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
            (_("Halfjaarrapportage"), report_url),
        ],
    }
    return render(request, "reporting/manual_values.html", context)


class _Rollback(Exception):
    pass


def _save_manual(user: Any, desk: Desk, year: int, half: int, form: ManualValuesForm) -> bool:
    """Save every changed figure, or none of them when one is refused."""
    try:
        with transaction.atomic():
            for definition, raw, version in form.changes():
                try:
                    services.manual_value_set(
                        actor=user,
                        desk=desk,
                        figure_code=definition.code,
                        year=year,
                        half=half,
                        value=raw,
                        expected_version=version,
                    )
                except ConflictError as exc:
                    add_service_errors(form, exc)
                except ValidationError as exc:
                    _add_manual_errors(form, definition.code, exc)
            if form.errors:
                raise _Rollback
    except _Rollback:
        return False
    return True


def _add_manual_errors(form: ManualValuesForm, code: str, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(form.value_name(code), exc.messages)
        return
    for name, errors in exc.error_dict.items():
        messages_ = [m for e in errors for m in e.messages]
        if name in ("value", "__all__"):
            form.add_error(form.value_name(code), messages_)
        else:
            form.add_error(None, messages_)


# -- exports ---------------------------------------------------------------------------------


def _export_meta(context: dict[str, Any]) -> list[tuple[str, str]]:
    report: Report = context["report"]
    ruleset = report.ruleset
    meta = [
        (_("Rapport"), _("Halfjaarrapportage")),
        (_("Loket"), context["desk"].display_name),
        (_("Arbeidsmarktregio"), context["desk"].region.name),
        (_("Periodes"), ", ".join(p.label for p in report.periods)),
        (
            _("Telregels"),
            _("versie %(number)s, geldig vanaf %(date)s")
            % {"number": ruleset.number, "date": date_format(ruleset.effective_from, "j F Y")},
        ),
        (
            _("Gemaakt op"),
            date_format(timezone.localtime(report.generated_at), "j F Y H:i"),
        ),
    ]
    filters = context["filters_used"]
    meta.append(
        (_("Filters"), "; ".join(f"{k}: {v}" for k, v in filters) if filters else _("geen"))
    )
    return [(str(label), str(value)) for label, value in meta]


def _export_filename(desk: Desk, report: Report, extension: str) -> str:
    stamp = timezone.localtime(report.generated_at).strftime("%Y-%m-%d")
    return f"rapportage-{desk.slug}-telregels-v{report.ruleset.number}-{stamp}.{extension}"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _table_header(context: dict[str, Any]) -> list[str]:
    return [
        str(_("Onderdeel")),
        _("Code"),
        _("Cijfer"),
        *context["period_labels"],
        _("Eenheid"),
        _("Berekening"),
        _("Uitleg"),
    ]


@login_required
@require_GET
def export_csv(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _get_desk(request, desk_uuid)
    context = _report_context(request, desk, with_links=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for label, value in _export_meta(context):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerow(_table_header(context))
    for section in context["sections"]:
        for row in section.rows:
            writer.writerow(
                [
                    section.label,
                    row.code,
                    row.label,
                    *[_csv_number(c.cell.value) for c in row.cells],
                    row.unit,
                    row.method,
                    row.explanation,
                ]
            )
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return _attachment(
        content,
        "text/csv; charset=utf-8",
        _export_filename(desk, context["report"], "csv"),
    )


def _csv_number(value: Decimal | int | None) -> str:
    number = plain_value(value)
    return "" if number is None else str(number).replace(".", ",")


@login_required
@require_GET
def export_xlsx(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    desk = _get_desk(request, desk_uuid)
    context = _report_context(request, desk, with_links=False)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rapportage")
    bold = Font(bold=True)
    for label, value in _export_meta(context):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    sheet.append(_table_header(context))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for section in context["sections"]:
        for row in section.rows:
            sheet.append(
                [
                    section.label,
                    row.code,
                    row.label,
                    *[plain_value(c.cell.value) for c in row.cells],
                    row.unit,
                    row.method,
                    row.explanation,
                ]
            )
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["C"].width = 40
    definitions = workbook.create_sheet(_("Definities"))
    definitions.append([_("Code"), _("Cijfer"), _("Berekening"), _("Uitleg")])
    for cell in definitions[1]:
        cell.font = bold
    for section in context["sections"]:
        for row in section.rows:
            definitions.append([row.code, row.label, row.method, row.explanation])
    definitions.column_dimensions["B"].width = 40
    definitions.column_dimensions["D"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _export_filename(desk, context["report"], "xlsx"),
    )


@login_required
@require_GET
def export_pdf(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    from weasyprint import HTML

    desk = _get_desk(request, desk_uuid)
    context = _report_context(request, desk, with_links=False)
    context["meta"] = _export_meta(context)
    html = render_to_string("reporting/desk_report_pdf.html", context, request=request)
    pdf = HTML(string=html).write_pdf()
    return _attachment(pdf, "application/pdf", _export_filename(desk, context["report"], "pdf"))
