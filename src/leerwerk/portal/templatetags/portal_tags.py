from typing import Any

from django import template

from leerwerk.portal.views_staff import may_manage_website

register = template.Library()


@register.filter
def may_view_website_of(user: Any, desk: Any) -> bool:
    """Whether the desk's website pages (texts, settings, visits) are open to this user."""
    return may_manage_website(user, desk)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None
