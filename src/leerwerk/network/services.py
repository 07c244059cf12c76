"""Writes for the network. Every service checks the actor's permission with the model's policy
and validates before it saves, in one transaction. Views, admin, API and commands call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from leerwerk.accounts.models import User
from leerwerk.core.access import forget_access
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action, DeskRole
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.network.constants import PartnerKind
from leerwerk.network.models import (
    Certification,
    Desk,
    DeskPartnership,
    ExpertiseTag,
    Location,
    Municipality,
    OpeningHours,
    Partner,
    Postcode,
    Region,
    ServiceLine,
    StaffMembership,
)

DEFAULT_SERVICE_LINE = "leerwerkadvies"


# -- desks -------------------------------------------------------------------------------------


@transaction.atomic
def region_desks_ensure() -> int:
    """Give every region without a desk its default desk ("Leerwerkloket <region>").

    Idempotent; never touches existing desks. Returns how many desks were created.
    """
    default_line = ServiceLine.objects.filter(code=DEFAULT_SERVICE_LINE).first()
    created = 0
    for region in Region.objects.filter(desks__isnull=True).order_by("code"):
        slug = slugify(region.name)
        if Desk.objects.filter(slug=slug).exists():
            slug = slugify(f"{region.name}-{region.code}")
        desk = Desk.objects.create(
            region=region, display_name=f"Leerwerkloket {region.name}", slug=slug
        )
        if default_line:
            desk.service_lines.add(default_line)
        created += 1
    return created


DESK_SETTINGS_FIELDS = [
    "display_name",
    "organisation_kind",
    "email",
    "phone",
    "website",
    "introduction",
    "is_published",
]


@transaction.atomic
def desk_update(
    *,
    actor: Any,
    desk: Desk,
    expected_version: int,
    service_lines: Iterable[ServiceLine] | None = None,
    **values: Any,
) -> Desk:
    """Change a desk's settings. Raises ConflictError if someone else saved in between."""
    require_permission(actor, Action.CHANGE, Desk, obj=desk)
    unknown = set(values) - set(DESK_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not a desk setting: {sorted(unknown)}")
    with unchanged_on_error(desk):
        for name, value in values.items():
            setattr(desk, name, value)
        desk.full_clean(exclude=["region", "slug"])
        save_versioned(desk, expected_version=expected_version, fields=list(values))
    if service_lines is not None:
        desk.service_lines.set(service_lines)
    audit_record(
        actor=actor,
        action="desk.update",
        obj=desk,
        desk_id=desk.pk,
        detail={"fields": sorted(values)},
    )
    return desk


# -- locations ---------------------------------------------------------------------------------

LOCATION_FIELDS = [
    "name",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "email",
    "accessibility_notes",
    "is_public",
]


def normalise_postcode(value: str) -> str:
    """'1234ab' -> '1234 AB'."""
    compact = "".join((value or "").split()).upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else (value or "").strip()


def municipality_for_postcode(postcode: str) -> Municipality | None:
    found = (
        Postcode.objects.select_related("municipality").filter(code=(postcode or "")[:4]).first()
    )
    return found.municipality if found else None


def _location_validate(location: Location) -> None:
    location.postcode = normalise_postcode(location.postcode)
    location.full_clean(exclude=["desk", "municipality"])
    municipality = municipality_for_postcode(location.postcode)
    if municipality is None:
        raise ValidationError(
            {"postcode": _("Deze postcode kennen we niet. Controleer de postcode.")}
        )
    location.municipality = municipality


@transaction.atomic
def location_create(
    *, actor: Any, desk: Desk, hours: Sequence[dict[str, Any]] = (), **values: Any
) -> Location:
    require_permission(actor, Action.ADD, Location, desk_id=desk.pk)
    location = Location(desk=desk, **{k: v for k, v in values.items() if k in LOCATION_FIELDS})
    _location_validate(location)
    location.save()
    opening_hours_replace(actor=actor, location=location, hours=hours)
    audit_record(actor=actor, action="location.create", obj=location, desk_id=desk.pk)
    return location


@transaction.atomic
def location_update(
    *,
    actor: Any,
    location: Location,
    expected_version: int,
    hours: Sequence[dict[str, Any]] | None = None,
    **values: Any,
) -> Location:
    require_permission(actor, Action.CHANGE, Location, obj=location)
    if unknown := set(values) - set(LOCATION_FIELDS):
        raise ValueError(f"Not a location field: {sorted(unknown)}")
    with unchanged_on_error(location):
        for name, value in values.items():
            setattr(location, name, value)
        _location_validate(location)
        save_versioned(
            location,
            expected_version=expected_version,
            fields=[*values, "postcode", "municipality"],
        )
    if hours is not None:
        opening_hours_replace(actor=actor, location=location, hours=hours)
    audit_record(actor=actor, action="location.update", obj=location, desk_id=location.desk_id)
    return location


@transaction.atomic
def location_delete(*, actor: Any, location: Location) -> None:
    require_permission(actor, Action.DELETE, Location, obj=location)
    audit_record(actor=actor, action="location.delete", obj=location, desk_id=location.desk_id)
    location.delete()


def opening_hours_replace(
    *, actor: Any, location: Location, hours: Sequence[dict[str, Any]]
) -> list[OpeningHours]:
    """Replace all opening and walk-in hours of ``location``. Rejects overlaps per day and kind."""
    require_permission(actor, Action.CHANGE, Location, obj=location)
    rows = [OpeningHours(location=location, **row) for row in hours]
    errors = []
    for index, row in enumerate(rows):
        try:
            row.full_clean(exclude=["location"], validate_constraints=False)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if row.opens >= row.closes:
            errors.append(
                ValidationError(
                    _("%(day)s: de begintijd moet voor de eindtijd liggen.")
                    % {"day": row.get_weekday_display()}
                )
            )
        for other in rows[:index]:
            if (
                other.kind == row.kind
                and other.weekday == row.weekday
                and other.opens < row.closes
                and row.opens < other.closes
            ):
                errors.append(
                    ValidationError(
                        _("%(day)s: twee tijden van '%(kind)s' overlappen elkaar.")
                        % {"day": row.get_weekday_display(), "kind": row.get_kind_display()}
                    )
                )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        location.hours.all().delete()
        OpeningHours.objects.bulk_create(rows)
    return rows


# -- partners ----------------------------------------------------------------------------------


@transaction.atomic
def desk_partnership_add(
    *,
    actor: Any,
    desk: Desk,
    partner: Partner | None = None,
    new_partner_name: str = "",
    new_partner_kind: str = "",
    municipality: Municipality | None = None,
    is_core: bool = False,
    note: str = "",
) -> DeskPartnership:
    """Link a partner to a desk; registers the partner organisation first when it is new."""
    require_permission(actor, Action.ADD, DeskPartnership, desk_id=desk.pk)
    if partner is None:
        name = (new_partner_name or "").strip()
        if not name or new_partner_kind not in PartnerKind.values:
            raise ValidationError(
                _("Kies een bestaande partner of vul naam en soort van een nieuwe partner in.")
            )
        partner = Partner.objects.filter(name__iexact=name, kind=new_partner_kind).first()
        if partner is None:
            partner = Partner(name=name, kind=new_partner_kind, municipality=municipality)
            partner.full_clean()
            partner.save()
    if DeskPartnership.objects.filter(desk=desk, partner=partner).exists():
        raise ValidationError(
            _("%(partner)s is al partner van dit loket.") % {"partner": partner.name}
        )
    partnership = DeskPartnership(desk=desk, partner=partner, is_core=is_core, note=note)
    partnership.full_clean()
    partnership.save()
    audit_record(actor=actor, action="partnership.add", obj=partnership, desk_id=desk.pk)
    return partnership


@transaction.atomic
def desk_partnership_update(
    *, actor: Any, partnership: DeskPartnership, is_core: bool, note: str = ""
) -> DeskPartnership:
    require_permission(actor, Action.CHANGE, DeskPartnership, obj=partnership)
    with unchanged_on_error(partnership):
        partnership.is_core = is_core
        partnership.note = (note or "").strip()
        partnership.full_clean()
        partnership.save(update_fields=["is_core", "note"])
    audit_record(
        actor=actor, action="partnership.update", obj=partnership, desk_id=partnership.desk_id
    )
    return partnership


@transaction.atomic
def desk_partnership_remove(*, actor: Any, partnership: DeskPartnership) -> None:
    require_permission(actor, Action.DELETE, DeskPartnership, obj=partnership)
    audit_record(
        actor=actor, action="partnership.remove", obj=partnership, desk_id=partnership.desk_id
    )
    partnership.delete()


# -- staff -------------------------------------------------------------------------------------


def _overlapping(membership: StaffMembership) -> bool:
    """Does the person already have a membership at this desk in an overlapping period?"""
    far_future = datetime.date.max
    others = StaffMembership.objects.filter(
        user_id=membership.user_id, desk_id=membership.desk_id
    ).exclude(pk=membership.pk)
    end = membership.end_date or far_future
    return others.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=membership.start_date), start_date__lte=end
    ).exists()


