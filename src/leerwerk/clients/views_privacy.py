"""Staff pages for a client's data-subject rights: export (JSON and PDF), erasure
(anonymising) and merging two records of one person, under /medewerkers/klanten/<uuid>/.

Every client is fetched through the scoping layer: another desk's client (also as the
duplicate in a merge) gives 404, the national team gets 404, an action the user may see but not
do gives 403 (an adviser who tries to erase). Writes go through ``clients.privacy`` and
``clients.services``, which check the policy again and write the audit events.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leerwerk.clients import privacy
from leerwerk.clients import selectors as client_selectors
from leerwerk.clients import services as client_services
from leerwerk.clients.forms import ClientSearchForm
from leerwerk.clients.models import Client
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.views_helpers import paginate, query_without_page
from leerwerk.guidance.views.common import staff_crumbs
from leerwerk.network.forms import StyledForm, VersionField, add_service_errors

GET_POST = require_http_methods(["GET", "POST"])
CONFIRM_WORD = "ANONIMISEREN"
DUPLICATE_PARAM = "dubbel"


# -- helpers ---------------------------------------------------------------------------------


def _client(request: HttpRequest, client_uuid: uuid.UUID, action: str) -> Client:
    return (
        Client.objects.select_related("desk", "municipality", "merged_into")
        .prefetch_related("target_groups")
        .get_for_user_or_404(request.user, action, uuid=client_uuid)
    )


def _detail_url(client: Client) -> str:
    return reverse("clients:detail", args=[client.uuid])


def _crumbs(client: Client) -> list[tuple[str, str]]:
    return staff_crumbs(
        (_("Klanten"), reverse("clients:search")), (client.full_name, _detail_url(client))
    )


def _with_counts(qs: QuerySet[Client]) -> QuerySet[Client]:
    """How much work hangs on each client (what moves in a merge, what stays in an erasure)."""
    return qs.annotate(
        n_trajectories=Count("trajectories", distinct=True),
        n_registrations=Count("registrations", distinct=True),
        n_requests=Count("intake_requests", distinct=True),
        n_consents=Count("consents", distinct=True),
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # The file name says whose file it is by UUID only: no name in download folders or logs.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- export ----------------------------------------------------------------------------------


@login_required
@require_GET
def export_json(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    client = _client(request, client_uuid, Action.VIEW)
    data = privacy.client_export(actor=request.user, client=client)  # audits "client.export"
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return _attachment(
        content.encode("utf-8"), "application/json; charset=utf-8", f"klant-{client.uuid}.json"
    )


@login_required
@require_GET
def export_pdf(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    client = _client(request, client_uuid, Action.VIEW)
    pdf = privacy.client_export_pdf(actor=request.user, client=client)  # audits "client.export"
    return _attachment(pdf, "application/pdf", f"klant-{client.uuid}.pdf")


# -- erase -----------------------------------------------------------------------------------


class EraseForm(StyledForm):
    confirmation = forms.CharField(
        label=gettext_lazy("Typ ANONIMISEREN om te bevestigen"),
        max_length=50,
        error_messages={"required": gettext_lazy("Typ het woord ANONIMISEREN om te bevestigen.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"].strip()
        if value.upper() != CONFIRM_WORD:
            raise ValidationError(
                _("U typte niet het woord ANONIMISEREN. Er is niets verwijderd."), code="mismatch"
            )
        return value


@login_required
@GET_POST
def erase(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    client = _client(request, client_uuid, Action.DELETE)  # desk manager; adviser 403
    if client.is_erased:
        messages.info(request, _("De persoonsgegevens van deze klant zijn al verwijderd."))
        return HttpResponseRedirect(_detail_url(client))
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client_services.client_erase(actor=request.user, client=client)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "De persoonsgegevens van de klant zijn verwijderd. Trajecten en "
                    "registraties tellen nog mee in de rapportages."
                ),
            )
            return HttpResponseRedirect(_detail_url(client))
    counted = _with_counts(Client.objects.filter(pk=client.pk)).get()
    context = {
        "title": _("Persoonsgegevens van %(name)s verwijderen") % {"name": client.full_name},
        "client": client,
        "counted": counted,
        "form": form,
        "confirm_word": CONFIRM_WORD,
        "breadcrumbs": _crumbs(client),
    }
    return render(request, "clients/privacy/erase.html", context)


# -- merge -----------------------------------------------------------------------------------


class MergeForm(StyledForm):
    dubbel = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Kies de klant die u wilt samenvoegen."),
            "invalid": gettext_lazy("Kies de klant die u wilt samenvoegen."),
        },
    )
    versie = VersionField()
    versie_dubbel = VersionField()
    bevestigd = forms.BooleanField(
        label=gettext_lazy("Ik heb gecontroleerd dat dit dezelfde persoon is"),
        error_messages={
            "required": gettext_lazy(
                "Vink aan dat u heeft gecontroleerd dat het om dezelfde persoon gaat."
            )
        },
    )


def _refusal(client: Client) -> str:
    """Why ``client`` cannot take part in a merge, or an empty string."""
    if client.is_erased:
        return _("Deze klant is geanonimiseerd en kan niet worden samengevoegd.")
    if client.merged_into_id:
        return _("Deze klant is al samengevoegd met een andere klant.")
    return ""


def _duplicate(request: HttpRequest, client: Client, value: Any) -> Client:
    """The chosen duplicate: a client of the same desk the user may change, else 404."""
    qs = _with_counts(
        Client.objects.filter(desk_id=client.desk_id)
        .select_related("desk", "municipality")
        .prefetch_related("target_groups")
    )
    return qs.get_for_user_or_404(request.user, Action.CHANGE, uuid=value)


@login_required
@GET_POST
def merge(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    client = _client(request, client_uuid, Action.CHANGE)
    if refusal := _refusal(client):
        messages.error(request, refusal)
        return HttpResponseRedirect(_detail_url(client))

    if request.method == "GET":
        chosen = request.GET.get(DUPLICATE_PARAM)
        if not chosen:
            return _choose_page(request, client)
        duplicate = _duplicate(request, client, chosen)
        if problem := _merge_problem(client, duplicate):
            return _compare_page(request, client, duplicate, None, [problem])
        return _compare_page(request, client, duplicate, _fresh_form(client, duplicate), [])

    form = MergeForm(request.POST)
    valid = form.is_valid()
    if "dubbel" in form.errors:
        return _choose_page(request, client, [str(e) for e in form.errors["dubbel"]])
    duplicate = _duplicate(request, client, form.cleaned_data["dubbel"])  # other desk: 404
    if problem := _merge_problem(client, duplicate):
        return _compare_page(request, client, duplicate, None, [problem])
    if not valid:
        errors = [str(e) for name in ("versie", "versie_dubbel") for e in form.errors.get(name, [])]
        return _compare_page(request, client, duplicate, form, errors)
    if (form.cleaned_data["versie"], form.cleaned_data["versie_dubbel"]) != (
        client.version,
        duplicate.version,
    ):
        conflict = _(
            "Een van beide klanten is intussen gewijzigd. Er is niets samengevoegd. "
            "Bekijk de gegevens hieronder opnieuw en bevestig nog eens."
        )
        return _compare_page(request, client, duplicate, _fresh_form(client, duplicate), [conflict])
    try:
        privacy.client_merge(actor=user, keep=client, duplicate=duplicate)
    except ValidationError as exc:
        return _compare_page(request, client, duplicate, form, list(exc.messages))
    messages.success(
        request,
        _(
            "De klanten zijn samengevoegd. Alle trajecten, registraties en aanvragen staan nu "
            "bij deze klant."
        ),
    )
    return HttpResponseRedirect(_detail_url(client))


def _merge_problem(client: Client, duplicate: Client) -> str:
    if duplicate.pk == client.pk:
        return _("Een klant kan niet met zichzelf worden samengevoegd. Kies een andere klant.")
    return _refusal(duplicate)


def _fresh_form(client: Client, duplicate: Client) -> MergeForm:
    return MergeForm(
        initial={
            "dubbel": duplicate.uuid,
            "versie": client.version,
            "versie_dubbel": duplicate.version,
        }
    )


def _compare_page(
    request: HttpRequest,
    client: Client,
    duplicate: Client,
    form: MergeForm | None,
    errors: list[str],
) -> HttpResponse:
    """Both records side by side; ``form`` is None when they cannot be merged."""
    audit_record(
        actor=request.user,
        action="client.view",
        obj=duplicate,
        desk_id=duplicate.desk_id,
        detail={"page": "merge", "keep": str(client.uuid)},
    )
    keep = _with_counts(Client.objects.filter(pk=client.pk)).get()
    rows = [
        (_("Naam"), client.full_name, duplicate.full_name),
        (_("E-mailadres"), client.email, duplicate.email),
        (_("Telefoonnummer"), client.phone, duplicate.phone),
        (_("Geboortejaar"), client.birth_year, duplicate.birth_year),
        (_("Postcode"), client.postcode, duplicate.postcode),
        (
            _("Woongemeente"),
            client.municipality.name if client.municipality else "",
            duplicate.municipality.name if duplicate.municipality else "",
        ),
        (_("Situatie"), client.get_situation_display(), duplicate.get_situation_display()),
        (
            _("Hoogst gevolgde opleiding"),
            client.get_education_level_display(),
            duplicate.get_education_level_display(),
        ),
        (
            _("Doelgroepen"),
            ", ".join(g.name for g in client.target_groups.all()),
            ", ".join(g.name for g in duplicate.target_groups.all()),
        ),
        (_("Klant sinds"), client.created_at.date(), duplicate.created_at.date()),
        (_("Trajecten"), keep.n_trajectories, duplicate.n_trajectories),
        (_("Registraties"), keep.n_registrations, duplicate.n_registrations),
        (_("Aanvragen"), keep.n_requests, duplicate.n_requests),
    ]
    context = {
        "title": _("Klant samenvoegen"),
        "client": client,
        "duplicate": duplicate,
        "rows": rows,
        "form": form,
        "errors": errors,
        "choose_url": reverse("clients:merge", args=[client.uuid]),
        "breadcrumbs": _crumbs(client),
    }
    return render(request, "clients/privacy/merge_compare.html", context)


def _choose_page(
    request: HttpRequest, client: Client, errors: list[str] | None = None
) -> HttpResponse:
    user = request.user
    candidates = client_selectors.client_match_candidates(
        user=user,
        desk_id=client.desk_id,
        email=client.email,
        phone=client.phone,
        given_name=client.given_name,
        family_name=client.family_name,
        birth_year=client.birth_year,
        exclude_pk=client.pk,
    )
    search_form = ClientSearchForm(request.GET or None)
    # The live search of the search page would replace the wrong part of this page.
    for name in ("hx-get", "hx-trigger", "hx-target", "hx-include", "hx-push-url"):
        search_form.fields["q"].widget.attrs.pop(name, None)
    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    page = None
    if query:
        results = (
            client_selectors.client_search(user=user, query=query, desk_id=client.desk_id)
            .exclude(pk=client.pk)
            .select_related("municipality")
        )
        page = paginate(request, results)
        audit_record(
            actor=user,
            action="client.search",
            object_type="clients.client",
            desk_id=client.desk_id,
            detail={"page": page.number, "results": page.paginator.count, "for": "merge"},
        )
    context = {
        "title": _("Klant samenvoegen"),
        "client": client,
        "candidates": candidates,
        "search_form": search_form,
        "query": query,
        "page": page,
        "page_query": query_without_page(request),
        "errors": errors or [],
        "duplicate_param": DUPLICATE_PARAM,
        "breadcrumbs": _crumbs(client),
    }
    return render(request, "clients/privacy/merge_choose.html", context)
