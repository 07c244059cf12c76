"""The citizen's log-in: a separate session key, never ``django.contrib.auth``.

``login_citizen`` rotates the session key (``cycle_key``) and stores the account's UUID and a
hash of its password and e-mail address: changing either logs out every other session of that
account. ``logout_citizen`` flushes the session. Views use ``citizen_required`` and
``current_citizen(request)``; the staff ``request.user`` is never touched, so a citizen session
can never pass a staff permission check.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from leerwerk.mijn.constants import SESSION_ACCOUNT, SESSION_HASH
from leerwerk.mijn.models import CitizenAccount

_CACHE_ATTR = "_mijn_account"
_MISSING = object()


def session_hash(account: CitizenAccount) -> str:
    return salted_hmac(
        "leerwerk.mijn.session", f"{account.password}|{account.email}", algorithm="sha256"
    ).hexdigest()


def login_citizen(request: HttpRequest, account: CitizenAccount) -> None:
    """Log ``account`` in on this browser: a new session key, then the citizen keys."""
    request.session.cycle_key()
    request.session[SESSION_ACCOUNT] = str(account.uuid)
    request.session[SESSION_HASH] = session_hash(account)
    setattr(request, _CACHE_ATTR, account)


def update_session_hash(request: HttpRequest, account: CitizenAccount) -> None:
    """After the citizen changed their own password or e-mail address: keep this session."""
    request.session[SESSION_HASH] = session_hash(account)
    setattr(request, _CACHE_ATTR, account)


def logout_citizen(request: HttpRequest) -> None:
    request.session.flush()
    setattr(request, _CACHE_ATTR, None)


def current_citizen(request: HttpRequest) -> CitizenAccount | None:
    """The logged-in citizen account of this request, or None (looked up once per request)."""
    cached = getattr(request, _CACHE_ATTR, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    account = None
    session = getattr(request, "session", None)
    if session is not None and (account_uuid := session.get(SESSION_ACCOUNT)):
        try:
            account = CitizenAccount.objects.filter(
                uuid=account_uuid, email_verified_at__isnull=False
            ).first()
        except ValidationError:  # not a UUID: no log-in
            account = None
        if account is None or not constant_time_compare(
            session.get(SESSION_HASH, ""), session_hash(account)
        ):
            # Deleted account, or password/e-mail changed elsewhere: this session is over.
            session.pop(SESSION_ACCOUNT, None)
            session.pop(SESSION_HASH, None)
            account = None
    setattr(request, _CACHE_ATTR, account)
    return account


def current_citizen_id(request: HttpRequest) -> int | None:
    account = current_citizen(request)
    return account.pk if account is not None else None


def safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    """``value`` when it is a path on this site, else ``default``: never an open redirect
    (``https://evil.example``, ``//evil.example`` and ``/\\evil.example`` are refused)."""
    if (
        value
        and value.startswith("/")
        and not value.startswith("//")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default


def login_url_for(request: HttpRequest) -> str:
    """The log-in page, coming back to this page afterwards (GET only)."""
    target = request.get_full_path() if request.method == "GET" else reverse("mijn:overview")
    return f"{reverse('mijn:login')}?{urlencode({'next': target})}"


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only for a logged-in citizen; others go to the log-in page. Pages are never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if current_citizen(request) is None:
            response: HttpResponse = HttpResponseRedirect(login_url_for(request))
        else:
            response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
