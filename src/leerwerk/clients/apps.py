from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "leerwerk.clients"
    label = "clients"
    verbose_name = _("Klanten")

    def ready(self) -> None:
        from leerwerk.clients import policies  # noqa: F401  (registers the policies)
