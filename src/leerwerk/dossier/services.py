"""Writes for the dossier: development plans (draft → shared → superseded) and messages
between the client and the desk.

Staff services are keyword-only, one transaction each, check the policy first and leave an
audit event (never with the texts themselves). The ``citizen_*`` functions are the citizen
side's entry points (``leerwerk.mijn``): the caller has already established which client the
signed-in citizen is linked to; these functions check that the trajectory belongs to that
client. E-mails never contain the message or the plan: only that there is something new, and
where to read it. They are sent after the transaction commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerwerk.clients.models import Client
from leerwerk.core.access import access_for
from leerwerk.core.audit import audit_record
from leerwerk.core.constants import Action, DeskRole
from leerwerk.core.mail import send_after_commit, site_url
from leerwerk.core.policies import require_permission
from leerwerk.core.services import save_versioned, unchanged_on_error
from leerwerk.dossier.constants import (
    AGREEMENTS_MAX,
    AUTHOR_LABEL_MAX,
    CITIZEN_WRITE_DAYS_AFTER_CLOSE,
    ERASED_TEXT,
    GOAL_MAX,
    MAX_STEPS,
    MESSAGE_MAX,
    SITUATION_MAX,
    STEP_ACTION_MAX,
    TITLE_MAX,
    MessageDirection,
    PlanStatus,
    StepOwner,
)
from leerwerk.dossier.models import DevelopmentPlan, Message, PlanStep
from leerwerk.guidance.constants import TrajectoryStatus
from leerwerk.guidance.models import Trajectory

PLAN_FIELDS = ["title", "goal", "situation", "agreements", "plan_date"]
STEP_FIELDS = ["action", "owner", "target_date", "done_at"]
CITIZEN_MESSAGES_PATH = "/mijn/berichten/"
CITIZEN_HOME_PATH = "/mijn/"


# -- shared helpers ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def _too_long(value: str, limit: int) -> str:
    return _("Dit is te lang: hoogstens %(max)s tekens (nu %(count)s).") % {
        "max": limit,
        "count": len(value),
    }


def _require_client_usable(client: Client) -> None:
    if client.is_erased or client.merged_into_id:
        raise ValidationError(
            _("De gegevens van deze klant zijn verwijderd of samengevoegd. Dit kan niet meer.")
        )


def _require_open(trajectory: Trajectory) -> None:
    if trajectory.status == TrajectoryStatus.CLOSED:
        raise ValidationError(
            _("Dit traject is afgesloten. Het ontwikkelplan kan niet meer veranderen.")
        )


# -- development plans: validation -------------------------------------------------------------


def _step_error(number: int, index: int, field: str, message: str) -> ValidationError:
    """An error about one step; ``index`` and ``field`` let a page show it at the right row."""
    return ValidationError(
        _("Stap %(number)s: %(message)s"),
        code="step",
        params={"number": number, "message": message, "index": index, "field": field},
    )


def _clean_steps(steps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "action": _text(step.get("action")),
            "owner": step.get("owner") or "",
            "target_date": step.get("target_date"),
            "done_at": step.get("done_at"),
        }
        for step in steps
    ]


def _plan_validate(
    plan: DevelopmentPlan, steps: list[dict[str, Any]], *, sharing: bool = False
) -> None:
    """Every rule of a plan, with a Dutch message per field (``steps`` for the steps)."""
    errors: dict[str, list[Any]] = {}

    def add(field: str, message: Any) -> None:
        errors.setdefault(field, []).append(message)

    plan.title = _text(plan.title)
    plan.goal = _text(plan.goal)
    plan.situation = _text(plan.situation)
    plan.agreements = _text(plan.agreements)
    if not plan.title:
        add("title", _("Geef het plan een titel."))
    elif len(plan.title) > TITLE_MAX:
        add("title", _too_long(plan.title, TITLE_MAX))
    if not plan.goal:
        add("goal", _("Schrijf op wat de klant wil bereiken."))
    elif len(plan.goal) > GOAL_MAX:
        add("goal", _too_long(plan.goal, GOAL_MAX))
    if len(plan.situation) > SITUATION_MAX:
        add("situation", _too_long(plan.situation, SITUATION_MAX))
    if len(plan.agreements) > AGREEMENTS_MAX:
        add("agreements", _too_long(plan.agreements, AGREEMENTS_MAX))
    today = timezone.localdate()
    plan_date = plan.plan_date
    if plan_date is None:
        add("plan_date", _("Vul de datum van het plan in."))
    elif plan_date > today:
        add("plan_date", _("De datum van het plan kan niet in de toekomst liggen."))
    elif plan_date < plan.trajectory.opened_on:
        add(
            "plan_date",
            _("De datum van het plan ligt vóór het begin van het traject (%(date)s).")
            % {"date": plan.trajectory.opened_on.strftime("%d-%m-%Y")},
        )
    if len(steps) > MAX_STEPS:
        add("steps", _("Een plan heeft hoogstens %(max)s stappen.") % {"max": MAX_STEPS})
    for index, step in enumerate(steps):
        number = index + 1
        action = step["action"]
        if not action:
            add(
                "steps", _step_error(number, index, "action", _("schrijf op wat er moet gebeuren."))
            )
        elif len(action) > STEP_ACTION_MAX:
            add("steps", _step_error(number, index, "action", _too_long(action, STEP_ACTION_MAX)))
        if step["owner"] not in StepOwner.values:
            add("steps", _step_error(number, index, "owner", _("kies wie dit doet.")))
        done_at, target = step["done_at"], step["target_date"]
        if done_at is not None and done_at > today:
            add(
                "steps",
                _step_error(
                    number,
                    index,
                    "done_at",
                    _("de datum 'gedaan op' kan niet in de toekomst liggen."),
                ),
            )
        if target is not None and done_at is None and plan_date is not None and target < plan_date:
            add(
                "steps",
                _step_error(
                    number,
                    index,
                    "target_date",
                    _(
                        "de datum 'klaar voor' ligt vóór de datum van het plan. Kies een latere "
                        "datum, of vul in wanneer de stap gedaan is."
                    ),
                ),
            )
    if sharing and not steps:
        add("steps", _("Een plan zonder stappen kan niet worden gedeeld. Voeg eerst een stap toe."))
    if errors:
        raise ValidationError(errors)


def _replace_steps(plan: DevelopmentPlan, steps: list[dict[str, Any]]) -> None:
    PlanStep.objects.filter(plan=plan).delete()
    PlanStep.objects.bulk_create(
        PlanStep(plan=plan, order=number, **{name: step[name] for name in STEP_FIELDS})
        for number, step in enumerate(steps, start=1)
    )


def _locked_trajectory(trajectory: Trajectory) -> Trajectory:
    """The trajectory row, locked until the end of the transaction: plan versions of one
    trajectory are numbered and shared one at a time."""
    return Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)


def _next_number(trajectory: Trajectory) -> int:
    current = DevelopmentPlan.objects.filter(trajectory=trajectory).aggregate(n=Max("number"))
    return (current["n"] or 0) + 1


def _new_draft(*, actor: Any, trajectory: Trajectory, values: dict[str, Any]) -> DevelopmentPlan:
    if DevelopmentPlan.objects.filter(trajectory=trajectory, status=PlanStatus.DRAFT).exists():
        raise ValidationError(
            _("Er is al een concept van het plan. Werk dat concept bij of gooi het weg.")
        )
    return DevelopmentPlan(
        desk_id=trajectory.desk_id,
        trajectory=trajectory,
        number=_next_number(trajectory),
        status=PlanStatus.DRAFT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )


# -- development plans: services ---------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    trajectory: Trajectory,
    title: str,
    goal: str,
    plan_date: datetime.date | None = None,
    situation: str = "",
    agreements: str = "",
    steps: Iterable[Mapping[str, Any]] = (),
) -> DevelopmentPlan:
    """Write a new draft plan for a trajectory (the first one, or a fresh start)."""
    require_permission(actor, Action.ADD, DevelopmentPlan, desk_id=trajectory.desk_id)
    trajectory = _locked_trajectory(trajectory)
    _require_open(trajectory)
    _require_client_usable(trajectory.client)
    clean_steps = _clean_steps(steps)
    plan = _new_draft(
        actor=actor,
        trajectory=trajectory,
        values={
            "title": title,
            "goal": goal,
            "situation": situation,
            "agreements": agreements,
            "plan_date": plan_date or timezone.localdate(),
        },
    )
    _plan_validate(plan, clean_steps)
    plan.save()
    _replace_steps(plan, clean_steps)
    audit_record(
        actor=actor,
        action="plan.create",
        obj=plan,
        desk_id=plan.desk_id,
        detail={"trajectory": str(trajectory.uuid), "number": plan.number},
    )
    return plan


@transaction.atomic
def plan_new_version(*, actor: Any, trajectory: Trajectory) -> DevelopmentPlan:
    """A new draft that starts as a copy of the shared plan, dated today. The shared plan
    stays as it is (and visible to the client) until the new version is shared."""
    require_permission(actor, Action.ADD, DevelopmentPlan, desk_id=trajectory.desk_id)
    trajectory = _locked_trajectory(trajectory)
    _require_open(trajectory)
    _require_client_usable(trajectory.client)
    current = (
        DevelopmentPlan.objects.filter(trajectory=trajectory, status=PlanStatus.SHARED)
        .prefetch_related("steps")
        .first()
    )
    if current is None:
        raise ValidationError(_("Er is nog geen gedeeld plan om een nieuwe versie van te maken."))
    steps = [{name: getattr(step, name) for name in STEP_FIELDS} for step in current.steps.all()]
    plan = _new_draft(
        actor=actor,
        trajectory=trajectory,
        values={name: getattr(current, name) for name in PLAN_FIELDS}
        | {"plan_date": timezone.localdate()},
    )
    plan.save()
    _replace_steps(plan, steps)
    audit_record(
        actor=actor,
        action="plan.new_version",
        obj=plan,
        desk_id=plan.desk_id,
        detail={"trajectory": str(trajectory.uuid), "number": plan.number, "from": current.number},
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: DevelopmentPlan,
    expected_version: int,
    steps: Iterable[Mapping[str, Any]],
    **values: Any,
) -> DevelopmentPlan:
    """Change a draft: its texts, date and the full list of steps (in order)."""
    require_permission(actor, Action.CHANGE, DevelopmentPlan, obj=plan)
    if unknown := set(values) - set(PLAN_FIELDS):
        raise ValueError(f"Not a plan field: {sorted(unknown)}")
    if not plan.is_draft:
        raise ValidationError(
            _("Een gedeeld plan verandert niet meer. Maak een nieuwe versie van het plan.")
        )
    _require_open(plan.trajectory)
    clean_steps = _clean_steps(steps)
    with unchanged_on_error(plan):
        for name, value in values.items():
            setattr(plan, name, value)
        _plan_validate(plan, clean_steps)
        save_versioned(plan, expected_version=expected_version, fields=PLAN_FIELDS)
        _replace_steps(plan, clean_steps)
    audit_record(
        actor=actor,
        action="plan.update",
        obj=plan,
        desk_id=plan.desk_id,
        detail={"fields": sorted(values), "steps": len(clean_steps)},
    )
    return plan


@transaction.atomic
def plan_share(*, actor: Any, plan: DevelopmentPlan, expected_version: int) -> DevelopmentPlan:
    """Share a draft with the client. The plan shared before becomes 'superseded'. The client
    gets an e-mail that a plan is ready (without its content)."""
    require_permission(actor, Action.CHANGE, DevelopmentPlan, obj=plan)
    trajectory = _locked_trajectory(plan.trajectory)
    plan.trajectory = trajectory
    if not plan.is_draft:
        raise ValidationError(_("Dit plan is al gedeeld."))
    _require_open(trajectory)
    _require_client_usable(trajectory.client)
    steps = [
        {name: getattr(step, name) for name in STEP_FIELDS}
        for step in PlanStep.objects.filter(plan=plan).order_by("order")
    ]
    now = timezone.now()
    with unchanged_on_error(plan):
        _plan_validate(plan, steps, sharing=True)
        previous = list(
            DevelopmentPlan.objects.filter(trajectory=trajectory, status=PlanStatus.SHARED)
        )
        superseded = [p.number for p in previous]
        for old in previous:
            old.status = PlanStatus.SUPERSEDED
            old.superseded_at = now
            save_versioned(old, expected_version=old.version, fields=["status", "superseded_at"])
        plan.status = PlanStatus.SHARED
        plan.shared_at = now
        plan.shared_by = actor
        save_versioned(
            plan, expected_version=expected_version, fields=["status", "shared_at", "shared_by"]
        )
    audit_record(
        actor=actor,
        action="plan.share",
        obj=plan,
        desk_id=plan.desk_id,
        detail={"number": plan.number, "superseded": superseded, "steps": len(steps)},
    )
    client = trajectory.client
    if client.email:
        send_after_commit(_plan_shared_mail(plan, client))
    return plan


@transaction.atomic
def plan_discard(*, actor: Any, plan: DevelopmentPlan) -> None:
    """Throw away a draft. Shared plans stay: the client has seen them."""
    require_permission(actor, Action.DELETE, DevelopmentPlan, obj=plan)
    locked = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_draft:
        raise ValidationError(_("Een gedeeld plan kan niet worden weggegooid."))
    audit_record(
        actor=actor,
        action="plan.discard",
        obj=locked,
        desk_id=locked.desk_id,
        detail={"number": locked.number},
    )
    locked.delete()


def plan_pdf_html(plan: DevelopmentPlan) -> str:
    """The HTML the PDF is made from (also for tests)."""
    plan = (
        DevelopmentPlan.objects.select_related(
            "desk", "trajectory", "trajectory__client", "trajectory__adviser", "shared_by"
        )
        .prefetch_related(Prefetch("steps", queryset=PlanStep.objects.order_by("order")))
        .get(pk=plan.pk)
    )
    with translation.override("nl"):
        return render_to_string(
            "dossier/plan_pdf.html",
            {
                "plan": plan,
                "client": plan.trajectory.client,
                "desk": plan.desk,
                "adviser": plan.shared_by or plan.trajectory.adviser,
                "steps": list(plan.steps.all()),
                "made_at": timezone.localtime(),
            },
        )


def plan_pdf_bytes(plan: DevelopmentPlan) -> bytes:
    """The plan as an official-looking PDF (desk, client's name, date, version, steps,
    "pagina X van Y"). Not audited here: the staff view and the citizen page record who
    downloaded it."""
    from weasyprint import HTML

    return HTML(string=plan_pdf_html(plan)).write_pdf()


# -- messages: the desk's side -----------------------------------------------------------------


def _validate_body(body: Any) -> str:
    text = str(body or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"body": _("Schrijf een bericht.")})
    if len(text) > MESSAGE_MAX:
        raise ValidationError(
            {
                "body": _("Het bericht is te lang: hoogstens %(max)s tekens (nu %(count)s).")
                % {"max": MESSAGE_MAX, "count": len(text)}
            }
        )
    return text


def desk_label(trajectory: Trajectory) -> str:
    """The sender the client sees for the desk as a whole, e.g. 'Leerwerkloket Rijnmond'."""
    return trajectory.desk.display_name


def adviser_label(actor: Any, trajectory: Trajectory) -> str:
    """The sender the client sees for an adviser: their first name, else the desk."""
    name = (getattr(actor, "name", "") or "").strip()
    return name.split(" ")[0] if name else desk_label(trajectory)


@transaction.atomic
def message_post(
    *, actor: Any, trajectory: Trajectory, body: str, sign_as_desk: bool = False
) -> Message:
    """A message from the desk to the client. The client gets an e-mail without the content,
    with a link to Mijn Leerwerkloket. Replying also marks the client's messages as read."""
    require_permission(actor, Action.ADD, Message, desk_id=trajectory.desk_id)
    client = trajectory.client
    _require_client_usable(client)
    text = _validate_body(body)
    label = desk_label(trajectory) if sign_as_desk else adviser_label(actor, trajectory)
    message = Message.objects.create(
        desk_id=trajectory.desk_id,
        trajectory=trajectory,
        direction=MessageDirection.FROM_DESK,
        author=actor,
        author_label=label[:AUTHOR_LABEL_MAX],
        body=text,
    )
    Message.objects.filter(trajectory=trajectory).unread_by_desk().update(
        read_by_desk_at=message.created_at
    )
    audit_record(
        actor=actor,
        action="message.post",
        obj=message,
        desk_id=trajectory.desk_id,
        detail={
            "trajectory": str(trajectory.uuid),
            "signed_as": "desk" if sign_as_desk else "name",
        },
    )
    if client.email:
        send_after_commit(_client_mail(message, client))
    return message


