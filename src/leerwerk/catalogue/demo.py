"""A small demo catalogue: 300 synthetic offers in a national demo feed, and a few opportunity
occupations with training routes for every demo desk. Idempotent: a second run changes nothing.
Called by ``leerwerk load_demo_data`` after the network and CRM demo data."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction

from leerwerk.catalogue import services
from leerwerk.catalogue.constants import OpportunityKind, SourceKind
from leerwerk.catalogue.importers.base import run_import
from leerwerk.catalogue.importers.synthetic import write_file
from leerwerk.catalogue.models import Feed, Occupation, Offer, OpportunityOccupation, Qualification
from leerwerk.catalogue.reference import load_catalogue_reference
from leerwerk.core.constants import DeskRole
from leerwerk.network.models import Desk, StaffMembership

DEMO_FEED = "Demo-opleidingen (synthetisch)"
DEMO_OFFERS = 300
# (ESCO code, sector, kind, crebo of an mbo route or "", words in the title of an offer route)
OPPORTUNITIES = [
    ("2221.1", "care", OpportunityKind.SHORTAGE, "25655", "Verpleegkundige"),
    ("8344.1", "transport", OpportunityKind.OPPORTUNITY, "", "Heftruckcertificaat"),
    ("7112.1", "construction", OpportunityKind.SHORTAGE, "", "Metselaar"),
    ("5120.1", "hospitality", OpportunityKind.OPPORTUNITY, "", "Kok"),
    ("2519.7", "ict", OpportunityKind.OPPORTUNITY, "25998", "Software developer"),
]


def load_demo_catalogue() -> tuple[int, int]:
    """Returns (offers created, opportunity occupations created)."""
    if not Occupation.objects.exists() or not Qualification.objects.exists():
        load_catalogue_reference()
    feed, _created = Feed.objects.get_or_create(kind=SourceKind.CSV, name=DEMO_FEED, desk=None)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "demo-opleidingen.csv"
        write_file(path, DEMO_OFFERS, seed=2026)
        run = services.import_run_create(actor=None, feed=feed, file_name=path.name)
        run_import(run=run, path=path)
    return run.created, _opportunities()


@transaction.atomic
def _opportunities() -> int:
    created = 0
    managers = (
        StaffMembership.objects.filter(
            role=DeskRole.DESK_MANAGER, user__email__endswith="@demo.leerwerk.test"
        )
        .select_related("desk", "user")
        .order_by("desk_id")
    )
    seen: set[int] = set()
    for membership in managers:
        desk: Desk = membership.desk
        if desk.pk in seen:
            continue
        seen.add(desk.pk)
        for code, sector, kind, crebo, title in OPPORTUNITIES:
            occupation = Occupation.objects.filter(code=code).first()
            if (
                occupation is None
                or OpportunityOccupation.objects.filter(desk=desk, occupation=occupation).exists()
            ):
                continue
            opportunity = services.opportunity_save(
                actor=membership.user,
                desk=desk,
                occupation=occupation,
                sector=sector,
                kind=kind,
                note="Demo: veel vacatures in de regio.",
            )
            created += 1
            qualification = Qualification.objects.filter(code=crebo).first() if crebo else None
            if qualification is not None:
                services.route_add(
                    actor=membership.user, opportunity=opportunity, qualification=qualification
                )
            offer = (
                Offer.objects.active()
                .filter(feed__name=DEMO_FEED, title__startswith=title)
                .order_by("source_id")
                .first()
            )
            if offer is not None:
                services.route_add(actor=membership.user, opportunity=opportunity, offer=offer)
    return created
