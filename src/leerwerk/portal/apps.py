from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "leerwerk.portal"
    label = "portal"
    verbose_name = _("Publieke website")

    def ready(self) -> None:
        from leerwerk.portal import policies  # noqa: F401  (registers the policies)
