from django.core.management.base import BaseCommand

from leerwerk.catalogue.search import search_words_refresh


class Command(BaseCommand):
    help = "Rebuild the vocabulary for spelling suggestions from the titles of active offers."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        self.stdout.write(f"{search_words_refresh():,} zoekwoorden")
