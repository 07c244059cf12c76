"""Forms for the staff pages. They check input and shape it for the services; the rules
themselves (overlaps, the last desk manager, permissions) live in ``leerwerk.network.services``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from leerwerk.core.constants import DeskRole
from leerwerk.core.exceptions import ConflictError
from leerwerk.network.constants import HoursKind, PartnerKind, Weekday
from leerwerk.network.models import (
    Certification,
    Desk,
    ExpertiseTag,
    Location,
    Partner,
    ServiceLine,
)
from leerwerk.network.services import DESK_SETTINGS_FIELDS, LOCATION_FIELDS

_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.widgets.Input, _TEXTBOX),
]


def style_widgets(form: forms.BaseForm) -> None:
    """Give every input the NL Design System class that belongs to its kind."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        for widget_class, css in _WIDGET_CLASSES:
            if isinstance(widget, widget_class):
                existing = widget.attrs.get("class", "").split()
                missing = [name for name in css.split() if name not in existing]
                widget.attrs["class"] = " ".join([*existing, *missing])
                break


class StyledForm(forms.Form):
    #: Set when a service refused the save because someone else changed the object first.
    conflict = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class StyledModelForm(forms.ModelForm):
    conflict = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the field when the form has that field,
    otherwise at the top of the form. A ConflictError marks the form, so the page can offer to
    load the current data."""
    if isinstance(exc, ConflictError):
        form.conflict = True  # type: ignore[attr-defined]
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class FteField(forms.DecimalField):
    """FTE between 0.01 and 1.00; accepts the Dutch comma ("0,6") as well as a point."""

    default_error_messages = {
        "invalid": _("Vul de fte in als getal, bijvoorbeeld 0,6."),
        "range": _("Vul een fte in van meer dan 0 en hoogstens 1, bijvoorbeeld 0,6."),
        "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 3)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        """Show a stored value the local way: 0,60 in Dutch."""
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2)
        return value

    def to_python(self, value: Any) -> Any:
        # Parsed here rather than with localize=True, so "0.6" is never read as a thousands
        # separator: both "0,6" and "0.6" mean six tenths.
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
            if value.count(".") > 1:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not (Decimal("0") < value <= Decimal("1")):
            raise ValidationError(self.error_messages["range"], code="range")


class VersionField(forms.IntegerField):
    """The version the user loaded; the service refuses the save if it changed since."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("De pagina is niet volledig geladen. Laad de pagina opnieuw."),
                "invalid": _("De pagina is niet volledig geladen. Laad de pagina opnieuw."),
            },
        )
        super().__init__(**kwargs)


# -- desk ------------------------------------------------------------------------------------


