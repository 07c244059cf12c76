"""Writes for the catalogue: offers (used by every importer), feeds, import runs and each desk's
regional curation (opportunity occupations, training routes, featured or hidden offers).

Every service is keyword-only and runs in one transaction. Services called with an ``actor``
check the model's policy; importers and commands run as the system (``actor=None``) after the
import run itself was checked when it was created.

``offer_save`` is the one place that writes an offer: it keeps the derived columns
(``search_text``, ``next_start_on``, ``duration_days``) in step with the data, so search (part B)
and sorting can rely on them.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import CharField, F
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.catalogue.constants import (
    DAYS_PER_UNIT,
    CurationStatus,
    DurationUnit,
    ImportStatus,
    Level,
    OfferKind,
    OpportunityKind,
    SourceKind,
)
from leerwerk.catalogue.models import (
    Feed,
    ImportRowError,
    ImportRun,
    Occupation,
    Offer,
    OfferCuration,
    OfferLocation,
    OfferStart,
    OpportunityOccupation,
    Provider,
    Qualification,
    TrainingRoute,
)
from leerwerk.clients.constants import Sector
from leerwerk.core.constants import Action
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.policies import require_permission
from leerwerk.core.services import bulk_update_rows, save_versioned, unchanged_on_error
from leerwerk.network.models import Desk, Postcode

Outcome = Literal["created", "updated", "unchanged"]


# -- the clean records importers produce -----------------------------------------------------


@dataclass(frozen=True)
class ProviderData:
    source_key: str  # "edudex:<orgUnitId>", "rio:<code>", "naam:<name>"
    name: str
    website: str = ""
    kvk_number: str = ""
    brin_code: str = ""


@dataclass(frozen=True)
class LocationData:
    name: str = ""
    address: str = ""
    postcode: str = ""  # normalised "1234AB" or "1234"
    city: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class StartData:
    starts_on: datetime.date
    location_index: int | None = None  # index into OfferData.locations


@dataclass
class OfferData:
    """One validated offer, independent of the source format."""

    source_id: str
    title: str
    provider: ProviderData
    kind: str = OfferKind.COURSE
    description: str = ""
    level: str = Level.NONE
    nlqf_level: int | None = None
    learning_paths: frozenset[str] = frozenset()  # LearningPath values
    flexible_start: bool = False
    starts: list[StartData] = field(default_factory=list)
    locations: list[LocationData] = field(default_factory=list)
    duration_amount: int | None = None
    duration_unit: str = ""
    study_hours: int | None = None
    cost_amount: Decimal | None = None
    cost_includes: str = ""
    cost_vat_included: bool = True
    language: str = "nl"
    crebo_code: str = ""
    sector: str = ""
    url: str = ""
    occupation_uris: list[str] = field(default_factory=list)
    source_updated_at: datetime.datetime | None = None


_PATH_COLUMNS = {
    "bol": "is_bol",
    "bbl": "is_bbl",
    "part_time": "is_part_time",
    "online": "is_online",
    "in_company": "is_in_company",
}


class Lookups:
    """Reference data an import needs for every record, loaded once (a few thousand rows each)
    so writing an offer costs no lookup queries; plus a cache of providers by source key."""

    def __init__(self) -> None:
        self._postcodes: dict[str, int | None] | None = None
        self._qualifications: dict[str, tuple[int, str]] | None = None
        self._occupations: dict[str, tuple[int, str]] | None = None
        self.providers: dict[str, Provider] = {}

    def municipality_id(self, postcode: str) -> int | None:
        if self._postcodes is None:
            self._postcodes = dict(Postcode.objects.values_list("code", "municipality_id"))
        return self._postcodes.get(postcode[:4]) if postcode else None

    def qualification(self, crebo: str) -> tuple[int, str] | None:
        if self._qualifications is None:
            self._qualifications = {
                code: (pk, name)
                for pk, code, name in Qualification.objects.values_list("pk", "code", "name")
            }
        return self._qualifications.get(crebo) if crebo else None

    def occupation(self, key: str) -> tuple[int, str] | None:
        """By ESCO URI or ESCO code."""
        if self._occupations is None:
            self._occupations = {}
            for pk, uri, code, label in Occupation.objects.values_list(
                "pk", "uri", "code", "label"
            ):
                self._occupations[uri] = (pk, label)
                if code:
                    self._occupations[code] = (pk, label)
        return self._occupations.get(key)

    def has_occupation(self, key: str) -> bool:
        return self.occupation(key) is not None

    def load_providers(self, keys: Iterable[str]) -> None:
        """Fetch the providers of a chunk of records in one query."""
        if len(self.providers) > 20_000:  # very many providers: keep the cache bounded
            self.providers.clear()
        missing = {key for key in keys if key not in self.providers}
        if missing:
            for provider in Provider.objects.filter(source_key__in=sorted(missing)):
                self.providers[provider.source_key] = provider


def _provider_for(data: ProviderData, lookups: Lookups) -> Provider:
    """The provider of a record: created when new; empty values in a record never wipe what
    another record told us. Call inside the record's transaction."""
    provider = lookups.providers.get(data.source_key)
    if provider is None:
        provider = Provider.objects.filter(source_key=data.source_key).first()
    values = {
        "name": data.name,
        "website": data.website,
        "kvk_number": data.kvk_number,
        "brin_code": data.brin_code,
    }
    if provider is None:
        provider = Provider(source_key=data.source_key, **values)
        provider.clean_fields()
        provider.save()
    else:
        changed = [k for k, v in values.items() if v and getattr(provider, k) != v]
        if changed:
            for name in changed:
                setattr(provider, name, values[name])
            provider.clean_fields()
            provider.save(update_fields=[*changed, "updated_at"])
    lookups.providers[data.source_key] = provider
    return provider


