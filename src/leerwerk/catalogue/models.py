"""The training catalogue: offers from EDU-DEX, RIO and CSV feeds, the reference tables they
point to (mbo qualifications, ESCO occupations), and each desk's regional curation
(opportunity occupations with training routes, featured or hidden offers).

Offers and providers are national data (no desk): every desk and every citizen searches the
same catalogue. A feed belongs either to the nation (EDU-DEX, RIO) or to one desk (a CSV
upload); an offer is identified by ``(feed, source_id)`` so a re-import updates instead of
duplicating, and offers that disappear from a full import are deactivated, never deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leerwerk.catalogue.constants import (
    CurationStatus,
    DurationUnit,
    ImportStatus,
    Level,
    OfferKind,
    OpportunityKind,
    SourceKind,
)
from leerwerk.clients.constants import Sector
from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet

CREBO_PATTERN = r"^\d{5}$"


# -- reference tables ------------------------------------------------------------------------


class Qualification(models.Model):
    """An mbo qualification (kwalificatie) with its crebo code, from shared/data/mbo."""

    code = models.CharField(
        _("crebocode"), max_length=5, unique=True, validators=[RegexValidator(CREBO_PATTERN)]
    )
    name = models.CharField(_("naam"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("niveau"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    learning_paths = models.CharField(
        _("leerwegen"), max_length=50, blank=True, help_text=_("Zoals in het bronbestand: BBL,BOL")
    )
    dossier_code = models.CharField(_("kwalificatiedossier"), max_length=5, blank=True)
    dossier_name = models.CharField(_("naam kwalificatiedossier"), max_length=200, blank=True)
    sector_chamber = models.CharField(_("sectorkamer"), max_length=120, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mbo-kwalificatie")
        verbose_name_plural = _("mbo-kwalificaties")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name} (niveau {self.level})"


class Occupation(models.Model):
    """An ESCO occupation with its Dutch labels, from shared/data/esco."""

    uri = models.URLField(_("ESCO-URI"), max_length=200, unique=True)
    code = models.CharField(_("ESCO-code"), max_length=40, blank=True)
    isco_group = models.CharField(_("ISCO-groep"), max_length=4, blank=True, db_index=True)
    label = models.CharField(_("naam"), max_length=250)
    alt_labels = models.TextField(_("andere namen"), blank=True, help_text=_("Eén per regel."))
    description = models.TextField(_("omschrijving"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("beroep (ESCO)")
        verbose_name_plural = _("beroepen (ESCO)")
        ordering = ["label"]
        indexes = [models.Index(fields=["label"], name="catalogue_occupation_label")]

    def __str__(self) -> str:
        return self.label


# -- feeds, providers, offers ----------------------------------------------------------------


class Feed(PublicIdMixin, TimestampedMixin, models.Model):
    """Where offers come from: a national feed (EDU-DEX, RIO) or a desk's own CSV uploads."""

    kind = models.CharField(_("soort bron"), max_length=20, choices=SourceKind.choices)
    name = models.CharField(_("naam"), max_length=150)
    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="catalogue_feeds",
        verbose_name=_("loket"),
        help_text=_("Leeg voor een landelijke bron."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bron van opleidingen")
        verbose_name_plural = _("bronnen van opleidingen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name", "desk"],
                name="catalogue_feed_unique",
                violation_error_message=_("Deze bron bestaat al."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Provider(PublicIdMixin, TimestampedMixin, models.Model):
    """A training provider (school, training company). National, shared by all desks."""

    name = models.CharField(_("naam"), max_length=250)
    source_key = models.CharField(
        _("sleutel in de bron"),
        max_length=120,
        unique=True,
        help_text=_("Bijvoorbeeld 'edudex:<id>', 'rio:<instellingscode>' of 'naam:<naam>'."),
    )
    website = models.URLField(_("website"), blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    brin_code = models.CharField(_("BRIN/instellingscode"), max_length=10, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("opleider")
        verbose_name_plural = _("opleiders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfferQuerySet(ScopedQuerySet):
    def active(self) -> OfferQuerySet:
        return self.filter(is_active=True)


class Offer(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """One training offer, aligned with the EDU-DEX programme schema."""

    feed = models.ForeignKey(
        Feed, on_delete=models.PROTECT, related_name="offers", verbose_name=_("bron")
    )
    source_id = models.CharField(_("id in de bron"), max_length=120)
    source_updated_at = models.DateTimeField(
        _("laatst gewijzigd in de bron"), null=True, blank=True
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="offers", verbose_name=_("opleider")
    )
    title = models.CharField(_("titel"), max_length=250)
    description = models.TextField(_("omschrijving"), blank=True)
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices, default=Level.NONE)
    nlqf_level = models.PositiveSmallIntegerField(
        _("NLQF-niveau"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    kind = models.CharField(_("soort"), max_length=20, choices=OfferKind.choices)
    # Learning paths: an offer can have several; one column each keeps filters and facet counts
    # plain SQL on both databases.
    is_bol = models.BooleanField(_("BOL"), default=False)
    is_bbl = models.BooleanField(_("BBL"), default=False)
    is_part_time = models.BooleanField(_("deeltijd"), default=False)
    is_online = models.BooleanField(_("online"), default=False)
    is_in_company = models.BooleanField(_("in-company"), default=False)
    flexible_start = models.BooleanField(_("flexibele start"), default=False)
    next_start_on = models.DateField(
        _("eerstvolgende start"),
        null=True,
        blank=True,
        help_text=_("Afgeleid uit de startdatums; voor sorteren."),
    )
    duration_amount = models.PositiveIntegerField(_("duur"), null=True, blank=True)
    duration_unit = models.CharField(
        _("eenheid van de duur"), max_length=10, choices=DurationUnit.choices, blank=True
    )
    duration_days = models.PositiveIntegerField(
        _("duur in dagen"),
        null=True,
        blank=True,
        help_text=_("Afgeleid uit duur en eenheid; leeg bij een duur in uren."),
    )
    study_hours = models.PositiveIntegerField(_("studielast in uren"), null=True, blank=True)
    cost_amount = models.DecimalField(
        _("kosten (euro)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_includes = models.TextField(_("wat de kosten omvatten"), blank=True)
    cost_vat_included = models.BooleanField(_("inclusief btw"), default=True)
    language = models.CharField(_("taal"), max_length=8, default="nl")
    crebo_code = models.CharField(
        _("crebocode"), max_length=5, blank=True, validators=[RegexValidator(CREBO_PATTERN)]
    )
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("mbo-kwalificatie"),
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    url = models.URLField(_("meer informatie"), max_length=500, blank=True)
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="offers", verbose_name=_("leidt tot beroepen")
    )
    search_text = models.TextField(
        _("zoektekst"),
        blank=True,
        editable=False,
        help_text=_("Titel, opleider, omschrijving en beroepen; bijgewerkt door de services."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    deactivated_at = models.DateTimeField(_("gedeactiveerd op"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "source_id"],
                name="catalogue_offer_source_unique",
                violation_error_message=_("Deze opleiding bestaat al in deze bron."),
            ),
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=True) | models.Q(cost_amount__gte=0),
                name="catalogue_offer_cost_not_negative",
                violation_error_message=_("Kosten kunnen niet negatief zijn."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_active", "level"], name="catalogue_offer_active_level"),
            models.Index(fields=["is_active", "next_start_on"], name="catalogue_offer_next_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_locations(self) -> Any:
        """The places as a page shows them: those a search read for its result list
        (``search.Place``, set on the offer), else the offer's locations."""
        places = getattr(self, "page_places", None)
        return self.locations.all() if places is None else places


class OfferLocation(models.Model):
    """Where an offer is given. Online-only offers have none."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="locations", verbose_name=_("opleiding")
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    address = models.CharField(_("adres"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=120, blank=True)
    municipality = models.ForeignKey(
        "network.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    latitude = models.DecimalField(
        _("breedtegraad"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("lengtegraad"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        verbose_name = _("lesplaats")
        verbose_name_plural = _("lesplaatsen")
        ordering = ["offer", "city"]

    def __str__(self) -> str:
        return self.city or self.name

    @property
    def municipality_code(self) -> str | None:
        municipality = self.municipality if self.municipality_id else None
        return municipality.code if municipality is not None else None


class OfferStart(models.Model):
    """A start date of an offer (optionally at one location)."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="starts", verbose_name=_("opleiding")
    )
    starts_on = models.DateField(_("startdatum"))
    location = models.ForeignKey(
        OfferLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="starts",
        verbose_name=_("lesplaats"),
    )

    class Meta:
        verbose_name = _("startdatum")
        verbose_name_plural = _("startdatums")
        ordering = ["offer", "starts_on"]
        indexes = [models.Index(fields=["starts_on", "offer"], name="catalogue_start_date")]

    def __str__(self) -> str:
        return str(self.starts_on)


# -- imports ---------------------------------------------------------------------------------


class ImportRun(PublicIdMixin, models.Model):
    """One import of a file into a feed, with counts, progress and a per-row error report."""

    feed = models.ForeignKey(
        Feed, on_delete=models.CASCADE, related_name="runs", verbose_name=_("bron")
    )
    file_name = models.CharField(_("bestand"), max_length=250)
    full = models.BooleanField(
        _("volledige levering"),
        default=True,
        help_text=_("Bij een volledige levering worden opleidingen die ontbreken gedeactiveerd."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("regels in het bestand"), default=0)
    rows_done = models.PositiveIntegerField(_("regels verwerkt"), default=0)
    created = models.PositiveIntegerField(_("nieuw"), default=0)
    updated = models.PositiveIntegerField(_("bijgewerkt"), default=0)
    unchanged = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    deactivated = models.PositiveIntegerField(_("gedeactiveerd"), default=0)
    rejected = models.PositiveIntegerField(_("afgekeurd"), default=0)
    message = models.TextField(_("melding"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.feed} {self.file_name}"


class ImportRowError(models.Model):
    """Why one row (or record) of an import was rejected: line, field and a Dutch reason."""

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="row_errors", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(_("regel"))
    source_id = models.CharField(_("id in de bron"), max_length=120, blank=True)
    field = models.CharField(_("veld"), max_length=120, blank=True)
    reason = models.TextField(_("reden"))

    class Meta:
        verbose_name = _("afgekeurde regel")
        verbose_name_plural = _("afgekeurde regels")
        ordering = ["run", "line", "id"]

    def __str__(self) -> str:
        return f"{self.line}: {self.field}"


# -- regional curation -----------------------------------------------------------------------


class OpportunityOccupation(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """An occupation a desk marks as an opportunity or shortage occupation for its region."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.CASCADE,
        related_name="opportunity_occupations",
        verbose_name=_("loket"),
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("beroep")
    )
    kind = models.CharField(
        _("soort"),
        max_length=20,
        choices=OpportunityKind.choices,
        default=OpportunityKind.OPPORTUNITY,
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    note = models.TextField(_("toelichting"), blank=True)
    is_published = models.BooleanField(_("gepubliceerd"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kansberoep")
        verbose_name_plural = _("kansberoepen")
        ordering = ["desk", "sector", "occupation__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "occupation"],
                name="catalogue_opportunity_unique",
                violation_error_message=_("Dit beroep staat al in de lijst van dit loket."),
            )
        ]

    def __str__(self) -> str:
        return str(self.occupation)


class TrainingRoute(models.Model):
    """A training route to an opportunity occupation: an offer, or an mbo qualification."""

    opportunity = models.ForeignKey(
        OpportunityOccupation,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("kansberoep"),
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("opleiding"),
    )
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("mbo-kwalificatie"),
    )
    note = models.CharField(_("toelichting"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("opleidingsroute")
        verbose_name_plural = _("opleidingsroutes")
        ordering = ["opportunity", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(offer__isnull=False, qualification__isnull=True)
                    | models.Q(offer__isnull=True, qualification__isnull=False)
                ),
                name="catalogue_route_offer_or_qualification",
                violation_error_message=_("Kies een opleiding of een mbo-kwalificatie."),
            ),
            models.UniqueConstraint(
                fields=["opportunity", "offer"],
                name="catalogue_route_offer_unique",
                condition=models.Q(offer__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["opportunity", "qualification"],
                name="catalogue_route_qualification_unique",
                condition=models.Q(qualification__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.offer or self.qualification)


class OfferCuration(TimestampedMixin, models.Model):
    """A desk features an offer for its region, or hides it from its regional pages."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.CASCADE, related_name="+", verbose_name=_("loket")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="curations", verbose_name=_("opleiding")
    )
    status = models.CharField(_("keuze"), max_length=20, choices=CurationStatus.choices)
    note = models.CharField(_("toelichting"), max_length=250, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("regionale keuze")
        verbose_name_plural = _("regionale keuzes")
        constraints = [
            models.UniqueConstraint(fields=["desk", "offer"], name="catalogue_curation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.get_status_display()})"


class SavedOffer(PublicIdMixin, models.Model):
    """An offer an adviser saved to a client's trajectory."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.CASCADE, related_name="+", verbose_name=_("loket")
    )
    trajectory = models.ForeignKey(
        "guidance.Trajectory",
        on_delete=models.CASCADE,
        related_name="saved_offers",
        verbose_name=_("traject"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="+", verbose_name=_("opleiding")
    )
    note = models.CharField(_("toelichting"), max_length=250, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgeslagen door"),
    )
    saved_at = models.DateTimeField(_("opgeslagen op"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bewaarde opleiding")
        verbose_name_plural = _("bewaarde opleidingen")
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "offer"],
                name="catalogue_saved_offer_unique",
                violation_error_message=_("Deze opleiding is al bewaard bij dit traject."),
            )
        ]

    def __str__(self) -> str:
        return str(self.offer)


from leerwerk.catalogue.models_search import (  # noqa: E402, F401, I001  (search tables, part B)
    MunicipalityCentre,
    OfferSearchPoint,
    OfferSearchRow,
    SearchCountCache,
    SearchGeneration,
    SearchWord,
)
