"""A person-based figure split by municipality of residence or by target group, for one desk
(``/medewerkers/rapportage/loketten/<uuid>/uitsplitsing/``) or for all desks
(``/medewerkers/rapportage/landelijk/uitsplitsing/``).

Who sees what, consistently:

- the national team, ministry viewers and administrators see every split with small numbers
  suppressed (``reporting.suppression``: 1–4 shown as "< 5", plus complementary suppression so
  nothing can be recovered from the totals);
- the advisers and desk manager of a desk see the split of their own desk unsuppressed: they
  can open the registrations behind every figure anyway (drill-down);
- nobody else sees a desk's split (404, like any object of another desk); the all-desks split
  is for the national roles only (403).
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leerwerk.clients.models import TargetGroup
from leerwerk.core.access import access_for
from leerwerk.core.constants import Action
from leerwerk.network.models import Desk, Municipality
from leerwerk.network.views.staff import OVERVIEW_ROLES
from leerwerk.reporting.forms_national import DIMENSION_MUNICIPALITY, SplitForm
from leerwerk.reporting.models import RuleSet
from leerwerk.reporting.selectors import (
    SPLIT_MUNICIPALITY,
    SPLIT_TARGET_GROUP,
    Split,
    compute_split,
    format_number,
    ruleset_in_force,
)
from leerwerk.reporting.suppression import THRESHOLD, suppress
from leerwerk.reporting.views import REPORT_ROLES
from leerwerk.reporting.views_national import national_desks, published_rulesets, require_national

PRIMARY = "primary"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class ShownCell:
    text: str
    state: str = ""  # "", PRIMARY or COMPLEMENTARY


@dataclass(frozen=True)
class ShownRow:
    label: str
    cells: list[ShownCell]
    total: ShownCell | None


@dataclass(frozen=True)
class Table:
    row_header: str
    columns: list[str]
    rows: list[ShownRow]
    column_totals: list[ShownCell] | None
    grand_total: ShownCell | None
    additive: bool
    suppressed_any: bool


def _labels(split: Split) -> list[tuple[str | None, str]]:
    """The split's keys with their names, in the order shown; None last."""
    keys: set[str | None] = set(split.key_totals)
    for values in split.cells.values():
        keys |= set(values)
    if split.dimension == SPLIT_TARGET_GROUP:
        groups = list(
            TargetGroup.objects.order_by("sort_order", "name").values_list(
                "code", "name", "is_active"
            )
        )
        labelled: list[tuple[str | None, str]] = [
            (code, name) for code, name, active in groups if active or code in keys
        ]
        return [*labelled, (None, _("Geen doelgroep"))]
    names = dict(
        Municipality.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name")
    )
    labelled = sorted(((k, names.get(k, k)) for k in keys if k), key=lambda item: item[1])
    return [*labelled, (None, _("Onbekend"))] if None in keys else labelled


def _cell(value: int, hidden: bool, primary: bool, suppressed: bool) -> ShownCell:
    if suppressed and hidden:
        return ShownCell(f"< {THRESHOLD}", PRIMARY) if primary else ShownCell("×", COMPLEMENTARY)
    return ShownCell(format_number(value, "aantal"))


def build_table(split: Split, desks: list[Desk], *, suppressed: bool, by_desk: bool) -> Table:
    """The table shown: desks × keys (all desks, target groups) or keys × one column."""
    labels = _labels(split)
    additive = split.dimension == SPLIT_MUNICIPALITY
    if by_desk:
        matrix = [[split.cells[d.pk].get(key, 0) for key, _label in labels] for d in desks]
        row_totals: list[int] | None = [split.desk_totals[d.pk] for d in desks]
        column_totals = [split.key_totals.get(key, 0) for key, _label in labels]
        row_labels = [d.display_name for d in desks]
        columns = [label for _key, label in labels]
        row_header = _("Loket")
    else:
        matrix = [[split.key_totals.get(key, 0)] for key, _label in labels]
        row_totals = None
        column_totals = [split.total]
        row_labels = [label for _key, label in labels]
        columns = [split.definition.label]
        row_header = _("Woongemeente") if split.dimension == SPLIT_MUNICIPALITY else _("Doelgroep")
    result = suppress(
        matrix,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=split.total if by_desk else None,
    )
    rows = []
    for r, values in enumerate(matrix):
        cells = [
            _cell(v, result.cells[r][c], result.is_primary(("cell", r, c)), suppressed)
            for c, v in enumerate(values)
        ]
        total = None
        if row_totals is not None:
            total = _cell(
                row_totals[r],
                result.row_totals[r],
                result.is_primary(("row_total", r, 0)),
                suppressed,
            )
        rows.append(ShownRow(row_labels[r], cells, total))
    shown_column_totals = [
        _cell(v, result.column_totals[c], result.is_primary(("column_total", 0, c)), suppressed)
        for c, v in enumerate(column_totals)
    ]
    grand = (
        _cell(split.total, result.grand_total, result.is_primary(("grand_total", 0, 0)), suppressed)
        if by_desk
        else None
    )
    hidden_any = suppressed and (
        any(any(row) for row in result.cells)
        or any(result.row_totals)
        or any(result.column_totals)
        or result.grand_total
    )
    return Table(row_header, columns, rows, shown_column_totals, grand, additive, bool(hidden_any))


