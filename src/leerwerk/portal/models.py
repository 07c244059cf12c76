"""The public portal: editable content blocks, desk domains, portal settings (waiting-time norm),
saved self-tests and share codes, and aggregated visit counts.

Nothing here stores a visitor: a saved self-test holds only answers, a visit count is a number
per desk, page and day.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.portal.constants import (
    DEFAULT_INTAKES_PER_FTE_WEEK,
    DEFAULT_NORM_DAYS,
    ContentSlot,
    SelfTestKind,
)

HOST_PATTERN = r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"


class ContentBlockQuerySet(ScopedQuerySet):
    def published(self) -> ContentBlockQuerySet:
        return self.filter(is_published=True, desk__is_published=True)


class ContentBlock(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """A piece of text on a desk's regional home, written by the desk manager in Markdown."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.CASCADE,
        related_name="content_blocks",
        verbose_name=_("loket"),
    )
    slot = models.CharField(_("plaats op de pagina"), max_length=30, choices=ContentSlot.choices)
    title = models.CharField(_("titel"), max_length=120, blank=True)
    body = models.TextField(
        _("tekst"),
        max_length=5000,
        help_text=_("Opmaak met Markdown: **vet**, *schuin*, lijstjes met - en links."),
    )
    body_html = models.TextField(_("tekst als HTML"), blank=True, editable=False)
    is_published = models.BooleanField(_("op de website"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    objects = ContentBlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("tekstblok")
        verbose_name_plural = _("tekstblokken")
        ordering = ["desk", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "slot"],
                name="portal_contentblock_slot_unique",
                violation_error_message=_("Dit loket heeft al een tekst op deze plaats."),
            ),
            models.CheckConstraint(
                condition=Q(slot__in=ContentSlot.values),
                name="portal_contentblock_slot_valid",
                violation_error_message=_("Kies een plaats op de pagina."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desk} – {self.get_slot_display()}"


class SiteDomain(PublicIdMixin, TimestampedMixin, models.Model):
    """A desk's own domain name: requests for it get the desk's regional home."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.CASCADE,
        related_name="site_domains",
        verbose_name=_("loket"),
    )
    host = models.CharField(
        _("domeinnaam"),
        max_length=253,
        unique=True,
        validators=[
            RegexValidator(
                HOST_PATTERN,
                _("Vul een domeinnaam in zoals www.leerwerkloket.nl."),
                flags=re.IGNORECASE,  # typed in any case; the service stores lower case
            )
        ],
        help_text=_("Zonder https:// en zonder pad, bijvoorbeeld www.leerwerkloket-regio.nl."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("domeinnaam van een loket")
        verbose_name_plural = _("domeinnamen van loketten")
        ordering = ["host"]
        constraints = [
            models.CheckConstraint(
                condition=Q(host=models.functions.Lower("host")),
                name="portal_sitedomain_host_lower",
                violation_error_message=_("Schrijf de domeinnaam in kleine letters."),
            )
        ]

    def __str__(self) -> str:
        return self.host


class DeskPortalSettings(TimestampedMixin, VersionedMixin, models.Model):
    """Per desk: the waiting-time norm, the capacity assumption and what the website shows."""

    desk = models.OneToOneField(
        "network.Desk",
        on_delete=models.CASCADE,
        related_name="portal_settings",
        verbose_name=_("loket"),
    )
    norm_days = models.PositiveSmallIntegerField(
        _("norm wachttijd (dagen)"),
        default=DEFAULT_NORM_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Duurt het langer tot een eerste gesprek, dan wijst de website eerst de weg naar "
            "zelf zoeken en groepsbijeenkomsten."
        ),
    )
    intakes_per_fte_week = models.DecimalField(
        _("eerste gesprekken per fte per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(DEFAULT_INTAKES_PER_FTE_WEEK),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("100"))],
    )
    show_staff_names = models.BooleanField(
        _("namen van medewerkers tonen"),
        default=False,
        help_text=_("Zonder vinkje toont de website alleen de rollen in het team."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("website-instellingen van een loket")
        verbose_name_plural = _("website-instellingen van loketten")
        constraints = [
            models.CheckConstraint(
                condition=Q(norm_days__gte=1) & Q(norm_days__lte=365),
                name="portal_settings_norm_range",
                violation_error_message=_("De norm ligt tussen 1 en 365 dagen."),
            ),
            models.CheckConstraint(
                condition=Q(intakes_per_fte_week__gt=0),
                name="portal_settings_capacity_positive",
                violation_error_message=_("Het aantal gesprekken per fte moet groter zijn dan 0."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.desk)


class SelfTestSession(PublicIdMixin, TimestampedMixin, models.Model):
    """One self-test in progress or done, without an account: only the answers are stored.

    The UUID in the page address and the resume code are the only keys; there is no name,
    e-mail or IP address. Removed after ``expires_at`` (see ``services.selftest_purge_expired``).
    A test saved in a Mijn Leerwerkloket account (``account``) is kept as long as the account
    and opens only for that account.
    """

    kind = models.CharField(_("test"), max_length=20, choices=SelfTestKind.choices)
    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart bij loket"),
    )
    answers = models.JSONField(_("antwoorden"), default=dict, blank=True)
    resume_code = models.CharField(_("code om verder te gaan"), max_length=20, unique=True)
    account = models.ForeignKey(
        "mijn.CitizenAccount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="selftests",
        verbose_name=_("bewaard in account"),
    )
    completed_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("vervalt op"), db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zelftest")
        verbose_name_plural = _("zelftesten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SelfTestKind.values), name="portal_selftest_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d-%m-%Y})"


class SelfTestShare(PublicIdMixin, TimestampedMixin, models.Model):
    """A result the citizen chose to share: a short code they give to their adviser.

    Until an adviser attaches it to a trajectory it belongs to no desk and no person; after
    that it is part of that client's file (personal data, desk-scoped).
    """

    code = models.CharField(_("deelcode"), max_length=20, unique=True)
    kind = models.CharField(_("test"), max_length=20, choices=SelfTestKind.choices)
    result = models.JSONField(_("uitslag"), default=dict)
    expires_at = models.DateTimeField(_("vervalt op"), db_index=True)
    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loket"),
    )
    trajectory = models.ForeignKey(
        "guidance.Trajectory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traject"),
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gekoppeld door"),
    )
    attached_at = models.DateTimeField(_("gekoppeld op"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gedeelde uitslag")
        verbose_name_plural = _("gedeelde uitslagen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(trajectory__isnull=True) & Q(attached_at__isnull=True))
                | (
                    Q(trajectory__isnull=False)
                    & Q(desk__isnull=False)
                    & Q(attached_at__isnull=False)
                ),
                name="portal_share_attached_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d-%m-%Y})"


class PageVisitCount(models.Model):
    """How often a public page was viewed on one day: a counter, never a row per visit."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loket"),
        help_text=_("Leeg voor landelijke pagina's."),
    )
    page = models.CharField(_("pagina"), max_length=100)
    day = models.DateField(_("dag"))
    count = models.PositiveIntegerField(_("aantal keer bekeken"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("paginabezoek")
        verbose_name_plural = _("paginabezoeken")
        ordering = ["-day", "page"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "page", "day"],
                condition=Q(desk__isnull=False),
                name="portal_visit_desk_page_day_unique",
            ),
            models.UniqueConstraint(
                fields=["page", "day"],
                condition=Q(desk__isnull=True),
                name="portal_visit_national_page_day_unique",
            ),
        ]
        indexes = [models.Index(fields=["desk", "day"], name="portal_visit_desk_day_idx")]

    def __str__(self) -> str:
        return f"{self.page} {self.day:%Y-%m-%d}: {self.count}"
