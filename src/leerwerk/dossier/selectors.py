"""Reads for the dossier, scoped by the policies (``for_user``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for
from leerwerk.dossier.constants import MessageDirection, PlanStatus
from leerwerk.dossier.models import DevelopmentPlan, Message, PlanStep
from leerwerk.guidance.models import Trajectory


@dataclass(frozen=True)
class PlanSummary:
    uuid: Any
    number: int
    shared_at: datetime.datetime | None = None


@dataclass(frozen=True)
class TrajectoryDossier:
    """What the trajectory page shows about the plan and the messages."""

    may_view: bool
    shared: PlanSummary | None = None
    draft: PlanSummary | None = None
    messages: int = 0
    unread: int = 0


def _first(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("trajectory").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted), 0)


def trajectory_dossier(user: Any, trajectory: Trajectory) -> TrajectoryDossier:
    """One query (scalar subqueries on the trajectory row, each on an index): the shared plan
    and the draft, how many messages there are and how many the desk has not read."""
    if not policy_for(DevelopmentPlan).can_on_desk(user, Action.VIEW, trajectory.desk_id):
        return TrajectoryDossier(may_view=False)
    plans = DevelopmentPlan.objects.for_user(user).filter(trajectory=OuterRef("pk"))
    shared = plans.filter(status=PlanStatus.SHARED)
    draft = plans.filter(status=PlanStatus.DRAFT)
    messages = Message.objects.for_user(user).filter(trajectory=OuterRef("pk"))
    row = (
        Trajectory.objects.filter(pk=trajectory.pk)
        .annotate(
            shared_uuid=_first(shared, "uuid"),
            shared_number=_first(shared, "number"),
            shared_at=_first(shared, "shared_at"),
            draft_uuid=_first(draft, "uuid"),
            draft_number=_first(draft, "number"),
            n_messages=_count(messages),
            n_unread=_count(messages.unread_by_desk()),
        )
        .values(
            "shared_uuid",
            "shared_number",
            "shared_at",
            "draft_uuid",
            "draft_number",
            "n_messages",
            "n_unread",
        )
        .get()
    )
    return TrajectoryDossier(
        may_view=True,
        shared=PlanSummary(row["shared_uuid"], row["shared_number"], row["shared_at"])
        if row["shared_uuid"]
        else None,
        draft=PlanSummary(row["draft_uuid"], row["draft_number"]) if row["draft_uuid"] else None,
        messages=row["n_messages"],
        unread=row["n_unread"],
    )


def plans_for_trajectory(user: Any, trajectory: Trajectory) -> QuerySet[DevelopmentPlan]:
    """Every version of the trajectory's plan, newest first."""
    return (
        DevelopmentPlan.objects.for_user(user)
        .filter(trajectory=trajectory)
        .select_related("shared_by", "created_by")
        .annotate(step_count=Count("steps"))
        .order_by("-number")
    )


def plan_with_steps(user: Any, action: str, plan_uuid: Any) -> DevelopmentPlan:
    """One plan the user may do ``action`` on (404/403 otherwise), with its trajectory,
    client and steps."""
    return (
        DevelopmentPlan.objects.select_related(
            "desk",
            "trajectory",
            "trajectory__client",
            "trajectory__desk",
            "trajectory__adviser",
            "shared_by",
            "created_by",
        )
        .prefetch_related(Prefetch("steps", queryset=PlanStep.objects.order_by("order")))
        .get_for_user_or_404(user, action, uuid=plan_uuid)
    )


def thread_messages(user: Any, trajectory: Trajectory) -> QuerySet[Message]:
    """The messages of a trajectory, oldest first, with their staff authors."""
    return (
        Message.objects.for_user(user)
        .filter(trajectory=trajectory)
        .select_related("author")
        .order_by("created_at", "id")
    )


def unread_for_adviser(user: Any) -> int:
    """Unread client messages in the open and closed trajectories assigned to ``user``, at
    desks where they may read messages (one query over the small partial index of unread
    messages)."""
    return (
        Message.objects.for_user(user)
        .unread_by_desk()
        .filter(trajectory__adviser_id=user.pk)
        .count()
    )


def unread_threads_for_adviser(user: Any) -> QuerySet[Trajectory]:
    """The trajectories of ``user`` with unread client messages, oldest unread first."""
    unread = Q(
        messages__direction=MessageDirection.FROM_CITIZEN,
        messages__read_by_desk_at__isnull=True,
    )
    return (
        Trajectory.objects.for_user(user)
        .filter(adviser_id=user.pk)
        .filter(unread)
        .select_related("client")
        .annotate(unread=Count("messages", filter=unread), first_unread=Min("messages__created_at"))
        .order_by("first_unread")
    )
