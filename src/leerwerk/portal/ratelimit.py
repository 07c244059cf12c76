"""A small per-address limit for the public forms of the portal, counted in the cache under a
hash of the address (no IP address is stored)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from leerwerk.core.http import client_ip

#: bucket → (attempts, window in seconds)
LIMITS = {"callback": (5, 10 * 60), "resume": (10, 10 * 60), "share": (10, 10 * 60)}


def _limits(bucket: str) -> tuple[int, int]:
    overrides = getattr(settings, "LEERWERK_PORTAL_RATE_LIMITS", {})
    return overrides.get(bucket, LIMITS[bucket])


def _key(request: HttpRequest, bucket: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()
    return f"portal:rate:{bucket}:{digest[:32]}"


def is_limited(request: HttpRequest, bucket: str) -> bool:
    limit, _window = _limits(bucket)
    return (cache.get(_key(request, bucket)) or 0) >= limit


def hit(request: HttpRequest, bucket: str) -> None:
    _limit, window = _limits(bucket)
    key = _key(request, bucket)
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
