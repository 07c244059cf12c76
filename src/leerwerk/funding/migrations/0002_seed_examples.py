"""Seed the example arrangements ("voorbeeld: controleer voor gebruik"). Reversible: unseeding
removes the examples nobody changed."""

from django.db import migrations


def seed(apps, schema_editor):
    from leerwerk.funding.examples import seed as seed_examples

    seed_examples(apps, schema_editor)


def unseed(apps, schema_editor):
    from leerwerk.funding.examples import unseed as unseed_examples

    unseed_examples(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
