"""Seed version 1 of the national counting rules (DESIGN §4). Reversible."""

from django.db import migrations


def seed(apps, schema_editor):
    from leerwerk.reporting.rules import VERSION_1, VERSION_1_EFFECTIVE_FROM, seed_ruleset

    seed_ruleset(
        apps,
        number=1,
        effective_from=VERSION_1_EFFECTIVE_FROM,
        rows=VERSION_1,
        notes="Startset uit de landelijke telregels.",
    )


def unseed(apps, schema_editor):
    apps.get_model("reporting", "RuleSet").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
