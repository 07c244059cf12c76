"""Opening a trajectory, the trajectory page and its actions (status, adviser, details, close)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from leerwerk.clients.models import Client
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import paginate, query_without_page, require_on_desk
from leerwerk.guidance import selectors, services
from leerwerk.guidance.constants import TRANSITIONS, QuestionTheme, TrajectoryStatus
from leerwerk.guidance.forms import (
    TrajectoryAssignForm,
    TrajectoryCloseForm,
    TrajectoryOpenForm,
    TrajectoryStatusForm,
    TrajectoryUpdateForm,
)
from leerwerk.guidance.models import Registration, Trajectory
from leerwerk.guidance.views.common import (
    GET_POST,
    client_url,
    redirect_to,
    staff_crumbs,
)
from leerwerk.network.forms import add_service_errors, raw_values
from leerwerk.network.views.staff import partner_choices

REGISTRATION_KINDS = [
    ("contact_moment", gettext_lazy("Contactmoment registreren")),
    ("instrument", gettext_lazy("Instrument registreren")),
    ("referral", gettext_lazy("Doorverwijzing registreren")),
]


def adviser_options(form: Any, suggestions: list[selectors.AdviserSuggestion]) -> list[Any]:
    """The adviser radio buttons with the suggestion behind each (None for 'nobody yet')."""
    return list(zip(form["adviser"].subwidgets, [None, *suggestions], strict=True))


def _trajectory_crumbs(trajectory: Trajectory, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return staff_crumbs(
        (trajectory.client.full_name, client_url(trajectory.client)),
        (
            _("Traject %(theme)s") % {"theme": trajectory.get_theme_display().lower()},
            reverse("guidance:trajectory_detail", args=[trajectory.uuid]),
        ),
        *extra,
    )


def _get_trajectory(request: HttpRequest, trajectory_uuid: uuid.UUID, action: str) -> Trajectory:
    return Trajectory.objects.select_related(
        "client", "desk", "adviser", "service_line", "referrer_partner"
    ).get_for_user_or_404(request.user, action, uuid=trajectory_uuid)


# -- open ------------------------------------------------------------------------------------


@login_required
@GET_POST
def trajectory_open(request: HttpRequest, client_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    client = Client.objects.select_related("desk").get_for_user_or_404(user, uuid=client_uuid)
    desk = client.desk
    require_on_desk(user, Trajectory, Action.ADD, desk)
    data = request.POST if request.method == "POST" else request.GET
    theme = data.get("theme", "")
    suggestions = selectors.adviser_suggestions(
        desk_id=desk.pk, theme=theme if theme in QuestionTheme.values else ""
    )
    choices: dict[str, Any] = {
        "desk": desk,
        "suggestions": suggestions,
        "partners": partner_choices(user, desk),
    }
    if request.method == "POST":
        form = TrajectoryOpenForm(request.POST, **choices)
        if "bijwerken" in request.POST:
            # "Show advisers for this theme" without JavaScript: same input, nothing saved.
            form = TrajectoryOpenForm(initial=raw_values(form), **choices)
        elif form.is_valid():
            try:
                trajectory = services.trajectory_open(
                    actor=user, client=client, **form.service_values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Het traject is geopend."))
                return redirect_to(reverse("guidance:trajectory_detail", args=[trajectory.uuid]))
    else:
        form = TrajectoryOpenForm(initial={"theme": theme}, **choices)
    # With JavaScript, choosing a theme reloads only the adviser suggestions.
    form.fields["theme"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-trigger": "change",
            "hx-target": "#adviseurs",
            "hx-swap": "outerHTML",
        }
    )
    context = {
        "title": _("Traject openen voor %(name)s") % {"name": client.full_name},
        "client": client,
        "client_url": client_url(client),
        "form": form,
        "adviser_options": adviser_options(form, suggestions),
        "breadcrumbs": staff_crumbs((client.full_name, client_url(client))),
    }
    if request.htmx and request.method == "GET":  # type: ignore[attr-defined]
        return render(request, "guidance/includes/adviser_choices.html", context)
    return render(request, "guidance/trajectory_open.html", context)


# -- the trajectory page ---------------------------------------------------------------------


@login_required
@require_GET
def trajectory_detail(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    trajectory = _get_trajectory(request, trajectory_uuid, Action.VIEW)
    registrations = (
        Registration.objects.for_user(user)
        .filter(trajectory=trajectory)
        .select_related("type", "adviser", "partner")
        .order_by("-occurred_on", "-created_at")
    )
    page = paginate(request, registrations)
    trajectory_policy = policy_for(Trajectory)
    registration_policy = policy_for(Registration)
    can_change = trajectory_policy.can(user, Action.CHANGE, trajectory)
    is_open = trajectory.status != TrajectoryStatus.CLOSED
    status_form = assign_form = None
    options: list[Any] = []
    if can_change and is_open:
        # Two forms on one page: their own id prefixes keep the ids unique.
        status_form = TrajectoryStatusForm(
            current=trajectory.status,
            initial={"version": trajectory.version},
            auto_id="status_%s",
        )
        suggestions = selectors.adviser_suggestions(
            desk_id=trajectory.desk_id, theme=trajectory.theme
        )
        assign_form = TrajectoryAssignForm(
            suggestions=suggestions,
            initial={
                "version": trajectory.version,
                "adviser": str(trajectory.adviser.uuid) if trajectory.adviser else "",
            },
            auto_id="adviseur_%s",
        )
        options = adviser_options(assign_form, suggestions)
    audit_record(
        actor=user,
        action="trajectory.view",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"page": page.number},
    )
    context = {
        "title": _("Traject %(theme)s") % {"theme": trajectory.get_theme_display().lower()},
        "trajectory": trajectory,
        "client_url": client_url(trajectory.client),
        "page": page,
        "query": query_without_page(request),
        "can_change": can_change,
        "is_open": is_open,
        "can_add_registration": registration_policy.can_on_desk(
            user, Action.ADD, trajectory.desk_id
        ),
        "can_change_registration": registration_policy.can_on_desk(
            user, Action.CHANGE, trajectory.desk_id
        ),
        "can_delete_registration": registration_policy.can_on_desk(
            user, Action.DELETE, trajectory.desk_id
        ),
        "registration_kinds": REGISTRATION_KINDS,
        "status_form": status_form,
        "assign_form": assign_form,
        "adviser_options": options,
        "today": timezone.localdate(),
        "breadcrumbs": staff_crumbs((trajectory.client.full_name, client_url(trajectory.client))),
    }
    return render(request, "guidance/trajectory_detail.html", context)


# -- actions ---------------------------------------------------------------------------------


def _action_page(
    request: HttpRequest,
    trajectory: Trajectory,
    *,
    title: str,
    form: Any,
    submit: str,
    intro: str = "",
    options: list[Any] | None = None,
) -> HttpResponse:
    context = {
        "title": title,
        "trajectory": trajectory,
        "form": form,
        "submit": submit,
        "intro": intro,
        "adviser_options": options or [],
        "cancel_url": reverse("guidance:trajectory_detail", args=[trajectory.uuid]),
        "breadcrumbs": _trajectory_crumbs(trajectory),
    }
    return render(request, "guidance/form_page.html", context)


def _saved(request: HttpRequest, trajectory: Trajectory, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect_to(reverse("guidance:trajectory_detail", args=[trajectory.uuid]))


@login_required
@GET_POST
def trajectory_status(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    trajectory = _get_trajectory(request, trajectory_uuid, Action.CHANGE)
    current = TrajectoryStatus(trajectory.status)
    if request.method == "POST":
        form = TrajectoryStatusForm(request.POST, current=trajectory.status)
        if form.is_valid():
            try:
                services.trajectory_transition(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=form.cleaned_data["version"],
                    to_status=form.cleaned_data["to_status"],
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                return _saved(
                    request,
                    trajectory,
                    _("De status is nu: %(status)s.") % {"status": trajectory.get_status_display()},
                )
    else:
        form = TrajectoryStatusForm(
            current=trajectory.status, initial={"version": trajectory.version}
        )
    intro = _("De status is nu: %(status)s.") % {"status": current.label}
    if not TRANSITIONS.get(current, set()) - {TrajectoryStatus.CLOSED}:
        intro += " " + _("Vanuit deze status kan het traject alleen worden afgesloten.")
    return _action_page(
        request,
        trajectory,
        title=_("Status wijzigen"),
        form=form,
        submit=_("Status wijzigen"),
        intro=intro,
    )


@login_required
@GET_POST
def trajectory_assign(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    trajectory = _get_trajectory(request, trajectory_uuid, Action.CHANGE)
    suggestions = selectors.adviser_suggestions(desk_id=trajectory.desk_id, theme=trajectory.theme)
    if request.method == "POST":
        form = TrajectoryAssignForm(request.POST, suggestions=suggestions)
        if form.is_valid():
            adviser = form.cleaned_data["adviser"]
            try:
                services.trajectory_assign(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=form.cleaned_data["version"],
                    adviser=adviser,
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                if adviser is None:
                    message = _("Het traject heeft nu geen adviseur.")
                else:
                    message = _("%(name)s is nu de adviseur van dit traject.") % {
                        "name": adviser.get_full_name()
                    }
                return _saved(request, trajectory, message)
    else:
        form = TrajectoryAssignForm(
            suggestions=suggestions,
            initial={
                "version": trajectory.version,
                "adviser": str(trajectory.adviser.uuid) if trajectory.adviser else "",
            },
        )
    return _action_page(
        request,
        trajectory,
        title=_("Adviseur kiezen"),
        form=form,
        submit=_("Adviseur opslaan"),
        intro=_(
            "Bovenaan staan adviseurs met expertise voor dit onderwerp en de minste trajecten."
        ),
        options=adviser_options(form, suggestions),
    )


@login_required
@GET_POST
def trajectory_update(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    trajectory = _get_trajectory(request, trajectory_uuid, Action.CHANGE)
    if request.method == "POST":
        form = TrajectoryUpdateForm(request.POST, desk=trajectory.desk)
        if form.is_valid():
            try:
                services.trajectory_update(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=form.cleaned_data["version"],
                    **form.service_values(),
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                return _saved(request, trajectory, _("Het traject is opgeslagen."))
    else:
        form = TrajectoryUpdateForm(
            desk=trajectory.desk,
            initial={
                "theme": trajectory.theme,
                "service_line": trajectory.service_line_id,
                "follow_up_on": trajectory.follow_up_on,
                "version": trajectory.version,
            },
        )
    return _action_page(
        request,
        trajectory,
        title=_("Traject wijzigen"),
        form=form,
        submit=_("Opslaan"),
    )


@login_required
@GET_POST
def trajectory_close(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    trajectory = _get_trajectory(request, trajectory_uuid, Action.CHANGE)
    if request.method == "POST":
        form = TrajectoryCloseForm(request.POST)
        if form.is_valid():
            try:
                services.trajectory_close(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=form.cleaned_data["version"],
                    outcome=form.cleaned_data["outcome"],
                    outcome_date=form.cleaned_data["outcome_date"],
                    closed_on=form.cleaned_data["closed_on"],
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                return _saved(request, trajectory, _("Het traject is afgesloten."))
    else:
        today = timezone.localdate()
        form = TrajectoryCloseForm(
            initial={"closed_on": today, "outcome_date": today, "version": trajectory.version}
        )
    return _action_page(
        request,
        trajectory,
        title=_("Traject afsluiten"),
        form=form,
        submit=_("Traject afsluiten"),
        intro=_(
            "Een afgesloten traject kan niet meer open. Registraties kunt u daarna nog wel "
            "toevoegen."
        ),
    )