def _managers_left(desk: Desk, *, without: StaffMembership, on: datetime.date) -> int:
    return (
        StaffMembership.objects.active_on(on)
        .filter(desk=desk, role=DeskRole.DESK_MANAGER)
        .exclude(pk=without.pk)
        .count()
    )


def _membership_validate(membership: StaffMembership, *, was_active_manager: bool) -> None:
    membership.full_clean(exclude=["user", "desk"])
    if _overlapping(membership):
        raise ValidationError(
            _(
                "Deze medewerker heeft in deze periode al een lidmaatschap bij dit loket. Pas dat lidmaatschap aan."
            )
        )
    if not was_active_manager:
        return
    # From which day would this person no longer lead the desk? Another desk manager must be
    # active on that day, so a desk is never left without one.
    today = timezone.localdate()
    if membership.role != DeskRole.DESK_MANAGER or not membership.user.is_active:
        stops = today
    elif membership.end_date is not None:
        stops = max(today, membership.end_date + datetime.timedelta(days=1))
    else:
        return
    if _managers_left(membership.desk, without=membership, on=stops) == 0:
        raise ValidationError(
            _(
                "Een loket houdt minstens één actieve projectleider. Wijs eerst een andere projectleider aan."
            )
        )


@transaction.atomic
def staff_membership_create(
    *,
    actor: Any,
    desk: Desk,
    email: str,
    name: str,
    role: str,
    fte: Decimal,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    mother_organisation: Partner | None = None,
    certifications: Iterable[Certification] = (),
    expertise_tags: Iterable[ExpertiseTag] = (),
) -> StaffMembership:
    """Add a person to a desk's team. A new e-mail address gets an account without a password;
    the person sets one with the password-reset link."""
    require_permission(actor, Action.ADD, StaffMembership, desk_id=desk.pk)
    email = (email or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, name=(name or "").strip())
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif not user.name and name:
        user.name = name.strip()
        user.save(update_fields=["name"])
    membership = StaffMembership(
        user=user,
        desk=desk,
        role=role,
        fte=fte,
        start_date=start_date,
        end_date=end_date,
        mother_organisation=mother_organisation,
    )
    _membership_validate(membership, was_active_manager=False)
    membership.save()
    membership.certifications.set(certifications)
    membership.expertise_tags.set(expertise_tags)
    forget_access(user)
    audit_record(
        actor=actor,
        action="membership.create",
        obj=membership,
        desk_id=desk.pk,
        detail={"role": role},
    )
    return membership