def next_start(starts: Iterable[datetime.date], today: datetime.date) -> datetime.date | None:
    """The first start date from ``today`` on (None when all starts are past or unknown)."""
    upcoming = [day for day in starts if day >= today]
    return min(upcoming) if upcoming else None


def duration_in_days(amount: int | None, unit: str) -> int | None:
    per_unit = DAYS_PER_UNIT.get(DurationUnit(unit)) if unit else None
    return amount * per_unit if amount is not None and per_unit else None


def build_search_text(
    *,
    title: str,
    provider_name: str,
    description: str,
    occupation_labels: Sequence[str],
    qualification_name: str,
) -> str:
    """What full-text search indexes: title, provider, qualification, occupations, description."""
    parts = [title, provider_name, qualification_name, *occupation_labels, description]
    return "\n".join(part for part in parts if part)


def _decimal(value: Decimal | None, places: str) -> Decimal | None:
    return value.quantize(Decimal(places)) if value is not None else None


def _row_key(row: tuple[datetime.date, int | None]) -> tuple[datetime.date, int]:
    return (row[0], -1 if row[1] is None else row[1])


@dataclass
class _Prepared:
    """An OfferData turned into column values and child rows, ready to compare or write."""

    data: OfferData
    values: dict[str, Any]  # Offer columns except feed, source_id and provider
    locations: list[tuple[Any, ...]]
    starts: list[tuple[datetime.date, int | None]]
    occupation_ids: set[int]


