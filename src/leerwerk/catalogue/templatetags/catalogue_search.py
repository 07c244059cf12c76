"""Template tags of catalogue search: the saved offers of a trajectory (for the trajectory
page's section, ``catalogue/search_saved_offers.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from leerwerk.catalogue.models import SavedOffer

register = template.Library()


@register.simple_tag
def saved_offers_for(trajectory: Any, user: Any) -> list[SavedOffer]:
    """The offers saved to ``trajectory`` that ``user`` may see (one query)."""
    return list(
        SavedOffer.objects.for_user(user)
        .filter(trajectory=trajectory)
        .select_related("offer", "offer__provider", "saved_by")
        .order_by("-saved_at")
    )
