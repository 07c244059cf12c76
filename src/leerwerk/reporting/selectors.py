"""Computing reports from the registrations by the counting rules.

Every figure is counted from the registrations at the moment the report is made, so late
edits, late registrations and erasures (which keep the registration rows) are always
reflected consistently. One aggregate query per period computes every registration-based
figure (conditional counts); manual figures, FTE and ratios are added in Python.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from leerwerk.guidance.models import Registration
from leerwerk.network.models import StaffMembership
from leerwerk.reporting.constants import Method
from leerwerk.reporting.models import FigureDefinition, ManualValue, RuleSet

COUNTED = (Method.REGISTRATIONS, Method.DISTINCT_CLIENTS, Method.DISTINCT_EMPLOYERS)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str
    halves: tuple[tuple[int, int], ...]  # (year, half) pairs it covers, for manual figures

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
            str(year),
            ((year, 1), (year, 2)),
        )

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        if half == 1:
            return cls(
                datetime.date(year, 1, 1), datetime.date(year, 6, 30), f"{year} H1", ((year, 1),)
            )
        return cls(
            datetime.date(year, 7, 1), datetime.date(year, 12, 31), f"{year} H2", ((year, 2),)
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def standard_periods(today: datetime.date | None = None, years: int = 3) -> list[Period]:
    """The national format: the previous ``years`` years, then the half-years of the current
    year so far (in the second half-year both, so the first half is never out of sight)."""
    today = today or timezone.localdate()
    current_half = 1 if today.month <= 6 else 2
    return [Period.year(today.year - n) for n in range(years, 0, -1)] + [
        Period.half(today.year, half) for half in range(1, current_half + 1)
    ]


@dataclass(frozen=True)
class ReportFilters:
    target_group: str = ""  # clients.TargetGroup.code
    contact_channel: str = ""  # guidance.constants.Channel
    intake_channel: str = ""  # guidance.constants.IntakeChannel (how the trajectory came in)
    municipality: str = ""  # network.Municipality.code (residence of the client)
    referrer: str = ""  # network.Partner.uuid (who referred the trajectory)
    service_line: str = ""  # network.ServiceLine.code

    def apply(self, qs: QuerySet[Registration]) -> QuerySet[Registration]:
        if self.target_group:
            qs = qs.filter(client__target_groups__code=self.target_group)
        if self.contact_channel:
            qs = qs.filter(channel=self.contact_channel)
        if self.intake_channel:
            qs = qs.filter(trajectory__channel=self.intake_channel)
        if self.municipality:
            qs = qs.filter(client__municipality__code=self.municipality)
        if self.referrer:
            qs = qs.filter(trajectory__referrer_partner__uuid=self.referrer)
        if self.service_line:
            qs = qs.filter(trajectory__service_line__code=self.service_line)
        return qs

    @property
    def active(self) -> bool:
        return any(vars(self).values())


@dataclass
class Cell:
    value: Decimal | int | None
    how: str = ""  # how a derived figure was computed, in Dutch
    manual: bool = False


@dataclass
class Row:
    definition: FigureDefinition
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Report:
    ruleset: RuleSet
    desk_ids: list[int]
    periods: list[Period]
    filters: ReportFilters
    rows: list[Row]
    generated_at: datetime.datetime

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.definition.code == code)

    def value(self, code: str, period_label: str) -> Decimal | int | None:
        index = [p.label for p in self.periods].index(period_label)
        return self.row(code).cells[index].value


def ruleset_in_force(on: datetime.date | None = None) -> RuleSet:
    on = on or timezone.localdate()
    ruleset = (
        RuleSet.objects.filter(published_at__isnull=False, effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .first()
    )
    if ruleset is None:
        raise RuleSet.DoesNotExist("No counting rules in force.")
    return ruleset


def _condition(definition: FigureDefinition) -> Q:
    condition = Q(type__code__in=definition.type_codes)
    if definition.statuses:
        condition &= Q(status__in=definition.statuses)
    return condition


def _aggregate(definition: FigureDefinition) -> Count:
    condition = _condition(definition)
    if definition.method == Method.DISTINCT_CLIENTS:
        return Count("client_id", distinct=True, filter=condition & Q(client__isnull=False))
    if definition.method == Method.DISTINCT_EMPLOYERS:
        return Count("employer_id", distinct=True, filter=condition & Q(employer__isnull=False))
    return Count("id", filter=condition)


def registrations_for_figure(
    *,
    desk_ids: Iterable[int],
    period: Period,
    definition: FigureDefinition,
    filters: ReportFilters | None = None,
) -> QuerySet[Registration]:
    """The registrations behind one figure in one period (drill-down for desk staff; the caller
    scopes by user and paginates)."""
    qs = Registration.objects.filter(
        desk_id__in=list(desk_ids), occurred_on__gte=period.start, occurred_on__lte=period.end
    )
    qs = (filters or ReportFilters()).apply(qs)
    return qs.filter(_condition(definition)).select_related("type", "client", "employer")


def _staff_fte(desk_ids: list[int], period: Period) -> Decimal:
    """Average FTE over the period: each membership weighted by the days it ran in it."""
    total = Decimal(0)
    memberships = StaffMembership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start),
        desk_id__in=desk_ids,
        start_date__lte=period.end,
    ).values_list("fte", "start_date", "end_date")
    for fte, start, end in memberships:
        first = max(start, period.start)
        last = min(end or period.end, period.end)
        total += fte * Decimal((last - first).days + 1) / Decimal(period.days)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _manual(
    values: dict[tuple[str, int, int], Decimal], code: str, period: Period, combine: str
) -> Cell:
    found = [values[(code, y, h)] for y, h in period.halves if (code, y, h) in values]
    if not found:
        return Cell(None, manual=True)
    if combine == FigureDefinition.Combine.LAST:
        return Cell(found[-1], manual=True)
    return Cell(sum(found, Decimal(0)), manual=True)


def _ratio(definition: FigureDefinition, cells: dict[str, Cell], labels: dict[str, str]) -> Cell:
    top, bottom = cells.get(definition.numerator), cells.get(definition.denominator)
    if top is None or bottom is None or top.value is None or not bottom.value:
        return Cell(None, how="Niet te berekenen: een van beide cijfers ontbreekt of is nul.")
    value = (Decimal(top.value) / Decimal(bottom.value)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    how = f"{labels[definition.numerator]} ({top.value}) gedeeld door {labels[definition.denominator]} ({bottom.value})"
    return Cell(value, how=how)


def compute_report(
    *,
    desk_ids: Iterable[int],
    periods: list[Period] | None = None,
    ruleset: RuleSet | None = None,
    filters: ReportFilters | None = None,
) -> Report:
    """The report for one desk (or several, summed) under a rule set. No scoping here: callers
    pass desk ids the user may report on (``reporting.services``/views check that)."""
    desk_ids = sorted(set(desk_ids))
    periods = periods or standard_periods()
    ruleset = ruleset or ruleset_in_force()
    filters = filters or ReportFilters()
    definitions = list(ruleset.figures.order_by("sort_order"))
    counted = [d for d in definitions if d.method in COUNTED]
    manual_codes = [d.code for d in definitions if d.method == Method.MANUAL]
    manual_values: dict[tuple[str, int, int], Decimal] = {}
    if manual_codes and not filters.active:
        for desk_values in ManualValue.objects.filter(
            desk_id__in=desk_ids, figure_code__in=manual_codes
        ).values_list("figure_code", "year", "half", "value"):
            code, year, half, value = desk_values
            manual_values[(code, year, half)] = (
                manual_values.get((code, year, half), Decimal(0)) + value
            )
    labels = {d.code: d.label.lower() for d in definitions}
    columns: list[dict[str, Cell]] = []
    base = filters.apply(Registration.objects.filter(desk_id__in=desk_ids))
    for period in periods:
        cells: dict[str, Cell] = {}
        if counted:
            counts = base.filter(
                occurred_on__gte=period.start, occurred_on__lte=period.end
            ).aggregate(**{d.code: _aggregate(d) for d in counted})
            cells.update({code: Cell(value) for code, value in counts.items()})
        for definition in definitions:
            if definition.method == Method.MANUAL:
                cells[definition.code] = (
                    _manual(manual_values, definition.code, period, definition.combine)
                    if not filters.active
                    else Cell(None, how="Niet uit te splitsen.", manual=True)
                )
            elif definition.method == Method.STAFF_FTE:
                cells[definition.code] = Cell(_staff_fte(desk_ids, period))
        for definition in definitions:
            if definition.method == Method.RATIO:
                cells[definition.code] = _ratio(definition, cells, labels)
        columns.append(cells)
    rows = [Row(d, [column[d.code] for column in columns]) for d in definitions]
    return Report(ruleset, desk_ids, periods, filters, rows, timezone.now())
