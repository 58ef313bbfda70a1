"""`kollega token`: personal access tokens for the API (create, list, revoke)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from kollega.api import services
from kollega.people.models import Person
from kollega.people.services import person_for_operator

STAMP = "%Y-%m-%d %H:%M"


def _person(username: str) -> Person:
    person = person_for_operator(username)
    if person is None:
        raise CommandError(f"Nobody here is called {username}.")
    return person


class Command(BaseCommand):
    help = "Create, list and revoke personal access tokens for the API (/api/v1/)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a token and print it (only once).")
        create.add_argument("username")
        create.add_argument(
            "--name", default=services.DEFAULT_TOKEN_NAME, help="What the token is for."
        )
        create.add_argument(
            "--expires-in",
            type=int,
            metavar="DAYS",
            dest="expires_in",
            help="The token stops working after DAYS days (default: never).",
        )
        create.add_argument(
            "--read-only",
            action="store_true",
            help="The token may read but not change anything (no POST, PUT, PATCH, DELETE).",
        )
        listing = actions.add_parser("list", help="List a person's tokens (never the keys).")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _create(self, username, name, expires_in=None, read_only=False, **options):
        token, key = services.create_token(
            _person(username), name, expires_in_days=expires_in, read_only=read_only
        )
        self.stdout.write(key)
        expiry = (
            f"expires {localtime(token.expires_at):{STAMP}}" if token.expires_at else "no expiry"
        )
        self.stderr.write(
            f"Token {token.pk} ({token.name!r}, {token.scope}, {expiry}) for {username}. "
            "Copy it now: it is not shown again. Send it as 'Authorization: Bearer <token>'."
        )

    def _list(self, username, **options):
        tokens = services.tokens_of(_person(username))
        if not tokens:
            self.stderr.write(f"{username} has no tokens.")
            return
        self.stdout.write(
            f"{'id':>5}  {'prefix':<9} {'created':<16}  {'last used':<16}  "
            f"{'expires':<16}  {'scope':<10}  name"
        )
        for token in tokens:
            created = localtime(token.created_at)
            used = localtime(token.last_used_at).strftime(STAMP) if token.last_used_at else "never"
            expires = localtime(token.expires_at).strftime(STAMP) if token.expires_at else "never"
            self.stdout.write(
                f"{token.pk:>5}  {token.prefix + '…':<9} {created:{STAMP}}  "
                f"{used:<16}  {expires:<16}  {token.scope:<10}  {token.name}"
            )

    def _revoke(self, id, **options):
        token = services.revoke_token(id)
        self.stdout.write(f"Token {id} ({token.name!r}) of {token.person.user.username} revoked.")
