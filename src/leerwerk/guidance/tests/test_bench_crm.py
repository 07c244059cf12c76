"""The CRM benchmark command runs on a small synthetic dataset and reports its three pages."""

import io

import pytest
from django.core.management import CommandError, call_command

from leerwerk.guidance.synthetic import generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_in_test_transaction")]


def test_bench_crm_measures_the_three_pages_and_the_fixed_cost():
    generate(clients=80, registrations=800, seed=9, chunk=40)
    out = io.StringIO()
    call_command("bench_crm", repeat=3, stdout=out)
    text = out.getvalue()
    for name in ("startpagina medewerkers", "werklijst", "klant zoeken", "klantpagina"):
        assert name in text


def test_bench_crm_without_data_says_what_to_do():
    with pytest.raises(CommandError, match="generate_synthetic_data"):
        call_command("bench_crm", repeat=1, stdout=io.StringIO())
