from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "leerwerk.network"
    label = "network"
    verbose_name = _("Netwerk")

    def ready(self) -> None:
        from leerwerk.network import policies  # noqa: F401  (registers the policies)
