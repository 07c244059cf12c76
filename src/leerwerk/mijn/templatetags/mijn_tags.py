"""Template tags of Mijn Leerwerkloket: the "Bewaar" button on the public offer page and the
check whether the dossier pages (messages, development plan) exist."""

from __future__ import annotations

from typing import Any

from django import template

from leerwerk.mijn import dossier_bridge
from leerwerk.mijn.auth import current_citizen
from leerwerk.mijn.models import SavedOffer

register = template.Library()


@register.simple_tag
def mijn_dossier_available() -> bool:
    return dossier_bridge.available()


@register.inclusion_tag("mijn/includes/save_offer.html", takes_context=True)
def mijn_save_offer(context: dict[str, Any], offer: Any) -> dict[str, Any]:
    """Logged in as a citizen: a button to save (or remove) the offer; otherwise a link to log
    in that comes back to the offer. No query for visitors who are not logged in."""
    request = context.get("request")
    account = current_citizen(request) if request is not None else None
    saved = account is not None and SavedOffer.objects.filter(account=account, offer=offer).exists()
    return {
        "offer": offer,
        "account": account,
        "saved": saved,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def consent_error(errors: dict[str, str], link_uuid: Any, purpose: str) -> str:
    """The error message of one consent row on the consent page, if any."""
    return errors.get(f"{link_uuid}:{purpose}", "")
