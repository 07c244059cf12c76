"""Tables of catalogue search (issue 5, part B): municipality centres for distance search, the
vocabulary for "did you mean", and the narrow search table with its change counter and count
cache (issue 5, item 6). All are derived data: the loaders rebuild the first two, database
triggers keep the search table in step with the offers (migration 0004, docs/catalogue.md).
Nothing here belongs to a desk or to a person. Imported by ``catalogue.models`` so Django sees
the models; their policies are registered here too (public to read, written only by loaders).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from leerwerk.catalogue.search_rows import POINT_COLUMNS
from leerwerk.core.constants import Action, GlobalRole
from leerwerk.core.policies import Grant, Policy, register
from leerwerk.core.querysets import ScopedQuerySet


class MunicipalityCentre(models.Model):
    """Approximate centre of a municipality (GeoNames, see fixtures/reference/coordinates)."""

    municipality = models.OneToOneField(
        "network.Municipality",
        on_delete=models.CASCADE,
        related_name="catalogue_centre",
        verbose_name=_("gemeente"),
    )
    latitude = models.DecimalField(_("breedtegraad"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=8, decimal_places=5)
    places = models.PositiveIntegerField(_("aantal plaatsen"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("middelpunt van een gemeente")
        verbose_name_plural = _("middelpunten van gemeenten")
        ordering = ["municipality"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="catalogue_centre_latlon"),
        ]

    def __str__(self) -> str:
        return f"{self.latitude}, {self.longitude}"


class SearchWord(models.Model):
    """A word from the titles of active offers, for spelling suggestions ("bedoelde u …")."""

    word = models.CharField(_("woord"), max_length=60, unique=True)
    stem = models.CharField(_("stam"), max_length=60, db_index=True)
    frequency = models.PositiveIntegerField(_("aantal opleidingen"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zoekwoord")
        verbose_name_plural = _("zoekwoorden")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class OfferSearchRow(models.Model):
    """What public search needs of one **active** offer, in a narrow row (~200 bytes instead
    of the offer's ~700): the facet and filter columns and the searchable text without the
    description. Written only by database triggers on the offer tables (every writer — the
    services, COPY, bulk updates, the admin — keeps it exact, in the same transaction); an
    inactive offer has no row. PostgreSQL adds columns Django does not know: ``search_vector``
    (from ``title`` and ``keywords``, parsed again only when they change), ``lats``/``lons`` (the offer's location
    points) and ``starts`` (its start dates). ``leerwerk rebuild_search_rows`` rebuilds it."""

    offer = models.OneToOneField(
        "catalogue.Offer",
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the triggers remove the row
        db_constraint=False,
        related_name="search_row",
        verbose_name=_("opleiding"),
    )
    title = models.CharField(_("titel"), max_length=250)
    keywords = models.TextField(
        _("trefwoorden"), blank=True, help_text=_("Opleider, mbo-kwalificatie en beroepen.")
    )
    level = models.CharField(_("niveau"), max_length=20)
    kind = models.CharField(_("soort"), max_length=20)
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    is_bol = models.BooleanField(_("BOL"), default=False)
    is_bbl = models.BooleanField(_("BBL"), default=False)
    is_part_time = models.BooleanField(_("deeltijd"), default=False)
    is_online = models.BooleanField(_("online"), default=False)
    is_in_company = models.BooleanField(_("in-company"), default=False)
    flexible_start = models.BooleanField(_("flexibele start"), default=False)
    next_start_on = models.DateField(_("eerstvolgende start"), null=True, blank=True)
    cost_cents = models.BigIntegerField(_("kosten (eurocent)"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("duur in dagen"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zoekregel van een opleiding")
        verbose_name_plural = _("zoekregels van opleidingen")
        ordering = ["title", "offer"]
        indexes = [
            models.Index(fields=["title", "offer"], name="catalogue_searchrow_title"),
            models.Index(
                fields=["next_start_on", "title", "offer"], name="catalogue_searchrow_start"
            ),
            models.Index(fields=["level"], name="catalogue_searchrow_level"),
            models.Index(fields=["kind"], name="catalogue_searchrow_kind"),
            models.Index(fields=["sector"], name="catalogue_searchrow_sector"),
        ]

    def __str__(self) -> str:
        return self.title


class OfferSearchPoint(models.Model):
    """PostgreSQL only: one row per location point of an active offer (own coordinates, else
    the municipality centre) with the offer's facet and filter columns, for a search by
    distance without words: an index on the grid cell (0.1° × 0.1°) holds every column, so
    counting and sorting the offers near a place reads that index only. Written by the same triggers as
    ``OfferSearchRow``; empty on SQLite, which searches locations in their own table."""

    offer = models.ForeignKey(
        "catalogue.Offer",
        on_delete=models.DO_NOTHING,  # the triggers remove the rows
        db_constraint=False,
        related_name="+",
        verbose_name=_("opleiding"),
    )
    cell = models.IntegerField(
        _("vak"), help_text=_("floor(breedte × 10) × 1000 + floor(lengte × 10)")
    )
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    title = models.CharField(_("titel"), max_length=250)
    next_start_on = models.DateField(_("eerstvolgende start"), null=True, blank=True)
    level = models.CharField(_("niveau"), max_length=20)
    kind = models.CharField(_("soort"), max_length=20)
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    is_bol = models.BooleanField(_("BOL"), default=False)
    is_bbl = models.BooleanField(_("BBL"), default=False)
    is_part_time = models.BooleanField(_("deeltijd"), default=False)
    is_online = models.BooleanField(_("online"), default=False)
    is_in_company = models.BooleanField(_("in-company"), default=False)
    cost_cents = models.BigIntegerField(_("kosten (eurocent)"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("duur in dagen"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zoekpunt van een opleiding")
        verbose_name_plural = _("zoekpunten van opleidingen")
        indexes = [
            models.Index(
                fields=["cell"],
                include=["latitude", "longitude", "offer", *POINT_COLUMNS],
                name="catalogue_searchpoint_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.latitude}, {self.longitude}"


class SearchGeneration(models.Model):
    """One row: a counter the triggers raise whenever the search table changes (an import,
    a curation of the data, a changed location). Cached counts are used only while it is
    unchanged, so they are never stale."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.BigIntegerField(_("stand"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stand van de zoektabel")
        verbose_name_plural = _("stand van de zoektabel")

    def __str__(self) -> str:
        return str(self.generation)


