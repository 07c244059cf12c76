"""Writes for reporting: the figures a desk manager enters by hand, and the versions of the
counting rules the national team drafts, edits and publishes."""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.guidance.constants import RegistrationStatus
from leerwerk.guidance.models import RegistrationType
from leerwerk.guidance.selectors import vocabulary_in_force
from leerwerk.network.models import Desk
from leerwerk.reporting.constants import Method
from leerwerk.reporting.models import FigureDefinition, ManualValue, RuleSet
from leerwerk.reporting.selectors import COUNTED


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
    # Only codes of published rule sets: a draft's new figure cannot collect values yet.
    if not FigureDefinition.objects.filter(
        code=figure_code, method=Method.MANUAL, ruleset__published_at__isnull=False
    ).exists():
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


# -- the counting rules (national team) ------------------------------------------------------

#: The fields of a figure definition the national team edits (the code is fixed once added).
FIGURE_FIELDS = [
    "section",
    "label",
    "explanation",
    "method",
    "type_codes",
    "statuses",
    "numerator",
    "denominator",
    "combine",
    "unit",
    "sort_order",
]
SECTIONS = ["burgers", "werkgevers", "bereik", "middelen"]
UNITS = ["aantal", "fte", "euro"]
PUBLISHED_ONLY = _lazy("Een gepubliceerde versie verandert niet meer. Maak een nieuwe versie.")


def figure_fingerprint(figure: FigureDefinition) -> str:
    """A short digest of what a figure says now. The edit form carries the digest it was loaded
    with; the service refuses the save when the figure changed in between (optimistic locking
    without a version column)."""
    data = {name: getattr(figure, name) for name in ["code", *FIGURE_FIELDS]}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]


def ruleset_fingerprint(ruleset: RuleSet) -> str:
    """A digest of a whole draft (its figures and notes): publishing checks that nobody changed
    the draft since the publisher looked at it."""
    parts = sorted(figure_fingerprint(f) for f in ruleset.figures.all())
    data = json.dumps([ruleset.notes, parts])
    return hashlib.sha256(data.encode()).hexdigest()[:20]


def _locked_draft(ruleset: RuleSet) -> RuleSet:
    """Lock the rule set's row for the rest of the transaction, so edits, publishing and
    deleting of one draft happen one after the other; refuse when it is published."""
    locked = RuleSet.objects.select_for_update().filter(pk=ruleset.pk).first()
    if locked is None:
        raise ValidationError(_("Dit concept bestaat niet meer."))
    if locked.published_at is not None:
        raise ValidationError(str(PUBLISHED_ONLY))
    return locked


def vocabulary_codes() -> dict[str, str]:
    """The registration types of the vocabulary in force: code → name."""
    version = vocabulary_in_force()
    if version is None:
        return {}
    return dict(
        RegistrationType.objects.filter(version=version)
        .order_by("kind", "sort_order", "name")
        .values_list("code", "name")
    )


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    """Keep only the parameters that mean something for the chosen method."""
    values = dict(values)
    method = values.get("method")
    for name in ("label", "explanation", "numerator", "denominator", "section", "unit"):
        values[name] = (values.get(name) or "").strip()
    values["type_codes"] = sorted(set(values.get("type_codes") or []))
    values["statuses"] = sorted(set(values.get("statuses") or []))
    if method not in COUNTED:
        values["type_codes"], values["statuses"] = [], []
    if method != Method.RATIO:
        values["numerator"], values["denominator"] = "", ""
    return values


