"""Factories for requests, trajectories and registrations. Valid by default and desk-aware:

- ``TrajectoryFactory(desk=desk_b)`` makes a client at desk B too; ``TrajectoryFactory(client=c)``
  takes the client's desk.
- ``RegistrationFactory(code=vocabulary.COMPETENCE_TEST)`` looks the type up by its vocabulary
  code in the version in force; a trajectory is made when the type needs one, an employer for an
  employer activity, and contact moments get a channel and a duration.

Factories write rows directly (no services, no audit); use the services in tests of behaviour.
"""

import datetime

import factory
from django.utils import timezone

from leerwerk.clients.tests.factories import (
    DEFAULT_POSTCODE,
    ClientFactory,
    EmployerFactory,
    default_desk,
)
from leerwerk.guidance import vocabulary
from leerwerk.guidance.constants import (
    Channel,
    IntakeChannel,
    QuestionTheme,
    RegistrationKind,
    RegistrationStatus,
    RequestStatus,
    TrajectoryStatus,
)
from leerwerk.guidance.models import IntakeRequest, Registration, RegistrationType, Trajectory
from leerwerk.guidance.selectors import vocabulary_in_force

AUTO = "auto"  # "make one if needed" marker for RegistrationFactory.trajectory


def registration_type(code: str, on: datetime.date | None = None) -> RegistrationType:
    """The type with this vocabulary code in the version in force (today by default)."""
    return RegistrationType.objects.select_related("version").get(
        version=vocabulary_in_force(on), code=code
    )


class IntakeRequestFactory(factory.django.DjangoModelFactory):
    """A new request from the public web form, with consent to be contacted."""

    class Meta:
        model = IntakeRequest

    desk = factory.LazyFunction(default_desk)
    channel = IntakeChannel.WEB_FORM
    theme = QuestionTheme.CAREER_ADVICE
    description = "Ik wil graag weten welke opleiding bij mij past."
    given_name = factory.Sequence(lambda n: f"Aanvrager{n}")
    family_name = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.Sequence(lambda n: f"aanvrager{n}@example.test")
    phone = ""
    postcode = DEFAULT_POSTCODE
    contact_preference = "email"
    consent_given_at = factory.LazyFunction(timezone.now)
    status = RequestStatus.NEW


class TrajectoryFactory(factory.django.DjangoModelFactory):
    """An open trajectory (status 'registered'), opened 30 days ago, without an adviser."""

    class Meta:
        model = Trajectory

    desk = None  # resolved in _adjust_kwargs: the client's desk, or the default desk
    client = None
    theme = QuestionTheme.CAREER_ADVICE
    status = TrajectoryStatus.REGISTERED
    channel = IntakeChannel.WEB_FORM
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    @classmethod
    def _adjust_kwargs(cls, **kwargs):  # type: ignore[no-untyped-def]
        desk, client = kwargs.get("desk"), kwargs.get("client")
        if client is None:
            client = ClientFactory(desk=desk or default_desk())
        kwargs["client"] = client
        kwargs["desk"] = desk or client.desk
        return kwargs


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A completed registration of type ``code`` (default: an advice conversation), today."""

    class Meta:
        model = Registration

    class Params:
        code = vocabulary.ADVICE_CONVERSATION

    type = factory.LazyAttribute(lambda o: registration_type(o.code))
    kind = factory.LazyAttribute(lambda o: o.type.kind)
    desk = None  # resolved from trajectory / client / employer, else the default desk
    trajectory = AUTO
    client = None
    employer = None
    occurred_on = factory.LazyFunction(timezone.localdate)
    status = RegistrationStatus.COMPLETED
    channel = factory.LazyAttribute(
        lambda o: Channel.IN_PERSON if o.type.kind == RegistrationKind.CONTACT_MOMENT else ""
    )
    duration_minutes = factory.LazyAttribute(
        lambda o: 45 if o.type.kind == RegistrationKind.CONTACT_MOMENT else None
    )
    adviser = None

    @classmethod
    def _adjust_kwargs(cls, **kwargs):  # type: ignore[no-untyped-def]
        type_ = kwargs["type"]
        trajectory = kwargs.get("trajectory")
        client, employer = kwargs.get("client"), kwargs.get("employer")
        desk = kwargs.get("desk")
        if desk is None:
            for source in (trajectory, client, employer):
                if source is not None and source != AUTO:
                    desk = source.desk
                    break
            else:
                desk = default_desk()
        if type_.kind == RegistrationKind.EMPLOYER_ACTIVITY:
            trajectory, client = None, None
            employer = employer or EmployerFactory(desk=desk)
        elif trajectory == AUTO:
            if type_.needs_trajectory:
                extra = {"client": client} if client is not None else {}
                trajectory = TrajectoryFactory(desk=desk, **extra)
            else:
                trajectory = None
        if trajectory is not None and client is None:
            client = trajectory.client
        kwargs.update(desk=desk, trajectory=trajectory, client=client, employer=employer)
        return kwargs
