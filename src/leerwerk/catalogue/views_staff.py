"""Staff pages of the catalogue (/medewerkers/opleidingen/): feeds and imports, the CSV upload
with its template, opportunity occupations with their training routes, featured and hidden
offers, and the regional training matrix (scholingsmatrix).

A desk's pages are for that desk's staff (another desk's staff get 404); changes need the desk
manager (advisers get 403). National feeds are for the national team and administrators.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.catalogue import selectors, services, tasks
from leerwerk.catalogue.constants import ImportStatus
from leerwerk.catalogue.forms import (
    CurationForm,
    OpportunityEditForm,
    OpportunityForm,
    SearchForm,
    UploadForm,
)
from leerwerk.catalogue.importers import storage
from leerwerk.catalogue.importers.base import FileError, run_import, source_for
from leerwerk.catalogue.importers.csv_import import template_csv
from leerwerk.catalogue.models import (
    Feed,
    ImportRun,
    Occupation,
    Offer,
    OfferCuration,
    OpportunityOccupation,
    Qualification,
    TrainingRoute,
)
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk

GET_POST = require_http_methods(["GET", "POST"])
SYNC_LIMIT = 5_000  # uploads up to this many rows are imported during the request


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Medewerkers"), reverse("staff:home")),
        (_("Opleidingen"), reverse("catalogue:home")),
        *extra,
    ]


def _desk(request: HttpRequest, desk_uuid: uuid.UUID) -> Desk:
    """A desk whose catalogue pages the user may open (404 for anyone else)."""
    desk = selectors.staff_desks(request.user).filter(uuid=desk_uuid).first()
    if desk is None:
        raise Http404
    return desk


def _may(user: Any, model: type, action: str, desk: Desk) -> bool:
    return policy_for(model).can_on_desk(user, action, desk.pk)


def _require(user: Any, model: type, action: str, desk: Desk) -> None:
    if not _may(user, model, action, desk):
        raise PermissionDenied


def _opportunity(request: HttpRequest, opportunity_uuid: uuid.UUID) -> OpportunityOccupation:
    condition = selectors.staff_filter(request.user, "desk")
    if condition is None:
        raise Http404
    opportunity = (
        OpportunityOccupation.objects.filter(condition)
        .select_related("desk", "occupation")
        .filter(uuid=opportunity_uuid)
        .first()
    )
    if opportunity is None:
        raise Http404
    return opportunity


# -- overview --------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = list(selectors.staff_desks(user))
    if not desks:
        raise PermissionDenied
    feeds = list(selectors.feeds_for(user))
    cards = [
        {
            "desk": desk,
            "can_manage": _may(user, OpportunityOccupation, Action.ADD, desk),
            "can_upload": policy_for(Feed).can_on_desk(user, Action.ADD, desk.pk),
        }
        for desk in desks
    ]
    return render(
        request,
        "catalogue/staff/home.html",
        {
            "title": _("Opleidingen en kansberoepen"),
            "feeds": feeds,
            "cards": cards,
            "breadcrumbs": [(_("Medewerkers"), reverse("staff:home"))],
        },
    )


# -- feeds, uploads and runs -----------------------------------------------------------------


@login_required
@require_POST
def desk_feed(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    """Open (and on first use create) the desk's own CSV feed."""
    desk = _desk(request, desk_uuid)
    _require(request.user, Feed, Action.ADD, desk)
    feed = services.desk_csv_feed(actor=request.user, desk=desk)
    return HttpResponseRedirect(reverse("catalogue:feed_detail", args=[feed.uuid]))


@login_required
@require_GET
def feed_detail(request: HttpRequest, feed_uuid: uuid.UUID) -> HttpResponse:
    feed = Feed.objects.select_related("desk").get_for_user_or_404(request.user, uuid=feed_uuid)
    return _feed_page(request, feed, UploadForm())


