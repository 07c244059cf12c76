"""Synthetic CRM data at national scale, for benchmarks (never for demos of real people).

Streams rows straight into the database — COPY on PostgreSQL, batched inserts on SQLite — so
memory stays bounded whatever the size. Distribution: a few large desks and many small ones
(desk weight ∝ region population²), about 1.3 trajectories per client, registrations spread
over 2023 up to today. Every person is obviously fake: e-mail addresses end in
``@synthetisch.test`` and family names start with "Synth".
"""

from __future__ import annotations

import bisect
import datetime
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from leerwerk.accounts.models import User
from leerwerk.clients.models import Client
from leerwerk.core.constants import DeskRole
from leerwerk.guidance.constants import (
    Channel,
    IntakeChannel,
    Outcome,
    QuestionTheme,
    RegistrationStatus,
    TrajectoryStatus,
)
from leerwerk.guidance.models import Registration, RegistrationType, Trajectory
from leerwerk.guidance.vocabulary import (
    ADVICE_CONVERSATION,
    COMPETENCE_TEST,
    INFORMATION_CONTACT,
    INTAKE,
)
from leerwerk.network.models import Desk, Postcode, StaffMembership

EMAIL_DOMAIN = "synthetisch.test"
START = datetime.date(2023, 1, 1)
GIVEN = [
    "Aafke",
    "Bas",
    "Cor",
    "Dewi",
    "Eef",
    "Fenna",
    "Gijs",
    "Hanna",
    "Ids",
    "Joke",
    "Kees",
    "Lotte",
    "Mees",
    "Nina",
    "Olaf",
    "Pien",
    "Quinn",
    "Roos",
    "Sem",
    "Tess",
    "Ugo",
    "Vera",
    "Wim",
    "Yara",
    "Zeno",
]
SYLLABLES = [
    "ber",
    "dam",
    "gen",
    "hof",
    "kamp",
    "land",
    "man",
    "sma",
    "stra",
    "veld",
    "wijk",
    "ma",
    "ker",
    "link",
    "horst",
    "brink",
    "bos",
    "dijk",
    "huis",
    "meer",
]


@dataclass
class Progress:
    clients: int = 0
    trajectories: int = 0
    registrations: int = 0
    started: float = field(default_factory=lambda: timezone.now().timestamp())


def _family_names(count: int = 20_000) -> list[str]:
    """``count`` distinct fake family names ("Synth…"), in a fixed order."""
    names = []
    for a in SYLLABLES:
        for b in SYLLABLES:
            for c in ["", *SYLLABLES]:
                names.append(f"Synth{a}{b}{c}")
    return sorted(set(names))[:count]


