"""The portal load test (issue 7, item 10): ``leerwerk loadtest``.

Four parts, each usable on its own:

- ``build_plan`` reads the current database and writes the URLs the simulated citizens visit
  (``loadtest/locustfile.py`` reads this JSON): desks, postcodes, events, training offers,
  self-tests and the options of the search and funding forms. Every URL comes from ``reverse``
  with the URL names of the apps, so a renamed URL breaks the plan (and the test), not the
  measurement. Dynamic texts the pages must show (desk names, event and offer titles) are
  stored HTML-escaped, as the templates print them.
- ``seed_agenda`` gives desks something to book and join (availability and published events),
  through the agenda's services with one of the desk's own advisers as actor. Only for a
  load-test or demo database: it publishes events.
- ``serve`` runs the production WSGI server (gunicorn) on a free local port.
- ``read_stats`` / ``format_summary`` turn Locust's CSV into the summary per page group and the
  verdict against the goal (p95 ≤ 100 ms, no errors).

Locust itself runs in its own process: importing it here would patch the standard library
(gevent) in the Django process.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leerwerk.core.constants import DeskRole
from leerwerk.network import selectors as network_selectors
from leerwerk.network.models import Desk, Location, Postcode, StaffMembership
from leerwerk.portal import selftests

#: The goal of issue 7, item 10.
GOAL_P95_MS = 100.0

#: Request names as Locust reports them, per key the locustfile uses: (method, name). The
#: summary lists them in this order; the test checks that every one was requested.
GROUPS: dict[str, tuple[str, str]] = {
    "home": ("GET", "landelijke home"),
    "find_desk": ("GET", "welk loket is van mij (postcode)"),
    "desk_home": ("GET", "regionale home (aanbod, team, vestigingen)"),
    "desk_events": ("GET", "activiteiten van een loket"),
    "event": ("GET", "activiteit"),
    "all_events": ("GET", "activiteiten van alle loketten"),
    "selftest_index": ("GET", "zelftesten"),
    "selftest_intro": ("GET", "zelftest: uitleg"),
    "selftest_start": ("POST", "zelftest: starten"),
    "selftest_page": ("GET", "zelftest: vragen"),
    "selftest_answer": ("POST", "zelftest: antwoorden"),
    "selftest_result": ("GET", "zelftest: uitslag"),
    "search": ("GET", "opleidingen zoeken (landelijk)"),
    "search_regional": ("GET", "opleidingen zoeken (regio)"),
    "offer": ("GET", "opleiding"),
    "funding": ("GET", "financiering: vragen"),
    "funding_answer": ("POST", "financiering: uitkomst"),
    "opportunities": ("GET", "kansberoepen"),
    "slots": ("GET", "afspraak: vrije tijden"),
    "advice_form": ("GET", "adviesvraag (formulier)"),
    "callback_form": ("GET", "bel mij terug (formulier)"),
}

#: Searches citizens type, in their words (not the catalogue's): single words, two words,
#: a misspelling and a phrase.
SEARCH_QUERIES = [
    "verpleegkundige",
    "heftruck",
    "kinderopvang",
    "logistiek",
    "zorg",
    "lassen",
    "boekhouden",
    "nederlands leren",
    "ict",
    "beveiliging",
    "schoonmaak",
    "elektrotechniek",
    "bouw",
    "vrachtwagenchauffeur",
    "horeca",
    "administratief medewerker",
    "helpende zorg en welzijn",
    "installatietechniek",
    "verkoop",
    "onderwijsassistent",
    "timmerman",
    "verpleegkundge",
    "kok",
    "doktersassistent",
    "metselaar",
    "klantenservice",
    "programmeren",
    "taxi",
    "pedagogisch medewerker",
    "monteur",
]


def _choice_values(choices: Any) -> list[str]:
    return [str(value) for value, _label in choices if str(value)]


def _search_filters() -> dict[str, list[str]]:
    """The values of the search form's filters, read from the form itself."""
    from leerwerk.catalogue.forms_search import OfferSearchForm

    form = OfferSearchForm()
    return {
        name: _choice_values(form.fields[name].choices)  # type: ignore[attr-defined]
        for name in ("niveau", "soort", "leerweg", "afstand", "sorteren")
    }


