"""Writes for requests, trajectories and registrations.

Channel and referrer of a question are kept from the request onto the trajectory, so both are
reportable. Registrations are typed against the vocabulary version in force on their date and
validated per kind, so the counting rules (issue 4) can rely on them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.clients import services as client_services
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Employer
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action, GlobalRole
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.guidance.constants import (
    TRANSITIONS,
    IntakeChannel,
    QuestionTheme,
    RegistrationKind,
    RegistrationStatus,
    RequestStatus,
    TrajectoryStatus,
)
from leerwerk.guidance.models import (
    IntakeRequest,
    Registration,
    RegistrationType,
    Trajectory,
    VocabularyVersion,
)
from leerwerk.guidance.selectors import vocabulary_in_force
from leerwerk.network.models import Desk, Partner, ServiceLine, StaffMembership
from leerwerk.network.services import normalise_postcode

REQUEST_FIELDS = [
    "theme",
    "description",
    "given_name",
    "family_name",
    "email",
    "phone",
    "postcode",
    "contact_preference",
]


def _request_validate(request: IntakeRequest) -> None:
    request.email = (request.email or "").strip().lower()
    request.phone = (request.phone or "").strip()
    request.postcode = normalise_postcode(request.postcode) if request.postcode else ""
    request.full_clean(exclude=["desk", "client", "referrer_partner", "submitted_by"])
    errors: dict[str, str] = {}
    if request.theme not in QuestionTheme.values:
        errors["theme"] = _("Kies een onderwerp.")
    if request.contact_preference == "phone" and not request.phone:
        errors["phone"] = _("U wilt gebeld worden: vul dan uw telefoonnummer in.")
    if request.contact_preference == "email" and not request.email:
        errors["email"] = _("U wilt een e-mail: vul dan uw e-mailadres in.")
    if not request.email and not request.phone and "email" not in errors:
        errors["email"] = _("Vul een e-mailadres of telefoonnummer in.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def intake_request_submit_public(*, desk: Desk, consent: bool, **values: Any) -> IntakeRequest:
    """The public advice-request form of a desk. Explicit consent to be contacted is required."""
    if not desk.is_published:
        raise ValidationError(_("Dit loket neemt nu geen aanvragen aan."))
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Wij kunnen u alleen helpen als u toestemming geeft om contact op te nemen."
                )
            }
        )
    request = IntakeRequest(
        desk=desk,
        channel=IntakeChannel.WEB_FORM,
        consent_given_at=timezone.now(),
        **{k: v for k, v in values.items() if k in REQUEST_FIELDS},
    )
    _request_validate(request)
    request.save()
    audit_record(
        actor=None,
        action="request.submit",
        obj=request,
        desk_id=desk.pk,
        detail={"channel": "web_form"},
    )
    return request


@transaction.atomic
def intake_request_register(
    *, actor: Any, desk: Desk, channel: str, consent: bool = True, **values: Any
) -> IntakeRequest:
    """A phone, walk-in or e-mail question registered by an adviser."""
    require_permission(actor, Action.ADD, IntakeRequest, desk_id=desk.pk)
    if channel not in (
        IntakeChannel.PHONE,
        IntakeChannel.WALK_IN,
        IntakeChannel.EMAIL,
        IntakeChannel.OTHER,
    ):
        raise ValidationError({"channel": _("Kies telefoon, inloop, e-mail of anders.")})
    request = IntakeRequest(
        desk=desk,
        channel=channel,
        consent_given_at=timezone.now() if consent else None,
        submitted_by=actor,
        **{k: v for k, v in values.items() if k in REQUEST_FIELDS},
    )
    _request_validate(request)
    if channel == IntakeChannel.EMAIL and not request.email:
        raise ValidationError({"email": _("De vraag kwam per e-mail: vul het e-mailadres in.")})
    request.save()
    audit_record(
        actor=actor,
        action="request.register",
        obj=request,
        desk_id=desk.pk,
        detail={"channel": channel},
    )
    return request


@transaction.atomic
def intake_request_refer(
    *,
    actor: Any,
    desk: Desk,
    referrer_name: str,
    referral_reason: str,
    consent: bool,
    partner: Partner | None = None,
    **values: Any,
) -> IntakeRequest:
    """A referral by a partner (by form or API). A partner referrer refers on behalf of their
    own organisation; desk staff may register a referral on behalf of any partner."""
    require_permission(actor, Action.ADD, IntakeRequest, desk_id=desk.pk)
    if getattr(actor, "global_role", "") == GlobalRole.PARTNER_REFERRER:
        if actor.partner_id is None:
            raise PermissionDenied
        partner = actor.partner
    if partner is None:
        raise ValidationError({"referrer_partner": _("Kies de verwijzende organisatie.")})
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Verwijs alleen door als de klant toestemming geeft dat het loket contact opneemt."
                )
            }
        )
    if not (referrer_name or "").strip():
        raise ValidationError({"referrer_name": _("Vul de naam van de verwijzer in.")})
    if not (referral_reason or "").strip():
        raise ValidationError({"referral_reason": _("Vul de reden van de verwijzing in.")})
    request = IntakeRequest(
        desk=desk,
        channel=IntakeChannel.PARTNER_REFERRAL,
        consent_given_at=timezone.now(),
        referrer_partner=partner,
        referrer_name=referrer_name.strip(),
        referral_reason=referral_reason.strip(),
        submitted_by=actor,
        **{k: v for k, v in values.items() if k in REQUEST_FIELDS},
    )
    _request_validate(request)
    request.save()
    audit_record(
        actor=actor,
        action="request.refer",
        obj=request,
        desk_id=desk.pk,
        detail={"partner": str(partner.uuid)},
    )
    return request


@transaction.atomic
def intake_request_accept(
    *,
    actor: Any,
    request: IntakeRequest,
    client: Client | None = None,
    adviser: Any = None,
    service_line: ServiceLine | None = None,
    client_values: dict[str, Any] | None = None,
) -> Trajectory:
    """Take a request into work: link it to an existing client (a suggested match) or create a
    new client from it, and open a trajectory that keeps the request's channel and referrer."""
    require_permission(actor, Action.CHANGE, IntakeRequest, obj=request)
    request = IntakeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.NEW:
        raise ValidationError(_("Deze aanvraag is al behandeld."))
    if client is None:
        values = {
            "given_name": request.given_name,
            "family_name": request.family_name or "-",
            "email": request.email,
            "phone": request.phone,
            "postcode": request.postcode,
            "preferred_channel": request.contact_preference
            if request.contact_preference in ("email", "phone")
            else "email",
            **(client_values or {}),
        }
        client = client_services.client_create(actor=actor, desk=request.desk, **values)
    elif client.desk_id != request.desk_id:
        raise PermissionDenied
    if request.consent_given_at:
        client_services.consent_give(
            actor=actor,
            client=client,
            purpose=ConsentPurpose.CONTACT,
            given_at=request.consent_given_at,
            source=request.get_channel_display(),
        )
    trajectory = trajectory_open(
        actor=actor,
        client=client,
        theme=request.theme,
        channel=request.channel,
        adviser=adviser,
        service_line=service_line,
        referrer_partner=request.referrer_partner,
        intake_request=request,
        opened_on=timezone.localdate(request.created_at),
    )
    request.status = RequestStatus.HANDLED
    request.client = client
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "client", "handled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="request.accept",
        obj=request,
        desk_id=request.desk_id,
        detail={"client": str(client.uuid), "trajectory": str(trajectory.uuid)},
    )
    return trajectory


