"""Public pages of Mijn Leerwerkloket: make an account, confirm the address, sign in (password
or a sign-in link), a new password, sign out, and the adviser's invitation.

Against abuse and leaks: every form is POST with CSRF; the public forms have a honeypot (a
filled one "succeeds" without doing anything); they are limited per client address and per
e-mail address (hashes in the cache, ``leerwerk.portal.ratelimit``); they answer the same
whether or not an account exists; ``next`` is followed only when it is a path on this site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.core.honeypot import honeypot_filled
from leerwerk.mijn import services, tokens
from leerwerk.mijn.auth import (
    citizen_required,
    current_citizen,
    login_citizen,
    logout_citizen,
    safe_next,
)
from leerwerk.mijn.constants import (
    RATE_FORMS_PER_ADDRESS,
    RATE_LOGIN_PER_ADDRESS,
    RATE_LOGIN_PER_EMAIL,
    RATE_MAIL_PER_EMAIL,
    SESSION_INVITE,
)
from leerwerk.mijn.forms import (
    EmailOnlyForm,
    LoginForm,
    PasswordOnlyForm,
    SetPasswordForm,
    SignupForm,
)
from leerwerk.network.forms import add_service_errors
from leerwerk.portal import ratelimit

GET_POST = require_http_methods(["GET", "POST"])


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "mijn/auth/rate_limited.html", {"title": _("Even wachten")}, status=429)


def link_problem(request: HttpRequest, *, expired: bool, kind: str) -> HttpResponse:
    return render(
        request,
        "mijn/auth/link_problem.html",
        {"title": _("Deze link werkt niet"), "expired": expired, "kind": kind},
        status=410 if expired else 400,
    )


def after_login_url(request: HttpRequest) -> str:
    """Where a fresh log-in goes when no ``next`` was asked: a pending invitation first."""
    if request.session.get(SESSION_INVITE):
        return reverse("mijn:invitation_confirm")
    return reverse("mijn:overview")


# -- make an account -----------------------------------------------------------------------------


@never_cache
@GET_POST
def signup(request: HttpRequest) -> HttpResponse:
    if current_citizen(request) is not None:
        return HttpResponseRedirect(reverse("mijn:overview"))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if ratelimit.is_limited(request, RATE_FORMS_PER_ADDRESS):
            return too_many(request)
        if honeypot_filled(request):
            ratelimit.hit(request, RATE_FORMS_PER_ADDRESS)  # a robot: pretend it worked
            return HttpResponseRedirect(reverse("mijn:signup_sent"))
        if form.is_valid():
            email = services.normalise_email(form.cleaned_data["email"])
            if ratelimit.is_limited(request, RATE_MAIL_PER_EMAIL, subject=email):
                return too_many(request)
            try:
                services.account_signup(
                    email=email,
                    password=form.cleaned_data["password"],
                    display_name=form.cleaned_data["display_name"],
                    base_url=base_url(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                ratelimit.hit(request, RATE_FORMS_PER_ADDRESS)
                ratelimit.hit(request, RATE_MAIL_PER_EMAIL, subject=email)
                return HttpResponseRedirect(reverse("mijn:signup_sent"))
    return render(request, "mijn/auth/signup.html", {"form": form, "title": _("Account maken")})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "mijn/auth/signup_sent.html", {"title": _("Kijk in uw e-mail")})


@never_cache
@GET_POST
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation e-mail: confirm with the password, then logged in."""
    try:
        account = services.account_for_verify_token(token)
    except tokens.LinkExpired:
        return link_problem(request, expired=True, kind="verify")
    except tokens.LinkInvalid:
        return link_problem(request, expired=False, kind="verify")
    form = PasswordOnlyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if ratelimit.is_limited(request, RATE_LOGIN_PER_ADDRESS) or ratelimit.is_limited(
            request, RATE_LOGIN_PER_EMAIL, subject=account.email
        ):
            return too_many(request)
        if form.is_valid():
            try:
                account = services.account_verify(
                    token=token, password=form.cleaned_data["password"]
                )
            except ValidationError as exc:
                ratelimit.hit(request, RATE_LOGIN_PER_ADDRESS)
                ratelimit.hit(request, RATE_LOGIN_PER_EMAIL, subject=account.email)
                add_service_errors(form, exc)
                status = 400
            except (tokens.LinkInvalid, tokens.LinkExpired):
                return link_problem(request, expired=False, kind="verify")
            else:
                login_citizen(request, account)
                messages.success(request, _("Uw e-mailadres is bevestigd. U bent ingelogd."))
                return HttpResponseRedirect(after_login_url(request))
    return render(
        request,
        "mijn/auth/verify.html",
        {"form": form, "title": _("Bevestig uw e-mailadres")},
        status=status,
    )


