"""Seed version 1 of the national counting rules (DESIGN §4). Reversible."""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from leerwerk.reporting.rules import VERSION_1, VERSION_1_EFFECTIVE_FROM

    RuleSet = apps.get_model("reporting", "RuleSet")
    FigureDefinition = apps.get_model("reporting", "FigureDefinition")
    ruleset, _ = RuleSet.objects.get_or_create(
        number=1,
        defaults={
            "effective_from": VERSION_1_EFFECTIVE_FROM,
            "published_at": timezone.now(),
            "notes": "Startset uit de landelijke telregels.",
        },
    )
    for order, row in enumerate(VERSION_1):
        (
            section,
            code,
            label,
            method,
            types,
            statuses,
            numerator,
            denominator,
            combine,
            unit,
            explanation,
        ) = row
        FigureDefinition.objects.get_or_create(
            ruleset=ruleset,
            code=code,
            defaults={
                "section": section,
                "label": label,
                "method": method,
                "type_codes": types,
                "statuses": statuses,
                "numerator": numerator,
                "denominator": denominator,
                "combine": combine,
                "unit": unit,
                "explanation": explanation,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("reporting", "RuleSet").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