@transaction.atomic
def intake_request_dismiss(*, actor: Any, request: IntakeRequest) -> IntakeRequest:
    """Close a request without a trajectory (spam, answered at once, double)."""
    require_permission(actor, Action.CHANGE, IntakeRequest, obj=request)
    if request.status != RequestStatus.NEW:
        raise ValidationError(_("Deze aanvraag is al behandeld."))
    request.status = RequestStatus.DISMISSED
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handled_at", "updated_at"])
    audit_record(actor=actor, action="request.dismiss", obj=request, desk_id=request.desk_id)
    return request


# -- trajectories --------------------------------------------------------------------------------


def _check_adviser(desk: Desk, adviser: Any) -> None:
    if adviser is None:
        return
    active = StaffMembership.objects.active_on(timezone.localdate()).filter(desk=desk, user=adviser)
    if not active.exists():
        raise ValidationError({"adviser": _("Kies een adviseur die nu bij dit loket werkt.")})


@transaction.atomic
def trajectory_open(
    *,
    actor: Any,
    client: Client,
    theme: str,
    channel: str,
    adviser: Any = None,
    service_line: ServiceLine | None = None,
    referrer_partner: Partner | None = None,
    intake_request: IntakeRequest | None = None,
    opened_on: datetime.date | None = None,
    follow_up_on: datetime.date | None = None,
) -> Trajectory:
    require_permission(actor, Action.ADD, Trajectory, desk_id=client.desk_id)
    if client.is_erased or client.merged_into_id:
        raise ValidationError(_("Voor deze klant kan geen traject meer worden geopend."))
    _check_adviser(client.desk, adviser)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("Een traject kan niet in de toekomst beginnen.")})
    trajectory = Trajectory(
        desk_id=client.desk_id,
        client=client,
        theme=theme,
        channel=channel,
        adviser=adviser,
        service_line=service_line,
        referrer_partner=referrer_partner,
        intake_request=intake_request,
        opened_on=opened_on,
        follow_up_on=follow_up_on,
    )
    trajectory.full_clean(exclude=["desk", "client", "intake_request"])
    trajectory.save()
    audit_record(actor=actor, action="trajectory.open", obj=trajectory, desk_id=client.desk_id)
    return trajectory


