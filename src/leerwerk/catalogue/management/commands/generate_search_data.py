import resource
import time

from django.core.management.base import BaseCommand
from django.db import connection

from leerwerk.catalogue import synthetic_search
from leerwerk.catalogue.search import search_words_refresh


class Command(BaseCommand):
    help = (
        "Generate a large synthetic training catalogue for the search benchmark (COPY on "
        "PostgreSQL), then compact the search tables and rebuild the search vocabulary. Titles "
        "from crebo and ESCO names."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--offers", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--chunk", type=int, default=20_000)

    def handle(self, *args, offers: int, seed: int, chunk: int, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()

        def report(done: int) -> None:
            self.stdout.write(f"{done:,} opleidingen ({time.perf_counter() - started:.0f} s)")

        made = synthetic_search.generate(offers=offers, seed=seed, chunk=chunk, report=report)
        if connection.vendor == "postgresql":
            # The triggers wrote each search row several times (the offer, then its locations
            # and start dates): compact the search tables, as a clean fill would leave them.
            with connection.cursor() as cursor:
                tables = "catalogue_offersearchrow, catalogue_offersearchpoint"
                cursor.execute(f"VACUUM FULL {tables}")
                # and mark the pages all-visible, so the point index is read without the table
                cursor.execute(f"VACUUM ANALYZE {tables}")
        words = search_words_refresh()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"{made:,} opleidingen gemaakt, {words:,} zoekwoorden, "
                f"{time.perf_counter() - started:.0f} s, max. geheugen {rss} MB"
            )
        )
