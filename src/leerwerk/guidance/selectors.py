"""Reads for the adviser's day: work list, client page timeline, adviser suggestions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from leerwerk.clients.models import Client, Consent
from leerwerk.core.constants import DeskRole
from leerwerk.guidance.constants import OPEN_STATUSES, QuestionTheme
from leerwerk.guidance.models import (
    IntakeRequest,
    Registration,
    RegistrationType,
    Trajectory,
    VocabularyVersion,
)
from leerwerk.network.models import StaffMembership

# Which expertise tag (network.ExpertiseTag.slug) fits which question theme.
THEME_EXPERTISE = {
    QuestionTheme.RETRAINING: "omscholing",
    QuestionTheme.TRAINING_QUESTION: "scholingsvraag",
    QuestionTheme.CAREER_ADVICE: "loopbaanadvies",
    QuestionTheme.FUNDING: "financiering",
    QuestionTheme.BASIC_SKILLS: "basisvaardigheden",
    QuestionTheme.JOB_APPLICATIONS: "solliciteren",
    QuestionTheme.EVC: "evc",
}


def vocabulary_in_force(on: datetime.date | None = None) -> VocabularyVersion | None:
    on = on or timezone.localdate()
    return (
        VocabularyVersion.objects.filter(effective_from__lte=on, published_at__isnull=False)
        .order_by("-effective_from", "-number")
        .first()
    )


def registration_types(
    *, kind: str | None = None, on: datetime.date | None = None
) -> QuerySet[RegistrationType]:
    version = vocabulary_in_force(on)
    qs = RegistrationType.objects.filter(version=version, is_active=True).select_related("version")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "sort_order", "name")


@dataclass(frozen=True)
class WorkList:
    my_open: QuerySet[Trajectory]
    new_requests: QuerySet[IntakeRequest]
    overdue: QuerySet[Trajectory]


def work_list(
    *, user: Any, desk_id: int | None = None, today: datetime.date | None = None
) -> WorkList:
    """The adviser's day: my open trajectories, new requests without intake, overdue follow-ups.

    Querysets (the caller paginates), each with what the list shows already joined.
    """
    today = today or timezone.localdate()
    trajectories = Trajectory.objects.for_user(user).select_related("client", "adviser", "desk")
    requests = (
        IntakeRequest.objects.for_user(user).open().select_related("desk", "referrer_partner")
    )
    if desk_id is not None:
        trajectories = trajectories.filter(desk_id=desk_id)
        requests = requests.filter(desk_id=desk_id)
    return WorkList(
        my_open=trajectories.filter(adviser=user, status__in=OPEN_STATUSES).order_by(
            "follow_up_on", "opened_on", "id"
        ),
        new_requests=requests.order_by("created_at"),
        # My overdue follow-ups and the desk's unassigned ones (nobody else will see those).
        overdue=trajectories.filter(
            Q(adviser=user) | Q(adviser__isnull=True),
            status__in=OPEN_STATUSES,
            follow_up_on__lt=today,
        ).order_by("follow_up_on", "id"),
    )


def client_detail(*, user: Any, uuid: Any) -> Client:
    """One client with everything the client page shows, in a fixed number of queries.

    The related rows load only the columns the page and its timeline show (the page is on
    every adviser's daily path: see the CRM benchmark in docs/benchmarks.md)."""
    registrations = (
        Registration.objects.select_related("type")
        .only(
            "uuid",
            "client_id",
            "trajectory_id",
            "occurred_on",
            "created_at",
            "status",
            "type__name",
        )
        .order_by("-occurred_on", "-created_at")
    )
    trajectories = (
        Trajectory.objects.select_related("adviser", "referrer_partner")
        .only(
            "uuid",
            "client_id",
            "theme",
            "status",
            "outcome",
            "channel",
            "opened_on",
            "closed_on",
            "created_at",
            "updated_at",
            "adviser__name",
            "adviser__email",
            "referrer_partner__name",
        )
        .order_by("-opened_on")
    )
    requests = IntakeRequest.objects.only(
        "uuid", "client_id", "created_at", "channel", "theme"
    ).order_by()
    consents = Consent.objects.order_by("purpose", "-given_at")  # no join on the client
    return (
        Client.objects.select_related("desk", "municipality")
        .prefetch_related(
            "target_groups",
            Prefetch("consents", queryset=consents),
            Prefetch("trajectories", queryset=trajectories),
            Prefetch("registrations", queryset=registrations),
            Prefetch("intake_requests", queryset=requests),
        )
        .get_for_user_or_404(user, uuid=uuid)
    )


@dataclass(frozen=True)
class TimelineEntry:
    on: datetime.date
    at: datetime.datetime
    kind: str  # "request", "trajectory", "registration", "closed", "consent"
    title: str
    detail: str
    obj: Any


def client_timeline(client: Client) -> list[TimelineEntry]:
    """Everything that happened with a client, newest first. Uses the prefetches of
    ``client_detail``: no further queries."""
    entries: list[TimelineEntry] = []
    for request in client.intake_requests.all():
        entries.append(
            TimelineEntry(
                timezone.localdate(request.created_at),
                request.created_at,
                "request",
                f"Aanvraag via {request.get_channel_display().lower()}",
                request.get_theme_display(),
                request,
            )
        )
    for trajectory in client.trajectories.all():
        entries.append(
            TimelineEntry(
                trajectory.opened_on,
                trajectory.created_at,
                "trajectory",
                f"Traject geopend: {trajectory.get_theme_display()}",
                trajectory.get_channel_display(),
                trajectory,
            )
        )
        if trajectory.closed_on:
            entries.append(
                TimelineEntry(
                    trajectory.closed_on,
                    trajectory.updated_at,
                    "closed",
                    "Traject afgesloten",
                    trajectory.get_outcome_display(),
                    trajectory,
                )
            )
    for registration in client.registrations.all():
        entries.append(
            TimelineEntry(
                registration.occurred_on,
                registration.created_at,
                "registration",
                registration.type.name,
                registration.get_status_display(),
                registration,
            )
        )
    for consent in client.consents.all():
        entries.append(
            TimelineEntry(
                timezone.localdate(consent.given_at),
                consent.given_at,
                "consent",
                f"Toestemming: {consent.get_purpose_display().lower()}",
                "ingetrokken" if consent.withdrawn_at else "gegeven",
                consent,
            )
        )
    entries.sort(key=lambda e: (e.on, e.at), reverse=True)
    return entries


@dataclass(frozen=True)
class AdviserSuggestion:
    user: Any
    open_trajectories: int
    matches_expertise: bool


def adviser_suggestions(
    *, desk_id: int, theme: str, today: datetime.date | None = None
) -> list[AdviserSuggestion]:
    """Advisers of the desk, best fit first: expertise for the theme, then the lightest caseload
    (open trajectories per FTE)."""
    today = today or timezone.localdate()
    tag = THEME_EXPERTISE.get(theme)
    memberships = (
        StaffMembership.objects.active_on(today)
        .filter(desk_id=desk_id, role__in=[DeskRole.ADVISER, DeskRole.DESK_MANAGER])
        .select_related("user")
        .annotate(
            has_tag=Count("expertise_tags", filter=Q(expertise_tags__slug=tag), distinct=True),
        )
    )
    caseload = dict(
        Trajectory.objects.filter(desk_id=desk_id, status__in=OPEN_STATUSES, adviser__isnull=False)
        .values_list("adviser_id")
        .annotate(n=Count("id"))
    )
    suggestions = {}
    for membership in memberships:
        load = caseload.get(membership.user_id, 0)
        current = suggestions.get(membership.user_id)
        if current is None:
            suggestions[membership.user_id] = (
                AdviserSuggestion(membership.user, load, bool(membership.has_tag)),
                load / float(membership.fte),
                membership.role == DeskRole.ADVISER,
            )
    ranked = sorted(
        suggestions.values(),
        key=lambda s: (not s[0].matches_expertise, not s[2], s[1], s[0].user.name),
    )
    return [entry[0] for entry in ranked]