@transaction.atomic
def trajectory_update(
    *,
    actor: Any,
    trajectory: Trajectory,
    expected_version: int,
    **values: Any,
) -> Trajectory:
    """Change theme, service line or the next follow-up date."""
    require_permission(actor, Action.CHANGE, Trajectory, obj=trajectory)
    allowed = {"theme", "service_line", "follow_up_on"}
    if unknown := set(values) - allowed:
        raise ValueError(f"Not changeable here: {sorted(unknown)}")
    with unchanged_on_error(trajectory):
        for name, value in values.items():
            setattr(trajectory, name, value)
        trajectory.full_clean(exclude=["desk", "client", "intake_request"])
        save_versioned(trajectory, expected_version=expected_version, fields=sorted(values))
    audit_record(
        actor=actor,
        action="trajectory.update",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"fields": sorted(values)},
    )
    return trajectory


@transaction.atomic
def trajectory_transition(
    *, actor: Any, trajectory: Trajectory, expected_version: int, to_status: str
) -> Trajectory:
    """Move a trajectory to another state (closing: use ``trajectory_close``)."""
    require_permission(actor, Action.CHANGE, Trajectory, obj=trajectory)
    if to_status == TrajectoryStatus.CLOSED:
        raise ValidationError(_("Sluit een traject af met een uitkomst."))
    if to_status not in TRANSITIONS.get(trajectory.status, set()):
        raise ValidationError(
            _("Een traject met status '%(from)s' kan niet naar '%(to)s'.")
            % {
                "from": TrajectoryStatus(trajectory.status).label,
                "to": TrajectoryStatus(to_status).label
                if to_status in TrajectoryStatus.values
                else to_status,
            }
        )
    previous = trajectory.status
    with unchanged_on_error(trajectory):
        trajectory.status = to_status
        save_versioned(trajectory, expected_version=expected_version, fields=["status"])
    audit_record(
        actor=actor,
        action="trajectory.transition",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"from": previous, "to": to_status},
    )
    return trajectory


@transaction.atomic
def trajectory_assign(
    *, actor: Any, trajectory: Trajectory, expected_version: int, adviser: Any
) -> Trajectory:
    """(Re)assign the adviser. Every reassignment is audited."""
    require_permission(actor, Action.CHANGE, Trajectory, obj=trajectory)
    _check_adviser(trajectory.desk, adviser)
    previous = trajectory.adviser_id
    with unchanged_on_error(trajectory):
        trajectory.adviser = adviser
        save_versioned(trajectory, expected_version=expected_version, fields=["adviser"])
    audit_record(
        actor=actor,
        action="trajectory.assign",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"from_user": previous, "to_user": adviser.pk if adviser else None},
    )
    return trajectory


@transaction.atomic
def trajectory_close(
    *,
    actor: Any,
    trajectory: Trajectory,
    expected_version: int,
    outcome: str,
    outcome_date: datetime.date,
    closed_on: datetime.date | None = None,
) -> Trajectory:
    require_permission(actor, Action.CHANGE, Trajectory, obj=trajectory)
    if TrajectoryStatus.CLOSED not in TRANSITIONS.get(trajectory.status, set()):
        raise ValidationError(_("Dit traject is al afgesloten."))
    closed_on = closed_on or timezone.localdate()
    errors = {}
    if closed_on > timezone.localdate():
        errors["closed_on"] = _("De datum van afsluiten kan niet in de toekomst liggen.")
    if closed_on < trajectory.opened_on:
        errors["closed_on"] = _("Een traject kan niet sluiten voordat het begon.")
    if outcome_date > timezone.localdate():
        errors["outcome_date"] = _("De datum van de uitkomst kan niet in de toekomst liggen.")
    if errors:
        raise ValidationError(errors)
    previous = trajectory.status
    with unchanged_on_error(trajectory):
        trajectory.status = TrajectoryStatus.CLOSED
        trajectory.outcome = outcome
        trajectory.outcome_date = outcome_date
        trajectory.closed_on = closed_on
        trajectory.follow_up_on = None
        trajectory.full_clean(exclude=["desk", "client", "intake_request"])
        save_versioned(
            trajectory,
            expected_version=expected_version,
            fields=["status", "outcome", "outcome_date", "closed_on", "follow_up_on"],
        )
    audit_record(
        actor=actor,
        action="trajectory.close",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"from": previous, "outcome": outcome},
    )
    return trajectory


