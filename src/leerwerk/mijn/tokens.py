"""Signed links in e-mails to citizens (``django.core.signing.TimestampSigner``, one salt per
purpose, so a link made for one purpose is useless for another).

The payload is signed, not encrypted: it holds the account's UUID and digests, never a password
hash or an e-mail address in clear. Single use is checked by the services: a sign-in link carries
the account's ``last_login_at`` (using the link changes it), a reset link a digest of the current
password hash (setting the new password changes it).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core import signing
from django.utils.crypto import salted_hmac

VERIFY = "verify"
EMAIL_CHANGE = "email-change"
LOGIN = "login"
RESET = "reset"
DELETE = "delete"


class LinkInvalid(Exception):
    """The link was changed, cut off, made for something else or already used."""


class LinkExpired(Exception):
    """The link was real, but it is too old."""


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"leerwerk.mijn.{purpose}")


def make(purpose: str, payload: dict[str, Any]) -> str:
    return _signer(purpose).sign_object(payload, compress=True)


def read(purpose: str, token: str, *, max_age: datetime.timedelta) -> dict[str, Any]:
    try:
        payload = _signer(purpose).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid from exc
    if not isinstance(payload, dict):
        raise LinkInvalid
    return payload


def digest(value: str) -> str:
    """A short keyed digest (of a password hash or an e-mail address) for a payload."""
    return salted_hmac("leerwerk.mijn.token-digest", value, algorithm="sha256").hexdigest()[:24]


def stamp(moment: datetime.datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""