@transaction.atomic
def thread_mark_read_by_desk(*, actor: Any, trajectory: Trajectory) -> int:
    """An adviser of the desk opened the thread: the client's messages count as read. Returns
    how many were unread. A desk manager who is not an adviser there only looks: the messages
    stay new for the advisers."""
    require_permission(actor, Action.VIEW, Message, desk_id=trajectory.desk_id)
    if DeskRole.ADVISER not in access_for(actor).roles_at(trajectory.desk_id):
        return 0
    return (
        Message.objects.filter(trajectory=trajectory)
        .unread_by_desk()
        .update(read_by_desk_at=timezone.now())
    )


# -- messages and plans: the citizen's side ----------------------------------------------------


@dataclass(frozen=True)
class CitizenThread:
    """The messages of one trajectory as the client sees them."""

    trajectory: Trajectory
    messages: list[Message]
    unread: int  # messages from the desk the client has not opened yet
    can_write: bool
    desk_name: str
    theme: str


def citizen_can_write(trajectory: Trajectory, today: datetime.date | None = None) -> bool:
    """A client may write while the trajectory is open and up to 30 days after it closed."""
    if trajectory.status != TrajectoryStatus.CLOSED:
        return True
    closed_on = trajectory.closed_on
    today = today or timezone.localdate()
    return closed_on is not None and (today - closed_on).days <= CITIZEN_WRITE_DAYS_AFTER_CLOSE


