from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LEERWERKLOKET = "leerwerkloket", _("Leerwerkloket")
    WERKCENTRUM = "werkcentrum", _("Werkcentrum")


class PartnerKind(models.TextChoices):
    UWV = "uwv", _("UWV")
    MUNICIPALITY = "municipality", _("Gemeente")
    COLLEGE = "college", _("Onderwijsinstelling (roc)")
    OTHER = "other", _("Overige partner")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class HoursKind(models.TextChoices):
    OPENING = "opening", _("Openingstijden")
    WALK_IN = "walk_in", _("Inloopspreekuur")


# A PC4 code: four digits; real codes start at 1000, DUO's special codes are 0010-0040.
PC4_PATTERN = r"^\d{4}$"
POSTCODE_PATTERN = r"^[1-9][0-9]{3} ?[A-Za-z]{2}$"
REGION_CODE_PATTERN = r"^AM\d{2}$"
MUNICIPALITY_CODE_PATTERN = r"^GM\d{4}$"
