"""'Download my data': one person's profile and everything they wrote, as a zip of JSON.

Only what is theirs or about them goes in: the texts they wrote in full, and for
the rest (the post a comment of theirs is on, the person who invited them) ids
and names that they could see anyway, never someone else's text. Rows are read
in chunks and written one by one, so thousands of posts neither fill memory nor
wait for a single huge query.
"""

import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from kollega.people.models import Person, PersonTag

# Never exported: secrets, and text rendered from what is already there.
SECRET_FIELDS = {"key_hash", "session_key", "password", "body_html"}

README = """\
Kollega: your data, exported on {date}, for {username}.

Every .json file holds a list of records (profile.json holds one object).
Dates are in UTC (ISO 8601). Ids refer to other records in this export or to
items in Kollega (a post, a person, a community) that you may open there.

profile.json             your profile: name, title, department, office, manager, about,
                         phone, languages, settings (interface language, who may see
                         your board) and privacy settings (who may see your contacts,
                         phone and office: contacts_seen_by, phone_seen_by,
                         location_seen_by; in_who_knows, in_recommendations), your
                         sign-in account's user name and e-mail, and the tags on you
                         (tags_on_me: which tag, who set it, when)
tags_i_set.json          tags you put on colleagues
contacts.json            your contacts (user name, name, since when)
follows.json             people, tags and communities you follow
invitations.json         contact invitations you sent and received
posts.json               status updates you wrote (on any board)
comments.json            comments you wrote (with the id of the post they are on)
questions.json           questions you asked
answers.json             answers you wrote (with the id of the question)
answer_comments.json     comments you wrote on answers
referrals.json           referrals you made or received
communities.json         communities you belong to and your role there
blog_entries.json        your blog entries, drafts and scheduled ones included
wiki_revisions.json      wiki revisions you wrote
bookmarks.json           your bookmarks
notifications.json       notifications you received (kinds and ids, not others' texts)
mail_preferences.json    which notifications you chose to get by mail at once, in your
                         digest or never (kinds you never chose get the default)
api_tokens.json          your API tokens: name, prefix, scope, dates (never the keys)
sessions.json            where you are signed in: browser, address, dates
files/                   your photo and the wiki attachments you uploaded
"""


def record(obj: models.Model, **extra) -> dict:
    """The object's own columns (foreign keys as ids), minus secrets, plus `extra`."""
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, models.fields.files.FieldFile):
            value = str(value)
        row[field.attname] = value
    row.update(extra)
    return row


def _person_ref(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, "username": person.user.username, "name": person.name}


def profile_record(person: Person) -> dict:
    row = record(person)
    row["account"] = {
        "username": person.user.username,
        "email": person.user.email,
        "date_joined": person.user.date_joined,
        "last_login": person.user.last_login,
        "is_active": person.user.is_active,
    }
    row["department"] = person.department.name if person.department_id else None
    row["office"] = person.office.name if person.office_id else None
    row["manager"] = _person_ref(person.manager)
    row["tags_on_me"] = [
        {"tag": link.tag.name, "added_by": _person_ref(link.added_by), "added_at": link.added_at}
        for link in PersonTag.objects.filter(person=person).select_related("tag", "added_by__user")
    ]
    return row


def _rows(queryset, extra: Callable[[models.Model], dict] | None = None) -> Iterator[dict]:
    for obj in queryset.iterator(chunk_size=500):
        yield record(obj, **(extra(obj) if extra else {}))


