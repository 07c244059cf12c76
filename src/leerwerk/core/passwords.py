"""Django's password validators with Dutch messages for every code.

Django 5.2's Dutch catalogue misses the current text of the "too short" message, so that one
would show in English; the others are reworded here at B1 level for staff and citizens alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

PASSWORD_MESSAGES = {
    "password_too_short": gettext_lazy(
        "Dit wachtwoord is te kort. Gebruik minstens %(min_length)d tekens."
    ),
    "password_too_similar": gettext_lazy(
        "Dit wachtwoord lijkt te veel op uw e-mailadres. Kies een ander wachtwoord."
    ),
    "password_too_common": gettext_lazy(
        "Dit wachtwoord gebruiken veel mensen. Het is makkelijk te raden. Kies een ander."
    ),
    "password_entirely_numeric": gettext_lazy(
        "Een wachtwoord van alleen cijfers is makkelijk te raden. Gebruik ook letters."
    ),
}


def validate_password_nl(password: str, user: Any = None) -> None:
    """``validate_password`` raising a ValidationError with one Dutch message per problem."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        messages = []
        for error in exc.error_list:
            template = PASSWORD_MESSAGES.get(error.code or "")
            messages.append(
                str(template) % (error.params or {}) if template else " ".join(error.messages)
            )
        raise ValidationError(messages) from None
