from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from leerwerk.accounts import services
from leerwerk.core.http import client_ip


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters in het "
            "wachtwoord."
        ),
        "inactive": _("Dit account is niet actief."),
        "throttled": _(
            "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw, of "
            "vraag een nieuw wachtwoord aan."
        ),
    }

    def clean(self):  # type: ignore[no-untyped-def]
        email = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else ""
        if services.login_is_throttled(email=email, client_ip=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_failed(email=email, client_ip=ip)
            raise
        services.login_succeeded(email=email, client_ip=ip)
        return cleaned
