"""The report benchmark command runs on a small synthetic dataset and reports every row."""

import io

import pytest
from django.core.management import CommandError, call_command

from leerwerk.guidance.synthetic import generate
from leerwerk.reporting.models import FigureCache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_in_test_transaction")]


def test_bench_reports_prints_every_measurement_and_leaves_a_warm_cache():
    generate(clients=60, registrations=600, seed=4, chunk=30)
    out = io.StringIO()
    call_command("bench_reports", period="2025-H2", repeat=2, cold_repeat=1, stdout=out)
    text = out.getvalue()
    for name in (
        "kale SQL GROUP BY",
        "landelijk overzicht, lege cache",
        "landelijk overzicht, uit de cache",
        "na een late wijziging bij het grootste loket",
        "na een late wijziging bij het middelste loket",
        "loketrapport grootste loket, uit de cache",
        "loketrapport-pagina (WSGI)",
    ):
        assert name in text
    assert FigureCache.objects.exists()


def test_the_late_edits_of_the_benchmark_are_undone_and_checked():
    from leerwerk.guidance.models import Registration

    generate(clients=60, registrations=600, seed=4, chunk=30)
    before = dict(Registration.objects.values_list("pk", "status"))
    call_command("bench_reports", period="2025-H2", repeat=2, cold_repeat=3, stdout=io.StringIO())
    assert dict(Registration.objects.values_list("pk", "status")) == before


def test_bench_reports_rejects_a_bad_period():
    with pytest.raises(CommandError, match="JJJJ-H1"):
        call_command("bench_reports", period="2025-Q3")
