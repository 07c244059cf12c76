"""Benchmark of the reports at national scale (issue 4, item 8).

Measures, on the current database:
- the floor: the bare SQL GROUP BY that counts every registration-based figure of every desk
  for one half-year straight from the registrations (one statement, run raw);
- the national figures for that half-year (all desks), counted with an empty cache (cold) and
  from the pre-aggregated cache (warm);
- the national figures right after a late edit at the largest and at the median desk (only
  that desk is counted again; the figures are checked against a straight count);
- the desk report of the largest desk (the standard columns: three years and this year's
  half-years), cold and warm, as the selector and as the page through Django's WSGI handler.

Results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.urls import reverse

from leerwerk.guidance.benchmark import _p95, wsgi_caller
from leerwerk.guidance.constants import RegistrationStatus
from leerwerk.guidance.models import Registration
from leerwerk.network.models import Desk
from leerwerk.reporting.aggregates import (
    COUNTED,
    aggregate,
    count_live,
    counted_values,
    forget_cached_figures,
)
from leerwerk.reporting.selectors import Period, compute_report, ruleset_in_force, standard_periods


@dataclass
class Timing:
    name: str
    runs: int
    median_ms: float
    p95_ms: float

    def ratio_to(self, floor: Timing) -> float:
        return self.median_ms / floor.median_ms if floor.median_ms else float("inf")


def _time(
    name: str, target: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> Timing:
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        target()
        times.append((time.perf_counter() - started) * 1000)
    return Timing(name, repeat, statistics.median(times), _p95(times))


def run(
    *, period: Period, repeat: int = 20, cold_repeat: int = 3
) -> tuple[list[Timing], dict[str, int]]:
    ruleset = ruleset_in_force()
    definitions = list(ruleset.figures.order_by("sort_order"))
    counted = [d for d in definitions if d.method in COUNTED]
    desk_ids = list(Desk.objects.order_by("pk").values_list("pk", flat=True))
    largest = Registration.objects.values("desk_id").annotate(n=Count("id")).order_by("-n").first()
    if largest is None:
        raise RuntimeError("No data: run generate_synthetic_data first.")
    largest_desk = Desk.objects.get(pk=largest["desk_id"])
    sizes = {
        "registraties": Registration.objects.count(),
        "registraties in de periode": Registration.objects.filter(
            occurred_on__gte=period.start, occurred_on__lte=period.end
        ).count(),
        "registraties van het grootste loket": largest["n"],
        "loketten": len(desk_ids),
    }

    # The floor: one bare GROUP BY over all desks, the same conditional counts, run raw.
    grouped = (
        Registration.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)
        .values("desk_id")
        .annotate(**{d.code: aggregate(d) for d in counted})
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()

    def bare() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def national() -> object:
        return counted_values(
            desk_ids=desk_ids,
            start=period.start,
            end=period.end,
            ruleset=ruleset,
            definitions=definitions,
        )

    def desk_report() -> object:
        return compute_report(
            desk_ids=[largest_desk.pk], periods=standard_periods(), ruleset=ruleset
        )

    page = wsgi_caller(_desk_staff(largest_desk))(
        reverse("reporting:desk_report", kwargs={"desk_uuid": largest_desk.uuid})
    )

    bare()  # warm the buffers: every measurement below reads the same pages
    timings = [_time("kale SQL GROUP BY, alle loketten, één halfjaar", bare, max(3, repeat // 4))]
    timings.append(
        _time(
            "landelijk overzicht, lege cache", national, cold_repeat, before=forget_cached_figures
        )
    )
    national()
    timings.append(_time("landelijk overzicht, uit de cache", national, repeat))
    by_size = list(
        Registration.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)
        .values("desk_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("desk_id", flat=True)
    )
    for label, desk_id in (
        ("het grootste", by_size[0]),
        ("het middelste", by_size[len(by_size) // 2]),
    ):
        with _late_edit(desk_id, period) as edit:
            timings.append(
                _time(
                    f"landelijk overzicht na een late wijziging bij {label} loket",
                    national,
                    max(2, cold_repeat),
                    before=edit,
                )
            )
        _check_exact(national(), desk_id, period, counted)
    timings.append(
        _time(
            "loketrapport grootste loket, lege cache",
            desk_report,
            cold_repeat,
            before=forget_cached_figures,
        )
    )
    desk_report()
    timings.append(_time("loketrapport grootste loket, uit de cache", desk_report, repeat))
    page()
    timings.append(_time("loketrapport-pagina (WSGI), uit de cache", page, repeat))
    return timings, sizes


@contextmanager
def _late_edit(desk_id: int, period: Period) -> Iterator[Callable[[], object]]:
    """A function that changes one registration of the desk in the period (its status, back
    and forth), as a late edit by an adviser would; the original status is restored after."""
    registration = (
        Registration.objects.filter(
            desk_id=desk_id, occurred_on__gte=period.start, occurred_on__lte=period.end
        )
        .order_by("pk")
        .values("pk", "status")
        .first()
    )
    if registration is None:
        raise RuntimeError("No registration in the period to edit.")
    statuses = [registration["status"], RegistrationStatus.CANCELLED]
    if statuses[0] == RegistrationStatus.CANCELLED:
        statuses[1] = RegistrationStatus.COMPLETED
    flips = iter(range(10**6))

    def edit() -> object:
        status = statuses[(next(flips) + 1) % 2]
        return Registration.objects.filter(pk=registration["pk"]).update(status=status)

    try:
        yield edit
    finally:
        Registration.objects.filter(pk=registration["pk"]).update(status=statuses[0])


def _check_exact(values: dict[int, dict[str, int]], desk_id: int, period: Period, counted) -> None:  # type: ignore[no-untyped-def]
    """The figures served after the edits equal a straight count (else the benchmark fails)."""
    live = count_live(desk_ids=[desk_id], start=period.start, end=period.end, definitions=counted)
    if values[desk_id] != live[desk_id]:
        raise RuntimeError(f"cached figures differ from a live count for desk {desk_id}")


def _desk_staff(desk: Desk):  # type: ignore[no-untyped-def]
    """A staff member of the desk (the synthetic data has advisers at every desk)."""
    from django.utils import timezone

    from leerwerk.network.models import StaffMembership

    membership = (
        StaffMembership.objects.active_on(timezone.localdate())
        .filter(desk=desk)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise RuntimeError("The largest desk has no staff: run generate_synthetic_data first.")
    return membership.user
