"""Small helpers shared by the staff pages of every app (network, clients, guidance).

One place for the page-access rule and for pagination, so the apps cannot drift apart: the
page parameter is ``pagina`` unless a page has several lists, each with its own parameter.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

from leerwerk.core.constants import Action
from leerwerk.core.policies import policy_for

PAGE_SIZE = 25
PAGE_PARAM = "pagina"


def require_on_desk(user: Any, model: type, action: str, desk: Any) -> None:
    """404 when the user may not even see ``model`` objects of this desk, 403 when they may see
    them but not do ``action`` (the same rule as ``get_for_user_or_404``)."""
    policy = policy_for(model)
    if not policy.can_on_desk(user, Action.VIEW, desk.pk):
        raise Http404
    if action != Action.VIEW and not policy.can_on_desk(user, action, desk.pk):
        raise PermissionDenied


def paginate(
    request: HttpRequest, items: Any, per_page: int = PAGE_SIZE, param: str = PAGE_PARAM
) -> Page:
    """The page of ``items`` asked for in ``param`` (the last page when it is too high, the
    first when it is not a number)."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


def query_without_page(request: HttpRequest, param: str = PAGE_PARAM) -> str:
    """The query string without ``param``, for links to other pages that keep the filters."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