def _check_client_trajectory(client: Client, trajectory: Trajectory) -> None:
    if trajectory.client_id != client.pk:
        raise ValidationError(_("Dit gesprek hoort niet bij uw gegevens."))


def citizen_threads(client: Client) -> list[CitizenThread]:
    """The client's trajectories that are open or have messages, newest first, each with its
    messages oldest → newest. Reading does not mark anything: call ``citizen_mark_read`` for the
    thread the client actually opens."""
    if client.is_erased or client.merged_into_id:
        return []
    messages = Message.objects.order_by("created_at", "id")
    trajectories = (
        Trajectory.objects.filter(client=client)
        .select_related("desk")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .order_by("-opened_on", "-created_at")
    )
    threads = []
    for trajectory in trajectories:
        items = list(trajectory.messages.all())
        if not items and trajectory.status == TrajectoryStatus.CLOSED:
            continue
        threads.append(
            CitizenThread(
                trajectory=trajectory,
                messages=items,
                unread=sum(
                    1
                    for m in items
                    if m.direction == MessageDirection.FROM_DESK and m.read_by_citizen_at is None
                ),
                can_write=citizen_can_write(trajectory),
                desk_name=trajectory.desk.display_name,
                theme=trajectory.get_theme_display(),
            )
        )
    return threads


