"""Staff pages of Mijn Leerwerkloket:

* ``/medewerkers/klanten/<client uuid>/mijn/``: invite a client to link their file, see the
  status, revoke (the desk's advisers and desk managers);
* ``/medewerkers/mijn-leerwerkloket/verwijderverzoeken/``: requests of citizens who deleted
  their account to erase their file too (the desk's desk managers), with the button that
  calls ``clients.services.client_erase``.

Clients are fetched through the scoping layer: another desk's client gives 404, and so does
every client for the national team and the ministry (personal data). Every view is audited.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerwerk.clients.models import Client
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, require_on_desk
from leerwerk.guidance.views.common import staff_crumbs
from leerwerk.mijn import selectors, services
from leerwerk.mijn.forms import ErasureHandleForm
from leerwerk.mijn.models import ClientLink, ErasureRequest
from leerwerk.mijn.views_auth import base_url
from leerwerk.network.forms import add_service_errors

GET_POST = require_http_methods(["GET", "POST"])


def _client(request: HttpRequest, client_uuid: uuid.UUID) -> Client:
    client = Client.objects.select_related("desk").get_for_user_or_404(
        request.user, Action.VIEW, uuid=client_uuid
    )
    require_on_desk(request.user, ClientLink, Action.VIEW, client.desk)
    return client


def _links_url(client: Client) -> str:
    return reverse("mijn_staff:client_links", args=[client.uuid])


@login_required
@GET_POST
def client_links(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    client = _client(request, client_uuid)
    can_invite = (
        not client.is_erased
        and client.merged_into_id is None
        and policy_for(ClientLink).can_on_desk(user, Action.ADD, client.desk_id)
    )
    error = ""
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied
        try:
            services.link_invite(actor=user, client=client, base_url=base_url(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s.") % {"email": client.email},
            )
            return HttpResponseRedirect(_links_url(client))
    links = selectors.client_links(user=user, client=client)
    audit_record(actor=user, action="mijn.link.view", obj=client, desk_id=client.desk_id)
    rows = [
        {
            "link": link,
            "expired": link.accepted_at is None
            and link.revoked_at is None
            and selectors.invitation_is_expired(link),
            "expires_at": selectors.invitation_expires_at(link),
            "can_revoke": link.revoked_at is None
            and policy_for(ClientLink).can(user, Action.CHANGE, link),
        }
        for link in links
    ]
    return render(
        request,
        "mijn/staff/client_links.html",
        {
            "title": _("Mijn Leerwerkloket"),
            "client": client,
            "rows": rows,
            "active": next((row for row in rows if row["link"].is_active), None),
            "can_invite": can_invite,
            "error": error,
            "breadcrumbs": staff_crumbs(
                (_("Klanten"), reverse("clients:search")),
                (client.full_name, reverse("clients:detail", args=[client.uuid])),
            ),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def link_revoke(request: HttpRequest, client_uuid: uuid.UUID, link_uuid: uuid.UUID) -> HttpResponse:
    client = _client(request, client_uuid)
    link = ClientLink.objects.get_for_user_or_404(
        request.user, Action.CHANGE, uuid=link_uuid, client=client
    )
    was_active = link.is_active
    services.link_revoke(actor=request.user, link=link)
    messages.success(
        request,
        _("De koppeling is ingetrokken. De klant ziet het dossier niet meer in Mijn Leerwerkloket.")
        if was_active
        else _("De uitnodiging is ingetrokken. De link in de e-mail werkt niet meer."),
    )
    return HttpResponseRedirect(_links_url(client))


# -- erasure requests ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def erasure_requests(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy_for(ErasureRequest).can_any(user, Action.VIEW):
        raise PermissionDenied
    page = paginate(request, selectors.erasure_requests(user=user))
    for desk_id in sorted({item.desk_id for item in page}):
        audit_record(
            actor=user,
            action="mijn.erasure_request.list",
            object_type="mijn.erasurerequest",
            desk_id=desk_id,
        )
    return render(
        request,
        "mijn/staff/erasure_requests.html",
        {
            "title": _("Verzoeken om een dossier te verwijderen"),
            "page": page,
            "breadcrumbs": staff_crumbs(),
        },
    )


@login_required
@GET_POST
def erasure_request_detail(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    erasure = ErasureRequest.objects.select_related(
        "desk", "client", "handled_by"
    ).get_for_user_or_404(user, action, uuid=request_uuid)
    audit_record(
        actor=user, action="mijn.erasure_request.view", obj=erasure, desk_id=erasure.desk_id
    )
    form = ErasureHandleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erasure_request_handle(
                actor=user,
                request=erasure,
                erase=form.cleaned_data["decision"] == "anonimiseren",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het verzoek is afgehandeld."))
            return HttpResponseRedirect(reverse("mijn_staff:erasure_requests"))
    return render(
        request,
        "mijn/staff/erasure_request.html",
        {
            "title": _("Verzoek om verwijdering"),
            "erasure": erasure,
            "form": form,
            "can_handle": erasure.is_open
            and policy_for(ErasureRequest).can(user, Action.CHANGE, erasure),
            "breadcrumbs": staff_crumbs(
                (_("Verzoeken om verwijdering"), reverse("mijn_staff:erasure_requests"))
            ),
        },
    )
