from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from leerwerk.accounts.services import api_token_authenticate


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <token>`` for staff and partner clients (hashed at rest)."""

    keyword = "Token"

    def authenticate_credentials(self, key):  # type: ignore[no-untyped-def]
        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ongeldig, verlopen of ingetrokken token."))
        return token.user, token
