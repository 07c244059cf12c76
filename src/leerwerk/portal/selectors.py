"""Reads of the portal: the regional home, the waiting-time signal, self-test links and visit
counts. ``website_visitors`` is the figure the reports use (aggregates only)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leerwerk.core.constants import DeskRole
from leerwerk.guidance.constants import RequestStatus, TrajectoryStatus
from leerwerk.guidance.models import IntakeRequest, Trajectory
from leerwerk.network.models import Desk, StaffMembership
from leerwerk.portal.constants import ContentSlot
from leerwerk.portal.models import ContentBlock, DeskPortalSettings, PageVisitCount, SiteDomain
from leerwerk.portal.selftests import ISCO_LABELS
from leerwerk.portal.services import DOMAIN_CACHE_KEY, WAITING_CACHE_KEY

#: Seconds the computed waiting time is kept (it is shown on every regional home).
WAITING_CACHE_SECONDS = 60
DOMAIN_CACHE_SECONDS = 300


# -- settings and content ------------------------------------------------------------------------


def portal_settings_for(desk: Desk) -> DeskPortalSettings:
    """The desk's settings, or the defaults (unsaved) when it has none yet."""
    return DeskPortalSettings.objects.filter(desk=desk).first() or DeskPortalSettings(desk=desk)


def published_blocks(desk: Desk) -> dict[str, ContentBlock]:
    """The desk's published content blocks by slot (one query)."""
    return {block.slot: block for block in ContentBlock.objects.published().filter(desk=desk)}


def desk_blocks(desk: Desk) -> list[tuple[str, str, ContentBlock | None]]:
    """Every slot with its block (or None), for the editor's overview."""
    blocks = {block.slot: block for block in ContentBlock.objects.filter(desk=desk)}
    return [(slot, str(label), blocks.get(slot)) for slot, label in ContentSlot.choices]


# -- the waiting-time signal ---------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingTime:
    open_requests: int
    adviser_fte: Decimal
    intakes_per_fte_week: Decimal
    norm_days: int
    days: int | None  # None: no adviser capacity registered, so no estimate

    @property
    def weekly_capacity(self) -> Decimal:
        return self.adviser_fte * self.intakes_per_fte_week

    @property
    def over_norm(self) -> bool:
        return self.days is not None and self.days > self.norm_days

    @property
    def label(self) -> str:
        """'ongeveer 3 dagen' / 'ongeveer 2 weken', in B1 words."""
        if self.days is None:
            return ""
        if self.days <= 14:
            return ngettext("ongeveer %(n)s dag", "ongeveer %(n)s dagen", self.days) % {
                "n": self.days
            }
        weeks = (self.days + 6) // 7
        return ngettext("ongeveer %(n)s week", "ongeveer %(n)s weken", weeks) % {"n": weeks}


def compute_waiting_days(
    *, open_requests: int, adviser_fte: Decimal, intakes_per_fte_week: Decimal
) -> int | None:
    """Days until a new request gets its first conversation, if the desk handles open requests
    in order: (open requests + this one) ÷ first conversations per week × 7, rounded up.

    None when the desk has no adviser capacity registered: then nothing sensible can be said.
    """
    capacity = adviser_fte * intakes_per_fte_week
    if capacity <= 0:
        return None
    days = Decimal((open_requests + 1) * 7) / capacity  # multiply first: no 8.000…01
    return int(days.to_integral_value(rounding=ROUND_CEILING))


def _open_requests(desk_id: int) -> int:
    """Requests waiting for a first conversation: new requests, plus trajectories that are
    registered but have had no intake yet."""
    requests = IntakeRequest.objects.filter(desk_id=desk_id, status=RequestStatus.NEW).count()
    registered = Trajectory.objects.filter(
        desk_id=desk_id, status=TrajectoryStatus.REGISTERED
    ).count()
    return requests + registered


def _adviser_fte(desk_id: int) -> Decimal:
    total = (
        StaffMembership.objects.active_on(timezone.localdate())
        .filter(desk_id=desk_id, role=DeskRole.ADVISER)
        .aggregate(total=Sum("fte"))["total"]
    )
    return total or Decimal("0")


