import datetime
import logging
import resource
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from leerwerk.portal import loadtest


class Command(BaseCommand):
    help = (
        "Load test of the public portal (issue 7): writes the plan of URLs from this database, "
        "starts gunicorn with the production settings on a free local port, runs Locust headless "
        "(loadtest/locustfile.py) and prints p95 per page group against the goal "
        "(p95 ≤ 100 ms, 0 errors). Uses DATABASE_URL as given."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--users", type=int, default=50, help="Simulated citizens (50).")
        parser.add_argument("--spawn-rate", type=float, default=10, help="New users per second.")
        parser.add_argument(
            "--duration", default="3m", help="How long, in Locust's notation: 90s, 3m (3m)."
        )
        parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker (4).")
        parser.add_argument(
            "--host",
            default="",
            help="Test a server that is already running (e.g. http://127.0.0.1:8000) instead "
            "of starting gunicorn; skips collectstatic.",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="Directory for the plan, Locust's CSV files and the logs (var/loadtest/).",
        )
        parser.add_argument(
            "--seed-agenda",
            action="store_true",
            help="First give every desk with an adviser free times and three published events "
            "(for a load-test or demo database only: it publishes events).",
        )
        parser.add_argument(
            "--plan-only", action="store_true", help="Only write the plan (plan.json) and stop."
        )
        parser.add_argument(
            "--sweep", action="store_true", help="Every user visits each page group once first."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with an error when the goal is not met (for scripts).",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        out: Path = options["out"] or Path(settings.VAR_DIR) / "loadtest"
        out.mkdir(parents=True, exist_ok=True)
        if options["seed_agenda"]:
            if settings.HTTPS:
                raise CommandError(
                    "Dit lijkt een productie-installatie (LEERWERK_HTTPS staat aan): "
                    "--seed-agenda zet activiteiten op de website. Gebruik een testdatabase."
                )
            seeded = loadtest.seed_agenda()
            self.stdout.write(
                f"Agenda: {seeded.blocks} dagdelen beschikbaarheid en {seeded.events} "
                f"activiteiten bij {seeded.desks} loketten."
            )
        try:
            plan = loadtest.build_plan()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        plan_path = out / "plan.json"
        loadtest.write_plan(plan_path, plan)
        events = sum(len(desk["event_pages"]) for desk in plan["desks"])
        self.stdout.write(
            f"Plan: {len(plan['desks'])} loketten, {len(plan['postcodes'])} postcodes, "
            f"{events} activiteiten, {len(plan['offers'])} opleidingen → {plan_path}"
        )
        if options["plan_only"]:
            return

        started = datetime.datetime.now().astimezone()
        prefix = out / f"portal-{started:%Y%m%d-%H%M%S}"
        self.stdout.write(f"Machine voor de meting: {loadtest.machine_line()}")
        cpu: dict[str, float] = {}
        if options["host"]:
            code = self._locust(options["host"], plan_path, prefix, options, cpu)
        else:
            # The manifest storage of production needs the collected files.
            logging.getLogger("django").setLevel(logging.WARNING)
            call_command("collectstatic", interactive=False, verbosity=0)
            log = Path(f"{prefix}_gunicorn.log")
            self.stdout.write(
                f"gunicorn: {options['workers']} workers × {options['threads']} threads, "
                f"DEBUG uit, database {connection.vendor} (log: {log})"
            )
            since = timezone.now()
            try:
                with loadtest.serve(
                    workers=options["workers"], threads=options["threads"], log_path=log
                ) as server:
                    web, database = (
                        loadtest.server_cpu(server.pid),
                        loadtest.database_cpu(since=since),
                    )
                    code = self._locust(server.url, plan_path, prefix, options, cpu)
                    cpu["gunicorn"] = loadtest.cpu_used(web, loadtest.server_cpu(server.pid))
                    if database_after := loadtest.database_cpu(since=since):
                        cpu["PostgreSQL"] = loadtest.cpu_used(database, database_after)
            except RuntimeError as exc:
                raise CommandError(f"{exc} Zie {log}.") from exc
        try:
            stats = loadtest.read_stats(prefix)
        except (OSError, RuntimeError) as exc:
            raise CommandError(
                f"Geen resultaten van Locust (code {code}): {exc} Zie {prefix}_locust.log."
            ) from exc
        self.stdout.write("")
        self.stdout.write(
            f"{started:%Y-%m-%d %H:%M} · {options['users']} gebruikers · {options['duration']} · "
            f"{loadtest.machine_line()} (na de meting)"
        )
        for line in loadtest.format_summary(stats):
            self.stdout.write(line)
        if cpu_line := loadtest.format_cpu(cpu, stats.total.requests):
            self.stdout.write(cpu_line)
        self.stdout.write(f"CSV: {prefix}_stats.csv")
        if options["check"] and not stats.meets_goal:
            raise CommandError("Het doel is niet gehaald.")

    def _locust(self, host: str, plan_path: Path, prefix: Path, options: dict, cpu: dict) -> int:
        self.stdout.write(
            f"Locust: {options['users']} gebruikers (+{options['spawn_rate']:g}/s), "
            f"{options['duration']}, tegen {host} …"
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        code = loadtest.run_locust(
            host=host,
            plan_path=plan_path,
            csv_prefix=prefix,
            users=options["users"],
            spawn_rate=options["spawn_rate"],
            duration=options["duration"],
            sweep=options["sweep"],
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu["Locust"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return code
