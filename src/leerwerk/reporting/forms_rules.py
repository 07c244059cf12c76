"""Forms of the counting-rules editor (national team). They shape input for
``reporting.services``; the rules themselves (known registration types, ratios that refer to
existing figures, publication dates, who may) live there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerwerk.guidance.constants import RegistrationStatus
from leerwerk.guidance.forms_vocabulary import CODE_PATTERN
from leerwerk.network.forms import DateInput, StyledForm
from leerwerk.reporting.constants import Method
from leerwerk.reporting.models import FigureDefinition
from leerwerk.reporting.services import FIGURE_FIELDS, SECTIONS, UNITS
from leerwerk.reporting.views import SECTION_LABELS

UNIT_LABELS = {"aantal": _("Aantal"), "fte": _("Fte"), "euro": _("Euro")}


class FigureForm(StyledForm):
    """One figure of a draft. The code is chosen once, when the figure is added."""

    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_(
            "Korte vaste naam, ook in exports: kleine letters, cijfers en streepjes, "
            "bijvoorbeeld burgers-bereikt. De code verandert niet meer na opslaan."
        ),
        error_messages={"required": _("Vul de code in.")},
    )
    label = forms.CharField(
        label=_("Naam van het cijfer"),
        max_length=150,
        error_messages={"required": _("Vul de naam van het cijfer in.")},
    )
    section = forms.ChoiceField(
        label=_("Onderdeel van het rapport"),
        error_messages={"required": _("Kies een onderdeel van het rapport.")},
    )
    explanation = forms.CharField(
        label=_("Uitleg"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staat naast het cijfer in elk rapport. Wat telt wel mee, wat niet?"),
        error_messages={
            "required": _("Vul de uitleg in. Die staat in elk rapport naast het cijfer.")
        },
    )
    method = forms.ChoiceField(
        label=_("Berekening"),
        choices=[("", _("Kies…")), *Method.choices],
        error_messages={"required": _("Kies hoe het cijfer wordt berekend.")},
    )
    type_codes = forms.MultipleChoiceField(
        label=_("Registratiesoorten die tellen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen bij getelde cijfers. U kiest uit de registratielijst die nu geldt."),
    )
    statuses = forms.MultipleChoiceField(
        label=_("Statussen die tellen"),
        required=False,
        choices=RegistrationStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen bij getelde cijfers. Niets gekozen: elke status telt mee."),
    )
    numerator = forms.ChoiceField(
        label=_("Teller"),
        required=False,
        help_text=_("Alleen bij een deling: het cijfer boven de streep."),
    )
    denominator = forms.ChoiceField(
        label=_("Noemer"),
        required=False,
        help_text=_("Alleen bij een deling: het cijfer onder de streep."),
    )
    combine = forms.ChoiceField(
        label=_("Jaarcijfer"),
        choices=FigureDefinition.Combine.choices,
        help_text=_("Alleen bij cijfers die met de hand worden ingevoerd."),
    )
    unit = forms.ChoiceField(label=_("Eenheid"))
    sort_order = forms.IntegerField(
        label=_("Volgorde"),
        min_value=0,
        max_value=32767,
        help_text=_("Lagere getallen staan eerder in het rapport."),
        error_messages={
            "required": _("Vul de volgorde in, bijvoorbeeld 10."),
            "invalid": _("Vul een heel getal in, bijvoorbeeld 10."),
            "min_value": _("Vul 0 of een hoger getal in."),
        },
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        editing: bool,
        type_choices: dict[str, str],
        figure_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["code"]
        self.fields["section"].choices = [("", _("Kies…"))] + [
            (key, SECTION_LABELS.get(key, key)) for key in SECTIONS
        ]
        self.fields["unit"].choices = [(key, UNIT_LABELS[key]) for key in UNITS]
        self.fields["type_codes"].choices = [
            (code, f"{name} ({code})") for code, name in type_choices.items()
        ]
        # a figure stored with a code that is no longer in the vocabulary stays selectable, so
        # the service can say what is wrong with it
        if self.is_bound:
            chosen = self.data.getlist("type_codes") if hasattr(self.data, "getlist") else []
        else:
            chosen = list(self.initial.get("type_codes") or [])
        for code in chosen:
            if code not in type_choices:
                self.fields["type_codes"].choices.append((code, f"{code} (onbekend)"))
        ratio_choices = [("", _("Kies…")), *figure_choices]
        self.fields["numerator"].choices = ratio_choices
        self.fields["denominator"].choices = ratio_choices

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _(
                    "Gebruik alleen kleine letters, cijfers en losse streepjes, zonder spaties, "
                    "bijvoorbeeld burgers-bereikt."
                )
            )
        return code

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIGURE_FIELDS}

    def checkbox_fields(self) -> list[Any]:
        return [self["type_codes"], self["statuses"]]

    def plain_fields(self) -> list[Any]:
        skip = {"type_codes", "statuses"}
        return [field for field in self.visible_fields() if field.name not in skip]


def figure_initial(figure: FigureDefinition, fingerprint: str) -> dict[str, Any]:
    return {**{name: getattr(figure, name) for name in FIGURE_FIELDS}, "fingerprint": fingerprint}


class RuleSetPublishForm(StyledForm):
    effective_from = forms.DateField(
        label=_("Geldig vanaf"),
        widget=DateInput,
        help_text=_(
            "Vanaf deze dag gebruiken nieuwe rapporten deze versie. Elk rapport kan ook met een "
            "eerdere versie opnieuw worden berekend."
        ),
        error_messages={
            "required": _("Vul de datum in vanaf wanneer deze versie geldt."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 01-07-2026."),
        },
    )
    notes = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat is er veranderd ten opzichte van de vorige versie?"),
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)