# -- signing in ----------------------------------------------------------------------------------


@never_cache
@GET_POST
def login(request: HttpRequest) -> HttpResponse:
    raw_next = request.POST.get("next") or request.GET.get("next")
    next_url = safe_next(request, raw_next, after_login_url(request))
    if current_citizen(request) is not None and request.method == "GET":
        return HttpResponseRedirect(next_url)
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    context: dict[str, Any] = {"title": _("Inloggen bij Mijn Leerwerkloket")}
    if request.method == "POST":
        if ratelimit.is_limited(request, RATE_LOGIN_PER_ADDRESS):
            return too_many(request)
        if form.is_valid():
            email = services.normalise_email(form.cleaned_data["email"])
            if ratelimit.is_limited(request, RATE_LOGIN_PER_EMAIL, subject=email):
                form.add_error(
                    None,
                    _(
                        "Te veel pogingen met dit e-mailadres. Wacht een kwartier. Of vraag "
                        "een inloglink, dan heeft u geen wachtwoord nodig."
                    ),
                )
                status = 429
            else:
                try:
                    account = services.login_with_password(
                        email=email,
                        password=form.cleaned_data["password"],
                        base_url=base_url(request),
                    )
                except services.AccountNotVerified:
                    return render(
                        request,
                        "mijn/auth/not_verified.html",
                        {"title": _("Bevestig eerst uw e-mailadres")},
                    )
                if account is None:
                    ratelimit.hit(request, RATE_LOGIN_PER_ADDRESS)
                    ratelimit.hit(request, RATE_LOGIN_PER_EMAIL, subject=email)
                    form.add_error(
                        None,
                        _(
                            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op "
                            "hoofdletters in het wachtwoord."
                        ),
                    )
                    status = 400
                else:
                    login_citizen(request, account)
                    return HttpResponseRedirect(next_url)
    context.update({"form": form, "next": raw_next if raw_next == next_url else ""})
    return render(request, "mijn/auth/login.html", context, status=status)


def _mail_form(
    request: HttpRequest,
    *,
    template: str,
    title: str,
    sent_url: str,
    send: Any,
) -> HttpResponse:
    """A public "mail me a link" form: the same answer whether the address is known or not."""
    form = EmailOnlyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if ratelimit.is_limited(request, RATE_FORMS_PER_ADDRESS):
            return too_many(request)
        if honeypot_filled(request):
            ratelimit.hit(request, RATE_FORMS_PER_ADDRESS)
            return HttpResponseRedirect(sent_url)
        if form.is_valid():
            email = services.normalise_email(form.cleaned_data["email"])
            if ratelimit.is_limited(request, RATE_MAIL_PER_EMAIL, subject=email):
                return too_many(request)
            send(email=email, base_url=base_url(request))
            ratelimit.hit(request, RATE_FORMS_PER_ADDRESS)
            ratelimit.hit(request, RATE_MAIL_PER_EMAIL, subject=email)
            return HttpResponseRedirect(sent_url)
    return render(request, template, {"form": form, "title": title})


@never_cache
@GET_POST
def login_link(request: HttpRequest) -> HttpResponse:
    return _mail_form(
        request,
        template="mijn/auth/login_link.html",
        title=_("Inloggen met een link"),
        sent_url=reverse("mijn:login_link_sent"),
        send=services.login_link_request,
    )


@require_GET
def login_link_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "mijn/auth/mail_sent.html", {"title": _("Kijk in uw e-mail"), "kind": "login"}
    )


