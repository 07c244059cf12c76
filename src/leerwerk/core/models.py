"""Building blocks shared by the domain apps."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from leerwerk.core.querysets import ScopedQuerySet


class PublicIdMixin(models.Model):
    """A UUID for URLs and the API; sequential ids never leave the database."""

    uuid = models.UUIDField(_("publieke id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TimestampedMixin(models.Model):
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class VersionedMixin(models.Model):
    """Optimistic locking: services refuse a change made against an older version."""

    version = models.PositiveIntegerField(
        _("versie"), default=1, help_text=_("Wordt bij elke wijziging opgehoogd.")
    )

    class Meta:
        abstract = True


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(ScopedQuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")

    def bulk_update(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")


class AuditEvent(models.Model):
    """Who did what to which object, when, with what result. Never the personal data itself.

    Written by services (changes) and by views that show personal data (access), through
    ``leerwerk.core.audit.audit_record``. Append-only: the application cannot change or delete
    an event (the model and queryset refuse; on PostgreSQL a trigger refuses too). Read by the
    desk's desk managers and by administrators.
    """

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # append-only: never rewritten when a user goes
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_role = models.CharField(_("rol"), max_length=32, blank=True)
    action = models.CharField(_("handeling"), max_length=50)
    object_type = models.CharField(_("soort object"), max_length=100)
    object_uuid = models.UUIDField(_("object"), null=True, blank=True)
    desk = models.ForeignKey(
        "network.Desk",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the log outlives what it describes
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loket"),
    )
    result = models.CharField(_("resultaat"), max_length=20, default="ok")
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_uuid"], name="core_audit_object_idx")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