def waiting_time(desk: Desk, *, settings_row: DeskPortalSettings | None = None) -> WaitingTime:
    """The expected waiting time for a first conversation at ``desk``, cached briefly."""
    key = WAITING_CACHE_KEY.format(desk_id=desk.pk)
    cached = cache.get(key)
    if isinstance(cached, WaitingTime):
        return cached
    row = settings_row or portal_settings_for(desk)
    open_requests = _open_requests(desk.pk)
    fte = _adviser_fte(desk.pk)
    result = WaitingTime(
        open_requests=open_requests,
        adviser_fte=fte,
        intakes_per_fte_week=row.intakes_per_fte_week,
        norm_days=row.norm_days,
        days=compute_waiting_days(
            open_requests=open_requests,
            adviser_fte=fte,
            intakes_per_fte_week=Decimal(row.intakes_per_fte_week),
        ),
    )
    seconds = getattr(settings, "LEERWERK_PORTAL_WAITING_CACHE_SECONDS", WAITING_CACHE_SECONDS)
    cache.set(key, result, timeout=seconds)
    return result


# -- team ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicTeam:
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, role) when opted in
    roles: list[str] = field(default_factory=list)  # "2 adviseurs" otherwise


def public_team(desk: Desk, *, show_names: bool) -> PublicTeam:
    """The active team for the public page: names only when the desk opted in (one query)."""
    memberships = (
        StaffMembership.objects.active_on(timezone.localdate())
        .filter(desk=desk)
        .select_related("user")
        .order_by("role", "user__name")
    )
    if show_names:
        return PublicTeam(
            names=[
                (m.user.name, m.get_role_display())
                for m in memberships
                if m.user.name  # no name, no line
            ]
        )
    counts = Counter(memberships.values_list("role", flat=True))
    roles = []
    if counts[DeskRole.ADVISER]:
        roles.append(
            ngettext("%(n)s adviseur", "%(n)s adviseurs", counts[DeskRole.ADVISER])
            % {"n": counts[DeskRole.ADVISER]}
        )
    if counts[DeskRole.DESK_MANAGER]:
        roles.append(
            ngettext("%(n)s projectleider", "%(n)s projectleiders", counts[DeskRole.DESK_MANAGER])
            % {"n": counts[DeskRole.DESK_MANAGER]}
        )
    return PublicTeam(roles=roles)


# -- links to other parts of the site ------------------------------------------------------------


def existing_path(path: str) -> str | None:
    """``path`` when some page answers it (another app may not be installed yet), else None."""
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def regional_links(desk: Desk) -> dict[str, str | None]:
    base = f"/loketten/{desk.slug}/"
    return {
        "training": existing_path(f"{base}opleidingen/") or existing_path("/opleidingen/"),
        "funding": existing_path(f"{base}financiering/") or existing_path("/financiering/"),
        "opportunities": existing_path(f"{base}kansberoepen/"),
        "appointment": existing_path(f"{base}afspraak/"),
        "events": existing_path(f"{base}activiteiten/"),
        "advice_request": existing_path(f"{base}adviesvraag/"),
    }


# -- desk domains --------------------------------------------------------------------------------


def desk_slug_for_host(host: str) -> str | None:
    """The slug of the published desk whose own domain is ``host`` (cached map)."""
    mapping = cache.get(DOMAIN_CACHE_KEY)
    if mapping is None:
        mapping = dict(
            SiteDomain.objects.filter(is_active=True, desk__is_published=True).values_list(
                "host", "desk__slug"
            )
        )
        cache.set(DOMAIN_CACHE_KEY, mapping, timeout=DOMAIN_CACHE_SECONDS)
    return mapping.get(host.lower().rstrip("."))


# -- self-test links -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationGroup:
    code: str
    label: str
    examples: list[str]


