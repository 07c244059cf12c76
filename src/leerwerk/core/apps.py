from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "leerwerk.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from leerwerk.core import model_policies  # noqa: F401  (registers the policies)
        from leerwerk.core.audit import close_audit_connection

        request_finished.connect(
            close_audit_connection, dispatch_uid="leerwerk-close-audit-connection"
        )
