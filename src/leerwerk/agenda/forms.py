"""Forms for the public booking and registration pages and the staff pages. They check and shape
input; the rules live in ``leerwerk.agenda.services``."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerwerk.agenda.constants import (
    SLOT_MINUTES_MAX,
    SLOT_MINUTES_MIN,
    ConversationType,
    EventKind,
    SlotMode,
)
from leerwerk.clients.constants import PHONE_PATTERN
from leerwerk.core.honeypot import HoneypotMixin
from leerwerk.guidance.public_views import THEME_CHOICES, RadioSelect
from leerwerk.network.forms import DateInput, StyledForm, TimeInput
from leerwerk.network.models import Location


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        max_length=20,
        help_text=_("Bijvoorbeeld 06 12345678"),
        validators=[
            RegexValidator(
                PHONE_PATTERN,
                _("Vul een goed telefoonnummer in, bijvoorbeeld 06 12345678 of 010 1234567."),
            )
        ],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class PersonForm(StyledForm, HoneypotMixin):
    """Name, e-mail, phone, consent and a honeypot: shared by booking and registration."""

    given_name = forms.CharField(
        label=_("Voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Vul uw voornaam in.")},
    )
    family_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Vul uw achternaam in.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Hier sturen wij de bevestiging naartoe. Bijvoorbeeld naam@voorbeeld.nl"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul uw e-mailadres in. Daar sturen wij de bevestiging naartoe."),
            "invalid": _("Vul een goed e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        },
    )
    phone = _phone_field()


class BookingForm(PersonForm):
    theme = forms.ChoiceField(
        label=_("Waar wilt u over praten?"),
        choices=THEME_CHOICES,
        widget=RadioSelect(),
        error_messages={"required": _("Kies waar u over wilt praten.")},
    )
    question = forms.CharField(
        label=_("Wilt u alvast iets vertellen?"),
        help_text=_("Bijvoorbeeld wat u nu doet en wat u wilt."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Uw tekst is te lang. Gebruik maximaal 1000 tekens.")},
    )
    consent = forms.BooleanField(
        label=_(
            "Ik geef het leerwerkloket toestemming om mijn gegevens te gebruiken voor deze "
            "afspraak en om contact met mij op te nemen"
        ),
        error_messages={
            "required": _(
                "Wij kunnen de afspraak alleen maken als u toestemming geeft. Zet een vinkje."
            )
        },
    )

    field_order = [
        "theme",
        "question",
        "given_name",
        "family_name",
        "email",
        "phone",
        "consent",
        "website",
    ]


class EventRegistrationForm(PersonForm):
    consent = forms.BooleanField(
        label=_(
            "Ik geef het leerwerkloket toestemming om mijn gegevens te gebruiken voor deze "
            "activiteit en om mij daarover te mailen"
        ),
        error_messages={
            "required": _("Wij kunnen u alleen aanmelden als u toestemming geeft. Zet een vinkje.")
        },
    )

    field_order = ["given_name", "family_name", "email", "phone", "consent", "website"]


# -- staff -------------------------------------------------------------------------------------


class AvailabilityForm(StyledForm):
    adviser = forms.ModelChoiceField(
        label=_("Adviseur"),
        queryset=None,  # set in __init__
        empty_label=None,
        error_messages={"required": _("Kies de adviseur.")},
    )
    mode = forms.ChoiceField(
        label=_("Soort gesprek"),
        choices=SlotMode.choices,
        initial=SlotMode.LOCATION,
        widget=RadioSelect(),
        error_messages={"required": _("Kies op locatie of video.")},
    )
    location = forms.ModelChoiceField(
        label=_("Vestiging"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("– geen (videogesprek) –"),
        help_text=_("Alleen bij een gesprek op locatie."),
    )
    date = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een datum in zoals 31-12-2025."),
        },
    )
    start_time = forms.TimeField(
        label=_("Van"),
        widget=TimeInput(),
        error_messages={"required": _("Vul de begintijd in."), "invalid": _("Vul een tijd in.")},
    )
    end_time = forms.TimeField(
        label=_("Tot"),
        widget=TimeInput(),
        error_messages={"required": _("Vul de eindtijd in."), "invalid": _("Vul een tijd in.")},
    )
    slot_minutes = forms.IntegerField(
        label=_("Duur van een afspraak (minuten)"),
        min_value=SLOT_MINUTES_MIN,
        max_value=SLOT_MINUTES_MAX,
        initial=45,
        error_messages={
            "required": _("Vul in hoe lang een afspraak duurt."),
            "min_value": _("Een afspraak duurt minstens 10 minuten."),
            "max_value": _("Een afspraak duurt hoogstens 240 minuten."),
            "invalid": _("Vul een aantal minuten in."),
        },
    )

    def __init__(self, *args: Any, advisers: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adviser_field: Any = self.fields["adviser"]
        adviser_field.queryset = advisers
        adviser_field.label_from_instance = lambda user: user.get_full_name() or user.email
        location_field: Any = self.fields["location"]
        location_field.queryset = locations

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        return data


class AttendanceForm(StyledForm):
    conversation_type = forms.ChoiceField(
        label=_("Soort gesprek"),
        choices=[("", _("Kies zelf (intake bij een eerste gesprek)")), *ConversationType.choices],
        required=False,
    )


class EventForm(StyledForm):
    title = forms.CharField(
        label=_("Titel"), max_length=200, error_messages={"required": _("Vul een titel in.")}
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=EventKind.choices)
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat gaan de bezoekers doen en wat hebben ze eraan? Schrijf eenvoudig (B1)."),
    )
    starts_at = forms.DateTimeField(
        label=_("Begint op"),
        widget=DateTimeInput(),
        error_messages={
            "required": _("Vul in wanneer de activiteit begint."),
            "invalid": _("Vul een datum en tijd in."),
        },
    )
    ends_at = forms.DateTimeField(
        label=_("Eindigt op"),
        widget=DateTimeInput(),
        error_messages={
            "required": _("Vul in wanneer de activiteit eindigt."),
            "invalid": _("Vul een datum en tijd in."),
        },
    )
    location = forms.ModelChoiceField(
        label=_("Vestiging"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("– geen vestiging –"),
    )
    venue = forms.CharField(
        label=_("Ander adres of zaal"),
        required=False,
        max_length=250,
    )
    online_url = forms.URLField(
        label=_("Link naar de online bijeenkomst"),
        assume_scheme="https",
        required=False,
        error_messages={"invalid": _("Vul een goede link in, die begint met https://.")},
    )
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": _("Vul het aantal plaatsen in."),
            "min_value": _("Een activiteit heeft minstens 1 plaats."),
            "invalid": _("Vul een aantal in."),
        },
    )
    target_audience = forms.CharField(
        label=_("Voor wie"),
        required=False,
        max_length=250,
        help_text=_("Bijvoorbeeld: werkzoekenden, werkgevers, jongeren."),
    )
    registration_open = forms.BooleanField(label=_("Aanmelden kan"), required=False, initial=True)
    is_published = forms.BooleanField(label=_("Zet op de website"), required=False)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location_field: Any = self.fields["location"]
        location_field.queryset = locations

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        return data


class DayForm(forms.Form):
    datum = forms.DateField(required=False, widget=DateInput())

    def day(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("datum"):
            return self.cleaned_data["datum"]
        return timezone.localdate()
