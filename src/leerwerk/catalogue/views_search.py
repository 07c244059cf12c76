"""Search pages of the catalogue: citizens (``/opleidingen/``, regional
``/loketten/<slug>/opleidingen/``), advisers (``/medewerkers/opleidingen/zoeken/``), the public
offer page, and saving an offer to a client's trajectory.

Pages work without JavaScript (a GET form); with htmx, changing a filter reloads only the
results (``search_results.html``), and the result count and facet counts are swapped
out-of-band so keyboard focus stays where it is.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.catalogue import search, services_search
from leerwerk.catalogue.constants import Level, OfferKind
from leerwerk.catalogue.forms_search import FACET_PARAMS, FILTER_PARAMS, OfferSearchForm
from leerwerk.catalogue.models import Offer, OfferLocation, OfferStart, SavedOffer
from leerwerk.core.access import access_for
from leerwerk.core.constants import Action
from leerwerk.core.views_helpers import require_on_desk
from leerwerk.guidance.constants import OPEN_STATUSES
from leerwerk.guidance.models import Trajectory
from leerwerk.network.models import Desk

PAGE_PARAM = "pagina"


@dataclass
class OfferCard:
    """One offer of a result list, with its facts as text: worked out here once per page, so
    the template only prints (each lookup, filter and translation in a template costs more
    than the same step in Python, twenty times a page)."""

    hit: search.OfferHit
    url: str
    kind_level: str
    start: str
    cost: str
    place: str
    save_url: str = ""  # with a trajectory: save the offer to it


_ANY_UUID = "00000000-0000-0000-0000-000000000000"
CENTS = Decimal("0.01")


def _url_for_uuid(view_name: str) -> Callable[[object], str]:
    """``reverse`` for a view with one uuid argument, worked out once for a page of results
    (``reverse`` twenty times a page cost more than the rest of the cards)."""
    prefix, _sep, suffix = reverse(view_name, args=[_ANY_UUID]).partition(_ANY_UUID)
    return lambda value: f"{prefix}{value}{suffix}"


def _amount(value: Decimal) -> str:
    """An amount in euros with two decimals and grouping ("1.234,50"), as ``floatformat:"2g"``
    writes it (rounded half up like that filter; the amounts have two decimals anyway)."""
    return number_format(value.quantize(CENTS, ROUND_HALF_UP), 2, force_grouping=True)


def _cards(hits: list[search.OfferHit], trajectory: Trajectory | None) -> list[OfferCard]:
    # Every text and lookup once per page, not per card: a card is formatted in Python
    # (dates as the `date:"j F Y"` filter writes them, amounts as `floatformat:"2g"`), which
    # costs a fraction of the template filters (tested to write the same).
    kinds = {value: str(label) for value, label in OfferKind.choices}
    levels = {value: str(label) for value, label in Level.choices}
    months = {number: str(name) for number, name in MONTHS.items()}
    anytime, start_on, unknown_start = (
        _("Start wanneer u wilt"),
        _("Start op %(date)s"),
        _("Startdatum niet bekend"),
    )
    unknown_cost, free = _("Kosten niet bekend"), _("Gratis")
    suffix = f"?traject={trajectory.uuid}" if trajectory else ""
    detail_url = _url_for_uuid("catalogue_search:offer_detail")
    save_url = _url_for_uuid("catalogue_search:offer_save") if trajectory else None
    cards = []
    for hit in hits:
        offer = hit.offer
        kind_level = kinds.get(offer.kind, offer.kind)
        if offer.level != Level.NONE:
            kind_level += " · " + levels.get(offer.level, offer.level)
        if offer.flexible_start:
            start = anytime
        elif day := offer.next_start_on:
            start = start_on % {"date": f"{day.day} {months[day.month]} {day.year}"}
        else:
            start = unknown_start
        if offer.cost_amount is None:
            cost = unknown_cost
        elif offer.cost_amount:
            cost = "€ " + _amount(offer.cost_amount)
        else:
            cost = free
        place = ""
        if hit.places:
            place = hit.places[0].city or hit.places[0].municipality
            if hit.distance_km is not None:
                place += " · " + _("ongeveer %(km)s km") % {"km": floatformat(hit.distance_km, 0)}
        elif offer.is_online:
            place = _("Online")
        cards.append(
            OfferCard(
                hit=hit,
                url=detail_url(offer.uuid) + suffix,
                kind_level=kind_level,
                start=start,
                cost=cost,
                place=place,
                save_url=save_url(offer.uuid) + suffix if save_url else "",
            )
        )
    return cards


def _query_string(request: HttpRequest, *, drop: tuple[str, ...] = (), **replace: Any) -> str:
    params = request.GET.copy()
    for name in (PAGE_PARAM, *drop):
        params.pop(name, None)
    for name, value in replace.items():
        params[name] = value
    return params.urlencode()


def _search_page(
    request: HttpRequest,
    *,
    template: str,
    layout: str,
    title: str,
    desk: Desk | None = None,  # a regional page's desk
    desk_id: int | None = None,  # the desk whose curation applies (a regional page's own)
    hide_hidden: bool = False,
    trajectory: Trajectory | None = None,
    breadcrumbs: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    form = OfferSearchForm(request.GET or None)
    desk_id = desk.pk if desk else desk_id
    result = None
    if form.is_bound and form.is_valid():
        query = form.to_query(desk_id=desk_id, hide_hidden=hide_hidden, today=timezone.localdate())
        if request.GET.get("zoek_precies"):
            query = dataclasses.replace(query, correct_typos=False)  # "search what I typed"
        result = search.search_offers(query)
    elif not form.is_bound:
        result = search.search_offers(search.OfferQuery(desk_id=desk_id, hide_hidden=hide_hidden))
    facets = []
    if result is not None:
        facets = [{"facet": facet, "param": FACET_PARAMS[facet.key]} for facet in result.facets]
    context = {
        "layout": layout,
        "title": title,
        "form": form,
        "result": result,
        "facets": facets,
        "cards": _cards(result.hits, trajectory) if result else [],
        "desk": desk,
        "trajectory": trajectory,
        "action": request.path,
        "breadcrumbs": breadcrumbs or [],
        "page_query": _query_string(request),
        "corrected_query": _query_string(request, q=result.query.text) if result else "",
        "original_query": (
            _query_string(request, q=result.corrected_from) + "&zoek_precies=1"
            if result and result.corrected_from
            else ""
        ),
        "did_you_mean_query": (
            _query_string(request, q=result.did_you_mean) if result and result.did_you_mean else ""
        ),
        "filter_links": [
            (suggestion, _query_string(request, drop=tuple(FILTER_PARAMS[suggestion.key])))
            for suggestion in (result.filter_suggestions if result else [])
        ],
    }
    partial = bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    # The form and results through Jinja2 (decision 0007), the layout around them through the
    # Django template engine like every other page.
    jinja = engines["jinja2"]
    if partial:
        html = jinja.get_template("catalogue/search_results.html").render(
            {**context, "partial": True}, request
        )
        response = HttpResponse(html)
    else:
        body = jinja.get_template("catalogue/search_page.html").render(
            {**context, "partial": False}, request
        )
        response = render(request, template, {**context, "body": mark_safe(body)})  # noqa: S308 (Jinja2 escaped it)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def search_public(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        template="catalogue/search.html",
        layout="base.html",
        title=_("Opleidingen zoeken"),
    )


@require_GET
def search_regional(request: HttpRequest, slug: str) -> HttpResponse:
    desk = get_object_or_404(Desk.objects.published().select_related("region"), slug=slug)
    return _search_page(
        request,
        template="catalogue/search.html",
        layout="base.html",
        title=_("Opleidingen in de regio %(region)s") % {"region": desk.region.name},
        desk=desk,
        hide_hidden=True,
        breadcrumbs=[(desk.display_name, reverse("public:desk_detail", args=[desk.slug]))],
    )


@login_required
@require_GET
def search_staff(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.is_desk_staff and not access.global_role:
        raise PermissionDenied
    trajectory = None
    if trajectory_uuid := request.GET.get("traject"):
        trajectory = _trajectory_for(request, trajectory_uuid, Action.VIEW)
    # the curation of the trajectory's desk, else of the adviser's (first) desk
    desk_id = trajectory.desk_id if trajectory else min(access.desk_roles, default=None)
    return _search_page(
        request,
        template="catalogue/search.html",
        layout="network/staff/layout.html",
        title=_("Opleidingen zoeken"),
        desk_id=desk_id,
        trajectory=trajectory,
        breadcrumbs=[(_("Medewerkers"), reverse("staff:home"))],
    )


def _trajectory_for(request: HttpRequest, value: str, action: str) -> Trajectory:
    try:
        trajectory_uuid = uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None
    return Trajectory.objects.select_related("client", "desk").get_for_user_or_404(
        request.user, action, uuid=trajectory_uuid
    )


def offer_detail_queryset() -> Any:
    return Offer.objects.select_related("provider", "qualification", "feed").prefetch_related(
        Prefetch(
            "locations",
            queryset=OfferLocation.objects.select_related("municipality").order_by("city", "pk"),
        ),
        Prefetch("starts", queryset=OfferStart.objects.order_by("starts_on")),
        "occupations",
    )


def _safe_url(url: str) -> str:
    """Only web links become links (never ``javascript:``)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


