from pathlib import Path

from django.core.management.base import BaseCommand

from leerwerk.catalogue.importers.synthetic import write_file


class Command(BaseCommand):
    help = "Write a synthetic Dutch training catalogue as a CSV upload file (for benchmarks)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--offers", type=int, default=1000, help="Number of offers.")
        parser.add_argument("--out", type=Path, required=True, help="CSV file to write.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, offers: int, out: Path, seed: int, **options):  # type: ignore[no-untyped-def]
        write_file(out, offers, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"{offers} opleidingen geschreven naar {out}."))
