import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from leerwerk.network.models import Desk
from leerwerk.reporting.aggregates import counted_values
from leerwerk.reporting.models import RuleSet
from leerwerk.reporting.selectors import Period, ruleset_in_force


class Command(BaseCommand):
    help = (
        "Count the figures of every desk for every year and half-year since the rule set in "
        "force took effect, where the cache is not current (run nightly; safe at any time)."
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
        rulesets = (
            list(RuleSet.objects.filter(published_at__isnull=False))
            if all_versions
            else [ruleset_in_force()]
        )
        desk_ids = list(Desk.objects.order_by("pk").values_list("pk", flat=True))
        for ruleset in rulesets:
            definitions = list(ruleset.figures.order_by("sort_order"))
            periods: list[Period] = []
            for year in range(ruleset.effective_from.year, today.year + 1):
                periods += [Period.year(year), Period.half(year, 1), Period.half(year, 2)]
            for period in periods:
                if period.start > today:
                    continue
                counted_values(
                    desk_ids=desk_ids,
                    start=period.start,
                    end=period.end,
                    ruleset=ruleset,
                    definitions=definitions,
                )
            self.stdout.write(f"{ruleset}: {len(periods)} perioden bijgewerkt.")
        self.stdout.write(self.style.SUCCESS(f"Klaar in {time.perf_counter() - started:,.1f} s."))
