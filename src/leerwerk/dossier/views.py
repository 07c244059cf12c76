"""Staff pages of the dossier (/medewerkers/begeleiding/…): the development plan of a
trajectory (versions, editor with step rows, sharing, PDF) and the message thread with the
client. Objects are fetched through the policies (another desk gets 404); every page that
shows personal data leaves an audit event."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action
from leerwerk.core.exceptions import ConflictError
from leerwerk.core.policies import policy_for
from leerwerk.core.views_helpers import PAGE_PARAM, paginate, require_on_desk
from leerwerk.dossier import selectors, services
from leerwerk.dossier.constants import MAX_STEPS, PlanStatus
from leerwerk.dossier.forms import STEPS_PREFIX, PlanForm, ReplyForm, ShareForm, StepFormSet
from leerwerk.dossier.models import DevelopmentPlan, Message
from leerwerk.guidance.constants import TrajectoryStatus
from leerwerk.guidance.models import Trajectory
from leerwerk.guidance.views.common import client_url, desks_for, staff_crumbs
from leerwerk.network.forms import add_service_errors, raw_values

GET_POST = require_http_methods(["GET", "POST"])
THREAD_PAGE_SIZE = 25


def _trajectory(request: HttpRequest, trajectory_uuid: uuid.UUID) -> Trajectory:
    return Trajectory.objects.select_related("client", "desk", "adviser").get_for_user_or_404(
        request.user, Action.VIEW, uuid=trajectory_uuid
    )


def _trajectory_url(trajectory: Trajectory) -> str:
    return reverse("guidance:trajectory_detail", args=[trajectory.uuid])


def _theme(trajectory: Trajectory) -> str:
    return _("Traject %(theme)s") % {"theme": trajectory.get_theme_display().lower()}


def _crumbs(trajectory: Trajectory, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return staff_crumbs(
        (trajectory.client.full_name, client_url(trajectory.client)),
        (_theme(trajectory), _trajectory_url(trajectory)),
        *extra,
    )


def _plan_crumbs(trajectory: Trajectory) -> list[tuple[str, str]]:
    return _crumbs(
        trajectory, (_("Ontwikkelplan"), reverse("dossier:plan_overview", args=[trajectory.uuid]))
    )


def _redirect(url: str, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


# -- the plan of a trajectory ------------------------------------------------------------------


@login_required
@require_GET
def plan_overview(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    """All versions of the trajectory's plan, with the current one and the draft on top."""
    user = request.user
    trajectory = _trajectory(request, trajectory_uuid)
    require_on_desk(user, DevelopmentPlan, Action.VIEW, trajectory.desk)
    plans = list(selectors.plans_for_trajectory(user, trajectory))
    policy = policy_for(DevelopmentPlan)
    is_open = trajectory.status != TrajectoryStatus.CLOSED
    audit_record(
        actor=user,
        action="plan.list",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"plans": len(plans)},
    )
    context = {
        "title": _("Ontwikkelplan"),
        "trajectory": trajectory,
        "theme": _theme(trajectory),
        "plans": plans,
        "shared": next((p for p in plans if p.status == PlanStatus.SHARED), None),
        "draft": next((p for p in plans if p.status == PlanStatus.DRAFT), None),
        "is_open": is_open,
        "can_add": is_open and policy.can_on_desk(user, Action.ADD, trajectory.desk_id),
        "breadcrumbs": _crumbs(trajectory),
    }
    return render(request, "dossier/plan_overview.html", context)


@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    user = request.user
    plan = selectors.plan_with_steps(user, Action.VIEW, plan_uuid)
    trajectory = plan.trajectory
    audit_record(
        actor=user,
        action="plan.view",
        obj=plan,
        desk_id=plan.desk_id,
        detail={"number": plan.number},
    )
    policy = policy_for(DevelopmentPlan)
    is_open = trajectory.status != TrajectoryStatus.CLOSED
    context = {
        "title": _("Ontwikkelplan versie %(number)s") % {"number": plan.number},
        "plan": plan,
        "trajectory": trajectory,
        "steps": list(plan.steps.all()),
        "is_open": is_open,
        "can_change": plan.is_draft and is_open and policy.can(user, Action.CHANGE, plan),
        "can_discard": plan.is_draft and policy.can(user, Action.DELETE, plan),
        "breadcrumbs": _plan_crumbs(trajectory),
    }
    return render(request, "dossier/plan_detail.html", context)


