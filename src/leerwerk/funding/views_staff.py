"""Staff pages for maintaining arrangements (/medewerkers/financiering/): the list with the
"checked more than six months ago" flag, an arrangement with its conditions, live preview and
change history, and the forms. National and sector arrangements are the national team's,
regional ones their desk managers' (``funding.policies``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.core.access import access_for
from leerwerk.core.constants import Action, GlobalRole
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page
from leerwerk.funding import selectors, services
from leerwerk.funding.constants import ConditionKind, Scope
from leerwerk.funding.eligibility import describe_condition
from leerwerk.funding.forms import (
    ArrangementForm,
    CheckedForm,
    ConditionForm,
    KindForm,
    condition_initial,
    scope_choices,
)
from leerwerk.funding.models import Condition, FundingArrangement, stale_before
from leerwerk.network.forms import add_service_errors
from leerwerk.network.models import Desk

GET_POST = require_http_methods(["GET", "POST"])


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Medewerkers"), reverse("staff:home")),
        (_("Financiële regelingen"), reverse("funding:arrangement_list")),
        *extra,
    ]


def _detail_url(arrangement: FundingArrangement) -> str:
    return reverse("funding:arrangement_detail", args=[arrangement.uuid])


def _require_any_view(user: Any) -> None:
    if not policy_for(FundingArrangement).can_any(user, Action.VIEW):
        raise PermissionDenied


# -- list and detail -------------------------------------------------------------------------


@login_required
@require_GET
def arrangement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_any_view(user)
    today = timezone.localdate()
    scope = request.GET.get("bereik", "")
    stale_only = request.GET.get("verouderd") == "1"
    query = request.GET.get("q", "").strip()
    arrangements = selectors.staff_arrangements(
        user, scope=scope, stale_only=stale_only, query=query, today=today
    )
    page = paginate(request, arrangements)
    policy = policy_for(FundingArrangement)
    context = {
        "title": _("Financiële regelingen"),
        "page": page,
        "rows": [(a, a.is_stale(today)) for a in page.object_list],
        "query": query_without_page(request),
        "q": query,
        "scope": scope,
        "stale_only": stale_only,
        "scopes": Scope.choices,
        "stale_count": selectors.staff_arrangements(user, stale_only=True, today=today).count(),
        "stale_before": stale_before(today),
        "can_add": policy.can_any(user, Action.ADD),
        "breadcrumbs": [(_("Medewerkers"), reverse("staff:home"))],
    }
    return render(request, "funding/staff/arrangement_list.html", context)


def _conditions_view(arrangement: FundingArrangement) -> list[dict[str, Any]]:
    labels = selectors.place_labels(arrangement.conditions.all())
    return [
        {
            "condition": condition,
            "text": describe_condition(selectors.condition_rule(condition, labels)),
        }
        for condition in arrangement.conditions.all()
    ]


@login_required
@require_GET
def arrangement_detail(request: HttpRequest, arrangement_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    arrangement = selectors.arrangement_for_staff(user, Action.VIEW, arrangement_uuid)
    today = timezone.localdate()
    scope_rule = selectors.scope_rule(arrangement)
    context = {
        "title": arrangement.name,
        "arrangement": arrangement,
        "conditions": _conditions_view(arrangement),
        "scope_text": describe_condition(scope_rule) if scope_rule else "",
        "is_stale": arrangement.is_stale(today),
        "is_valid": arrangement.is_valid_on(today),
        "can_change": policy_for(FundingArrangement).can(user, Action.CHANGE, arrangement),
        "checked_form": CheckedForm(initial={"version": arrangement.version}),
        "history": selectors.arrangement_history(arrangement)[:50],
        "preview": selectors.preview(arrangement, on=today),
        "kind_form": KindForm(),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "funding/staff/arrangement_detail.html", context)


# -- create and change -----------------------------------------------------------------------


def _create_options(user: Any) -> tuple[list[tuple[str, Any]], Any]:
    """The scopes and desks this user may create arrangements for (403 when none)."""
    policy = policy_for(FundingArrangement)
    national = policy.can_on_desk(user, Action.ADD, None)
    desks: Any
    if access_for(user).has_global_role([GlobalRole.ADMINISTRATOR]):
        desks = Desk.objects.select_related("region").order_by("display_name")
    else:
        desks = selectors.managed_desks(user)
    scopes = scope_choices(national=national, regional=desks.exists())
    if not scopes:
        raise PermissionDenied
    return scopes, desks


@login_required
@GET_POST
def arrangement_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes, desks = _create_options(user)
    initial = {"checked_on": timezone.localdate(), "is_active": True}
    if len(scopes) == 1:
        initial["scope"] = scopes[0][0]
    if desks.count() == 1:
        initial["desk"] = desks.first().uuid
    if request.method == "POST":
        form = ArrangementForm(request.POST, user=user, scopes=scopes, desks=desks)
        if form.is_valid():
            values = form.service_values()
            try:
                arrangement = services.arrangement_create(
                    actor=user,
                    scope=form.cleaned_data["scope"],
                    desk=form.cleaned_data.get("desk")
                    if form.cleaned_data["scope"] == Scope.REGIONAL
                    else None,
                    **values,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("De regeling is opgeslagen. Voeg nu de voorwaarden toe.")
                )
                return HttpResponseRedirect(_detail_url(arrangement))
    else:
        form = ArrangementForm(user=user, scopes=scopes, desks=desks, initial=initial)
    context = {
        "title": _("Nieuwe regeling"),
        "form": form,
        "cancel_url": reverse("funding:arrangement_list"),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "funding/staff/arrangement_form.html", context)


@login_required
@GET_POST
def arrangement_update(request: HttpRequest, arrangement_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    arrangement = selectors.arrangement_for_staff(user, Action.CHANGE, arrangement_uuid)
    if request.method == "POST":
        form = ArrangementForm(request.POST, user=user, instance=arrangement)
        if form.is_valid():
            try:
                services.arrangement_update(
                    actor=user,
                    arrangement=arrangement,
                    expected_version=form.cleaned_data.get("version"),
                    **form.service_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return HttpResponseRedirect(_detail_url(arrangement))
    else:
        form = ArrangementForm(
            user=user,
            instance=arrangement,
            initial={
                "version": arrangement.version,
                "not_combinable_with": list(arrangement.not_combinable_with.all()),
            },
        )
    context = {
        "title": _("%(name)s wijzigen") % {"name": arrangement.name},
        "form": form,
        "arrangement": arrangement,
        "cancel_url": _detail_url(arrangement),
        "breadcrumbs": _crumbs((arrangement.name, _detail_url(arrangement))),
    }
    return render(request, "funding/staff/arrangement_form.html", context)


@login_required
@require_POST
def arrangement_checked(request: HttpRequest, arrangement_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    arrangement = selectors.arrangement_for_staff(user, Action.CHANGE, arrangement_uuid)
    form = CheckedForm(request.POST)
    if form.is_valid():
        try:
            services.arrangement_mark_checked(
                actor=user,
                arrangement=arrangement,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Vastgelegd: de regeling is vandaag gecontroleerd."))
    else:
        messages.error(request, _("De pagina is niet volledig geladen. Laad de pagina opnieuw."))
    return HttpResponseRedirect(_detail_url(arrangement))


# -- conditions ------------------------------------------------------------------------------


def _condition_page(
    request: HttpRequest,
    arrangement: FundingArrangement,
    form: ConditionForm,
    *,
    title: str,
    preview_rows: list[selectors.PreviewRow] | None,
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "title": title,
        "arrangement": arrangement,
        "form": form,
        "kind": form.kind,
        "kind_label": ConditionKind(form.kind).label,
        "preview": preview_rows
        if preview_rows is not None
        else selectors.preview(arrangement, on=today),
        "preview_is_draft": preview_rows is not None,
        "cancel_url": _detail_url(arrangement),
        "breadcrumbs": _crumbs((arrangement.name, _detail_url(arrangement))),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "funding/staff/_preview.html", context)
    return render(request, "funding/staff/condition_form.html", context)


def _handle_condition_form(
    request: HttpRequest,
    arrangement: FundingArrangement,
    form: ConditionForm,
    condition: Condition | None,
    title: str,
) -> HttpResponse:
    """POST of a condition form: preview (htmx or the preview button) or save."""
    today = timezone.localdate()
    wants_preview = "voorbeeld" in request.POST or request.htmx  # type: ignore[attr-defined]
    preview_rows = None
    if form.is_valid():
        values = form.service_values()
        if wants_preview:
            try:
                draft = services.build_condition(
                    arrangement=arrangement, condition=condition, **values
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                preview_rows = selectors.preview(
                    arrangement, services.conditions_with(arrangement, draft), on=today
                )
        else:
            try:
                if condition is None:
                    services.condition_add(
                        actor=request.user,
                        arrangement=arrangement,
                        expected_version=form.cleaned_data["version"],
                        **values,
                    )
                else:
                    services.condition_update(
                        actor=request.user,
                        condition=condition,
                        expected_version=form.cleaned_data["version"],
                        **values,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("De voorwaarde is opgeslagen."))
                return HttpResponseRedirect(_detail_url(arrangement) + "#voorwaarden")
    return _condition_page(request, arrangement, form, title=title, preview_rows=preview_rows)


@login_required
@GET_POST
def condition_create(request: HttpRequest, arrangement_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    arrangement = selectors.arrangement_for_staff(user, Action.CHANGE, arrangement_uuid)
    kind = (request.POST if request.method == "POST" else request.GET).get("soort", "")
    if kind not in ConditionKind.values:
        context = {
            "title": _("Voorwaarde toevoegen"),
            "arrangement": arrangement,
            "kind_form": KindForm(request.GET or None),
            "cancel_url": _detail_url(arrangement),
            "breadcrumbs": _crumbs((arrangement.name, _detail_url(arrangement))),
        }
        return render(request, "funding/staff/condition_kind.html", context)
    title = _("Voorwaarde toevoegen: %(kind)s") % {"kind": ConditionKind(kind).label.lower()}
    if request.method == "POST":
        form = ConditionForm(request.POST, kind=kind)
        return _handle_condition_form(request, arrangement, form, None, title)
    form = ConditionForm(kind=kind, initial={"version": arrangement.version})
    return _condition_page(request, arrangement, form, title=title, preview_rows=None)


def _get_condition(request: HttpRequest, condition_uuid: uuid.UUID) -> Condition:
    condition: Condition = Condition.objects.select_related(
        "arrangement", "arrangement__desk", "arrangement__desk__region"
    ).get_for_user_or_404(request.user, Action.CHANGE, uuid=condition_uuid)
    return condition


@login_required
@GET_POST
def condition_update(request: HttpRequest, condition_uuid: uuid.UUID) -> HttpResponse:
    condition = _get_condition(request, condition_uuid)
    arrangement = selectors.arrangement_for_staff(
        request.user, Action.CHANGE, condition.arrangement.uuid
    )
    title = _("Voorwaarde wijzigen: %(kind)s") % {"kind": condition.get_kind_display().lower()}
    if request.method == "POST":
        form = ConditionForm(request.POST, kind=condition.kind)
        return _handle_condition_form(request, arrangement, form, condition, title)
    form = ConditionForm(
        kind=condition.kind,
        initial={**condition_initial(condition), "version": arrangement.version},
    )
    return _condition_page(request, arrangement, form, title=title, preview_rows=None)


@login_required
@GET_POST
def condition_delete(request: HttpRequest, condition_uuid: uuid.UUID) -> HttpResponse:
    condition = _get_condition(request, condition_uuid)
    arrangement = selectors.arrangement_for_staff(
        request.user, Action.CHANGE, condition.arrangement.uuid
    )
    form = CheckedForm(request.POST or None, initial={"version": arrangement.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_remove(
                actor=request.user,
                condition=condition,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De voorwaarde is verwijderd."))
            return HttpResponseRedirect(_detail_url(arrangement) + "#voorwaarden")
    labels = selectors.place_labels([condition])
    without = services.conditions_with(arrangement, None, removed=condition)
    context = {
        "title": _("Voorwaarde verwijderen"),
        "arrangement": arrangement,
        "form": form,
        "text": describe_condition(selectors.condition_rule(condition, labels)),
        "preview": selectors.preview(arrangement, without, on=timezone.localdate()),
        "preview_is_draft": True,
        "cancel_url": _detail_url(arrangement),
        "breadcrumbs": _crumbs((arrangement.name, _detail_url(arrangement))),
    }
    return render(request, "funding/staff/condition_delete.html", context)
