"""``leerwerk create_api_token --email X --name "..." [--days N]``: a token for an API client.

The raw token is printed once and never stored (only its hash); the command cannot show it
again. For a partner client, create a user with the global role "partner_referrer" first.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from leerwerk.accounts.models import User
from leerwerk.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--email", required=True, help="E-mail address of the user.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Valid for this many days (default: until revoked).",
        )

    def handle(self, *args, email: str, name: str, days: int | None, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Er is geen gebruiker met e-mailadres {email}.")
        if not user.is_active:
            raise CommandError(f"Het account {email} is niet actief.")
        if not name.strip():
            raise CommandError("Geef het token een naam (--name).")
        if days is not None and days < 1:
            raise CommandError("--days moet 1 of meer zijn.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        token, raw = api_token_create(user=user, name=name, expires_at=expires_at)
        self.stdout.write(raw)
        until = (
            f"geldig tot {timezone.localtime(expires_at):%Y-%m-%d %H:%M}"
            if expires_at
            else "geldig tot het wordt ingetrokken"
        )
        self.stderr.write(
            f"Token '{token.name}' voor {user.email} ({until}). Dit is de enige keer dat het "
            "token wordt getoond: bewaar het veilig. Gebruik: Authorization: Token <token>"
        )
