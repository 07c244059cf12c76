"""A small per-address limit for the public forms of the portal, counted in the cache under a
hash of the address (no IP address is stored). ``subject`` counts per something else instead of
the address, e.g. per e-mail address (Mijn Leerwerkloket), also only as a hash."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from leerwerk.core.http import client_ip

#: bucket → (attempts, window in seconds)
LIMITS = {
    "callback": (5, 10 * 60),
    "resume": (10, 10 * 60),
    "share": (10, 10 * 60),
    # Mijn Leerwerkloket: sign-up, sign-in link and reset forms per address; mails per e-mail
    # address (whether an account exists or not); failed password log-ins per address and e-mail.
    "mijn_address": (20, 10 * 60),
    "mijn_email": (5, 60 * 60),
    "mijn_login_address": (20, 15 * 60),
    "mijn_login_email": (5, 15 * 60),
}


def _limits(bucket: str) -> tuple[int, int]:
    overrides = getattr(settings, "LEERWERK_PORTAL_RATE_LIMITS", {})
    return overrides.get(bucket, LIMITS[bucket])


def _key(request: HttpRequest, bucket: str, subject: str | None = None) -> str:
    value = client_ip(request) if subject is None else f"subject:{subject}"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()
    return f"portal:rate:{bucket}:{digest[:32]}"


def is_limited(request: HttpRequest, bucket: str, *, subject: str | None = None) -> bool:
    limit, _window = _limits(bucket)
    return (cache.get(_key(request, bucket, subject)) or 0) >= limit


def hit(request: HttpRequest, bucket: str, *, subject: str | None = None) -> None:
    _limit, window = _limits(bucket)
    key = _key(request, bucket, subject)
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
