from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "leerwerk.catalogue"
    label = "catalogue"
    verbose_name = _("Opleidingsaanbod")

    def ready(self) -> None:
        from leerwerk.catalogue import policies  # noqa: F401  (registers the policies)
