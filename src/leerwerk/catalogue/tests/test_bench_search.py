"""The catalogue search benchmark runs on a small synthetic catalogue and reports its rows."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from leerwerk.catalogue import search_sql, synthetic_search
from leerwerk.catalogue.models_search import SearchCountCache
from leerwerk.catalogue.search import search_words_refresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_in_test_transaction")]


@pytest.mark.parametrize("cache", ["cold", "off", "warm"])
def test_bench_search_measures_both_pages_against_the_bare_query(desk_a, cache):
    if connection.vendor != "postgresql":
        pytest.skip("the search benchmark runs on PostgreSQL")
    synthetic_search.generate(offers=400, seed=3, chunk=200)
    search_words_refresh()
    out = io.StringIO()
    call_command("bench_search", repeat=3, cache=cache, stdout=out)
    assert search_sql.USE_CACHE  # switched for the run only
    text = out.getvalue()
    for name in ("adviseur:", "burger:", "alleen zoekvragen met woorden", "kale full-text"):
        assert name in text
    assert f"telcache {cache}" in text
    # counted searches were cached, except when counting every time
    assert SearchCountCache.objects.exists() == (cache != "off")


def test_bench_search_without_data_says_what_to_do(desk_a):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("bench_search", repeat=1, stdout=io.StringIO())
        return
    with pytest.raises(CommandError, match="generate_search_data"):
        call_command("bench_search", repeat=1, stdout=io.StringIO())
