from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leerwerk.catalogue.geo import CoordinatesError, load_coordinates
from leerwerk.catalogue.reference import load_catalogue_reference
from leerwerk.network import reference
from leerwerk.network.services import region_desks_ensure


class Command(BaseCommand):
    help = (
        "Load or update the regions, municipalities, central municipalities and postcodes "
        "(idempotent; nothing changes when a file is malformed) and give every region a desk."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--directory",
            type=Path,
            default=reference.DEFAULT_DIRECTORY,
            help="Folder with the four reference CSV files (default: the bundled fixtures).",
        )

    def handle(self, *args, directory: Path, **options):  # type: ignore[no-untyped-def]
        try:
            result = reference.load(directory)
        except reference.ReferenceDataError as exc:
            raise CommandError(
                "Referentiegegevens niet geladen; er is niets gewijzigd.\n" + str(exc)
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Referentiegegevens geladen: {result.summary()}"))
        try:
            catalogue_result = load_catalogue_reference()
        except reference.ReferenceDataError as exc:
            raise CommandError("Opleidingsreferenties niet geladen.\n" + str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Opleidingsreferenties: {catalogue_result.summary()}")
        )
        try:
            centres = load_coordinates()
        except CoordinatesError as exc:
            raise CommandError(
                "Gemeentecentra (afstand zoeken) niet geladen.\n" + str(exc)
            ) from exc
        dutch = {"created": "nieuw", "updated": "bijgewerkt", "unchanged": "ongewijzigd"}
        self.stdout.write(
            "Gemeentecentra: "
            + ", ".join(f"{value} {dutch.get(key, key)}" for key, value in centres.items())
        )
        created = region_desks_ensure()
        if created:
            self.stdout.write(f"{created} regio's kregen een loket.")
