from django.core.management.base import BaseCommand, CommandError

from leerwerk.catalogue.geo import CoordinatesError, load_coordinates


class Command(BaseCommand):
    help = "Load the municipality centres for distance search (idempotent)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            counts = load_coordinates()
        except CoordinatesError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