@login_required
@require_GET
def split_page(request: HttpRequest, desk_uuid: uuid.UUID | None = None) -> HttpResponse:
    user = request.user
    access = access_for(user)
    desk: Desk | None = None
    if desk_uuid is None:
        require_national(user)
        desks = national_desks(user)
        suppressed = True
    else:
        desk = Desk.objects.select_related("region").get_for_user_or_404(
            user, Action.VIEW, uuid=desk_uuid
        )
        own = bool(access.roles_at(desk.pk) & REPORT_ROLES)
        if not own and not access.has_global_role(OVERVIEW_ROLES):
            raise Http404
        desks = [desk]
        suppressed = not own
    try:
        in_force = ruleset_in_force()
    except RuleSet.DoesNotExist:
        raise Http404 from None
    form = SplitForm(request.GET or None, rulesets=published_rulesets(), in_force=in_force)
    definition = form.figure()
    table = None
    period = form.period()
    if definition is not None:
        split = compute_split(
            desk_ids=[d.pk for d in desks],
            period=period,
            definition=definition,
            dimension=SPLIT_MUNICIPALITY
            if form.dimension() == DIMENSION_MUNICIPALITY
            else SPLIT_TARGET_GROUP,
            filters=form.report_filters(),
        )
        by_desk = desk is None and split.dimension == SPLIT_TARGET_GROUP
        table = build_table(split, desks, suppressed=suppressed, by_desk=by_desk)
    if desk is None:
        breadcrumbs = [
            (_("Medewerkers"), reverse("staff:home")),
            (_("Landelijk overzicht"), reverse("staff:national_overview")),
            (_("Landelijk overzicht van de cijfers"), reverse("reporting:national_overview")),
        ]
        scope = _("alle loketten")
    else:
        breadcrumbs = [(_("Medewerkers"), reverse("staff:home"))]
        if not suppressed:
            breadcrumbs += [
                (desk.display_name, reverse("staff:desk_detail", args=[desk.uuid])),
                (_("Halfjaarrapportage"), reverse("reporting:desk_report", args=[desk.uuid])),
            ]
        else:
            breadcrumbs.append(
                (_("Landelijk overzicht van de cijfers"), reverse("reporting:national_overview"))
            )
        scope = desk.display_name
    context: dict[str, Any] = {
        "title": _("Cijfers uitgesplitst"),
        "scope": scope,
        "desk": desk,
        "form": form,
        "definition": definition,
        "dimension": form.dimension(),
        "period": period,
        "ruleset": form.ruleset(),
        "filters_used": form.filters_used(),
        "table": table,
        "suppressed": suppressed,
        "threshold": THRESHOLD,
        "breadcrumbs": breadcrumbs,
    }
    if request.GET.get("export") == "csv" and table is not None and definition is not None:
        return _split_csv(context, table)
    context["csv_query"] = _csv_query(request)
    return render(request, "reporting/split.html", context)


def _csv_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query["export"] = "csv"
    return query.urlencode()


def _split_csv(context: dict[str, Any], table: Table) -> HttpResponse:
    """The table exactly as shown (suppressed cells stay suppressed), with the definition, the
    rule-set version, the period and the suppression rule."""
    definition, ruleset = context["definition"], context["ruleset"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Cijfer"), definition.label])
    writer.writerow([_("Uitleg"), definition.explanation])
    writer.writerow([_("Telregels"), str(ruleset)])
    writer.writerow([_("Periode"), context["period"].label])
    writer.writerow([_("Loketten"), context["scope"]])
    if context["suppressed"]:
        writer.writerow(
            [
                _("Kleine aantallen"),
                _(
                    "< %(n)s: minder dan %(n)s personen; ×: weggelaten zodat het kleine aantal "
                    "niet uit de totalen te berekenen is."
                )
                % {"n": THRESHOLD},
            ]
        )
    writer.writerow([])
    writer.writerow(
        [table.row_header, *table.columns, *([_("Totaal")] if table.grand_total else [])]
    )
    for row in table.rows:
        writer.writerow(
            [row.label, *[c.text for c in row.cells], *([row.total.text] if row.total else [])]
        )
    if table.column_totals:
        writer.writerow(
            [
                _("Totaal"),
                *[c.text for c in table.column_totals],
                *([table.grand_total.text] if table.grand_total else []),
            ]
        )
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"uitsplitsing-{definition.code}-{context['period'].label.replace(' ', '-')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
