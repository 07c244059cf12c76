"""Forms for the staff pages of trajectories, registrations and employers.

They check input and shape it for the services; the rules themselves (allowed transitions, the
vocabulary, dates, who may do what) live in ``leerwerk.guidance.services`` and
``leerwerk.clients.services``.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import KVK_PATTERN, Sector, SizeClass
from leerwerk.clients.services import EMPLOYER_FIELDS
from leerwerk.guidance.constants import (
    MAX_DURATION_MINUTES,
    TRANSITIONS,
    Channel,
    IntakeChannel,
    Outcome,
    QuestionTheme,
    RegistrationKind,
    RegistrationStatus,
    TrajectoryStatus,
)
from leerwerk.guidance.selectors import AdviserSuggestion
from leerwerk.network.forms import (
    DateInput,
    PartnerChoiceField,
    StyledForm,
    VersionField,
    style_widgets,
)
from leerwerk.network.models import Desk, Municipality, Partner, ServiceLine

_CHOOSE: list[tuple[str, Any]] = [("", _("Kies…"))]
_RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"


def _future_date_error(value: Any, message: Any) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)


class DeskChoiceField(forms.ModelChoiceField):
    """The desk to work for, for people who work at more than one desk."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Loket"))
        kwargs.setdefault("to_field_name", "uuid")
        kwargs.setdefault("empty_label", _("Kies een loket…"))
        kwargs.setdefault("error_messages", {"required": _("Kies het loket.")})
        super().__init__(queryset=Desk.objects.none(), **kwargs)


def add_desk_field(form: forms.Form, desks: list[Desk]) -> None:
    """Add a desk choice when the user works at more than one desk; with one desk it is implied."""
    if len(desks) > 1:
        field = DeskChoiceField()
        field.queryset = Desk.objects.filter(pk__in=[d.pk for d in desks]).order_by("display_name")
        form.fields = {"desk": field, **form.fields}
        style_widgets(form)


def chosen_desk(form: forms.Form, desks: list[Desk]) -> Desk:
    return form.cleaned_data["desk"] if "desk" in form.fields else desks[0]


# -- advisers --------------------------------------------------------------------------------


class AdviserChoiceField(forms.ChoiceField):
    """An adviser of the desk, chosen by user UUID from the suggestions (best fit first)."""

    widget = forms.RadioSelect

    def __init__(self, *, suggestions: list[AdviserSuggestion], **kwargs: Any) -> None:
        self.suggestions = suggestions
        self.users = {str(s.user.uuid): s.user for s in suggestions}
        choices = [("", _("Nog niemand toewijzen"))] + [
            (str(s.user.uuid), s.user.get_full_name()) for s in suggestions
        ]
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Kies een adviseur die nu bij dit loket werkt.")},
        )
        super().__init__(choices=choices, required=False, **kwargs)
        self.widget.attrs["class"] = _RADIO_CLASS

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.users.get(value) if value else None


# -- trajectories ----------------------------------------------------------------------------


def _service_line_field(desk: Desk) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Dienstverlening"),
        queryset=ServiceLine.objects.filter(desks=desk).order_by("sort_order", "name"),
        required=False,
        empty_label=_("Niet gekozen"),
    )


class FollowUpField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Volgende actie op"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", DateInput)
        kwargs.setdefault(
            "help_text", _("Op deze dag staat het traject op de werklijst. Leeg laten mag.")
        )
        super().__init__(**kwargs)


