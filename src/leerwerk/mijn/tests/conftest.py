from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from leerwerk.mijn.auth import session_hash
from leerwerk.mijn.constants import SESSION_ACCOUNT, SESSION_HASH


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Rate limits live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def account(db):  # type: ignore[no-untyped-def]
    from leerwerk.mijn.tests.factories import CitizenAccountFactory

    return CitizenAccountFactory(email="jan.burger@example.test", display_name="Jan")


def logged_in(account, client: Client | None = None) -> Client:  # type: ignore[no-untyped-def]
    """A test client with a citizen session of ``account`` (the log-in form is tested apart)."""
    client = client or Client()
    session = client.session
    session[SESSION_ACCOUNT] = str(account.uuid)
    session[SESSION_HASH] = session_hash(account)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.fixture
def citizen(account):  # type: ignore[no-untyped-def]
    return logged_in(account)


def link_in_mail(index: int = -1, path: str = "/mijn/") -> str:
    """The path of the first link to ``path`` in the e-mail at ``index`` of the outbox."""
    body = mail.outbox[index].body
    found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", body)
    assert found, body
    return found.group(1)
