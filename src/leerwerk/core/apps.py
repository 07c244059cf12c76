from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "leerwerk.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from leerwerk.core import model_policies  # noqa: F401  (registers the policies)
