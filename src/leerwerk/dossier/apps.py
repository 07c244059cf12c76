from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "leerwerk.dossier"
    label = "dossier"
    verbose_name = _("Dossier: berichten en ontwikkelplan")

    def ready(self) -> None:
        from leerwerk.dossier import policies  # noqa: F401  (registers the policies)
