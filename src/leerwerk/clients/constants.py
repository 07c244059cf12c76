from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    JOBSEEKER_WW = "jobseeker_ww", _("Werkzoekend met WW-uitkering")
    JOBSEEKER_BIJSTAND = "jobseeker_bijstand", _("Werkzoekend met bijstandsuitkering")
    JOBSEEKER_NO_BENEFIT = "jobseeker_no_benefit", _("Werkzoekend zonder uitkering")
    WORKER = "worker", _("Werkend")
    STUDENT = "student", _("Student of scholier")
    SELF_EMPLOYED = "self_employed", _("Zelfstandige (zzp)")
    OTHER = "other", _("Anders")


class EducationLevel(models.TextChoices):
    NONE = "none", _("Geen opleiding afgerond")
    PRIMARY = "primary", _("Basisonderwijs")
    VMBO = "vmbo", _("Vmbo of mavo")
    HAVO_VWO = "havo_vwo", _("Havo of vwo")
    MBO_1 = "mbo_1", _("Mbo niveau 1 (entree)")
    MBO_2 = "mbo_2", _("Mbo niveau 2")
    MBO_3 = "mbo_3", _("Mbo niveau 3")
    MBO_4 = "mbo_4", _("Mbo niveau 4")
    HBO = "hbo", _("Hbo (associate degree of bachelor)")
    WO = "wo", _("Wo (universiteit)")
    FOREIGN = "foreign", _("Diploma uit het buitenland")
    UNKNOWN = "unknown", _("Onbekend")


class ContactChannel(models.TextChoices):
    """How the client prefers to be contacted."""

    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telefoon")
    POST = "post", _("Post")


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", _("Contact opnemen over de adviesvraag")
    SHARE_WITH_REFERRER = "share_with_referrer", _("Uitkomst delen met de verwijzende partner")
    SATISFACTION_SURVEY = "satisfaction_survey", _("Tevredenheidsonderzoek")
    FOLLOW_UP = "follow_up", _("Later opnieuw contact opnemen")


class SizeClass(models.TextChoices):
    MICRO = "1-9", _("1 tot 10 werknemers")
    SMALL = "10-49", _("10 tot 50 werknemers")
    MEDIUM = "50-249", _("50 tot 250 werknemers")
    LARGE = "250+", _("250 of meer werknemers")


class Sector(models.TextChoices):
    """Broad sectors (SBI sections, simplified)."""

    AGRICULTURE = "agriculture", _("Landbouw, bosbouw en visserij")
    INDUSTRY = "industry", _("Industrie")
    ENERGY = "energy", _("Energie en water")
    CONSTRUCTION = "construction", _("Bouw")
    TRADE = "trade", _("Handel")
    TRANSPORT = "transport", _("Vervoer en logistiek")
    HOSPITALITY = "hospitality", _("Horeca")
    ICT = "ict", _("Informatie en communicatie")
    FINANCE = "finance", _("Financiële dienstverlening")
    BUSINESS_SERVICES = "business_services", _("Zakelijke dienstverlening")
    PUBLIC = "public", _("Openbaar bestuur")
    EDUCATION = "education", _("Onderwijs")
    CARE = "care", _("Zorg en welzijn")
    CULTURE = "culture", _("Cultuur, sport en recreatie")
    OTHER = "other", _("Overige")


BIRTH_YEAR_MIN = 1900
KVK_PATTERN = r"^\d{8}$"
PHONE_PATTERN = r"^(\+|00)?[0-9 ()-]{8,20}$"
