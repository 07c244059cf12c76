"""May the current user do an action on a client? For the buttons on the client page.

``{% client_may "delete" client as may_erase %}`` asks the client policy (the same check the
services and views make), so a button is only shown to someone who may use it.
"""

from __future__ import annotations

from typing import Any

from django import template

from leerwerk.clients.models import Client
from leerwerk.core.policies import policy_for

register = template.Library()


@register.simple_tag(takes_context=True)
def client_may(context: Any, action: str, client: Client) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or client is None:
        return False
    return policy_for(Client).can(user, action, client)
