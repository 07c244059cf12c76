"""Forms for the staff pages about clients and intake requests. They check input and shape it
for the services; the rules themselves live in ``clients.services`` and ``guidance.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, TargetGroup, phone_validator, postcode_validator
from leerwerk.clients.services import CLIENT_FIELDS
from leerwerk.guidance.constants import IntakeChannel, QuestionTheme, RequestStatus
from leerwerk.network.forms import StyledForm, StyledModelForm, VersionField, style_widgets
from leerwerk.network.models import Desk, DeskPartnership, ServiceLine

_BLANK: list[tuple[str, Any]] = [("", _("Kies…"))]
#: Client fields on the form (the municipality follows from the postcode).
FORM_CLIENT_FIELDS = [name for name in CLIENT_FIELDS if name != "municipality"]
NEW_CLIENT = "nieuw"


class DeskField(forms.ModelChoiceField):
    """One of the desks the user works at, chosen by UUID; preselected when there is one."""

    def __init__(self, *, desks: QuerySet[Desk], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Loket"))
        kwargs.setdefault("empty_label", _("Kies een loket…"))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Kies het loket."),
                "invalid_choice": _("Kies een loket waar u werkt."),
            },
        )
        super().__init__(queryset=desks, to_field_name="uuid", **kwargs)
        only = list(desks[:2])
        if len(only) == 1:
            self.initial = only[0].uuid

    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def _desk_first(form: forms.BaseForm, desks: QuerySet[Desk], **kwargs: Any) -> None:
    field = DeskField(desks=desks, **kwargs)
    form.fields = {"desk": field, **form.fields}
    style_widgets(form)


# -- search and lists -----------------------------------------------------------------------


class ClientSearchForm(StyledForm):
    q = forms.CharField(
        label=_("Zoek een klant"),
        max_length=100,
        required=False,
        help_text=_("Naam, e-mailadres, telefoonnummer of postcode."),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                # Live results while typing; without JavaScript the form searches as usual.
                "hx-get": reverse_lazy("clients:search"),
                "hx-trigger": "input changed delay:400ms, search",
                "hx-target": "#zoekresultaten",
                "hx-include": "closest form",
                "hx-push-url": "true",
            }
        ),
    )


# -- clients ----------------------------------------------------------------------------------


class ClientForm(StyledModelForm):
    """The client's details. Validated by the model here and again by the service."""

    target_groups = forms.ModelMultipleChoiceField(
        label=_("Doelgroepen"),
        queryset=TargetGroup.objects.filter(is_active=True).order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Client
        fields = [*FORM_CLIENT_FIELDS[:8], "target_groups", *FORM_CLIENT_FIELDS[8:]]
        widgets = {
            "given_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "family_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(
                attrs={
                    "inputmode": "tel",
                    "autocomplete": "off",
                    "class": "utrecht-textbox--tel-nl-size",
                }
            ),
            "birth_year": forms.NumberInput(
                attrs={"inputmode": "numeric", "class": "utrecht-textbox--numeric"}
            ),
            "postcode": forms.TextInput(
                attrs={"autocomplete": "off", "class": "utrecht-textbox--postal-code-nl-size"}
            ),
            "language_needs": forms.TextInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def client_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FORM_CLIENT_FIELDS}


class ClientCreateForm(ClientForm):
    def __init__(self, *args: Any, desks: QuerySet[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _desk_first(self, desks)


class ClientEditForm(ClientForm):
    version = VersionField()


class ConsentGiveForm(StyledForm):
    purpose = forms.ChoiceField(label=_("Doel"), choices=ConsentPurpose.choices)
    follow_up_after_months = forms.TypedChoiceField(
        label=_("Opnieuw contact na"),
        choices=[("", _("Kies…"))]
        + [(str(n), _("%(n)s maanden") % {"n": n}) for n in (3, 6, 12, 24)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ConsentWithdrawForm(StyledForm):
    purpose = forms.ChoiceField(label=_("Doel"), choices=ConsentPurpose.choices)


# -- intake requests --------------------------------------------------------------------------

REGISTER_CHANNELS = [
    (c.value, c.label)
    for c in (IntakeChannel.PHONE, IntakeChannel.WALK_IN, IntakeChannel.EMAIL, IntakeChannel.OTHER)
]
CONTACT_PREFERENCES = [("email", _("E-mail")), ("phone", _("Telefoon"))]


class RequestFieldsForm(StyledForm):
    """The question and the person's details, as on every intake request."""

    theme = forms.ChoiceField(label=_("Onderwerp"), choices=_BLANK + QuestionTheme.choices)
    description = forms.CharField(
        label=_("Vraag"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    given_name = forms.CharField(label=_("Voornaam"), max_length=100)
    family_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        required=False,
        validators=[postcode_validator],
        widget=forms.TextInput(attrs={"class": "utrecht-textbox--postal-code-nl-size"}),
    )
    contact_preference = forms.ChoiceField(
        label=_("Liefst contact via"), choices=CONTACT_PREFERENCES, initial="email"
    )

    REQUEST_FIELDS = [
        "theme",
        "description",
        "given_name",
        "family_name",
        "email",
        "phone",
        "postcode",
        "contact_preference",
    ]

    def request_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.REQUEST_FIELDS}


class RequestRegisterForm(RequestFieldsForm):
    channel = forms.ChoiceField(label=_("Binnengekomen via"), choices=_BLANK + REGISTER_CHANNELS)
    consent = forms.BooleanField(
        label=_("De klant geeft toestemming dat het loket contact opneemt"), required=False
    )

    field_order = ["channel", *RequestFieldsForm.REQUEST_FIELDS, "consent"]

    def __init__(self, *args: Any, desks: QuerySet[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _desk_first(self, desks)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("channel") == IntakeChannel.EMAIL and not cleaned.get("email"):
            if "email" not in self.errors:
                self.add_error(
                    "email", _("De vraag kwam per e-mail binnen: vul het e-mailadres in.")
                )
        return cleaned


class PartnershipField(forms.ChoiceField):
    """A partner of one of the user's desks, chosen by the partnership's UUID (which fixes the
    desk too). Grouped per desk when the user works at more than one."""

    def __init__(self, *, partnerships: list[DeskPartnership], **kwargs: Any) -> None:
        self.partnerships = {str(p.uuid): p for p in partnerships}
        desks = {p.desk_id for p in partnerships}
        choices: list[Any] = [("", _("Kies de verwijzende organisatie…"))]
        if len(desks) > 1:
            grouped: dict[str, list[tuple[str, str]]] = {}
            for p in partnerships:
                grouped.setdefault(p.desk.display_name, []).append((str(p.uuid), p.partner.name))
            choices.extend(grouped.items())
        else:
            choices.extend((str(p.uuid), p.partner.name) for p in partnerships)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Kies de verwijzende organisatie."),
                "invalid_choice": _("Kies een partner van uw loket."),
            },
        )
        super().__init__(choices=choices, **kwargs)

    def clean(self, value: Any) -> DeskPartnership | None:
        value = super().clean(value)
        return self.partnerships.get(value) if value else None


class ReferralForm(RequestFieldsForm):
    referrer_name = forms.CharField(
        label=_("Naam van de verwijzer"),
        max_length=200,
        help_text=_("De medewerker van de partner die verwijst."),
    )
    referral_reason = forms.CharField(
        label=_("Reden van verwijzing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent = forms.BooleanField(
        label=_("De klant geeft toestemming dat het loket contact opneemt"), required=False
    )

    field_order = [
        "referrer_partner",
        "referrer_name",
        "referral_reason",
        *RequestFieldsForm.REQUEST_FIELDS,
        "consent",
    ]

    def __init__(self, *args: Any, partnerships: list[DeskPartnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referrer_partner"] = PartnershipField(
            label=_("Verwijzende organisatie"), partnerships=partnerships
        )
        self.order_fields(self.field_order)
        style_widgets(self)


class RequestStatusFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle aanvragen")), *RequestStatus.choices],
        required=False,
    )


class RequestAcceptForm(StyledForm):
    """Take a request into work: which client, which adviser, which service line."""

    client = forms.ChoiceField(
        label=_("Klant"),
        widget=forms.RadioSelect(
            attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
        ),
        error_messages={
            "required": _("Kies een bestaande klant of 'nieuwe klant'."),
            "invalid_choice": _("Kies een van de voorgestelde klanten of 'nieuwe klant'."),
        },
    )
    adviser = forms.ChoiceField(label=_("Adviseur"), required=False)
    service_line = forms.ModelChoiceField(
        label=_("Dienstverlening"),
        queryset=ServiceLine.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Geen of onbekend"),
    )

    def __init__(
        self,
        *args: Any,
        candidates: list[Any],
        advisers: list[Any],
        service_lines: QuerySet[ServiceLine],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidate_clients = {str(c.client.uuid): c.client for c in candidates}
        self.advisers = {str(s.user.uuid): s.user for s in advisers}
        self.fields["client"].choices = [  # type: ignore[attr-defined]
            *[(key, str(client)) for key, client in self.candidate_clients.items()],
            (NEW_CLIENT, _("Nieuwe klant aanmaken met de gegevens van de aanvraag")),
        ]
        if not candidates:
            self.fields["client"].initial = NEW_CLIENT
        self.fields["adviser"].choices = [  # type: ignore[attr-defined]
            ("", _("Nog niet toewijzen")),
            *[(key, user.get_full_name()) for key, user in self.advisers.items()],
        ]
        if advisers:
            self.fields["adviser"].initial = str(advisers[0].user.uuid)
        self.fields["service_line"].queryset = service_lines  # type: ignore[attr-defined]
        style_widgets(self)

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "client": self.candidate_clients.get(data["client"]),
            "adviser": self.advisers.get(data["adviser"]) if data["adviser"] else None,
            "service_line": data["service_line"],
        }