def _apply_service_errors(form: PlanForm, formset: Any, exc: ValidationError) -> None:
    """A service error at the right place: plan fields on the plan form, a step's error at
    its row and field, anything else at the top."""
    if not hasattr(exc, "error_dict"):
        add_service_errors(form, exc)
        return
    rows = formset.filled_forms()
    rest: dict[str, Any] = {}
    for name, errors in exc.error_dict.items():
        if name != "steps":
            rest[name] = errors
            continue
        for error in errors:
            params = getattr(error, "params", None) or {}
            index = params.get("index")
            if error.code == "step" and isinstance(index, int) and index < len(rows):
                rows[index].add_error(params["field"], params["message"])
            else:
                form.add_error(None, error)
    if rest or isinstance(exc, ConflictError):
        add_service_errors(form, ValidationError(rest) if rest else exc)


def _rows_without(formset: Any, remove: int | None = None) -> list[dict[str, Any]]:
    return [raw_values(row) for index, row in enumerate(formset.forms) if index != remove]


def _plan_editor(
    request: HttpRequest, *, trajectory: Trajectory, plan: DevelopmentPlan | None
) -> HttpResponse:
    """The plan form with its step rows, for a new plan and for a draft. "Stap toevoegen" and
    "Verwijder" work without JavaScript (the page comes back with the change, nothing is
    saved); with htmx only the steps are swapped."""
    notice = ""
    focus_add = False
    if request.method == "POST":
        form = PlanForm(request.POST)
        formset = StepFormSet(request.POST, prefix=STEPS_PREFIX)
        if "stap_toevoegen" in request.POST or "stap_verwijderen" in request.POST:
            form = PlanForm(initial=raw_values(form))
            remove = _int(request.POST.get("stap_verwijderen"))
            rows = _rows_without(formset, remove)
            if "stap_toevoegen" in request.POST and len(rows) >= MAX_STEPS:
                formset = StepFormSet(initial=rows, prefix=STEPS_PREFIX)
                focus_add = True
                notice = _("Een plan heeft hoogstens %(max)s stappen.") % {"max": MAX_STEPS}
            elif "stap_toevoegen" in request.POST:
                rows.append({})
                formset = StepFormSet(initial=rows, prefix=STEPS_PREFIX)
                formset.forms[-1].fields["action"].widget.attrs["autofocus"] = True
                notice = _("Er is een lege stap %(number)s toegevoegd.") % {"number": len(rows)}
            else:
                formset = StepFormSet(initial=rows, prefix=STEPS_PREFIX)
                focus_add = True
                if remove is not None and 0 <= remove < len(rows) + 1:
                    notice = _(
                        "Stap %(number)s is weggehaald. Sla het plan op om dit te bewaren."
                    ) % {"number": remove + 1}
        elif form.is_valid() & formset.is_valid():  # both, so all errors show at once
            try:
                if plan is None:
                    plan = services.plan_create(
                        actor=request.user,
                        trajectory=trajectory,
                        steps=formset.steps(),
                        **form.plan_values(),
                    )
                    done = _("Het concept van het ontwikkelplan is opgeslagen.")
                else:
                    services.plan_update(
                        actor=request.user,
                        plan=plan,
                        expected_version=form.cleaned_data["version"] or 0,
                        steps=formset.steps(),
                        **form.plan_values(),
                    )
                    done = _("Het concept is opgeslagen.")
            except ValidationError as exc:  # includes ConflictError
                _apply_service_errors(form, formset, exc)
            else:
                messages.success(request, done)
                return _redirect(reverse("dossier:plan_detail", args=[plan.uuid]))
    elif plan is not None:
        form = PlanForm(
            initial={
                "title": plan.title,
                "plan_date": plan.plan_date,
                "goal": plan.goal,
                "situation": plan.situation,
                "agreements": plan.agreements,
                "version": plan.version,
            }
        )
        steps = [
            {
                "action": s.action,
                "owner": s.owner,
                "target_date": s.target_date,
                "done_at": s.done_at,
            }
            for s in plan.steps.all()
        ]
        formset = StepFormSet(initial=steps or [{}], prefix=STEPS_PREFIX)
    else:
        form = PlanForm(initial={"plan_date": timezone.localdate()})
        formset = StepFormSet(initial=[{}], prefix=STEPS_PREFIX)
    if plan is None:
        title = _("Nieuw ontwikkelplan")
    else:
        title = _("Ontwikkelplan versie %(number)s wijzigen") % {"number": plan.number}
    step_errors = [
        (index + 1, field, error)
        for index, row in enumerate(formset.forms)
        for field in row
        for error in field.errors
    ]
    context = {
        "title": title,
        "trajectory": trajectory,
        "plan": plan,
        "form": form,
        "formset": formset,
        "step_errors": step_errors,
        "has_errors": bool(form.errors or step_errors or formset.non_form_errors()),
        "notice": notice,
        "focus_add": focus_add,
        "cancel_url": reverse("dossier:plan_detail", args=[plan.uuid])
        if plan is not None
        else reverse("dossier:plan_overview", args=[trajectory.uuid]),
        "breadcrumbs": _plan_crumbs(trajectory),
    }
    return render(request, "dossier/plan_form.html", context)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@GET_POST
