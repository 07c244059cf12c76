"""Small helpers shared by the guidance staff pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerwerk.core.access import access_for
from leerwerk.core.policies import policy_for

# Re-exported for modules that still import pagination from here (clients.views_privacy).
from leerwerk.network.models import Desk

GET_POST = require_http_methods(["GET", "POST"])


def redirect_to(url: str, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def optional_url(name: str, *args: Any) -> str | None:
    """A URL of a page another app provides, or None while that page does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def desks_for(user: Any, model: type, action: str) -> list[Desk]:
    """The desks where ``user`` may do ``action`` on ``model`` through a desk role. Pages that
    are not about one object (lists, new objects) work for these desks; nobody else may use
    them (403), so the national team never reaches a page with personal data."""
    policy = policy_for(model)
    desk_ids = [
        desk_id
        for desk_id in sorted(access_for(user).desk_roles)
        if policy.can_on_desk(user, action, desk_id)
    ]
    if not desk_ids:
        raise PermissionDenied
    return list(Desk.objects.for_user(user).filter(pk__in=desk_ids).order_by("display_name"))


def staff_crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str]]:
    """Breadcrumbs from the staff start page; crumbs whose page does not exist are left out."""
    crumbs = [(_("Medewerkers"), reverse("staff:home")), *extra]
    return [(label, url) for label, url in crumbs if url]


def client_url(client: Any) -> str | None:
    return optional_url("clients:detail", client.uuid) if client is not None else None
