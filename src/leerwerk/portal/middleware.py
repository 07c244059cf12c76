"""Two small middlewares of the portal.

``SiteDomainMiddleware`` serves a desk's regional home on the desk's own domain: a request for
``/`` on a host listed in ``SiteDomain`` gets that desk's regional home instead of the national
home. Every other path works on that host as on the national one. Hosts in
``LEERWERK_NATIONAL_HOSTS`` are never looked up. The host must also be in ALLOWED_HOSTS.

``VisitCountMiddleware`` counts views of public pages per desk, page (URL name) and day, as a
counter in the database. It sets no cookie and stores no IP address, user agent or anything
else about the visitor. Not counted: other methods than GET, responses other than 200, htmx
partial requests, staff/admin/API pages, and user agents that say they are a bot.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from leerwerk.portal import selectors, services

logger = logging.getLogger(__name__)

DEFAULT_NATIONAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "testserver")
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|scrapy|curl|wget|python-requests|httpx|headless|lighthouse|"
    r"monitor|preview|facebookexternalhit|embedly|bingpreview|axios|go-http-client|java/",
    re.IGNORECASE,
)
#: URL namespaces of public pages that are counted.
COUNTED_NAMESPACES = frozenset(
    {
        "public",
        "portal_public",
        "guidance_public",
        "funding_public",
        "catalogue_public",
        "catalogue_search",
        "agenda_public",
    }
)
#: Public views that are not pages a visitor reads.
NOT_COUNTED = frozenset({"catalogue_search:staff", "catalogue_search:offer_save"})


def _national_hosts() -> set[str]:
    return set(getattr(settings, "LEERWERK_NATIONAL_HOSTS", DEFAULT_NATIONAL_HOSTS))


class SiteDomainMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and request.method in ("GET", "HEAD"):
            host = request.get_host().split(":")[0].lower()
            if host not in _national_hosts():
                slug = selectors.desk_slug_for_host(host)
                if slug is not None:
                    from leerwerk.portal.views_public import regional_home

                    request.portal_desk_slug = slug  # type: ignore[attr-defined]
                    return regional_home(request, slug=slug)
        return self.get_response(request)


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


class VisitCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(settings, "LEERWERK_COUNT_VISITS", True):
            page, slug = self._page(request, response)
            if page:
                self._count(page, slug)
        return response

    @staticmethod
    def _page(request: HttpRequest, response: HttpResponse) -> tuple[str, str | None]:
        if request.method != "GET" or response.status_code != 200:
            return "", None
        if request.headers.get("HX-Request") and not request.headers.get(
            "HX-History-Restore-Request"
        ):
            return "", None
        if is_bot(request.headers.get("User-Agent", "")):
            return "", None
        slug = getattr(request, "portal_desk_slug", None)
        if slug is not None:  # the regional home on the desk's own domain
            return "public:desk_detail", slug
        match = request.resolver_match
        if match is None or match.namespace not in COUNTED_NAMESPACES:
            return "", None
        if match.view_name in NOT_COUNTED:
            return "", None
        return match.view_name, match.kwargs.get("slug")

    @staticmethod
    def _count(page: str, slug: str | None) -> None:
        try:
            services.page_visit_count(desk_slug=slug, page=page, day=timezone.localdate())
        except DatabaseError:
            # Counting must never break a page.
            logger.warning("visit count failed", extra={"page": page})
