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
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from leerwerk.guidance.models import Registration
from leerwerk.network.models import StaffMembership
from leerwerk.reporting.activities import activity_figures
from leerwerk.reporting.aggregates import COUNTED, counted_values_for_periods
from leerwerk.reporting.aggregates import aggregate as _aggregate
from leerwerk.reporting.aggregates import condition as _condition
from leerwerk.reporting.constants import ACTIVITY_METHODS, Method
from leerwerk.reporting.models import FigureDefinition, ManualValue, RuleSet


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


def last_complete_half(today: datetime.date | None = None) -> Period:
    """The most recent half-year that has ended: what the national overview shows by default,
    and what ``refresh_report_cache`` counts ahead of it."""
    today = today or timezone.localdate()
    return Period.half(today.year - 1, 2) if today.month <= 6 else Period.half(today.year, 1)


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


def in_force_among(rulesets: Iterable[RuleSet], on: datetime.date) -> RuleSet | None:
    """Of these published rule sets, the one in force on ``on`` (no query)."""
    candidates = [r for r in rulesets if r.published_at is not None and r.effective_from <= on]
    return max(candidates, key=lambda r: (r.effective_from, r.number), default=None)


def ruleset_for_periods(periods: Iterable[Period]) -> RuleSet:
    """The rule set a report uses by default: the one in force at the end of its last period,
    so a column for next year is counted by the rules that will apply then."""
    return ruleset_in_force(max(period.end for period in periods))


def registrations_for_figure(
    *,
    desk_ids: Iterable[int],
    period: Period,
    definition: FigureDefinition,
    filters: ReportFilters | None = None,
) -> QuerySet[Registration]:
    """The registrations behind one figure in one period (drill-down for desk staff; the caller
    scopes by user and paginates)."""
    qs: QuerySet[Registration] = Registration.objects.filter(
        desk_id__in=list(desk_ids), occurred_on__gte=period.start, occurred_on__lte=period.end
    )
    qs = (filters or ReportFilters()).apply(qs)
    return qs.filter(_condition(definition)).select_related("type", "client", "employer")


Membership = tuple[Decimal, datetime.date, datetime.date | None]


def _memberships(
    desk_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, list[Membership]]:
    """The staff memberships of ``desk_ids`` that overlap ``start``–``end``, per desk: one query."""
    found: dict[int, list[Membership]] = {desk_id: [] for desk_id in desk_ids}
    rows = (
        StaffMembership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start),
            desk_id__in=desk_ids,
            start_date__lte=end,
        )
        .order_by("pk")
        .values_list("desk_id", "fte", "start_date", "end_date")
    )
    for desk_id, fte, first, last in rows:
        found[desk_id].append((fte, first, last))
    return found


