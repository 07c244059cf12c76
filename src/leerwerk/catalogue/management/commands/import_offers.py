import os
import resource
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import SourceKind
from leerwerk.catalogue.importers.base import run_import
from leerwerk.catalogue.models import Feed


class Command(BaseCommand):
    help = (
        "Import an offers file into a feed: --feed edudex|rio (the national feed) or the UUID "
        "of a feed. Prints the counts, the time taken and the peak memory."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--feed", required=True, help="edudex, rio, csv (a national CSV feed) or a feed UUID"
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="A partial delivery: do not deactivate offers missing from the file.",
        )

    def handle(self, *args, file: Path, feed: str, partial: bool, **options):  # type: ignore[no-untyped-def]
        if feed in {SourceKind.EDUDEX, SourceKind.RIO, SourceKind.CSV}:
            target = services.feed_national(feed)
        else:
            try:
                target = Feed.objects.get(uuid=feed)
            except (Feed.DoesNotExist, ValueError) as exc:
                raise CommandError(f"Bron {feed} bestaat niet.") from exc
        run = services.import_run_create(
            actor=None, feed=target, file_name=file.name, full=not partial
        )
        server_before = _server_cpu()
        cpu_before = time.process_time()
        began = time.monotonic()
        run_import(run=run, path=file)
        seconds = time.monotonic() - began
        cpu = time.process_time() - cpu_before
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        server_after = _server_cpu()
        self.stdout.write(
            f"{run.get_status_display()}: {run.rows_done}/{run.rows_total} regels; "
            f"{run.created} nieuw, {run.updated} bijgewerkt, {run.unchanged} ongewijzigd, "
            f"{run.deactivated} gedeactiveerd, {run.rejected} afgekeurd. "
            f"{seconds:.1f} s, max. {peak_mb:.0f} MB."
        )
        server = (
            f", database server {server_after - server_before:.1f} s"
            if server_before is not None and server_after is not None
            else ""
        )
        self.stdout.write(f"CPU: this process {cpu:.1f} s{server}.")
        if run.message:
            self.stdout.write(run.message)
        self.stdout.write(f"Import {run.uuid}")


def _server_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs
    on this machine and its /proc entry is readable (for benchmarks); otherwise None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