@require_GET
def offer_detail(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer = get_object_or_404(offer_detail_queryset(), uuid=offer_uuid)
    access = access_for(request.user)
    today = timezone.localdate()
    context = {
        "title": offer.title,
        "offer": offer,
        "url": _safe_url(offer.url),
        "starts": [start for start in offer.starts.all() if start.starts_on >= today],
        "paths": [
            label
            for value, label in search.LearningPath.choices
            if getattr(offer, search.PATH_COLUMNS[search.LearningPath(value)])
        ],
        "can_save": access.is_desk_staff and offer.is_active,
        "layout": "network/staff/layout.html" if access.is_desk_staff else "base.html",
        "trajectory_uuid": request.GET.get("traject", ""),
    }
    return render(request, "catalogue/offer_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_save(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    """Save an offer to one of the open trajectories of the adviser's desk(s)."""
    user = request.user
    access = access_for(user)
    if not access.is_desk_staff:
        raise PermissionDenied
    offer = get_object_or_404(
        Offer.objects.select_related("provider"), uuid=offer_uuid, is_active=True
    )
    data = request.POST if request.method == "POST" else request.GET
    chosen = None
    if value := data.get("traject"):
        chosen = _trajectory_for(request, value, Action.VIEW)
        require_on_desk(user, SavedOffer, Action.ADD, chosen.desk)
    client_query = (data.get("klant") or "").strip()[:100]
    candidates: list[Trajectory] = []
    if chosen is None and client_query:
        words = client_query.split()
        match = Q()
        for word in words[:3]:
            match &= Q(client__given_name__icontains=word) | Q(client__family_name__icontains=word)
        candidates = list(
            Trajectory.objects.for_user(user)
            .filter(match, status__in=OPEN_STATUSES, desk_id__in=access.desk_roles.keys())
            .select_related("client", "desk")
            .order_by("client__family_name", "client__given_name", "opened_on")[:20]
        )
    errors: list[str] = []
    note = (data.get("toelichting") or "").strip()
    if request.method == "POST" and chosen is not None:
        try:
            services_search.saved_offer_add(actor=user, trajectory=chosen, offer=offer, note=note)
        except ValidationError as exc:
            errors = [str(message) for message in exc.messages]
        else:
            messages.success(request, _("De opleiding is bewaard bij het traject."))
            return HttpResponseRedirect(
                reverse("guidance:trajectory_detail", args=[chosen.uuid]) + "#bewaarde-opleidingen"
            )
    elif request.method == "POST":
        errors = [_("Kies een traject.")]
    context = {
        "title": _("Opleiding bewaren bij een traject"),
        "offer": offer,
        "chosen": chosen,
        "client_query": client_query,
        "candidates": candidates,
        "searched": bool(client_query),
        "note": note,
        "errors": errors,
        "desk_count": len(access.desk_roles),
        "breadcrumbs": [
            (_("Medewerkers"), reverse("staff:home")),
            (_("Opleidingen zoeken"), reverse("catalogue_search:staff")),
        ],
    }
    return render(request, "catalogue/search_save.html", context)
