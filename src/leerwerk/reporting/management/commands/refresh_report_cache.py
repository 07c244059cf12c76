import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from leerwerk.network.models import Desk
from leerwerk.reporting.aggregates import counted_values
from leerwerk.reporting.models import RuleSet
from leerwerk.reporting.selectors import (
    Period,
    last_complete_half,
    ruleset_for_periods,
    ruleset_in_force,
    standard_periods,
)

#: Years before this one that are kept current (the national overview shows five-year trends).
YEARS_BACK = 4


class Command(BaseCommand):
    help = (
        "Count the figures of every desk for the years and half-years the report pages show by "
        "default, where the cache is not current (run nightly; safe at any time)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--all-versions",
            action="store_true",
            help="also for every other published version of the counting rules",
        )

    def handle(self, *args, all_versions: bool, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        today = timezone.localdate()
        periods: list[Period] = []
        for year in range(today.year - YEARS_BACK, today.year + 1):
            periods += [Period.year(year), Period.half(year, 1), Period.half(year, 2)]
        periods = [period for period in periods if period.start <= today]
        # What the pages ask for by default: each period under the rules in force at its end
        # (national overview, trends) and the desk report's columns under one rule set.
        wanted: dict[RuleSet, set[Period]] = {}
        first = RuleSet.objects.filter(published_at__isnull=False).order_by("effective_from")
        first_day = first.values_list("effective_from", flat=True).first()
        if first_day is None:
            raise CommandError("Er zijn nog geen gepubliceerde telregels.")
        periods = [period for period in periods if period.end >= first_day]
        for period in periods:
            wanted.setdefault(ruleset_in_force(max(period.end, first_day)), set()).add(period)
        # The overview's default half-year sets the rules for its five-year trend.
        overview = ruleset_in_force(last_complete_half().end)
        wanted.setdefault(overview, set()).update(
            p for p in periods if p.start.month == 1 and p.end.month == 12
        )
        standard = standard_periods(today)
        wanted.setdefault(ruleset_for_periods(standard), set()).update(standard)
        if all_versions:
            for ruleset in RuleSet.objects.filter(published_at__isnull=False):
                wanted.setdefault(ruleset, set()).update(periods)
        desk_ids = list(Desk.objects.order_by("pk").values_list("pk", flat=True))
        for ruleset, chosen in sorted(wanted.items(), key=lambda item: item[0].number):
            definitions = list(ruleset.figures.order_by("sort_order"))
            for period in sorted(chosen, key=lambda p: (p.start, p.end)):
                counted_values(
                    desk_ids=desk_ids,
                    start=period.start,
                    end=period.end,
                    ruleset=ruleset,
                    definitions=definitions,
                )
            self.stdout.write(f"{ruleset}: {len(chosen)} perioden bijgewerkt.")
        self.stdout.write(self.style.SUCCESS(f"Klaar in {time.perf_counter() - started:,.1f} s."))
