"""Factories for funding arrangements and conditions. They write rows directly (no services,
no history); use the services in tests of behaviour."""

import factory
from django.utils import timezone

from leerwerk.funding.constants import ConditionKind, Operator, Provider, Scope
from leerwerk.funding.models import Condition, FundingArrangement


class ArrangementFactory(factory.django.DjangoModelFactory):
    """A national arrangement in use, checked today, without conditions."""

    class Meta:
        model = FundingArrangement
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testregeling {n}")
    provider = Provider.NATIONAL_GOVERNMENT
    provider_name = "Rijksoverheid"
    scope = Scope.NATIONAL
    desk = None
    audience = "Voor iedereen die wil leren."
    how_to_apply = "Vraag het aan via de website."
    checked_on = factory.LazyFunction(timezone.localdate)
    is_active = True


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    arrangement = factory.SubFactory(ArrangementFactory)
    kind = ConditionKind.SITUATION
    operator = Operator.IN
    values = factory.LazyFunction(lambda: ["worker"])
    sort_order = factory.Sequence(lambda n: n + 1)


def regional_arrangement(desk, **kwargs):  # type: ignore[no-untyped-def]
    return ArrangementFactory(scope=Scope.REGIONAL, desk=desk, **kwargs)
