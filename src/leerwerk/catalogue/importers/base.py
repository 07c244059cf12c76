"""Shared import machinery for every offer source (EDU-DEX, RIO, CSV).

An import runs in four steps:

1. **Check the file** (``Source.count``): encoding, syntax, header. A problem here is a
   file-level error: the run fails with one clear message and nothing is written.
2. **Validate each record** into a clean ``OfferData`` (``Source.records``). Problems are
   collected per record with line, field and a Dutch reason; duplicate source ids within the
   file and oversized fields are rejected; markup is kept as plain text (templates escape it).
3. **Write each valid record** through ``services.offer_save`` in its own savepoint: a record is
   written completely or not at all. Records are handled in chunks, each chunk in one
   transaction, so progress (``rows_done`` and the counts) is visible while the run goes on and
   memory stays flat: only one chunk of records and offers is held at a time.
4. **Deactivate** (never delete) the feed's offers missing from a full delivery.

A re-run of the same file creates and updates nothing.
"""

from __future__ import annotations

import datetime
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from leerwerk.catalogue import services
from leerwerk.catalogue.models import ImportRowError, ImportRun, Offer, OfferLocation, OfferStart
from leerwerk.catalogue.models_search import OfferSearchPoint, OfferSearchRow
from leerwerk.catalogue.services import Lookups, OfferData

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
MAX_ERRORS_PER_RUN = 10_000  # beyond this the report says "and more"; the counts stay exact
MAX_DESCRIPTION = 10_000
MAX_FILE_BYTES = 200 * 1024 * 1024
ANALYZE_FROM = 5_000  # rows; see _refresh_statistics
# the offers and what the search triggers (catalogue.search_rows) read and write per statement
ANALYZED_TABLES = (
    Offer._meta.db_table,
    OfferLocation._meta.db_table,
    OfferStart._meta.db_table,
    OfferSearchRow._meta.db_table,
    OfferSearchPoint._meta.db_table,
)

