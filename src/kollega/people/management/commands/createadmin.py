"""`kollega createadmin`: an administrator account with a profile."""

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kollega.people.services import create_person


class Command(BaseCommand):
    help = "Create an administrator who can sign in to the intranet and its admin site."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Display name (default: the user name).")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            default=os.environ.get("KOLLEGA_ADMIN_PASSWORD"),
            help="Password (default: $KOLLEGA_ADMIN_PASSWORD, else asked for).",
        )

    def handle(self, *args, username, name, email, password, **options):
        if not password:
            if not sys.stdin.isatty():
                raise CommandError("Give --password or set KOLLEGA_ADMIN_PASSWORD.")
            password = getpass.getpass("Password: ")
        try:
            person = create_person(username, name or username, email=email, password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        person.user.is_staff = person.user.is_superuser = True
        person.user.save(update_fields=["is_staff", "is_superuser"])
        self.stdout.write(self.style.SUCCESS(f"Administrator {person.user.username} created."))
