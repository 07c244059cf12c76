"""Example arrangements shipped with every installation (seeded by a data migration).

These are *examples* of the kinds of arrangements desks work with, so that the wizard shows
something meaningful on day one. They are marked "voorbeeld: controleer voor gebruik": amounts
are left empty and conditions are simplified. Real amounts and conditions come from the
maintainers (the national team for national and sector arrangements, desk managers for their
regional ones).

``seed(apps)`` works on the historical models of a migration and on the live models
(``django.apps.apps``); it is idempotent (by ``seed_key``). The regional example belongs to
the desk of region AM22 (Rijnmond); it is created once that desk exists (``leerwerk
load_funding_examples`` after ``load_reference_data``).
"""

from __future__ import annotations

import datetime
from typing import Any

CHECKED_ON = datetime.date(2026, 11, 1)
REGIONAL_EXAMPLE_REGION = "AM22"
EXAMPLE_NOTE = (
    "Voorbeeld: controleer voor gebruik. De voorwaarden zijn vereenvoudigd en er staan geen "
    "bedragen in. Kijk bij de bron wat nu geldt."
)

EXAMPLES: list[dict[str, Any]] = [
    {
        "seed_key": "slim",
        "name": "SLIM-subsidie voor mkb-werkgevers",
        "provider": "national_government",
        "provider_name": "Rijksoverheid",
        "scope": "national",
        "audience": (
            "Voor werkgevers in het midden- en kleinbedrijf die willen dat hun medewerkers "
            "blijven leren. De werkgever vraagt de subsidie aan, niet de medewerker."
        ),
        "description": (
            "Een bijdrage in de kosten van bijvoorbeeld een loopbaanadvies, een EVC-procedure "
            "of het opzetten van leren op de werkvloer."
        ),
        "how_to_apply": (
            "De werkgever vraagt de subsidie aan in een aanvraagperiode. Vraag uw werkgever of "
            "hij dat wil doen."
        ),
        "source_url": "https://www.rijksoverheid.nl/",
        "conditions": [
            ("situation", "in", ["worker", "agency_worker"]),
            ("employer_size", "in", ["1-9", "10-49", "50-249"]),
        ],
    },
    {
        "seed_key": "nl-leert-door-ontwikkeladvies",
        "name": "NL leert door: gratis ontwikkeladvies",
        "provider": "national_government",
        "provider_name": "Rijksoverheid",
        "scope": "national",
        "audience": (
            "Voor volwassenen die willen weten welk werk of welke opleiding bij hen past. U "
            "praat met een loopbaanadviseur over uw kansen op werk."
        ),
        "description": "Een aantal gesprekken met een erkende loopbaanadviseur.",
        "how_to_apply": "U meldt zich aan bij een loopbaanadviseur die meedoet.",
        "source_url": "https://www.rijksoverheid.nl/",
        "conditions": [
            (
                "situation",
                "in",
                [
                    "worker",
                    "agency_worker",
                    "self_employed",
                    "jobseeker_ww",
                    "jobseeker_bijstand",
                    "jobseeker_no_benefit",
                ],
            ),
            ("age", "between", (18, None)),
        ],
    },
    {
        "seed_key": "scholingsvoucher-uitzendkrachten",
        "name": "Scholingsvoucher voor uitzendkrachten",
        "provider": "sector_fund",
        "provider_name": "Opleidingsfonds van de uitzendbranche",
        "scope": "sector",
        "audience": "Voor uitzendkrachten en flexwerkers die een cursus of opleiding willen doen.",
        "description": "Een voucher waarmee u een deel van een opleiding betaalt.",
        "how_to_apply": (
            "Vraag uw uitzendbureau naar de voucher. Het bureau helpt u met de aanvraag."
        ),
        "source_url": "",
        "conditions": [
            ("situation", "in", ["agency_worker"]),
            ("training_list", "in", ["sector_fund_list", "training_register"]),
        ],
    },
    {
        "seed_key": "tel-mee-met-taal",
        "name": "Tel mee met Taal: cursus taal, rekenen of digitale vaardigheden",
        "provider": "national_government",
        "provider_name": "Rijksoverheid (Tel mee met Taal)",
        "scope": "national",
        "audience": (
            "Voor volwassenen die beter willen leren lezen, schrijven, rekenen of werken met de "
            "computer."
        ),
        "description": "Een gratis of goedkope cursus bij u in de buurt.",
        "how_to_apply": (
            "Vraag het leerwerkloket, de bibliotheek of het Taalhuis in uw gemeente naar een "
            "cursus."
        ),
        "source_url": "https://www.rijksoverheid.nl/",
        "conditions": [
            ("age", "between", (18, None)),
            ("training_list", "in", ["basic_skills"]),
        ],
    },
    {
        "seed_key": "levenlanglerenkrediet",
        "name": "Levenlanglerenkrediet",
        "provider": "national_government",
        "provider_name": "DUO",
        "scope": "national",
        "audience": (
            "Voor mensen die een erkende opleiding willen doen en het lesgeld of collegegeld "
            "willen lenen."
        ),
        "description": "Een lening voor lesgeld of collegegeld. U betaalt de lening later terug.",
        "how_to_apply": "U vraagt het krediet aan bij DUO met uw DigiD.",
        "source_url": "https://duo.nl/",
        "conditions": [
            ("age", "between", (None, 55)),
            ("training_kind", "in", ["diploma"]),
            ("training_list", "in", ["rio"]),
        ],
    },
    {
        "seed_key": "vakmanschapsfonds-rijnmond",
        "name": "Regionaal vakmanschapsfonds (fictief voorbeeld, Rijnmond)",
        "provider": "regional_fund",
        "provider_name": "Regionaal fonds (fictief voorbeeld)",
        "scope": "regional",
        "audience": (
            "Voor mensen in de regio die een vak willen leren in de techniek, de bouw of de "
            "logistiek."
        ),
        "description": "Een bijdrage in de kosten van een mbo-opleiding of certificaat.",
        "how_to_apply": "Vraag het leerwerkloket in uw regio om u te helpen met de aanvraag.",
        "source_url": "",
        "conditions": [
            ("sector", "in", ["construction", "industry", "energy", "transport"]),
            ("training_kind", "in", ["diploma", "certificate"]),
            ("training_level", "in", ["mbo_2", "mbo_3", "mbo_4"]),
        ],
    },
]
#: Example combination rule: a voucher and the regional fund do not pay for the same training.
NOT_COMBINABLE = [("scholingsvoucher-uitzendkrachten", "vakmanschapsfonds-rijnmond")]