def occupation_groups(isco_groups: list[str], *, examples: int = 3) -> list[OccupationGroup]:
    """The ISCO groups with a few ESCO occupations each (from the catalogue, when loaded)."""
    occupation_model = _catalogue_model("Occupation")
    groups = []
    for code in isco_groups:
        names: list[str] = []
        if occupation_model is not None:
            names = list(
                occupation_model.objects.filter(isco_group__startswith=code)
                .order_by("label")
                .values_list("label", flat=True)[:examples]
            )
        groups.append(OccupationGroup(code, ISCO_LABELS.get(code, code), names))
    return groups


def regional_opportunities(desk: Desk | None, isco_groups: list[str]) -> list[Any]:
    """Published opportunity occupations of the desk's region in these ISCO groups."""
    model = _catalogue_model("OpportunityOccupation")
    if desk is None or model is None or not isco_groups:
        return []
    condition = Q()
    for code in isco_groups:
        condition |= Q(occupation__isco_group__startswith=code)
    return list(
        model.objects.filter(condition, desk=desk, is_published=True)
        .select_related("occupation")
        .order_by("occupation__label")[:20]
    )


def _catalogue_model(name: str) -> Any:
    """A catalogue model, read-only, when that app is installed."""
    if not apps.is_installed("leerwerk.catalogue"):
        return None
    try:
        return apps.get_model("catalogue", name)
    except LookupError:
        return None


# -- visit counts --------------------------------------------------------------------------------


def website_visitors(
    *, desk_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """Public page views per desk from ``start`` to ``end`` (both included), for the reports.

    Counted without cookies, so this is page views, not distinct people (docs/portal.md).
    Every asked desk is in the answer, with 0 when nothing was counted.
    """
    totals = dict.fromkeys(desk_ids, 0)
    rows = (
        PageVisitCount.objects.filter(desk_id__in=desk_ids, day__gte=start, day__lte=end)
        .values("desk_id")
        .annotate(total=Sum("count"))
        .values_list("desk_id", "total")
    )
    for desk_id, total in rows:
        totals[desk_id] = total or 0
    return totals


PAGE_LABELS = {
    "public:desk_detail": _("Home van het loket"),
    "guidance_public:request_form": _("Adviesvraag"),
    "guidance_public:request_sent": _("Adviesvraag verstuurd"),
    "portal_public:callback": _("Bel mij terug"),
    "portal_public:selftest_index": _("Zelftesten"),
    "portal_public:selftest_intro": _("Zelftest: uitleg"),
    "portal_public:selftest_page": _("Zelftest: vragen"),
    "portal_public:selftest_result": _("Zelftest: uitslag"),
    "catalogue_search:regional": _("Opleidingen zoeken"),
    "catalogue_public:matrix": _("Kansberoepen"),
    "funding_public:desk_wizard": _("Geld voor een opleiding"),
}


@dataclass(frozen=True)
class VisitTable:
    months: list[datetime.date]
    rows: list[tuple[str, str, list[int], int]]  # page, label, counts per month, total
    totals: list[int]


def visits_per_page_month(*, desk: Desk, months: int = 12) -> VisitTable:
    """Views per page per calendar month, the last ``months`` months (one query)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    month_starts = []
    for _i in range(months):
        month_starts.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    month_starts.reverse()
    data = (
        PageVisitCount.objects.filter(desk=desk, day__gte=month_starts[0])
        .annotate(month=TruncMonth("day"))
        .values("page", "month")
        .annotate(total=Sum("count"))
    )
    table: dict[str, dict[datetime.date, int]] = {}
    for row in data:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        table.setdefault(row["page"], {})[month] = row["total"]
    rows = []
    for page in sorted(table, key=lambda p: (-sum(table[p].values()), p)):
        counts = [table[page].get(m, 0) for m in month_starts]
        rows.append((page, str(PAGE_LABELS.get(page, page)), counts, sum(counts)))
    totals = [sum(row[2][i] for row in rows) for i in range(len(month_starts))]
    return VisitTable(months=month_starts, rows=rows, totals=totals)