@transaction.atomic
def citizen_mark_read(client: Client, trajectory: Trajectory) -> int:
    """The client opened this thread: the desk's messages in it count as read."""
    _check_client_trajectory(client, trajectory)
    return (
        Message.objects.filter(trajectory=trajectory)
        .unread_by_citizen()
        .update(read_by_citizen_at=timezone.now())
    )


@transaction.atomic
def citizen_post_message(
    *, client: Client, trajectory: Trajectory, body: str, account_label: str
) -> Message:
    """A message from the client (through Mijn Leerwerkloket). The trajectory's adviser (or
    else the desk's own address) gets an e-mail without the content."""
    _check_client_trajectory(client, trajectory)
    if client.is_erased or client.merged_into_id:
        raise ValidationError(_("U kunt hier geen bericht meer sturen."))
    if not citizen_can_write(trajectory):
        raise ValidationError(
            _(
                "Dit traject is al meer dan %(days)s dagen klaar. U kunt hier geen bericht meer "
                "sturen. Wilt u iets vragen? Neem dan contact op met het loket."
            )
            % {"days": CITIZEN_WRITE_DAYS_AFTER_CLOSE}
        )
    text = _validate_body(body)
    label = _text(account_label) or client.given_name or _("Klant")
    message = Message.objects.create(
        desk_id=trajectory.desk_id,
        trajectory=trajectory,
        direction=MessageDirection.FROM_CITIZEN,
        author=None,
        author_label=label[:AUTHOR_LABEL_MAX],
        body=text,
    )
    audit_record(
        actor=None,
        action="message.citizen_post",
        obj=message,
        desk_id=trajectory.desk_id,
        detail={"trajectory": str(trajectory.uuid)},
    )
    mail = _adviser_mail(message, trajectory)
    if mail is not None:
        send_after_commit(mail)
    return message


