"""Forms of the funding pages: the public wizard, the adviser's facts, and the maintenance of
arrangements and their conditions. Forms parse input; the rules live in ``services`` and
``eligibility``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import EducationLevel, Sector, SizeClass
from leerwerk.funding import selectors, services
from leerwerk.funding.constants import (
    AGE_MAX,
    AGE_MIN,
    RANGE_KINDS,
    ConditionKind,
    Operator,
    Scope,
    TrainingKind,
    TrainingLevel,
    TrainingList,
    situation_choices,
)
from leerwerk.funding.eligibility import SituationFacts, TrainingFacts
from leerwerk.funding.models import Condition, FundingArrangement
from leerwerk.network.forms import DateInput, StyledForm, StyledModelForm, VersionField
from leerwerk.network.models import Desk, Municipality, Region

PC4_OR_POSTCODE = r"^\s*[1-9][0-9]{3}\s*([A-Za-z]{2})?\s*$"


class RadioSelect(forms.RadioSelect):
    """Radio buttons whose group points at the first option (for the error summary)."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"})

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index or "0")


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index or "0")


class EuroField(forms.DecimalField):
    """An amount in euros with two decimals; accepts "1.250,50", "1250,5" and "€ 1250"."""

    default_error_messages = {
        "invalid": _("Vul een bedrag in euro's in, bijvoorbeeld 1250 of 1.250,50."),
        "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("€", "").replace(" ", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif value.count(".") > 1 or re.match(r"^\d{1,3}\.\d{3}$", value):
                value = value.replace(".", "")  # 1.250 is one thousand two hundred and fifty
        return super().to_python(value)


def _optional(choices: Any, empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *choices]


# -- the questions about a person and a training (wizard and adviser) -----------------------


class FactsForm(StyledForm):
    """The few questions the engine needs. Every question may stay empty: the answer is then
    "possibly" with the question to answer."""

    situations = forms.MultipleChoiceField(
        label=_("Wat past bij u?"),
        help_text=_("U mag meer dan één antwoord kiezen."),
        choices=situation_choices,
        required=False,
        widget=CheckboxSelectMultiple(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
    )
    age = forms.IntegerField(
        label=_("Hoe oud bent u?"),
        required=False,
        min_value=AGE_MIN,
        max_value=AGE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "lw-input-short"}),
        error_messages={
            "invalid": _("Vul uw leeftijd in met cijfers, bijvoorbeeld 45."),
            "min_value": _("Vul een leeftijd in van 0 tot en met 120."),
            "max_value": _("Vul een leeftijd in van 0 tot en met 120."),
        },
    )
    education_level = forms.ChoiceField(
        label=_("Wat is de hoogste opleiding die u heeft gedaan?"),
        choices=_optional(
            [c for c in EducationLevel.choices if c[0] != EducationLevel.UNKNOWN],
            _("Weet ik niet of zeg ik liever niet"),
        ),
        required=False,
    )
    postcode = forms.CharField(
        label=_("Wat is uw postcode?"),
        help_text=_(
            "Alleen de 4 cijfers is genoeg, bijvoorbeeld 3011. Zo vinden we regelingen in uw regio."
        ),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    sector = forms.ChoiceField(
        label=_("In welke sector werkt u?"),
        help_text=_("Alleen als u werkt."),
        choices=_optional(Sector.choices, _("Ik werk niet of weet het niet")),
        required=False,
    )
    employer_size = forms.ChoiceField(
        label=_("Hoeveel mensen werken er bij uw werkgever?"),
        help_text=_("Alleen als u werkt."),
        choices=_optional(SizeClass.choices, _("Weet ik niet")),
        required=False,
    )
    training_kind = forms.ChoiceField(
        label=_("Wat voor opleiding wilt u doen?"),
        choices=_optional(TrainingKind.choices, _("Weet ik nog niet")),
        required=False,
        widget=RadioSelect(),
    )
    training_level = forms.ChoiceField(
        label=_("Op welk niveau is de opleiding?"),
        choices=_optional(TrainingLevel.choices, _("Weet ik niet")),
        required=False,
    )

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "").strip()
        if not value:
            return ""
        if not re.match(PC4_OR_POSTCODE, value):
            raise ValidationError(_("Vul een postcode in zoals 3011 of 3011 AB."))
        self.place = selectors.place_for_postcode(value)
        if self.place is None:
            raise ValidationError(_("Deze postcode kennen we niet. Controleer de postcode."))
        return value

    def situation(self, *, default_region: Region | None = None) -> SituationFacts:
        data = self.cleaned_data
        place = getattr(self, "place", None)
        return selectors.situation_facts(
            situations=data.get("situations") or [],
            age=data.get("age"),
            education_level=data.get("education_level") or "",
            sector=data.get("sector") or "",
            employer_size=data.get("employer_size") or "",
            municipality=place.municipality if place else None,
            region=place.region if place else default_region,
        )

    def region(self) -> Region | None:
        place = getattr(self, "place", None)
        return place.region if place else None

    def training(self) -> TrainingFacts | None:
        data = self.cleaned_data
        return selectors.training_facts(
            kind=data.get("training_kind") or "", level=data.get("training_level") or ""
        )


