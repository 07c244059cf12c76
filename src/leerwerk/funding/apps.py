from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "leerwerk.funding"
    label = "funding"
    verbose_name = _("Financiering")

    def ready(self) -> None:
        from leerwerk.funding import policies  # noqa: F401  (registers the policies)