def _figure_errors(
    *,
    code: str,
    values: dict[str, Any],
    others: dict[str, FigureDefinition],
    known_types: dict[str, str],
) -> dict[str, list[str]]:
    """The rule errors of one figure among the other figures of its rule set (Dutch)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not values["label"]:
        add("label", _("Vul de naam van het cijfer in."))
    if not values["explanation"]:
        add("explanation", _("Vul de uitleg in. Die staat in elk rapport naast het cijfer."))
    if values["section"] not in SECTIONS:
        add("section", _("Kies een onderdeel van het rapport."))
    if values["unit"] not in UNITS:
        add("unit", _("Kies een eenheid."))
    method = values["method"]
    if method not in Method.values:
        add("method", _("Kies hoe het cijfer wordt berekend."))
    if method in COUNTED:
        if not values["type_codes"]:
            add("type_codes", _("Kies minstens één registratiesoort om te tellen."))
        unknown = [c for c in values["type_codes"] if c not in known_types]
        if unknown:
            add(
                "type_codes",
                _(
                    "Deze registratiesoorten staan niet in de registratielijst die nu geldt: %(codes)s."
                )
                % {"codes": ", ".join(unknown)},
            )
        wrong = [s for s in values["statuses"] if s not in RegistrationStatus.values]
        if wrong:
            add("statuses", _("Onbekende status: %(statuses)s.") % {"statuses": ", ".join(wrong)})
    if method == Method.RATIO:
        for name, label in (("numerator", _("teller")), ("denominator", _("noemer"))):
            ref = values[name]
            if not ref:
                add(name, _("Kies de %(part)s van de deling.") % {"part": label})
            elif ref == code:
                add(name, _("Een cijfer kan niet met zichzelf worden berekend."))
            elif ref not in others:
                add(
                    name,
                    _("Het cijfer %(code)s bestaat niet in deze versie.") % {"code": ref},
                )
            elif others[ref].method == Method.RATIO:
                add(
                    name,
                    _("Een deling kan niet rekenen met een andere deling (%(label)s).")
                    % {"label": others[ref].label},
                )
    return errors


@transaction.atomic
def ruleset_draft(*, actor: Any) -> RuleSet:
    """Start a new version of the counting rules as a copy of the newest one. Only one draft at
    a time; reports never use a draft."""
    require_permission(actor, Action.ADD, RuleSet)
    if RuleSet.objects.filter(published_at__isnull=True).exists():
        raise ValidationError(_("Er is al een concept. Publiceer of verwijder dat eerst."))
    newest = RuleSet.objects.select_for_update().order_by("-number").first()
    draft = RuleSet.objects.create(
        number=(newest.number + 1) if newest else 1,
        effective_from=timezone.localdate(),
        notes="",
    )
    if newest is not None:
        FigureDefinition.objects.bulk_create(
            FigureDefinition(
                ruleset=draft, code=f.code, **{name: getattr(f, name) for name in FIGURE_FIELDS}
            )
            for f in newest.figures.order_by("sort_order", "pk")
        )
    audit_record(
        actor=actor,
        action="ruleset.draft",
        object_type="reporting.ruleset",
        detail={"number": draft.number, "copied_from": newest.number if newest else None},
    )
    return draft


@transaction.atomic
def figure_save(
    *,
    actor: Any,
    ruleset: RuleSet,
    code: str,
    expected_fingerprint: str | None = None,
    **values: Any,
) -> FigureDefinition:
    """Add a figure to a draft (``expected_fingerprint`` None) or change one (with the
    fingerprint it was loaded with: a change made in between gives a conflict)."""
    require_permission(actor, Action.CHANGE, FigureDefinition)
    if unknown := set(values) - set(FIGURE_FIELDS):
        raise ValueError(f"Not a figure field: {sorted(unknown)}")
    ruleset = _locked_draft(ruleset)
    existing = ruleset.figures.filter(code=code).first()
    if existing is None and expected_fingerprint is not None:
        raise ConflictError(
            _("Dit cijfer is intussen verwijderd. Uw wijziging is niet opgeslagen.")
        )
    if existing is not None:
        if expected_fingerprint is None:
            raise ValidationError({"code": _("Deze code bestaat al in deze versie.")})
        if figure_fingerprint(existing) != expected_fingerprint:
            raise ConflictError
    figure = existing or FigureDefinition(ruleset=ruleset, code=code)
    current = {name: getattr(figure, name) for name in FIGURE_FIELDS}
    values = _normalise({**current, **values} if existing else {**_defaults(), **values})
    others = {f.code: f for f in ruleset.figures.exclude(code=code)}
    errors = _figure_errors(code=code, values=values, others=others, known_types=vocabulary_codes())
    users = [f for f in others.values() if code in (f.numerator, f.denominator)]
    if users and values["method"] == Method.RATIO:
        errors.setdefault("method", []).append(
            _("Het cijfer %(label)s rekent met dit cijfer; het kan zelf geen deling zijn.")
            % {"label": users[0].label}
        )
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(figure, name, value)
    figure.full_clean()
    figure.save()
    audit_record(
        actor=actor,
        action="ruleset.figure_save",
        object_type="reporting.figuredefinition",
        detail={"number": ruleset.number, "code": code, "new": existing is None},
    )
    return figure


def _defaults() -> dict[str, Any]:
    return {
        "section": "",
        "label": "",
        "explanation": "",
        "method": "",
        "type_codes": [],
        "statuses": [],
        "numerator": "",
        "denominator": "",
        "combine": FigureDefinition.Combine.SUM,
        "unit": "aantal",
        "sort_order": 0,
    }


@transaction.atomic
def figure_delete(
    *, actor: Any, figure: FigureDefinition, expected_fingerprint: str | None = None
) -> None:
    """Remove a figure from a draft; refused while a ratio of the draft still uses it."""
    require_permission(actor, Action.DELETE, FigureDefinition)
    ruleset = _locked_draft(figure.ruleset)
    current = ruleset.figures.filter(pk=figure.pk).first()
    if current is None:
        return  # deleted meanwhile: the outcome the user wanted
    if expected_fingerprint is not None and figure_fingerprint(current) != expected_fingerprint:
        raise ConflictError
    users = ruleset.figures.filter(Q(numerator=current.code) | Q(denominator=current.code))
    if users.exists():
        raise ValidationError(
            _("Het cijfer %(label)s rekent met dit cijfer. Pas dat cijfer eerst aan.")
            % {"label": users.first().label}  # type: ignore[union-attr]
        )
    current.delete()
    audit_record(
        actor=actor,
        action="ruleset.figure_delete",
        object_type="reporting.figuredefinition",
        detail={"number": ruleset.number, "code": current.code},
    )


@transaction.atomic
def ruleset_publish(
    *,
    actor: Any,
    ruleset: RuleSet,
    effective_from: datetime.date,
    notes: str = "",
    expected_fingerprint: str | None = None,
) -> RuleSet:
    """Publish a draft from ``effective_from`` on (not before the date of the newest published
    version). Every figure is checked again; a published version never changes."""
    require_permission(actor, Action.CHANGE, RuleSet)
    locked = _locked_draft(ruleset)
    if expected_fingerprint is not None and ruleset_fingerprint(locked) != expected_fingerprint:
        raise ConflictError(
            _(
                "Iemand anders heeft het concept intussen gewijzigd. Bekijk de cijfers opnieuw "
                "en publiceer dan."
            )
        )
    previous = (
        RuleSet.objects.filter(published_at__isnull=False).order_by("-effective_from").first()
    )
    if previous is not None and effective_from < previous.effective_from:
        raise ValidationError(
            {
                "effective_from": _(
                    "Kies %(date)s of later: dan gaat versie %(number)s in. Een nieuwe versie "
                    "kan niet eerder ingaan."
                )
                % {"date": previous.effective_from.strftime("%d-%m-%Y"), "number": previous.number}
            }
        )
    figures = {f.code: f for f in locked.figures.all()}
    if not figures:
        raise ValidationError(_("Een versie zonder cijfers kan niet worden gepubliceerd."))
    known_types = vocabulary_codes()
    problems = []
    for code, figure in figures.items():
        values = _normalise({name: getattr(figure, name) for name in FIGURE_FIELDS})
        others = {c: f for c, f in figures.items() if c != code}
        errors = _figure_errors(code=code, values=values, others=others, known_types=known_types)
        problems += [f"{figure.label}: {m}" for messages in errors.values() for m in messages]
    if problems:
        raise ValidationError(problems)
    locked.effective_from = effective_from
    locked.published_at = timezone.now()
    locked.notes = notes.strip()
    locked.save(update_fields=["effective_from", "published_at", "notes"])
    audit_record(
        actor=actor,
        action="ruleset.publish",
        object_type="reporting.ruleset",
        detail={"number": locked.number, "effective_from": effective_from.isoformat()},
    )
    ruleset.refresh_from_db()
    return locked


@transaction.atomic
def ruleset_draft_delete(*, actor: Any, ruleset: RuleSet) -> None:
    """Throw a draft away (published versions stay forever: reports refer to them)."""
    require_permission(actor, Action.DELETE, RuleSet)
    locked = _locked_draft(ruleset)
    audit_record(
        actor=actor,
        action="ruleset.draft_delete",
        object_type="reporting.ruleset",
        detail={"number": locked.number},
    )
    locked.figures.all().delete()
    locked.delete()
