from django.apps import apps
from django.core.management.base import BaseCommand

from leerwerk.funding.examples import seed


class Command(BaseCommand):
    help = (
        "Add the example funding arrangements that are missing (idempotent). The migration adds "
        "them on install; run this after load_reference_data for the regional example."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        created = seed(apps)
        self.stdout.write(self.style.SUCCESS(f"Voorbeeldregelingen toegevoegd: {created}."))
