"""Data-subject services: merge two records of the same person, and export everything about a
client (JSON and a readable PDF).

Like every service they check the actor's permission with the client policy (so the national
team and other desks are refused), work in one transaction and leave an audit event.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerwerk.clients.constants import ContactChannel, EducationLevel, Situation
from leerwerk.clients.models import Client, Consent
from leerwerk.clients.services import require_client_or_subject
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import require_permission

MERGED_NAME = "Samengevoegd"

# Fields of ``keep`` that are filled from the duplicate when they are empty on ``keep``.
_FILL_WHEN_EMPTY = ["email", "phone", "birth_year", "postcode", "municipality", "language_needs"]
# Choice fields whose default means "not known": a known value on the duplicate wins.
_FILL_WHEN_UNKNOWN = {
    "situation": Situation.OTHER,
    "education_level": EducationLevel.UNKNOWN,
}
# Yes/no facts: once known to be true for this person, they stay true.
_FILL_WHEN_TRUE = ["diploma_obtained", "has_startkwalificatie"]
_EMPTY_FAMILY_NAMES = {"", "-"}  # intake_request_accept writes "-" when the request had none


# -- merge ---------------------------------------------------------------------------------------


@transaction.atomic
def client_merge(*, actor: Any, keep: Client, duplicate: Client) -> Client:
    """Merge ``duplicate`` into ``keep``: two records of one person at one desk become one.

    Everything of the duplicate moves to ``keep`` (trajectories, registrations, requests,
    consents); empty fields of ``keep`` are filled from the duplicate. The duplicate stays as an
    anonymised stub pointing to ``keep`` (``merged_into``), so links to it can be followed and
    nothing is counted twice. Both records get a new version: someone editing either of them
    meanwhile gets a conflict instead of overwriting the merge.
    """
    require_permission(actor, Action.CHANGE, Client, obj=keep)
    require_permission(actor, Action.CHANGE, Client, obj=duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Een klant kan niet met zichzelf worden samengevoegd."))
    if keep.desk_id != duplicate.desk_id:
        raise ValidationError(_("Alleen klanten van hetzelfde loket kunnen worden samengevoegd."))
    locked = {
        c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    }
    keep_now, dup_now = locked[keep.pk], locked[duplicate.pk]
    for client in (keep_now, dup_now):
        if client.is_erased:
            raise ValidationError(_("Een geanonimiseerde klant kan niet worden samengevoegd."))
        if client.merged_into_id:
            raise ValidationError(_("Deze klant is al samengevoegd met een andere klant."))

    from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory

    moved = {
        "trajectories": Trajectory.objects.filter(client=dup_now).update(client=keep_now),
        "registrations": Registration.objects.filter(client=dup_now).update(client=keep_now),
        "intake_requests": IntakeRequest.objects.filter(client=dup_now).update(client=keep_now),
        "consents": _merge_consents(keep_now, dup_now),
    }

    changed = _fill_empty_fields(keep_now, dup_now)
    keep_now.target_groups.add(*dup_now.target_groups.all())
    now = timezone.now()
    Client.objects.filter(pk=keep_now.pk).update(
        **{name: getattr(keep_now, name) for name in changed},
        version=keep_now.version + 1,
        updated_at=now,
    )
    Client.objects.filter(pk=dup_now.pk).update(
        given_name=MERGED_NAME,
        family_name="",
        email="",
        phone="",
        postcode="",
        municipality=None,
        birth_year=None,
        notes="",
        language_needs="",
        merged_into=keep_now,
        version=dup_now.version + 1,
        updated_at=now,
    )
    dup_now.target_groups.clear()
    audit_record(
        actor=actor,
        action="client.merge",
        obj=keep_now,
        desk_id=keep_now.desk_id,
        detail={
            "keep": str(keep_now.uuid),
            "duplicate": str(dup_now.uuid),
            "moved": moved,
            "filled": sorted(changed),
        },
    )
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    return keep


def _fill_empty_fields(keep: Client, duplicate: Client) -> set[str]:
    changed: set[str] = set()
    for name in _FILL_WHEN_EMPTY:
        if getattr(keep, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(keep, name, getattr(duplicate, name))
            changed.add(name)
    if "postcode" in changed:  # the municipality belongs to the postcode
        keep.municipality_id = duplicate.municipality_id
        changed.add("municipality")
    for name, unknown in _FILL_WHEN_UNKNOWN.items():
        if getattr(keep, name) == unknown and getattr(duplicate, name) != unknown:
            setattr(keep, name, getattr(duplicate, name))
            changed.add(name)
    for name in _FILL_WHEN_TRUE:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, True)
            changed.add(name)
    if keep.family_name.strip() in _EMPTY_FAMILY_NAMES and duplicate.family_name.strip():
        keep.family_name = duplicate.family_name
        changed.add("family_name")
    if duplicate.notes.strip():
        # Notes are never dropped: the duplicate's notes are added below those of ``keep``.
        heading = _("Notities van de samengevoegde klant:")
        keep.notes = (
            f"{keep.notes.rstrip()}\n\n{heading}\n{duplicate.notes.strip()}"
            if keep.notes.strip()
            else duplicate.notes
        )
        changed.add("notes")
    if keep.preferred_channel == ContactChannel.EMAIL and not keep.email:
        keep.preferred_channel = duplicate.preferred_channel
        changed.add("preferred_channel")
    return changed


def _merge_consents(keep: Client, duplicate: Client) -> int:
    """Move the duplicate's consents to ``keep``; returns how many moved.

    Per purpose one consent can be current. When both records hold a current consent for the
    same purpose, the one given first is kept (the person agreed since then) and the later one
    is removed. A withdrawal on one record after a consent on the other was given is the
    person's latest word: that consent counts as withdrawn from then on.
    """
    by_purpose: dict[str, list[Consent]] = {}
    for consent in Consent.objects.filter(client__in=[keep, duplicate]).order_by("given_at"):
        by_purpose.setdefault(consent.purpose, []).append(consent)
    for items in by_purpose.values():
        current = [c for c in items if c.withdrawn_at is None]
        withdrawals = [c.withdrawn_at for c in items if c.withdrawn_at is not None]
        last_withdrawal = max(withdrawals) if withdrawals else None
        if last_withdrawal is not None:
            stale = [c.pk for c in current if c.given_at < last_withdrawal]
            Consent.objects.filter(pk__in=stale).update(withdrawn_at=last_withdrawal)
            current = [c for c in current if c.given_at >= last_withdrawal]
        Consent.objects.filter(pk__in=[c.pk for c in current[1:]]).delete()
    return Consent.objects.filter(client=duplicate).update(client=keep)


# -- export --------------------------------------------------------------------------------------


def client_export(*, actor: Any, client: Client) -> dict[str, Any]:
    """Everything the platform holds about this client, as JSON-serialisable data."""
    data = _export_data(actor, client)
    audit_record(
        actor=actor,
        action="client.export",
        obj=client,
        desk_id=client.desk_id,
        detail={"format": "json", **getattr(actor, "audit_detail", {})},
    )
    return _jsonable(data)


def client_export_pdf(*, actor: Any, client: Client) -> bytes:
    """The same as ``client_export`` as a readable PDF in Dutch ("Overzicht van uw gegevens")."""
    from weasyprint import HTML

    data = _export_data(actor, client)
    with translation.override("nl"):
        html = render_to_string("clients/export.html", {"export": data})
    pdf = HTML(string=html).write_pdf()
    audit_record(
        actor=actor,
        action="client.export",
        obj=client,
        desk_id=client.desk_id,
        detail={"format": "pdf", **getattr(actor, "audit_detail", {})},
    )
    return pdf


def client_export_html(*, actor: Any, client: Client) -> str:
    """The HTML the PDF is made from (for tests and previews); audited like an export."""
    data = _export_data(actor, client)
    audit_record(
        actor=actor,
        action="client.export",
        obj=client,
        desk_id=client.desk_id,
        detail={"format": "html", **getattr(actor, "audit_detail", {})},
    )
    with translation.override("nl"):
        return render_to_string("clients/export.html", {"export": data})


def _export_data(actor: Any, client: Client) -> dict[str, Any]:
    require_client_or_subject(actor, Action.VIEW, client)  # staff, or the client themselves
    from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory

    client = (
        Client.objects.select_related("desk", "municipality")
        .prefetch_related("target_groups")
        .get(pk=client.pk)
    )
    consents = Consent.objects.filter(client=client).order_by("purpose", "given_at")
    requests = (
        IntakeRequest.objects.filter(client=client)
        .select_related("referrer_partner")
        .order_by("created_at")
    )
    trajectories = (
        Trajectory.objects.filter(client=client)
        .select_related("adviser", "service_line", "referrer_partner")
        .order_by("opened_on", "created_at")
    )
    registrations = (
        Registration.objects.filter(client=client)
        .select_related("type", "trajectory", "adviser", "partner")
        .order_by("occurred_on", "created_at")
    )
    return {
        "title": "Overzicht van uw gegevens",
        "created_at": timezone.localtime(),
        "desk": {"name": client.desk.display_name, "email": client.desk.email},
        "client": {
            "uuid": client.uuid,
            "given_name": client.given_name,
            "family_name": client.family_name,
            "email": client.email,
            "phone": client.phone,
            "preferred_channel": client.preferred_channel,
            "preferred_channel_label": client.get_preferred_channel_display(),
            "birth_year": client.birth_year,
            "postcode": client.postcode,
            "municipality": client.municipality.name if client.municipality else "",
            "situation": client.situation,
            "situation_label": client.get_situation_display(),
            "education_level": client.education_level,
            "education_level_label": client.get_education_level_display(),
            "diploma_obtained": client.diploma_obtained,
            "has_startkwalificatie": client.has_startkwalificatie,
            "language_needs": client.language_needs,
            "notes": client.notes,
            "created_at": client.created_at,
            "updated_at": client.updated_at,
            "erased_at": client.erased_at,
        },
        "target_groups": [group.name for group in client.target_groups.all()],
        "consents": [
            {
                "purpose": consent.purpose,
                "purpose_label": consent.get_purpose_display(),
                "given_at": consent.given_at,
                "withdrawn_at": consent.withdrawn_at,
                "follow_up_after_months": consent.follow_up_after_months,
                "source": consent.source,
            }
            for consent in consents
        ],
        "requests": [
            {
                "uuid": request.uuid,
                "submitted_at": request.created_at,
                "channel": request.channel,
                "channel_label": request.get_channel_display(),
                "theme": request.theme,
                "theme_label": request.get_theme_display(),
                "description": request.description,
                "given_name": request.given_name,
                "family_name": request.family_name,
                "email": request.email,
                "phone": request.phone,
                "postcode": request.postcode,
                "contact_preference": request.contact_preference,
                "consent_given_at": request.consent_given_at,
                "referrer": request.referrer_partner.name if request.referrer_partner else "",
                "referrer_name": request.referrer_name,
                "referral_reason": request.referral_reason,
                "status": request.status,
                "status_label": request.get_status_display(),
            }
            for request in requests
        ],
        "trajectories": [
            {
                "uuid": trajectory.uuid,
                "theme": trajectory.theme,
                "theme_label": trajectory.get_theme_display(),
                "status": trajectory.status,
                "status_label": trajectory.get_status_display(),
                "channel": trajectory.channel,
                "channel_label": trajectory.get_channel_display(),
                "referrer": trajectory.referrer_partner.name if trajectory.referrer_partner else "",
                "service_line": trajectory.service_line.name if trajectory.service_line else "",
                "adviser": trajectory.adviser.name if trajectory.adviser else "",
                "opened_on": trajectory.opened_on,
                "follow_up_on": trajectory.follow_up_on,
                "closed_on": trajectory.closed_on,
                "outcome": trajectory.outcome,
                "outcome_label": trajectory.get_outcome_display() if trajectory.outcome else "",
                "outcome_date": trajectory.outcome_date,
            }
            for trajectory in trajectories
        ],
        "registrations": [
            {
                "uuid": registration.uuid,
                "kind": registration.kind,
                "kind_label": registration.get_kind_display(),
                "type": registration.type.code,
                "type_label": registration.type.name,
                "occurred_on": registration.occurred_on,
                "channel": registration.channel,
                "channel_label": registration.get_channel_display() if registration.channel else "",
                "status": registration.status,
                "status_label": registration.get_status_display(),
                "duration_minutes": registration.duration_minutes,
                "trajectory": registration.trajectory.uuid if registration.trajectory else None,
                "trajectory_label": registration.trajectory.get_theme_display()
                if registration.trajectory
                else "",
                "partner": registration.partner.name if registration.partner else "",
                "adviser": registration.adviser.name if registration.adviser else "",
                "note": registration.note,
            }
            for registration in registrations
        ],
        **_export_elsewhere(client),
    }


def _export_elsewhere(client: Client) -> dict[str, Any]:
    """What other apps hold about the client (agenda, funding, catalogue, portal, dossier)."""
    from leerwerk.agenda.models import Appointment
    from leerwerk.catalogue.models import SavedOffer
    from leerwerk.dossier.services import dossier_export_for_client
    from leerwerk.funding.models import FundingAdvice
    from leerwerk.mijn.selectors import mijn_export_for_client
    from leerwerk.portal.models import SelfTestShare

    return {
        "appointments": [
            {
                "uuid": appointment.uuid,
                "starts_at": appointment.slot.starts_at,
                "status": appointment.status,
                "given_name": appointment.given_name,
                "family_name": appointment.family_name,
                "email": appointment.email,
                "phone": appointment.phone,
                "question": appointment.question,
            }
            for appointment in Appointment.objects.filter(client=client)
            .select_related("slot")
            .order_by("slot__starts_at")
        ],
        "funding_advice": [
            {
                "uuid": advice.uuid,
                "evaluated_on": advice.evaluated_on,
                "situation": advice.situation,
                "training": advice.training,
                "results": advice.results,
                "note": advice.note,
            }
            for advice in FundingAdvice.objects.filter(trajectory__client=client).order_by(
                "created_at"
            )
        ],
        "saved_offers": [
            {"offer": saved.offer.title, "note": saved.note, "saved_at": saved.saved_at}
            for saved in SavedOffer.objects.filter(trajectory__client=client)
            .select_related("offer")
            .order_by("saved_at")
        ],
        "self_tests": [
            {"uuid": share.uuid, "result": share.result}
            for share in SelfTestShare.objects.filter(trajectory__client=client).order_by(
                "created_at"
            )
        ],
        "mijn_leerwerkloket": mijn_export_for_client(client),
        **dossier_export_for_client(client),  # messages and development plans
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
