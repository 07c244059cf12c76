"""Forms of Mijn Leerwerkloket. They check and shape input, in Dutch at B1 level; the rules
(passwords, links, consent) live in ``mijn.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import PHONE_PATTERN, ConsentPurpose
from leerwerk.core.honeypot import HONEYPOT_FIELD, HoneypotMixin
from leerwerk.network.constants import POSTCODE_PATTERN
from leerwerk.network.forms import StyledForm

__all__ = ["HONEYPOT_FIELD"]

EMAIL_ERRORS = {
    "required": _("Vul uw e-mailadres in."),
    "invalid": _("Vul een goed e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
    "max_length": _("Dit e-mailadres is te lang."),
}
PASSWORD_HELP = _(
    "Minstens 12 tekens. Tip: gebruik een zin van een paar woorden die u goed kunt onthouden."
)


EMAIL_LABEL = _("E-mailadres")


def email_field(label: Any = EMAIL_LABEL, **kwargs: Any) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


def password_field(label: Any, autocomplete: str, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("error_messages", {"required": _("Vul uw wachtwoord in.")})
    return forms.CharField(
        label=label,
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


class NewPasswordMixin(forms.Form):
    """A new password typed twice."""

    password = password_field(
        _("Kies een wachtwoord"),
        "new-password",
        help_text=PASSWORD_HELP,
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    password_again = password_field(
        _("Typ het wachtwoord nog een keer"),
        "new-password",
        error_messages={"required": _("Typ het wachtwoord nog een keer.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password"), cleaned.get("password_again")
        if first and second and first != second:
            self.add_error(
                "password_again", _("De wachtwoorden zijn niet hetzelfde. Typ ze nog een keer.")
            )
        return cleaned


class SignupForm(StyledForm, NewPasswordMixin, HoneypotMixin):
    display_name = forms.CharField(
        label=_("Uw naam"),
        max_length=100,
        help_text=_("Hoe mogen wij u noemen? Bijvoorbeeld uw voornaam."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Vul uw naam in."),
            "max_length": _("Uw naam is te lang. Gebruik maximaal 100 tekens."),
        },
    )
    email = email_field()

    field_order = ["display_name", "email", "password", "password_again", HONEYPOT_FIELD]


class LoginForm(StyledForm):
    email = email_field()
    password = password_field(_("Wachtwoord"), "current-password")


class EmailOnlyForm(StyledForm, HoneypotMixin):
    """Ask for a sign-in link or a new password."""

    email = email_field()

    field_order = ["email", HONEYPOT_FIELD]


class PasswordOnlyForm(StyledForm):
    password = password_field(_("Uw wachtwoord"), "current-password")


class SetPasswordForm(StyledForm, NewPasswordMixin):
    pass


class ProfileForm(StyledForm):
    display_name = forms.CharField(
        label=_("Uw naam"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Vul uw naam in."),
            "max_length": _("Uw naam is te lang. Gebruik maximaal 100 tekens."),
        },
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=20,
        required=False,
        help_text=_("Bijvoorbeeld 06 12345678"),
        validators=[
            RegexValidator(
                PHONE_PATTERN,
                _("Vul een goed telefoonnummer in, bijvoorbeeld 06 12345678 of 010 1234567."),
            )
        ],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        required=False,
        help_text=_("Bijvoorbeeld 1234 AB"),
        validators=[RegexValidator(POSTCODE_PATTERN, _("Vul een postcode in zoals 1234 AB."))],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )


class EmailChangeForm(StyledForm):
    email = email_field(_("Nieuw e-mailadres"))
    password = password_field(
        _("Uw wachtwoord"),
        "current-password",
        help_text=_("Zo weten wij zeker dat u het bent."),
    )


class PasswordChangeForm(StyledForm, NewPasswordMixin):
    current_password = password_field(
        _("Uw huidige wachtwoord"),
        "current-password",
        error_messages={"required": _("Vul uw huidige wachtwoord in.")},
    )

    field_order = ["current_password", "password", "password_again"]

    def __init__(self, *args: Any, has_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_password:  # only ever signed in with links: nothing to check
            del self.fields["current_password"]


class ClaimForm(StyledForm):
    code = forms.CharField(
        label=_("Code van uw test"),
        max_length=20,
        help_text=_("Bijvoorbeeld ABCD-EFGH-JKMN. U kreeg de code toen u de test bewaarde."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Vul de code van uw test in.")},
    )


FOLLOW_UP_CHOICES = [("", _("Kies…"))] + [
    (str(n), _("na %(n)s maanden") % {"n": n}) for n in (3, 6, 12, 24)
]


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    action = forms.ChoiceField(choices=[("geven", "geven"), ("intrekken", "intrekken")])
    follow_up_after_months = forms.TypedChoiceField(
        label=_("Wanneer mogen wij u weer bellen of mailen?"),
        choices=FOLLOW_UP_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("action") == "geven"
            and cleaned.get("purpose") == ConsentPurpose.FOLLOW_UP
            and not cleaned.get("follow_up_after_months")
        ):
            self.add_error(
                "follow_up_after_months",
                _("Kies na hoeveel maanden wij opnieuw contact mogen opnemen."),
            )
        return cleaned


class DeleteForm(StyledForm):
    ask_erasure = forms.BooleanField(
        label=_("Vraag het loket ook mijn dossier te verwijderen"),
        required=False,
        help_text=_(
            "Het loket krijgt dan een verzoek. Soms moet een loket gegevens nog een tijd "
            "bewaren. Dan hoort u waarom."
        ),
    )


class DeleteWithPasswordForm(DeleteForm):
    password = password_field(
        _("Uw wachtwoord"),
        "current-password",
        help_text=_("Zo weten wij zeker dat u het bent."),
    )

    field_order = ["password", "ask_erasure"]


# -- staff ---------------------------------------------------------------------------------------


class ErasureHandleForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Wat doet u met het dossier?"),
        choices=[
            ("anonimiseren", _("Dossier anonimiseren (persoonsgegevens verwijderen)")),
            ("bewaren", _("Dossier bewaren, met een reden")),
        ],
        widget=forms.RadioSelect(
            attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
        ),
        error_messages={"required": _("Kies wat u met het dossier doet.")},
    )
    note = forms.CharField(
        label=_("Reden om te bewaren"),
        max_length=500,
        required=False,
        help_text=_("Alleen als u het dossier bewaart. Bijvoorbeeld: wettelijke bewaartermijn."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Gebruik maximaal 500 tekens.")},
    )
