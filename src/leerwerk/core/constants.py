from django.db import models
from django.utils.translation import gettext_lazy as _


class GlobalRole(models.TextChoices):
    """Roles that are not tied to one desk. Held on the user record."""

    NATIONAL_TEAM = "national_team", _("Landelijk team")
    MINISTRY_VIEWER = "ministry_viewer", _("Ministerie (alleen lezen)")
    ADMINISTRATOR = "administrator", _("Beheerder")
    PARTNER_REFERRER = "partner_referrer", _("Verwijzer van partner")


class DeskRole(models.TextChoices):
    """Roles at one desk. Held through a StaffMembership."""

    ADVISER = "adviser", _("Adviseur")
    DESK_MANAGER = "desk_manager", _("Projectleider")


class Action(models.TextChoices):
    VIEW = "view", _("bekijken")
    ADD = "add", _("toevoegen")
    CHANGE = "change", _("wijzigen")
    DELETE = "delete", _("verwijderen")


# Global roles that see aggregates only. A policy for personal data may never grant them anything.
AGGREGATE_ONLY_ROLES = frozenset({GlobalRole.NATIONAL_TEAM, GlobalRole.MINISTRY_VIEWER})
DESK_STAFF_ROLES = frozenset({DeskRole.ADVISER, DeskRole.DESK_MANAGER})
