"""The honeypot of the public forms: a field people do not see (it is hidden by the theme's
CSS, out of the tab order and without autofill) and robots fill in. A view that finds it
filled answers as if the form worked, without saving or sending anything, so the robot learns
nothing. Used by every public form: booking and event registration (agenda), a request for
help (guidance), the callback and self-test forms (portal), sign-up and sign-in by link (mijn).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    website = forms.CharField(
        label=_("Vul dit veld niet in"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def honeypot_filled(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())
