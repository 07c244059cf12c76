"""Staff pages for the adviser's day: work list, client search and client page, client forms and
intake requests, under /medewerkers/klanten/.

Every client and request is fetched through the scoping layer (``get_for_user_or_404`` or a
selector that uses it): another desk's object gives 404, an action the user may not do on an
object they may see gives 403. Pages that list or create without an object need a desk role
(adviser or desk manager) at one or more desks; everyone else (also the national team) gets 403.
Every write goes through ``clients.services`` or ``guidance.services``.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.clients import selectors as client_selectors
from leerwerk.clients import services as client_services
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.forms import (
    ClientCreateForm,
    ClientEditForm,
    ClientSearchForm,
    ConsentGiveForm,
    ConsentWithdrawForm,
    ReferralForm,
    RequestAcceptForm,
    RequestRegisterForm,
    RequestStatusFilterForm,
)
from leerwerk.clients.models import Client, Consent
from leerwerk.clients.templatetags.clients_links import optional_reverse
from leerwerk.core.access import access_for
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import PAGE_PARAM, paginate, query_without_page
from leerwerk.guidance import selectors as guidance_selectors
from leerwerk.guidance import services as guidance_services
from leerwerk.guidance.constants import RequestStatus
from leerwerk.guidance.models import IntakeRequest
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk, DeskPartnership, ServiceLine

GET_POST = require_http_methods(["GET", "POST"])
DESK_PARAM = "loket"


# -- helpers ---------------------------------------------------------------------------------


def work_desks(user: Any) -> QuerySet[Desk]:
    """The desks where ``user`` works today (a desk role), that they may see."""
    access = access_for(user)
    return (
        Desk.objects.for_user(user, Action.VIEW)
        .filter(pk__in=sorted(access.desk_roles))
        .order_by("display_name")
    )


def _require_desks(user: Any) -> list[Desk]:
    """The user's desks; 403 for someone who works at no desk (national team, ministry …)."""
    desks = list(work_desks(user))
    if not desks:
        raise PermissionDenied
    return desks


def _selected_desk(request: HttpRequest, desks: list[Desk]) -> Desk | None:
    """The desk chosen in the ``loket`` filter, if it is one of the user's desks."""
    wanted = request.GET.get(DESK_PARAM, "")
    return next((desk for desk in desks if str(desk.uuid) == wanted), None)


def _page(request: HttpRequest, items: Any, param: str = PAGE_PARAM) -> tuple[Page, str]:
    """A page of ``items`` and the query string without ``param`` (for the page links)."""
    return paginate(request, items, param=param), query_without_page(request, param)


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Medewerkers"), reverse("staff:home")), *extra]


