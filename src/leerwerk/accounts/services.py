"""Writes for accounts: API tokens and log-in throttling."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from leerwerk.accounts.models import ApiToken, User


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``. Returns the record and the raw token (shown only once)."""
    raw = ApiToken.generate()
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=raw[: ApiToken.PREFIX_LENGTH],
        digest=ApiToken.digest_of(raw),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for ``raw``, or None. Marks it used (at most once a minute)."""
    if not raw:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(raw.strip()))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# -- log-in throttling ---------------------------------------------------------------------
# Counters live in the cache, keyed by a hash: no e-mail address or IP address is stored.


def _throttle_keys(email: str, client_ip: str) -> list[str]:
    keys = []
    for kind, value in (("email", (email or "").strip().lower()), ("ip", client_ip or "")):
        if value:
            digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
            keys.append(f"login-failures:{kind}:{digest}")
    return keys


def login_is_throttled(*, email: str, client_ip: str) -> bool:
    limit = settings.LEERWERK_LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _throttle_keys(email, client_ip))


def login_failed(*, email: str, client_ip: str) -> None:
    for key in _throttle_keys(email, client_ip):
        cache.add(key, 0, timeout=settings.LEERWERK_LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LEERWERK_LOGIN_LOCKOUT_SECONDS)


def login_succeeded(*, email: str, client_ip: str) -> None:
    for key in _throttle_keys(email, ""):
        cache.delete(key)
