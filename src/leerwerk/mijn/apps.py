from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MijnConfig(AppConfig):
    name = "leerwerk.mijn"
    label = "mijn"
    verbose_name = _("Mijn Leerwerkloket")

    def ready(self) -> None:
        from leerwerk.mijn import policies  # noqa: F401  (registers the policies)
