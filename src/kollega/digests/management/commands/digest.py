"""`kollega digest send`: make the daily or weekly digests now (the schedule does it at
each person's morning); `--dry-run` says who would get what and sends nothing."""

from django.core.management.base import BaseCommand, CommandError

from kollega.digests import services
from kollega.digests.models import Period


class Command(BaseCommand):
    help = "Digests: `send` makes the daily or weekly digest of everyone who chose it."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        send = actions.add_parser(
            "send",
            help="Make the digest of the latest day (or week) for every active person who "
            "chose that period, unless made already; the mail worker sends them.",
        )
        send.add_argument("--period", required=True, choices=Period.values)
        send.add_argument("--person", metavar="USERNAME", help="Only this person's digest.")
        send.add_argument(
            "--dry-run", action="store_true", help="Print who would get what; send nothing."
        )

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _send(self, period, person=None, dry_run=False, **options):
        if person is not None and not services.people_to_send(person).exists():
            raise CommandError(f"No active person with the username {person!r}.")
        report = services.send_digests(
            period, username=person, dry_run=dry_run, on_person=self._said(dry_run)
        )
        counts = report.counts
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{period} digests: {verb} {counts[services.Outcome.SENT]}, "
            f"empty {counts[services.Outcome.EMPTY]}, "
            f"made before {counts[services.Outcome.ALREADY_SENT]}, "
            f"no e-mail address {counts[services.Outcome.NO_ADDRESS]}."
        )
        if person is not None and counts[services.Outcome.NOT_CHOSEN]:
            chosen = services.digest_choice(services.people_to_send(person).get())
            self.stdout.write(f"{person} chose {chosen} digests, not {period}: none made.")
        if report.no_address:
            self.stdout.write("Without a usable e-mail address (skipped):")
            for username in report.no_address:
                self.stdout.write(f"  {username}")

    def _said(self, dry_run):
        def say(person, outcome, digest):
            if outcome == services.Outcome.NOT_CHOSEN or (
                not dry_run and outcome != services.Outcome.NO_ADDRESS
            ):
                return
            who = f"{person.user.username} <{person.email or '-'}>"
            if outcome == services.Outcome.ALREADY_SENT:
                self.stdout.write(f"{who}: made before")
            elif outcome == services.Outcome.EMPTY:
                self.stdout.write(f"{who}: nothing to say, not sent")
            else:
                sections = ", ".join(f"{s.key} {len(s.items)}" for s in digest.sections)
                skipped = ""
                if outcome == services.Outcome.NO_ADDRESS:
                    skipped = " (no e-mail address: skipped)"
                self.stdout.write(f"{who}: {digest.item_count} items ({sections}){skipped}")

        return say
