"""Reads for clients. Every selector takes the user and goes through the scoping layer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from leerwerk.clients.constants import ConsentPurpose
from leerwerk.clients.models import Client, Consent
from leerwerk.core.constants import Action

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})?\s*$")
_PHONE_CHARS = re.compile(r"[^\d+]")


def client_search(*, user: Any, query: str, desk_id: int | None = None) -> QuerySet[Client]:
    """Clients of the user's desk(s) matching a name, e-mail, phone number or postcode.

    Erased and merged clients are left out. The caller paginates.
    """
    qs = Client.objects.for_user(user).filter(erased_at__isnull=True, merged_into__isnull=True)
    if desk_id is not None:
        qs = qs.filter(desk_id=desk_id)
    query = (query or "").strip()[:100]
    if not query:
        return qs.none()
    if match := _POSTCODE.match(query):
        digits, letters = match.groups()
        prefix = f"{digits} {letters.upper()}" if letters else digits
        return qs.filter(postcode__startswith=prefix).order_by("family_name", "given_name")
    if "@" in query:
        return qs.filter(email__iexact=query.lower()).order_by("family_name", "given_name")
    phone_digits = _PHONE_CHARS.sub("", query)
    if len(phone_digits) >= 6 and len(phone_digits) >= len(query.replace(" ", "")) - 2:
        return qs.filter(phone__contains=phone_digits[-6:]).order_by("family_name", "given_name")
    condition = Q()
    for word in query.split():
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return qs.filter(condition).order_by("family_name", "given_name")


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
