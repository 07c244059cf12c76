"""Test data for the catalogue's import, curation and matrix tests."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import Level, OfferKind, SourceKind
from leerwerk.catalogue.importers.base import run_import
from leerwerk.catalogue.models import Feed, ImportRun, Occupation, Offer, Qualification
from leerwerk.catalogue.services import OfferData, ProviderData

FILES = Path(__file__).resolve().parent / "files"
_numbers = itertools.count(1)


def qualification(
    code: str = "25498", name: str = "Helpende Zorg en Welzijn", level: int = 2
) -> Qualification:
    found, _created = Qualification.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "learning_paths": "BBL,BOL"}
    )
    return found


def occupation(label: str = "verpleegkundige", code: str = "2221.1") -> Occupation:
    number = next(_numbers)
    found, _created = Occupation.objects.get_or_create(
        code=code,
        defaults={
            "uri": f"http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-{number:012d}",
            "label": label,
            "isco_group": code[:4],
            "alt_labels": f"{label}e\n{label} (m/v)",
        },
    )
    return found


def national_feed(kind: str = SourceKind.CSV) -> Feed:
    return services.feed_national(kind)


def offer(
    title: str = "Helpende zorg",
    *,
    feed: Feed | None = None,
    provider: str = "ROC Voorbeeld",
    **fields: Any,
) -> Offer:
    fields.setdefault("kind", OfferKind.DIPLOMA)
    fields.setdefault("level", Level.MBO_2)
    data = OfferData(
        source_id=fields.pop("source_id", f"T-{next(_numbers)}"),
        title=title,
        provider=ProviderData(source_key=f"naam:{provider.lower()}", name=provider),
        **fields,
    )
    saved, _outcome = services.offer_save(feed=feed or national_feed(), data=data)
    return saved


def import_file(feed: Feed, name: str, *, full: bool = True, **kwargs: Any) -> ImportRun:
    run = services.import_run_create(actor=None, feed=feed, file_name=name, full=full)
    return run_import(run=run, path=FILES / name, **kwargs)


def counts(run: ImportRun) -> dict[str, int]:
    run.refresh_from_db()
    return {
        name: getattr(run, name)
        for name in ("created", "updated", "unchanged", "deactivated", "rejected")
    }


def one_of_each_for_admin(desk: Any) -> None:
    """One object of every catalogue model registered in the admin (for the admin smoke test)."""
    from leerwerk.catalogue.models import OpportunityOccupation

    nurse = occupation("verpleegkundige", "2221.1")
    qualification()
    feed = national_feed()
    offer("Helpende zorg", feed=feed)
    services.import_run_create(actor=None, feed=feed, file_name="beheer.csv")
    OpportunityOccupation.objects.create(desk=desk, occupation=nurse, sector="care")
