"""`kollega demo`: fill an empty database with a realistic demo organisation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kollega.demo import builder, catalogue
from kollega.people.models import Person


class Command(BaseCommand):
    help = (
        "Build a demo organisation: 1,005 people in 42 departments from a real e-mail network, "
        "with posts and answers from the Beer, Wine & Spirits Stack Exchange (CC BY-SA). "
        "Without the data folder, a smaller generated organisation."
    )

    def add_arguments(self, parser):
        """The command's options."""
        parser.add_argument("--seed", type=int, default=42, help="Same seed, same organisation.")
        parser.add_argument(
            "--data",
            type=Path,
            default=None,
            help=f"The shared data folder (default: ${builder.DATA_ENV}, else ../shared/data).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if anyone exists already."
        )
        parser.add_argument(
            "--small", action="store_true", help="Build the smaller generated organisation."
        )

    def handle(self, *args, seed, data, if_empty, small, verbosity, **options):
        """Build the demo unless people exist already."""
        existing = Person.objects.count()
        if existing and if_empty:
            self.stdout.write(f"The database has {existing} people already; no demo added.")
            return
        if existing:
            raise CommandError(
                f"The database has {existing} people already; the demo needs an empty one "
                "(use --if-empty to skip, or start from a fresh database)."
            )
        result = builder.build(
            data or builder.default_data_dir(),
            seed=seed,
            small=small,
            progress=verbosity > 0,
            say=self.stdout.write,
        )
        self._summary(result)

    def _summary(self, result: builder.DemoResult) -> None:
        """What was built, and how to sign in."""
        c = result.counts
        lines = (
            f"Built in {result.seconds:.1f} s:",
            f"  {c['people']:,} people (and the administrator) in {c['departments']} "
            f"departments under {c['divisions']} divisions, {c['offices']} offices",
            f"  {c['contacts']:,} contacts, {c['person_follows']:,} people followed, "
            f"{c['tag_follows']:,} tags followed, {c['person_tags']:,} tags on people",
            f"  {c['posts']:,} posts ({c['posts_organisation']:,} organisation, "
            f"{c['posts_network']:,} network, {c['posts_board']:,} on a colleague's board), "
            f"{c['comments']:,} comments, {c['recommendations']:,} recommendations",
            f"  {c['communities']} communities ({c['community_memberships']:,} memberships), "
            f"{c['community_posts']:,} posts moved into them",
            f"  {c.get('questions', 0):,} questions ({c.get('questions_accepted', 0):,} with an "
            f"accepted answer), {c.get('answers', 0):,} answers, "
            f"{c.get('questions_sent', 0)} sent or referred to colleagues",
            f"  {c.get('blog_entries', 0):,} blog entries "
            f"({c.get('blog_entries_published', 0):,} published), "
            f"{c.get('wiki_pages', 0)} wiki pages ({c.get('wiki_revisions', 0)} revisions), "
            f"{c.get('bookmarks', 0):,} bookmarks",
            f"  {c['notifications']:,} notifications, {c['invitations']} pending invitations",
        )
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                # No address: `kollega serve` prints where it listens (PORT may differ).
                f"Sign in as {result.first_username} / "
                f"{catalogue.DEMO_PASSWORD} (or {catalogue.ADMIN_USERNAME} / "
                f"{catalogue.ADMIN_PASSWORD})"
            )
        )
