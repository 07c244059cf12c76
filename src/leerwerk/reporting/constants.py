from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """How a figure is computed. The definition's parameters say what exactly."""

    REGISTRATIONS = "registrations", _("Aantal registraties")
    DISTINCT_CLIENTS = "distinct_clients", _("Aantal verschillende klanten")
    DISTINCT_EMPLOYERS = "distinct_employers", _("Aantal verschillende werkgevers")
    STAFF_FTE = "staff_fte", _("Fte uit de lidmaatschappen")
    MANUAL = "manual", _("Met de hand ingevoerd")
    RATIO = "ratio", _("Afgeleid: deling van twee cijfers")
    EVENT_REGISTRATIONS = "event_registrations", _("Aanmeldingen voor activiteiten (agenda)")
    EVENT_VISITORS = "event_visitors", _("Bezoekers van activiteiten (agenda)")
    STAND_CONVERSATIONS = "stand_conversations", _("Standgesprekken (agenda)")
    WEBSITE_VISITS = "website_visits", _("Websitebezoeken, geteld zonder cookies (portaal)")


# Figures counted by other parts of the platform (events, website) rather than registrations.
ACTIVITY_METHODS = (
    Method.EVENT_REGISTRATIONS,
    Method.EVENT_VISITORS,
    Method.STAND_CONVERSATIONS,
    Method.WEBSITE_VISITS,
)


class Half(models.IntegerChoices):
    FIRST = 1, _("eerste halfjaar")
    SECOND = 2, _("tweede halfjaar")