def _feed_page(request: HttpRequest, feed: Feed, form: UploadForm) -> HttpResponse:
    page = paginate(request, selectors.runs_for(feed))
    return render(
        request,
        "catalogue/staff/feed_detail.html",
        {
            "title": feed.name,
            "feed": feed,
            "page": page,
            "form": form,
            "can_upload": policy_for(Feed).can(request.user, Action.CHANGE, feed),
            "offer_count": feed.offers.filter(is_active=True).count(),
            "breadcrumbs": _crumbs(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def feed_upload(request: HttpRequest, feed_uuid: uuid.UUID) -> HttpResponse:
    feed = Feed.objects.select_related("desk").get_for_user_or_404(
        request.user, Action.CHANGE, uuid=feed_uuid
    )
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _feed_page(request, feed, form)
    upload = form.cleaned_data["file"]
    run = services.import_run_create(
        actor=request.user,
        feed=feed,
        file_name=Path(upload.name).name,
        full=form.cleaned_data["full"],
    )
    path = storage.store_upload(run, upload)
    try:
        rows = source_for(feed.kind, path).count()
    except FileError:
        rows = 0  # the import itself reports the problem, at once
    if rows <= SYNC_LIMIT:
        transaction.on_commit(lambda: _process(run, path))
    else:
        tasks.process_import.enqueue(str(run.uuid))
        messages.info(
            request,
            _(
                "Het bestand is groot (%(rows)s regels). De import staat in de wachtrij en wordt "
                "op de achtergrond verwerkt; deze pagina laat de voortgang zien."
            )
            % {"rows": rows},
        )
    return HttpResponseRedirect(reverse("catalogue:run_detail", args=[run.uuid]))


def _process(run: ImportRun, path: Path) -> None:
    try:
        run_import(run=run, path=path)
    finally:
        storage.discard(run)


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    if selectors.staff_filter(request.user, "pk") is None:
        raise PermissionDenied
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sjabloon-opleidingen.csv"'
    return response


def _run(request: HttpRequest, run_uuid: uuid.UUID) -> ImportRun:
    return ImportRun.objects.select_related("feed", "feed__desk", "started_by").get_for_user_or_404(
        request.user, uuid=run_uuid
    )


@login_required
@require_GET
def run_detail(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    run = _run(request, run_uuid)
    running = run.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}
    context = {
        "title": _("Import %(file)s") % {"file": run.file_name},
        "run": run,
        "running": running,
        "percent": int(100 * run.rows_done / run.rows_total) if run.rows_total else 0,
        "breadcrumbs": _crumbs(
            (run.feed.name, reverse("catalogue:feed_detail", args=[run.feed.uuid]))
        ),
    }
    if getattr(request, "htmx", False):
        response = render(request, "catalogue/staff/_run_status.html", context)
        if not running:
            response["HX-Refresh"] = "true"  # done: reload once to show the rejected rows
        return response
    page = paginate(request, run.row_errors.order_by("line", "id"), per_page=50)
    context.update({"page": page, "query": query_without_page(request)})
    return render(request, "catalogue/staff/run_detail.html", context)


@login_required
@require_GET
def run_errors_csv(request: HttpRequest, run_uuid: uuid.UUID) -> HttpResponse:
    run = _run(request, run_uuid)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("regel"), _("id"), _("veld"), _("reden")])
    for line, source_id, field, reason in run.row_errors.order_by("line", "id").values_list(
        "line", "source_id", "field", "reason"
    ):
        writer.writerow(selectors.safe_cells([str(line), source_id, field, reason]))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afgekeurde-regels-{run.uuid}.csv"'
    return response


# -- opportunity occupations -----------------------------------------------------------------


@login_required
@require_GET
def opportunity_list(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    return render(
        request,
        "catalogue/staff/opportunity_list.html",
        {
            "title": _("Kansberoepen van %(desk)s") % {"desk": desk.display_name},
            "desk": desk,
            "opportunities": selectors.opportunities_for(desk),
            "can_change": _may(request.user, OpportunityOccupation, Action.ADD, desk),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_GET
def occupation_search(request: HttpRequest) -> HttpResponse:
    """htmx: occupations for the autocomplete (radio buttons inside the create form)."""
    if selectors.staff_filter(request.user, "pk") is None:
        raise PermissionDenied
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "catalogue/staff/_occupation_results.html",
        {"results": selectors.occupation_search(query), "query": query},
    )


@login_required
@GET_POST
def opportunity_create(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    _require(request.user, OpportunityOccupation, Action.ADD, desk)
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        form = OpportunityForm(request.POST)
        if form.is_valid():
            occupation = Occupation.objects.filter(uri=form.cleaned_data["occupation"]).first()
            if occupation is None:
                form.add_error(None, _("Zoek een beroep en kies het uit de lijst."))
            else:
                try:
                    opportunity = services.opportunity_save(
                        actor=request.user,
                        desk=desk,
                        occupation=occupation,
                        sector=form.cleaned_data["sector"],
                        kind=form.cleaned_data["kind"],
                        note=form.cleaned_data["note"],
                        is_published=form.cleaned_data["is_published"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("%(name)s staat nu in de lijst met kansberoepen.")
                        % {"name": occupation.label},
                    )
                    return HttpResponseRedirect(
                        reverse("catalogue:opportunity_detail", args=[opportunity.uuid])
                    )
    else:
        form = OpportunityForm()
    chosen = request.POST.get("occupation", "")
    return render(
        request,
        "catalogue/staff/opportunity_form.html",
        {
            "title": _("Kansberoep toevoegen"),
            "desk": desk,
            "form": form,
            "search": search,
            "query": query,
            "results": selectors.occupation_search(query) if query else [],
            "chosen": chosen,
            "breadcrumbs": _crumbs(
                (
                    _("Kansberoepen"),
                    reverse("catalogue:opportunity_list", args=[desk.uuid]),
                )
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@GET_POST
def opportunity_detail(request: HttpRequest, opportunity_uuid: uuid.UUID) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_uuid)
    desk = opportunity.desk
    can_change = policy_for(OpportunityOccupation).can(request.user, Action.CHANGE, opportunity)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = OpportunityEditForm(request.POST)
        if form.is_valid():
            try:
                services.opportunity_save(
                    actor=request.user,
                    desk=desk,
                    occupation=opportunity.occupation,
                    opportunity=opportunity,
                    expected_version=form.cleaned_data["version"],
                    sector=form.cleaned_data["sector"],
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                    is_published=form.cleaned_data["is_published"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return HttpResponseRedirect(request.path)
    else:
        form = OpportunityEditForm(
            initial={
                "sector": opportunity.sector,
                "kind": opportunity.kind,
                "note": opportunity.note,
                "is_published": opportunity.is_published,
                "version": opportunity.version,
            }
        )
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    route_kind = "kwalificatie" if request.GET.get("soort") == "kwalificatie" else "opleiding"
    results: list[Any] = []
    if query and can_change:
        results = (
            selectors.qualification_search(query)
            if route_kind == "kwalificatie"
            else selectors.offer_search_simple(query)
        )
    routes = list(
        TrainingRoute.objects.filter(opportunity=opportunity)
        .select_related("offer__provider", "qualification")
        .order_by("id")
    )
    return render(
        request,
        "catalogue/staff/opportunity_detail.html",
        {
            "title": opportunity.occupation.label,
            "opportunity": opportunity,
            "desk": desk,
            "form": form,
            "can_change": can_change,
            "routes": [(route, selectors.route_label(route)) for route in routes],
            "search": search,
            "query": query,
            "route_kind": route_kind,
            "results": results,
            "breadcrumbs": _crumbs(
                (_("Kansberoepen"), reverse("catalogue:opportunity_list", args=[desk.uuid]))
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def opportunity_delete(request: HttpRequest, opportunity_uuid: uuid.UUID) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_uuid)
    services.opportunity_delete(actor=request.user, opportunity=opportunity)
    messages.success(
        request,
        _("%(name)s staat niet meer in de lijst.") % {"name": opportunity.occupation.label},
    )
    return HttpResponseRedirect(reverse("catalogue:opportunity_list", args=[opportunity.desk.uuid]))


def _route_target(request: HttpRequest) -> tuple[Offer | None, Qualification | None]:
    offer_uuid = request.POST.get("offer", "")
    code = request.POST.get("qualification", "")
    offer = qualification = None
    if offer_uuid:
        try:
            offer = Offer.objects.filter(uuid=uuid.UUID(offer_uuid)).first()
        except ValueError:
            offer = None
        if offer is None:
            raise Http404
    elif code:
        qualification = Qualification.objects.filter(code=code).first()
        if qualification is None:
            raise Http404
    return offer, qualification


@login_required
@require_POST
def route_add(request: HttpRequest, opportunity_uuid: uuid.UUID) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_uuid)
    offer, qualification = _route_target(request)
    try:
        services.route_add(
            actor=request.user,
            opportunity=opportunity,
            offer=offer,
            qualification=qualification,
            note=request.POST.get("note", "")[:250],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De opleidingsroute is toegevoegd."))
    return HttpResponseRedirect(
        reverse("catalogue:opportunity_detail", args=[opportunity.uuid]) + "#routes"
    )


@login_required
@require_POST
def route_remove(request: HttpRequest, opportunity_uuid: uuid.UUID) -> HttpResponse:
    opportunity = _opportunity(request, opportunity_uuid)
    offer, qualification = _route_target(request)
    routes = TrainingRoute.objects.filter(opportunity=opportunity)
    route = (
        routes.filter(offer=offer).first()
        if offer
        else routes.filter(qualification=qualification).first()
        if qualification
        else None
    )
    if route is None:
        raise Http404
    services.route_remove(actor=request.user, route=route)
    messages.success(request, _("De opleidingsroute is verwijderd."))
    return HttpResponseRedirect(
        reverse("catalogue:opportunity_detail", args=[opportunity.uuid]) + "#routes"
    )


# -- the matrix ------------------------------------------------------------------------------


@login_required
@require_GET
def matrix(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    from leerwerk.catalogue.views_public import matrix_export

    desk = _desk(request, desk_uuid)
    data = selectors.matrix_for(desk, published_only=False)
    export = request.GET.get("formaat")
    if export in {"csv", "xlsx"}:
        return matrix_export(desk, data, export)
    return render(
        request,
        "catalogue/staff/matrix.html",
        {
            "title": _("Scholingsmatrix %(desk)s") % {"desk": desk.display_name},
            "desk": desk,
            "matrix": data,
            "breadcrumbs": _crumbs(),
        },
    )


# -- featured and hidden offers --------------------------------------------------------------


@login_required
@require_GET
def curation_list(request: HttpRequest, desk_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    curations = list(selectors.curations_for(desk))
    chosen = {curation.offer_id: curation for curation in curations}
    results = selectors.offer_search_simple(query) if query else []
    return render(
        request,
        "catalogue/staff/curation_list.html",
        {
            "title": _("Aanbevolen en verborgen opleidingen"),
            "desk": desk,
            "curations": curations,
            "results": [(offer, chosen.get(offer.pk)) for offer in results],
            "search": search,
            "query": query,
            "form": CurationForm(),
            "can_change": _may(request.user, OfferCuration, Action.ADD, desk),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_POST
def curation_set(request: HttpRequest, desk_uuid: uuid.UUID, offer_uuid: uuid.UUID) -> HttpResponse:
    desk = _desk(request, desk_uuid)
    _require(request.user, OfferCuration, Action.ADD, desk)
    offer = Offer.objects.filter(uuid=offer_uuid).first()
    if offer is None:
        raise Http404
    form = CurationForm(request.POST)
    if form.is_valid():
        services.curation_set(
            actor=request.user,
            desk=desk,
            offer=offer,
            status=form.cleaned_data["status"] or None,
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, _("De keuze voor %(title)s is opgeslagen.") % {"title": offer.title}
        )
    else:
        messages.error(request, _("Kies aanbevelen, niet tonen of geen keuze."))
    back = reverse("catalogue:curation_list", args=[desk.uuid])
    query = request.POST.get("q", "")
    return HttpResponseRedirect(f"{back}?{urlencode({'q': query})}" if query else back)
