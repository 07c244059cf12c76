"""Factories for plans, steps and messages. Valid by default and desk-aware: the desk follows
from the trajectory. They write rows directly (no services, no audit, no e-mail); tests of
behaviour use the services."""

import datetime

import factory
from django.utils import timezone

from leerwerk.dossier.constants import MessageDirection, PlanStatus, StepOwner
from leerwerk.dossier.models import DevelopmentPlan, Message, PlanStep
from leerwerk.guidance.tests.factories import TrajectoryFactory


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan (version 1) of a new open trajectory."""

    class Meta:
        model = DevelopmentPlan

    trajectory = factory.SubFactory(TrajectoryFactory)
    desk = factory.LazyAttribute(lambda o: o.trajectory.desk)
    number = 1
    plan_date = factory.LazyFunction(timezone.localdate)
    title = "Op weg naar werk in de zorg"
    goal = "Een baan als helpende in de zorg."
    situation = "Werkt nu in de schoonmaak."
    agreements = ""
    status = PlanStatus.DRAFT

    class Params:
        shared = factory.Trait(
            status=PlanStatus.SHARED, shared_at=factory.LazyFunction(timezone.now)
        )


class PlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStep

    plan = factory.SubFactory(DevelopmentPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    action = factory.Sequence(lambda n: f"Stap {n}: oriënteren op opleidingen")
    owner = StepOwner.CLIENT
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    done_at = None


class MessageFactory(factory.django.DjangoModelFactory):
    """A message from the client."""

    class Meta:
        model = Message

    trajectory = factory.SubFactory(TrajectoryFactory)
    desk = factory.LazyAttribute(lambda o: o.trajectory.desk)
    direction = MessageDirection.FROM_CITIZEN
    author = None
    author_label = "Fatima"
    body = factory.Sequence(lambda n: f"Bericht {n} van de klant.")