def _prepare(data: OfferData, lookups: Lookups, today: datetime.date) -> _Prepared:
    qualification = lookups.qualification(data.crebo_code)
    occupations = [found for key in data.occupation_uris if (found := lookups.occupation(key))]
    values: dict[str, Any] = {
        "source_updated_at": data.source_updated_at,
        "title": data.title,
        "description": data.description,
        "level": data.level,
        "nlqf_level": data.nlqf_level,
        "kind": data.kind,
        "flexible_start": data.flexible_start,
        "next_start_on": next_start((s.starts_on for s in data.starts), today),
        "duration_amount": data.duration_amount,
        "duration_unit": data.duration_unit,
        "duration_days": duration_in_days(data.duration_amount, data.duration_unit),
        "study_hours": data.study_hours,
        "cost_amount": _decimal(data.cost_amount, "0.01"),
        "cost_includes": data.cost_includes,
        "cost_vat_included": data.cost_vat_included,
        "language": data.language,
        "crebo_code": data.crebo_code,
        "qualification_id": qualification[0] if qualification else None,
        "sector": data.sector,
        "url": data.url,
        "search_text": build_search_text(
            title=data.title,
            provider_name=data.provider.name,
            description=data.description,
            occupation_labels=[label for _pk, label in occupations],
            qualification_name=qualification[1] if qualification else "",
        ),
        "is_active": True,
        "deactivated_at": None,
    }
    for path, column in _PATH_COLUMNS.items():
        values[column] = path in data.learning_paths
    locations = [
        (
            loc.name,
            loc.address,
            loc.postcode,
            loc.city,
            lookups.municipality_id(loc.postcode),
            _decimal(loc.latitude, "0.00001"),
            _decimal(loc.longitude, "0.00001"),
        )
        for loc in data.locations
    ]
    starts = sorted({(s.starts_on, s.location_index) for s in data.starts}, key=_row_key)
    return _Prepared(data, values, locations, starts, {pk for pk, _label in occupations})


@dataclass
class _Snapshot:
    offer: Offer
    locations: list[tuple[Any, ...]] = field(default_factory=list)
    starts: list[tuple[datetime.date, int | None]] = field(default_factory=list)
    occupation_ids: set[int] = field(default_factory=set)


def _snapshots(feed: Feed, source_ids: Sequence[str]) -> dict[str, _Snapshot]:
    """The feed's existing offers for these source ids with their child rows: four queries,
    plain tuples for the children (no joins, no model instances)."""
    offers = Offer.objects.filter(feed=feed, source_id__in=list(source_ids)).order_by()
    by_id = {offer.pk: _Snapshot(offer) for offer in offers}
    if not by_id:
        return {}
    ids = list(by_id)
    location_index: dict[int, int] = {}
    for pk, offer_id, *row in (
        OfferLocation.objects.filter(offer_id__in=ids)
        .order_by("offer_id", "pk")
        .values_list(
            "pk",
            "offer_id",
            "name",
            "address",
            "postcode",
            "city",
            "municipality_id",
            "latitude",
            "longitude",
        )
    ):
        snapshot = by_id[offer_id]
        location_index[pk] = len(snapshot.locations)
        snapshot.locations.append(tuple(row))
    for offer_id, starts_on, location_id in (
        OfferStart.objects.filter(offer_id__in=ids)
        .order_by()
        .values_list("offer_id", "starts_on", "location_id")
    ):
        by_id[offer_id].starts.append(
            (starts_on, location_index.get(location_id) if location_id else None)
        )
    through = Offer.occupations.through
    for offer_id, occupation_id in (
        through.objects.filter(offer_id__in=ids).order_by().values_list("offer_id", "occupation_id")
    ):
        by_id[offer_id].occupation_ids.add(occupation_id)
    for snapshot in by_id.values():
        snapshot.starts.sort(key=_row_key)
    return {snapshot.offer.source_id: snapshot for snapshot in by_id.values()}


def _changes(prepared: _Prepared, snapshot: _Snapshot, provider_id: int | None) -> list[str]:
    offer = snapshot.offer
    changed = [name for name, value in prepared.values.items() if getattr(offer, name) != value]
    if provider_id != offer.provider_id:
        changed.append("provider_id")
    return changed


def _provider_unchanged(data: ProviderData, lookups: Lookups) -> Provider | None:
    provider = lookups.providers.get(data.source_key)
    if provider is None:
        return None
    for name in ("name", "website", "kvk_number", "brin_code"):
        value = getattr(data, name)
        if value and getattr(provider, name) != value:
            return None
    return provider


_CHOICES = {
    "level": set(Level.values),
    "kind": set(OfferKind.values),
    "duration_unit": {"", *DurationUnit.values},
    "sector": {"", *Sector.values},
}
_MAX_LENGTHS = {
    f.attname: f.max_length
    for f in Offer._meta.concrete_fields
    if isinstance(f, CharField) and f.max_length and not f.is_relation
}