def sections(person: Person) -> Iterator[tuple[str, Iterable[dict]]]:
    """(file name, records) for each file of the export, lazily."""
    from kollega.accounts.models import SignedInSession
    from kollega.api.models import ApiToken
    from kollega.communities.models import CommunityFollow, Membership
    from kollega.content.blogs.models import BlogEntry
    from kollega.content.bookmarks.models import Bookmark
    from kollega.content.wikis.models import Revision
    from kollega.network.models import Contact, Invitation, PersonFollow, TagFollow
    from kollega.notifications.models import MailPreference, Notification
    from kollega.posts.models import Comment, Post
    from kollega.qa.models import Answer, AnswerComment, Question, Referral

    tags = lambda obj: {"tags": [t.name for t in obj.tags.all()]}  # noqa: E731
    yield (
        "tags_i_set.json",
        _rows(
            PersonTag.objects.filter(added_by=person).exclude(person=person).select_related("tag"),
            lambda link: {"tag": link.tag.name},
        ),
    )
    yield (
        "contacts.json",
        _rows(
            Contact.objects.filter(person=person).select_related("contact__user"),
            lambda c: {"contact": _person_ref(c.contact)},
        ),
    )
    follows = [
        *_rows(
            PersonFollow.objects.filter(follower=person).select_related("followed__user"),
            lambda f: {"kind": "person", "followed": _person_ref(f.followed)},
        ),
        *_rows(
            TagFollow.objects.filter(follower=person).select_related("tag"),
            lambda f: {"kind": "tag", "tag": f.tag.name},
        ),
        *_rows(
            CommunityFollow.objects.filter(person=person).select_related("community"),
            lambda f: {"kind": "community", "community": f.community.name},
        ),
    ]
    yield "follows.json", follows
    yield (
        "invitations.json",
        _rows(
            Invitation.objects.filter(Q(sender=person) | Q(recipient=person)).select_related(
                "sender__user", "recipient__user"
            ),
            lambda i: {"sender": _person_ref(i.sender), "recipient": _person_ref(i.recipient)},
        ),
    )
    yield (
        "posts.json",
        _rows(Post.objects.filter(author=person).order_by("pk").prefetch_related("tags"), tags),
    )
    yield "comments.json", _rows(Comment.objects.filter(author=person).order_by("pk"))
    yield (
        "questions.json",
        _rows(
            Question.objects.filter(post__author=person).order_by("pk").select_related("post"),
            lambda q: {"body": q.post.body},
        ),
    )
    yield "answers.json", _rows(Answer.objects.filter(author=person).order_by("pk"))
    yield "answer_comments.json", _rows(AnswerComment.objects.filter(author=person).order_by("pk"))
    yield (
        "referrals.json",
        _rows(Referral.objects.filter(Q(person=person) | Q(referred_by=person)).order_by("pk")),
    )
    yield (
        "communities.json",
        _rows(
            Membership.objects.filter(person=person).select_related("community"),
            lambda m: {"community": m.community.name},
        ),
    )
    yield (
        "blog_entries.json",
        _rows(
            BlogEntry.objects.filter(author=person).order_by("pk").prefetch_related("tags"), tags
        ),
    )
    yield (
        "wiki_revisions.json",
        _rows(
            Revision.objects.filter(author=person).order_by("pk").select_related("page"),
            lambda r: {"page_title": r.page.title},
        ),
    )
    yield (
        "bookmarks.json",
        _rows(Bookmark.objects.filter(person=person).order_by("pk").prefetch_related("tags"), tags),
    )
    yield "notifications.json", _rows(Notification.objects.filter(recipient=person).order_by("pk"))
    yield (
        "mail_preferences.json",
        _rows(MailPreference.objects.filter(person=person).order_by("pk")),
    )
    yield "api_tokens.json", _rows(ApiToken.objects.filter(person=person).order_by("pk"))
    yield "sessions.json", _rows(SignedInSession.objects.filter(person=person).order_by("pk"))


def _write_list(archive: zipfile.ZipFile, name: str, rows: Iterable[dict], tick) -> None:
    encoder = DjangoJSONEncoder(ensure_ascii=False, indent=1)
    with archive.open(name, "w") as out:
        out.write(b"[")
        for number, row in enumerate(rows):
            out.write((",\n" if number else "\n").encode())
            out.write(encoder.encode(row).encode())
            tick(1)
        out.write(b"\n]\n")


def _files(person: Person) -> Iterator[tuple[str, object]]:
    from kollega.content.wikis.models import Attachment

    if person.photo:
        yield f"files/photo/{person.photo.name.rsplit('/', 1)[-1]}", person.photo
    for attachment in Attachment.objects.filter(uploaded_by=person).order_by("pk").iterator():
        yield f"files/wiki/{attachment.pk}-{attachment.name}", attachment.image


def export_person(person: Person, out: IO[bytes], progress: Callable[[int], object] | None = None):
    """Write `person`'s data to `out` as a zip (see README above); `progress(n)` is called
    for every n records written."""
    from django.utils import timezone

    tick = progress or (lambda n: None)
    person = Person.objects.select_related("user", "department", "office", "manager__user").get(
        pk=person.pk
    )
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(date=timezone.now().date().isoformat(), username=person.user.username),
        )
        archive.writestr(
            "profile.json",
            DjangoJSONEncoder(ensure_ascii=False, indent=1).encode(profile_record(person)),
        )
        tick(1)
        for name, rows in sections(person):
            _write_list(archive, name, rows, tick)
        for name, stored in _files(person):
            try:
                with stored.open("rb") as source, archive.open(name, "w") as target:
                    while chunk := source.read(1 << 16):
                        target.write(chunk)
            except OSError:
                continue  # a file missing from storage: the record still names it
            tick(1)
