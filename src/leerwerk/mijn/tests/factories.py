"""Factories for Mijn Leerwerkloket. They write rows directly (no services, no audit, no
e-mail); tests of behaviour use the services and the pages."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from leerwerk.mijn.models import CitizenAccount, ClientLink

PASSWORD = "Zonnige dinsdag 2026"


class CitizenAccountFactory(factory.django.DjangoModelFactory):
    """A confirmed account with the password ``PASSWORD``."""

    class Meta:
        model = CitizenAccount

    email = factory.Sequence(lambda n: f"burger{n}@example.test")
    display_name = factory.Sequence(lambda n: f"Testburger {n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    email_verified_at = factory.LazyFunction(timezone.now)


class ClientLinkFactory(factory.django.DjangoModelFactory):
    """An accepted link between an account and a client file."""

    class Meta:
        model = ClientLink

    client = factory.SubFactory("leerwerk.clients.tests.factories.ClientFactory")
    desk = factory.LazyAttribute(lambda link: link.client.desk)
    account = factory.SubFactory(CitizenAccountFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    accepted_at = factory.LazyFunction(timezone.now)