def citizen_plans(client: Client) -> list[DevelopmentPlan]:
    """The plans shared with the client (and the older versions they replaced), newest first.
    Never drafts."""
    if client.is_erased or client.merged_into_id:
        return []
    return list(
        DevelopmentPlan.objects.visible_to_client()
        .filter(trajectory__client=client)
        .select_related("desk", "trajectory", "shared_by")
        .prefetch_related(Prefetch("steps", queryset=PlanStep.objects.order_by("order")))
        .order_by("-shared_at", "-number")
    )


def citizen_plan(client: Client, plan_uuid: Any) -> DevelopmentPlan | None:
    """One plan the client may see (shared or superseded, of their own trajectory), by its
    UUID; None otherwise (a draft, someone else's plan, a bad UUID)."""
    if client.is_erased or client.merged_into_id:
        return None
    try:
        return (
            DevelopmentPlan.objects.visible_to_client()
            .select_related("desk", "trajectory", "shared_by")
            .get(trajectory__client=client, uuid=plan_uuid)
        )
    except (DevelopmentPlan.DoesNotExist, ValidationError, ValueError):
        return None


def citizen_trajectory(client: Client, trajectory_uuid: Any) -> Trajectory | None:
    """One of the client's own trajectories by its UUID (for a thread page); None otherwise."""
    if client.is_erased or client.merged_into_id:
        return None
    try:
        return Trajectory.objects.select_related("desk").get(client=client, uuid=trajectory_uuid)
    except (Trajectory.DoesNotExist, ValidationError, ValueError):
        return None


