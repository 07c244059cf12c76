"""Reads for clients. Every selector takes the user and goes through the scoping layer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper

from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Consent
from leerwerk.core.constants import Action

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})?\s*$")
_PHONE_CHARS = re.compile(r"[^\d+]")


def canonical_phone(value: str) -> str:
    """Digits only, Dutch numbers with a leading 0: '+31 6-1234 5678' -> '0612345678'.

    Stored this way by the client services, so a search by phone is an exact, indexed match.
    """
    digits = _PHONE_CHARS.sub("", value or "")
    if digits.startswith("+31"):
        return "0" + digits[3:]
    if digits.startswith("0031"):
        return "0" + digits[4:]
    return digits


def client_search(*, user: Any, query: str, desk_id: int | None = None) -> QuerySet[Client]:
    """Clients of the user's desk(s) matching a name, e-mail, phone number or postcode.

    Erased and merged clients are left out. The caller paginates. Each kind of query is an
    indexed lookup: e-mail and phone exact (both are stored normalised), postcode as a range,
    names through trigram indexes on PostgreSQL (migration clients/0003).
    """
    qs = Client.objects.for_user(user).filter(erased_at__isnull=True, merged_into__isnull=True)
    if desk_id is not None:
        qs = qs.filter(desk_id=desk_id)
    query = (query or "").strip()[:100]
    if not query:
        return qs.none()
    # Case-insensitive order. It also keeps PostgreSQL from walking the (desk, family_name)
    # index row by row to avoid a sort, which for a name search means testing LIKE on every
    # client of the desk: the trigram index finds the few matches, then they are sorted.
    order = (Upper("family_name"), Upper("given_name"), "id")
    if match := _POSTCODE.match(query):
        digits, letters = match.groups()
        if letters:
            return qs.filter(postcode=f"{digits} {letters.upper()}").order_by(*order)
        # "3511" means "3511 AA" up to "3511 ZZ": a range, so a plain index serves it.
        return qs.filter(postcode__gte=digits, postcode__lt=str(int(digits) + 1)).order_by(*order)
    if "@" in query:
        return qs.filter(email=query.lower()).order_by(*order)
    phone = canonical_phone(query)
    if len(phone) >= 6 and len(phone) >= len(query.replace(" ", "").replace("-", "")) - 1:
        return qs.filter(phone=phone).order_by(*order)
    condition = Q()
    for word in query.split():
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return qs.filter(condition).order_by(*order)


@dataclass(frozen=True)
class MatchCandidate:
    client: Client
    reasons: list[str]


def client_match_candidates(
    *,
    user: Any,
    desk_id: int,
    email: str = "",
    phone: str = "",
    given_name: str = "",
    family_name: str = "",
    birth_year: int | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[MatchCandidate]:
    """Existing clients at the desk that may be the same person ("komt deze klant al voor?")."""
    qs = Client.objects.for_user(user, Action.VIEW).filter(
        desk_id=desk_id, erased_at__isnull=True, merged_into__isnull=True
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    email = (email or "").strip().lower()
    digits = _PHONE_CHARS.sub("", phone or "")
    condition = Q(pk__in=[])
    if email:
        condition |= Q(email__iexact=email)
    if len(digits) >= 8:
        condition |= Q(phone__contains=digits[-8:])
    if family_name.strip():
        name_match = Q(family_name__iexact=family_name.strip())
        if given_name.strip():
            name_match &= Q(given_name__istartswith=given_name.strip()[:1])
        condition |= name_match
    candidates = []
    for client in qs.filter(condition)[:50]:
        reasons = []
        if email and client.email == email:
            reasons.append("zelfde e-mailadres")
        if len(digits) >= 8 and digits[-8:] in _PHONE_CHARS.sub("", client.phone):
            reasons.append("zelfde telefoonnummer")
        if family_name.strip() and client.family_name.lower() == family_name.strip().lower():
            reasons.append("zelfde achternaam")
        if birth_year and client.birth_year == birth_year:
            reasons.append("zelfde geboortejaar")
        candidates.append(MatchCandidate(client, reasons))
    candidates.sort(key=lambda c: -len(c.reasons))
    return candidates[:limit]


def has_consent(client: Client, purpose: str) -> bool:
    """Current consent, read from the database every time: a withdrawal counts at once."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(purpose)
    return Consent.objects.current().filter(client=client, purpose=purpose).exists()