class TrajectoryOpenForm(StyledForm):
    theme = forms.ChoiceField(
        label=_("Onderwerp van de vraag"),
        choices=_CHOOSE + QuestionTheme.choices,
        error_messages={"required": _("Kies het onderwerp van de vraag.")},
    )
    channel = forms.ChoiceField(
        label=_("Binnengekomen via"),
        choices=_CHOOSE + IntakeChannel.choices,
        error_messages={"required": _("Kies hoe de vraag binnenkwam.")},
    )
    follow_up_on = FollowUpField()

    def __init__(
        self,
        *args: Any,
        desk: Desk,
        suggestions: list[AdviserSuggestion],
        partners: dict[str, list[Partner]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_line"] = _service_line_field(desk)
        self.fields["referrer_partner"] = PartnerChoiceField(
            label=_("Verwijzende organisatie"),
            required=False,
            help_text=_("Alleen als een partner de klant heeft doorverwezen."),
            **partners,
        )
        self.fields["adviser"] = AdviserChoiceField(label=_("Adviseur"), suggestions=suggestions)
        self.order_fields(
            ["theme", "channel", "referrer_partner", "service_line", "adviser", "follow_up_on"]
        )
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("channel") == IntakeChannel.PARTNER_REFERRAL
            and not cleaned.get("referrer_partner")
            and "referrer_partner" not in self.errors
        ):
            self.add_error(
                "referrer_partner", _("Kies de organisatie die de klant heeft doorverwezen.")
            )
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "theme",
                "channel",
                "service_line",
                "referrer_partner",
                "adviser",
                "follow_up_on",
            )
        }


class TrajectoryStatusForm(StyledForm):
    to_status = forms.ChoiceField(
        label=_("Nieuwe status"),
        error_messages={
            "required": _("Kies de nieuwe status."),
            "invalid_choice": _("Deze status kan niet vanuit de huidige status."),
        },
    )
    version = VersionField()

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(current, set()) - {TrajectoryStatus.CLOSED}
        self.fields["to_status"].choices = _CHOOSE + [  # type: ignore[attr-defined]
            (value, label) for value, label in TrajectoryStatus.choices if value in allowed
        ]
        self.has_choices = bool(allowed)


