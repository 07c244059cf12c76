"""E-mail helpers shared by every app that writes to citizens or staff."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

DEFAULT_SITE_URL = "http://localhost:8000"


def site_url(base_url: str = "") -> str:
    """The address links in e-mails start with: the request's, else ``LEERWERK_SITE_URL``."""
    url = base_url or getattr(settings, "LEERWERK_SITE_URL", "") or DEFAULT_SITE_URL
    return url.rstrip("/")


def send_after_commit(message: EmailMessage) -> None:
    """Send ``message`` once the surrounding transaction commits (never for a rolled-back
    change); a failure to send raises, as the callers expect."""
    transaction.on_commit(lambda: message.send(fail_silently=False))
