import time

from django.core.management.base import BaseCommand

from leerwerk.catalogue import search_rows


class Command(BaseCommand):
    help = (
        "Recompute the search table (catalogue.OfferSearchRow, and the point table on "
        "PostgreSQL) from the offers, in place. Idempotent; searches keep working meanwhile. "
        "Only needed after writing offers with the database triggers switched off."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()

        def report(done: int, top: int) -> None:
            self.stdout.write(f"{done:,} van {top:,} ({time.perf_counter() - started:.0f} s)")

        changed = search_rows.rebuild(report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Zoektabel bijgewerkt: {changed:,} regels gewijzigd of verwijderd, "
                f"{time.perf_counter() - started:.0f} s"
            )
        )
