"""Demo CRM data: every demo desk gets something to show, idempotently, obviously fake."""

import pytest

from leerwerk.clients.models import Client
from leerwerk.guidance.demo import DEMO_CLIENT_DOMAIN, load_demo_crm
from leerwerk.guidance.models import IntakeRequest, Registration, Trajectory
from leerwerk.network.demo import load_demo_data
from leerwerk.reporting.selectors import compute_report, standard_periods

pytestmark = pytest.mark.django_db


def test_demo_crm_is_idempotent_and_fills_the_report():
    load_demo_data()
    assert load_demo_crm() == 4
    counts = (Client.objects.count(), Trajectory.objects.count(), Registration.objects.count())
    assert load_demo_crm() == 0
    assert (
        Client.objects.count(),
        Trajectory.objects.count(),
        Registration.objects.count(),
    ) == counts
    assert Client.objects.filter(email__endswith=f"@{DEMO_CLIENT_DOMAIN}").count() == 20
    assert all(
        name.startswith("Demoklant")
        for name in Client.objects.values_list("family_name", flat=True)
    )
    assert IntakeRequest.objects.filter(status="new").count() == 8
    # the desk report shows advice conversations and citizens reached somewhere in its periods
    desk_id = Client.objects.values_list("desk_id", flat=True).first()
    report = compute_report(desk_ids=[desk_id], periods=standard_periods())
    assert any(cell.value for cell in report.row("adviesgesprekken").cells)
    assert any(cell.value for cell in report.row("burgers-bereikt").cells)
