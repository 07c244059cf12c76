"""The portal load test (``leerwerk loadtest``, ``loadtest/locustfile.py``).

The main test runs the real locustfile in its own process for a few seconds with three users
against a live server on the test database with the demo data: every page group must be requested and no
request may fail, so a renamed URL, a changed page or a broken form breaks this test. The
others check the agenda seed and the verdict on Locust's CSV.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from leerwerk.network.models import Desk
from leerwerk.portal import loadtest
from leerwerk.portal.models import PageVisitCount, SelfTestSession


@pytest.fixture
def demo_data(transactional_db):  # type: ignore[no-untyped-def]
    """Transactional tests empty the database afterwards, including what migrations seeded.
    Seed it again, then load the demo desks, catalogue and funding examples."""
    from django.apps import apps

    from leerwerk.catalogue.demo import load_demo_catalogue
    from leerwerk.conftest import load_reference
    from leerwerk.funding.examples import seed as seed_funding_examples
    from leerwerk.network.demo import load_demo_data

    importlib.import_module("leerwerk.network.migrations.0002_seed_configuration").seed(apps, None)
    load_reference()
    load_demo_data()
    load_demo_catalogue()
    seed_funding_examples(apps)


class _SerialWSGIServer(WSGIServer):
    """One request at a time, for the in-memory SQLite test database: its one connection is
    shared with the server thread, and two requests at once would interleave their
    transactions. PostgreSQL gets the threaded server (a connection per request)."""

    def __init__(self, *args, connections_override=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)


@pytest.fixture
def portal_server(demo_data) -> Iterator[str]:
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()  # type: ignore[attr-defined]
    }

    class ServerThread(LiveServerThread):
        server_class = _SerialWSGIServer if shared else ThreadedWSGIServer

    thread = ServerThread("127.0.0.1", _StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


def test_every_page_group_answers_under_load_without_errors(
    portal_server, tmp_path, count_visits, capsys
):  # type: ignore[no-untyped-def]
    # given: the demo desks with free times and events
    seeded = loadtest.seed_agenda(days=2, events_per_desk=2)
    assert seeded.events > 0 and seeded.blocks > 0

    # when: three citizens visit every page group once, then follow the weighted mix
    call_command(
        "loadtest",
        host=portal_server,
        users=3,
        spawn_rate=3,
        duration="6s",
        sweep=True,
        out=tmp_path,
    )

    # then: every page group was requested and nothing failed
    (stats_csv,) = tmp_path.glob("portal-*_stats.csv")
    prefix = stats_csv.with_name(stats_csv.name.removesuffix("_stats.csv"))
    stats = loadtest.read_stats(prefix)
    log = Path(f"{prefix}_locust.log").read_text(encoding="utf-8")
    assert stats.total.failures == 0, log[-3000:]
    assert stats.exceptions == 0, log[-3000:]
    assert set(loadtest.GROUPS.values()) <= stats.requested(), log[-3000:]
    assert stats.total.requests >= 3 * len(loadtest.GROUPS)
    # the journeys really ran: self-tests were started and the visits counted (no bot)
    assert SelfTestSession.objects.filter(completed_at__isnull=False).exists()
    assert PageVisitCount.objects.filter(page="public:desk_detail").exists()
    output = capsys.readouterr().out
    assert "| **alles samen** |" in output
    assert "Doel p95 ≤ 100 ms en 0 fouten:" in output


@pytest.mark.django_db
def test_seed_agenda_leaves_desks_that_have_times_and_events_alone(desk_a, adviser_a):
    first = loadtest.seed_agenda(days=4, events_per_desk=2)
    again = loadtest.seed_agenda(days=4, events_per_desk=2)

    assert (first.desks, first.blocks, first.events) == (1, 2, 2)  # every other working day
    assert (again.desks, again.blocks, again.events) == (0, 0, 0)


@pytest.mark.django_db
def test_seed_agenda_is_refused_on_a_production_like_installation(settings, tmp_path):
    settings.HTTPS = True
    with pytest.raises(CommandError, match="productie-installatie"):
        call_command("loadtest", seed_agenda=True, plan_only=True, out=tmp_path)


@pytest.mark.django_db
def test_plan_holds_reversed_urls_and_escaped_texts(desk_a, tmp_path):
    Desk.objects.filter(pk=desk_a.pk).update(display_name="Loket <Rijnmond> & Co")

    call_command("loadtest", plan_only=True, out=tmp_path)

    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    rijnmond = next(desk for desk in plan["desks"] if desk["slug"] == desk_a.slug)
    assert rijnmond["home"] == f"/loketten/{desk_a.slug}/"
    assert rijnmond["slots"] == f"/loketten/{desk_a.slug}/afspraak/"
    assert rijnmond["name"] == "Loket &lt;Rijnmond&gt; &amp; Co"  # as the template prints it
    assert len(plan["desks"]) == 35
    assert all(postcode["expect"].startswith("Postcode ") for postcode in plan["postcodes"])
    assert plan["names"]["desk_home"] == loadtest.GROUPS["desk_home"][1]


STATS_HEADER = [
    "Type", "Name", "Request Count", "Failure Count", "Median Response Time",
    "Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size",
    "Requests/s", "Failures/s", "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%",
    "99.9%", "99.99%", "100%",
]  # fmt: skip


def _write_stats(prefix: Path, rows: list[tuple[str, str, int, int, int, int]]) -> None:
    """Locust's stats CSV: (method, name, requests, failures, median, p95) per row."""
    with Path(f"{prefix}_stats.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(STATS_HEADER)
        for method, name, count, failures, median, p95 in rows:
            writer.writerow(
                [method, name, count, failures, median, median, 1, p95 * 2, 9000, 10.5, 0]
                + [median] * 4
                + [p95] * 3
                + [p95 * 2] * 4
            )


@pytest.mark.parametrize(
    ("rows", "met", "flagged"),
    [
        (
            [("GET", "landelijke home", 100, 0, 20, 60), ("", "Aggregated", 100, 0, 20, 60)],
            True,
            [],
        ),
        (  # one page group over the goal, the total still under it
            [
                ("GET", "landelijke home", 990, 0, 20, 60),
                ("GET", "opleiding", 10, 0, 90, 300),
                ("", "Aggregated", 1000, 0, 20, 80),
            ],
            True,
            ["opleiding"],
        ),
        (
            [("GET", "landelijke home", 100, 0, 50, 120), ("", "Aggregated", 100, 0, 50, 120)],
            False,
            ["landelijke home"],
        ),
        (  # fast, but one error
            [("GET", "landelijke home", 100, 1, 10, 20), ("", "Aggregated", 100, 1, 10, 20)],
            False,
            ["landelijke home"],
        ),
    ],
)
def test_verdict_against_the_goal(tmp_path, rows, met, flagged):  # type: ignore[no-untyped-def]
    prefix = tmp_path / "run"
    _write_stats(prefix, rows)

    stats = loadtest.read_stats(prefix)
    summary = "\n".join(loadtest.format_summary(stats))

    assert stats.meets_goal is met
    assert [row.name for row in stats.rows if not row.meets_goal] == flagged
    assert ("NIET GEHAALD" in summary) is not met
    for name in flagged:
        assert f"| {name} ⚠ |" in summary


def test_errors_in_the_script_fail_the_goal(tmp_path):
    prefix = tmp_path / "run"
    _write_stats(prefix, [("GET", "landelijke home", 10, 0, 5, 9), ("", "Aggregated", 10, 0, 5, 9)])
    Path(f"{prefix}_exceptions.csv").write_text(
        "Count,Message,Traceback,Nodes\n2,KeyError,trace,local\n", encoding="utf-8"
    )

    stats = loadtest.read_stats(prefix)

    assert stats.exceptions == 2
    assert not stats.meets_goal
