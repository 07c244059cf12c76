"""Seed version 1 of the national vocabulary (DESIGN §4). Reversible when unused."""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from leerwerk.guidance.vocabulary import VERSION_1, VERSION_1_EFFECTIVE_FROM

    VocabularyVersion = apps.get_model("guidance", "VocabularyVersion")
    RegistrationType = apps.get_model("guidance", "RegistrationType")
    version, _ = VocabularyVersion.objects.get_or_create(
        number=1,
        defaults={
            "effective_from": VERSION_1_EFFECTIVE_FROM,
            "published_at": timezone.now(),
            "notes": "Startset uit de landelijke telregels.",
        },
    )
    for order, (kind, code, name, needs_trajectory, description) in enumerate(VERSION_1):
        RegistrationType.objects.get_or_create(
            version=version,
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "needs_trajectory": needs_trajectory,
                "description": description,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    VocabularyVersion = apps.get_model("guidance", "VocabularyVersion")
    RegistrationType = apps.get_model("guidance", "RegistrationType")
    RegistrationType.objects.filter(version__number=1, registrations__isnull=True).delete()
    VocabularyVersion.objects.filter(number=1, types__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
