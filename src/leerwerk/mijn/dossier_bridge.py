"""The citizen side of the dossier app (messages with the adviser, the development plan),
used only when that app is installed and offers the citizen services (docs/mijn.md)."""

from __future__ import annotations

from types import ModuleType

from django.apps import apps

NEEDED = ("citizen_threads", "citizen_post_message", "citizen_plans", "plan_pdf_bytes")


def services() -> ModuleType | None:
    if not apps.is_installed("leerwerk.dossier"):
        return None
    from leerwerk.dossier import services as dossier_services

    if all(callable(getattr(dossier_services, name, None)) for name in NEEDED):
        return dossier_services
    return None


def available() -> bool:
    return services() is not None
