"""Seed the configurable lists: service lines, certifications and expertise tags.

Reversible: the reverse removes exactly the rows this migration created (by code/name) that are
not in use.
"""

from django.db import migrations

SERVICE_LINES = [
    (
        "leerwerkadvies",
        "Leerwerkadvies",
        "Informatie en advies over leren en werken voor burgers.",
        10,
    ),
    (
        "mobiliteit",
        "Mobiliteitsondersteuning",
        "Hulp bij de overstap naar ander werk (regionaal mobiliteitsteam).",
        20,
    ),
    (
        "werkgeversdienstverlening",
        "Werkgeversdienstverlening",
        "Advies aan werkgevers over scholing en leerwerkarrangementen.",
        30,
    ),
]
CERTIFICATIONS = [
    ("NOLOC", "Geregistreerd loopbaanprofessional bij de beroepsvereniging Noloc."),
    ("EVC-begeleider", "Opgeleid om kandidaten in een EVC-procedure te begeleiden."),
    ("Competentietest (CTC)", "Bevoegd om de competentietest af te nemen en te bespreken."),
]
EXPERTISE_TAGS = [
    ("omscholing", "Omscholing"),
    ("scholingsvraag", "Scholingsvraag"),
    ("loopbaanadvies", "Loopbaanadvies"),
    ("financiering", "Financiering van scholing"),
    ("basisvaardigheden", "Basisvaardigheden en laaggeletterdheid"),
    ("solliciteren", "Solliciteren"),
    ("evc", "Erkenning van verworven competenties (EVC)"),
    ("statushouders", "Statushouders"),
    ("jongeren", "Jongeren zonder werk of school"),
    ("vijftigplus", "50-plussers"),
    ("werkgevers", "Werkgevers"),
]


def seed(apps, schema_editor):
    ServiceLine = apps.get_model("network", "ServiceLine")
    Certification = apps.get_model("network", "Certification")
    ExpertiseTag = apps.get_model("network", "ExpertiseTag")
    for code, name, description, order in SERVICE_LINES:
        ServiceLine.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
    for name, description in CERTIFICATIONS:
        Certification.objects.get_or_create(name=name, defaults={"description": description})
    for slug, name in EXPERTISE_TAGS:
        ExpertiseTag.objects.get_or_create(slug=slug, defaults={"name": name})


def unseed(apps, schema_editor):
    ServiceLine = apps.get_model("network", "ServiceLine")
    Certification = apps.get_model("network", "Certification")
    ExpertiseTag = apps.get_model("network", "ExpertiseTag")
    ServiceLine.objects.filter(code__in=[c for c, *_ in SERVICE_LINES], desks__isnull=True).delete()
    Certification.objects.filter(
        name__in=[n for n, _ in CERTIFICATIONS], memberships__isnull=True
    ).delete()
    ExpertiseTag.objects.filter(
        slug__in=[s for s, _ in EXPERTISE_TAGS], memberships__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
