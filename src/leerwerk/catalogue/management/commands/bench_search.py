import logging
import os
import platform

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from leerwerk.catalogue import benchmark_search
from leerwerk.catalogue.models import Offer


class Command(BaseCommand):
    help = (
        "Measure catalogue search (server time through the WSGI handler, median and p95) "
        "against the same SQL replayed raw and the bare full-text query. PostgreSQL only; "
        "generate data with generate_search_data."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--repeat", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--cache",
            choices=["cold", "off", "warm"],
            default="cold",
            help="cold: empty count cache at the start (default); off: count every search; "
            "warm: the empty search and 200 frequent words counted first.",
        )

    def handle(self, *args, repeat: int, seed: int, cache: str, **options):  # type: ignore[no-untyped-def]
        logging.getLogger("leerwerk.request").setLevel(logging.WARNING)
        load_before = os.getloadavg()
        try:
            results, floor = benchmark_search.run(repeat=repeat, seed=seed, cache=cache)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        active = Offer.objects.filter(is_active=True).count()
        self.stdout.write(
            f"{timezone.now():%Y-%m-%d %H:%M} · {connection.vendor} "
            f"{connection.pg_version} · {platform.processor() or platform.machine()} · "
            f"{Offer.objects.count():,} opleidingen ({active:,} actief) · {repeat} metingen · "
            f"telcache {cache} · belasting {load_before[0]:.1f} → {os.getloadavg()[0]:.1f}"
        )
        self.stdout.write(
            "| meting | mediaan ms | p95 ms | kale SQL mediaan | kale SQL p95 "
            "| ÷ kale SQL (p95) | ÷ kale FTS (p95) | queries |"
        )
        self.stdout.write("|---|---:|---:|---:|---:|---:|---:|---:|")
        for m in results:
            fts = m.p95_ms / floor.p95_ms if floor.p95_ms else float("inf")
            self.stdout.write(
                f"| {m.name} | {m.median_ms:.1f} | {m.p95_ms:.1f} | {m.floor_median_ms:.1f} "
                f"| {m.floor_p95_ms:.1f} | {m.ratio:.1f}× | {fts:.1f}× | {m.queries} |"
            )
        self.stdout.write(
            f"| {floor.name} | {floor.median_ms:.1f} | {floor.p95_ms:.1f} | | | | | 1 |"
        )
