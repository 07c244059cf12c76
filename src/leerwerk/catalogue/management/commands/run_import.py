from django.core.management.base import BaseCommand, CommandError

from leerwerk.catalogue.constants import ImportStatus
from leerwerk.catalogue.importers import storage
from leerwerk.catalogue.importers.base import run_import
from leerwerk.catalogue.models import ImportRun


class Command(BaseCommand):
    help = "Process a queued import run (an upload too big to process during the request)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("run", help="UUID of the import run")

    def handle(self, *args, run: str, **options):  # type: ignore[no-untyped-def]
        try:
            target = ImportRun.objects.select_related("feed").get(uuid=run)
        except (ImportRun.DoesNotExist, ValueError) as exc:
            raise CommandError(f"Import {run} bestaat niet.") from exc
        if target.status != ImportStatus.QUEUED:
            raise CommandError(f"Import {run} staat niet in de wachtrij ({target.status}).")
        path = storage.stored_path(target)
        run_import(run=target, path=path)
        storage.discard(target)
        self.stdout.write(f"{target.get_status_display()}: {target.rows_done} regels verwerkt.")