_FIELD_MAX: dict[str, int] = {
    field.name: int(field.max_length or 0)
    for field in Offer._meta.concrete_fields
    if getattr(field, "max_length", None)
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_url_validator = URLValidator(schemes=["http", "https"])


class FileError(Exception):
    """The file as a whole cannot be read (encoding, syntax, header). Nothing is written."""


@dataclass(frozen=True)
class RowProblem:
    field: str
    reason: str


@dataclass
class ParsedRecord:
    """One record of a file: the clean data, or why it cannot be imported."""

    line: int
    source_id: str = ""
    data: OfferData | None = None
    problems: list[RowProblem] = field(default_factory=list)


class RecordChecker:
    """Validates the values of one record, collecting every problem instead of stopping at the
    first. The ``label`` of each check is the field name as the user knows it from the file."""

    def __init__(self) -> None:
        self.problems: list[RowProblem] = []

    def problem(self, label: str, reason: str) -> None:
        self.problems.append(RowProblem(label, reason))

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(
        self,
        label: str,
        value: Any,
        *,
        max_length: int,
        required: bool = False,
        one_line: bool = True,
    ) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(label, _("moet tekst zijn"))
            return ""
        value = value.strip()
        if one_line:
            value = " ".join(value.split())
        if required and not value:
            self.problem(label, _("is verplicht, maar leeg"))
            return ""
        if _CONTROL.search(value):
            self.problem(label, _("bevat tekens die niet in tekst horen (stuurtekens)"))
            return ""
        if len(value) > max_length:
            self.problem(
                label,
                _("is te lang: %(length)s tekens, hoogstens %(max)s")
                % {"length": len(value), "max": max_length},
            )
            return ""
        return value

    def model_text(
        self, label: str, value: Any, model_field: str, *, required: bool = False
    ) -> str:
        return self.text(label, value, max_length=_FIELD_MAX[model_field], required=required)

    def long_text(self, label: str, value: Any) -> str:
        return self.text(label, value, max_length=MAX_DESCRIPTION, one_line=False)

    def integer(
        self, label: str, value: Any, *, minimum: int = 0, maximum: int = 10**6
    ) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            self.problem(label, _("'%(value)s' is geen geheel getal") % {"value": _short(value)})
            return None
        if not minimum <= number <= maximum:
            self.problem(
                label,
                _("moet tussen %(min)s en %(max)s liggen") % {"min": minimum, "max": maximum},
            )
            return None
        return number

    def money(self, label: str, value: Any) -> Decimal | None:
        """Euros: '1250', '1250.50', '1.250,50', '€ 1250,-'."""
        if value in (None, ""):
            return None
        text = str(value).strip().replace("€", "").replace(" ", "").removesuffix(",-")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.problem(label, _("'%(value)s' is geen bedrag") % {"value": _short(value)})
            return None
        if (
            amount < 0
            or amount >= Decimal("100000000")
            or amount != amount.quantize(Decimal("0.01"))
        ):
            self.problem(label, _("moet een bedrag zijn van 0 of meer, met hoogstens 2 decimalen"))
            return None
        return amount

    def date(self, label: str, value: Any) -> datetime.date | None:
        """'2025-09-01' or '01-09-2025'."""
        if value in (None, ""):
            return None
        text = str(value).strip()
        if len(text) == 10 and text[4] == "-":
            try:
                return datetime.date.fromisoformat(text)  # the common case, fast
            except ValueError:
                pass
        for pattern in ("%d-%m-%Y", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
            except ValueError:
                continue
        self.problem(
            label, _("'%(value)s' is geen datum (schrijf 2025-09-01)") % {"value": _short(value)}
        )
        return None

    def datetime(self, label: str, value: Any) -> datetime.datetime | None:
        if value in (None, ""):
            return None
        text = str(value).strip().replace("Z", "+00:00")
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            self.problem(label, _("'%(value)s' is geen datum en tijd") % {"value": _short(value)})
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment

    def url(self, label: str, value: Any) -> str:
        text = self.model_text(label, value, "url")
        if not text:
            return ""
        try:
            _url_validator(text)
        except ValidationError:
            self.problem(label, _("is geen geldig webadres (begin met https://)"))
            return ""
        return text

    def postcode(self, label: str, value: Any) -> str:
        text = "".join(str(value or "").split()).upper()
        if not text:
            return ""
        if re.fullmatch(r"\d{4}", text):
            return text
        if re.fullmatch(r"\d{4}[A-Z]{2}", text):
            return f"{text[:4]} {text[4:]}"
        self.problem(label, _("'%(value)s' is geen postcode (1234 AB)") % {"value": _short(value)})
        return ""

    def crebo(self, label: str, value: Any) -> str:
        text = str(value or "").strip()
        if not text:
            return ""
        if not re.fullmatch(r"\d{5}", text):
            self.problem(
                label, _("'%(value)s' is geen crebocode (5 cijfers)") % {"value": _short(value)}
            )
            return ""
        return text


def _short(value: Any, length: int = 40) -> str:
    text = str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


class Source(ABC):
    """One file in one format. ``count`` checks the file, ``records`` yields parsed records."""

    def __init__(self, path: Path, lookups: Lookups | None = None) -> None:
        self.path = path
        self.lookups = lookups or Lookups()

    def check_size(self) -> None:
        if not self.path.exists():
            raise FileError(_("Het bestand is niet gevonden."))
        if self.path.stat().st_size > MAX_FILE_BYTES:
            raise FileError(
                _("Het bestand is te groot (meer dan %(mb)s MB).")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )

    @abstractmethod
    def count(self) -> int:
        """Check the whole file and return how many records it holds. Raises FileError."""

    @abstractmethod
    def records(self) -> Iterator[ParsedRecord]:
        """The file's records, in order, validated."""


def source_for(kind: str, path: Path, lookups: Lookups | None = None) -> Source:
    from leerwerk.catalogue.constants import SourceKind
    from leerwerk.catalogue.importers.csv_import import CsvSource
    from leerwerk.catalogue.importers.edudex import EdudexSource
    from leerwerk.catalogue.importers.rio import RioSource

    sources: dict[str, type[Source]] = {
        SourceKind.CSV: CsvSource,
        SourceKind.MANUAL: CsvSource,
        SourceKind.EDUDEX: EdudexSource,
        SourceKind.RIO: RioSource,
    }
    return sources[kind](path, lookups)


def _chunks(records: Iterator[ParsedRecord], size: int) -> Iterator[list[ParsedRecord]]:
    while chunk := list(islice(records, size)):
        yield chunk


def _validation_reason(exc: ValidationError) -> tuple[str, str]:
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.message_dict.items()))
        label = (
            str(getattr(Offer._meta.get_field(name), "verbose_name", name))
            if name != "__all__"
            else ""
        )
        return label, " ".join(errors)
    return "", " ".join(exc.messages)


