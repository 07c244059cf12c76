"""Reads of Mijn Leerwerkloket. The citizen's own data is selected by their account (never by a
staff role); staff reads go through the policies (``for_user``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from leerwerk.agenda.constants import AppointmentStatus
from leerwerk.agenda.models import Appointment
from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Consent
from leerwerk.core.constants import Action
from leerwerk.mijn.constants import INVITE_VALID_DAYS
from leerwerk.mijn.models import CitizenAccount, ClientLink, ErasureRequest, SavedOffer
from leerwerk.portal.models import SelfTestSession

# -- the citizen's own data ----------------------------------------------------------------------


def active_links(account: CitizenAccount) -> QuerySet[ClientLink]:
    """The client files linked to this account, with their desk."""
    return (
        ClientLink.objects.active()
        .filter(account=account, client__erased_at__isnull=True, client__merged_into__isnull=True)
        .select_related("desk", "client")
        .order_by("desk__display_name", "accepted_at")
    )


def linked_client_ids(account: CitizenAccount) -> list[int]:
    return list(active_links(account).values_list("client_id", flat=True))


def my_selftests(account: CitizenAccount) -> QuerySet[SelfTestSession]:
    return (
        SelfTestSession.objects.filter(account=account)
        .select_related("desk")
        .order_by("-updated_at")
    )


def my_saved_offers(account: CitizenAccount) -> QuerySet[SavedOffer]:
    return (
        SavedOffer.objects.filter(account=account)
        .select_related("offer", "offer__provider")
        .order_by("-saved_at")
    )


def saved_offer_ids(account: CitizenAccount | None, offer_ids: list[int]) -> set[int]:
    if account is None or not offer_ids:
        return set()
    return set(
        SavedOffer.objects.filter(account=account, offer_id__in=offer_ids).values_list(
            "offer_id", flat=True
        )
    )


def my_appointments(account: CitizenAccount) -> QuerySet[Appointment]:
    """Booked from this account, or made for a linked client file (also by the desk)."""
    clients = linked_client_ids(account)
    return (
        Appointment.objects.filter(Q(account=account) | Q(client_id__in=clients))
        .select_related("desk", "slot", "slot__block", "slot__block__location")
        .order_by("slot__starts_at")
    )


@dataclass(frozen=True)
class AppointmentLists:
    upcoming: list[Appointment]
    past: list[Appointment]


def split_appointments(
    appointments: QuerySet[Appointment], now: datetime.datetime | None = None
) -> AppointmentLists:
    moment = now or timezone.now()
    rows = list(appointments)
    return AppointmentLists(
        upcoming=[a for a in rows if a.slot.starts_at >= moment],
        past=[a for a in reversed(rows) if a.slot.starts_at < moment],
    )


@dataclass(frozen=True)
class ConsentLine:
    purpose: str
    label: str
    current: Consent | None


@dataclass(frozen=True)
class ConsentFile:
    link: ClientLink
    lines: list[ConsentLine]


def consent_files(account: CitizenAccount) -> list[ConsentFile]:
    """Per linked client file: each purpose with the current consent (or None)."""
    links = list(active_links(account))
    current: dict[tuple[int, str], Consent] = {
        (consent.client_id, consent.purpose): consent
        for consent in Consent.objects.current().filter(
            client_id__in=[link.client_id for link in links]
        )
    }
    return [
        ConsentFile(
            link=link,
            lines=[
                ConsentLine(
                    purpose.value, str(purpose.label), current.get((link.client_id, purpose.value))
                )
                for purpose in ConsentPurpose
            ],
        )
        for link in links
    ]


@dataclass(frozen=True)
class Overview:
    selftests: int
    selftests_done: int
    saved_offers: int
    upcoming_appointments: int
    linked_files: int


def overview(account: CitizenAccount) -> Overview:
    tests = my_selftests(account)
    return Overview(
        selftests=tests.count(),
        selftests_done=tests.filter(completed_at__isnull=False).count(),
        saved_offers=SavedOffer.objects.filter(account=account).count(),
        upcoming_appointments=my_appointments(account)
        .filter(slot__starts_at__gte=timezone.now(), status=AppointmentStatus.BOOKED)
        .count(),
        linked_files=active_links(account).count(),
    )


# -- invitations ---------------------------------------------------------------------------------


def invitation_expires_at(link: ClientLink) -> datetime.datetime:
    return link.invited_at + datetime.timedelta(days=INVITE_VALID_DAYS)


def invitation_is_expired(link: ClientLink, now: datetime.datetime | None = None) -> bool:
    return invitation_expires_at(link) <= (now or timezone.now())


# -- staff ---------------------------------------------------------------------------------------


def client_links(*, user: Any, client: Client) -> list[ClientLink]:
    """The invitations and links of one client, for desk staff (scoped by the policy)."""
    return list(
        ClientLink.objects.for_user(user, Action.VIEW)
        .filter(client=client)
        .select_related("account", "invited_by")
        .order_by("-invited_at")
    )


def erasure_requests(*, user: Any) -> QuerySet[ErasureRequest]:
    """Requests the user may see: open first (oldest first), then handled (newest first)."""
    return (
        ErasureRequest.objects.for_user(user, Action.VIEW)
        .select_related("desk", "client", "handled_by")
        .order_by("handled_at", "requested_at")
    )


# -- what clients.privacy exports about a client -----------------------------------------------


def mijn_export_for_client(client: Client) -> dict[str, Any]:
    """The account links and erasure requests of one client file (for ``client_export``)."""
    links = (
        ClientLink.objects.filter(client=client).select_related("account").order_by("invited_at")
    )
    requests = ErasureRequest.objects.filter(client=client).order_by("requested_at")
    return {
        "links": [
            {
                "uuid": link.uuid,
                "invited_at": link.invited_at,
                "accepted_at": link.accepted_at,
                "revoked_at": link.revoked_at,
                "account_email": link.account.email if link.account else "",
                "account_name": link.account.display_name if link.account else "",
            }
            for link in links
        ],
        "erasure_requests": [
            {
                "uuid": request.uuid,
                "requested_at": request.requested_at,
                "handled_at": request.handled_at,
                "outcome": request.outcome,
                "note": request.note,
            }
            for request in requests
        ],
    }
