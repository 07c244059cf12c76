from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from leerwerk.network.demo import DEMO_PASSWORD, load_demo_data


class Command(BaseCommand):
    help = "Create demo desks, locations, partners and staff (fake names) and print the log-ins."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also run when LEERWERK_HTTPS is on (a production-like installation).",
        )

    def handle(self, *args, force: bool = False, **options):  # type: ignore[no-untyped-def]
        if settings.HTTPS and not force:
            raise CommandError(
                "Dit lijkt een productie-installatie (LEERWERK_HTTPS staat aan). Gebruik --force "
                "als u echt demogegevens met een bekend wachtwoord wilt aanmaken."
            )
        logins = load_demo_data()
        from leerwerk.guidance.demo import load_demo_crm  # the CRM builds on the network

        crm_desks = load_demo_crm()
        from leerwerk.catalogue.demo import load_demo_catalogue

        offers, opportunities = load_demo_catalogue()
        from django.apps import apps

        from leerwerk.funding.examples import seed as seed_funding_examples

        arrangements = seed_funding_examples(apps)  # the regional example needs the desks
        self.stdout.write(self.style.SUCCESS("Demogegevens staan klaar. Inloggen kan met:"))
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role:<15}  {login.desk}")
        self.stdout.write(f"Wachtwoord voor alle demo-accounts: {DEMO_PASSWORD}")
        self.stdout.write(f"Demo-opleidingen: {offers} nieuw; {opportunities} nieuwe kansberoepen.")
        self.stdout.write(f"Voorbeeldregelingen voor financiering: {arrangements} nieuw.")
        if crm_desks:
            self.stdout.write(f"Demoklanten, -aanvragen en -registraties bij {crm_desks} loketten.")