def _validate(offer: Offer) -> None:
    """Cheap field checks (choices, lengths, crebo, NLQF) for every written offer; uniqueness and
    the other constraints are the database's job (a violation rolls the record back). Django's
    full_clean would cost two queries and much CPU per record."""
    errors: dict[str, list[str]] = {}
    for name, allowed in _CHOICES.items():
        if getattr(offer, name) not in allowed:
            errors[name] = [_("Kies een geldige waarde.")]
    for name, max_length in _MAX_LENGTHS.items():
        value = getattr(offer, name)
        if value and len(value) > max_length:
            errors[name] = [_("Hoogstens %(max)s tekens.") % {"max": max_length}]
    if offer.crebo_code and not (len(offer.crebo_code) == 5 and offer.crebo_code.isdigit()):
        errors["crebo_code"] = [_("Een crebocode heeft 5 cijfers.")]
    if offer.nlqf_level is not None and not 1 <= offer.nlqf_level <= 8:
        errors["nlqf_level"] = [_("Een NLQF-niveau ligt tussen 1 en 8.")]
    if not offer.title:
        errors["title"] = [_("Vul een titel in.")]
    if errors:
        raise ValidationError(errors)


def _plainly_unchanged(prepared: _Prepared, snapshot: _Snapshot, lookups: Lookups) -> bool:
    """Whether a record repeats what is stored, offer, children and provider (nothing to write:
    a re-run of the same file costs no statement per record)."""
    known = _provider_unchanged(prepared.data.provider, lookups)
    return known is not None and (
        not _changes(prepared, snapshot, known.pk)
        and snapshot.locations == prepared.locations
        and snapshot.starts == prepared.starts
        and snapshot.occupation_ids == prepared.occupation_ids
    )


def _save_one(
    feed: Feed, prepared: _Prepared, snapshot: _Snapshot | None, lookups: Lookups
) -> tuple[Offer, Outcome]:
    """Write one record (its own transaction or savepoint)."""
    if snapshot is not None and _plainly_unchanged(prepared, snapshot, lookups):
        return snapshot.offer, "unchanged"
    with transaction.atomic():
        provider = _provider_for(prepared.data.provider, lookups)
        if snapshot is None:
            offer = Offer(
                feed=feed, source_id=prepared.data.source_id, provider=provider, **prepared.values
            )
            _validate(offer)
            offer.save()
            _write_children([(offer, prepared)], replace=False)
            return offer, "created"
        offer = snapshot.offer
        changed = _changes(prepared, snapshot, provider.pk)
        children_changed = (
            snapshot.locations != prepared.locations or snapshot.starts != prepared.starts
        )
        occupations_changed = snapshot.occupation_ids != prepared.occupation_ids
        if not (changed or children_changed or occupations_changed):
            return offer, "unchanged"
        with unchanged_on_error(offer):
            for name in changed:
                setattr(offer, name, prepared.values.get(name, provider.pk))
            _validate(offer)
            if changed:
                save_versioned(offer, expected_version=None, fields=changed)
            if children_changed:
                _write_children([(offer, prepared)], replace=True, occupations=False)
            if occupations_changed:
                offer.occupations.set(prepared.occupation_ids)
        return offer, "updated"


def _write_children(
    pairs: Sequence[tuple[Offer, _Prepared]], *, replace: bool, occupations: bool = True
) -> None:
    """Locations, start dates (and occupations) of several offers in a few bulk queries."""
    if replace:
        ids = [offer.pk for offer, _prepared in pairs]
        OfferStart.objects.filter(offer_id__in=ids).delete()
        OfferLocation.objects.filter(offer_id__in=ids).delete()
    locations: list[OfferLocation] = []
    per_offer: list[list[OfferLocation]] = []
    for offer, prepared in pairs:
        own = [
            OfferLocation(
                offer=offer,
                name=name,
                address=address,
                postcode=postcode,
                city=city,
                municipality_id=municipality_id,
                latitude=latitude,
                longitude=longitude,
            )
            for name, address, postcode, city, municipality_id, latitude, longitude in (
                prepared.locations
            )
        ]
        per_offer.append(own)
        locations.extend(own)
    if locations:
        OfferLocation.objects.bulk_create(locations, batch_size=1000)
    starts = [
        OfferStart(
            offer=offer,
            starts_on=starts_on,
            location=own[index] if index is not None and index < len(own) else None,
        )
        for (offer, prepared), own in zip(pairs, per_offer, strict=True)
        for starts_on, index in prepared.starts
    ]
    if starts:
        OfferStart.objects.bulk_create(starts, batch_size=1000)
    if occupations:
        _write_occupations(pairs, replace=replace)