# -- e-mails -----------------------------------------------------------------------------------


def _client_mail(message: Message, client: Client) -> EmailMessage:
    desk = message.trajectory.desk
    context = {"client": client, "desk": desk, "url": site_url() + CITIZEN_MESSAGES_PATH}
    return EmailMessage(
        subject=_("Nieuw bericht van %(desk)s") % {"desk": desk.display_name},
        body=render_to_string("dossier/email/client_new_message.txt", context),
        to=[client.email],
    )


def _plan_shared_mail(plan: DevelopmentPlan, client: Client) -> EmailMessage:
    desk = plan.trajectory.desk
    context = {"client": client, "desk": desk, "url": site_url() + CITIZEN_HOME_PATH}
    return EmailMessage(
        subject=_("Uw ontwikkelplan van %(desk)s") % {"desk": desk.display_name},
        body=render_to_string("dossier/email/client_plan_shared.txt", context),
        to=[client.email],
    )


def _adviser_mail(message: Message, trajectory: Trajectory) -> EmailMessage | None:
    """To the trajectory's adviser while they work at the desk; otherwise to the desk's own
    address. None when there is nobody to tell."""
    from leerwerk.network.models import StaffMembership

    adviser = trajectory.adviser
    to = ""
    if (
        adviser is not None
        and adviser.is_active
        and StaffMembership.objects.active_on(timezone.localdate())
        .filter(desk_id=trajectory.desk_id, user=adviser)
        .exists()
    ):
        to = adviser.email
    to = to or trajectory.desk.email
    if not to:
        return None
    url = site_url() + reverse("dossier:thread", args=[trajectory.uuid])
    return EmailMessage(
        subject=_("Er is een nieuw bericht"),
        body=render_to_string(
            "dossier/email/adviser_new_message.txt", {"desk": trajectory.desk, "url": url}
        ),
        to=[to],
    )


