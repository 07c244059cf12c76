"""Signed links for citizens: cancel or reschedule an appointment, cancel an event registration.

A token is the object's UUID and an expiry moment, signed with the site's SECRET_KEY
(``django.core.signing``) under a salt per purpose: it cannot be guessed or altered, a token of
one purpose is useless for another, and it stops working when the appointment or event has
begun. Nothing is stored; a cancelled appointment simply cannot be cancelled again.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core import signing
from django.utils import timezone

APPOINTMENT = "leerwerk.agenda.appointment"
EVENT_REGISTRATION = "leerwerk.agenda.event-registration"


class TokenInvalid(Exception):
    """The link was changed, cut off or made for something else."""


class TokenExpired(Exception):
    """The link was real, but the moment it was valid for has passed."""


def make_token(*, purpose: str, uuid_: uuid.UUID, expires_at: datetime.datetime) -> str:
    return signing.dumps({"u": str(uuid_), "x": int(expires_at.timestamp())}, salt=purpose)


def read_token(token: str, *, purpose: str, now: datetime.datetime | None = None) -> uuid.UUID:
    try:
        data: Any = signing.loads(token, salt=purpose)
        found = uuid.UUID(data["u"])
        expires = int(data["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc
    if (now or timezone.now()).timestamp() > expires:
        raise TokenExpired
    return found
