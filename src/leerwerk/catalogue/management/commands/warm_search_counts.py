import time

from django.core.management.base import BaseCommand

from leerwerk.catalogue import search_sql
from leerwerk.catalogue.models_search import SearchWord
from leerwerk.catalogue.search import OfferQuery


class Command(BaseCommand):
    help = (
        "Count the empty search and the most frequent title words in full and cache the counts "
        "(exact until the catalogue changes); removes counts of older catalogue versions. Run "
        "after imports (after refresh_search_words)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--words", type=int, default=200, help="How many frequent words.")

    def handle(self, *args, words: int, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        frequent = SearchWord.objects.order_by("-frequency", "word").values_list("word", flat=True)
        queries = [OfferQuery(), *(OfferQuery(text=word) for word in frequent[:words])]
        counted = search_sql.warm_cache(queries)
        self.stdout.write(
            self.style.SUCCESS(
                f"{counted:,} zoekvragen geteld ({len(queries) - counted:,} stonden al klaar), "
                f"{time.perf_counter() - started:.0f} s"
            )
        )