def _client_crumbs(client: Client | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Klanten"), reverse("clients:search"))]
    if client is not None:
        crumbs.append((client.full_name, reverse("clients:detail", args=[client.uuid])))
    return _crumbs(*crumbs)


def _request_crumbs() -> list[tuple[str, str]]:
    return _crumbs((_("Aanvragen"), reverse("clients:request_list")))


def _redirect(name: str, *args: Any, anchor: str = "") -> HttpResponseRedirect:
    url = reverse(name, args=args)
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


# -- work list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    page: Page
    query: str
    param: str
    empty: str


@login_required
@require_GET
def work_list(request: HttpRequest) -> HttpResponse:
    desks = _require_desks(request.user)
    desk = _selected_desk(request, desks)
    lists = guidance_selectors.work_list(user=request.user, desk_id=desk.pk if desk else None)
    sections = []
    for key, title, items, param, empty in (
        (
            "mijn",
            _("Mijn open trajecten"),
            lists.my_open,
            "pagina_mijn",
            _("U heeft geen open trajecten."),
        ),
        (
            "nieuw",
            _("Nieuwe aanvragen zonder intake"),
            lists.new_requests,
            "pagina_nieuw",
            _("Er zijn geen nieuwe aanvragen."),
        ),
        (
            "achter",
            _("Vervolgacties over tijd"),
            lists.overdue,
            "pagina_achter",
            _("Er zijn geen vervolgacties over tijd."),
        ),
    ):
        page, query = _page(request, items, param)
        sections.append(Section(key, title, page, query, param, empty))
    context = {
        "title": _("Werklijst"),
        "desks": desks,
        "desk": desk,
        "my_open": sections[0],
        "new_requests": sections[1],
        "overdue": sections[2],
        "breadcrumbs": _crumbs(),
    }
    return render(request, "clients/work_list.html", context)


# -- search ----------------------------------------------------------------------------------


SEARCH_LIMIT = 200


#: Only the columns the search result table shows.
SEARCH_RESULT_FIELDS = (
    "uuid",
    "given_name",
    "family_name",
    "email",
    "phone",
    "postcode",
    "birth_year",
    "desk__display_name",
)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = _require_desks(user)
    desk = _selected_desk(request, desks)
    form = ClientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    # At most SEARCH_LIMIT results: a search that finds more must be made more precise, and
    # the count stays cheap on a desk with many clients.
    found = client_selectors.client_search(
        user=user, query=query, desk_id=desk.pk if desk else None
    ).select_related("desk")
    found = found.only(*SEARCH_RESULT_FIELDS)
    page, page_query = _page(request, found[:SEARCH_LIMIT])
    too_many = page.paginator.count == SEARCH_LIMIT and found[SEARCH_LIMIT:].exists()
    if query:
        audit_record(
            actor=user,
            action="client.search",
            object_type="clients.client",
            desk_id=desk.pk if desk else None,
            detail={"page": page.number, "results": page.paginator.count},
        )
    context = {
        "title": _("Klanten"),
        "form": form,
        "query": query,
        "desks": desks,
        "desk": desk,
        "page": page,
        "page_query": page_query,
        "too_many": too_many,
        "search_limit": SEARCH_LIMIT,
        "breadcrumbs": _crumbs(),
    }
    if getattr(request, "htmx", False):
        return render(request, "clients/includes/search_results.html", context)
    return render(request, "clients/search.html", context)


# -- create and edit -------------------------------------------------------------------------


@login_required
@GET_POST
def client_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = _require_desks(user)
    desk_qs = work_desks(user)
    candidates: list[client_selectors.MatchCandidate] = []
    if request.method == "POST":
        form = ClientCreateForm(request.POST, desks=desk_qs)
        if form.is_valid():
            desk = form.cleaned_data["desk"]
            values = form.client_values()
            if "toch_nieuw" not in request.POST:
                candidates = client_selectors.client_match_candidates(
                    user=user,
                    desk_id=desk.pk,
                    email=values["email"],
                    phone=values["phone"],
                    given_name=values["given_name"],
                    family_name=values["family_name"],
                    birth_year=values["birth_year"],
                )
            if not candidates:
                try:
                    client = client_services.client_create(
                        actor=user,
                        desk=desk,
                        target_groups=form.cleaned_data["target_groups"],
                        **values,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request, _("%(name)s is toegevoegd.") % {"name": client.full_name}
                    )
                    return _redirect("clients:detail", client.uuid)
    else:
        form = ClientCreateForm(desks=desk_qs)
    context = {
        "title": _("Nieuwe klant"),
        "form": form,
        "client": None,
        "candidates": candidates,
        "single_desk": len(desks) == 1,
        "breadcrumbs": _client_crumbs(),
    }
    return render(request, "clients/client_form.html", context)


@login_required
@GET_POST
def client_edit(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    client = (
        Client.objects.select_related("desk")
        .prefetch_related("target_groups")
        .get_for_user_or_404(user, Action.CHANGE, uuid=client_uuid)
    )
    if client.is_erased:
        messages.error(request, _("Deze klant is geanonimiseerd en kan niet worden gewijzigd."))
        return _redirect("clients:detail", client.uuid)
    title = _("Gegevens van %(name)s wijzigen") % {"name": client.full_name}
    crumbs = _client_crumbs(client)  # from the saved name: a failed save must not rename it
    if request.method == "POST":
        # The form validates a copy; the service changes the client as it was loaded.
        form = ClientEditForm(request.POST, instance=copy.copy(client))
        if form.is_valid():
            try:
                client_services.client_update(
                    actor=user,
                    client=client,
                    expected_version=form.cleaned_data["version"],
                    target_groups=form.cleaned_data["target_groups"],
                    **form.client_values(),
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De gegevens zijn opgeslagen."))
                return _redirect("clients:detail", client.uuid)
    else:
        form = ClientEditForm(instance=client, initial={"version": client.version})
    context = {
        "title": title,
        "form": form,
        "client": client,
        "candidates": [],
        "breadcrumbs": crumbs,
    }
    return render(request, "clients/client_form.html", context)


# -- client page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRow:
    purpose: str
    label: str
    current: Consent | None
    last_withdrawn: Consent | None


def _consent_rows(client: Client) -> list[ConsentRow]:
    consents = list(client.consents.all())  # prefetched
    rows = []
    for purpose in ConsentPurpose:
        mine = [c for c in consents if c.purpose == purpose.value]
        current = next((c for c in mine if c.withdrawn_at is None), None)
        withdrawn = sorted(
            (c for c in mine if c.withdrawn_at is not None),
            key=lambda c: c.withdrawn_at,
            reverse=True,
        )
        rows.append(
            ConsentRow(
                purpose.value, str(purpose.label), current, withdrawn[0] if withdrawn else None
            )
        )
    return rows


def _timeline_rows(client: Client, entries: Any) -> list[tuple[Any, str]]:
    """Timeline entries with a link to what they are about, from the prefetched rows only."""
    trajectory_uuids = {t.pk: t.uuid for t in client.trajectories.all()}
    rows = []
    for entry in entries:
        url = ""
        obj = entry.obj
        if entry.kind in ("trajectory", "closed"):
            url = optional_reverse("guidance:trajectory_detail", trajectory_uuid=obj.uuid)
        elif entry.kind == "registration" and obj.trajectory_id in trajectory_uuids:
            url = optional_reverse(
                "guidance:trajectory_detail", trajectory_uuid=trajectory_uuids[obj.trajectory_id]
            )
        elif entry.kind == "request":
            url = reverse("clients:request_detail", args=[obj.uuid])
        rows.append((entry, url))
    return rows


@login_required
@require_GET
def client_detail(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    client = guidance_selectors.client_detail(user=user, uuid=client_uuid)
    audit_record(actor=user, action="client.view", obj=client, desk_id=client.desk_id)
    timeline, timeline_query = _page(request, guidance_selectors.client_timeline(client))
    can_change = not client.is_erased and policy_for(Client).can(user, Action.CHANGE, client)
    context = {
        "title": client.full_name,
        "client": client,
        "consents": _consent_rows(client),
        "trajectories": list(client.trajectories.all()),
        "timeline": timeline,
        "timeline_rows": _timeline_rows(client, timeline),
        "timeline_query": timeline_query,
        "can_change": can_change,
        "give_form": ConsentGiveForm(),
        "follow_up_purpose": ConsentPurpose.FOLLOW_UP.value,
        "breadcrumbs": _client_crumbs(),
    }
    return render(request, "clients/client_detail.html", context)


def _client_for_consent(request: HttpRequest, client_uuid: uuid.UUID) -> Client:
    return Client.objects.select_related("desk").get_for_user_or_404(
        request.user, Action.CHANGE, uuid=client_uuid
    )


@login_required
@require_POST
def consent_give(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    client = _client_for_consent(request, client_uuid)
    form = ConsentGiveForm(request.POST)
    if client.is_erased:
        messages.error(request, _("Deze klant is geanonimiseerd."))
    elif not form.is_valid():
        messages.error(request, _("Kies een geldig doel en aantal maanden."))
    else:
        purpose = form.cleaned_data["purpose"]
        try:
            client_services.consent_give(
                actor=request.user,
                client=client,
                purpose=purpose,
                follow_up_after_months=form.cleaned_data["follow_up_after_months"],
                source=_("vastgelegd door medewerker"),
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("Toestemming vastgelegd: %(purpose)s.")
                % {"purpose": ConsentPurpose(purpose).label},
            )
    return _redirect("clients:detail", client.uuid, anchor="toestemming")


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    client = _client_for_consent(request, client_uuid)
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldig doel."))
    else:
        purpose = form.cleaned_data["purpose"]
        withdrawn = client_services.consent_withdraw(
            actor=request.user, client=client, purpose=purpose
        )
        if withdrawn is None:
            messages.info(request, _("Voor dit doel was geen toestemming gegeven."))
        else:
            messages.success(
                request,
                _("De toestemming is ingetrokken: %(purpose)s. Dit geldt meteen.")
                % {"purpose": ConsentPurpose(purpose).label},
            )
    return _redirect("clients:detail", client.uuid, anchor="toestemming")


# -- intake requests -------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = _require_desks(user)
    desk = _selected_desk(request, desks)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = RequestStatus.NEW
    form = RequestStatusFilterForm(data)
    status = form.cleaned_data["status"] if form.is_valid() else RequestStatus.NEW
    requests = (
        IntakeRequest.objects.for_user(user)
        .select_related("desk", "referrer_partner")
        .order_by("-created_at", "-pk")
    )
    if status:
        requests = requests.filter(status=status)
    if desk is not None:
        requests = requests.filter(desk=desk)
    page, query = _page(request, requests)
    context = {
        "title": _("Aanvragen"),
        "form": form,
        "desks": desks,
        "desk": desk,
        "page": page,
        "query": query,
        "breadcrumbs": _crumbs(),
    }
    return render(request, "clients/request_list.html", context)


def _get_request(request: HttpRequest, request_uuid: uuid.UUID, action: str) -> IntakeRequest:
    return IntakeRequest.objects.select_related(
        "desk", "referrer_partner", "client", "submitted_by", "trajectory"
    ).get_for_user_or_404(request.user, action, uuid=request_uuid)


def _accept_form(
    request: HttpRequest, intake: IntakeRequest, data: Any = None
) -> tuple[RequestAcceptForm, list[Any], list[Any]]:
    candidates = client_selectors.client_match_candidates(
        user=request.user,
        desk_id=intake.desk_id,
        email=intake.email,
        phone=intake.phone,
        given_name=intake.given_name,
        family_name=intake.family_name,
    )
    advisers = guidance_selectors.adviser_suggestions(desk_id=intake.desk_id, theme=intake.theme)
    service_lines = ServiceLine.objects.filter(desks=intake.desk_id).order_by("sort_order", "name")
    if not service_lines.exists():
        service_lines = ServiceLine.objects.order_by("sort_order", "name")
    form = RequestAcceptForm(
        data, candidates=candidates, advisers=advisers, service_lines=service_lines
    )
    return form, candidates, advisers


def _request_page(
    request: HttpRequest, intake: IntakeRequest, form: RequestAcceptForm | None = None
) -> HttpResponse:
    is_new = intake.status == RequestStatus.NEW
    candidates: list[Any] = []
    advisers: list[Any] = []
    if is_new:
        built, candidates, advisers = _accept_form(request, intake)
        form = form or built
    audit_record(actor=request.user, action="request.view", obj=intake, desk_id=intake.desk_id)
    trajectory = getattr(intake, "trajectory", None)
    context = {
        "title": _("Aanvraag van %(name)s")
        % {"name": f"{intake.given_name} {intake.family_name}".strip()},
        "intake": intake,
        "is_new": is_new,
        "can_change": is_new and policy_for(IntakeRequest).can(request.user, Action.CHANGE, intake),
        "form": form if is_new else None,
        "candidates": candidates,
        "advisers": advisers,
        "trajectory": trajectory,
        "breadcrumbs": _request_crumbs(),
    }
    return render(request, "clients/request_detail.html", context)


@login_required
@require_GET
def request_detail(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    return _request_page(request, _get_request(request, request_uuid, Action.VIEW))


@login_required
@require_POST
def request_accept(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    intake = _get_request(request, request_uuid, Action.CHANGE)
    if intake.status != RequestStatus.NEW:
        messages.error(request, _("Deze aanvraag is al behandeld."))
        return _redirect("clients:request_detail", intake.uuid)
    form, _candidates, _advisers = _accept_form(request, intake, request.POST)
    if form.is_valid():
        try:
            trajectory = guidance_services.intake_request_accept(
                actor=request.user, request=intake, **form.service_values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("De aanvraag is in behandeling genomen en er is een traject geopend."),
            )
            url = optional_reverse(
                "guidance:trajectory_detail", trajectory_uuid=trajectory.uuid
            ) or reverse("clients:detail", args=[trajectory.client.uuid])
            return HttpResponseRedirect(url)
    return _request_page(request, intake, form)


@login_required
@require_POST
def request_dismiss(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    intake = _get_request(request, request_uuid, Action.CHANGE)
    try:
        guidance_services.intake_request_dismiss(actor=request.user, request=intake)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _redirect("clients:request_detail", intake.uuid)
    messages.success(request, _("De aanvraag is afgehandeld zonder traject."))
    return _redirect("clients:request_list")


@login_required
@GET_POST
def request_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = _require_desks(user)
    desk_qs = work_desks(user)
    if request.method == "POST":
        form = RequestRegisterForm(request.POST, desks=desk_qs)
        if form.is_valid():
            try:
                intake = guidance_services.intake_request_register(
                    actor=user,
                    desk=form.cleaned_data["desk"],
                    channel=form.cleaned_data["channel"],
                    consent=form.cleaned_data["consent"],
                    **form.request_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De aanvraag is geregistreerd."))
                return _redirect("clients:request_detail", intake.uuid)
    else:
        form = RequestRegisterForm(desks=desk_qs)
    context = {
        "title": _("Aanvraag registreren"),
        "intro": _("Voor een vraag die per telefoon, e-mail of aan de balie binnenkwam."),
        "form": form,
        "single_desk": len(desks) == 1,
        "breadcrumbs": _request_crumbs(),
    }
    return render(request, "clients/request_form.html", context)


@login_required
@GET_POST
def referral_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = _require_desks(user)
    partnerships = list(
        DeskPartnership.objects.for_user(user)
        .filter(desk__in=desks)
        .select_related("desk", "partner")
        .order_by("desk__display_name", "partner__name")
    )
    if request.method == "POST":
        form = ReferralForm(request.POST, partnerships=partnerships)
        if form.is_valid():
            partnership = form.cleaned_data["referrer_partner"]
            try:
                intake = guidance_services.intake_request_refer(
                    actor=user,
                    desk=partnership.desk,
                    partner=partnership.partner,
                    referrer_name=form.cleaned_data["referrer_name"],
                    referral_reason=form.cleaned_data["referral_reason"],
                    consent=form.cleaned_data["consent"],
                    **form.request_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De verwijzing is geregistreerd."))
                return _redirect("clients:request_detail", intake.uuid)
    else:
        form = ReferralForm(partnerships=partnerships)
    context = {
        "title": _("Verwijzing van een partner registreren"),
        "intro": _(
            "Voor een verwijzing die een partner (bijvoorbeeld UWV of de gemeente) doorgaf, "
            "per telefoon of e-mail."
        ),
        "form": form,
        "no_partners": not partnerships,
        "desks": desks,
        "breadcrumbs": _request_crumbs(),
    }
    return render(request, "clients/request_form.html", context)