# -- registrations -------------------------------------------------------------------------------

REGISTRATION_FIELDS = [
    "occurred_on",
    "channel",
    "status",
    "duration_minutes",
    "partner",
    "adviser",
    "note",
]


def _registration_validate(registration: Registration) -> None:
    type_ = registration.type
    registration.kind = type_.kind
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if registration.occurred_on and registration.occurred_on > today:
        errors["occurred_on"] = _(
            "Registreer alleen wat al gebeurd is: de datum ligt in de toekomst."
        )
    if registration.occurred_on:
        in_force = vocabulary_in_force(registration.occurred_on)
        if in_force is None or type_.version_id != in_force.pk:
            errors["type"] = _(
                "Deze registratiesoort hoort niet bij de registratielijst die op die datum gold."
            )
    trajectory = registration.trajectory
    if type_.needs_trajectory and trajectory is None:
        errors["trajectory"] = _("Deze registratie hoort bij een traject.")
    if trajectory is not None:
        if trajectory.desk_id != registration.desk_id:
            raise PermissionDenied
        registration.client = trajectory.client
        if registration.occurred_on and registration.occurred_on < trajectory.opened_on:
            errors["occurred_on"] = _("Deze datum ligt vóór het begin van het traject.")
    if registration.client is not None and registration.client.desk_id != registration.desk_id:
        raise PermissionDenied
    if registration.employer is not None and registration.employer.desk_id != registration.desk_id:
        raise PermissionDenied
    kind = type_.kind
    if kind == RegistrationKind.CONTACT_MOMENT and not registration.channel:
        errors["channel"] = _("Kies het kanaal van het contact.")
    if (
        kind != RegistrationKind.CONTACT_MOMENT
        and registration.status == RegistrationStatus.NO_SHOW
    ):
        errors["status"] = _("'Niet verschenen' kan alleen bij een contactmoment.")
    if kind == RegistrationKind.EMPLOYER_ACTIVITY:
        if registration.employer is None:
            errors["employer"] = _("Kies de werkgever.")
        registration.client = None
        registration.trajectory = None
    elif registration.employer is not None:
        errors["employer"] = _("Alleen een werkgeversactiviteit hoort bij een werkgever.")
    if registration.status != RegistrationStatus.COMPLETED and registration.duration_minutes:
        registration.duration_minutes = None
    if errors:
        raise ValidationError(errors)
    registration.full_clean(
        exclude=["desk", "type", "client", "trajectory", "employer", "partner", "adviser"]
    )


@transaction.atomic
def registration_create(
    *,
    actor: Any,
    desk: Desk,
    type: RegistrationType,
    occurred_on: datetime.date,
    trajectory: Trajectory | None = None,
    client: Client | None = None,
    employer: Employer | None = None,
    **values: Any,
) -> Registration:
    require_permission(actor, Action.ADD, Registration, desk_id=desk.pk)
    if unknown := set(values) - set(REGISTRATION_FIELDS):
        raise ValueError(f"Not a registration field: {sorted(unknown)}")
    if not type.is_active:
        raise ValidationError({"type": _("Deze registratiesoort is niet meer te kiezen.")})
    values.setdefault("adviser", actor if getattr(actor, "is_authenticated", False) else None)
    registration = Registration(
        desk=desk,
        type=type,
        kind=type.kind,
        occurred_on=occurred_on,
        trajectory=trajectory,
        client=client,
        employer=employer,
        **values,
    )
    _registration_validate(registration)
    registration.save()
    audit_record(
        actor=actor,
        action="registration.create",
        obj=registration,
        desk_id=desk.pk,
        detail={"type": type.code},
    )
    return registration


@transaction.atomic
def registration_update(
    *, actor: Any, registration: Registration, expected_version: int, **values: Any
) -> Registration:
    require_permission(actor, Action.CHANGE, Registration, obj=registration)
    if unknown := set(values) - set(REGISTRATION_FIELDS):
        raise ValueError(f"Not a registration field: {sorted(unknown)}")
    with unchanged_on_error(registration):
        for name, value in values.items():
            setattr(registration, name, value)
        _registration_validate(registration)
        save_versioned(
            registration,
            expected_version=expected_version,
            fields=sorted(set(values) | {"duration_minutes"}),
        )
    audit_record(
        actor=actor,
        action="registration.update",
        obj=registration,
        desk_id=registration.desk_id,
        detail={"fields": sorted(values)},
    )
    return registration


