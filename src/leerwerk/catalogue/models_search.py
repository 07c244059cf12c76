"""Tables of catalogue search (issue 5, part B): municipality centres for distance search and
the vocabulary for "did you mean". Both are derived data, rebuilt by their loaders; nothing here
belongs to a desk or to a person. Imported by ``catalogue.models`` so Django sees the models;
their policies are registered here too (public to read, written only by loaders).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