class WizardForm(FactsForm):
    """The public wizard: B1 questions, nothing is stored."""


class AdviserFactsForm(FactsForm):
    """The adviser's version: the client's situation and the chosen training, described by
    kind, level, name, crebo code and the lists it is on."""

    training_name = forms.CharField(
        label=_("Naam van de opleiding"), required=False, max_length=200
    )
    training_crebo = forms.CharField(
        label=_("Crebocode"),
        required=False,
        max_length=5,
        help_text=_("Vijf cijfers, alleen bij een mbo-opleiding."),
        validators=[RegexValidator(r"^\d{5}$", _("Een crebocode heeft vijf cijfers."))],
    )
    training_lists = forms.MultipleChoiceField(
        label=_("De opleiding staat op deze lijsten of registers"),
        choices=TrainingList.choices,
        required=False,
        widget=CheckboxSelectMultiple(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
    )
    lists_known = forms.BooleanField(
        label=_("Ik heb gecontroleerd op welke lijsten de opleiding staat"),
        required=False,
        help_text=_("Zonder vinkje weten we niet op welke lijsten de opleiding staat."),
    )
    note = forms.CharField(
        label=_("Notitie bij het advies"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["situations"].label = _("Situatie van de klant")
        self.fields["age"].label = _("Leeftijd")
        self.fields["education_level"].label = _("Hoogste opleiding")
        self.fields["postcode"].label = _("Postcode")
        self.fields["sector"].label = _("Sector van het werk")
        self.fields["employer_size"].label = _("Grootte van de werkgever")
        self.fields["training_kind"].label = _("Soort opleiding")
        self.fields["training_level"].label = _("Niveau van de opleiding")

    def training(self) -> TrainingFacts | None:
        data = self.cleaned_data
        return selectors.training_facts(
            kind=data.get("training_kind") or "",
            level=data.get("training_level") or "",
            name=data.get("training_name") or "",
            crebo=data.get("training_crebo") or "",
            lists=(data.get("training_lists") or []) if data.get("lists_known") else None,
        )


def initial_from_client(client: Any, today: Any) -> dict[str, Any]:
    """Prefill the adviser's form from what the CRM knows (no new personal data)."""
    initial: dict[str, Any] = {}
    if client.situation and client.situation != "other":
        initial["situations"] = [client.situation]
    if client.birth_year:
        initial["age"] = today.year - client.birth_year
    if client.education_level and client.education_level != EducationLevel.UNKNOWN:
        initial["education_level"] = client.education_level
    if client.postcode:
        initial["postcode"] = client.postcode
    return initial


# -- maintenance: arrangements ---------------------------------------------------------------


def _formfield(field: Any, **kwargs: Any) -> forms.Field | None:
    """Model fields as form fields; web addresses without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArrangementForm(StyledModelForm):
    version = VersionField(required=False)
    max_amount = EuroField(label=_("Maximaal bedrag (euro)"), required=False)
    own_contribution = EuroField(label=_("Eigen bijdrage (euro)"), required=False)
    own_contribution_percentage = EuroField(
        label=_("Eigen bijdrage (procent)"),
        required=False,
        max_digits=5,
        max_value=Decimal("100"),
        error_messages={"invalid": _("Vul een percentage in, bijvoorbeeld 25 of 12,5.")},
    )
    not_combinable_with = forms.ModelMultipleChoiceField(
        label=_("Niet te combineren met"),
        queryset=FundingArrangement.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
        help_text=_("Regelingen die iemand niet tegelijk met deze regeling kan krijgen."),
    )

    class Meta:
        model = FundingArrangement
        formfield_callback = _formfield
        fields = [
            "name",
            "provider",
            "provider_name",
            "audience",
            "description",
            "max_amount",
            "own_contribution",
            "own_contribution_percentage",
            "amount_note",
            "valid_from",
            "valid_until",
            "how_to_apply",
            "apply_url",
            "source_url",
            "checked_on",
            "is_example",
            "is_active",
        ]
        widgets = {
            "audience": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "checked_on": DateInput(),
        }

    def __init__(
        self,
        *args: Any,
        user: Any,
        scopes: list[tuple[str, Any]] | None = None,
        desks: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        self.fields["not_combinable_with"].queryset = selectors.combinable_candidates(  # type: ignore[attr-defined]
            user, instance
        )
        if scopes is not None:  # creating: where does it apply, who maintains it?
            self.fields["scope"] = forms.ChoiceField(
                label=_("Bereik"), choices=scopes, widget=RadioSelect()
            )
            self.fields["desk"] = forms.ModelChoiceField(
                label=_("Loket (bij een regionale regeling)"),
                queryset=desks if desks is not None else Desk.objects.none(),
                required=False,
                to_field_name="uuid",
            )
            self.order_fields(["name", "scope", "desk"])
        from leerwerk.network.forms import style_widgets

        style_widgets(self)

    def service_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        for text in ("provider_name", "amount_note", "apply_url", "source_url", "description"):
            values[text] = values[text] or ""
        values["not_combinable_with"] = list(self.cleaned_data.get("not_combinable_with") or [])
        return values

    def _post_clean(self) -> None:
        # Validation of the instance (scope and desk included) is the service's job.
        pass


class CheckedForm(StyledForm):
    version = VersionField()


def scope_choices(*, national: bool, regional: bool) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    if national:
        choices += [(Scope.NATIONAL, Scope.NATIONAL.label), (Scope.SECTOR, Scope.SECTOR.label)]
    if regional:
        choices.append((Scope.REGIONAL, Scope.REGIONAL.label))
    return choices


# -- maintenance: conditions -----------------------------------------------------------------


class KindForm(StyledForm):
    """Step one of a new condition: which kind (without JavaScript, a separate submit)."""

    soort = forms.ChoiceField(label=_("Soort voorwaarde"), choices=ConditionKind.choices)


def _split_codes(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\s]+", text or "") if part.strip()]


class ConditionForm(StyledForm):
    """One condition of a given kind: the value widget follows the kind."""

    version = VersionField()
    operator = forms.ChoiceField(
        label=_("Regel"),
        choices=[(Operator.IN, Operator.IN.label), (Operator.NOT_IN, Operator.NOT_IN.label)],
        widget=RadioSelect(),
        initial=Operator.IN,
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind in RANGE_KINDS:
            del self.fields["operator"]
            for name, label in (
                ("minimum", _("Vanaf (jaar)")),
                ("maximum", _("Tot en met (jaar)")),
            ):
                self.fields[name] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=AGE_MIN,
                    max_value=AGE_MAX,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
        elif (choices := services.allowed_values(kind)) is not None or kind == ConditionKind.REGION:
            if kind == ConditionKind.REGION:
                choices = [
                    (code, f"{name} ({code})")
                    for code, name in Region.objects.order_by("name").values_list("code", "name")
                ]
            self.fields["values"] = forms.MultipleChoiceField(
                label=_("Waarden"),
                choices=choices or [],
                widget=CheckboxSelectMultiple(
                    attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
                ),
                error_messages={"required": _("Kies ten minste één waarde.")},
            )
        else:
            help_text = (
                _("Gemeentecodes (zoals GM0599) of namen, gescheiden door komma's.")
                if kind == ConditionKind.MUNICIPALITY
                else _("Crebocodes van vijf cijfers, gescheiden door komma's.")
            )
            self.fields["values"] = forms.CharField(
                label=_("Waarden"),
                help_text=help_text,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Vul ten minste één waarde in.")},
            )
        from leerwerk.network.forms import style_widgets

        style_widgets(self)

    def clean_values(self) -> list[str]:
        value = self.cleaned_data.get("values")
        if isinstance(value, list):
            return value
        codes = _split_codes(value or "")
        if self.kind == ConditionKind.MUNICIPALITY:
            return _municipality_codes(codes)
        return codes

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.kind in RANGE_KINDS:
            return {
                "kind": self.kind,
                "operator": Operator.BETWEEN,
                "minimum": data.get("minimum"),
                "maximum": data.get("maximum"),
            }
        return {"kind": self.kind, "operator": data["operator"], "values": data["values"]}


def _municipality_codes(parts: list[str]) -> list[str]:
    """Codes as given; names looked up (one query). Unknown names are kept, so the service
    reports them."""
    names = [p for p in parts if not re.match(r"^(?i:gm)\d{4}$", p)]
    found: dict[str, str] = {}
    if names:
        query = models.Q()
        for name in names:
            query |= models.Q(name__iexact=name)
        found = {
            name.casefold(): code
            for code, name in Municipality.objects.filter(query).values_list("code", "name")
        }
    return [found.get(p.casefold(), p) if p in names else p.upper() for p in parts]


def condition_initial(condition: Condition) -> dict[str, Any]:
    initial: dict[str, Any] = {"operator": condition.operator}
    if condition.kind in RANGE_KINDS:
        initial.update(minimum=condition.minimum, maximum=condition.maximum)
    elif condition.kind in (ConditionKind.MUNICIPALITY, ConditionKind.TRAINING_CREBO):
        initial["values"] = ", ".join(condition.values or [])
    else:
        initial["values"] = list(condition.values or [])
    return initial
