from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentSlot(models.TextChoices):
    """Places on the regional home where a desk manager writes their own text."""

    HOME_INTRO = "home_intro", _("Welkomsttekst")
    OFFER = "offer", _("Wat wij bieden")
    TEAM_INTRO = "team_intro", _("Over ons team")
    GROUP_SESSIONS = "group_sessions", _("Voorlichting en groepsbijeenkomsten")
    CONTACT = "contact", _("Contact")


class SelfTestKind(models.TextChoices):
    """The three self-tests: who am I (interests), what do I want (values), what can I do."""

    INTERESTS = "interesses", _("Wat vind ik leuk?")
    VALUES = "waarden", _("Wat vind ik belangrijk in werk?")
    SKILLS = "vaardigheden", _("Wat kan ik?")


#: Defaults for a desk without its own DeskPortalSettings row.
DEFAULT_NORM_DAYS = 14
DEFAULT_INTAKES_PER_FTE_WEEK = 4
#: A saved self-test and a share code are kept this long, then removed.
SELFTEST_RETENTION_DAYS = 30
