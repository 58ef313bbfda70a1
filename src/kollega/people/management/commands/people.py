"""`kollega people`: a person's data exported to a zip, their account erased, or their
public pages switched on or off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kollega.audit.models import Action
from kollega.audit.services import record
from kollega.people.erasure import erase_person
from kollega.people.export import export_person
from kollega.people.models import Person
from kollega.people.services import person_for_operator, set_public_pages


def _person(username: str) -> Person:
    person = person_for_operator(username)
    if person is None:
        raise CommandError(f"Nobody here is called {username}.")
    return person


class Command(BaseCommand):
    help = (
        "Export a person's data to a zip file, erase their account (cannot be undone), "
        "or switch their public pages on or off."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser("export", help="Write USERNAME's data to FILE (a zip).")
        export.add_argument("username")
        export.add_argument("file")
        erase = actions.add_parser("erase", help="Erase USERNAME's personal data for good.")
        erase.add_argument("username")
        erase.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        public = actions.add_parser(
            "public",
            help="Switch USERNAME's public pages (profile, public blog, feed) on or off; "
            "they show only while KOLLEGA_PUBLIC_PAGES is true.",
        )
        public.add_argument("username")
        switch = public.add_mutually_exclusive_group(required=True)
        switch.add_argument("--on", dest="on", action="store_true")
        switch.add_argument("--off", dest="on", action="store_false")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _export(self, username, file, **options):
        person = _person(username)
        with open(file, "wb") as out, tqdm(unit=" records", file=self.stderr) as bar:
            export_person(person, out, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"{username}'s data written to {file}."))

    def _erase(self, username, yes=False, **options):
        person = _person(username)
        if not yes:
            answer = input(f"Erase {username} ({person.name}) for good? Type the user name: ")
            if answer.strip().lower() != person.user.username:
                raise CommandError("Not erased.")
        erase_person(person)
        record(
            Action.PERSON_ERASED, target=("person", person.pk, ""), detail={"username": username}
        )
        self.stdout.write(self.style.SUCCESS(f"{username} erased."))

    def _public(self, username, on, **options):
        person = set_public_pages(_person(username), on)
        state = "on" if on else "off"
        self.stdout.write(self.style.SUCCESS(f"{username}'s public pages are {state}."))
        if on and not person.user.is_active:
            self.stderr.write(f"{username} is deactivated: nothing shows until reactivated.")
        if on and not settings.KOLLEGA_PUBLIC_PAGES:
            self.stderr.write("KOLLEGA_PUBLIC_PAGES is off: nothing shows until it is true.")