class _Collector:
    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.pending: list[ImportRowError] = []
        self.stored = ImportRowError.objects.filter(run=run).count()

    def add(self, line: int, source_id: str, field_label: str, reason: str) -> None:
        if self.stored + len(self.pending) >= MAX_ERRORS_PER_RUN:
            return
        self.pending.append(
            ImportRowError(
                run=self.run,
                line=line,
                source_id=source_id[:120],
                field=field_label[:120],
                reason=reason,
            )
        )

    def flush(self) -> None:
        if self.pending:
            ImportRowError.objects.bulk_create(self.pending, batch_size=1000)
            self.stored += len(self.pending)
            self.pending = []


def run_import(
    *, run: ImportRun, path: Path, lookups: Lookups | None = None, chunk_size: int = CHUNK_SIZE
) -> ImportRun:
    """Import ``path`` into ``run.feed``. Never raises for bad input: the run records it.

    Must be called outside a transaction (each chunk commits on its own, so progress shows).
    """
    lookups = lookups or Lookups()
    feed = run.feed
    source = source_for(feed.kind, path, lookups)
    try:
        total = source.count()
    except FileError as exc:
        services.import_run_fail(run=run, message=str(exc))
        return run
    services.import_run_start(run=run, rows_total=total)
    collector = _Collector(run)
    seen: dict[str, int] = {}
    analyzed_at = 0
    if total >= ANALYZE_FROM:
        _refresh_statistics()
    try:
        for chunk in _chunks(source.records(), chunk_size):
            with transaction.atomic():
                _write_chunk(run, chunk, seen, lookups, collector)
                collector.flush()
                services.import_run_progress(run=run)
            if run.created >= max(ANALYZE_FROM, 2 * analyzed_at):
                _refresh_statistics()
                analyzed_at = run.created
        if run.full:
            run.deactivated = services.offers_deactivate_missing(
                feed=feed, seen_source_ids=set(seen)
            )
    except FileError as exc:  # a problem only found while streaming (rare after count())
        services.import_run_fail(run=run, message=str(exc))
        return run
    except Exception:
        logger.exception("catalogue import failed", extra={"run": str(run.uuid)})
        services.import_run_fail(
            run=run,
            message=_(
                "De import is gestopt door een onverwachte fout. De regels die al verwerkt "
                "waren, zijn bewaard. Probeer het opnieuw of neem contact op met beheer."
            ),
        )
        return run
    services.import_run_finish(run=run)
    return run


def _refresh_statistics() -> None:
    """Let PostgreSQL see how big the offers table and the tables of the search triggers are
    now. A big import into a (nearly) empty feed otherwise keeps the planner's old estimate
    ("this feed has few offers"), and each chunk's lookup by (feed, source id) scans the whole
    feed instead of using the unique index. Into an empty catalogue the search triggers' own
    statements keep the plans they made for empty tables (PL/pgSQL caches them until the
    table's statistics change): removing the moved offers' points scanned the whole point
    table for every statement, half the database's work of a first import of 100k offers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(ANALYZED_TABLES)}")  # noqa: S608 - table names


def _write_chunk(
    run: ImportRun,
    chunk: list[ParsedRecord],
    seen: dict[str, int],
    lookups: Lookups,
    collector: _Collector,
) -> None:
    valid: list[ParsedRecord] = []
    for record in chunk:
        run.rows_done += 1
        if record.source_id:
            if record.source_id in seen:
                run.rejected += 1
                collector.add(
                    record.line,
                    record.source_id,
                    _("id"),
                    _("Dit id komt al eerder in het bestand voor (regel %(line)s).")
                    % {"line": seen[record.source_id]},
                )
                continue
            seen[record.source_id] = record.line
        if record.problems or record.data is None:
            run.rejected += 1
            for problem in record.problems:
                collector.add(record.line, record.source_id, problem.field, problem.reason)
            continue
        valid.append(record)
    results = services.offers_save_many(
        feed=run.feed,
        items=[record.data for record in valid if record.data is not None],
        lookups=lookups,
    )
    for record, result in zip(valid, results, strict=True):
        if isinstance(result, ValidationError):
            run.rejected += 1
            label, reason = _validation_reason(result)
            collector.add(record.line, record.source_id, label, reason)
        elif isinstance(result, DatabaseError):
            logger.warning(
                "catalogue record could not be saved",
                extra={"run": str(run.uuid), "line": record.line, "error": type(result).__name__},
            )
            run.rejected += 1
            collector.add(
                record.line,
                record.source_id,
                "",
                _("Deze opleiding kon niet worden opgeslagen. Er is niets van bewaard."),
            )
        else:
            setattr(run, result, getattr(run, result) + 1)
