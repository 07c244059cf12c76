"""Funding arrangements (financiële regelingen) with their eligibility conditions as data, the
history of changes to them, and the funding advice saved on a trajectory.

* ``FundingArrangement``: who offers it, for whom, how much, how to apply, valid when, checked
  when. National and sector arrangements have no desk (the national team maintains them); a
  regional arrangement belongs to one desk (its desk managers maintain it) and applies to
  people living in that desk's region.
* ``Condition``: one rule (kind, operator, values) evaluated by ``leerwerk.funding.eligibility``.
* ``ArrangementChange``: append-only history (who, when, what changed, a snapshot).
* ``FundingAdvice``: a saved evaluation for a client's trajectory (personal data, desk staff
  only).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.funding.constants import (
    AGE_MAX,
    STALE_AFTER_MONTHS,
    ChangeAction,
    ConditionKind,
    Operator,
    Provider,
    Scope,
)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the last day of a shorter month)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale_before(today: datetime.date) -> datetime.date:
    """Arrangements checked before this date are flagged as possibly outdated."""
    return months_before(today, STALE_AFTER_MONTHS)


class FundingArrangementQuerySet(ScopedQuerySet):
    def active(self) -> FundingArrangementQuerySet:
        return self.filter(is_active=True)

    def stale(self, today: datetime.date) -> FundingArrangementQuerySet:
        return self.filter(checked_on__lt=stale_before(today))

    def for_region(self, region_id: int | None) -> FundingArrangementQuerySet:
        """National and sector arrangements, and the regional ones of this region (none when
        the region is not known)."""
        regional = Q(desk__region_id=region_id) if region_id is not None else Q(pk__in=[])
        return self.filter(Q(desk__isnull=True) | regional)

    def for_region_code(self, code: str) -> FundingArrangementQuerySet:
        return self.filter(Q(desk__isnull=True) | Q(desk__region__code=code))


class FundingArrangement(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    name = models.CharField(_("naam"), max_length=200)
    provider = models.CharField(_("soort aanbieder"), max_length=30, choices=Provider.choices)
    provider_name = models.CharField(
        _("aanbieder"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: Rijksoverheid (uitvoering UWV) of O&O-fonds Techniek."),
    )
    scope = models.CharField(_("bereik"), max_length=20, choices=Scope.choices)
    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_arrangements",
        verbose_name=_("loket"),
        help_text=_("Alleen bij een regionale regeling: het loket dat haar beheert."),
    )
    audience = models.TextField(
        _("voor wie"), help_text=_("In gewone woorden (B1): voor wie is deze regeling?")
    )
    description = models.TextField(_("wat krijgt u"), blank=True)
    max_amount = models.DecimalField(
        _("maximaal bedrag (euro)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    own_contribution = models.DecimalField(
        _("eigen bijdrage (euro)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    own_contribution_percentage = models.DecimalField(
        _("eigen bijdrage (procent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount_note = models.CharField(
        _("toelichting bij de bedragen"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: het bedrag hangt af van de opleiding."),
    )
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    how_to_apply = models.TextField(_("zo vraagt u het aan"))
    apply_url = models.URLField(_("webadres om aan te vragen"), blank=True)
    source_url = models.URLField(_("bron"), blank=True)
    checked_on = models.DateField(
        _("gecontroleerd op"),
        help_text=_("Wanneer zijn bedragen en voorwaarden voor het laatst nagekeken?"),
    )
    is_example = models.BooleanField(
        _("voorbeeld"),
        default=False,
        help_text=_("Een voorbeeld: controleer de gegevens voordat u ze gebruikt."),
    )
    is_active = models.BooleanField(
        _("in gebruik"),
        default=True,
        help_text=_("Alleen regelingen in gebruik staan in de wizard."),
    )
    not_combinable_with = models.ManyToManyField(
        "self",
        symmetrical=True,
        blank=True,
        verbose_name=_("niet te combineren met"),
    )
    seed_key = models.SlugField(
        _("voorbeeldcode"),
        max_length=60,
        blank=True,
        help_text=_("Voor de meegeleverde voorbeelden; leeg bij eigen regelingen."),
    )

    objects = FundingArrangementQuerySet.as_manager()

    class Meta:
        verbose_name = _("financiële regeling")
        verbose_name_plural = _("financiële regelingen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=Scope.REGIONAL) & Q(desk__isnull=False))
                | (~Q(scope=Scope.REGIONAL) & Q(desk__isnull=True)),
                name="funding_arrangement_regional_iff_desk",
                violation_error_message=_(
                    "Een regionale regeling hoort bij een loket; een landelijke of sectorregeling "
                    "niet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="funding_arrangement_period_in_order",
                violation_error_message=_("De einddatum ligt voor de begindatum."),
            ),
            models.UniqueConstraint(
                fields=["seed_key"],
                condition=~Q(seed_key=""),
                name="funding_arrangement_seed_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_stale(self, today: datetime.date) -> bool:
        return self.checked_on < stale_before(today)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Condition(PublicIdMixin, models.Model):
    """One eligibility rule of an arrangement. ``values`` is a list of codes for "is een van" /
    "is geen van"; a range (age) uses ``minimum`` and ``maximum`` (both count, either may be
    empty)."""

    arrangement = models.ForeignKey(
        FundingArrangement,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("regeling"),
    )
    kind = models.CharField(_("soort voorwaarde"), max_length=30, choices=ConditionKind.choices)
    operator = models.CharField(_("regel"), max_length=10, choices=Operator.choices)
    values = models.JSONField(_("waarden"), default=list, blank=True)
    minimum = models.PositiveSmallIntegerField(
        _("vanaf"), null=True, blank=True, validators=[MaxValueValidator(AGE_MAX)]
    )
    maximum = models.PositiveSmallIntegerField(
        _("tot en met"), null=True, blank=True, validators=[MaxValueValidator(AGE_MAX)]
    )
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("voorwaarde")
        verbose_name_plural = _("voorwaarden")
        ordering = ["arrangement", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=models.F("maximum")),
                name="funding_condition_range_in_order",
                violation_error_message=_("De ondergrens is hoger dan de bovengrens."),
            ),
            models.CheckConstraint(
                condition=~Q(operator=Operator.BETWEEN)
                | Q(minimum__isnull=False)
                | Q(maximum__isnull=False),
                name="funding_condition_range_has_a_bound",
                violation_error_message=_("Vul een ondergrens of een bovengrens in."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_operator_display()}"


class ArrangementChangeQuerySet(ScopedQuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("The change history is append-only.")


class ArrangementChange(models.Model):
    """One change to an arrangement or its conditions: append-only."""

    arrangement = models.ForeignKey(
        FundingArrangement,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("regeling"),
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    action = models.CharField(_("wijziging"), max_length=30, choices=ChangeAction.choices)
    summary = models.CharField(_("samenvatting"), max_length=500, blank=True)
    changes = models.JSONField(
        _("wat is gewijzigd"), default=dict, blank=True, help_text=_("Veld: [oud, nieuw].")
    )
    snapshot = models.JSONField(_("stand na de wijziging"), default=dict, blank=True)

    objects = ArrangementChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("wijziging van een regeling")
        verbose_name_plural = _("wijzigingen van regelingen")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise ValueError("The change history is append-only.")
        super().save(*args, **kwargs)


class FundingAdvice(PublicIdMixin, TimestampedMixin, models.Model):
    """The funding check an adviser saved on a trajectory: the facts used and the results as
    they were on that day (a snapshot, so later changes to arrangements do not rewrite it)."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        related_name="funding_advices",
        verbose_name=_("loket"),
    )
    trajectory = models.ForeignKey(
        "guidance.Trajectory",
        on_delete=models.CASCADE,
        related_name="funding_advices",
        verbose_name=_("traject"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adviseur"),
    )
    evaluated_on = models.DateField(_("peildatum"))
    situation = models.JSONField(_("situatie"), default=dict)
    training = models.JSONField(_("opleiding"), null=True, blank=True)
    results = models.JSONField(_("uitkomst"), default=list)
    note = models.TextField(_("notitie"), blank=True, max_length=2000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("financieringsadvies")
        verbose_name_plural = _("financieringsadviezen")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["trajectory", "created_at"], name="funding_advice_traj_idx")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.evaluated_on:%d-%m-%Y}"