def _write_occupations(pairs: Sequence[tuple[Offer, _Prepared]], *, replace: bool) -> None:
    """The occupation links of several offers in one or two bulk queries."""
    through = Offer.occupations.through
    if replace:
        through.objects.filter(offer_id__in=[offer.pk for offer, _prepared in pairs]).delete()
    links = [
        through(offer_id=offer.pk, occupation_id=occupation_id)
        for offer, prepared in pairs
        for occupation_id in sorted(prepared.occupation_ids)
    ]
    if links:
        through.objects.bulk_create(links, batch_size=1000)


def _create_many(feed: Feed, items: Sequence[_Prepared], lookups: Lookups) -> None:
    """Create several new offers (and their new providers) with bulk queries. Call inside a
    savepoint: any failure rolls all of them back."""
    providers: dict[str, Provider] = {}
    new_providers: list[Provider] = []
    for prepared in items:
        data = prepared.data.provider
        if data.source_key in providers:
            continue
        if data.source_key in lookups.providers:
            providers[data.source_key] = _provider_for(data, lookups)
        else:
            provider = Provider(
                source_key=data.source_key,
                name=data.name,
                website=data.website,
                kvk_number=data.kvk_number,
                brin_code=data.brin_code,
            )
            provider.clean_fields()
            providers[data.source_key] = provider
            new_providers.append(provider)
    Provider.objects.bulk_create(new_providers, batch_size=1000)
    lookups.providers.update({provider.source_key: provider for provider in new_providers})
    offers = []
    for prepared in items:
        offer = Offer(
            feed=feed,
            source_id=prepared.data.source_id,
            provider=providers[prepared.data.provider.source_key],
            **prepared.values,
        )
        _validate(offer)
        offers.append(offer)
    Offer.objects.bulk_create(offers, batch_size=1000)
    _write_children(list(zip(offers, items, strict=True)), replace=False)


def _update_many(items: Sequence[tuple[_Prepared, _Snapshot]], lookups: Lookups) -> list[Outcome]:
    """Update several existing offers with bulk queries: one UPDATE for the offers whose own
    fields changed, one delete and bulk inserts for the children that changed (so the search
    triggers run a few times per chunk instead of six times per offer). Returns "updated" or
    "unchanged" per item. Call inside a savepoint: any failure rolls all of them back and
    leaves the snapshots' offers as they were. Raises ConflictError when an offer was saved by
    someone else since its snapshot (as ``save_versioned`` does for one offer)."""
    outcomes: list[Outcome] = []
    updated: list[Offer] = []
    fields: set[str] = set()
    children: list[tuple[Offer, _Prepared]] = []
    occupations: list[tuple[Offer, _Prepared]] = []
    for prepared, snapshot in items:
        provider = _provider_for(prepared.data.provider, lookups)
        changed = _changes(prepared, snapshot, provider.pk)
        children_changed = (
            snapshot.locations != prepared.locations or snapshot.starts != prepared.starts
        )
        occupations_changed = snapshot.occupation_ids != prepared.occupation_ids
        if not (changed or children_changed or occupations_changed):
            outcomes.append("unchanged")
            continue
        offer = copy.copy(snapshot.offer)  # the snapshot stays what the database holds
        for name in changed:
            setattr(offer, name, prepared.values.get(name, provider.pk))
        _validate(offer)
        if changed:
            updated.append(offer)
            fields.update(changed)
        if children_changed:
            children.append((offer, prepared))
        if occupations_changed:
            occupations.append((offer, prepared))
        outcomes.append("updated")
    if updated:
        expected = {offer.pk: offer.version for offer in updated}
        locked = Offer.objects.select_for_update().filter(pk__in=list(expected)).order_by("pk")
        if dict(locked.values_list("pk", "version")) != expected:
            raise ConflictError
        now = timezone.now()
        for offer in updated:
            offer.version += 1
            offer.updated_at = now
        bulk_update_rows(updated, [*sorted(fields), "version", "updated_at"])
    if children:
        _write_children(children, replace=True, occupations=False)
    if occupations:
        _write_occupations(occupations, replace=True)
    return outcomes


