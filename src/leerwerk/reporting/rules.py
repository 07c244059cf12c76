"""Version 1 of the national counting rules, from DESIGN §4. Frozen: used by the seed
migration. A change makes a new version (through the national team), never an edit here."""

import datetime

from leerwerk.guidance import vocabulary as v

VERSION_1_EFFECTIVE_FROM = datetime.date(2023, 1, 1)

COMPLETED = ["completed"]

# (section, code, label, method, type_codes, statuses, numerator, denominator, combine, unit, explanation)
VERSION_1 = [
    (
        "burgers",
        "informatiecontacten",
        "Informatie- en adviesmomenten",
        "registrations",
        [v.INFORMATION_CONTACT],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Korte vragen die zijn beantwoord zonder traject (inloop, telefoon, chat, e-mail).",
    ),
    (
        "burgers",
        "intakes",
        "Intakes",
        "registrations",
        [v.INTAKE],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Gehouden intakegesprekken. Een intake is geen adviesgesprek en telt apart.",
    ),
    (
        "burgers",
        "adviesgesprekken",
        "Ontwikkel- en adviesgesprekken",
        "registrations",
        [v.ADVICE_CONVERSATION],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Gehouden adviesgesprekken, via elk kanaal (op locatie, telefoon, video).",
    ),
    (
        "burgers",
        "adviesgesprekken-afgezegd",
        "Adviesgesprekken afgezegd",
        "registrations",
        [v.ADVICE_CONVERSATION],
        ["cancelled"],
        "",
        "",
        "sum",
        "aantal",
        "Afgezegde adviesgesprekken; tellen niet mee als gehouden gesprek.",
    ),
    (
        "burgers",
        "adviesgesprekken-niet-verschenen",
        "Adviesgesprekken: niet verschenen",
        "registrations",
        [v.ADVICE_CONVERSATION],
        ["no_show"],
        "",
        "",
        "sum",
        "aantal",
        "Adviesgesprekken waarvoor de klant niet kwam; apart geteld.",
    ),
    (
        "burgers",
        "burgers-bereikt",
        "Burgers individueel bereikt",
        "distinct_clients",
        [v.ADVICE_CONVERSATION],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Verschillende klanten met minstens één gehouden adviesgesprek in de periode. Een klant met drie gesprekken telt één keer. Een jaarcijfer telt elke klant één keer in dat jaar.",
    ),
    (
        "burgers",
        "competentietest-deelnemers",
        "Competentietest: deelnemers",
        "distinct_clients",
        [v.COMPETENCE_TEST],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Verschillende klanten die de competentietest (CTC) hebben gedaan.",
    ),
    (
        "burgers",
        "competentietest-gesprekken",
        "Competentietest: testgesprekken",
        "registrations",
        [v.COMPETENCE_TEST],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Afgenomen en besproken competentietests (CTC). Deelnemers en testgesprekken zijn twee cijfers.",
    ),
    (
        "werkgevers",
        "werkgevers-individueel",
        "Werkgevers individueel bereikt",
        "distinct_employers",
        [v.EMPLOYER_ADVICE],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Verschillende werkgevers met minstens één adviescontact.",
    ),
    (
        "werkgevers",
        "werkgevers-groepen",
        "Werkgevers bereikt in groepen",
        "distinct_employers",
        [v.EMPLOYER_GROUP_SESSION],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Verschillende werkgevers aanwezig bij groepsbijeenkomsten.",
    ),
    (
        "werkgevers",
        "werkgevers-leerwerktrajecten",
        "Werkgevers bereikt via leerwerktrajecten",
        "distinct_employers",
        [v.EMPLOYER_LEARNING_WORK],
        COMPLETED,
        "",
        "",
        "sum",
        "aantal",
        "Verschillende werkgevers die meedoen aan een leerwerktraject.",
    ),
    (
        "bereik",
        "websitebezoekers",
        "Websitebezoekers",
        "manual",
        [],
        [],
        "",
        "",
        "sum",
        "aantal",
        "Met de hand ingevoerd door de projectleider, per halfjaar.",
    ),
    (
        "bereik",
        "volgers-sociale-media",
        "Volgers op sociale media",
        "manual",
        [],
        [],
        "",
        "",
        "last",
        "aantal",
        "Met de hand ingevoerd: het aantal volgers aan het eind van het halfjaar (alle platforms samen).",
    ),
    (
        "middelen",
        "fte",
        "Fte medewerkers",
        "staff_fte",
        [],
        [],
        "",
        "",
        "sum",
        "fte",
        "Gemiddelde inzet in fte over de periode, uit de lidmaatschappen van het loket.",
    ),
    (
        "middelen",
        "begroting",
        "Begroting",
        "manual",
        [],
        [],
        "",
        "",
        "sum",
        "euro",
        "Met de hand ingevoerd tot de planningsmodule er is.",
    ),
    (
        "middelen",
        "realisatie",
        "Gerealiseerde uitgaven",
        "manual",
        [],
        [],
        "",
        "",
        "sum",
        "euro",
        "Met de hand ingevoerd tot de planningsmodule er is.",
    ),
    (
        "middelen",
        "burgers-per-fte",
        "Burgers bereikt per fte",
        "ratio",
        [],
        [],
        "burgers-bereikt",
        "fte",
        "sum",
        "aantal",
        "Burgers individueel bereikt gedeeld door de fte medewerkers.",
    ),
    (
        "middelen",
        "kosten-per-burger",
        "Kosten per bereikte burger",
        "ratio",
        [],
        [],
        "realisatie",
        "burgers-bereikt",
        "sum",
        "euro",
        "Gerealiseerde uitgaven gedeeld door het aantal burgers individueel bereikt.",
    ),
]


