from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leerwerk.accounts import services
from leerwerk.core.http import client_ip
from leerwerk.core.passwords import validate_password_nl

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


def _style(form: forms.BaseForm) -> None:
    """NL Design System classes on every input; no autofocus once there are errors (the error
    summary takes the focus then)."""
    for field in form.fields.values():
        field.widget.attrs["class"] = TEXTBOX
        if form.is_bound and form.errors:
            field.widget.attrs.pop("autofocus", None)


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

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _style(self)

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


class StyledPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mailadres")
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _style(self)


class StyledSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _style(self)

    def validate_password_for_user(self, user, password_field_name="password2"):  # type: ignore[no-untyped-def]  # noqa: S107 (a field name)
        """The validators with Dutch messages (core.passwords)."""
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                validate_password_nl(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, error)

    def full_clean(self) -> None:
        super().full_clean()
        _style(self)
