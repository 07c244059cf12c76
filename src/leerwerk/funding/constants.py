"""Vocabularies of the funding wizard.

Client situation, education level, sector and employer size come from
``leerwerk.clients.constants``; this module adds what only funding needs: the agency/flex
worker situation (asked by the wizard, not stored on a client), the facts about a training,
and the rule language (condition kinds and operators).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from leerwerk.clients.constants import Situation

#: "Checked on" older than this many months is flagged as possibly outdated.
STALE_AFTER_MONTHS = 6
#: The age a person can have in a condition or an answer.
AGE_MIN, AGE_MAX = 0, 120


class Scope(models.TextChoices):
    NATIONAL = "national", _("Landelijk")
    SECTOR = "sector", _("Sector")
    REGIONAL = "regional", _("Regionaal")


class Provider(models.TextChoices):
    NATIONAL_GOVERNMENT = "national_government", _("Rijksoverheid")
    UWV = "uwv", _("UWV")
    MUNICIPALITY = "municipality", _("Gemeente")
    SECTOR_FUND = "sector_fund", _("Sectorfonds (O&O-fonds)")
    REGIONAL_FUND = "regional_fund", _("Regionaal fonds")
    EMPLOYER = "employer", _("Werkgever")
    OTHER = "other", _("Anders")


#: The funding vocabulary of situations: the client situations plus agency/flex work.
AGENCY_WORKER = "agency_worker"


def situation_choices() -> list[tuple[str, object]]:
    """Situations with lazy labels (for forms; evaluated per request language)."""
    return [*Situation.choices, (AGENCY_WORKER, _("Uitzendkracht of flexwerker"))]


class TrainingKind(models.TextChoices):
    DIPLOMA = "diploma", _("Opleiding met diploma")
    CERTIFICATE = "certificate", _("Certificaat of deelkwalificatie")
    COURSE = "course", _("Cursus of training")


class TrainingLevel(models.TextChoices):
    NONE = "none", _("Geen niveau")
    MBO_1 = "mbo_1", _("Mbo niveau 1 (entree)")
    MBO_2 = "mbo_2", _("Mbo niveau 2")
    MBO_3 = "mbo_3", _("Mbo niveau 3")
    MBO_4 = "mbo_4", _("Mbo niveau 4")
    ASSOCIATE_DEGREE = "associate_degree", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    NLQF_1 = "nlqf_1", _("NLQF niveau 1")
    NLQF_2 = "nlqf_2", _("NLQF niveau 2")
    NLQF_3 = "nlqf_3", _("NLQF niveau 3")
    NLQF_4 = "nlqf_4", _("NLQF niveau 4")
    NLQF_5 = "nlqf_5", _("NLQF niveau 5")
    NLQF_6 = "nlqf_6", _("NLQF niveau 6")
    NLQF_7 = "nlqf_7", _("NLQF niveau 7")
    NLQF_8 = "nlqf_8", _("NLQF niveau 8")


class TrainingList(models.TextChoices):
    """Named lists or registers a training can be on (codes; the lists themselves live
    elsewhere, e.g. in the training catalogue)."""

    RIO = "rio", _("Erkende opleiding in RIO")
    TRAINING_REGISTER = "training_register", _("Landelijk scholingsregister (zoals STAP)")
    SECTOR_FUND_LIST = "sector_fund_list", _("Lijst van het sectorfonds")
    REGIONAL_LIST = "regional_list", _("Regionale scholingsmatrix")
    BASIC_SKILLS = "basic_skills", _("Erkend aanbod basisvaardigheden (taal, rekenen, digitaal)")


class ConditionKind(models.TextChoices):
    SITUATION = "situation", _("Situatie")
    AGE = "age", _("Leeftijd")
    EDUCATION_LEVEL = "education_level", _("Opleidingsniveau")
    SECTOR = "sector", _("Sector van het werk")
    REGION = "region", _("Arbeidsmarktregio")
    MUNICIPALITY = "municipality", _("Gemeente")
    EMPLOYER_SIZE = "employer_size", _("Grootte van de werkgever")
    TRAINING_KIND = "training_kind", _("Soort opleiding")
    TRAINING_LEVEL = "training_level", _("Niveau van de opleiding")
    TRAINING_LIST = "training_list", _("Opleiding staat op een lijst of register")
    TRAINING_CREBO = "training_crebo", _("Crebocode van de opleiding")


class Operator(models.TextChoices):
    IN = "in", _("is een van")
    NOT_IN = "not_in", _("is geen van")
    BETWEEN = "between", _("ligt tussen (grenzen tellen mee)")


#: Kinds whose value is a number range (operator ``between``, values {"min": n, "max": n}).
RANGE_KINDS = frozenset({ConditionKind.AGE})
#: Kinds a person or training can have several values of at once (any value counts).
MULTI_VALUED_KINDS = frozenset({ConditionKind.SITUATION, ConditionKind.TRAINING_LIST})
TRAINING_KINDS = frozenset(
    {
        ConditionKind.TRAINING_KIND,
        ConditionKind.TRAINING_LEVEL,
        ConditionKind.TRAINING_LIST,
        ConditionKind.TRAINING_CREBO,
    }
)


class Outcome(models.TextChoices):
    """The outcome of one condition."""

    MET = "met", _("voldaan")
    NOT_MET = "not_met", _("niet voldaan")
    UNKNOWN = "unknown", _("nog onbekend")


class Verdict(models.TextChoices):
    """The outcome of one arrangement."""

    ELIGIBLE = "eligible", _("Komt in aanmerking")
    POSSIBLY = "possibly", _("Misschien")
    NOT_ELIGIBLE = "not_eligible", _("Komt niet in aanmerking")


VERDICT_ORDER = {Verdict.ELIGIBLE: 0, Verdict.POSSIBLY: 1, Verdict.NOT_ELIGIBLE: 2}


class ChangeAction(models.TextChoices):
    CREATED = "created", _("aangemaakt")
    CHANGED = "changed", _("gewijzigd")
    CONDITION_ADDED = "condition_added", _("voorwaarde toegevoegd")
    CONDITION_CHANGED = "condition_changed", _("voorwaarde gewijzigd")
    CONDITION_REMOVED = "condition_removed", _("voorwaarde verwijderd")
    CHECKED = "checked", _("gecontroleerd")
