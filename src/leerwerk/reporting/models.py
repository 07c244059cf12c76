"""Counting rules as data, and the figures desks enter by hand.

A ``RuleSet`` is one published version of the national counting rules; each
``FigureDefinition`` says how one row of the half-year report is computed from the
registrations (or entered by hand, or derived), with the Dutch explanation shown next to it.
Reports state the rule set they used and can be recomputed under any version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.reporting.constants import Half, Method


class RuleSet(models.Model):
    number = models.PositiveSmallIntegerField(_("versie"), unique=True)
    effective_from = models.DateField(_("geldig vanaf"))
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("versie van de telregels")
        verbose_name_plural = _("versies van de telregels")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Telregels v{self.number}"


class FigureDefinition(models.Model):
    class Combine(models.TextChoices):
        SUM = "sum", _("optellen over de halfjaren")
        LAST = "last", _("laatste stand")

    ruleset = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="figures", verbose_name=_("telregels")
    )
    code = models.SlugField(_("code"), max_length=60)
    section = models.CharField(_("onderdeel"), max_length=60)
    label = models.CharField(_("cijfer"), max_length=150)
    explanation = models.TextField(_("uitleg"))
    method = models.CharField(_("berekening"), max_length=30, choices=Method.choices)
    type_codes = models.JSONField(
        _("registratiesoorten"),
        default=list,
        blank=True,
        help_text=_("Codes uit de registratielijst."),
    )
    statuses = models.JSONField(_("statussen"), default=list, blank=True)
    numerator = models.SlugField(_("teller"), max_length=60, blank=True)
    denominator = models.SlugField(_("noemer"), max_length=60, blank=True)
    combine = models.CharField(
        _("jaarcijfer"), max_length=10, choices=Combine.choices, default=Combine.SUM
    )
    unit = models.CharField(_("eenheid"), max_length=20, default="aantal")
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cijferdefinitie")
        verbose_name_plural = _("cijferdefinities")
        ordering = ["ruleset", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["ruleset", "code"],
                name="reporting_figure_code_unique",
                violation_error_message=_("Deze code bestaat al in deze versie."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class ManualValue(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """A figure a desk manager enters by hand for one half-year (e.g. website visitors)."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.CASCADE,
        related_name="manual_values",
        verbose_name=_("loket"),
    )
    figure_code = models.SlugField(_("cijfer"), max_length=60)
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    half = models.PositiveSmallIntegerField(_("halfjaar"), choices=Half.choices)
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2)
    note = models.CharField(_("toelichting"), max_length=250, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handmatig cijfer")
        verbose_name_plural = _("handmatige cijfers")
        ordering = ["desk", "year", "half", "figure_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "figure_code", "year", "half"],
                name="reporting_manual_value_unique",
                violation_error_message=_("Voor dit halfjaar is dit cijfer al ingevoerd."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="reporting_manual_value_not_negative",
                violation_error_message=_("Een cijfer kan niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure_code} {self.year}-H{self.half}"


class RegistrationGeneration(models.Model):
    """A change counter per desk and half-year, raised by a database trigger on every insert,
    update or delete of a registration in that half-year (see migration 0003). A cached figure is
    valid only while the counters it was computed under are unchanged, so the cache can never
    outlive a late edit, a late registration, a merge or an erasure, whatever code path made it.
    """

    desk_id = models.BigIntegerField(_("loket"))
    year = models.PositiveSmallIntegerField(_("jaar"))
    half = models.PositiveSmallIntegerField(_("halfjaar"), choices=Half.choices)
    generation = models.BigIntegerField(_("teller"), default=0)

    class Meta:
        verbose_name = _("wijzigingsteller")
        verbose_name_plural = _("wijzigingstellers")
        constraints = [
            models.UniqueConstraint(
                fields=["desk_id", "year", "half"], name="reporting_generation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.desk_id} {self.year}-H{self.half}: {self.generation}"


class FigureCache(models.Model):
    """The registration-based figures of one desk for one period under one published rule set,
    with the change counters of the half-years the period covers at the time of computing."""

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.CASCADE, related_name="+", verbose_name=_("loket")
    )
    ruleset = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="+", verbose_name=_("telregels")
    )
    period_start = models.DateField(_("begin"))
    period_end = models.DateField(_("einde"))
    generations = models.JSONField(_("tellerstanden"), default=list)
    values = models.JSONField(_("cijfers"), default=dict)
    computed_at = models.DateTimeField(_("berekend op"), auto_now=True)

    class Meta:
        verbose_name = _("berekende cijfers")
        verbose_name_plural = _("berekende cijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["ruleset", "period_start", "period_end", "desk"],
                name="reporting_figure_cache_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.desk_id} {self.period_start}–{self.period_end}"