def plan_create(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    trajectory = _trajectory(request, trajectory_uuid)
    require_on_desk(request.user, DevelopmentPlan, Action.ADD, trajectory.desk)
    draft = DevelopmentPlan.objects.for_user(request.user).filter(
        trajectory=trajectory, status=PlanStatus.DRAFT
    )
    if request.method == "GET" and (existing := draft.first()) is not None:
        messages.info(request, _("Er is al een concept. U kunt het hier verder schrijven."))
        return _redirect(reverse("dossier:plan_edit", args=[existing.uuid]))
    return _plan_editor(request, trajectory=trajectory, plan=None)


@login_required
@GET_POST
def plan_edit(request: HttpRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = selectors.plan_with_steps(request.user, Action.CHANGE, plan_uuid)
    if not plan.is_draft:
        messages.info(
            request, _("Een gedeeld plan verandert niet meer. Maak een nieuwe versie van het plan.")
        )
        return _redirect(reverse("dossier:plan_detail", args=[plan.uuid]))
    return _plan_editor(request, trajectory=plan.trajectory, plan=plan)


@login_required
@require_POST
def plan_new_version(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    trajectory = _trajectory(request, trajectory_uuid)
    require_on_desk(request.user, DevelopmentPlan, Action.ADD, trajectory.desk)
    try:
        plan = services.plan_new_version(actor=request.user, trajectory=trajectory)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _redirect(reverse("dossier:plan_overview", args=[trajectory.uuid]))
    messages.success(
        request,
        _("Versie %(number)s is gemaakt als concept. De klant ziet nog de vorige versie.")
        % {"number": plan.number},
    )
    return _redirect(reverse("dossier:plan_edit", args=[plan.uuid]))


@login_required
@GET_POST
def plan_share(request: HttpRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = selectors.plan_with_steps(request.user, Action.CHANGE, plan_uuid)
    detail_url = reverse("dossier:plan_detail", args=[plan.uuid])
    if not plan.is_draft:
        messages.info(request, _("Dit plan is al gedeeld."))
        return _redirect(detail_url)
    if request.method == "POST":
        form = ShareForm(request.POST)
        if form.is_valid():
            try:
                services.plan_share(
                    actor=request.user, plan=plan, expected_version=form.cleaned_data["version"]
                )
            except ValidationError as exc:  # includes ConflictError
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Het plan is gedeeld. De klant ziet het in Mijn Leerwerkloket en krijgt "
                        "een e-mail."
                    ),
                )
                return _redirect(detail_url)
    else:
        form = ShareForm(initial={"version": plan.version})
    context = {
        "title": _("Ontwikkelplan delen met de klant"),
        "plan": plan,
        "trajectory": plan.trajectory,
        "steps": list(plan.steps.all()),
        "form": form,
        "cancel_url": detail_url,
        "edit_url": reverse("dossier:plan_edit", args=[plan.uuid]),
        "breadcrumbs": _plan_crumbs(plan.trajectory),
    }
    return render(request, "dossier/plan_share.html", context)


@login_required
@GET_POST
def plan_discard(request: HttpRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = selectors.plan_with_steps(request.user, Action.DELETE, plan_uuid)
    overview = reverse("dossier:plan_overview", args=[plan.trajectory.uuid])
    if not plan.is_draft:
        messages.info(request, _("Een gedeeld plan kan niet worden weggegooid."))
        return _redirect(reverse("dossier:plan_detail", args=[plan.uuid]))
    if request.method == "POST":
        services.plan_discard(actor=request.user, plan=plan)
        messages.success(request, _("Het concept is weggegooid."))
        return _redirect(overview)
    context = {
        "title": _("Concept weggooien"),
        "plan": plan,
        "trajectory": plan.trajectory,
        "cancel_url": reverse("dossier:plan_detail", args=[plan.uuid]),
        "breadcrumbs": _plan_crumbs(plan.trajectory),
    }
    return render(request, "dossier/plan_discard.html", context)


@login_required
@require_GET
def plan_pdf(request: HttpRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = selectors.plan_with_steps(request.user, Action.VIEW, plan_uuid)
    pdf = services.plan_pdf_bytes(plan)
    audit_record(
        actor=request.user,
        action="plan.pdf",
        obj=plan,
        desk_id=plan.desk_id,
        detail={"number": plan.number},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    # By UUID only: no name in download folders or logs.
    response["Content-Disposition"] = (
        f'attachment; filename="ontwikkelplan-{plan.uuid}-v{plan.number}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- messages ----------------------------------------------------------------------------------


@login_required
@GET_POST
def thread(request: HttpRequest, trajectory_uuid: uuid.UUID) -> HttpResponse:
    """The messages of a trajectory, oldest first (the newest page first), and the reply form.
    Opening the page marks the client's messages as read."""
    user = request.user
    trajectory = _trajectory(request, trajectory_uuid)
    require_on_desk(user, Message, Action.VIEW, trajectory.desk)
    can_reply = policy_for(Message).can_on_desk(user, Action.ADD, trajectory.desk_id)
    client = trajectory.client
    if request.method == "POST":
        require_on_desk(user, Message, Action.ADD, trajectory.desk)
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                message = services.message_post(
                    actor=user,
                    trajectory=trajectory,
                    body=form.cleaned_data["body"],
                    sign_as_desk=form.cleaned_data["sign_as"] == "desk",
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if client.email:
                    text = _("Uw bericht is verstuurd. De klant krijgt een e-mail.")
                else:
                    text = _(
                        "Uw bericht is verstuurd. De klant heeft geen e-mailadres en ziet het "
                        "bericht als hij of zij in Mijn Leerwerkloket kijkt."
                    )
                messages.success(request, text)
                return _redirect(request.path, anchor=f"bericht-{message.uuid}")
    else:
        form = ReplyForm()
    items = selectors.thread_messages(user, trajectory)
    paginator = Paginator(items, THREAD_PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAM) or paginator.num_pages)
    page.object_list = list(page.object_list)  # as it was: new messages still show as new
    newly_read = services.thread_mark_read_by_desk(actor=user, trajectory=trajectory)
    audit_record(
        actor=user,
        action="message.thread_view",
        obj=trajectory,
        desk_id=trajectory.desk_id,
        detail={"page": page.number, "marked_read": newly_read},
    )
    context = {
        "title": _("Berichten"),
        "trajectory": trajectory,
        "theme": _theme(trajectory),
        "page": page,
        "form": form,
        "can_reply": can_reply and not (client.is_erased or client.merged_into_id),
        "sign_as_name": services.adviser_label(user, trajectory),
        "sign_as_desk": services.desk_label(trajectory),
        "newly_read": newly_read,
        "breadcrumbs": _crumbs(trajectory),
    }
    return render(request, "dossier/thread.html", context)


@login_required
@require_GET
def unread_list(request: HttpRequest) -> HttpResponse:
    """Trajectories of the signed-in adviser with messages they have not read yet."""
    desks_for(request.user, Message, Action.VIEW)  # 403 for everyone without a desk role
    page = paginate(request, selectors.unread_threads_for_adviser(request.user))
    context = {
        "title": _("Nieuwe berichten"),
        "page": page,
        "breadcrumbs": staff_crumbs(),
    }
    return render(request, "dossier/unread_list.html", context)
