"""Where uploaded import files wait until their run is processed.

Uploads are stored under ``settings.LEERWERK_CATALOGUE_IMPORT_DIR`` (default: a folder in the
system's temporary directory) as ``<run uuid><suffix>``, so ``leerwerk run_import <uuid>`` can
process a run queued by the upload page. The file is removed when the run is done.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from leerwerk.catalogue.models import ImportRun

ALLOWED_SUFFIXES = {".csv", ".txt", ".json", ".zip"}


def import_dir() -> Path:
    configured = getattr(settings, "LEERWERK_CATALOGUE_IMPORT_DIR", "")
    directory = Path(configured) if configured else Path(tempfile.gettempdir()) / "leerwerk-imports"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def _suffix(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    return suffix if suffix in ALLOWED_SUFFIXES else ".csv"


def store_upload(run: ImportRun, upload: UploadedFile) -> Path:
    path = import_dir() / f"{run.uuid}{_suffix(run.file_name)}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def stored_path(run: ImportRun) -> Path:
    return import_dir() / f"{run.uuid}{_suffix(run.file_name)}"


def discard(run: ImportRun) -> None:
    stored_path(run).unlink(missing_ok=True)