def _formfield(field: Any, **kwargs: Any) -> forms.Field | None:
    """Model fields as form fields; web addresses without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class DeskSettingsForm(StyledModelForm):
    version = VersionField()
    service_lines = forms.ModelMultipleChoiceField(
        label=_("Dienstverlening"),
        queryset=ServiceLine.objects.order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Welke diensten biedt dit loket aan?"),
    )

    class Meta:
        model = Desk
        formfield_callback = _formfield
        fields = [*DESK_SETTINGS_FIELDS[:2], "service_lines", *DESK_SETTINGS_FIELDS[2:]]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def settings_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DESK_SETTINGS_FIELDS}


# -- locations and hours ---------------------------------------------------------------------


class LocationForm(StyledModelForm):
    class Meta:
        model = Location
        fields = LOCATION_FIELDS
        widgets = {
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "postcode": forms.TextInput(
                attrs={
                    "autocomplete": "postal-code",
                    "class": "utrecht-textbox--postal-code-nl-size",
                }
            ),
            "house_number": forms.TextInput(attrs={"class": "utrecht-textbox--house-number-size"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def location_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in LOCATION_FIELDS}


class LocationEditForm(LocationForm):
    version = VersionField()


_BLANK_CHOICE: list[tuple[Any, Any]] = [("", _("Kies…"))]


class OpeningHoursForm(StyledForm):
    """One row of opening or walk-in hours. Every field is optional so an empty row is simply
    left out; a row that is filled in half is an error."""

    kind = forms.ChoiceField(
        label=_("Soort"), choices=_BLANK_CHOICE + HoursKind.choices, required=False
    )
    weekday = forms.TypedChoiceField(
        label=_("Dag"),
        choices=_BLANK_CHOICE + Weekday.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens = forms.TimeField(label=_("Van"), widget=TimeInput, required=False)
    closes = forms.TimeField(label=_("Tot"), widget=TimeInput, required=False)
    note = forms.CharField(label=_("Opmerking"), max_length=150, required=False)

    REQUIRED_IN_ROW = ("kind", "weekday", "opens", "closes")
    MISSING = {
        "kind": _("Kies openingstijden of inloopspreekuur."),
        "weekday": _("Kies een dag."),
        "opens": _("Vul de begintijd in, bijvoorbeeld 09:00."),
        "closes": _("Vul de eindtijd in, bijvoorbeeld 12:00."),
    }

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) not in (None, "") for name in (*self.REQUIRED_IN_ROW, "note"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_blank or self.errors:
            return cleaned
        for name in self.REQUIRED_IN_ROW:
            if cleaned.get(name) in (None, ""):
                self.add_error(name, self.MISSING[name])
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and opens >= closes:
            self.add_error("closes", _("De eindtijd moet na de begintijd liggen."))
        return cleaned

    def row(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (*self.REQUIRED_IN_ROW, "note")}


class BaseHoursFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        style_widgets(form)  # the DELETE checkbox, added by the formset

    def rows(self) -> list[dict[str, Any]]:
        """The hours to save: filled-in rows not marked for removal."""
        return [
            form.row()
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and not form.is_blank
        ]


HoursFormSet: type[BaseHoursFormSet] = forms.formset_factory(  # type: ignore[assignment]
    OpeningHoursForm,
    formset=BaseHoursFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)
HOURS_PREFIX = "tijden"


def hours_initial(location: Location | None) -> list[dict[str, Any]]:
    if location is None:
        return []
    return [
        {
            "kind": hours.kind,
            "weekday": hours.weekday,
            "opens": hours.opens,
            "closes": hours.closes,
            "note": hours.note,
        }
        for hours in location.hours.all()
    ]


def raw_values(form: forms.BaseForm) -> dict[str, Any]:
    """What the user typed, to show again in an unbound form (used by "add a row")."""
    return {name: form[name].value() for name in form.fields if name != "DELETE"}


# -- staff -----------------------------------------------------------------------------------


class PartnerChoiceField(forms.ChoiceField):
    """A partner, chosen by UUID, with the desk's own partners listed first."""

    def __init__(
        self, *, desk_partners: list[Partner], all_partners: list[Partner], **kwargs: Any
    ) -> None:
        own = {p.pk for p in desk_partners}
        choices: list[Any] = [("", _("Geen of onbekend"))]
        if desk_partners:
            choices.append(
                (_("Partners van dit loket"), [(str(p.uuid), str(p)) for p in desk_partners])
            )
        others = [p for p in all_partners if p.pk not in own]
        if others:
            choices.append((_("Andere partners"), [(str(p.uuid), str(p)) for p in others]))
        self.partners = {str(p.uuid): p for p in [*desk_partners, *all_partners]}
        super().__init__(choices=choices, **kwargs)

    def clean(self, value: Any) -> Partner | None:
        value = super().clean(value)
        return self.partners.get(value) if value else None


def _date_range_errors(form: forms.Form, cleaned: dict[str, Any]) -> None:
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        form.add_error("end_date", _("De einddatum kan niet voor de begindatum liggen."))


