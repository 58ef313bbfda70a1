"""The people directory's words: what a typed word is matched against.

A person is found by the start of any word of their name, user name or job title
("an" finds Anna Lindqvist, Jan Andersson and a Wine analyst; "lindq anna" finds
Anna Lindqvist), case and accents aside, folded as search folds them. The words
are kept in `DirectoryWord` rows so that a search reads an index: matching every
name with LIKE '%an%' read all people twice per search (the page and the count),
50–250 ms on PostgreSQL with 100,000 people. Writes keep the rows current: a
saved person or account (signals, below, in the same transaction), and the two
bulk inserts that send no signals, the Stack Exchange importer and the demo.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from kollega.limits import DIRECTORY_WORD_MAX_CHARS
from kollega.people.models import DirectoryWord, Person
from kollega.search.text import folded, words


def normalised_words(text: str) -> list[str]:
    """The words of `text` as search analyses them: lower case, accents folded away
    (é → e, ø → o: what someone without those keys types)."""
    return [folded(w)[:DIRECTORY_WORD_MAX_CHARS] for w in words(text)]


def words_of(name: str, username: str, title: str) -> set[str]:
    """Every word a person can be found by."""
    return {w for text in (name, username, title) for w in normalised_words(text or "")}


def index_people(person_ids: Iterable[int]) -> None:
    """Rewrite the directory words of these people from their current name, user name
    and title (people who no longer exist simply lose theirs)."""
    ids = list(person_ids)
    for start in range(0, len(ids), 2000):
        batch = ids[start : start + 2000]
        rows = Person.objects.filter(pk__in=batch).values_list(
            "pk", "name", "user__username", "title"
        )
        with transaction.atomic():
            DirectoryWord.objects.filter(person_id__in=batch).delete()
            DirectoryWord.objects.bulk_create(
                [
                    DirectoryWord(person_id=pk, word=word)
                    for pk, name, username, title in rows
                    for word in sorted(words_of(name, username, title))
                ],
                batch_size=2000,
            )


# Enough to tell a word most people share from one that narrows the search.
RARITY_CAP = 500


def _starting(word: str):
    starting = DirectoryWord.objects.filter(word__startswith=word)
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so it cannot use the index on its own; the
        # words are stored lower case, and this range reads the index.
        starting = starting.filter(word__gte=word, word__lt=word + "\U0010ffff")
    return starting


def matching(typed: str):
    """A filter on people: every word typed starts a word of theirs.

    When one word is rare, its people are read and each is checked for the
    other words. Read word by word, a search such as "j lindqvist" first listed
    everyone with a word starting with "j": on SQLite with 100,000 people,
    "person 12345" took 48-63 ms (docs/performance.md), now 2 ms. Rare means under
    RARITY_CAP index entries; when every word is common, the lists are read
    whole and intersected, which is cheaper than checking each of thousands of
    people.
    """
    typed_words = normalised_words(typed)[:5]
    one_by_one = False
    if len(typed_words) > 1:
        entries = {w: _starting(w)[:RARITY_CAP].count() for w in typed_words}
        typed_words.sort(key=entries.get)
        one_by_one = entries[typed_words[0]] < RARITY_CAP
    condition = Q()
    for n, word in enumerate(typed_words):
        if n and one_by_one:
            condition &= Exists(_starting(word).filter(person_id=OuterRef("pk")))
        else:
            condition &= Q(pk__in=_starting(word).values("person_id"))
    return condition


# In the saving transaction, as the search index is: a new colleague can be found the
# moment their account exists.
def _person_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and (update_fields is None or {"name", "title"} & set(update_fields)):
        index_people([instance.pk])


def _user_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    # Signing in saves the account (last_login): only a new user name matters here.
    if raw or created or (update_fields is not None and "username" not in update_fields):
        return
    index_people(Person.objects.filter(user=instance).values_list("pk", flat=True))


def connect_signals() -> None:
    """Keep the words current when a person or their account is saved."""
    from django.contrib.auth.models import User
    from django.db.models.signals import post_save

    post_save.connect(_person_saved, sender=Person, dispatch_uid="directory_person")
    post_save.connect(_user_saved, sender=User, dispatch_uid="directory_user")
