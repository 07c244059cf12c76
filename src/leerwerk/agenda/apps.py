from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "leerwerk.agenda"
    label = "agenda"
    verbose_name = _("Afspraken en activiteiten")

    def ready(self) -> None:
        from leerwerk.agenda import policies  # noqa: F401  (registers the policies)
