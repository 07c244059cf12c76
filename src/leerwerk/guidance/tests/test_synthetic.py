"""The synthetic data generator writes consistent, obviously fake data."""

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from leerwerk.clients.models import Client
from leerwerk.guidance.models import Registration, Trajectory
from leerwerk.guidance.synthetic import EMAIL_DOMAIN, START, generate

pytestmark = pytest.mark.django_db


def test_generator_writes_consistent_fake_data():
    progress = generate(clients=300, registrations=3000, seed=7, chunk=100)
    clients = Client.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    assert progress.clients == clients.count() == 300
    assert Trajectory.objects.filter(client__in=clients).count() == progress.trajectories
    registrations = Registration.objects.filter(desk__clients__in=clients).distinct()
    assert Registration.objects.count() == progress.registrations
    assert 2000 <= progress.registrations <= 4500  # about the requested number
    # every row belongs to the desk of its client and trajectory
    assert not Trajectory.objects.exclude(desk_id=F("client__desk_id")).exists()
    assert (
        not Registration.objects.filter(client__isnull=False)
        .exclude(desk_id=F("client__desk_id"))
        .exists()
    )
    assert (
        not Registration.objects.filter(trajectory__isnull=False)
        .exclude(client_id=F("trajectory__client_id"))
        .exists()
    )
    # types match their kind; obviously fake names
    assert not Registration.objects.exclude(kind=F("type__kind")).exists()
    assert all(name.startswith("Synth") for name in clients.values_list("family_name", flat=True))
    # the municipality matches the postcode's
    sample = clients.select_related("municipality")[:50]
    from leerwerk.network.models import Postcode

    for client in sample:
        assert (
            Postcode.objects.get(code=client.postcode[:4]).municipality_id == client.municipality_id
        )
    assert registrations.exists()


def test_a_second_run_adds_without_collisions():
    generate(clients=50, registrations=200, seed=1, chunk=20)
    generate(clients=50, registrations=200, seed=2, chunk=20)
    assert Client.objects.count() == 100
    assert Client.objects.values("uuid").distinct().count() == 100


@pytest.mark.skipif(connection.vendor != "postgresql", reason="scaling up is PostgreSQL only")
def test_scaling_up_copies_consistent_registrations_and_rebuilds_the_indexes():
    from leerwerk.guidance.synthetic_scale import TABLE, scale_registrations_to

    generate(clients=50, registrations=500, seed=5, chunk=50)
    before = Registration.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes_before = sorted(row[0] for row in cursor.fetchall())
    added = scale_registrations_to(before * 3 - 7, seed=2)
    assert added == before * 2 - 7
    assert Registration.objects.count() == before * 3 - 7
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])
        assert sorted(row[0] for row in cursor.fetchall()) == indexes_before
    # every copy stays at its client's desk, within the synthetic date range, with a unique uuid
    assert not Registration.objects.exclude(desk_id=F("client__desk_id")).exists()
    assert not Registration.objects.filter(occurred_on__lt=START).exists()
    assert not Registration.objects.filter(occurred_on__gt=timezone.localdate()).exists()
    assert Registration.objects.values("uuid").distinct().count() == before * 3 - 7
    # and the change-counter trigger is on again
    reg = Registration.objects.first()
    Registration.objects.filter(pk=reg.pk).update(
        status="cancelled" if reg.status != "cancelled" else "completed"
    )
    from leerwerk.reporting.models import RegistrationGeneration

    assert RegistrationGeneration.objects.filter(desk_id=reg.desk_id).exists()
