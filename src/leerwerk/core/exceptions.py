"""Domain errors raised by services. Views and the API turn them into Dutch messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ConflictError(ValidationError):
    """Someone else changed the object since it was loaded; nothing was saved."""

    default_message = _(
        "Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen. "
        "Laad de pagina opnieuw en voer uw wijziging nog eens in."
    )

    def __init__(self, message=None):  # type: ignore[no-untyped-def]
        super().__init__(message or self.default_message, code="conflict")
