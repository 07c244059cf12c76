import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """The waiting time, domain map and rate limits live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def count_visits(settings):  # type: ignore[no-untyped-def]
    """The test settings switch visit counting off (it adds a query to every public page)."""
    settings.LEERWERK_COUNT_VISITS = True
    return settings


BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
