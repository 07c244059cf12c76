"""Demo data: desks in several real regions with locations, partners and staff whose names are
obviously fake. Idempotent: running it again changes nothing and prints the same log-ins."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from leerwerk.accounts.models import User
from leerwerk.core.constants import DeskRole, GlobalRole
from leerwerk.network import services
from leerwerk.network.constants import HoursKind, PartnerKind
from leerwerk.network.models import (
    Certification,
    Desk,
    DeskPartnership,
    ExpertiseTag,
    Location,
    Municipality,
    Partner,
    StaffMembership,
)

DEMO_PASSWORD = "demo-leerwerk-2026"  # noqa: S105 (demo data only; printed on purpose)
DEMO_DOMAIN = "demo.leerwerk.test"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    desk: str


# region code: (city of the demo location, postcode in that city, walk-in day)
DEMO_DESKS = {
    "AM22": ("Rotterdam", "3011 AD", 1),  # Rijnmond
    "AM13": ("Utrecht", "3511 AB", 2),  # Midden-Utrecht
    "AM01": ("Groningen", "9711 AA", 3),  # Groningen
    "AM28": ("Eindhoven", "5611 AA", 0),  # Zuidoost-Brabant
}

WALK_IN = [(datetime.time(9, 30), datetime.time(12, 0))]
OPENING = [(datetime.time(9, 0), datetime.time(17, 0))]


def _user(email: str, name: str, global_role: str = "") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, name=name, global_role=global_role)
    return user


def _hours(walk_in_day: int) -> list[dict]:
    rows = [
        {"kind": HoursKind.OPENING, "weekday": day, "opens": opens, "closes": closes}
        for day in range(5)
        for opens, closes in OPENING
    ]
    rows += [
        {
            "kind": HoursKind.WALK_IN,
            "weekday": walk_in_day,
            "opens": opens,
            "closes": closes,
            "note": "Zonder afspraak",
        }
        for opens, closes in WALK_IN
    ]
    return rows


@transaction.atomic
def load_demo_data() -> list[DemoLogin]:
    admin = _user(f"beheerder@{DEMO_DOMAIN}", "Bea Beheerder (demo)", GlobalRole.ADMINISTRATOR)
    logins = [DemoLogin(admin.email, "beheerder", "alle loketten (Django-beheer)")]
    national = _user(f"landelijk@{DEMO_DOMAIN}", "Lotte Landelijk (demo)", GlobalRole.NATIONAL_TEAM)
    logins.append(DemoLogin(national.email, "landelijk team", "alle loketten (alleen cijfers)"))
    ministry = _user(
        f"ministerie@{DEMO_DOMAIN}", "Mo Ministerie (demo)", GlobalRole.MINISTRY_VIEWER
    )
    logins.append(DemoLogin(ministry.email, "ministerie", "landelijke cijfers"))

    uwv, _ = Partner.objects.get_or_create(name="UWV", kind=PartnerKind.UWV)
    ncp = Certification.objects.filter(name="NOLOC").first()
    tags = list(
        ExpertiseTag.objects.filter(slug__in=["omscholing", "financiering", "loopbaanadvies"])
    )
    start = timezone.localdate() - datetime.timedelta(days=365)

    for code, (city, postcode, walk_in_day) in DEMO_DESKS.items():
        desk = (
            Desk.objects.select_related("region__central_municipality")
            .filter(region__code=code)
            .order_by("pk")
            .first()
        )
        if desk is None:
            continue
        region = desk.region
        slug = desk.slug
        if not desk.introduction:
            desk.email = f"info@{slug}.{DEMO_DOMAIN}"
            desk.phone = "088 000 0000"
            desk.introduction = (
                f"Wilt u iets leren of ander werk? Het leerwerkloket in regio {region.name} helpt u "
                "gratis. Wij geven advies over opleidingen, werk en geld voor scholing. (Demo)"
            )
            desk.save(update_fields=["email", "phone", "introduction"])
        # Partners: UWV, the central municipality, a (fictitious) college.
        central: Municipality | None = region.central_municipality
        partners = [(uwv, True)]
        if central:
            gemeente, _ = Partner.objects.get_or_create(
                name=f"Gemeente {central.name}",
                kind=PartnerKind.MUNICIPALITY,
                defaults={"municipality": central},
            )
            partners.append((gemeente, True))
        college, _ = Partner.objects.get_or_create(
            name=f"Demo-roc {region.name}", kind=PartnerKind.COLLEGE
        )
        partners.append((college, True))
        bibliotheek, _ = Partner.objects.get_or_create(
            name=f"Demo-bibliotheek {city}", kind=PartnerKind.OTHER
        )
        partners.append((bibliotheek, False))
        for partner, is_core in partners:
            if not DeskPartnership.objects.filter(desk=desk, partner=partner).exists():
                services.desk_partnership_add(
                    actor=admin, desk=desk, partner=partner, is_core=is_core
                )
        # A location with opening and walk-in hours.
        if not Location.objects.filter(desk=desk).exists():
            services.location_create(
                actor=admin,
                desk=desk,
                name=f"Leerwerkloket {city} (demo)",
                street="Voorbeeldstraat",
                house_number="1",
                postcode=postcode,
                city=city,
                phone="088 000 0000",
                accessibility_notes="Rolstoeltoegankelijk, lift aanwezig. (Demo)",
                hours=_hours(walk_in_day),
            )
        # Staff: a desk manager and two advisers with obviously fake names.
        people = [
            (
                DeskRole.DESK_MANAGER,
                f"projectleider.{slug}",
                f"Pim Projectleider {region.name} (demo)",
                Decimal("0.80"),
                central
                and Partner.objects.filter(
                    kind=PartnerKind.MUNICIPALITY, municipality=central
                ).first(),
            ),
            (
                DeskRole.ADVISER,
                f"adviseur.{slug}",
                f"Anna Adviseur {region.name} (demo)",
                Decimal("0.60"),
                uwv,
            ),
            (
                DeskRole.ADVISER,
                f"adviseur2.{slug}",
                f"Bram Begeleider {region.name} (demo)",
                Decimal("0.50"),
                college,
            ),
        ]
        for role, local, name, fte, mother in people:
            email = f"{local}@{DEMO_DOMAIN}"
            user = _user(email, name)
            if not StaffMembership.objects.filter(user=user, desk=desk).exists():
                services.staff_membership_create(
                    actor=admin,
                    desk=desk,
                    email=email,
                    name=name,
                    role=role,
                    fte=fte,
                    start_date=start,
                    mother_organisation=mother or None,
                    certifications=[ncp] if ncp and role == DeskRole.ADVISER else [],
                    expertise_tags=tags if role == DeskRole.ADVISER else [],
                )
            logins.append(DemoLogin(email, DeskRole(role).label.lower(), desk.display_name))
    return logins
