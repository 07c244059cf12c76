"""Clients (citizens), employers and their contact persons, target groups and consent.

Every record belongs to one desk. No BSN is ever stored. Erasure anonymises a client in place
(``clients.services.client_erase``) so every count in the reports stays the same.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import (
    BIRTH_YEAR_MIN,
    KVK_PATTERN,
    PHONE_PATTERN,
    ConsentPurpose,
    ContactChannel,
    EducationLevel,
    Sector,
    Situation,
    SizeClass,
)
from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.network.constants import POSTCODE_PATTERN

phone_validator = RegexValidator(
    PHONE_PATTERN, _("Vul een telefoonnummer in, bijvoorbeeld 06 12345678 of 010 1234567.")
)
postcode_validator = RegexValidator(POSTCODE_PATTERN, _("Vul een postcode in zoals 1234 AB."))


class TargetGroup(models.Model):
    """A target group clients can belong to (configurable by the national team)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    is_active = models.BooleanField(_("in gebruik"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ClientQuerySet(ScopedQuerySet):
    def not_erased(self) -> ClientQuerySet:
        return self.filter(erased_at__isnull=True)


class Client(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="clients", verbose_name=_("loket")
    )
    given_name = models.CharField(_("voornaam"), max_length=100)
    family_name = models.CharField(
        _("achternaam"), max_length=150, help_text=_("Met tussenvoegsel, bijvoorbeeld 'de Vries'.")
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(
        _("telefoonnummer"), max_length=20, blank=True, validators=[phone_validator]
    )
    preferred_channel = models.CharField(
        _("liefst contact via"),
        max_length=10,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
    )
    birth_year = models.PositiveSmallIntegerField(
        _("geboortejaar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(BIRTH_YEAR_MIN), MaxValueValidator(2100)],
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    municipality = models.ForeignKey(
        "network.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("woongemeente"),
        help_text=_("Wordt afgeleid van de postcode."),
    )
    situation = models.CharField(
        _("situatie"), max_length=30, choices=Situation.choices, default=Situation.OTHER
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="clients", verbose_name=_("doelgroepen")
    )
    education_level = models.CharField(
        _("hoogst gevolgde opleiding"),
        max_length=20,
        choices=EducationLevel.choices,
        default=EducationLevel.UNKNOWN,
    )
    diploma_obtained = models.BooleanField(_("diploma behaald"), default=False)
    has_startkwalificatie = models.BooleanField(
        _("startkwalificatie"),
        default=False,
        help_text=_("Een diploma havo, vwo of mbo niveau 2 of hoger."),
    )
    language_needs = models.CharField(
        _("taal"),
        max_length=250,
        blank=True,
        help_text=_("Bijvoorbeeld: spreekt liever Engels, heeft hulp nodig bij lezen."),
    )
    notes = models.TextField(_("notities"), blank=True)
    erased_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("samengevoegd met"),
    )

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("klant")
        verbose_name_plural = _("klanten")
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["desk", "family_name"], name="clients_client_desk_name_idx"),
            models.Index(fields=["desk", "email"], name="clients_client_desk_email_idx"),
            models.Index(fields=["desk", "phone"], name="clients_client_desk_phone_idx"),
            models.Index(fields=["desk", "postcode"], name="clients_client_desk_pc_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Employer(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="employers", verbose_name=_("loket")
    )
    name = models.CharField(_("naam"), max_length=200)
    kvk_number = models.CharField(
        _("KvK-nummer"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(KVK_PATTERN, _("Een KvK-nummer heeft 8 cijfers."))],
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    size_class = models.CharField(
        _("grootte"), max_length=10, choices=SizeClass.choices, blank=True
    )
    municipality = models.ForeignKey(
        "network.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vestigingsgemeente"),
    )
    notes = models.TextField(_("notities"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "kvk_number"],
                condition=~Q(kvk_number=""),
                name="clients_employer_kvk_unique_per_desk",
                violation_error_message=_("Deze werkgever (KvK-nummer) staat al in het systeem."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmployerContactPerson(PublicIdMixin, models.Model):
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="contact_persons",
        verbose_name=_("werkgever"),
    )
    name = models.CharField(_("naam"), max_length=200)
    role = models.CharField(_("functie"), max_length=100, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(
        _("telefoonnummer"), max_length=20, blank=True, validators=[phone_validator]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["employer", "name"]

    def __str__(self) -> str:
        return self.name


class ConsentQuerySet(ScopedQuerySet):
    def current(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(PublicIdMixin, models.Model):
    """A client's consent for one purpose, from when it was given until it is withdrawn."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="consents", verbose_name=_("klant")
    )
    purpose = models.CharField(_("doel"), max_length=30, choices=ConsentPurpose.choices)
    given_at = models.DateTimeField(_("gegeven op"))
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    follow_up_after_months = models.PositiveSmallIntegerField(
        _("opnieuw contact na (maanden)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    source = models.CharField(
        _("bron"),
        max_length=30,
        blank=True,
        help_text=_("Waar de toestemming is gegeven: webformulier, gesprek, partner."),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["client", "purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="clients_consent_one_current_per_purpose",
                violation_error_message=_("Voor dit doel is al toestemming gegeven."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="clients_consent_withdrawn_after_given",
                violation_error_message=_("Intrekken kan niet vóór het geven van toestemming."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_purpose_display()
