"""Registrations: add to a trajectory, change, delete, and an information contact without a
trajectory."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerwerk.clients.models import Client
from leerwerk.core.constants import Action
from leerwerk.core.views_helpers import require_on_desk
from leerwerk.guidance import selectors, services
from leerwerk.guidance.constants import RegistrationKind, RegistrationStatus
from leerwerk.guidance.forms import (
    KIND_PARAMETERS,
    RegistrationEditForm,
    RegistrationForm,
    add_desk_field,
    chosen_desk,
)
from leerwerk.guidance.models import Registration, Trajectory
from leerwerk.guidance.views.common import (
    GET_POST,
    client_url,
    desks_for,
    redirect_to,
    staff_crumbs,
)
from leerwerk.network.forms import add_service_errors
from leerwerk.network.views.staff import partner_choices

KIND_TITLES = {
    RegistrationKind.CONTACT_MOMENT: gettext_lazy("Contactmoment registreren"),
    RegistrationKind.INSTRUMENT: gettext_lazy("Instrument registreren"),
    RegistrationKind.REFERRAL: gettext_lazy("Doorverwijzing registreren"),
}


def _initial() -> dict[str, Any]:
    return {"occurred_on": timezone.localdate(), "status": RegistrationStatus.COMPLETED}


def _trajectory_url(trajectory: Trajectory) -> str:
    return reverse("guidance:trajectory_detail", args=[trajectory.uuid])


def _back_url(registration: Registration) -> str:
    """Where a registration is shown: its trajectory, its employer or its client."""
    if registration.trajectory_id:
        return _trajectory_url(registration.trajectory)  # type: ignore[arg-type]
    if registration.employer_id:
        return reverse("guidance:employer_detail", args=[registration.employer.uuid])  # type: ignore[union-attr]
    return client_url(registration.client) or reverse("staff:home")


def _crumbs(registration: Registration) -> list[tuple[str, str]]:
    if (trajectory := registration.trajectory) is not None:
        return staff_crumbs(
            (trajectory.client.full_name, client_url(trajectory.client)),
            (
                _("Traject %(theme)s") % {"theme": trajectory.get_theme_display().lower()},
                _trajectory_url(trajectory),
            ),
        )
    if (employer := registration.employer) is not None:
        return staff_crumbs(
            (_("Werkgevers"), reverse("guidance:employer_list")),
            (employer.name, reverse("guidance:employer_detail", args=[employer.uuid])),
        )
    if registration.client_id:
        return staff_crumbs((registration.client.full_name, client_url(registration.client)))  # type: ignore[union-attr]
    return staff_crumbs()


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "guidance/form_page.html", context)


# -- in a trajectory -------------------------------------------------------------------------


@login_required
@GET_POST
def registration_create(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    trajectory = Trajectory.objects.select_related("client", "desk").get_for_user_or_404(
        user, uuid=trajectory_uuid
    )
    require_on_desk(user, Registration, Action.ADD, trajectory.desk)
    kind = KIND_PARAMETERS.get(request.GET.get("soort", "contact_moment"))
    if kind is None:
        raise Http404
    types = selectors.registration_types(kind=kind)
    partners = partner_choices(user, trajectory.desk) if kind == RegistrationKind.REFERRAL else None
    options: dict[str, Any] = {"kind": kind, "types": types, "partners": partners}
    if request.method == "POST":
        form = RegistrationForm(request.POST, **options)
        if form.is_valid():
            try:
                services.registration_create(
                    actor=user,
                    desk=trajectory.desk,
                    type=form.cleaned_data["type"],
                    trajectory=trajectory,
                    **form.service_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(type)s is geregistreerd.") % {"type": form.cleaned_data["type"].name},
                )
                return redirect_to(_trajectory_url(trajectory), anchor="registraties")
    else:
        form = RegistrationForm(initial=_initial(), **options)
    theme = trajectory.get_theme_display().lower()
    return _form_page(
        request,
        {
            "title": KIND_TITLES[kind],
            "subject": _("Traject %(theme)s van %(name)s")
            % {"theme": theme, "name": trajectory.client.full_name},
            "form": form,
            "cancel_url": _trajectory_url(trajectory),
            "breadcrumbs": staff_crumbs(
                (trajectory.client.full_name, client_url(trajectory.client)),
                (_("Traject %(theme)s") % {"theme": theme}, _trajectory_url(trajectory)),
            ),
        },
    )


# -- change and delete -----------------------------------------------------------------------


def _get_registration(
    request: HttpRequest, registration_uuid: uuid.UUID, action: str
) -> Registration:
    return Registration.objects.select_related(
        "type",
        "type__version",
        "desk",
        "trajectory",
        "trajectory__client",
        "client",
        "employer",
        "partner",
    ).get_for_user_or_404(request.user, action, uuid=registration_uuid)


@login_required
@GET_POST
def registration_update(request: HttpRequest, registration_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    registration = _get_registration(request, registration_uuid, Action.CHANGE)
    kind = registration.kind
    partners = (
        partner_choices(user, registration.desk) if kind == RegistrationKind.REFERRAL else None
    )
    if request.method == "POST":
        form = RegistrationEditForm(request.POST, kind=kind, partners=partners)
        if form.is_valid():
            try:
                services.registration_update(
                    actor=user,
                    registration=registration,
                    expected_version=form.cleaned_data["version"],
                    **form.service_values(),
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("%(type)s is opgeslagen.") % {"type": registration.type.name}
                )
                return redirect_to(_back_url(registration), anchor="registraties")
    else:
        form = RegistrationEditForm(
            kind=kind,
            partners=partners,
            initial={
                "occurred_on": registration.occurred_on,
                "channel": registration.channel,
                "status": registration.status,
                "duration_minutes": registration.duration_minutes,
                "partner": str(registration.partner.uuid) if registration.partner else "",
                "note": registration.note,
                "version": registration.version,
            },
        )
    return _form_page(
        request,
        {
            "title": _("%(type)s wijzigen") % {"type": registration.type.name},
            "subject": _("Registratie van %(date)s")
            % {"date": registration.occurred_on.strftime("%d-%m-%Y")},
            "form": form,
            "cancel_url": _back_url(registration),
            "breadcrumbs": _crumbs(registration),
        },
    )


@login_required
@GET_POST
def registration_delete(request: HttpRequest, registration_uuid: uuid.UUID) -> HttpResponse:
    registration = _get_registration(request, registration_uuid, Action.DELETE)
    back = _back_url(registration)
    if request.method == "POST":
        services.registration_delete(actor=request.user, registration=registration)
        messages.success(request, _("%(type)s is verwijderd.") % {"type": registration.type.name})
        return redirect_to(back, anchor="registraties")
    context = {
        "title": _("%(type)s verwijderen") % {"type": registration.type.name},
        "registration": registration,
        "cancel_url": back,
        "breadcrumbs": _crumbs(registration),
    }
    return render(request, "guidance/registration_delete.html", context)


# -- information contact (no trajectory) -----------------------------------------------------


@login_required
@GET_POST
def information_contact_create(request: HttpRequest) -> HttpResponse:
    """A short question answered without a trajectory; optionally for a known client
    (``?klant=<uuid>``)."""
    user = request.user
    client = None
    if client_uuid := request.GET.get("klant"):
        client = Client.objects.select_related("desk").get_for_user_or_404(user, uuid=client_uuid)
        require_on_desk(user, Registration, Action.ADD, client.desk)
        desks = [client.desk]
    else:
        desks = desks_for(user, Registration, Action.ADD)
    types = selectors.registration_types(kind=RegistrationKind.CONTACT_MOMENT).filter(
        needs_trajectory=False
    )
    options: dict[str, Any] = {"kind": RegistrationKind.CONTACT_MOMENT, "types": types}
    initial = _initial()
    if len(types) == 1:
        initial["type"] = types[0].pk
    if request.method == "POST":
        form = RegistrationForm(request.POST, **options)
        add_desk_field(form, desks)
        if form.is_valid():
            try:
                services.registration_create(
                    actor=user,
                    desk=chosen_desk(form, desks),
                    type=form.cleaned_data["type"],
                    client=client,
                    **form.service_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het informatiecontact is geregistreerd."))
                if client is not None:
                    return redirect_to(client_url(client) or request.get_full_path())
                return redirect_to(request.get_full_path())
    else:
        form = RegistrationForm(initial=initial, **options)
        add_desk_field(form, desks)
    return _form_page(
        request,
        {
            "title": _("Informatiecontact registreren"),
            "subject": _("Voor %(name)s") % {"name": client.full_name} if client else "",
            "intro": _(
                "Een korte vraag die u meteen hebt beantwoord, zonder traject. Bijvoorbeeld bij "
                "de inloop, aan de telefoon, in de chat of per e-mail."
            ),
            "form": form,
            "cancel_url": client_url(client) or reverse("staff:home"),
            "breadcrumbs": staff_crumbs(
                *([(client.full_name, client_url(client))] if client else [])
            ),
        },
    )
