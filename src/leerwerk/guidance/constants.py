from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeChannel(models.TextChoices):
    """How a question reached the desk. Stored on the request and the trajectory; reportable."""

    WEB_FORM = "web_form", _("Webformulier")
    PHONE = "phone", _("Telefoon")
    WALK_IN = "walk_in", _("Inloop")
    EMAIL = "email", _("E-mail")
    PARTNER_REFERRAL = "partner_referral", _("Verwijzing door partner")
    OTHER = "other", _("Anders")


class QuestionTheme(models.TextChoices):
    RETRAINING = "retraining", _("Omscholing")
    TRAINING_QUESTION = "training_question", _("Scholingsvraag")
    CAREER_ADVICE = "career_advice", _("Loopbaanadvies")
    FUNDING = "funding", _("Financiering van scholing")
    BASIC_SKILLS = "basic_skills", _("Basisvaardigheden")
    JOB_APPLICATIONS = "job_applications", _("Solliciteren")
    EVC = "evc", _("Erkenning van verworven competenties (EVC)")
    OTHER = "other", _("Anders")


class RequestStatus(models.TextChoices):
    NEW = "new", _("Nieuw")
    HANDLED = "handled", _("In behandeling genomen")
    DISMISSED = "dismissed", _("Afgehandeld zonder traject")


class TrajectoryStatus(models.TextChoices):
    REGISTERED = "registered", _("Aangemeld")
    INTAKE = "intake", _("Intake")
    IN_PROGRESS = "in_progress", _("Loopt")
    ON_HOLD = "on_hold", _("Gepauzeerd")
    CLOSED = "closed", _("Afgesloten")


# Allowed moves. Closing needs an outcome; "on hold" can resume where it makes sense.
TRANSITIONS: dict[str, set[str]] = {
    TrajectoryStatus.REGISTERED: {
        TrajectoryStatus.INTAKE,
        TrajectoryStatus.ON_HOLD,
        TrajectoryStatus.CLOSED,
    },
    TrajectoryStatus.INTAKE: {
        TrajectoryStatus.IN_PROGRESS,
        TrajectoryStatus.ON_HOLD,
        TrajectoryStatus.CLOSED,
    },
    TrajectoryStatus.IN_PROGRESS: {TrajectoryStatus.ON_HOLD, TrajectoryStatus.CLOSED},
    TrajectoryStatus.ON_HOLD: {
        TrajectoryStatus.INTAKE,
        TrajectoryStatus.IN_PROGRESS,
        TrajectoryStatus.CLOSED,
    },
    TrajectoryStatus.CLOSED: set(),
}
OPEN_STATUSES = [s for s in TrajectoryStatus.values if s != TrajectoryStatus.CLOSED]


class Outcome(models.TextChoices):
    TRAINING_STARTED = "training_started", _("Gestart met een opleiding")
    WORK_FOUND_OR_KEPT = "work_found_or_kept", _("Werk gevonden of behouden")
    REFERRED_TO_PARTNER = "referred_to_partner", _("Doorverwezen naar een partner")
    ADVICE_NO_FOLLOW_UP = "advice_no_follow_up", _("Advies gegeven, geen vervolg")
    DROPPED_OUT = "dropped_out", _("Gestopt")


class RegistrationKind(models.TextChoices):
    CONTACT_MOMENT = "contact_moment", _("Contactmoment")
    INSTRUMENT = "instrument", _("Instrument")
    REFERRAL = "referral", _("Externe doorverwijzing")
    EMPLOYER_ACTIVITY = "employer_activity", _("Werkgeversactiviteit")


class Channel(models.TextChoices):
    """Channel of a contact moment."""

    IN_PERSON = "in_person", _("Op locatie")
    PHONE = "phone", _("Telefoon")
    VIDEO = "video", _("Video")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")


class RegistrationStatus(models.TextChoices):
    COMPLETED = "completed", _("Gehouden")
    CANCELLED = "cancelled", _("Afgezegd")
    NO_SHOW = "no_show", _("Niet verschenen")


MAX_DURATION_MINUTES = 480
