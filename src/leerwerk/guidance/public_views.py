"""The public advice-request form of a desk ("Stel uw vraag") and its thank-you page.

Anyone may submit; the rules live in ``guidance.services.intake_request_submit_public``. Against
abuse: a honeypot field (a filled one "succeeds" without saving) and a limit per client address,
counted in the cache under a hash (no IP address is stored).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.clients.constants import PHONE_PATTERN
from leerwerk.core.honeypot import HONEYPOT_FIELD, HoneypotMixin, honeypot_filled
from leerwerk.core.http import client_ip
from leerwerk.guidance import services
from leerwerk.guidance.constants import QuestionTheme
from leerwerk.network.constants import POSTCODE_PATTERN
from leerwerk.network.forms import StyledForm, add_service_errors
from leerwerk.network.models import Desk

#: At most this many requests per client address per window (both can be set in settings).
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 10 * 60

# The themes in plain words (B1), in the order people look for them.
THEME_CHOICES = [
    (QuestionTheme.CAREER_ADVICE, _("Ik wil weten welk werk bij mij past")),
    (QuestionTheme.TRAINING_QUESTION, _("Ik wil een cursus of opleiding volgen")),
    (QuestionTheme.RETRAINING, _("Ik wil een ander vak leren (omscholing)")),
    (QuestionTheme.FUNDING, _("Ik zoek geld om een opleiding te betalen")),
    (
        QuestionTheme.BASIC_SKILLS,
        _("Ik wil beter leren lezen, schrijven, rekenen of werken met de computer"),
    ),
    (QuestionTheme.JOB_APPLICATIONS, _("Ik wil hulp bij solliciteren")),
    (QuestionTheme.EVC, _("Ik wil een bewijs van wat ik al kan door mijn ervaring (EVC)")),
    (QuestionTheme.OTHER, _("Iets anders")),
]
CONTACT_CHOICES = [
    ("email", _("Stuur mij een e-mail")),
    ("phone", _("Bel mij op")),
]


class RadioSelect(forms.RadioSelect):
    """Radio buttons whose group points at the first option, so the error summary can link
    to it (Django's RadioSelect gives the group no id)."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"})

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index or "0")


class AdviceRequestForm(StyledForm, HoneypotMixin):
    theme = forms.ChoiceField(
        label=_("Waar gaat uw vraag over?"),
        choices=THEME_CHOICES,
        widget=RadioSelect(),
        error_messages={"required": _("Kies waar uw vraag over gaat.")},
    )
    description = forms.CharField(
        label=_("Wat is uw vraag?"),
        help_text=_("Schrijf in een paar zinnen waar wij u mee kunnen helpen."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Schrijf kort wat uw vraag is."),
            "max_length": _("Uw vraag is te lang. Gebruik maximaal 2000 tekens."),
        },
    )
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
        required=False,
        help_text=_("Bijvoorbeeld naam@voorbeeld.nl"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Vul een goed e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
        },
    )
    phone = forms.CharField(
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
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=7,
        help_text=_("Bijvoorbeeld 1234 AB"),
        validators=[RegexValidator(POSTCODE_PATTERN, _("Vul een postcode in zoals 1234 AB."))],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    contact_preference = forms.ChoiceField(
        label=_("Hoe wilt u dat wij contact met u opnemen?"),
        choices=CONTACT_CHOICES,
        initial="email",
        widget=RadioSelect(),
        error_messages={"required": _("Kies hoe wij contact met u opnemen.")},
    )
    consent = forms.BooleanField(
        label=_(
            "Ik geef het leerwerkloket toestemming om mijn gegevens te gebruiken om contact met "
            "mij op te nemen over mijn vraag"
        ),
        required=True,
        error_messages={
            "required": _("Wij kunnen u alleen helpen als u toestemming geeft. Zet een vinkje.")
        },
    )

    field_order = [
        "theme",
        "description",
        "given_name",
        "family_name",
        "contact_preference",
        "email",
        "phone",
        "postcode",
        "consent",
        "website",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preference = data.get("contact_preference")
        if preference == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("U wilt een e-mail: vul dan uw e-mailadres in."))
        if preference == "phone" and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("U wilt gebeld worden: vul dan uw telefoonnummer in."))
        return data


# -- rate limit ----------------------------------------------------------------------------------


def _rate_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()
    return f"advice-request:ip:{digest[:32]}"


def _limit() -> int:
    return getattr(settings, "LEERWERK_PUBLIC_REQUEST_LIMIT", RATE_LIMIT)


def _window() -> int:
    return getattr(settings, "LEERWERK_PUBLIC_REQUEST_WINDOW_SECONDS", RATE_WINDOW_SECONDS)


def _rate_limited(request: HttpRequest) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= _limit()


def _count_submission(request: HttpRequest) -> None:
    key = _rate_key(request)
    cache.add(key, 0, timeout=_window())
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())


# -- views ---------------------------------------------------------------------------------------


def _published_desk(slug: str) -> Desk:
    desk = Desk.objects.published().select_related("region").filter(slug=slug).first()
    if desk is None:
        raise Http404
    return desk


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    desk = _published_desk(slug)
    context = {"desk": desk, "title": _("Stel uw vraag aan %(desk)s") % {"desk": desk.display_name}}
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "guidance/public/rate_limited.html", context, status=429)
        form = AdviceRequestForm(request.POST)
        if honeypot_filled(request):
            # A robot filled the hidden field: pretend it worked, save nothing.
            _count_submission(request)
            return HttpResponseRedirect(reverse("guidance_public:request_sent", args=[desk.slug]))
        if form.is_valid():
            values = {
                k: v for k, v in form.cleaned_data.items() if k not in ("consent", HONEYPOT_FIELD)
            }
            try:
                services.intake_request_submit_public(
                    desk=desk, consent=form.cleaned_data["consent"], **values
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _count_submission(request)
                return HttpResponseRedirect(
                    reverse("guidance_public:request_sent", args=[desk.slug])
                )
    else:
        form = AdviceRequestForm()
    context["form"] = form
    return render(request, "guidance/public/request_form.html", context)


@require_GET
def request_sent(request: HttpRequest, slug: str) -> HttpResponse:
    desk = _published_desk(slug)
    return render(
        request,
        "guidance/public/request_sent.html",
        {"desk": desk, "title": _("Uw vraag is verstuurd")},
    )
