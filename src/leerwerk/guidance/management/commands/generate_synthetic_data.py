import time

from django.core.management.base import BaseCommand, CommandError

from leerwerk.guidance.synthetic import generate


class Command(BaseCommand):
    help = (
        "Add synthetic clients, trajectories and registrations for benchmarks (fake people, "
        "@synthetisch.test). Streams into the database; memory stays bounded."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--clients", type=int, default=10_000)
        parser.add_argument("--registrations", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--chunk", type=int, default=5_000, help="clients per transaction")
        parser.add_argument(
            "--scale-registrations-to",
            type=int,
            default=0,
            help="PostgreSQL: afterwards copy registrations (dates shifted) up to this total",
        )

    def handle(  # type: ignore[no-untyped-def]
        self, *args, clients: int, registrations: int, seed: int, chunk: int, **options
    ):  # type: ignore[no-untyped-def]
        if clients <= 0 or registrations < 0 or chunk <= 0:
            raise CommandError(
                "--clients en --chunk moeten groter dan 0 zijn, --registrations minstens 0."
            )
        started = time.perf_counter()

        def report(progress):  # type: ignore[no-untyped-def]
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"{progress.clients:>10,} klanten  {progress.trajectories:>10,} trajecten  "
                f"{progress.registrations:>12,} registraties  ({elapsed:,.0f} s)"
            )

        progress = generate(
            clients=clients, registrations=registrations, seed=seed, report=report, chunk=chunk
        )
        if target := options["scale_registrations_to"]:
            from leerwerk.guidance.synthetic_scale import scale_registrations_to

            added = scale_registrations_to(target, seed=seed, report=self.stdout.write)
            progress.registrations += added
        self.stdout.write(
            self.style.SUCCESS(
                f"Klaar: {progress.clients:,} klanten, {progress.trajectories:,} trajecten, "
                f"{progress.registrations:,} registraties in {time.perf_counter() - started:,.0f} s."
            )
        )
