"""The network: regions, municipalities, postcodes, desks, locations, partners and staff."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerwerk.core.constants import DeskRole
from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.network.constants import (
    MUNICIPALITY_CODE_PATTERN,
    PC4_PATTERN,
    POSTCODE_PATTERN,
    REGION_CODE_PATTERN,
    HoursKind,
    OrganisationKind,
    PartnerKind,
    Weekday,
)

# -- reference data (CBS, DUO) -------------------------------------------------------------


class Region(models.Model):
    """Arbeidsmarktregio (labour-market region), CBS classification."""

    code = models.CharField(
        _("CBS-code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(REGION_CODE_PATTERN)],
        help_text=_(
            "Bijvoorbeeld AM22. De codes lopen van AM01 tot AM38; AM04, AM16 en AM31 bestaan niet."
        ),
    )
    name = models.CharField(_("naam"), max_length=100)
    name_regulation_2013 = models.CharField(
        _("naam in de regeling van 2013"), max_length=100, blank=True
    )
    population = models.PositiveIntegerField(_("inwonertal"), default=0)
    central_municipality = models.ForeignKey(
        "Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centrumgemeente"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("arbeidsmarktregio")
        verbose_name_plural = _("arbeidsmarktregio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(MUNICIPALITY_CODE_PATTERN)],
        help_text=_("Bijvoorbeeld GM0363."),
    )
    name = models.CharField(_("naam"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("arbeidsmarktregio"),
    )
    province_code = models.CharField(_("provinciecode"), max_length=4, blank=True)
    province_name = models.CharField(_("provincie"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("inwonertal"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A 4-digit postcode area (PC4) and the municipality it belongs to."""

    code = models.CharField(
        _("postcode (4 cijfers)"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(PC4_PATTERN)],
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postcodes",
        verbose_name=_("gemeente"),
    )
    special_description = models.CharField(
        _("bijzondere code"),
        max_length=100,
        blank=True,
        help_text=_("Voor DUO-codes zonder gemeente, zoals 'woonachtig in België'."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | ~Q(special_description=""),
                name="network_postcode_municipality_or_special",
                violation_error_message=_(
                    "Een postcodegebied hoort bij een gemeente of heeft een bijzondere code."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.code


# -- configuration ---------------------------------------------------------------------------


class ServiceLine(models.Model):
    """A line of service a regional organisation offers (configuration, see DESIGN §6)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dienstverleningslijn")
        verbose_name_plural = _("dienstverleningslijnen")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    description = models.CharField(_("omschrijving"), max_length=250, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificering")
        verbose_name_plural = _("certificeringen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExpertiseTag(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("code"), max_length=100, unique=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# -- desks -----------------------------------------------------------------------------------


class DeskQuerySet(ScopedQuerySet):
    def published(self) -> DeskQuerySet:
        return self.filter(is_published=True)


class Desk(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """A regional desk (leerwerkloket), or the regional work centre that absorbs it."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="desks", verbose_name=_("arbeidsmarktregio")
    )
    display_name = models.CharField(
        _("naam"), max_length=150, help_text=_("De naam zoals bezoekers die zien.")
    )
    slug = models.SlugField(
        _("webadres"),
        max_length=100,
        unique=True,
        help_text=_("Deel van het webadres van het loket."),
    )
    organisation_kind = models.CharField(
        _("soort organisatie"),
        max_length=20,
        choices=OrganisationKind.choices,
        default=OrganisationKind.LEERWERKLOKET,
    )
    service_lines = models.ManyToManyField(
        ServiceLine, blank=True, related_name="desks", verbose_name=_("dienstverlening")
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    introduction = models.TextField(
        _("introductie"), blank=True, help_text=_("Korte tekst voor de pagina van het loket (B1).")
    )
    is_published = models.BooleanField(_("zichtbaar op de website"), default=True)

    objects = DeskQuerySet.as_manager()

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = _("loketten")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class LocationQuerySet(ScopedQuerySet):
    def public(self) -> LocationQuerySet:
        return self.filter(is_public=True, desk__is_published=True)


class Location(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """A place where a desk receives visitors (vestiging), with opening and walk-in hours."""

    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="locations", verbose_name=_("loket")
    )
    name = models.CharField(_("naam"), max_length=150)
    street = models.CharField(_("straat"), max_length=150)
    house_number = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        validators=[RegexValidator(POSTCODE_PATTERN, _("Vul een postcode in zoals 1234 AB."))],
    )
    city = models.CharField(_("plaats"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("gemeente"),
        help_text=_("Wordt afgeleid van de postcode."),
    )
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    accessibility_notes = models.TextField(
        _("toegankelijkheid"),
        blank=True,
        help_text=_(
            "Bijvoorbeeld: rolstoeltoegankelijk, lift, invalidenparkeerplaats, ringleiding."
        ),
    )
    is_public = models.BooleanField(_("zichtbaar op de website"), default=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["desk", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"


class OpeningHours(models.Model):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="hours", verbose_name=_("vestiging")
    )
    kind = models.CharField(_("soort"), max_length=10, choices=HoursKind.choices)
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    opens = models.TimeField(_("van"))
    closes = models.TimeField(_("tot"))
    note = models.CharField(_("opmerking"), max_length=150, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        ordering = ["location", "kind", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")),
                name="network_hours_opens_before_closes",
                violation_error_message=_("De begintijd moet voor de eindtijd liggen."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6),
                name="network_hours_weekday_valid",
                violation_error_message=_("Kies een dag van maandag tot en met zondag."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


# -- partners --------------------------------------------------------------------------------


class Partner(PublicIdMixin, TimestampedMixin, models.Model):
    """An organisation the desks work with. Shared by the network; linked per desk."""

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=PartnerKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("gemeente"),
        help_text=_("Alleen voor gemeenten: welke gemeente dit is."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind"],
                name="network_partner_name_kind_unique",
                violation_error_message=_("Er bestaat al een partner met deze naam en soort."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeskPartnership(PublicIdMixin, models.Model):
    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("loket")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner")
    )
    is_core = models.BooleanField(
        _("kernpartner"),
        default=False,
        help_text=_("UWV, gemeenten en roc's die het loket samen dragen."),
    )
    note = models.CharField(_("toelichting"), max_length=250, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner van het loket")
        verbose_name_plural = _("partners van het loket")
        ordering = ["desk", "-is_core", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "partner"],
                name="network_deskpartnership_unique",
                violation_error_message=_("Deze partner is al gekoppeld aan dit loket."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.desk}"


# -- staff -----------------------------------------------------------------------------------


class StaffMembershipQuerySet(ScopedQuerySet):
    def active_on(self, day: datetime.date, *, check_user: bool = True) -> StaffMembershipQuerySet:
        """Memberships that give access on ``day``: started, not ended, account active
        (``check_user=False`` when the caller already knows the account is active)."""
        current = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)
        return current.filter(user__is_active=True) if check_user else current


class StaffMembership(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """A person working at a desk in a role, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("medewerker"),
    )
    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("loket")
    )
    role = models.CharField(_("rol"), max_length=20, choices=DeskRole.choices)
    fte = models.DecimalField(
        _("fte"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("Inzet voor het loket, bijvoorbeeld 0,6 voor drie dagen per week."),
    )
    mother_organisation = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seconded_staff",
        verbose_name=_("moederorganisatie"),
        help_text=_(
            "De werkgever die de medewerker detacheert, zoals UWV, een gemeente of een roc."
        ),
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="memberships", verbose_name=_("certificeringen")
    )
    expertise_tags = models.ManyToManyField(
        ExpertiseTag, blank=True, related_name="memberships", verbose_name=_("expertise")
    )

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["desk", "user__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1),
                name="network_membership_fte_range",
                violation_error_message=_("De fte moet groter zijn dan 0 en ten hoogste 1."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="network_membership_end_after_start",
                violation_error_message=_("De einddatum kan niet voor de begindatum liggen."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=DeskRole.values),
                name="network_membership_role_valid",
                violation_error_message=_("Kies de rol adviseur of projectleider."),
            ),
        ]
        indexes = [models.Index(fields=["user", "start_date"], name="network_membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.desk} ({self.get_role_display()})"

    def is_active_on(self, day: datetime.date) -> bool:
        return (
            self.start_date <= day
            and (self.end_date is None or self.end_date >= day)
            and self.user.is_active
        )
