"""Choices and limits of the dossier: development plans and messages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """A plan is written as a draft, shared with the client, and superseded by the next
    shared version. Shared and superseded plans never change again: the client has seen them."""

    DRAFT = "draft", _("Concept")
    SHARED = "shared", _("Gedeeld met de klant")
    SUPERSEDED = "superseded", _("Vervangen door een nieuwere versie")


class StepOwner(models.TextChoices):
    """Who does a step of the plan."""

    CLIENT = "client", _("Klant")
    ADVISER = "adviser", _("Adviseur")
    PARTNER = "partner", _("Partner")


class MessageDirection(models.TextChoices):
    FROM_CITIZEN = "from_citizen", _("Van de klant")
    FROM_DESK = "from_desk", _("Van het loket")


TITLE_MAX = 200
GOAL_MAX = 2000
SITUATION_MAX = 4000
AGREEMENTS_MAX = 4000
STEP_ACTION_MAX = 500
MAX_STEPS = 30
MESSAGE_MAX = 4000
AUTHOR_LABEL_MAX = 150
# A citizen can still write about a closed trajectory for this many days after it closed.
CITIZEN_WRITE_DAYS_AFTER_CLOSE = 30
# Text that replaces an erased message body or plan text (counts stay, content goes).
ERASED_TEXT = "[verwijderd]"
