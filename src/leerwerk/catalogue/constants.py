from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Level of a training offer (EDU-DEX ``programClassification.level`` mapped onto these)."""

    MBO_1 = "mbo_1", _("Mbo niveau 1 (entree)")
    MBO_2 = "mbo_2", _("Mbo niveau 2")
    MBO_3 = "mbo_3", _("Mbo niveau 3")
    MBO_4 = "mbo_4", _("Mbo niveau 4")
    ASSOCIATE_DEGREE = "associate_degree", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    NLQF = "nlqf", _("NLQF-niveau (zie het nummer)")
    NONE = "none", _("Geen niveau")


class OfferKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    CERTIFICATE = "certificate", _("Certificaat of deelkwalificatie")
    COURSE = "course", _("Cursus")


class LearningPath(models.TextChoices):
    """How the training is followed. An offer can have several (one boolean column each)."""

    BOL = "bol", _("BOL (voltijd, met stage)")
    BBL = "bbl", _("BBL (werken en leren)")
    PART_TIME = "part_time", _("Deeltijd")
    ONLINE = "online", _("Online")
    IN_COMPANY = "in_company", _("Bij het bedrijf (in-company)")


class DurationUnit(models.TextChoices):
    HOURS = "hours", _("uur")
    DAYS = "days", _("dagen")
    WEEKS = "weeks", _("weken")
    MONTHS = "months", _("maanden")
    YEARS = "years", _("jaar")


# Days per unit, to compare and filter durations in one column (``Offer.duration_days``).
DAYS_PER_UNIT = {
    DurationUnit.HOURS: None,  # an hour count says nothing about calendar length
    DurationUnit.DAYS: 1,
    DurationUnit.WEEKS: 7,
    DurationUnit.MONTHS: 30,
    DurationUnit.YEARS: 365,
}


class SourceKind(models.TextChoices):
    EDUDEX = "edudex", _("EDU-DEX")
    RIO = "rio", _("RIO (Register Instellingen en Opleidingen)")
    CSV = "csv", _("CSV-bestand")
    MANUAL = "manual", _("Handmatig ingevoerd")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    DONE_WITH_ERRORS = "done_with_errors", _("Klaar, met afgekeurde regels")
    FAILED = "failed", _("Mislukt")


class OpportunityKind(models.TextChoices):
    OPPORTUNITY = "opportunity", _("Kansberoep")
    SHORTAGE = "shortage", _("Tekortberoep")


class CurationStatus(models.TextChoices):
    FEATURED = "featured", _("Aanbevolen in de regio")
    HIDDEN = "hidden", _("Niet tonen in de regio")
