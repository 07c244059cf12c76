import logging
import platform

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from leerwerk.clients.models import Client
from leerwerk.guidance import benchmark
from leerwerk.guidance.models import Registration, Trajectory


class Command(BaseCommand):
    help = (
        "Measure work list, client search and client page (server time, median and p95) and the "
        "ratio to replaying the same SQL raw. Use on PostgreSQL with generate_synthetic_data."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--repeat", type=int, default=100)

    def handle(self, *args, repeat: int, **options):  # type: ignore[no-untyped-def]
        # The per-request log line goes to the console here; leave its cost out of the numbers.
        logging.getLogger("leerwerk.request").setLevel(logging.WARNING)
        try:
            results = benchmark.run(repeat=repeat)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{timezone.now():%Y-%m-%d %H:%M} · {connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
            f" · {platform.processor() or platform.machine()} · "
            f"{Client.objects.count():,} klanten, {Trajectory.objects.count():,} trajecten, "
            f"{Registration.objects.count():,} registraties · {repeat} metingen per regel"
        )
        self.stdout.write(
            "| meting | mediaan ms | p95 ms | kale SQL mediaan ms | kale SQL p95 ms "
            "| verhouding mediaan | verhouding p95 | queries |"
        )
        self.stdout.write("|---|---:|---:|---:|---:|---:|---:|---:|")
        for m in results:
            self.stdout.write(
                f"| {m.name} | {m.median_ms:.1f} | {m.p95_ms:.1f} | {m.floor_median_ms:.1f} "
                f"| {m.floor_p95_ms:.1f} | {m.median_ratio:.1f}× | {m.ratio:.1f}× | {m.queries} |"
            )
