"""Messages with the adviser and the development plan, for each linked client file. The domain
and the staff side are the dossier app's (``leerwerk.dossier``); these pages call only its
citizen services (``citizen_threads``, ``citizen_mark_read``, ``citizen_post_message``,
``citizen_plans``, ``plan_pdf_bytes``) through ``mijn.dossier_bridge``, for the clients linked
to the logged-in account. Without the dossier app the pages answer 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.core.audit import audit_record
from leerwerk.guidance.models import Trajectory
from leerwerk.mijn import dossier_bridge, selectors
from leerwerk.mijn.auth import citizen_required, current_citizen
from leerwerk.mijn.models import CitizenAccount, ClientLink
from leerwerk.network.forms import StyledForm, add_service_errors

MESSAGE_MAX = 4000


class MessageForm(StyledForm):
    body = forms.CharField(
        label=gettext_lazy("Uw bericht"),
        max_length=MESSAGE_MAX,
        help_text=gettext_lazy("Schrijf kort wat u wilt vragen of vertellen."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": gettext_lazy("Schrijf een bericht."),
            "max_length": gettext_lazy("Uw bericht is te lang. Gebruik maximaal 4000 tekens."),
        },
    )


def _services() -> Any:
    found = dossier_bridge.services()
    if found is None:
        raise Http404
    return found


def _account(request: HttpRequest) -> CitizenAccount:
    account = current_citizen(request)
    if account is None:  # pragma: no cover - citizen_required comes first
        raise Http404
    return account


def _links(account: CitizenAccount) -> list[ClientLink]:
    return list(selectors.active_links(account))


# -- messages ------------------------------------------------------------------------------------


@citizen_required
@require_GET
def messages_page(request: HttpRequest) -> HttpResponse:
    dossier = _services()
    account = _account(request)
    files = [
        {"link": link, "threads": dossier.citizen_threads(link.client)} for link in _links(account)
    ]
    return render(
        request,
        "mijn/messages.html",
        {"title": _("Berichten"), "account": account, "files": files},
    )


def _thread(account: CitizenAccount, trajectory_uuid: uuid.UUID) -> tuple[Any, Any]:
    """The trajectory (with its linked client) when it belongs to a file linked to the account."""
    links = {link.client_id: link for link in _links(account)}
    trajectory = (
        Trajectory.objects.select_related("desk", "client")
        .filter(uuid=trajectory_uuid, client_id__in=list(links))
        .first()
    )
    if trajectory is None:
        raise Http404
    return trajectory, links[trajectory.client_id].client


@citizen_required
@require_http_methods(["GET", "POST"])
def message_thread(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    dossier = _services()
    account = _account(request)
    trajectory, client = _thread(account, trajectory_uuid)
    form = MessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier.citizen_post_message(
                    client=client,
                    trajectory=trajectory,
                    body=form.cleaned_data["body"],
                    account_label=account.display_name,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Uw bericht is verstuurd naar het loket."))
                return HttpResponseRedirect(
                    reverse("mijn:message_thread", args=[trajectory.uuid]) + "#nieuw-bericht"
                )
        else:
            status = 400
    thread = next(
        (t for t in dossier.citizen_threads(client) if t.trajectory.pk == trajectory.pk), None
    )
    if thread is None:
        raise Http404
    dossier.citizen_mark_read(client, trajectory)
    return render(
        request,
        "mijn/message_thread.html",
        {
            "title": _("Berichten: %(theme)s") % {"theme": thread.theme},
            "account": account,
            "thread": thread,
            "form": form,
        },
        status=status,
    )


# -- development plans ---------------------------------------------------------------------------


@citizen_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    dossier = _services()
    account = _account(request)
    files = [
        {"link": link, "plans": dossier.citizen_plans(link.client)} for link in _links(account)
    ]
    return render(
        request,
        "mijn/plans.html",
        {"title": _("Mijn ontwikkelplan"), "account": account, "files": files},
    )


@citizen_required
@require_GET
def plan_pdf(request: HttpRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    dossier = _services()
    account = _account(request)
    for link in _links(account):
        plan = next((p for p in dossier.citizen_plans(link.client) if p.uuid == plan_uuid), None)
        if plan is not None:
            break
    else:
        raise Http404
    pdf = dossier.plan_pdf_bytes(plan)
    audit_record(
        actor=None,
        action="mijn.plan.download",
        obj=plan,
        desk_id=plan.desk_id,
        detail=account.audit_detail,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ontwikkelplan-{plan.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