class SearchCountCache(models.Model):
    """The counted facet combinations of one search (text and filters, without the facet
    choices, page and sort) at one generation of the search table: exact, reused only while
    the generation is the same (``catalogue.search_counts``)."""

    key = models.CharField(_("sleutel"), max_length=64, unique=True)
    generation = models.BigIntegerField(_("stand"), db_index=True)
    counts = models.JSONField(_("aantallen"))
    computed_at = models.DateTimeField(_("geteld op"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("getelde zoekvraag")
        verbose_name_plural = _("getelde zoekvragen")

    def __str__(self) -> str:
        return self.key


_REFERENCE = {
    Action.VIEW: Grant.of(public=True),
    Action.ADD: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
    Action.CHANGE: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
    Action.DELETE: Grant.of(everywhere=[GlobalRole.ADMINISTRATOR]),
}


@register(MunicipalityCentre)
class MunicipalityCentrePolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


@register(SearchWord)
class SearchWordPolicy(Policy):
    desk_lookup = None
    grants = _REFERENCE


_DERIVED = {
    Action.VIEW: Grant.of(public=True),
    # written by database triggers and the search itself, never through a policy
}


@register(OfferSearchRow)
class OfferSearchRowPolicy(Policy):
    desk_lookup = None
    grants = _DERIVED


@register(OfferSearchPoint)
class OfferSearchPointPolicy(Policy):
    desk_lookup = None
    grants = _DERIVED


@register(SearchGeneration)
class SearchGenerationPolicy(Policy):
    desk_lookup = None
    grants = _DERIVED


@register(SearchCountCache)
class SearchCountCachePolicy(Policy):
    desk_lookup = None
    grants = _DERIVED
