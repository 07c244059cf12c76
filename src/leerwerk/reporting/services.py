"""Writes for reporting: the figures a desk manager enters by hand."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.network.models import Desk
from leerwerk.reporting.constants import Method
from leerwerk.reporting.models import FigureDefinition, ManualValue


@transaction.atomic
def manual_value_set(
    *,
    actor: Any,
    desk: Desk,
    figure_code: str,
    year: int,
    half: int,
    value: Decimal | str,
    note: str = "",
    expected_version: int | None = None,
) -> ManualValue:
    """Enter or change a hand-entered figure for one half-year of one desk.

    Only figures that the counting rules mark as "entered by hand" can be set; a change of an
    existing value needs the version it was loaded with (no silent overwrite)."""
    require_permission(actor, Action.CHANGE, ManualValue, desk_id=desk.pk)
    if not FigureDefinition.objects.filter(code=figure_code, method=Method.MANUAL).exists():
        raise ValidationError({"figure_code": _("Dit cijfer wordt niet met de hand ingevoerd.")})
    try:
        amount = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("Vul een getal in.")}) from None
    today = timezone.localdate()
    if (year, half) > (today.year, 1 if today.month <= 6 else 2):
        raise ValidationError(
            {"year": _("Een halfjaar in de toekomst kan nog niet worden ingevuld.")}
        )
    existing = ManualValue.objects.filter(
        desk=desk, figure_code=figure_code, year=year, half=half
    ).first()
    if existing is None:
        manual = ManualValue(
            desk=desk,
            figure_code=figure_code,
            year=year,
            half=half,
            value=amount,
            note=note.strip(),
            entered_by=actor,
        )
        manual.full_clean()
        manual.save()
    else:
        manual = existing
        with unchanged_on_error(manual):
            manual.value, manual.note, manual.entered_by = amount, note.strip(), actor
            manual.full_clean()
            save_versioned(
                manual,
                expected_version=expected_version if expected_version is not None else -1,
                fields=["value", "note", "entered_by"],
            )
    audit_record(
        actor=actor,
        action="manual_value.set",
        obj=manual,
        desk_id=desk.pk,
        detail={"figure": figure_code, "year": year, "half": half},
    )
    return manual
