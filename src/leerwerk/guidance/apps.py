from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "leerwerk.guidance"
    label = "guidance"
    verbose_name = _("Begeleiding")

    def ready(self) -> None:
        from leerwerk.guidance import policies  # noqa: F401  (registers the policies)
