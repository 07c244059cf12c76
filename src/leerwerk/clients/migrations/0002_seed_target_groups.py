"""Seed the configurable target groups. Reversible: removes the seeded rows not in use."""

from django.db import migrations

TARGET_GROUPS = [
    ("statushouder", "Statushouder", 10),
    ("jongere-zonder-werk-of-school", "Jongere zonder werk of school", 20),
    ("laaggeletterd", "Laaggeletterd of moeite met basisvaardigheden", 30),
    ("vijftigplus", "50-plusser", 40),
    ("arbeidsbeperking", "Met een arbeidsbeperking", 50),
    ("herintreder", "Herintreder", 60),
    ("anderstalig", "Anderstalig", 70),
]


def seed(apps, schema_editor):
    TargetGroup = apps.get_model("clients", "TargetGroup")
    for code, name, order in TARGET_GROUPS:
        TargetGroup.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def unseed(apps, schema_editor):
    TargetGroup = apps.get_model("clients", "TargetGroup")
    TargetGroup.objects.filter(
        code__in=[code for code, *_ in TARGET_GROUPS], clients__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