class MembershipFieldsForm(StyledForm):
    role = forms.ChoiceField(label=_("Rol"), choices=DeskRole.choices)
    fte = FteField(
        label=_("Fte"),
        help_text=_("Inzet voor het loket, bijvoorbeeld 0,6 voor drie dagen per week."),
    )
    start_date = forms.DateField(label=_("Begindatum"), widget=DateInput)
    end_date = forms.DateField(
        label=_("Einddatum"),
        widget=DateInput,
        required=False,
        help_text=_("Leeg laten als er nog geen einddatum is."),
    )
    certifications = forms.ModelMultipleChoiceField(
        label=_("Certificeringen"),
        queryset=Certification.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expertise_tags = forms.ModelMultipleChoiceField(
        label=_("Expertise"),
        queryset=ExpertiseTag.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        desk_partners: list[Partner],
        all_partners: list[Partner],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = PartnerChoiceField(
            label=_("Moederorganisatie"),
            required=False,
            desk_partners=desk_partners,
            all_partners=all_partners,
            help_text=_("De werkgever die de medewerker detacheert, zoals UWV of een roc."),
        )
        # Place it after the FTE, where people expect it.
        fields = list(self.fields.items())
        position = [name for name, _field in fields].index("fte") + 1
        fields.insert(position, ("mother_organisation", field))
        self.fields = dict(fields)
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _date_range_errors(self, cleaned)
        return cleaned


class MembershipCreateForm(MembershipFieldsForm):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_(
            "Heeft deze persoon nog geen account? Dan maken we er een aan. De persoon stelt zelf "
            "een wachtwoord in via 'Wachtwoord vergeten'."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Naam"), max_length=200)

    field_order = ["email", "name", "role", "fte"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "email": data["email"],
            "name": data["name"],
            "role": data["role"],
            "fte": data["fte"],
            "mother_organisation": data["mother_organisation"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "certifications": data["certifications"],
            "expertise_tags": data["expertise_tags"],
        }


class MembershipEditForm(MembershipFieldsForm):
    version = VersionField()

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "fte": data["fte"],
            "mother_organisation": data["mother_organisation"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "certifications": data["certifications"],
            "expertise_tags": data["expertise_tags"],
        }


class MembershipEndForm(StyledForm):
    end_date = forms.DateField(
        label=_("Laatste werkdag"),
        widget=DateInput,
        help_text=_("De medewerker heeft toegang tot en met deze dag."),
    )
    version = VersionField()

    def __init__(self, *args: Any, start_date: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_date = start_date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        end = cleaned.get("end_date")
        if end and self.start_date and end < self.start_date:
            self.add_error("end_date", _("De einddatum kan niet voor de begindatum liggen."))
        return cleaned


# -- partners --------------------------------------------------------------------------------


class PartnershipAddForm(StyledForm):
    partner = forms.ModelChoiceField(
        label=_("Bestaande partner"),
        queryset=Partner.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Kies een partner…"),
    )
    new_partner_name = forms.CharField(
        label=_("Naam van een nieuwe partner"), max_length=200, required=False
    )
    new_partner_kind = forms.ChoiceField(
        label=_("Soort nieuwe partner"),
        choices=_BLANK_CHOICE + PartnerKind.choices,
        required=False,
    )
    is_core = forms.BooleanField(
        label=_("Kernpartner"),
        required=False,
        help_text=_("UWV, gemeenten en roc's die het loket samen dragen."),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=250, required=False)

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        partner = cleaned.get("partner")
        name = (cleaned.get("new_partner_name") or "").strip()
        kind = cleaned.get("new_partner_kind")
        if partner and (name or kind):
            raise ValidationError(
                _("Kies een bestaande partner óf vul een nieuwe partner in, niet allebei.")
            )
        if not partner and not self.errors:
            if not name and not kind:
                raise ValidationError(
                    _("Kies een bestaande partner of vul naam en soort van een nieuwe partner in.")
                )
            if not name:
                self.add_error("new_partner_name", _("Vul de naam van de nieuwe partner in."))
            if not kind:
                self.add_error("new_partner_kind", _("Kies de soort van de nieuwe partner."))
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "partner": data["partner"],
            "new_partner_name": (data["new_partner_name"] or "").strip(),
            "new_partner_kind": data["new_partner_kind"],
            "is_core": data["is_core"],
            "note": data["note"],
        }