# Version 2, in force from 2027: website visitors are counted by the portal (page views without
# cookies) instead of typed in, and the events of the agenda add three separate figures.
VERSION_2_EFFECTIVE_FROM = datetime.date(2027, 1, 1)

_WEBSITE_COUNTED = (
    "bereik",
    "websitebezoekers",
    "Websitebezoeken",
    "website_visits",
    [],
    [],
    "",
    "",
    "sum",
    "aantal",
    "Bekeken pagina's van de regionale site, geteld zonder cookies en zonder persoonsgegevens "
    "(paginaweergaven, geen unieke bezoekers).",
)
_EVENTS = [
    (
        "bereik",
        "activiteiten-aanmeldingen",
        "Aanmeldingen voor activiteiten",
        "event_registrations",
        [],
        [],
        "",
        "",
        "sum",
        "aantal",
        "Aanmeldingen met een plaats voor activiteiten van het loket die in de periode begonnen "
        "(afgemeld en wachtlijst tellen niet), of de persoon nu kwam of niet.",
    ),
    (
        "bereik",
        "activiteiten-bezoekers",
        "Bezoekers van activiteiten",
        "event_visitors",
        [],
        [],
        "",
        "",
        "sum",
        "aantal",
        "Mensen die bij de deur zijn aangemeld: aangemelde bezoekers die kwamen plus inlopers "
        "zonder aanmelding. Staat los van de aanmeldingen.",
    ),
    (
        "bereik",
        "standgesprekken",
        "Gesprekken op de stand",
        "stand_conversations",
        [],
        [],
        "",
        "",
        "sum",
        "aantal",
        "Gesprekken op de stand van het loket bij banenmarkten en beurzen. Staat los van de "
        "aanmeldingen en de bezoekers.",
    ),
]


def _version_2() -> list[tuple]:  # type: ignore[type-arg]
    rows: list[tuple] = []  # type: ignore[type-arg]
    for row in VERSION_1:
        if row[1] == "websitebezoekers":
            rows.append(_WEBSITE_COUNTED)
            rows.extend(_EVENTS)
        else:
            rows.append(row)
    return rows


VERSION_2 = _version_2()


def seed_ruleset(
    apps, *, number: int, effective_from: datetime.date, rows: list, notes: str
) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Create a published rule set from frozen rows (for data migrations; idempotent)."""
    from django.utils import timezone

    ruleset_model = apps.get_model("reporting", "RuleSet")
    figure_model = apps.get_model("reporting", "FigureDefinition")
    ruleset, _ = ruleset_model.objects.get_or_create(
        number=number,
        defaults={"effective_from": effective_from, "published_at": timezone.now(), "notes": notes},
    )
    for order, row in enumerate(rows):
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
            text,
        ) = row
        figure_model.objects.get_or_create(
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
                "explanation": text,
                "sort_order": order,
            },
        )
