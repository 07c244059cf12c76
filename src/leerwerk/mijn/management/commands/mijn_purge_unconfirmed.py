"""Remove Mijn Leerwerkloket accounts that were never confirmed (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from leerwerk.mijn.constants import UNCONFIRMED_KEEP_DAYS
from leerwerk.mijn.services import account_purge_unconfirmed


class Command(BaseCommand):
    help = (
        f"Remove citizen accounts whose e-mail address was not confirmed within "
        f"{UNCONFIRMED_KEEP_DAYS} days."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = account_purge_unconfirmed()
        self.stdout.write(f"Removed {removed} unconfirmed account(s).")