SaveResult = Outcome | ValidationError | DatabaseError


def offers_save_many(
    *,
    feed: Feed,
    items: Sequence[OfferData],
    lookups: Lookups | None = None,
    today: datetime.date | None = None,
) -> list[SaveResult]:
    """Create or update several offers of ``feed``; one result per item: "created", "updated",
    "unchanged" or the error that rejected it. Every item is all or nothing: new offers are
    first tried together in one savepoint, and so are changed ones; when any of a group fails,
    each is written in its own savepoint so only the failing ones are rejected. Call inside a
    transaction.
    """
    lookups = lookups or Lookups()
    today = today or timezone.localdate()
    snapshots = _snapshots(feed, [item.source_id for item in items])
    lookups.load_providers({item.provider.source_key for item in items})
    prepared = [_prepare(item, lookups, today) for item in items]
    results: list[SaveResult | None] = [None] * len(items)
    new = [i for i, item in enumerate(items) if item.source_id not in snapshots]
    if len(new) > 1:
        try:
            with transaction.atomic():
                _create_many(feed, [prepared[i] for i in new], lookups)
        except (ValidationError, DatabaseError):
            _reload_providers(lookups, items)
        else:
            for i in new:
                results[i] = "created"
    changing = [
        i
        for i, item in enumerate(items)
        if results[i] is None
        and item.source_id in snapshots
        and not _plainly_unchanged(prepared[i], snapshots[item.source_id], lookups)
    ]
    if len(changing) > 1:
        try:
            with transaction.atomic():
                outcomes = _update_many(
                    [(prepared[i], snapshots[items[i].source_id]) for i in changing], lookups
                )
        except (ValidationError, DatabaseError):
            _reload_providers(lookups, items)
        else:
            for i, outcome in zip(changing, outcomes, strict=True):
                results[i] = outcome
    for i, item in enumerate(items):
        if results[i] is not None:
            continue
        try:
            _offer, outcome = _save_one(feed, prepared[i], snapshots.get(item.source_id), lookups)
        except (ValidationError, DatabaseError) as exc:
            lookups.providers.pop(item.provider.source_key, None)
            results[i] = exc
        else:
            results[i] = outcome
    return [result for result in results if result is not None]


def _reload_providers(lookups: Lookups, items: Sequence[OfferData]) -> None:
    """After a failed group savepoint: the providers created or changed in it are gone, so
    forget them all and read the chunk's providers again (each record is then written on its
    own, so only the failing ones are rejected)."""
    lookups.providers = {}
    lookups.load_providers({item.provider.source_key for item in items})


def offer_save(
    *,
    feed: Feed,
    data: OfferData,
    actor: Any = None,
    lookups: Lookups | None = None,
    today: datetime.date | None = None,
) -> tuple[Offer, Outcome]:
    """Create or update the offer ``(feed, data.source_id)`` with its provider, locations, start
    dates and occupations, all or nothing, keeping ``search_text``, ``next_start_on`` and
    ``duration_days`` derived. Returns the offer and whether it was created, updated or
    unchanged (saving the same data again writes nothing). Raises ValidationError.
    """
    if actor is not None:
        require_permission(actor, Action.CHANGE, Feed, obj=feed)
    lookups = lookups or Lookups()
    today = today or timezone.localdate()
    with transaction.atomic():
        snapshot = _snapshots(feed, [data.source_id]).get(data.source_id)
        return _save_one(feed, _prepare(data, lookups, today), snapshot, lookups)


