"""The client's dossier beyond registrations: the development plan an adviser writes with the
client, and the messages between the client (through Mijn Leerwerkloket) and the desk.

Both hang on a trajectory and carry its desk, so they are scoped like trajectories. Erasing a
client replaces their texts but keeps the rows (``services.dossier_anonymise_for_client``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerwerk.core.models import PublicIdMixin, TimestampedMixin, VersionedMixin
from leerwerk.core.querysets import ScopedQuerySet
from leerwerk.dossier.constants import (
    AGREEMENTS_MAX,
    AUTHOR_LABEL_MAX,
    GOAL_MAX,
    MESSAGE_MAX,
    SITUATION_MAX,
    STEP_ACTION_MAX,
    TITLE_MAX,
    MessageDirection,
    PlanStatus,
    StepOwner,
)


class DevelopmentPlanQuerySet(ScopedQuerySet):
    def visible_to_client(self) -> DevelopmentPlanQuerySet:
        """Plans the client may see: shared ones and the ones they replaced; never drafts."""
        return self.filter(status__in=[PlanStatus.SHARED, PlanStatus.SUPERSEDED])


class DevelopmentPlan(PublicIdMixin, TimestampedMixin, VersionedMixin, models.Model):
    """One version of the development plan of a trajectory.

    Per trajectory at most one draft and at most one shared plan exist at a time (database
    constraints); sharing a new version marks the previous one superseded, so the history stays.
    ``number`` counts the versions of one trajectory (1, 2, 3 …); ``version`` (from
    VersionedMixin) is the optimistic lock of this row.
    """

    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.PROTECT,
        related_name="development_plans",
        verbose_name=_("loket"),
    )
    trajectory = models.ForeignKey(
        "guidance.Trajectory",
        on_delete=models.PROTECT,
        related_name="development_plans",
        verbose_name=_("traject"),
    )
    number = models.PositiveSmallIntegerField(
        _("versienummer"), help_text=_("Versie 1, 2, 3 … van het plan van dit traject.")
    )
    plan_date = models.DateField(_("datum van het plan"))
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    goal = models.TextField(
        _("doel"), max_length=GOAL_MAX, help_text=_("Wat wil de klant bereiken?")
    )
    situation = models.TextField(
        _("situatie nu"),
        max_length=SITUATION_MAX,
        blank=True,
        help_text=_("Korte samenvatting: werk, opleiding, wat goed gaat en wat lastig is."),
    )
    agreements = models.TextField(
        _("afspraken en opmerkingen"), max_length=AGREEMENTS_MAX, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    shared_at = models.DateTimeField(_("gedeeld op"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gedeeld door"),
    )
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)

    objects = DevelopmentPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontwikkelplan")
        verbose_name_plural = _("ontwikkelplannen")
        ordering = ["trajectory", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "number"],
                name="dossier_plan_number_unique",
                violation_error_message=_("Deze versie van het plan bestaat al."),
            ),
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(status=PlanStatus.DRAFT),
                name="dossier_plan_one_draft",
                violation_error_message=_("Dit traject heeft al een concept van het plan."),
            ),
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(status=PlanStatus.SHARED),
                name="dossier_plan_one_shared",
                violation_error_message=_("Dit traject heeft al een gedeeld plan."),
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT) | Q(shared_at__isnull=False),
                name="dossier_plan_shared_has_date",
                violation_error_message=_("Een gedeeld plan heeft een datum van delen."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.SUPERSEDED) | Q(superseded_at__isnull=False),
                name="dossier_plan_superseded_has_date",
                violation_error_message=_("Een vervangen plan heeft een datum van vervangen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanStep(models.Model):
    """One step of a plan: what, by whom, before when, and when it was done."""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    action = models.CharField(_("wat"), max_length=STEP_ACTION_MAX)
    owner = models.CharField(_("wie"), max_length=20, choices=StepOwner.choices)
    target_date = models.DateField(_("klaar voor"), null=True, blank=True)
    done_at = models.DateField(_("gedaan op"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stap van het plan")
        verbose_name_plural = _("stappen van het plan")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="dossier_step_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.action}"


class MessageQuerySet(ScopedQuerySet):
    def unread_by_desk(self) -> MessageQuerySet:
        return self.filter(direction=MessageDirection.FROM_CITIZEN, read_by_desk_at__isnull=True)

    def unread_by_citizen(self) -> MessageQuerySet:
        return self.filter(direction=MessageDirection.FROM_DESK, read_by_citizen_at__isnull=True)


class Message(PublicIdMixin, models.Model):
    """One message in the thread of a trajectory, from the client or from the desk.

    The body is plain text (shown escaped, line breaks kept). ``author_label`` is what the
    client sees as sender; the staff author is kept for the desk's own record.
    """

    desk = models.ForeignKey(
        "network.Desk", on_delete=models.PROTECT, related_name="messages", verbose_name=_("loket")
    )
    trajectory = models.ForeignKey(
        "guidance.Trajectory",
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("traject"),
    )
    direction = models.CharField(_("richting"), max_length=20, choices=MessageDirection.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geschreven door"),
        help_text=_("De medewerker; leeg bij een bericht van de klant."),
    )
    author_label = models.CharField(
        _("afzender"),
        max_length=AUTHOR_LABEL_MAX,
        help_text=_("Wat de klant als afzender ziet."),
    )
    body = models.TextField(_("bericht"), max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    read_by_desk_at = models.DateTimeField(_("gelezen door het loket op"), null=True, blank=True)
    read_by_citizen_at = models.DateTimeField(_("gelezen door de klant op"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["trajectory", "created_at", "id"]
        indexes = [
            models.Index(fields=["trajectory", "created_at"], name="dossier_message_thread_idx"),
            # Unread messages from clients are few: a small partial index for the counts on
            # the trajectory page and the work list.
            models.Index(
                fields=["desk", "trajectory"],
                condition=Q(direction=MessageDirection.FROM_CITIZEN, read_by_desk_at__isnull=True),
                name="dossier_message_unread_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction=MessageDirection.FROM_DESK)
                | Q(direction=MessageDirection.FROM_CITIZEN, author__isnull=True),
                name="dossier_message_citizen_has_no_staff_author",
                violation_error_message=_("Een bericht van de klant heeft geen medewerker."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.created_at:%d-%m-%Y %H:%M}"

    @property
    def from_citizen(self) -> bool:
        return self.direction == MessageDirection.FROM_CITIZEN
