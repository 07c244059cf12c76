from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "leerwerk.reporting"
    label = "reporting"
    verbose_name = _("Rapportages")

    def ready(self) -> None:
        from leerwerk.reporting import policies  # noqa: F401  (registers the policies)