class _FamilyNamePicker:
    """Family names with a realistic skew: rank r is chosen with weight 1/(r + 30), so the most
    common name covers about 0.5% of people (as 'de Jong' does in the Netherlands) and most
    names are rare."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names = _family_names()
        rng.shuffle(self.names)
        total, self.cumulative = 0.0, []
        for rank in range(len(self.names)):
            total += 1 / (rank + 30)
            self.cumulative.append(total)
        self.total = total

    def pick(self) -> str:
        return self.names[bisect.bisect_left(self.cumulative, self.rng.random() * self.total)]


def _desk_weights(desks: list[Desk]) -> list[float]:
    weights = [float(desk.region.population) ** 2 for desk in desks]
    total = sum(weights)
    return [w / total for w in weights]


def _ensure_advisers(desk: Desk, count: int) -> list[int]:
    """Synthetic advisers for a desk (idempotent); returns their user ids."""
    ids = []
    for i in range(count):
        email = f"synth-adviseur-{desk.pk}-{i}@{EMAIL_DOMAIN}"
        user, _ = User.objects.get_or_create(
            email=email, defaults={"name": f"Synth Adviseur {desk.pk}-{i}"}
        )
        StaffMembership.objects.get_or_create(
            user=user,
            desk=desk,
            defaults={
                "role": DeskRole.ADVISER,
                "fte": Decimal("0.80"),
                "start_date": START,
            },
        )
        ids.append(user.pk)
    return ids


def _next_id(model: type) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')  # noqa: S608
        return int(cursor.fetchone()[0]) + 1


class _Sink:
    """Writes rows to one table: COPY on PostgreSQL, executemany batches elsewhere."""

    def __init__(self, model: type, batch: int = 5000):
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.batch: list[tuple] = []
        self.batch_size = batch
        self.copy = None
        self.cursor = connection.cursor()
        if connection.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in self.columns)
            self._copy_cm = self.cursor.cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN')
            self.copy = self._copy_cm.__enter__()

    def write(self, row: tuple) -> None:
        if self.copy is not None:
            self.copy.write_row(row)
            return
        self.batch.append(
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(self.fields, row, strict=True))
        )
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            cols = ", ".join(f'"{c}"' for c in self.columns)
            marks = ", ".join(["%s"] * len(self.columns))
            sql = f'INSERT INTO "{self.table}" ({cols}) VALUES ({marks})'  # noqa: S608
            self.cursor.executemany(sql, self.batch)
            self.batch = []

    def close(self) -> None:
        if self.copy is not None:
            self._copy_cm.__exit__(None, None, None)
        else:
            self.flush()
        self.cursor.close()


def generate(
    *,
    clients: int,
    registrations: int,
    seed: int = 1,
    report: Callable[[Progress], None] | None = None,
    chunk: int = 5_000,
) -> Progress:
    """Add ``clients`` synthetic clients and about ``registrations`` registrations."""
    rng = random.Random(seed)  # noqa: S311 (reproducible synthetic data, not security)
    family_names = _FamilyNamePicker(rng)
    today = timezone.localdate()
    span = (today - START).days
    desks = list(Desk.objects.select_related("region").order_by("pk"))
    weights = _desk_weights(desks)
    advisers = {
        desk.pk: _ensure_advisers(desk, max(2, round(40 * weight**0.5)))
        for desk, weight in zip(desks, weights, strict=True)
    }
    postcodes: dict[int, list[tuple[str, int]]] = {}
    for code, municipality_id, region_id in Postcode.objects.filter(
        municipality__isnull=False
    ).values_list("code", "municipality_id", "municipality__region_id"):
        postcodes.setdefault(region_id, []).append((code, municipality_id))
    types = {t.code: t for t in RegistrationType.objects.filter(version__number=1)}
    instrument_types = [t for t in types.values() if t.kind == "instrument"]
    referral_types = [t for t in types.values() if t.kind == "referral"]
    per_client = registrations / max(clients, 1)
    themes = QuestionTheme.values
    channels = [Channel.IN_PERSON, Channel.IN_PERSON, Channel.PHONE, Channel.VIDEO]
    intake_channels = IntakeChannel.values
    outcomes = Outcome.values
    progress = Progress()
    next_client, next_trajectory, next_registration = (
        _next_id(Client),
        _next_id(Trajectory),
        _next_id(Registration),
    )
    now = timezone.now()
    cumulative = []
    acc = 0.0
    for weight in weights:
        acc += weight
        cumulative.append(acc)

    def pick_desk() -> Desk:
        r = rng.random()
        lo, hi = 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] < r:
                lo = mid + 1
            else:
                hi = mid
        return desks[lo]

    def registration_row(
        desk_id, type_, day, client_id, trajectory_id, adviser_id, channel, status, duration
    ):  # type: ignore[no-untyped-def]
        nonlocal next_registration
        row = (
            next_registration,
            uuid.uuid4(),
            now,
            now,
            1,
            desk_id,
            type_.kind,
            type_.pk,
            day,
            client_id,
            trajectory_id,
            None,
            None,
            adviser_id,
            channel,
            status,
            duration,
            "",
        )
        next_registration += 1
        progress.registrations += 1
        return row

    def rows_for_client() -> Iterator[tuple[str, tuple]]:
        nonlocal next_client, next_trajectory
        desk = pick_desk()
        client_id = next_client
        next_client += 1
        code, municipality_id = rng.choice(postcodes[desk.region_id])
        letters = chr(65 + rng.randrange(26)) + chr(65 + rng.randrange(26))
        given = rng.choice(GIVEN)
        yield (
            "client",
            (
                client_id,
                uuid.uuid4(),
                now,
                now,
                1,
                desk.pk,
                given,
                family_names.pick(),
                f"klant{client_id}@{EMAIL_DOMAIN}",
                f"06{client_id % 100_000_000:08d}",
                "email",
                rng.randint(1955, 2006),
                f"{code} {letters}",
                municipality_id,
                "other",
                "unknown",
                False,
                False,
                "",
                "",
                None,
                None,
            ),
        )
        progress.clients += 1
        budget = max(1, round(rng.expovariate(1 / per_client)))
        n_trajectories = 1 + (rng.random() < 0.3)
        for t in range(n_trajectories):
            trajectory_id = next_trajectory
            next_trajectory += 1
            opened = START + datetime.timedelta(days=rng.randrange(span))
            is_closed = (today - opened).days > 90 and rng.random() < 0.85
            closed = (
                min(today, opened + datetime.timedelta(days=rng.randint(7, 120)))
                if is_closed
                else None
            )
            adviser_id = rng.choice(advisers[desk.pk])
            follow_up = None if is_closed else opened + datetime.timedelta(days=rng.randint(7, 200))
            yield (
                "trajectory",
                (
                    trajectory_id,
                    uuid.uuid4(),
                    now,
                    now,
                    1,
                    desk.pk,
                    client_id,
                    None,
                    rng.choice(themes),
                    TrajectoryStatus.CLOSED
                    if is_closed
                    else rng.choice([TrajectoryStatus.INTAKE, TrajectoryStatus.IN_PROGRESS]),
                    adviser_id,
                    rng.choice(intake_channels),
                    None,
                    None,
                    opened,
                    follow_up,
                    closed,
                    rng.choice(outcomes) if is_closed else "",
                    closed,
                ),
            )
            progress.trajectories += 1
            last = closed or today
            window = max(0, (last - opened).days)
            share = budget // n_trajectories + (1 if t < budget % n_trajectories else 0)
            for k in range(share):
                day = opened + datetime.timedelta(days=rng.randint(0, window))
                if k == 0:
                    type_, status = types[INTAKE], RegistrationStatus.COMPLETED
                else:
                    r = rng.random()
                    if r < 0.7:
                        type_ = types[ADVICE_CONVERSATION]
                    elif r < 0.8:
                        type_ = (
                            types[COMPETENCE_TEST]
                            if rng.random() < 0.5
                            else rng.choice(instrument_types)
                        )
                    elif r < 0.9:
                        type_ = rng.choice(referral_types)
                    else:
                        type_ = types[INFORMATION_CONTACT]
                    status = RegistrationStatus.COMPLETED
                    if type_.kind == "contact_moment" and rng.random() < 0.1:
                        status = rng.choice(
                            [RegistrationStatus.CANCELLED, RegistrationStatus.NO_SHOW]
                        )
                is_contact = type_.kind == "contact_moment"
                yield (
                    "registration",
                    registration_row(
                        desk.pk,
                        type_,
                        day,
                        client_id,
                        trajectory_id if type_.needs_trajectory else None,
                        adviser_id,
                        rng.choice(channels) if is_contact else "",
                        status,
                        rng.choice([30, 45, 60, 90])
                        if status == RegistrationStatus.COMPLETED and is_contact
                        else None,
                    ),
                )

    _report_triggers(enabled=False)
    try:
        remaining = clients
        while remaining > 0:
            size = min(chunk, remaining)
            # One chunk at a time: parents before children, one COPY stream at a time (a
            # connection runs one COPY at once). Memory is bounded by the chunk size.
            buffered: dict[str, list[tuple]] = {"client": [], "trajectory": [], "registration": []}
            for _ in range(size):
                for table, row in rows_for_client():
                    buffered[table].append(row)
            with transaction.atomic():
                for table, model in (
                    ("client", Client),
                    ("trajectory", Trajectory),
                    ("registration", Registration),
                ):
                    sink = _Sink(model)
                    for row in buffered[table]:
                        sink.write(row)
                    sink.close()
            remaining -= size
            if report:
                report(progress)
    finally:
        _report_triggers(enabled=True)
    _finish()
    return progress


def _report_triggers(*, enabled: bool) -> None:
    """On PostgreSQL, switch the per-row change-counter trigger of the reports off for a bulk
    load (it would otherwise run once per row) and forget every cached figure afterwards, which
    is what the trigger would have achieved. On SQLite the triggers stay on (small loads)."""
    if connection.vendor != "postgresql":
        return
    from leerwerk.reporting.aggregates import forget_cached_figures

    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        # Inside a transaction, deferred foreign-key checks must run first (ALTER TABLE refuses
        # a table with pending trigger events).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"ALTER TABLE guidance_registration {action} TRIGGER reporting_registration_generation"
        )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    if enabled:
        forget_cached_figures()


def _finish() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Client, Trajectory, Registration):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))"  # noqa: S608
            )
            cursor.execute(f'ANALYZE "{table}"')