def offers_deactivate_missing(*, feed: Feed, seen_source_ids: set[str]) -> int:
    """Deactivate (never delete) the feed's active offers whose source id is not in the file."""
    missing = [
        pk
        for pk, source_id in Offer.objects.filter(feed=feed, is_active=True)
        .order_by()
        .values_list("pk", "source_id")
        .iterator(chunk_size=5000)
        if source_id not in seen_source_ids
    ]
    now = timezone.now()
    done = 0
    for start in range(0, len(missing), 1000):
        with transaction.atomic():
            done += Offer.objects.filter(
                pk__in=missing[start : start + 1000], is_active=True
            ).update(is_active=False, deactivated_at=now, updated_at=now, version=F("version") + 1)
    return done


# -- feeds -----------------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, actor: Any, kind: str, name: str, desk: Desk | None = None) -> Feed:
    require_permission(actor, Action.ADD, Feed, desk_id=desk.pk if desk else None)
    feed = Feed(kind=kind, name=name.strip(), desk=desk)
    feed.full_clean()
    feed.save()
    return feed


def feed_national(kind: str) -> Feed:
    """The national feed of ``kind`` named after the kind (EDU-DEX, RIO), created when missing."""
    feed, _created = Feed.objects.get_or_create(
        kind=kind, desk=None, name=str(SourceKind(kind).label)
    )
    return feed


def desk_csv_feed(*, actor: Any, desk: Desk) -> Feed:
    """The desk's own CSV feed, created on first use."""
    require_permission(actor, Action.ADD, Feed, desk_id=desk.pk)
    feed, _created = Feed.objects.get_or_create(
        kind=SourceKind.CSV,
        desk=desk,
        defaults={"name": _("Eigen opleidingen %(desk)s") % {"desk": desk.display_name}},
    )
    return feed


# -- import runs -----------------------------------------------------------------------------


@transaction.atomic
def import_run_create(*, actor: Any, feed: Feed, file_name: str, full: bool = True) -> ImportRun:
    if actor is not None:
        require_permission(actor, Action.CHANGE, Feed, obj=feed)
    return ImportRun.objects.create(
        feed=feed,
        file_name=file_name[:250],
        full=full,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def import_run_start(*, run: ImportRun, rows_total: int) -> None:
    run.status = ImportStatus.RUNNING
    run.started_at = timezone.now()
    run.rows_total = rows_total
    run.save(update_fields=["status", "started_at", "rows_total"])


_COUNTERS = ["rows_done", "created", "updated", "unchanged", "deactivated", "rejected"]


def import_run_progress(*, run: ImportRun) -> None:
    """Store the run's counters (committed at once outside a transaction: progress for the page)."""
    ImportRun.objects.filter(pk=run.pk).update(**{name: getattr(run, name) for name in _COUNTERS})


def import_run_add_errors(*, run: ImportRun, errors: Sequence[ImportRowError]) -> None:
    ImportRowError.objects.bulk_create(errors, batch_size=1000)


def import_run_finish(*, run: ImportRun) -> None:
    run.status = ImportStatus.DONE_WITH_ERRORS if run.rejected else ImportStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=[*_COUNTERS, "status", "finished_at", "message"])


def import_run_fail(*, run: ImportRun, message: str) -> None:
    run.status = ImportStatus.FAILED
    run.finished_at = timezone.now()
    run.message = message
    run.save(update_fields=[*_COUNTERS, "status", "finished_at", "message"])


# -- opportunity occupations and routes ------------------------------------------------------


