"""Figures counted by other parts of the platform: events (agenda) and website visits (portal).

Each source is asked once per period for all desks (one grouped query each). Event figures stay
three separate numbers — registrations, visitors at the door, stand conversations — as the
counting rules require; website visits are page views counted without cookies.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from leerwerk.reporting.constants import Method

EVENT_METHODS = {Method.EVENT_REGISTRATIONS, Method.EVENT_VISITORS, Method.STAND_CONVERSATIONS}


def activity_figures(
    *,
    desk_ids: Sequence[int],
    start: datetime.date,
    end: datetime.date,
    methods: Iterable[str],
) -> dict[int, dict[str, int]]:
    """Per desk, the value of every activity method asked for (0 when nothing happened)."""
    wanted = set(methods)
    result: dict[int, dict[str, int]] = {desk_id: dict.fromkeys(wanted, 0) for desk_id in desk_ids}
    if not desk_ids:
        return result
    if wanted & EVENT_METHODS:
        from leerwerk.agenda.selectors import event_figures

        for desk_id, values in event_figures(desk_ids=list(desk_ids), start=start, end=end).items():
            for method in wanted & EVENT_METHODS:
                result[desk_id][method] = values.get(str(method), 0)
    if Method.WEBSITE_VISITS in wanted:
        from leerwerk.portal.selectors import website_visitors

        for desk_id, visits in website_visitors(
            desk_ids=list(desk_ids), start=start, end=end
        ).items():
            result[desk_id][Method.WEBSITE_VISITS] = visits
    return result