# -- privacy: export and erasure ---------------------------------------------------------------


def dossier_export_for_client(client: Client) -> dict[str, Any]:
    """Everything of the dossier about this client, for ``clients.privacy`` (which checks the
    permission and records the export)."""
    messages = (
        Message.objects.filter(trajectory__client=client)
        .select_related("trajectory")
        .order_by("created_at", "id")
    )
    plans = (
        DevelopmentPlan.objects.filter(trajectory__client=client)
        .select_related("trajectory")
        .prefetch_related(Prefetch("steps", queryset=PlanStep.objects.order_by("order")))
        .order_by("trajectory__opened_on", "number")
    )
    return {
        "messages": [
            {
                "uuid": message.uuid,
                "trajectory": message.trajectory.uuid,
                "direction": message.direction,
                "direction_label": message.get_direction_display(),
                "author": message.author_label,
                "body": message.body,
                "created_at": message.created_at,
                "read_by_desk_at": message.read_by_desk_at,
                "read_by_citizen_at": message.read_by_citizen_at,
            }
            for message in messages
        ],
        "development_plans": [
            {
                "uuid": plan.uuid,
                "trajectory": plan.trajectory.uuid,
                "number": plan.number,
                "status": plan.status,
                "status_label": plan.get_status_display(),
                "plan_date": plan.plan_date,
                "title": plan.title,
                "goal": plan.goal,
                "situation": plan.situation,
                "agreements": plan.agreements,
                "shared_at": plan.shared_at,
                "superseded_at": plan.superseded_at,
                "steps": [
                    {
                        "order": step.order,
                        "action": step.action,
                        "owner": step.owner,
                        "owner_label": step.get_owner_display(),
                        "target_date": step.target_date,
                        "done_at": step.done_at,
                    }
                    for step in plan.steps.all()
                ],
            }
            for plan in plans
        ],
    }


def dossier_anonymise_for_client(*, client: Client) -> dict[str, int]:
    """Replace the texts of the client's messages and plans; the rows (and so every count)
    stay. For ``clients.services.client_erase``, inside its transaction."""
    messages = Message.objects.filter(trajectory__client=client)
    changed = {
        "messages": messages.update(body=ERASED_TEXT),
        "plans": DevelopmentPlan.objects.filter(trajectory__client=client).update(
            title=ERASED_TEXT, goal=ERASED_TEXT, situation="", agreements=""
        ),
        "steps": PlanStep.objects.filter(plan__trajectory__client=client).update(
            action=ERASED_TEXT
        ),
    }
    # What the client signed their own messages with is their name: gone as well.
    messages.filter(direction=MessageDirection.FROM_CITIZEN).update(author_label=ERASED_TEXT)
    return changed
