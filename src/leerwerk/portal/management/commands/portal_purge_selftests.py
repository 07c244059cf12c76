"""Remove saved self-tests and unattached share codes older than 30 days (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from leerwerk.portal.services import selftest_purge_expired


class Command(BaseCommand):
    help = "Remove expired self-tests and share codes that no adviser attached."

    def handle(self, *args: Any, **options: Any) -> None:
        sessions, shares = selftest_purge_expired()
        self.stdout.write(f"removed {sessions} self-tests and {shares} share codes")
