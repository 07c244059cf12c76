from __future__ import annotations

import pytest

from leerwerk.catalogue.demo import DEMO_OFFERS, load_demo_catalogue
from leerwerk.catalogue.models import Offer, OpportunityOccupation, TrainingRoute
from leerwerk.core.constants import DeskRole
from leerwerk.network.tests.factories import StaffMembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_loaded_once(desk_a):  # type: ignore[no-untyped-def]
    StaffMembershipFactory(
        desk=desk_a, role=DeskRole.DESK_MANAGER, user__email="pl@demo.leerwerk.test"
    )

    assert load_demo_catalogue() == (DEMO_OFFERS, 5)
    assert load_demo_catalogue() == (0, 0)

    assert Offer.objects.filter(is_active=True).count() == DEMO_OFFERS
    assert OpportunityOccupation.objects.filter(desk=desk_a).count() == 5
    assert TrainingRoute.objects.filter(qualification__code="25655").exists()
    assert TrainingRoute.objects.filter(offer__isnull=False).count() >= 3
