"""The citizen's own pages under /mijn/: overview, profile, self-tests, saved training offers,
appointments, consent, download all my data, delete my account.

Every page needs the citizen's log-in (``citizen_required``) and reads only the logged-in
account's data (selected by account, never by id from the request alone). Redirects go to
URLs built with ``reverse``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.agenda import notifications as agenda_notifications
from leerwerk.agenda.constants import AppointmentStatus
from leerwerk.catalogue.models import Offer
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.core.views_helpers import paginate
from leerwerk.mijn import dossier_bridge, selectors, services, tokens
from leerwerk.mijn.auth import (
    citizen_required,
    current_citizen,
    logout_citizen,
    safe_next,
    update_session_hash,
)
from leerwerk.mijn.constants import RATE_MAIL_PER_EMAIL
from leerwerk.mijn.forms import (
    ClaimForm,
    ConsentForm,
    DeleteForm,
    DeleteWithPasswordForm,
    EmailChangeForm,
    PasswordChangeForm,
    ProfileForm,
)
from leerwerk.mijn.models import CitizenAccount
from leerwerk.mijn.views_auth import base_url, link_problem, too_many
from leerwerk.network.forms import add_service_errors
from leerwerk.portal import ratelimit, selftests

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 10


def _account(request: HttpRequest) -> CitizenAccount:
    account = current_citizen(request)
    if account is None:  # pragma: no cover - citizen_required comes first
        raise PermissionDenied
    return account


def _page(
    request: HttpRequest, template: str, title: str, *, status: int = 200, **context: Any
) -> HttpResponse:
    context = {"title": title, "account": _account(request), **context}
    return render(request, template, context, status=status)


# -- overview ------------------------------------------------------------------------------------


@citizen_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    return _page(
        request,
        "mijn/overview.html",
        _("Mijn Leerwerkloket"),
        counts=selectors.overview(account),
        links=list(selectors.active_links(account)),
        has_dossier=dossier_bridge.available(),  # messages and development plan pages
    )


# -- profile -------------------------------------------------------------------------------------


@citizen_required
@GET_POST
def profile(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(account=account, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Uw gegevens zijn opgeslagen."))
                return HttpResponseRedirect(reverse("mijn:profile"))
    else:
        form = ProfileForm(
            initial={
                "display_name": account.display_name,
                "phone": account.phone,
                "postcode": account.postcode,
            }
        )
    return _page(request, "mijn/profile.html", _("Mijn gegevens"), form=form)


@citizen_required
@GET_POST
def email_change(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    form = EmailChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        new = services.normalise_email(form.cleaned_data["email"])
        if ratelimit.is_limited(request, RATE_MAIL_PER_EMAIL, subject=new):
            return too_many(request)
        try:
            services.email_change_request(
                account=account,
                new_email=new,
                password=form.cleaned_data["password"],
                base_url=base_url(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            ratelimit.hit(request, RATE_MAIL_PER_EMAIL, subject=new)
            messages.success(
                request,
                _(
                    "Wij hebben een e-mail gestuurd naar het nieuwe adres. Klik op de link in "
                    "die e-mail. Pas daarna gebruiken wij het nieuwe adres."
                ),
            )
            return HttpResponseRedirect(reverse("mijn:profile"))
    return _page(request, "mijn/email_change.html", _("E-mailadres wijzigen"), form=form)


@citizen_required
@require_GET
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    account = _account(request)
    try:
        account = services.email_change_confirm(
            account=account, token=token, base_url=base_url(request)
        )
    except tokens.LinkExpired:
        return link_problem(request, expired=True, kind="email")
    except tokens.LinkInvalid:
        return link_problem(request, expired=False, kind="email")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("mijn:email_change"))
    update_session_hash(request, account)
    messages.success(request, _("Uw nieuwe e-mailadres is bevestigd."))
    return HttpResponseRedirect(reverse("mijn:profile"))


@citizen_required
@GET_POST
def password_change(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    has_password = account.has_usable_password
    form = PasswordChangeForm(
        request.POST if request.method == "POST" else None, has_password=has_password
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                account=account,
                current=form.cleaned_data.get("current_password", ""),
                new=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_hash(request, account)
            messages.success(request, _("Uw nieuwe wachtwoord is opgeslagen."))
            return HttpResponseRedirect(reverse("mijn:profile"))
    return _page(
        request,
        "mijn/password_change.html",
        _("Wachtwoord wijzigen") if has_password else _("Wachtwoord kiezen"),
        form=form,
        has_password=has_password,
    )


# -- self-tests ----------------------------------------------------------------------------------


@citizen_required
@GET_POST
def selftest_list(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if ratelimit.is_limited(request, "resume"):
            return too_many(request)
        if form.is_valid():
            ratelimit.hit(request, "resume")
            session = services.selftest_claim(account=account, code=form.cleaned_data["code"])
            if session is not None:
                messages.success(request, _("De test staat nu in uw lijst."))
                return HttpResponseRedirect(reverse("mijn:selftests"))
            form.add_error(
                "code",
                _(
                    "Wij vinden geen test met deze code. Controleer de code. Na 30 dagen "
                    "vervalt een test."
                ),
            )
            status = 404
    page = paginate(request, selectors.my_selftests(account), per_page=PAGE_SIZE)
    rows = [_selftest_row(session) for session in page]
    return _page(
        request,
        "mijn/selftests.html",
        _("Mijn zelftesten"),
        form=form,
        page=page,
        rows=rows,
        tests=list(selftests.TESTS.values()),
        status=status,
    )


def _selftest_row(session: Any) -> dict[str, Any]:
    test = selftests.get_test(session.kind)
    answers = selftests.clean_answers(test, session.answers)
    open_page = next(
        (
            number
            for number in range(1, test.pages + 1)
            if any(item.id not in answers for item in test.page_items(number))
        ),
        test.pages,
    )
    return {
        "session": session,
        "test": test,
        "answered": len(answers),
        "total": len(test.items),
        "open_page": open_page,
    }


@citizen_required
@require_POST
def selftest_remove(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    if not services.selftest_remove(account=_account(request), session_uuid=session_uuid):
        raise Http404
    messages.success(request, _("De test is verwijderd."))
    return HttpResponseRedirect(reverse("mijn:selftests"))


# -- saved training offers -----------------------------------------------------------------------


@citizen_required
@require_GET
def saved_offers(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    page = paginate(request, selectors.my_saved_offers(account), per_page=PAGE_SIZE)
    return _page(request, "mijn/saved_offers.html", _("Mijn bewaarde opleidingen"), page=page)


def _return_to(request: HttpRequest, default: str) -> str:
    return safe_next(request, request.POST.get("next"), default)


@citizen_required
@require_POST
def saved_offer_add(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer = get_object_or_404(Offer, uuid=offer_uuid)
    default = reverse("catalogue_search:offer_detail", args=[offer.uuid])
    try:
        services.saved_offer_add(account=_account(request), offer=offer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De opleiding is bewaard in Mijn Leerwerkloket."))
    return HttpResponseRedirect(_return_to(request, default))


@citizen_required
@require_POST
def saved_offer_remove(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer = get_object_or_404(Offer, uuid=offer_uuid)
    if services.saved_offer_remove(account=_account(request), offer=offer):
        messages.success(request, _("De opleiding is uit uw lijst gehaald."))
    return HttpResponseRedirect(_return_to(request, reverse("mijn:saved_offers")))


# -- appointments --------------------------------------------------------------------------------


@citizen_required
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    lists = selectors.split_appointments(selectors.my_appointments(account))
    rows = [
        {
            "appointment": appointment,
            "place": agenda_notifications.appointment_place(appointment),
            "manage_url": agenda_notifications.appointment_manage_url(
                appointment, base_url(request)
            )
            if appointment.status == AppointmentStatus.BOOKED
            else "",
        }
        for appointment in lists.upcoming
    ]
    past = paginate(request, lists.past, per_page=PAGE_SIZE)
    return _page(
        request,
        "mijn/appointments.html",
        _("Mijn afspraken"),
        upcoming=rows,
        past=past,
        links=list(selectors.active_links(account)),
    )


# -- consent -------------------------------------------------------------------------------------


@citizen_required
@GET_POST
def consents(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = ConsentForm(request.POST)
        link_uuid = _uuid_or_none(request.POST.get("dossier", ""))
        if link_uuid is None:
            raise Http404
        if form.is_valid():
            purpose = form.cleaned_data["purpose"]
            give = form.cleaned_data["action"] == "geven"
            try:
                services.consent_change(
                    account=account,
                    link_uuid=link_uuid,
                    purpose=purpose,
                    give=give,
                    follow_up_after_months=form.cleaned_data["follow_up_after_months"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                errors[f"{link_uuid}:{purpose}"] = " ".join(exc.messages)
                status = 400
            else:
                label = ConsentPurpose(purpose).label
                messages.success(
                    request,
                    (
                        _("U gaf toestemming: %(purpose)s.")
                        if give
                        else _("U trok uw toestemming in: %(purpose)s. Dit geldt meteen.")
                    )
                    % {"purpose": label},
                )
                return HttpResponseRedirect(reverse("mijn:consents") + f"#dossier-{link_uuid}")
        else:
            purpose = request.POST.get("purpose", "")
            errors[f"{link_uuid}:{purpose}"] = " ".join(
                message for messages_ in form.errors.values() for message in messages_
            )
            status = 400
    return _page(
        request,
        "mijn/consents.html",
        _("Mijn toestemmingen"),
        files=selectors.consent_files(account),
        errors=errors,
        follow_up=ConsentPurpose.FOLLOW_UP.value,
        follow_up_form=ConsentForm(),
        status=status,
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# -- download all my data ------------------------------------------------------------------------


@citizen_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    return _page(
        request,
        "mijn/export.html",
        _("Mijn gegevens downloaden"),
        links=list(selectors.active_links(account)),
    )


@citizen_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    data = services.account_export(account=_account(request))  # audited
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(content.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mijn-leerwerkloket-gegevens.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- delete my account ---------------------------------------------------------------------------


@citizen_required
@GET_POST
def delete(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    has_password = account.has_usable_password
    form = (
        DeleteWithPasswordForm(request.POST if request.method == "POST" else None)
        if has_password
        else DeleteForm()
    )
    status = 200
    if request.method == "POST":
        if request.POST.get("actie") == "link":
            if ratelimit.is_limited(request, RATE_MAIL_PER_EMAIL, subject=account.email):
                return too_many(request)
            services.delete_link_request(account=account, base_url=base_url(request))
            ratelimit.hit(request, RATE_MAIL_PER_EMAIL, subject=account.email)
            messages.success(
                request,
                _(
                    "Wij hebben u een e-mail gestuurd. Klik binnen 15 minuten op de link in die "
                    "e-mail om uw account te verwijderen."
                ),
            )
            return HttpResponseRedirect(reverse("mijn:delete"))
        if has_password and form.is_valid():
            try:
                services.check_delete_password(account, form.cleaned_data["password"])
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                services.account_delete(
                    account=account, ask_erasure=form.cleaned_data["ask_erasure"]
                )
                logout_citizen(request)
                return HttpResponseRedirect(reverse("mijn:deleted"))
        elif has_password:
            status = 400
    return _page(
        request,
        "mijn/delete.html",
        _("Account verwijderen"),
        form=form,
        has_password=has_password,
        links=list(selectors.active_links(account)),
        status=status,
    )


@never_cache
@GET_POST
def delete_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the "confirm deleting" e-mail: works without the password (it proves the
    mailbox), once, for 15 minutes."""
    try:
        account = services.account_for_delete_token(token)
    except tokens.LinkExpired:
        return link_problem(request, expired=True, kind="delete")
    except tokens.LinkInvalid:
        return link_problem(request, expired=False, kind="delete")
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_for_delete_token(token, lock=False)
        except (tokens.LinkInvalid, tokens.LinkExpired):
            return link_problem(request, expired=False, kind="delete")
        services.account_delete(account=account, ask_erasure=form.cleaned_data["ask_erasure"])
        logout_citizen(request)
        return HttpResponseRedirect(reverse("mijn:deleted"))
    return render(
        request,
        "mijn/delete_link.html",
        {
            "title": _("Account verwijderen"),
            "form": form,
            "links": list(selectors.active_links(account)),
        },
    )


@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "mijn/deleted.html", {"title": _("Uw account is verwijderd")})
