"""Background work of the catalogue (Django's tasks API, durable database backend).

Arguments are ids only: the queue table must never hold personal data or file contents.
"""

from __future__ import annotations

from django_tasks import task

from leerwerk.catalogue.constants import ImportStatus
from leerwerk.catalogue.importers import storage
from leerwerk.catalogue.importers.base import run_import
from leerwerk.catalogue.models import ImportRun


@task()
def process_import(run_uuid: str) -> str:
    """Import a queued upload (too big to import during the request). Runs once: a run that
    is no longer queued (processed by hand with `run_import`, or by an earlier attempt) is
    left alone. Returns the run's final status."""
    run = ImportRun.objects.select_related("feed").filter(uuid=run_uuid).first()
    if run is None or run.status != ImportStatus.QUEUED:
        return run.status if run is not None else "missing"
    try:
        run_import(run=run, path=storage.stored_path(run))
    finally:
        storage.discard(run)
    return str(run.status)
