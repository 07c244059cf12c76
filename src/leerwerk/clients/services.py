"""Writes for clients, employers and consent. Every service checks the actor's permission with
the model's policy, validates, writes in one transaction and leaves an audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.clients.constants import BIRTH_YEAR_MIN, ConsentPurpose
from leerwerk.clients.models import (
    Client,
    Consent,
    Employer,
    EmployerContactPerson,
    TargetGroup,
)
from leerwerk.clients.selectors import canonical_phone
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.network.models import Desk
from leerwerk.network.services import municipality_for_postcode, normalise_postcode

ERASED_NAME = "Geanonimiseerd"

CLIENT_FIELDS = [
    "given_name",
    "family_name",
    "email",
    "phone",
    "preferred_channel",
    "birth_year",
    "postcode",
    "municipality",
    "situation",
    "education_level",
    "diploma_obtained",
    "has_startkwalificatie",
    "language_needs",
    "notes",
]


def _client_validate(client: Client) -> None:
    client.email = (client.email or "").strip().lower()
    client.phone = (client.phone or "").strip()
    client.given_name = (client.given_name or "").strip()
    client.family_name = (client.family_name or "").strip()
    if client.postcode:
        client.postcode = normalise_postcode(client.postcode)
    client.full_clean(exclude=["desk", "merged_into"])
    client.phone = canonical_phone(client.phone)  # validated above; stored as digits
    errors: dict[str, str] = {}
    this_year = timezone.localdate().year
    if client.birth_year is not None and not BIRTH_YEAR_MIN <= client.birth_year <= this_year:
        errors["birth_year"] = _("Vul een geboortejaar in tussen %(min)s en %(max)s.") % {
            "min": BIRTH_YEAR_MIN,
            "max": this_year,
        }
    if client.postcode:
        municipality = municipality_for_postcode(client.postcode)
        if municipality is None:
            errors["postcode"] = _("Deze postcode kennen we niet. Controleer de postcode.")
        else:
            client.municipality = municipality
    if not client.email and not client.phone and client.preferred_channel != "post":
        errors["email"] = _(
            "Vul een e-mailadres of telefoonnummer in, zodat we contact kunnen opnemen."
        )
    if client.preferred_channel == "email" and not client.email and "email" not in errors:
        errors["email"] = _("U koos voor contact via e-mail: vul dan een e-mailadres in.")
    if client.preferred_channel == "phone" and not client.phone:
        errors["phone"] = _("U koos voor contact via telefoon: vul dan een telefoonnummer in.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def client_create(
    *, actor: Any, desk: Desk, target_groups: Iterable[TargetGroup] = (), **values: Any
) -> Client:
    require_permission(actor, Action.ADD, Client, desk_id=desk.pk)
    if unknown := set(values) - set(CLIENT_FIELDS):
        raise ValueError(f"Not a client field: {sorted(unknown)}")
    client = Client(desk=desk, **values)
    _client_validate(client)
    client.save()
    client.target_groups.set(target_groups)
    audit_record(actor=actor, action="client.create", obj=client, desk_id=desk.pk)
    return client


@transaction.atomic
def client_update(
    *,
    actor: Any,
    client: Client,
    expected_version: int,
    target_groups: Iterable[TargetGroup] | None = None,
    **values: Any,
) -> Client:
    require_permission(actor, Action.CHANGE, Client, obj=client)
    if client.is_erased:
        raise ValidationError(_("Deze klant is geanonimiseerd en kan niet meer worden gewijzigd."))
    if unknown := set(values) - set(CLIENT_FIELDS):
        raise ValueError(f"Not a client field: {sorted(unknown)}")
    with unchanged_on_error(client):
        for name, value in values.items():
            setattr(client, name, value)
        _client_validate(client)
        fields = sorted(
            set(values)
            | {"email", "phone", "given_name", "family_name", "postcode", "municipality"}
        )
        save_versioned(client, expected_version=expected_version, fields=fields)
    if target_groups is not None:
        client.target_groups.set(target_groups)
    audit_record(
        actor=actor,
        action="client.update",
        obj=client,
        desk_id=client.desk_id,
        detail={"fields": sorted(values)},
    )
    return client


# -- consent -----------------------------------------------------------------------------------


def require_client_or_subject(actor: Any, action: str, client: Client) -> dict[str, Any]:
    """Staff through the client policy; or the person themselves: an actor with
    ``represents_client(client)`` (a Mijn Leerwerkloket account linked to this file) may read the
    export and give or withdraw consent. Returns what the audit event adds about the actor."""
    represents = getattr(actor, "represents_client", None)
    if callable(represents):
        if not represents(client):
            raise PermissionDenied
        return dict(getattr(actor, "audit_detail", {"by": "client"}))
    require_permission(actor, action, Client, obj=client)
    return {}


@transaction.atomic
def consent_give(
    *,
    actor: Any,
    client: Client,
    purpose: str,
    follow_up_after_months: int | None = None,
    source: str = "",
    given_at: Any = None,
) -> Consent:
    """Record consent for ``purpose``. Giving it again while it holds changes nothing.
    ``actor`` is desk staff or the client themselves (``require_client_or_subject``)."""
    by = require_client_or_subject(actor, Action.CHANGE, client)
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": _("Kies een geldig doel.")})
    if purpose == ConsentPurpose.FOLLOW_UP and not follow_up_after_months:
        raise ValidationError(
            {
                "follow_up_after_months": _(
                    "Kies na hoeveel maanden we opnieuw contact mogen opnemen."
                )
            }
        )
    current = Consent.objects.current().filter(client=client, purpose=purpose).first()
    if current is not None:
        return current
    consent = Consent(
        client=client,
        purpose=purpose,
        given_at=given_at or timezone.now(),
        follow_up_after_months=follow_up_after_months
        if purpose == ConsentPurpose.FOLLOW_UP
        else None,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action="consent.give",
        obj=client,
        desk_id=client.desk_id,
        detail={"purpose": purpose, **by},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, client: Client, purpose: str) -> Consent | None:
    """Withdraw consent for ``purpose`` now. Every check reads current consent, so this takes
    effect immediately everywhere (``selectors.has_consent``). ``actor`` is desk staff or the
    client themselves."""
    by = require_client_or_subject(actor, Action.CHANGE, client)
    current = (
        Consent.objects.current().select_for_update().filter(client=client, purpose=purpose).first()
    )
    if current is None:
        return None
    current.withdrawn_at = timezone.now()
    current.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action="consent.withdraw",
        obj=client,
        desk_id=client.desk_id,
        detail={"purpose": purpose, **by},
    )
    return current


# -- employers ---------------------------------------------------------------------------------

EMPLOYER_FIELDS = ["name", "kvk_number", "sector", "size_class", "municipality", "notes"]


def _employer_validate(employer: Employer) -> None:
    employer.name = (employer.name or "").strip()
    employer.kvk_number = "".join((employer.kvk_number or "").split())
    employer.full_clean(exclude=["desk"])
    # full_clean skips constraints on an excluded field (desk), so "one KvK number per desk"
    # is checked here; without it a duplicate reached the database as an IntegrityError.
    if (
        employer.kvk_number
        and Employer.objects.filter(desk_id=employer.desk_id, kvk_number=employer.kvk_number)
        .exclude(pk=employer.pk)
        .exists()
    ):
        raise ValidationError(
            {"kvk_number": _("Deze werkgever (KvK-nummer) staat al in het systeem.")}
        )


@transaction.atomic
def employer_create(*, actor: Any, desk: Desk, **values: Any) -> Employer:
    require_permission(actor, Action.ADD, Employer, desk_id=desk.pk)
    if unknown := set(values) - set(EMPLOYER_FIELDS):
        raise ValueError(f"Not an employer field: {sorted(unknown)}")
    employer = Employer(desk=desk, **values)
    _employer_validate(employer)
    employer.save()
    audit_record(actor=actor, action="employer.create", obj=employer, desk_id=desk.pk)
    return employer


@transaction.atomic
def employer_update(
    *, actor: Any, employer: Employer, expected_version: int, **values: Any
) -> Employer:
    require_permission(actor, Action.CHANGE, Employer, obj=employer)
    if unknown := set(values) - set(EMPLOYER_FIELDS):
        raise ValueError(f"Not an employer field: {sorted(unknown)}")
    with unchanged_on_error(employer):
        for name, value in values.items():
            setattr(employer, name, value)
        _employer_validate(employer)
        save_versioned(
            employer,
            expected_version=expected_version,
            fields=sorted(set(values) | {"name", "kvk_number"}),
        )
    audit_record(actor=actor, action="employer.update", obj=employer, desk_id=employer.desk_id)
    return employer


@transaction.atomic
def employer_contact_person_add(
    *, actor: Any, employer: Employer, name: str, role: str = "", email: str = "", phone: str = ""
) -> EmployerContactPerson:
    require_permission(actor, Action.CHANGE, Employer, obj=employer)
    person = EmployerContactPerson(
        employer=employer,
        name=name.strip(),
        role=role.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
    )
    person.full_clean()
    if not person.email and not person.phone:
        raise ValidationError(
            {"email": _("Vul een e-mailadres of telefoonnummer van de contactpersoon in.")}
        )
    person.save()
    audit_record(
        actor=actor, action="employer.contact_person.add", obj=employer, desk_id=employer.desk_id
    )
    return person


# -- data-subject rights -------------------------------------------------------------------------


@transaction.atomic
def client_erase(*, actor: Any, client: Client) -> Client:
    """Anonymise a client in place: personal details go, the rows that reports count stay.

    Kept: desk, municipality of residence, situation, target groups and education (needed to
    split the figures), and every trajectory and registration (with notes cleared). Removed:
    names, contact details, postcode, year of birth, notes, language needs; consents are
    withdrawn; the intake requests lose their personal details.
    """
    require_permission(actor, Action.DELETE, Client, obj=client)
    if client.is_erased:
        return client
    now = timezone.now()
    Client.objects.filter(pk=client.pk).update(
        given_name=ERASED_NAME,
        family_name="",
        email="",
        phone="",
        postcode="",
        birth_year=None,
        notes="",
        language_needs="",
        erased_at=now,
        updated_at=now,
    )
    Consent.objects.current().filter(client=client).update(withdrawn_at=now)
    from leerwerk.guidance.models import IntakeRequest, Registration

    IntakeRequest.objects.filter(client=client).update(
        given_name=ERASED_NAME,
        family_name="",
        email="",
        phone="",
        postcode="",
        description="",
        referral_reason="",
        referrer_name="",
    )
    Registration.objects.filter(client=client).update(note="")
    _erase_elsewhere(client, erased_name=ERASED_NAME)
    client.refresh_from_db()
    audit_record(actor=actor, action="client.erase", obj=client, desk_id=client.desk_id)
    return client


def _erase_elsewhere(client: Client, *, erased_name: str) -> None:
    """What other apps hold about the client: appointments (agenda), saved funding advice
    (funding), self-test results shared with the adviser (portal), notes on saved training
    offers (catalogue). Called explicitly by ``client_erase``, in its transaction."""
    from leerwerk.agenda.models import Appointment
    from leerwerk.catalogue.models import SavedOffer
    from leerwerk.dossier.services import dossier_anonymise_for_client
    from leerwerk.funding.services import funding_advice_anonymise_for_client
    from leerwerk.mijn.services import mijn_erase_for_client
    from leerwerk.portal.models import SelfTestShare

    Appointment.objects.filter(client=client).update(
        given_name=erased_name, family_name="", email="", phone="", question=""
    )
    funding_advice_anonymise_for_client(client=client)
    SelfTestShare.objects.filter(trajectory__client=client).delete()
    SavedOffer.objects.filter(trajectory__client=client).update(note="")
    dossier_anonymise_for_client(client=client)  # message and plan texts; rows stay
    mijn_erase_for_client(client=client)  # account links go, open erasure requests are done
