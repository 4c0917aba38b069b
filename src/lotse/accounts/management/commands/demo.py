import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django_scopes import scopes_disabled

from lotse.accounts import demo


class Command(BaseCommand):
    help = "Load the demo installation (a fictional district integration office)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo data is there already (for `make run`).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        with scopes_disabled():
            exists = demo.demo_exists()
        if exists and not if_empty:
            raise CommandError("The demo data is loaded already.")
        if not exists:
            with scopes_disabled(), transaction.atomic():
                organisation = demo.load_demo()
                # Each app may add its demo data in its own demo.py (extend_demo).
                for app_config in apps.get_app_configs():
                    if not app_config.name.startswith("lotse.") or app_config.label == "accounts":
                        continue
                    try:
                        module = importlib.import_module(f"{app_config.name}.demo")
                    except ModuleNotFoundError as error:
                        if error.name != f"{app_config.name}.demo":
                            raise  # a demo that needs a missing package must say so
                        continue
                    module.extend_demo(organisation)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(f"Lotse runs at {settings.LOTSE_BASE_URL}/")
        self.stdout.write(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
        with translation.override("en"):
            for user in demo.USERS:
                self.stdout.write(f"  {user.role.label!s:<24} {user.email}")
        self.stdout.write(
            "The administrator sets up two-factor login with an authenticator app at first sign-in."
        )
        self.stdout.write("")
