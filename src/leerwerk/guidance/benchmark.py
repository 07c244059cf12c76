"""Benchmark of the adviser's day on the current database: work list, client search and client
page, each measured as server time through Django's request handling (middleware, view,
template) and compared with the floor: the very same SQL statements replayed raw.

Run on PostgreSQL with national-scale synthetic data (``generate_synthetic_data``); results are
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.db.models import Count
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from leerwerk.clients.models import Client
from leerwerk.guidance.constants import OPEN_STATUSES
from leerwerk.guidance.models import Trajectory


@dataclass
class Measurement:
    name: str
    median_ms: float
    p95_ms: float
    floor_median_ms: float
    floor_p95_ms: float
    queries: int

    @property
    def median_ratio(self) -> float:
        return self.median_ms / self.floor_median_ms if self.floor_median_ms else float("inf")

    @property
    def ratio(self) -> float:
        return self.p95_ms / self.floor_p95_ms if self.floor_p95_ms else float("inf")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _measure(name: str, targets: list[Callable[[], object]], repeat: int) -> Measurement:
    """Time each target (cycling), then replay its captured SQL raw as the floor."""
    for target in targets[:3]:
        target()  # warm-up (connection, caches, plans)
    times, floors, statements = [], [], []
    for i in range(repeat):
        target = targets[i % len(targets)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            target()
            times.append((time.perf_counter() - started) * 1000)
        sqls = [
            q["sql"]
            for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
        ]
        statements.append(len(sqls))
        with connection.cursor() as cursor:
            started = time.perf_counter()
            for sql in sqls:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            floors.append((time.perf_counter() - started) * 1000)
    return Measurement(
        name,
        statistics.median(times),
        _p95(times),
        statistics.median(floors),
        _p95(floors),
        round(statistics.median(statements)),
    )


# What a browser sends with every request: public pages count the visit (a counter write,
# portal.middleware) for a browser, not for a request without a user agent (taken for a bot).
BROWSER_HEADERS = {
    "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "HTTP_ACCEPT_LANGUAGE": "nl-NL,nl;q=0.9",
}


def wsgi_caller(user: object | None) -> Callable[[str], Callable[[], bytes]]:
    """``get(url)`` returns a function that GETs ``url`` as ``user`` (None: a visitor who is
    not signed in) through Django's WSGI handler, as a server runs it (the test client adds its
    own instrumentation, such as copying every template context, which is not server time),
    with a browser's headers, so a public page does what it does for a person (it counts the
    visit)."""
    cookie = ""
    if user is not None:
        http = HttpClient()
        http.force_login(user, backend="leerwerk.accounts.backends.EmailBackend")
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in http.cookies.items())
    handler = WSGIHandler()

    def get(url: str) -> Callable[[], bytes]:
        path, _, query = url.partition("?")

        def call() -> bytes:
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "HTTP_HOST": "testserver",
                "HTTP_COOKIE": cookie,
                "REMOTE_ADDR": "127.0.0.1",
                **BROWSER_HEADERS,
                "wsgi.input": io.BytesIO(),
                "wsgi.url_scheme": "http",
                "wsgi.errors": io.StringIO(),
            }
            statuses: list[str] = []
            body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
            if not statuses or not statuses[0].startswith("200"):
                raise RuntimeError(f"{url} gave {statuses}")
            return body

        return call

    return get


def run(*, repeat: int = 100, seed: int = 1) -> list[Measurement]:
    rng = random.Random(seed)  # noqa: S311 (benchmark sampling)
    # The busiest adviser of the largest desk: the hardest work list.
    busiest = (
        Trajectory.objects.filter(status__in=OPEN_STATUSES, adviser__isnull=False)
        .values("adviser_id", "desk_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise RuntimeError("No data: run generate_synthetic_data first.")
    from leerwerk.accounts.models import User

    adviser = User.objects.get(pk=busiest["adviser_id"])
    desk_id = busiest["desk_id"]
    get = wsgi_caller(adviser)

    sample = list(
        Client.objects.filter(desk_id=desk_id)
        .order_by("?")
        .values_list("uuid", "family_name", "email", "phone", "postcode")[:200]
    )
    rng.shuffle(sample)
    searches = []
    for _, family, email, phone, postcode in sample[:50]:
        searches += [family, email, phone, postcode[:4]]
    searches = [urlencode({"q": q}) for q in searches]

    work_list_url = reverse("clients:work_list")
    search_url = reverse("clients:search")
    results = [
        # The fixed cost of any signed-in staff page (session, user, roles, layout): the
        # reference for the ratios below (docs/decisions/0005-crm-benchmark-ratio.md).
        _measure("startpagina medewerkers (vaste kosten)", [get(reverse("staff:home"))], repeat),
        _measure("werklijst (adviseur met de meeste open trajecten)", [get(work_list_url)], repeat),
        _measure(
            "klant zoeken (naam, e-mail, telefoon, postcode)",
            [get(f"{search_url}?{q}") for q in searches],
            repeat,
        ),
        _measure(
            "klantpagina met tijdlijn",
            [
                get(reverse("clients:detail", kwargs={"client_uuid": uuid}))
                for uuid, *_ in sample[:100]
            ],
            repeat,
        ),
    ]
    return results
