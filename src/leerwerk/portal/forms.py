"""Forms of the portal. They check and shape input; the rules live in ``portal.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import PHONE_PATTERN
from leerwerk.core.honeypot import HoneypotMixin
from leerwerk.network.forms import StyledForm, VersionField
from leerwerk.portal.selftests import SelfTest


class CallbackForm(StyledForm, HoneypotMixin):
    given_name = forms.CharField(
        label=_("Uw voornaam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Vul uw voornaam in.")},
    )
    phone = forms.CharField(
        label=_("Uw telefoonnummer"),
        max_length=20,
        help_text=_("Bijvoorbeeld 06 12345678"),
        validators=[
            RegexValidator(
                PHONE_PATTERN,
                _("Vul een goed telefoonnummer in, bijvoorbeeld 06 12345678 of 010 1234567."),
            )
        ],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Vul uw telefoonnummer in. Dan kunnen wij u bellen.")},
    )
    question = forms.CharField(
        label=_("Wat is uw vraag?"),
        help_text=_("Eén of twee zinnen is genoeg."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Schrijf kort wat uw vraag is."),
            "max_length": _("Uw vraag is te lang. Gebruik maximaal 500 tekens."),
        },
    )
    consent = forms.BooleanField(
        label=_("Ik geef het leerwerkloket toestemming om mij te bellen over mijn vraag"),
        error_messages={
            "required": _("Wij kunnen u alleen bellen als u toestemming geeft. Zet een vinkje.")
        },
    )

    field_order = ["given_name", "phone", "question", "consent", "website"]


class ResumeForm(StyledForm):
    code = forms.CharField(
        label=_("Uw code"),
        max_length=20,
        help_text=_("Bijvoorbeeld ABCD-EFGH-JKMN. Hoofdletters en streepjes zijn niet nodig."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Vul de code in die u kreeg toen u de test bewaarde.")},
    )


class AnswersForm(forms.Form):
    """The items of one page of a self-test: one radio group per item."""

    def __init__(self, *args: Any, test: SelfTest, page: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.test = test
        for item in test.page_items(page):
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text,
                choices=[(str(value), label) for value, label in test.scale],
                coerce=int,
                widget=forms.RadioSelect(
                    attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
                ),
                error_messages={"required": _("Kies een antwoord.")},
            )

    def set_required(self, required: bool) -> None:
        for field in self.fields.values():
            field.required = required


class ContentBlockForm(StyledForm):
    title = forms.CharField(label=_("Titel"), max_length=120, required=False)
    body = forms.CharField(
        label=_("Tekst"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Schrijf kort en in gewone woorden (taalniveau B1). Opmaak: **vet**, *schuin*, "
            "een lijstje met - aan het begin van de regel, een link als [tekst](https://…)."
        ),
        error_messages={
            "required": _("Schrijf een tekst."),
            "max_length": _("De tekst is te lang. Gebruik maximaal 5000 tekens."),
        },
    )
    is_published = forms.BooleanField(label=_("Op de website zetten"), required=False)
    version = VersionField(required=False)  # empty for a new block or settings row


class PortalSettingsForm(StyledForm):
    norm_days = forms.IntegerField(
        label=_("Norm voor de wachttijd (dagen)"),
        min_value=1,
        max_value=365,
        help_text=_(
            "Duurt een eerste gesprek langer, dan wijst de website eerst naar zelf zoeken en "
            "groepsbijeenkomsten. Adviesgesprekken blijven mogelijk."
        ),
    )
    intakes_per_fte_week = forms.DecimalField(
        label=_("Eerste gesprekken per fte per week"),
        min_value=0.1,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        localize=True,
    )
    show_staff_names = forms.BooleanField(
        label=_("Namen van medewerkers op de website tonen"),
        required=False,
        help_text=_("Zonder vinkje toont de website alleen hoeveel adviseurs er zijn."),
    )
    version = VersionField(required=False)  # empty for a new block or settings row


class ShareAttachForm(StyledForm):
    code = forms.CharField(
        label=_("Deelcode van de klant"),
        max_length=20,
        help_text=_("De klant kreeg deze code na de zelftest, bijvoorbeeld ABCD-EFGH."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Vul de deelcode in.")},
    )
    trajectory: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Traject"),
        queryset=None,
        to_field_name="uuid",
        error_messages={
            "required": _("Kies het traject van de klant."),
            "invalid_choice": _("Kies een traject uit de lijst."),
        },
    )

    def __init__(self, *args: Any, trajectories: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trajectory"]
        field.queryset = trajectories  # type: ignore[attr-defined]
        field.label_from_instance = lambda t: (  # type: ignore[attr-defined]
            f"{t.client} – {t.get_theme_display()} ({t.opened_on:%d-%m-%Y})"
        )