def _postcodes(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Postcodes with the desk that "which desk is mine?" must show for them."""
    codes = list(
        Postcode.objects.filter(municipality__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
    )
    picked = rng.sample(codes, min(count, len(codes)))
    result = []
    for code in sorted(picked):
        found = network_selectors.find_desks(code)
        if found.matches:
            result.append({"q": code, "expect": escape(found.matches[0].reason)})
    return result


def _desk_entry(desk: Desk, events: list[dict[str, str]]) -> dict[str, Any]:
    slug = [desk.slug]
    return {
        "slug": desk.slug,
        "name": escape(desk.display_name),
        "region": escape(desk.region.name),
        "home": reverse("public:desk_detail", args=slug),
        "events": reverse("agenda_public:event_list", args=slug),
        "event_pages": events,
        "selftests": reverse("portal_public:desk_selftest_index", args=slug),
        "search": reverse("catalogue_search:regional", args=slug),
        "funding": reverse("funding_public:desk_wizard", args=slug),
        "opportunities": reverse("catalogue_public:matrix", args=slug),
        "slots": reverse("agenda_public:slot_list", args=slug),
        "advice_form": reverse("guidance_public:request_form", args=slug),
        "callback_form": reverse("portal_public:callback", args=slug),
    }


def build_plan(
    *, seed: int = 1, offers: int = 300, postcodes: int = 60, events_per_desk: int = 3
) -> dict[str, Any]:
    """Everything the locustfile needs, from the current database."""
    from leerwerk.agenda import selectors as agenda_selectors
    from leerwerk.catalogue.models import Offer

    rng = random.Random(seed)  # noqa: S311 (a sample of the data, not a secret)
    desks = list(network_selectors.public_desks())
    if not desks:
        raise RuntimeError("Geen gepubliceerde loketten: laad eerst de referentiegegevens.")
    desk_entries = []
    for desk in desks:
        events = [
            {
                "url": reverse("agenda_public:event_detail", args=[desk.slug, event.uuid]),
                "expect": escape(event.title),
            }
            for event in agenda_selectors.public_events(desk=desk)[:events_per_desk]
        ]
        desk_entries.append(_desk_entry(desk, events))
    offer_rows = list(
        Offer.objects.filter(is_active=True).order_by("?").values_list("uuid", "title")[:offers]
    )
    tests = list(selftests.TESTS.values())
    intros = [
        {
            "url": reverse("portal_public:selftest_intro", args=[test.kind]),
            "expect": escape(str(test.title)),
        }
        for test in tests
    ]
    for desk in desks[:10]:
        intros.extend(
            {
                "url": reverse("portal_public:desk_selftest_intro", args=[desk.slug, test.kind]),
                "expect": escape(str(test.title)),
            }
            for test in tests
        )
    return {
        "created": timezone.now().isoformat(timespec="seconds"),
        "names": {key: name for key, (_method, name) in GROUPS.items()},
        "home": reverse("public:home"),
        "postcodes": _postcodes(rng, postcodes),
        "desks": desk_entries,
        "all_events": reverse("agenda_public:national_event_list"),
        "selftests": reverse("portal_public:selftest_index"),
        "selftest_intros": intros,
        "search": {
            "url": reverse("catalogue_search:public"),
            "queries": SEARCH_QUERIES,
            "filters": _search_filters(),
        },
        "offers": [
            {"url": reverse("catalogue_search:offer_detail", args=[uuid]), "expect": escape(title)}
            for uuid, title in offer_rows
        ],
        "funding": reverse("funding_public:wizard"),
    }


def write_plan(path: Path, plan: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")


# -- something to book and join ------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    desks: int
    blocks: int
    events: int


def _working_days(start: datetime.date, count: int) -> list[datetime.date]:
    days: list[datetime.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def seed_agenda(*, days: int = 10, events_per_desk: int = 3) -> SeedResult:
    """Availability (a morning of 45-minute slots on every other working day of the next
    ``days``) and ``events_per_desk`` published events for every published desk that has an
    active adviser and nothing bookable or upcoming yet.
    Idempotent: a desk with free slots or upcoming events is left alone."""
    from leerwerk.agenda import selectors as agenda_selectors
    from leerwerk.agenda import services as agenda_services
    from leerwerk.agenda.constants import EventKind, SlotMode

    today = timezone.localdate()
    desks = blocks = events = 0
    for desk in network_selectors.public_desks():
        membership = (
            StaffMembership.objects.active_on(today)
            .filter(desk=desk, role=DeskRole.ADVISER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            continue
        adviser = membership.user
        location = Location.objects.public().filter(desk=desk).order_by("pk").first()
        touched = False
        if not agenda_selectors.free_slots(desk=desk).exists():
            for number, day in enumerate(_working_days(today + datetime.timedelta(days=1), days)):
                if number % 2:  # every other working day
                    continue
                with contextlib.suppress(ValidationError):  # e.g. the adviser has that morning
                    agenda_services.availability_block_create(
                        actor=adviser,
                        desk=desk,
                        adviser=adviser,
                        mode=SlotMode.LOCATION if location else SlotMode.VIDEO,
                        location=location,
                        date=day,
                        start_time=datetime.time(9, 0),
                        end_time=datetime.time(12, 0),
                        slot_minutes=45,
                    )
                    blocks += 1
                    touched = True
        if not agenda_selectors.public_events(desk=desk).exists():
            kinds = [EventKind.INFORMATION_MEETING, EventKind.ONLINE, EventKind.JOB_FAIR]
            for number in range(events_per_desk):
                kind = kinds[number % len(kinds)]
                starts = timezone.make_aware(
                    datetime.datetime.combine(
                        today + datetime.timedelta(days=7 * (number + 1)), datetime.time(14, 0)
                    )
                )
                agenda_services.event_create(
                    actor=adviser,
                    desk=desk,
                    title=_EVENT_TITLES[kind],
                    description=(
                        "Hoort u graag hoe u kunt leren naast uw werk, of hoe u een opleiding "
                        "betaalt? Kom langs en stel uw vragen. Aanmelden is gratis."
                    ),
                    kind=kind,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    location=location if kind != EventKind.ONLINE else None,
                    venue="" if location or kind == EventKind.ONLINE else desk.display_name,
                    online_url="https://example.org/webinar" if kind == EventKind.ONLINE else "",
                    capacity=40,
                    target_audience="Iedereen die wil leren of ander werk zoekt",
                    registration_open=True,
                    is_published=True,
                )
                events += 1
                touched = True
        desks += touched
    return SeedResult(desks=desks, blocks=blocks, events=events)


_EVENT_TITLES = {
    "information_meeting": "Informatiebijeenkomst: leren en werken",
    "online": "Webinar: geld voor een opleiding",
    "job_fair": "Banenmarkt: werken in de zorg en techniek",
}


# -- the production WSGI server --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(url: str, *, timeout: float, process: subprocess.Popen[bytes]) -> None:
    """Wait until ``url`` answers 200 (the server's /health/), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopte met code {process.returncode}.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} antwoordde niet binnen {timeout:.0f} s.")


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextlib.contextmanager
def serve(*, workers: int, threads: int, log_path: Path, timeout: float = 60) -> Iterator[Server]:
    """Run gunicorn with the production settings on a free local port until the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leerwerk.conf.settings",
        "DEBUG": "false",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "leerwerk.conf.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-tmp-dir",
        "/dev/shm" if Path("/dev/shm").is_dir() else "/tmp",  # noqa: S108 (gunicorn's heartbeat)
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for_health(f"{base_url}/health/", timeout=timeout, process=process)
            yield Server(url=base_url, pid=process.pid)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _process_cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def server_cpu(pid: int) -> dict[int, float]:
    """CPU seconds per process of a gunicorn master ``pid`` and its workers (Linux /proc)."""
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    return {each: seconds for each in pids if (seconds := _process_cpu_seconds(each)) is not None}


def database_cpu(*, since: datetime.datetime) -> dict[int, float]:
    """CPU seconds per PostgreSQL backend that connected to this database since ``since`` (the
    web server's persistent connections), when the server runs on this machine."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
            "AND backend_start >= %s",
            [since],
        )
        pids = [row[0] for row in cursor.fetchall()]
    return {pid: seconds for pid in pids if (seconds := _process_cpu_seconds(pid)) is not None}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (processes that started in between count whole)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def format_cpu(cpu: dict[str, float], requests: int) -> str:
    """'CPU per verzoek: gunicorn 9.0 ms, PostgreSQL 3.1 ms, Locust 1.2 ms.'"""
    if not requests or not cpu:
        return ""
    parts = [f"{name} {seconds * 1000 / requests:.1f} ms" for name, seconds in cpu.items()]
    return "CPU per verzoek: " + ", ".join(parts) + "."


def locustfile_path() -> Path:
    return Path(settings.PROJECT_DIR) / "loadtest" / "locustfile.py"


def run_locust(
    *,
    host: str,
    plan_path: Path,
    csv_prefix: Path,
    users: int,
    spawn_rate: float,
    duration: str,
    sweep: bool = False,
    locustfile: Path | None = None,
    log_path: Path | None = None,
) -> int:
    """Run Locust headless in its own process; returns its exit code (1 when requests failed)."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(locustfile or locustfile_path()),
        "--headless",
        "--host",
        host,
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        duration,
        "--stop-timeout",
        "60" if sweep else "10",  # a sweep (the test) always finishes
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--plan",
        str(plan_path),
    ]
    if sweep:
        command.append("--sweep")
    csv_prefix.parent.mkdir(parents=True, exist_ok=True)
    log_path = log_path or csv_prefix.with_name(csv_prefix.name + "_locust.log")
    with log_path.open("wb") as log:
        completed = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    return completed.returncode


# -- the summary -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    method: str
    name: str
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    rps: float

    @property
    def meets_goal(self) -> bool:
        return self.failures == 0 and self.p95_ms <= GOAL_P95_MS


@dataclass(frozen=True)
class Stats:
    rows: list[Row]  # per page group, in the order of GROUPS (unknown names last)
    total: Row
    exceptions: int  # errors in the locustfile itself (not requests)

    @property
    def meets_goal(self) -> bool:
        return self.total.meets_goal and self.exceptions == 0

    def requested(self) -> set[tuple[str, str]]:
        return {(row.method, row.name) for row in self.rows if row.requests}


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:  # "N/A" when there were no requests
        return 0.0


def _row(line: dict[str, str]) -> Row:
    return Row(
        method=line["Type"],
        name=line["Name"],
        requests=int(line["Request Count"]),
        failures=int(line["Failure Count"]),
        median_ms=_number(line["50%"]),
        p95_ms=_number(line["95%"]),
        p99_ms=_number(line["99%"]),
        rps=_number(line["Requests/s"]),
    )


def read_stats(csv_prefix: Path) -> Stats:
    """Read ``<prefix>_stats.csv`` and ``<prefix>_exceptions.csv`` written by Locust."""
    with Path(f"{csv_prefix}_stats.csv").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle))
    total = next((_row(line) for line in lines if line["Name"] == "Aggregated"), None)
    if total is None:
        raise RuntimeError("Locust schreef geen totaalregel: zijn er verzoeken gedaan?")
    order = {group: index for index, group in enumerate(GROUPS.values())}
    rows = sorted(
        (_row(line) for line in lines if line["Name"] != "Aggregated"),
        key=lambda row: (order.get((row.method, row.name), len(order)), row.name),
    )
    exceptions_path = Path(f"{csv_prefix}_exceptions.csv")
    exceptions = 0
    if exceptions_path.exists():
        with exceptions_path.open(encoding="utf-8", newline="") as handle:
            exceptions = sum(int(line["Count"]) for line in csv.DictReader(handle))
    return Stats(rows=rows, total=total, exceptions=exceptions)


def format_summary(stats: Stats) -> list[str]:
    """A Markdown table per page group plus the verdict, ready for docs/benchmarks.md."""
    lines = [
        "| paginagroep | methode | verzoeken | fouten | mediaan ms | p95 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in [*stats.rows, stats.total]:
        name = "**alles samen**" if row is stats.total else row.name
        mark = "" if row.meets_goal or row is stats.total else " ⚠"
        lines.append(
            f"| {name}{mark} | {row.method or '–'} | {row.requests:,} | {row.failures:,} "
            f"| {row.median_ms:.0f} | {row.p95_ms:.0f} | {row.p99_ms:.0f} |"
        )
    over = [row.name for row in stats.rows if not row.meets_goal]
    verdict = "GEHAALD" if stats.meets_goal else "NIET GEHAALD"
    lines.append("")
    lines.append(
        f"Doel p95 ≤ {GOAL_P95_MS:.0f} ms en 0 fouten: {verdict} "
        f"(p95 {stats.total.p95_ms:.0f} ms, {stats.total.failures} fouten, "
        f"{stats.exceptions} fouten in het script, {stats.total.rps:.1f} verzoeken/s)."
    )
    if over and len(over) == len(stats.rows):
        lines.append("Alle paginagroepen zitten boven het doel of hadden fouten (⚠).")
    elif over:
        lines.append("Paginagroepen boven het doel of met fouten (⚠): " + ", ".join(over) + ".")
    return lines


def machine_line() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load}"
