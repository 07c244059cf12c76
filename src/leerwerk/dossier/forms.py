"""Forms of the staff pages: the plan, its steps (a formset, one row per step) and the reply
to a client. They parse and shape input; the rules live in ``leerwerk.dossier.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerwerk.dossier.constants import (
    AGREEMENTS_MAX,
    GOAL_MAX,
    MAX_STEPS,
    MESSAGE_MAX,
    SITUATION_MAX,
    STEP_ACTION_MAX,
    TITLE_MAX,
    StepOwner,
)
from leerwerk.network.forms import DateInput, StyledForm, style_widgets

# Django fills in the limit and the length (MaxLengthValidator's parameters).
_TOO_LONG = _("Dit is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d).")
_DATE_ERROR = _("Vul een datum in zoals 31-12-2026.")


class PlanForm(StyledForm):
    # No "required" attribute: the design system would show an empty required textarea as
    # invalid before anything was typed. Optional fields say "(niet verplicht)"; errors come
    # from the server with aria-invalid.
    use_required_attribute = False

    title = forms.CharField(
        label=_("Titel"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Geef het plan een titel."), "max_length": _TOO_LONG},
        help_text=_("Bijvoorbeeld: Op weg naar werk in de zorg."),
    )
    plan_date = forms.DateField(
        label=_("Datum van het plan"),
        widget=DateInput,
        error_messages={"required": _("Vul de datum van het plan in."), "invalid": _DATE_ERROR},
    )
    goal = forms.CharField(
        label=_("Doel"),
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Schrijf op wat de klant wil bereiken."),
            "max_length": _TOO_LONG,
        },
        help_text=_("Wat wil de klant bereiken?"),
    )
    situation = forms.CharField(
        label=_("Situatie nu"),
        max_length=SITUATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _TOO_LONG},
        help_text=_("Kort: werk, opleiding, wat goed gaat en wat lastig is."),
    )
    agreements = forms.CharField(
        label=_("Afspraken en opmerkingen"),
        max_length=AGREEMENTS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _TOO_LONG},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def plan_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("title", "plan_date", "goal", "situation", "agreements")
        }


class StepForm(StyledForm):
    """One step. Every field is optional so an empty row is left out; a row that is filled in
    only partly gets a message."""

    action = forms.CharField(
        label=_("Actie"),
        max_length=STEP_ACTION_MAX,
        required=False,
        error_messages={"max_length": _TOO_LONG},
    )
    owner = forms.ChoiceField(
        label=_("Wie"),
        choices=[("", _("Kies wie"))] + StepOwner.choices,
        required=False,
        error_messages={"invalid_choice": _("Kies wie dit doet.")},
    )
    target_date = forms.DateField(
        label=_("Klaar voor"),
        widget=DateInput,
        required=False,
        error_messages={"invalid": _DATE_ERROR},
    )
    done_at = forms.DateField(
        label=_("Gedaan op"),
        widget=DateInput,
        required=False,
        error_messages={"invalid": _DATE_ERROR},
    )

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name) not in (None, "")
            for name in ("action", "owner", "target_date", "done_at")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_blank or self.errors:
            return cleaned
        if not (cleaned.get("action") or "").strip():
            self.add_error("action", _("Schrijf op wat er moet gebeuren."))
        if not cleaned.get("owner"):
            self.add_error("owner", _("Kies wie dit doet."))
        return cleaned

    def step(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in ("action", "owner", "target_date", "done_at")
        }


class BaseStepFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _("Een plan heeft hoogstens %(num)d stappen."),
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        style_widgets(form)

    def filled_forms(self) -> list[StepForm]:
        """The rows that become steps, in order: filled in and not marked for removal. Step
        ``n`` of the service is ``filled_forms()[n]``."""
        return [
            form  # type: ignore[misc]
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and not form.is_blank  # type: ignore[attr-defined]
        ]

    def steps(self) -> list[dict[str, Any]]:
        return [form.step() for form in self.filled_forms()]


StepFormSet: type[BaseStepFormSet] = forms.formset_factory(  # type: ignore[assignment]
    StepForm,
    formset=BaseStepFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_STEPS,
    validate_max=True,
    absolute_max=MAX_STEPS + 10,
)
STEPS_PREFIX = "stappen"


class ShareForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReplyForm(StyledForm):
    use_required_attribute = False  # see PlanForm

    body = forms.CharField(
        label=_("Uw bericht"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Schrijf een bericht."),
            "max_length": _(
                "Het bericht is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            ),
        },
        help_text=_(
            "De klant leest dit in Mijn Leerwerkloket en krijgt een e-mail dat er een nieuw "
            "bericht is (zonder de tekst)."
        ),
    )
    sign_as = forms.ChoiceField(
        label=_("Afzender"),
        choices=[("name", _("Mijn voornaam")), ("desk", _("Het loket"))],
        initial="name",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies de afzender."),
            "invalid_choice": _("Kies de afzender."),
        },
    )