def seed(apps: Any, schema_editor: Any = None) -> int:
    """Create the examples that do not exist yet. Returns how many were created."""
    from leerwerk.funding.eligibility import ConditionRule, describe_condition

    Arrangement = apps.get_model("funding", "FundingArrangement")
    Condition = apps.get_model("funding", "Condition")
    Change = apps.get_model("funding", "ArrangementChange")
    Desk = apps.get_model("network", "Desk")
    regional_desk = Desk.objects.filter(region__code=REGIONAL_EXAMPLE_REGION).order_by("pk").first()
    created = 0
    for example in EXAMPLES:
        if Arrangement.objects.filter(seed_key=example["seed_key"]).exists():
            continue
        desk = regional_desk if example["scope"] == "regional" else None
        if example["scope"] == "regional" and desk is None:
            continue  # no reference data yet: `leerwerk load_funding_examples` adds it later
        values = {k: v for k, v in example.items() if k != "conditions"}
        arrangement = Arrangement.objects.create(
            **values,
            desk=desk,
            amount_note=EXAMPLE_NOTE,
            checked_on=CHECKED_ON,
            is_example=True,
            is_active=True,
        )
        descriptions = []
        for order, (kind, operator, value) in enumerate(example["conditions"], start=1):
            if operator == "between":
                minimum, maximum = value
                Condition.objects.create(
                    arrangement=arrangement,
                    kind=kind,
                    operator=operator,
                    values=[],
                    minimum=minimum,
                    maximum=maximum,
                    sort_order=order,
                )
                rule = ConditionRule(kind, operator, minimum=minimum, maximum=maximum)
            else:
                Condition.objects.create(
                    arrangement=arrangement,
                    kind=kind,
                    operator=operator,
                    values=sorted(value),
                    sort_order=order,
                )
                rule = ConditionRule(kind, operator, tuple(sorted(value)))
            descriptions.append(describe_condition(rule))
        Change.objects.create(
            arrangement=arrangement,
            action="created",
            summary="Voorbeeld meegeleverd met de installatie.",
            changes={},
            snapshot={
                "name": arrangement.name,
                "scope": arrangement.scope,
                "checked_on": CHECKED_ON.isoformat(),
                "is_example": True,
                "conditions": descriptions,
            },
        )
        created += 1
    for first, second in NOT_COMBINABLE:
        one = Arrangement.objects.filter(seed_key=first).first()
        other = Arrangement.objects.filter(seed_key=second).first()
        if one is not None and other is not None:
            one.not_combinable_with.add(other)
    return created


def unseed(apps: Any, schema_editor: Any = None) -> None:
    """Remove the examples nobody changed (only their creation in the history)."""
    Arrangement = apps.get_model("funding", "FundingArrangement")
    keys = [example["seed_key"] for example in EXAMPLES]
    for arrangement in Arrangement.objects.filter(seed_key__in=keys):
        if arrangement.changes.exclude(action="created").exists():
            continue
        arrangement.changes.all().delete()
        arrangement.not_combinable_with.clear()
        arrangement.delete()
