import logging
import re

from django.core.management.base import BaseCommand, CommandError

from leerwerk.reporting.benchmark import run
from leerwerk.reporting.selectors import Period


class Command(BaseCommand):
    help = (
        "Time the national figures for one half-year (cold and from the cache) and the desk "
        "report of the largest desk, against the bare SQL GROUP BY. Changes only the report cache."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--period", default="2025-H2", help="half-year, e.g. 2025-H2")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--cold-repeat", type=int, default=3)

    def handle(self, *args, period: str, repeat: int, cold_repeat: int, **options):  # type: ignore[no-untyped-def]
        match = re.fullmatch(r"(\d{4})-H([12])", period)
        if not match or repeat < 1 or cold_repeat < 1:
            raise CommandError(
                "Geef --period als JJJJ-H1 of JJJJ-H2 en herhalingen van minstens 1."
            )
        # The per-request log line goes to the console here; leave its cost out of the numbers.
        logging.getLogger("leerwerk.request").setLevel(logging.WARNING)
        timings, sizes = run(
            period=Period.half(int(match[1]), int(match[2])), repeat=repeat, cold_repeat=cold_repeat
        )
        for name, size in sizes.items():
            self.stdout.write(f"{name}: {size:,}")
        floor = timings[0]
        self.stdout.write("| meting | keer | mediaan ms | p95 ms | verhouding tot kale SQL |")
        self.stdout.write("|---|---:|---:|---:|---:|")
        for timing in timings:
            self.stdout.write(
                f"| {timing.name} | {timing.runs} | {timing.median_ms:,.1f} | "
                f"{timing.p95_ms:,.1f} | {timing.ratio_to(floor):.4f}× |"
            )