MEMBERSHIP_FIELDS = ["role", "fte", "start_date", "end_date", "mother_organisation"]


@transaction.atomic
def staff_membership_update(
    *,
    actor: Any,
    membership: StaffMembership,
    expected_version: int,
    certifications: Iterable[Certification] | None = None,
    expertise_tags: Iterable[ExpertiseTag] | None = None,
    **values: Any,
) -> StaffMembership:
    require_permission(actor, Action.CHANGE, StaffMembership, obj=membership)
    today = timezone.localdate()
    was_active_manager = membership.role == DeskRole.DESK_MANAGER and membership.is_active_on(today)
    if unknown := set(values) - set(MEMBERSHIP_FIELDS):
        raise ValueError(f"Not a membership field: {sorted(unknown)}")
    with unchanged_on_error(membership):
        for name, value in values.items():
            setattr(membership, name, value)
        _membership_validate(membership, was_active_manager=was_active_manager)
        save_versioned(membership, expected_version=expected_version, fields=list(values))
    if certifications is not None:
        membership.certifications.set(certifications)
    if expertise_tags is not None:
        membership.expertise_tags.set(expertise_tags)
    forget_access(membership.user)
    audit_record(
        actor=actor,
        action="membership.update",
        obj=membership,
        desk_id=membership.desk_id,
        detail={"fields": sorted(values)},
    )
    return membership


def staff_membership_end(
    *,
    actor: Any,
    membership: StaffMembership,
    expected_version: int,
    end_date: datetime.date | None = None,
) -> StaffMembership:
    """End a membership (default: today). Access stops the day after ``end_date``."""
    end_date = end_date or timezone.localdate()
    if end_date < membership.start_date:
        raise ValidationError(_("De einddatum kan niet voor de begindatum liggen."))
    return staff_membership_update(
        actor=actor, membership=membership, expected_version=expected_version, end_date=end_date
    )