@transaction.atomic
def registration_delete(*, actor: Any, registration: Registration) -> None:
    """Remove a registration made in error (desk manager)."""
    require_permission(actor, Action.DELETE, Registration, obj=registration)
    audit_record(
        actor=actor, action="registration.delete", obj=registration, desk_id=registration.desk_id
    )
    registration.delete()


# -- the national vocabulary -----------------------------------------------------------------------

TYPE_FIELDS = ["kind", "name", "description", "needs_trajectory", "is_active", "sort_order"]


@transaction.atomic
def vocabulary_draft_create(*, actor: Any) -> VocabularyVersion:
    """Start a new version as a copy of the newest one. Drafts are invisible to the desks until
    published; published versions never change (old registrations keep their meaning)."""
    require_permission(actor, Action.ADD, VocabularyVersion)
    if VocabularyVersion.objects.filter(published_at__isnull=True).exists():
        raise ValidationError(_("Er is al een concept. Publiceer of verwijder dat eerst."))
    newest = VocabularyVersion.objects.order_by("-number").first()
    draft = VocabularyVersion.objects.create(
        number=(newest.number + 1) if newest else 1,
        effective_from=timezone.localdate(),
        notes="",
    )
    if newest is not None:
        RegistrationType.objects.bulk_create(
            RegistrationType(version=draft, code=t.code, **{f: getattr(t, f) for f in TYPE_FIELDS})
            for t in newest.types.all()
        )
    audit_record(
        actor=actor,
        action="vocabulary.draft",
        obj=None,
        object_type="guidance.vocabularyversion",
        detail={"number": draft.number},
    )
    return draft


def _require_draft(version: VocabularyVersion) -> None:
    if version.published_at is not None:
        raise ValidationError(
            _("Een gepubliceerde versie verandert niet meer. Maak een nieuwe versie.")
        )


@transaction.atomic
def registration_type_save(
    *, actor: Any, version: VocabularyVersion, code: str, **values: Any
) -> RegistrationType:
    """Add a type to a draft version, or change it (by code)."""
    require_permission(actor, Action.CHANGE, RegistrationType)
    _require_draft(version)
    if unknown := set(values) - set(TYPE_FIELDS):
        raise ValueError(f"Not a type field: {sorted(unknown)}")
    type_ = RegistrationType.objects.filter(version=version, code=code).first() or RegistrationType(
        version=version, code=code
    )
    for name, value in values.items():
        setattr(type_, name, value)
    type_.full_clean()
    type_.save()
    audit_record(
        actor=actor,
        action="vocabulary.type_save",
        obj=None,
        object_type="guidance.registrationtype",
        detail={"version": version.number, "code": code},
    )
    return type_


@transaction.atomic
def vocabulary_publish(
    *, actor: Any, version: VocabularyVersion, effective_from: datetime.date, notes: str = ""
) -> VocabularyVersion:
    """Publish a draft from ``effective_from`` on. Registrations dated from then on use it."""
    require_permission(actor, Action.CHANGE, VocabularyVersion)
    _require_draft(version)
    previous = (
        VocabularyVersion.objects.filter(published_at__isnull=False)
        .order_by("-effective_from")
        .first()
    )
    if previous is not None and effective_from <= previous.effective_from:
        raise ValidationError(
            {
                "effective_from": _(
                    "Kies een datum na %(date)s, de ingangsdatum van de vorige versie."
                )
                % {"date": previous.effective_from.strftime("%d-%m-%Y")}
            }
        )
    if not version.types.filter(is_active=True).exists():
        raise ValidationError(
            _("Een versie zonder registratiesoorten kan niet worden gepubliceerd.")
        )
    version.effective_from = effective_from
    version.published_at = timezone.now()
    version.notes = notes
    version.save(update_fields=["effective_from", "published_at", "notes"])
    audit_record(
        actor=actor,
        action="vocabulary.publish",
        obj=None,
        object_type="guidance.vocabularyversion",
        detail={"number": version.number, "effective_from": effective_from.isoformat()},
    )
    return version


@transaction.atomic
def vocabulary_draft_delete(*, actor: Any, version: VocabularyVersion) -> None:
    require_permission(actor, Action.DELETE, VocabularyVersion)
    _require_draft(version)
    audit_record(
        actor=actor,
        action="vocabulary.draft_delete",
        obj=None,
        object_type="guidance.vocabularyversion",
        detail={"number": version.number},
    )
    version.types.all().delete()
    version.delete()
