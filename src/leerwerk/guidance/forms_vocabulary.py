"""Forms for maintaining the national vocabulary (the national team's pages).

They check input and shape it for ``leerwerk.guidance.services``; the rules (only drafts change,
publication dates move forward, who may do it) live there.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leerwerk.guidance.constants import RegistrationKind
from leerwerk.guidance.models import VocabularyVersion
from leerwerk.network.forms import DateInput, StyledForm

CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_HELP = _(
    "Korte vaste naam voor koppelingen en rapportages: kleine letters, cijfers en streepjes, "
    "bijvoorbeeld netwerkgesprek. De code verandert niet meer als de soort is opgeslagen."
)


class RegistrationTypeForm(StyledForm):
    """A type of a draft version. Code and kind are chosen once, when the type is added."""

    code = forms.CharField(
        label=_("Code"),
        max_length=50,
        help_text=_CODE_HELP,
        error_messages={
            "required": _("Vul de code in."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[("", _("Kies…")), *RegistrationKind.choices],
        error_messages={"required": _("Kies de soort.")},
    )
    name = forms.CharField(
        label=_("Naam"),
        max_length=100,
        error_messages={
            "required": _("Vul de naam in."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    description = forms.CharField(
        label=_("Uitleg"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wanneer registreert een adviseur deze soort? Wat telt wel en niet mee?"),
    )
    needs_trajectory = forms.BooleanField(
        label=_("Hoort bij een traject"),
        required=False,
        help_text=_("Zet dit uit voor een informatiecontact: een korte vraag zonder traject."),
    )
    is_active = forms.BooleanField(
        label=_("Actief (adviseurs kunnen deze soort kiezen)"),
        required=False,
    )
    sort_order = forms.IntegerField(
        label=_("Volgorde"),
        min_value=0,
        max_value=32767,
        help_text=_("Lagere getallen staan eerder in de keuzelijst."),
        error_messages={
            "required": _("Vul de volgorde in, bijvoorbeeld 0."),
            "invalid": _("Vul een heel getal in, bijvoorbeeld 10."),
            "min_value": _("Vul 0 of een hoger getal in."),
            "max_value": _("Vul een getal in van hoogstens %(limit_value)s."),
        },
    )

    def __init__(self, *args: Any, version: VocabularyVersion, editing: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.version = version
        self.editing = editing
        if editing:
            # Code and kind are fixed once the type exists: they are not fields of this form.
            del self.fields["code"]
            del self.fields["kind"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _(
                    "Gebruik alleen kleine letters, cijfers en losse streepjes, zonder spaties, "
                    "bijvoorbeeld netwerkgesprek."
                )
            )
        # The service saves by code (add or change): a new type must not overwrite another.
        if self.version.types.filter(code=code).exists():
            raise forms.ValidationError(_("Deze code bestaat al in deze versie."))
        return code

    def service_values(self) -> dict[str, Any]:
        names = ["name", "description", "needs_trajectory", "is_active", "sort_order"]
        if not self.editing:
            names.append("kind")
        return {name: self.cleaned_data[name] for name in names}


class VocabularyPublishForm(StyledForm):
    effective_from = forms.DateField(
        label=_("Geldig vanaf"),
        widget=DateInput,
        help_text=_(
            "Vanaf deze dag registreren adviseurs met deze versie. Registraties van eerdere "
            "dagen houden hun eigen versie."
        ),
        error_messages={
            "required": _("Vul de datum in vanaf wanneer deze versie geldt."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-01-2026."),
        },
    )
    notes = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat is er veranderd ten opzichte van de vorige versie?"),
    )