class TrajectoryAssignForm(StyledForm):
    version = VersionField()

    def __init__(self, *args: Any, suggestions: list[AdviserSuggestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adviser"] = AdviserChoiceField(label=_("Adviseur"), suggestions=suggestions)
        self.order_fields(["adviser", "version"])


class TrajectoryUpdateForm(StyledForm):
    theme = forms.ChoiceField(
        label=_("Onderwerp van de vraag"),
        choices=QuestionTheme.choices,
        error_messages={"required": _("Kies het onderwerp van de vraag.")},
    )
    follow_up_on = FollowUpField()
    version = VersionField()

    def __init__(self, *args: Any, desk: Desk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_line"] = _service_line_field(desk)
        self.order_fields(["theme", "service_line", "follow_up_on", "version"])
        style_widgets(self)

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("theme", "service_line", "follow_up_on")}


class TrajectoryCloseForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=_CHOOSE + Outcome.choices,
        error_messages={"required": _("Kies de uitkomst van het traject.")},
    )
    outcome_date = forms.DateField(
        label=_("Datum van de uitkomst"),
        widget=DateInput,
        error_messages={
            "required": _("Vul de datum van de uitkomst in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-01-2025."),
        },
    )
    closed_on = forms.DateField(
        label=_("Afgesloten op"),
        widget=DateInput,
        error_messages={
            "required": _("Vul de datum van afsluiten in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-01-2025."),
        },
    )
    version = VersionField()

    def clean_outcome_date(self) -> Any:
        value = self.cleaned_data.get("outcome_date")
        _future_date_error(value, _("De datum van de uitkomst kan niet in de toekomst liggen."))
        return value

    def clean_closed_on(self) -> Any:
        value = self.cleaned_data.get("closed_on")
        _future_date_error(value, _("De datum van afsluiten kan niet in de toekomst liggen."))
        return value


# -- registrations ---------------------------------------------------------------------------

KIND_PARAMETERS = {
    "contact_moment": RegistrationKind.CONTACT_MOMENT,
    "instrument": RegistrationKind.INSTRUMENT,
    "referral": RegistrationKind.REFERRAL,
}


class RegistrationForm(StyledForm):
    """One registration of ``kind``. The fields shown depend on the kind: a channel for contact
    moments, a partner for referrals; 'no-show' only for contact moments."""

    occurred_on = forms.DateField(
        label=_("Datum"),
        widget=DateInput,
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-01-2025."),
        },
    )
    channel = forms.ChoiceField(
        label=_("Kanaal"),
        choices=_CHOOSE + Channel.choices,
        error_messages={"required": _("Kies het kanaal van het contact.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=RegistrationStatus.choices)
    duration_minutes = forms.IntegerField(
        label=_("Duur in minuten"),
        required=False,
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Alleen bij een gehouden afspraak. Hoogstens 480 minuten (8 uur)."),
        error_messages={
            "invalid": _("Vul de duur in hele minuten in, bijvoorbeeld 45."),
            "min_value": _("De duur ligt tussen 1 minuut en 8 uur (480 minuten)."),
            "max_value": _("De duur ligt tussen 1 minuut en 8 uur (480 minuten)."),
        },
    )
    note = forms.CharField(
        label=_("Korte notitie"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zonder gevoelige persoonsgegevens. Hoogstens 500 tekens."),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        types: QuerySet[Any] | None = None,
        partners: dict[str, list[Partner]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if types is not None:
            self.fields["type"] = forms.ModelChoiceField(
                label=_("Soort"),
                queryset=types,
                empty_label=_("Kies…"),
                error_messages={"required": _("Kies wat er is gebeurd.")},
            )
        if kind == RegistrationKind.EMPLOYER_ACTIVITY:
            self.fields["channel"].required = False
            self.fields["channel"].choices = [("", _("Niet van toepassing"))] + Channel.choices  # type: ignore[attr-defined]
        elif kind != RegistrationKind.CONTACT_MOMENT:
            del self.fields["channel"]
        if kind != RegistrationKind.CONTACT_MOMENT:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (v, label)
                for v, label in RegistrationStatus.choices
                if v != RegistrationStatus.NO_SHOW
            ]
            self.fields["status"].error_messages["invalid_choice"] = _(
                "'Niet verschenen' kan alleen bij een contactmoment. Kies gehouden of afgezegd."
            )
        if kind == RegistrationKind.REFERRAL and partners is not None:
            self.fields["partner"] = PartnerChoiceField(
                label=_("Doorverwezen naar"),
                required=False,
                help_text=_("De organisatie waar de klant naartoe gaat."),
                **partners,
            )
        self.order_fields(
            ["desk", "type", "occurred_on", "channel", "status", "duration_minutes", "partner"]
        )
        style_widgets(self)

    def clean_occurred_on(self) -> Any:
        value = self.cleaned_data.get("occurred_on")
        _future_date_error(
            value, _("Registreer alleen wat al gebeurd is: de datum ligt in de toekomst.")
        )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") != RegistrationStatus.COMPLETED:
            cleaned["duration_minutes"] = None  # a cancelled meeting has no duration
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            "occurred_on": data["occurred_on"],
            "status": data["status"],
            "duration_minutes": data.get("duration_minutes"),
            "note": data.get("note", ""),
        }
        if "channel" in self.fields:
            values["channel"] = data.get("channel") or ""
        if "partner" in self.fields:
            values["partner"] = data.get("partner")
        return values


class RegistrationEditForm(RegistrationForm):
    version = VersionField()


# -- employers -------------------------------------------------------------------------------


class EmployerForm(StyledForm):
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de werkgever in.")},
    )
    kvk_number = forms.CharField(
        label=_("KvK-nummer"),
        max_length=20,
        required=False,
        help_text=_("8 cijfers, bijvoorbeeld 12345678."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Niet gekozen"))] + Sector.choices, required=False
    )
    size_class = forms.ChoiceField(
        label=_("Grootte"),
        choices=[("", _("Niet gekozen"))] + SizeClass.choices,
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=_("Vestigingsgemeente"),
        queryset=Municipality.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Niet gekozen"),
    )
    notes = forms.CharField(
        label=_("Notities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def clean_kvk_number(self) -> str:
        value = "".join((self.cleaned_data.get("kvk_number") or "").split())
        if value and not re.fullmatch(KVK_PATTERN, value):
            raise forms.ValidationError(_("Een KvK-nummer heeft 8 cijfers."))
        return value

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EMPLOYER_FIELDS}


class EmployerEditForm(EmployerForm):
    version = VersionField()


class ContactPersonForm(StyledForm):
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de contactpersoon in.")},
    )
    role = forms.CharField(label=_("Functie"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={"invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl.")},
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            self.add_error(
                "email", _("Vul een e-mailadres of telefoonnummer van de contactpersoon in.")
            )
        return cleaned

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "role", "email", "phone")}


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam of KvK-nummer"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
        self.fields["q"].widget.input_type = "search"  # type: ignore[attr-defined]
