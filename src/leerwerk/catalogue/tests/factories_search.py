"""Test data for catalogue search: offers written straight with the ORM (the same derived
columns ``offer_save`` fills), and a small fixture catalogue whose expected results are known."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from leerwerk.catalogue.constants import Level, OfferKind, SourceKind
from leerwerk.catalogue.models import Feed, Offer, OfferLocation, OfferStart, Provider
from leerwerk.network.models import Municipality

_counter = itertools.count(1)


def feed() -> Feed:
    found, _ = Feed.objects.get_or_create(kind=SourceKind.EDUDEX, name="Testbron", desk=None)
    return found


def provider(name: str = "ROC Testcollege") -> Provider:
    found, _ = Provider.objects.get_or_create(source_key=f"naam:{name}", defaults={"name": name})
    return found


def make_offer(
    title: str,
    *,
    description: str = "",
    provider_name: str = "ROC Testcollege",
    municipality: str | None = None,  # CBS code, e.g. GM0599 (Rotterdam)
    latitude: str | None = None,
    longitude: str | None = None,
    starts: list[datetime.date] | None = None,
    **fields: Any,
) -> Offer:
    """An active offer with one location (when a municipality or coordinates are given) and
    its start dates; ``fields`` are Offer fields (level, kind, is_bbl, cost_amount, …)."""
    the_provider = provider(provider_name)
    fields.setdefault("kind", OfferKind.COURSE)
    fields.setdefault("level", Level.NONE)
    if "cost_amount" in fields and fields["cost_amount"] is not None:
        fields["cost_amount"] = Decimal(str(fields["cost_amount"]))
    starts = sorted(starts or [])
    today = datetime.date.today()  # noqa: DTZ011 (test data)
    upcoming = [day for day in starts if day >= today]
    offer = Offer.objects.create(
        feed=feed(),
        source_id=f"test-{next(_counter)}",
        provider=the_provider,
        title=title,
        description=description,
        search_text="\n".join(part for part in [title, the_provider.name, description] if part),
        next_start_on=upcoming[0] if upcoming else None,
        **fields,
    )
    if municipality or latitude:
        location = OfferLocation.objects.create(
            offer=offer,
            city="Teststad",
            municipality=Municipality.objects.get(code=municipality) if municipality else None,
            latitude=Decimal(latitude) if latitude else None,
            longitude=Decimal(longitude) if longitude else None,
        )
    else:
        location = None
    for day in starts:
        OfferStart.objects.create(offer=offer, starts_on=day, location=location)
    return offer
