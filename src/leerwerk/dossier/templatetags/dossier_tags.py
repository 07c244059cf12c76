"""Template tags of the dossier: the plan and message summary on the trajectory page, and the
unread-message count on the work list."""

from __future__ import annotations

from typing import Any

from django import template

from leerwerk.core.access import access_for
from leerwerk.dossier import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_for_trajectory(context: Any, trajectory: Any) -> selectors.TrajectoryDossier:
    """For ``dossier/includes/trajectory_section.html``: two small queries."""
    return selectors.trajectory_dossier(context["request"].user, trajectory)


@register.simple_tag(takes_context=True)
def unread_messages_for_me(context: Any) -> int:
    """Unread client messages in the signed-in adviser's trajectories (one count query; none
    for users without a desk role)."""
    user = context["request"].user
    if not access_for(user).is_desk_staff:
        return 0
    return selectors.unread_for_adviser(user)