@transaction.atomic
def opportunity_save(
    *,
    actor: Any,
    desk: Desk,
    occupation: Occupation,
    sector: str,
    kind: str = OpportunityKind.OPPORTUNITY,
    note: str = "",
    is_published: bool = True,
    opportunity: OpportunityOccupation | None = None,
    expected_version: int | None = None,
) -> OpportunityOccupation:
    """Mark ``occupation`` as an opportunity or shortage occupation of the desk's region (or
    change an existing mark: pass ``opportunity`` and the version the form was loaded with)."""
    if opportunity is None:
        require_permission(actor, Action.ADD, OpportunityOccupation, desk_id=desk.pk)
        if OpportunityOccupation.objects.filter(desk=desk, occupation=occupation).exists():
            raise ValidationError(
                {"occupation": _("Dit beroep staat al in de lijst van dit loket.")}
            )
        opportunity = OpportunityOccupation(
            desk=desk,
            occupation=occupation,
            sector=sector,
            kind=kind,
            note=note.strip(),
            is_published=is_published,
        )
        opportunity.full_clean()
        opportunity.save()
        return opportunity
    require_permission(actor, Action.CHANGE, OpportunityOccupation, obj=opportunity)
    with unchanged_on_error(opportunity):
        opportunity.sector = sector
        opportunity.kind = kind
        opportunity.note = note.strip()
        opportunity.is_published = is_published
        opportunity.full_clean()
        save_versioned(
            opportunity,
            expected_version=expected_version,
            fields=["sector", "kind", "note", "is_published"],
        )
    return opportunity


@transaction.atomic
def opportunity_delete(*, actor: Any, opportunity: OpportunityOccupation) -> None:
    require_permission(actor, Action.DELETE, OpportunityOccupation, obj=opportunity)
    opportunity.delete()


@transaction.atomic
def route_add(
    *,
    actor: Any,
    opportunity: OpportunityOccupation,
    offer: Offer | None = None,
    qualification: Qualification | None = None,
    note: str = "",
) -> TrainingRoute:
    """Link a training route (an offer or an mbo qualification, exactly one) to an opportunity."""
    require_permission(actor, Action.ADD, TrainingRoute, desk_id=opportunity.desk_id)
    if (offer is None) == (qualification is None):
        raise ValidationError(_("Kies een opleiding of een mbo-kwalificatie."))
    duplicate = TrainingRoute.objects.filter(opportunity=opportunity)
    duplicate = (
        duplicate.filter(offer=offer) if offer else duplicate.filter(qualification=qualification)
    )
    if duplicate.exists():
        raise ValidationError(_("Deze route staat al bij dit beroep."))
    route = TrainingRoute(
        opportunity=opportunity, offer=offer, qualification=qualification, note=note.strip()
    )
    route.full_clean()
    route.save()
    return route


@transaction.atomic
def route_remove(*, actor: Any, route: TrainingRoute) -> None:
    require_permission(actor, Action.DELETE, TrainingRoute, obj=route)
    route.delete()


# -- featured and hidden offers --------------------------------------------------------------


@transaction.atomic
def curation_set(
    *, actor: Any, desk: Desk, offer: Offer, status: str | None, note: str = ""
) -> OfferCuration | None:
    """Feature or hide ``offer`` in the desk's region; ``status=None`` removes the choice."""
    current = OfferCuration.objects.filter(desk=desk, offer=offer).first()
    if status is None:
        if current is not None:
            require_permission(actor, Action.DELETE, OfferCuration, obj=current)
            current.delete()
        return None
    if status not in CurationStatus.values:
        raise ValidationError({"status": _("Kies aanbevelen of niet tonen.")})
    if current is None:
        require_permission(actor, Action.ADD, OfferCuration, desk_id=desk.pk)
        current = OfferCuration(desk=desk, offer=offer)
    else:
        require_permission(actor, Action.CHANGE, OfferCuration, obj=current)
    current.status = status
    current.note = note.strip()
    current.full_clean(exclude=["desk", "offer"])
    current.save()
    return current


__all__ = [
    "DurationUnit",
    "LocationData",
    "Lookups",
    "OfferData",
    "ProviderData",
    "StartData",
    "build_search_text",
    "curation_set",
    "desk_csv_feed",
    "duration_in_days",
    "feed_create",
    "feed_national",
    "import_run_create",
    "import_run_fail",
    "import_run_finish",
    "import_run_progress",
    "import_run_start",
    "next_start",
    "offer_save",
    "offers_deactivate_missing",
    "opportunity_delete",
    "opportunity_save",
    "route_add",
    "route_remove",
]
