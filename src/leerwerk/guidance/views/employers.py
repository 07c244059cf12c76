"""Employers: list and search, create and change, contact persons, and employer activities."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leerwerk.clients import services as client_services
from leerwerk.clients.models import Employer, EmployerContactPerson
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page, require_on_desk
from leerwerk.guidance import selectors, services
from leerwerk.guidance.constants import RegistrationKind, RegistrationStatus
from leerwerk.guidance.forms import (
    ContactPersonForm,
    EmployerEditForm,
    EmployerForm,
    EmployerSearchForm,
    RegistrationForm,
    add_desk_field,
    chosen_desk,
)
from leerwerk.guidance.models import Registration
from leerwerk.guidance.views.common import (
    GET_POST,
    desks_for,
    redirect_to,
    staff_crumbs,
)
from leerwerk.network.forms import add_service_errors


def _list_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return staff_crumbs((_("Werkgevers"), reverse("guidance:employer_list")), *extra)


def _detail_url(employer: Employer) -> str:
    return reverse("guidance:employer_detail", args=[employer.uuid])


def _get_employer(request: HttpRequest, employer_uuid: uuid.UUID, action: str) -> Employer:
    return Employer.objects.select_related("desk", "municipality").get_for_user_or_404(
        request.user, action, uuid=employer_uuid
    )


# -- list ------------------------------------------------------------------------------------


@login_required
@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = desks_for(user, Employer, Action.VIEW)
    # ?loket=<uuid> narrows the list to one of the user's desks (as the client pages do).
    if chosen := [d for d in desks if str(d.uuid) == request.GET.get("loket")]:
        desks = chosen
    form = EmployerSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    employers = (
        Employer.objects.for_user(user)
        .filter(desk__in=desks)
        .select_related("desk", "municipality")
        .annotate(contact_count=Count("contact_persons", distinct=True))
        .order_by("name", "pk")
    )
    if query:
        digits = "".join(query.split())
        condition = Q(name__icontains=query)
        if digits.isdigit():
            condition |= Q(kvk_number__startswith=digits)
        employers = employers.filter(condition)
    page = paginate(request, employers)
    audit_record(
        actor=user,
        action="employer.list",
        object_type="clients.employer",
        desk_id=desks[0].pk if len(desks) == 1 else None,
        detail={"page": page.number, "search": bool(query)},
    )
    context = {
        "title": _("Werkgevers"),
        "form": form,
        "search": query,
        "page": page,
        "query": query_without_page(request),
        "show_desk": len(desks) > 1,
        "can_add": any(
            policy_for(Employer).can_on_desk(user, Action.ADD, desk.pk) for desk in desks
        ),
        "breadcrumbs": staff_crumbs(),
    }
    return render(request, "guidance/employer_list.html", context)


# -- create and change -----------------------------------------------------------------------


def _employer_form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "guidance/form_page.html", context)


@login_required
@GET_POST
def employer_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    desks = desks_for(user, Employer, Action.ADD)
    if request.method == "POST":
        form = EmployerForm(request.POST)
        add_desk_field(form, desks)
        if form.is_valid():
            try:
                employer = client_services.employer_create(
                    actor=user, desk=chosen_desk(form, desks), **form.service_values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Werkgever %(name)s is toegevoegd.") % {"name": employer.name}
                )
                return redirect_to(_detail_url(employer))
    else:
        form = EmployerForm()
        add_desk_field(form, desks)
    return _employer_form_page(
        request,
        {
            "title": _("Werkgever toevoegen"),
            "form": form,
            "cancel_url": reverse("guidance:employer_list"),
            "breadcrumbs": _list_crumbs(),
        },
    )


@login_required
@GET_POST
def employer_update(request: HttpRequest, employer_uuid: uuid.UUID) -> HttpResponse:
    employer = _get_employer(request, employer_uuid, Action.CHANGE)
    # Title and crumbs from the saved data: a failed save must not rename the page.
    title = _("%(name)s wijzigen") % {"name": employer.name}
    crumbs = _list_crumbs((employer.name, _detail_url(employer)))
    if request.method == "POST":
        form = EmployerEditForm(request.POST)
        if form.is_valid():
            try:
                client_services.employer_update(
                    actor=request.user,
                    employer=employer,
                    expected_version=form.cleaned_data["version"],
                    **form.service_values(),
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Werkgever %(name)s is opgeslagen.") % {"name": employer.name}
                )
                return redirect_to(_detail_url(employer))
    else:
        form = EmployerEditForm(
            initial={
                "name": employer.name,
                "kvk_number": employer.kvk_number,
                "sector": employer.sector,
                "size_class": employer.size_class,
                "municipality": employer.municipality.code if employer.municipality else "",
                "notes": employer.notes,
                "version": employer.version,
            }
        )
    return _employer_form_page(
        request,
        {
            "title": title,
            "form": form,
            "cancel_url": _detail_url(employer),
            "breadcrumbs": crumbs,
        },
    )


# -- detail ----------------------------------------------------------------------------------


@login_required
@require_GET
def employer_detail(request: HttpRequest, employer_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    employer = (
        Employer.objects.select_related("desk", "municipality")
        .prefetch_related(
            Prefetch(
                "contact_persons",
                queryset=EmployerContactPerson.objects.order_by("name", "pk"),
            )
        )
        .get_for_user_or_404(user, uuid=employer_uuid)
    )
    activities = (
        Registration.objects.for_user(user)
        .filter(employer=employer)
        .select_related("type", "adviser")
        .order_by("-occurred_on", "-created_at")
    )
    page = paginate(request, activities)
    employer_policy = policy_for(Employer)
    registration_policy = policy_for(Registration)
    audit_record(
        actor=user,
        action="employer.view",
        obj=employer,
        desk_id=employer.desk_id,
        detail={"page": page.number},
    )
    context = {
        "title": employer.name,
        "employer": employer,
        "contact_persons": list(employer.contact_persons.all()),
        "page": page,
        "query": query_without_page(request),
        "can_change": employer_policy.can(user, Action.CHANGE, employer),
        "can_add_activity": registration_policy.can_on_desk(user, Action.ADD, employer.desk_id),
        "can_change_activity": registration_policy.can_on_desk(
            user, Action.CHANGE, employer.desk_id
        ),
        "can_delete_activity": registration_policy.can_on_desk(
            user, Action.DELETE, employer.desk_id
        ),
        "breadcrumbs": _list_crumbs(),
    }
    return render(request, "guidance/employer_detail.html", context)


# -- contact persons and activities ----------------------------------------------------------


@login_required
@GET_POST
def employer_contact_person_add(request: HttpRequest, employer_uuid: uuid.UUID) -> HttpResponse:
    employer = _get_employer(request, employer_uuid, Action.CHANGE)
    if request.method == "POST":
        form = ContactPersonForm(request.POST)
        if form.is_valid():
            try:
                person = client_services.employer_contact_person_add(
                    actor=request.user, employer=employer, **form.service_values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Contactpersoon %(name)s is toegevoegd.") % {"name": person.name}
                )
                return redirect_to(_detail_url(employer), anchor="contactpersonen")
    else:
        form = ContactPersonForm()
    return _employer_form_page(
        request,
        {
            "title": _("Contactpersoon toevoegen"),
            "subject": employer.name,
            "form": form,
            "cancel_url": _detail_url(employer),
            "breadcrumbs": _list_crumbs((employer.name, _detail_url(employer))),
        },
    )


@login_required
@GET_POST
def employer_activity_create(request: HttpRequest, employer_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    employer = _get_employer(request, employer_uuid, Action.VIEW)
    require_on_desk(user, Registration, Action.ADD, employer.desk)
    types = selectors.registration_types(kind=RegistrationKind.EMPLOYER_ACTIVITY)
    options: dict[str, Any] = {"kind": RegistrationKind.EMPLOYER_ACTIVITY, "types": types}
    if request.method == "POST":
        form = RegistrationForm(request.POST, **options)
        if form.is_valid():
            try:
                services.registration_create(
                    actor=user,
                    desk=employer.desk,
                    type=form.cleaned_data["type"],
                    employer=employer,
                    **form.service_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(type)s is geregistreerd.") % {"type": form.cleaned_data["type"].name},
                )
                return redirect_to(_detail_url(employer), anchor="registraties")
    else:
        form = RegistrationForm(
            initial={"occurred_on": timezone.localdate(), "status": RegistrationStatus.COMPLETED},
            **options,
        )
    return render(
        request,
        "guidance/form_page.html",
        {
            "title": _("Werkgeversactiviteit registreren"),
            "subject": employer.name,
            "form": form,
            "cancel_url": _detail_url(employer),
            "breadcrumbs": _list_crumbs((employer.name, _detail_url(employer))),
        },
    )
