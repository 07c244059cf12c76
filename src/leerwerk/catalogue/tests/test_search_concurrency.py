"""Searches at the same time, on PostgreSQL with real transactions (threads with their own
connections). SQLite serialises writers, so the race cannot be staged there: skipped."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from leerwerk.catalogue.models_search import SearchWord
from leerwerk.catalogue.search import OfferQuery, search_offers, search_words_refresh
from leerwerk.catalogue.tests.factories_search import make_offer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so the race cannot be staged",
    ),
]


def test_two_first_searches_fill_the_vocabulary_at_once_without_an_error():
    """The vocabulary is filled lazily by the first search that finds nothing. Two such
    searches at once both write it: the second waits for the first's words and must skip
    them, not fail with a duplicate key (that was a 500 under load)."""
    make_offer("Monteur warmtepompen")
    first_wrote = threading.Event()
    release_first = threading.Event()

    def first() -> int:
        try:
            with transaction.atomic():
                written = search_words_refresh()
                first_wrote.set()
                release_first.wait(timeout=10)  # keep the words uncommitted for a moment
            return written
        finally:
            connection.close()

    def second() -> int:
        try:
            first_wrote.wait(timeout=10)
            threading.Timer(0.5, release_first.set).start()  # commits while this one waits
            result = search_offers(OfferQuery(text="warmtepomppen"))  # a typo: fills it
            return result.total
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        written, found = pool.submit(first), pool.submit(second)
        assert written.result() == 2  # "monteur", "warmtepompen"
        assert found.result() == 1  # corrected to "warmtepompen"
    assert sorted(SearchWord.objects.values_list("word", flat=True)) == ["monteur", "warmtepompen"]
