"""Writes of catalogue search: an adviser saves an offer to a client's trajectory (and removes
it again). Keyword-only, one transaction, the policy checked, audited (a saved offer is part of
the client's file)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from leerwerk.catalogue.models import Offer, SavedOffer
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import require_permission
from leerwerk.guidance.constants import OPEN_STATUSES
from leerwerk.guidance.models import Trajectory

MAX_NOTE = 250


def saved_offer_add(
    *, actor: Any, trajectory: Trajectory, offer: Offer, note: str = ""
) -> SavedOffer:
    """Save ``offer`` to ``trajectory`` at the trajectory's desk. Only open trajectories; the
    same offer once per trajectory."""
    require_permission(actor, Action.ADD, SavedOffer, desk_id=trajectory.desk_id)
    if trajectory.status not in OPEN_STATUSES:
        raise ValidationError(
            {"trajectory": _("Dit traject is afgesloten. Kies een open traject.")}
        )
    if not offer.is_active:
        raise ValidationError({"offer": _("Deze opleiding wordt niet meer aangeboden.")})
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": _("De toelichting is te lang (hooguit %(max)s tekens).") % {"max": MAX_NOTE}}
        )
    try:
        with transaction.atomic():
            saved = SavedOffer.objects.create(
                desk_id=trajectory.desk_id,
                trajectory=trajectory,
                offer=offer,
                note=note,
                saved_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"offer": _("Deze opleiding is al bewaard bij dit traject.")}
        ) from None
    audit_record(
        actor=actor,
        action="saved_offer.add",
        obj=saved,
        desk_id=trajectory.desk_id,
        detail={"trajectory": str(trajectory.uuid), "offer": str(offer.uuid)},
    )
    return saved


def saved_offer_remove(*, actor: Any, saved: SavedOffer) -> None:
    require_permission(actor, Action.DELETE, SavedOffer, obj=saved)
    with transaction.atomic():
        saved.delete()
    audit_record(
        actor=actor,
        action="saved_offer.remove",
        object_type="catalogue.savedoffer",
        desk_id=saved.desk_id,
        detail={"trajectory_id": saved.trajectory_id, "offer": str(saved.offer.uuid)},
    )
