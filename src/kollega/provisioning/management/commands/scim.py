"""`kollega scim token create|list|revoke`: the bearer tokens SCIM clients send."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kollega.provisioning.models import ScimToken
from kollega.provisioning.services.tokens import create_scim_token, revoke_scim_token


class Command(BaseCommand):
    help = "Make, list or revoke the bearer tokens SCIM clients (Entra ID, Okta) use."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="what", required=True, metavar="token")
        token = actions.add_parser("token", help="SCIM bearer tokens.")
        verbs = token.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = verbs.add_parser("create", help="Make a token for client NAME; shown once.")
        create.add_argument("name")
        verbs.add_parser("list", help="The tokens, with when each was last used.")
        revoke = verbs.add_parser("revoke", help="Revoke the token of client NAME.")
        revoke.add_argument("name")

    def handle(self, *args, what, action, **options):
        if action == "create":
            try:
                row, token = create_scim_token(options["name"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stderr.write(f"SCIM token {row.name} made. Copy it now; it is not shown again:")
            self.stdout.write(token)
        elif action == "list":
            for row in ScimToken.objects.all():
                used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
                created = f"{row.created_at:%Y-%m-%d}"
                self.stdout.write(f"{row.name}\tcreated {created}\tlast used {used}")
        elif not revoke_scim_token(options["name"]):
            raise CommandError(f"There is no SCIM token called {options['name']}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"SCIM token {options['name']} revoked."))