def _fte(memberships: Iterable[Membership], period: Period) -> Decimal:
    """Average FTE over the period: each membership weighted by the days it ran in it (one
    exact division, so the order of the memberships never changes the outcome)."""
    fte_days = Decimal(0)
    for fte, start, end in memberships:
        first = max(start, period.start)
        last = min(end or period.end, period.end)
        if last >= first:
            fte_days += fte * ((last - first).days + 1)
    return (fte_days / Decimal(period.days)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _staff_fte(desk_ids: list[int], period: Period) -> Decimal:
    """Average FTE of ``desk_ids`` (together) over the period."""
    per_desk = _memberships(desk_ids, period.start, period.end)
    return _fte((m for desk_id in desk_ids for m in per_desk[desk_id]), period)


ManualValues = dict[tuple[str, int, int], Decimal]


def _manual_values(desk_ids: list[int], codes: list[str]) -> dict[int, ManualValues]:
    """Hand-entered values of ``codes`` per desk, keyed (code, year, half): one query."""
    found: dict[int, ManualValues] = {desk_id: {} for desk_id in desk_ids}
    if not codes:
        return found
    rows = ManualValue.objects.filter(desk_id__in=desk_ids, figure_code__in=codes).values_list(
        "desk_id", "figure_code", "year", "half", "value"
    )
    for desk_id, code, year, half, value in rows:
        found[desk_id][(code, year, half)] = value
    return found


def _sum_manual(per_desk: Iterable[ManualValues]) -> ManualValues:
    total: ManualValues = {}
    for values in per_desk:
        for key, value in values.items():
            total[key] = total.get(key, Decimal(0)) + value
    return total


def _manual(values: ManualValues, code: str, period: Period, combine: str) -> Cell:
    found = [values[(code, y, h)] for y, h in period.halves if (code, y, h) in values]
    if not found:
        return Cell(None, manual=True)
    if combine == FigureDefinition.Combine.LAST:
        return Cell(found[-1], manual=True)
    return Cell(sum(found, Decimal(0)), manual=True)


def format_number(value: Decimal | int | None, unit: str) -> str:
    """A figure the Dutch way: 1.234 / 1.234,50 / € 1.234,50; a dash when there is none."""
    if value is None:
        return "–"
    number = Decimal(value)
    places = 0 if unit == "aantal" and number == number.to_integral_value() else 2
    text = f"{number:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}" if unit == "euro" else text


def _ratio(definition: FigureDefinition, cells: dict[str, Cell], plan: _Plan) -> Cell:
    top, bottom = cells.get(definition.numerator), cells.get(definition.denominator)
    if top is None or bottom is None or top.value is None or not bottom.value:
        return Cell(None, how="Niet te berekenen: een van beide cijfers ontbreekt of is nul.")
    value = (Decimal(top.value) / Decimal(bottom.value)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    numerator, denominator = definition.numerator, definition.denominator
    top_text = format_number(top.value, plan.units[numerator])
    bottom_text = format_number(bottom.value, plan.units[denominator])
    how = (
        f"{plan.labels[numerator]} ({top_text}) gedeeld door "
        f"{plan.labels[denominator]} ({bottom_text})"
    )
    return Cell(value, how=how)


@dataclass(frozen=True)
class _Plan:
    """What a rule set asks to compute, prepared once per report."""

    definitions: list[FigureDefinition]
    counted: list[FigureDefinition]
    manual_codes: list[str]
    activity_methods: list[str]
    labels: dict[str, str]
    units: dict[str, str]

    @classmethod
    def of(cls, ruleset: RuleSet) -> _Plan:
        definitions = list(ruleset.figures.order_by("sort_order"))
        return cls(
            definitions=definitions,
            counted=[d for d in definitions if d.method in COUNTED],
            manual_codes=[d.code for d in definitions if d.method == Method.MANUAL],
            activity_methods=sorted(
                {d.method for d in definitions if d.method in ACTIVITY_METHODS}
            ),
            labels={d.code: d.label.lower() for d in definitions},
            units={d.code: d.unit for d in definitions},
        )

    def aggregates(self) -> dict[str, Count]:
        """One conditional aggregate per counted figure, under a safe alias (a figure code
        could clash with a field name)."""
        return {f"figure_{i}": _aggregate(d) for i, d in enumerate(self.counted)}

    def counts(self, row: dict[str, Any] | None) -> dict[str, Cell]:
        row = row or {}
        return {d.code: Cell(row.get(f"figure_{i}") or 0) for i, d in enumerate(self.counted)}

    def column(
        self,
        *,
        counts: dict[str, Cell],
        manual_values: ManualValues,
        fte: Decimal,
        period: Period,
        filters: ReportFilters,
        activities: dict[str, int] | None = None,
    ) -> dict[str, Cell]:
        """The cells of one period: counted figures, manual figures, FTE, activity figures
        (events, website), then the ratios."""
        cells = dict(counts)
        for definition in self.definitions:
            if definition.method in ACTIVITY_METHODS:
                cells[definition.code] = (
                    Cell((activities or {}).get(definition.method, 0))
                    if not filters.active
                    else Cell(None, how="Niet uit te splitsen.")
                )
            elif definition.method == Method.MANUAL:
                cells[definition.code] = (
                    _manual(manual_values, definition.code, period, definition.combine)
                    if not filters.active
                    else Cell(None, how="Niet uit te splitsen.", manual=True)
                )
            elif definition.method == Method.STAFF_FTE:
                cells[definition.code] = Cell(fte)
        for definition in self.definitions:
            if definition.method == Method.RATIO:
                cells[definition.code] = _ratio(definition, cells, self)
        return cells

    def rows(self, columns: list[dict[str, Cell]]) -> list[Row]:
        return [Row(d, [column[d.code] for column in columns]) for d in self.definitions]


def _span(periods: list[Period]) -> tuple[datetime.date, datetime.date]:
    return min(p.start for p in periods), max(p.end for p in periods)


def _counted(
    plan: _Plan, ruleset: RuleSet, desk_ids: list[int], periods: list[Period]
) -> list[dict[int, dict[str, int]]]:
    """The counted figures per period and desk of an unfiltered report, from the exact
    pre-aggregated cache where it is current (``reporting.aggregates``)."""
    spans = [(p.start, p.end) for p in periods]
    found = counted_values_for_periods(
        desk_ids=desk_ids, periods=spans, ruleset=ruleset, definitions=plan.counted
    )
    return [found[span] for span in spans]


def _activities(
    plan: _Plan, desk_ids: list[int], periods: list[Period], filters: ReportFilters
) -> list[dict[int, dict[str, int]]]:
    """Event and website figures per period and desk (none when filtered: not splittable)."""
    if not plan.activity_methods or filters.active:
        return [{} for _period in periods]
    return [
        activity_figures(desk_ids=desk_ids, start=p.start, end=p.end, methods=plan.activity_methods)
        for p in periods
    ]


def _summed_activities(per_desk: Iterable[dict[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for values in per_desk:
        for method, value in values.items():
            totals[method] = totals.get(method, 0) + value
    return totals


def _summed(per_desk: Iterable[dict[str, int]], plan: _Plan) -> dict[str, Cell]:
    """Several desks together. Summing is exact for the distinct counts too: a client or an
    employer belongs to one desk and every registration is at its client's and employer's desk
    (``guidance.services`` refuses anything else), so no person is in two desks' counts."""
    totals = dict.fromkeys((d.code for d in plan.counted), 0)
    for values in per_desk:
        for code in totals:
            totals[code] += values.get(code, 0)
    return {code: Cell(value) for code, value in totals.items()}


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
    ruleset = ruleset or ruleset_for_periods(periods)
    filters = filters or ReportFilters()
    plan = _Plan.of(ruleset)
    manual_values = (
        _sum_manual(_manual_values(desk_ids, plan.manual_codes).values())
        if plan.manual_codes and not filters.active
        else {}
    )
    memberships = _memberships(desk_ids, *_span(periods))
    all_memberships = [m for desk_id in desk_ids for m in memberships[desk_id]]
    columns: list[dict[str, Cell]] = []
    base = filters.apply(Registration.objects.filter(desk_id__in=desk_ids))
    cached = [] if filters.active else _counted(plan, ruleset, desk_ids, periods)
    activities = _activities(plan, desk_ids, periods, filters)
    for index, period in enumerate(periods):
        if filters.active:
            row = None
            if plan.counted:
                row = base.filter(
                    occurred_on__gte=period.start, occurred_on__lte=period.end
                ).aggregate(**plan.aggregates())
            counts = plan.counts(row)
        else:
            counts = _summed(cached[index].values(), plan)
        columns.append(
            plan.column(
                counts=counts,
                manual_values=manual_values,
                fte=_fte(all_memberships, period),
                period=period,
                filters=filters,
                activities=_summed_activities(activities[index].values()),
            )
        )
    return Report(ruleset, desk_ids, periods, filters, plan.rows(columns), timezone.now())


def compute_desk_reports(
    *,
    desk_ids: Iterable[int],
    periods: list[Period],
    ruleset: RuleSet | None = None,
    filters: ReportFilters | None = None,
) -> dict[int, Report]:
    """One report per desk, with exactly the numbers ``compute_report`` gives for that desk
    alone, in a fixed number of queries: one grouped query per period (GROUP BY desk with the
    same conditional aggregates), and the memberships and hand-entered values of every desk in
    one query each. For the national overview; no scoping here either (aggregates only)."""
    desk_ids = sorted(set(desk_ids))
    ruleset = ruleset or ruleset_for_periods(periods)
    filters = filters or ReportFilters()
    plan = _Plan.of(ruleset)
    manual_values = (
        _manual_values(desk_ids, plan.manual_codes)
        if plan.manual_codes and not filters.active
        else {desk_id: {} for desk_id in desk_ids}
    )
    memberships = _memberships(desk_ids, *_span(periods))
    base = filters.apply(Registration.objects.filter(desk_id__in=desk_ids))
    counted: list[dict[int, dict[str, Cell]]] = []
    cached = [] if filters.active else _counted(plan, ruleset, desk_ids, periods)
    for index, period in enumerate(periods):
        if not filters.active:
            counted.append(
                {
                    desk_id: {code: Cell(value) for code, value in values.items()}
                    for desk_id, values in cached[index].items()
                }
            )
            continue
        grouped: dict[int, dict[str, Cell]] = {}
        if plan.counted:
            rows = (
                base.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)
                .order_by()
                .values("desk_id")
                .annotate(**plan.aggregates())
            )
            grouped = {row["desk_id"]: plan.counts(row) for row in rows}
        counted.append(grouped)
    activities = _activities(plan, desk_ids, periods, filters)
    now = timezone.now()
    reports = {}
    for desk_id in desk_ids:
        columns = [
            plan.column(
                counts=grouped.get(desk_id) or plan.counts(None),
                manual_values=manual_values[desk_id],
                fte=_fte(memberships[desk_id], period),
                period=period,
                filters=filters,
                activities=activity.get(desk_id),
            )
            for period, grouped, activity in zip(periods, counted, activities, strict=True)
        ]
        reports[desk_id] = Report(ruleset, [desk_id], periods, filters, plan.rows(columns), now)
    return reports


SPLIT_MUNICIPALITY = "municipality"
SPLIT_TARGET_GROUP = "target_group"
_SPLIT_FIELDS = {
    SPLIT_MUNICIPALITY: "client__municipality__code",
    SPLIT_TARGET_GROUP: "client__target_groups__code",
}


@dataclass(frozen=True)
class Split:
    """A counted figure split by a property of the client, per desk: ``cells[desk_id][key]``
    (key None: no municipality known / in no target group), with the unsplit totals per desk,
    per key (over all the desks) and overall. Totals are counted, not summed: a person counts
    once in a total, also when the split shows them in several target groups."""

    definition: FigureDefinition
    period: Period
    dimension: str
    cells: dict[int, dict[str | None, int]]
    desk_totals: dict[int, int]
    key_totals: dict[str | None, int]
    total: int


def compute_split(
    *,
    desk_ids: Iterable[int],
    period: Period,
    definition: FigureDefinition,
    dimension: str,
    filters: ReportFilters | None = None,
) -> Split:
    """A person-based figure (``registrations`` or ``distinct_clients``) split by municipality
    of residence or by target group, in four grouped queries. Aggregates only; the caller
    decides about small-number suppression (``reporting.suppression``)."""
    if definition.method not in (Method.REGISTRATIONS, Method.DISTINCT_CLIENTS):
        raise ValueError("Only counts of registrations or of clients can be split.")
    field_name = _SPLIT_FIELDS[dimension]
    desk_ids = sorted(set(desk_ids))
    qs = (filters or ReportFilters()).apply(
        Registration.objects.filter(
            desk_id__in=desk_ids, occurred_on__gte=period.start, occurred_on__lte=period.end
        )
    )
    qs = qs.filter(_condition(definition)).order_by()
    if definition.method == Method.DISTINCT_CLIENTS:
        qs = qs.filter(client__isnull=False)
        measure = Count("client_id", distinct=True)
    else:
        measure = Count("id", distinct=True)
    cells: dict[int, dict[str | None, int]] = {desk_id: {} for desk_id in desk_ids}
    for row in qs.values("desk_id", field_name).annotate(n=measure):
        cells[row["desk_id"]][row[field_name]] = row["n"]
    desk_totals = dict.fromkeys(desk_ids, 0)
    desk_totals.update(
        {row["desk_id"]: row["n"] for row in qs.values("desk_id").annotate(n=measure)}
    )
    key_totals = {row[field_name]: row["n"] for row in qs.values(field_name).annotate(n=measure)}
    total = qs.aggregate(n=measure)["n"] or 0
    return Split(definition, period, dimension, cells, desk_totals, key_totals, total)
