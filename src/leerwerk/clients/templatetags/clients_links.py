"""Links to pages that may not exist (yet): an empty string instead of a NoReverseMatch.

The trajectory pages live in the guidance app, built separately; the client pages link to them by
URL name and simply leave the link out while a name does not resolve.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, **kwargs: Any) -> str:
    """``{% optional_url "guidance:trajectory_detail" trajectory_uuid=t.uuid as url %}``"""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def optional_reverse(name: str, **kwargs: Any) -> str:
    """The same for views (e.g. where to go after accepting a request)."""
    return optional_url(name, **kwargs)
