"""`kollega people`: a person's data exported to a zip, or their account erased."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kollega.audit.models import Action
from kollega.audit.services import record
from kollega.people.erasure import erase_person
from kollega.people.export import export_person
from kollega.people.models import Person
from kollega.people.services import person_for_operator


def _person(username: str) -> Person:
    person = person_for_operator(username)
    if person is None:
        raise CommandError(f"Nobody here is called {username}.")
    return person


class Command(BaseCommand):
    help = "Export a person's data to a zip file, or erase their account (cannot be undone)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser("export", help="Write USERNAME's data to FILE (a zip).")
        export.add_argument("username")
        export.add_argument("file")
        erase = actions.add_parser("erase", help="Erase USERNAME's personal data for good.")
        erase.add_argument("username")
        erase.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

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