@never_cache
@GET_POST
def login_link_use(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that open links do not use them up); POST logs in."""
    try:
        services.account_for_login_token(token)
        if request.method == "POST":
            account = services.login_link_use(token=token)
            login_citizen(request, account)
            return HttpResponseRedirect(after_login_url(request))
    except tokens.LinkExpired:
        return link_problem(request, expired=True, kind="login")
    except tokens.LinkInvalid:
        return link_problem(request, expired=False, kind="login")
    return render(request, "mijn/auth/login_link_use.html", {"title": _("Inloggen")})


@never_cache
@GET_POST
def password_reset(request: HttpRequest) -> HttpResponse:
    return _mail_form(
        request,
        template="mijn/auth/password_reset.html",
        title=_("Wachtwoord vergeten"),
        sent_url=reverse("mijn:password_reset_sent"),
        send=services.password_reset_request,
    )


@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "mijn/auth/mail_sent.html", {"title": _("Kijk in uw e-mail"), "kind": "reset"}
    )


@never_cache
@GET_POST
def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.account_for_reset_token(token)
    except tokens.LinkExpired:
        return link_problem(request, expired=True, kind="reset")
    except tokens.LinkInvalid:
        return link_problem(request, expired=False, kind="reset")
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.password_reset_confirm(
                token=token, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (tokens.LinkInvalid, tokens.LinkExpired):
            return link_problem(request, expired=False, kind="reset")
        else:
            login_citizen(request, account)
            messages.success(request, _("Uw nieuwe wachtwoord is opgeslagen. U bent ingelogd."))
            return HttpResponseRedirect(after_login_url(request))
    return render(
        request,
        "mijn/auth/password_reset_confirm.html",
        {"form": form, "title": _("Kies een nieuw wachtwoord")},
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    logout_citizen(request)
    return HttpResponseRedirect(reverse("mijn:logged_out"))


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "mijn/auth/logged_out.html", {"title": _("U bent uitgelogd")})


# -- the adviser's invitation --------------------------------------------------------------------


@never_cache
@require_GET
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the adviser's e-mail. The invitation is kept in the session while the
    citizen signs in or makes an account; nothing is linked until they confirm."""
    token_hash = services.invitation_token_hash(token)
    try:
        link = services.link_for_invitation(token_hash)
    except tokens.LinkExpired:
        return link_problem(request, expired=True, kind="invitation")
    except tokens.LinkInvalid:
        return link_problem(request, expired=False, kind="invitation")
    request.session[SESSION_INVITE] = token_hash
    if current_citizen(request) is not None:
        return HttpResponseRedirect(reverse("mijn:invitation_confirm"))
    return render(
        request,
        "mijn/auth/invitation.html",
        {"title": _("Uitnodiging voor Mijn Leerwerkloket"), "desk": link.desk},
    )


@citizen_required
@GET_POST
def invitation_confirm(request: HttpRequest) -> HttpResponse:
    account = current_citizen(request)
    assert account is not None  # noqa: S101 (citizen_required)
    token_hash = request.session.get(SESSION_INVITE, "")
    try:
        link = services.link_for_invitation(token_hash)
    except tokens.LinkExpired:
        request.session.pop(SESSION_INVITE, None)
        return link_problem(request, expired=True, kind="invitation")
    except tokens.LinkInvalid:
        request.session.pop(SESSION_INVITE, None)
        return link_problem(request, expired=False, kind="invitation")
    error = ""
    if request.method == "POST":
        if request.POST.get("actie") == "koppelen":
            try:
                services.link_accept(account=account, token_hash=token_hash)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                request.session.pop(SESSION_INVITE, None)
                messages.success(
                    request,
                    _("Uw dossier bij %(desk)s is gekoppeld aan uw account.")
                    % {"desk": link.desk.display_name},
                )
                return HttpResponseRedirect(reverse("mijn:overview"))
        else:
            request.session.pop(SESSION_INVITE, None)
            messages.info(
                request, _("U heeft de uitnodiging niet aangenomen. Er is niets gekoppeld.")
            )
            return HttpResponseRedirect(reverse("mijn:overview"))
    return render(
        request,
        "mijn/invitation_confirm.html",
        {
            "title": _("Dossier koppelen"),
            "desk": link.desk,
            "error": error,
            "account": account,
        },
        status=409 if error else 200,
    )
