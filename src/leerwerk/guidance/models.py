"""Requests, trajectories and registrations, typed against the national vocabulary.

A *registration* is one thing that happened in the work (a contact moment, an instrument, an
external referral, an employer activity). Reports (issue 4) are counted from these rows only,
by the national counting rules; nothing is typed into a report.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.models import phone_validator, postcode_validator
from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.guidance.constants import (
    MAX_DURATION_MINUTES,
    OPEN_STATUSES,
    Channel,
    IntakeChannel,
    Outcome,
    QuestionTheme,
    RegistrationKind,
    RegistrationStatus,
    RequestStatus,
    TrajectoryStatus,
)

# -- national vocabulary ---------------------------------------------------------------------


class VocabularyVersion(models.Model):
    """A published version of the national vocabulary of registration types."""

    number = models.PositiveSmallIntegerField(_("versie"), unique=True)
    effective_from = models.DateField(_("geldig vanaf"))
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("versie van de registratielijst")
        verbose_name_plural = _("versies van de registratielijst")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} ({self.effective_from:%d-%m-%Y})"


class RegistrationType(models.Model):
    """One entry of the vocabulary, e.g. 'adviesgesprek' (contact moment) or 'CTC' (instrument)."""

    version = models.ForeignKey(
        VocabularyVersion, on_delete=models.PROTECT, related_name="types", verbose_name=_("versie")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=RegistrationKind.choices)
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("uitleg"), blank=True)
    needs_trajectory = models.BooleanField(
        _("hoort bij een traject"),
        default=True,
        help_text=_("Nee voor een informatiecontact: een korte vraag zonder traject."),
    )
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("te kiezen"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("registratiesoort")
        verbose_name_plural = _("registratiesoorten")
        ordering = ["version", "kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="guidance_registrationtype_code_unique",
                violation_error_message=_("Deze code bestaat al in deze versie."),
            )
        ]

    def __str__(self) -> str:
        return self.name


# -- requests and trajectories ---------------------------------------------------------------


class IntakeRequestQuerySet(ScopedQuerySet):
    def open(self) -> IntakeRequestQuerySet:
        return self.filter(status=RequestStatus.NEW)


class IntakeRequest(PublicIdMixin, TimestampedMixin, models.Model):
    """A question that reached the desk by any channel, before a trajectory exists."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        related_name="intake_requests",
        verbose_name=_("loket"),
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=IntakeChannel.choices)
    theme = models.CharField(_("onderwerp"), max_length=30, choices=QuestionTheme.choices)
    description = models.TextField(_("vraag"), max_length=2000)
    given_name = models.CharField(_("voornaam"), max_length=100)
    family_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(
        _("telefoonnummer"), max_length=20, blank=True, validators=[phone_validator]
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    contact_preference = models.CharField(_("liefst contact via"), max_length=10, default="email")
    consent_given_at = models.DateTimeField(
        _("toestemming voor contact gegeven op"), null=True, blank=True
    )
    referrer_partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("verwijzende organisatie"),
    )
    referrer_name = models.CharField(_("verwijzer"), max_length=200, blank=True)
    referral_reason = models.TextField(_("reden van verwijzing"), blank=True, max_length=2000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_requests",
        verbose_name=_("klant"),
    )
    handled_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)

    objects = IntakeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["desk", "status", "created_at"], name="guidance_request_open_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()} ({self.created_at:%d-%m-%Y})"


class TrajectoryQuerySet(ScopedQuerySet):
    def open(self) -> TrajectoryQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Trajectory(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """One question of one client at one desk."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("loket"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("klant"),
    )
    service_line = models.ForeignKey(
        "network.ServiceLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dienstverlening"),
    )
    theme = models.CharField(_("onderwerp"), max_length=30, choices=QuestionTheme.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.REGISTERED,
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("adviseur"),
    )
    channel = models.CharField(_("binnengekomen via"), max_length=20, choices=IntakeChannel.choices)
    referrer_partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verwijzende organisatie"),
    )
    intake_request = models.OneToOneField(
        IntakeRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectory",
        verbose_name=_("aanvraag"),
    )
    opened_on = models.DateField(_("geopend op"))
    follow_up_on = models.DateField(
        _("volgende actie op"), null=True, blank=True, help_text=_("Voor de werklijst.")
    )
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(_("datum uitkomst"), null=True, blank=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-opened_on"]
        indexes = [
            models.Index(fields=["desk", "status", "adviser"], name="guidance_traj_worklist_idx"),
            # The work list: open trajectories per adviser and overdue follow-ups, both small
            # partial indexes (closed trajectories, the vast majority, are left out).
            models.Index(
                fields=["adviser", "follow_up_on", "opened_on"],
                condition=Q(status__in=OPEN_STATUSES),
                name="guidance_traj_open_adv_idx",
            ),
            models.Index(
                fields=["desk", "follow_up_on"],
                condition=Q(status__in=OPEN_STATUSES, adviser__isnull=True),
                name="guidance_traj_unassigned_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=TrajectoryStatus.CLOSED)
                | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="guidance_trajectory_closed_has_outcome",
                violation_error_message=_(
                    "Een afgesloten traject heeft een uitkomst en een datum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="guidance_trajectory_closed_after_opened",
                violation_error_message=_("Een traject kan niet sluiten voordat het begon."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()} – {self.client}"


# -- registrations ---------------------------------------------------------------------------


class Registration(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """Something that happened in the work, typed against the national vocabulary."""

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("loket"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=RegistrationKind.choices)
    type = models.ForeignKey(
        RegistrationType,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("registratie"),
    )
    occurred_on = models.DateField(_("datum"))
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("klant"),
    )
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("traject"),
    )
    employer = models.ForeignKey(
        "clients.Employer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("werkgever"),
    )
    partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
        help_text=_("Bij een doorverwijzing: naar wie."),
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adviseur"),
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.COMPLETED,
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duur (minuten)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    note = models.CharField(_("korte notitie"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("registratie")
        verbose_name_plural = _("registraties")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [
            # Covering (PostgreSQL): a desk's report counts read only this index (an index-only
            # scan), never the table; see docs/benchmarks.md, reports. SQLite ignores INCLUDE.
            models.Index(
                fields=["desk", "occurred_on"],
                include=["id", "type", "status", "client", "employer"],
                name="guidance_reg_report_idx",
            ),
            models.Index(fields=["client", "occurred_on"], name="guidance_reg_client_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | (Q(duration_minutes__gte=1) & Q(duration_minutes__lte=MAX_DURATION_MINUTES)),
                name="guidance_registration_duration_range",
                violation_error_message=_("De duur ligt tussen 1 minuut en 8 uur."),
            ),
            models.CheckConstraint(
                condition=Q(kind=RegistrationKind.EMPLOYER_ACTIVITY, employer__isnull=False)
                | (~Q(kind=RegistrationKind.EMPLOYER_ACTIVITY) & Q(employer__isnull=True)),
                name="guidance_registration_employer_iff_employer_activity",
                violation_error_message=_("Een werkgeversactiviteit hoort bij een werkgever."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.occurred_on:%d-%m-%Y}"
