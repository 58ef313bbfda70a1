"""Importing a Stack Exchange data dump: people, questions, answers, comments, votes.

The dump's users who wrote something become people (`se-<site>-<id>`, display
name kept); questions become question posts and answers answers, with their
dates, authors, tags, accepted answer and vote counts; comments are kept.
Every imported row carries its source (site, author, link) and a source key,
so a second run adds nothing. A row that cannot be read is reported with its
file and line, and the rest goes on.

Rows are written in bulk (as the services would write them, without
notifications: nobody should be told about a question from 2014).
"""

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nh3
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from tqdm import tqdm

from kollega import markup
from kollega.demo.sources import defuse_mentions_and_tags, html_to_text
from kollega.people.directory import index_people
from kollega.people.models import Person
from kollega.posts.models import Audience, Comment, Post
from kollega.qa.models import Answer, AnswerComment, ImportedComment, Question, QuestionStatus
from kollega.search.indexing import index_objects, tqdm_progress
from kollega.tags.models import Tag
from kollega.tags.services import normalise_tag

FILES = ("Users.xml", "Tags.xml", "Posts.xml", "Comments.xml", "Votes.xml")
QUESTION, ANSWER = "1", "2"
VOTE_ACCEPTED, VOTE_UP, VOTE_DOWN = "1", "2", "3"
UNKNOWN_AUTHOR = "unknown"


@dataclass
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    problems: list[Problem] = field(default_factory=list)

    def problem(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))


@dataclass
class Site:
    """Where the dump comes from, for usernames, keys and attribution."""

    slug: str
    url: str
    name: str

    @classmethod
    def from_folder(cls, folder: Path, slug: str | None = None) -> "Site":
        slug = slug or re.sub(r"^stackexchange-", "", folder.resolve().name)
        slug = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "site"
        return cls(
            slug, f"https://{slug}.stackexchange.com", f"{slug}.stackexchange.com (CC BY-SA)"
        )

    def key(self, kind: str, row_id: str) -> str:
        return f"se:{self.slug}:{kind}:{row_id}"

    def username(self, user_id: str) -> str:
        return f"se-{self.slug}-{user_id}"


@dataclass
class Row:
    line: int
    attrs: dict[str, str]


def read_rows(path: Path, report: ImportReport, progress: bool) -> Iterator[Row]:
    """Each <row/> of a dump file with its line number; a broken line is reported and skipped."""
    if not path.is_file():
        report.problem(path.name, 0, "file is missing")
        return
    with path.open(encoding="utf-8-sig", errors="replace") as lines:
        total = sum(1 for _ in lines)
        lines.seek(0)
        for number, line in enumerate(
            tqdm(
                lines, total=total, desc=path.name, unit=" rows", disable=not progress, leave=False
            ),
            1,
        ):
            text = line.strip()
            if not text.startswith("<row"):
                continue
            try:
                element = ET.fromstring(text)
            except ET.ParseError as error:
                report.problem(path.name, number, f"not a readable row ({error})")
                continue
            yield Row(number, dict(element.attrib))


def _date(value: str | None) -> datetime:
    if not value:
        raise ValueError("no date")
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _int(value: str | None, default: int | None = None) -> int:
    if value is None or value == "":
        if default is None:
            raise ValueError("missing number")
        return default
    return int(value)


def _safe_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=markup.ALLOWED_TAGS,
        attributes=markup.ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _text(html: str) -> str:
    return defuse_mentions_and_tags(html_to_text(html))


class StackExchangeImport:
    """One run over one dump folder."""

    def __init__(self, folder: Path, site: Site, progress: bool = True, say: Callable = print):
        self.folder, self.site, self.progress, self.say = folder, site, progress, say
        self.report = ImportReport()
        self.names: dict[str, str] = {}
        # When each user last visited the site: their presence, as routing reads it.
        self.last_access: dict[str, datetime] = {}
        self.people: dict[str, int] = {}
        # What was written, by model, for the search index.
        self.written: dict[type, set[int]] = defaultdict(set)

    # --- reading ---------------------------------------------------------------------------

    def _rows(self, name: str) -> Iterator[Row]:
        return read_rows(self.folder / name, self.report, self.progress)

    def _checked(self, name: str, row: Row, parse: Callable[[dict], dict]) -> dict | None:
        try:
            return parse(row.attrs)
        except (KeyError, ValueError) as error:
            detail = f"missing {error}" if isinstance(error, KeyError) else str(error)
            self.report.problem(name, row.line, f"row skipped: {detail}")
            return None

    def read_users(self) -> None:
        for row in self._rows("Users.xml"):
            user = self._checked("Users.xml", row, lambda a: {"id": str(_int(a["Id"]))})
            if user:
                self.names[user["id"]] = row.attrs.get("DisplayName", "").strip()
                self._read_last_access(user["id"], row)

    def _read_last_access(self, user: str, row: Row) -> None:
        raw = row.attrs.get("LastAccessDate")
        if not raw:
            return
        try:
            self.last_access[user] = _date(raw)
        except ValueError:
            self.report.problem("Users.xml", row.line, "last access date ignored: not a date")

    def read_tags(self) -> set[str]:
        names = set()
        for row in self._rows("Tags.xml"):
            try:
                names.add(normalise_tag(row.attrs["TagName"]))
            except (KeyError, ValidationError):
                self.report.problem("Tags.xml", row.line, "row skipped: not a usable tag name")
        return names

    def _post(self, a: dict) -> dict:
        return {
            "id": str(_int(a["Id"])),
            "type": a["PostTypeId"],
            "created_at": _date(a.get("CreationDate")),
            "owner": a.get("OwnerUserId") or "",
            "owner_name": a.get("OwnerDisplayName", ""),
            "body": a.get("Body", ""),
            "title": " ".join(a.get("Title", "").split()),
            "tags": re.findall(r"<([^<>]+)>", a.get("Tags", "")),
            "score": _int(a.get("Score"), 0),
            "parent": a.get("ParentId", ""),
            "accepted": a.get("AcceptedAnswerId", ""),
        }

    def read_posts(self) -> tuple[dict[str, dict], list[dict]]:
        questions, answers = {}, []
        for row in self._rows("Posts.xml"):
            post = self._checked("Posts.xml", row, self._post)
            if post is None:
                continue
            post["line"] = row.line
            if post["type"] == QUESTION:
                if not post["title"]:
                    self.report.problem("Posts.xml", row.line, "question skipped: no title")
                    continue
                questions[post["id"]] = post
            elif post["type"] == ANSWER:
                answers.append(post)
        kept = []
        for answer in answers:
            if answer["parent"] in questions:
                kept.append(answer)
            else:
                self.report.problem(
                    "Posts.xml",
                    answer["line"],
                    f"answer {answer['id']} skipped: its question {answer['parent'] or '?'} "
                    "is not in the dump",
                )
        return questions, kept

    def _comment(self, a: dict) -> dict:
        return {
            "id": str(_int(a["Id"])),
            "post": str(_int(a["PostId"])),
            "text": a["Text"],
            "created_at": _date(a.get("CreationDate")),
            "owner": a.get("UserId") or "",
            "owner_name": a.get("UserDisplayName", ""),
        }

    def read_comments(self) -> list[dict]:
        comments = []
        for row in self._rows("Comments.xml"):
            comment = self._checked("Comments.xml", row, self._comment)
            if comment:
                comment["line"] = row.line
                comments.append(comment)
        return comments

    def read_votes(self) -> tuple[dict[str, int], dict[str, datetime]]:
        up, accepted_on = defaultdict(int), {}
        for row in self._rows("Votes.xml"):
            vote = self._checked(
                "Votes.xml",
                row,
                lambda a: {"post": str(_int(a["PostId"])), "type": a["VoteTypeId"]},
            )
            if vote is None:
                continue
            if vote["type"] == VOTE_UP:
                up[vote["post"]] += 1
            elif vote["type"] == VOTE_ACCEPTED and row.attrs.get("CreationDate"):
                try:
                    accepted_on[vote["post"]] = _date(row.attrs["CreationDate"])
                except ValueError:
                    self.report.problem("Votes.xml", row.line, "bad date; vote date ignored")
        return up, accepted_on

    # --- writing ---------------------------------------------------------------------------

    def _author_name(self, owner: str, fallback: str) -> str:
        return self.names.get(owner) or fallback or "anonymous"

    def ensure_people(self, owners: set[str]) -> None:
        """People for the dump's authors; one placeholder for deleted accounts."""
        User = get_user_model()
        wanted = {self.site.username(o): o for o in owners if o in self.names}
        wanted[self.site.username(UNKNOWN_AUTHOR)] = UNKNOWN_AUTHOR
        existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        new_users = [
            User(username=name, password=make_password(None))
            for name in wanted
            if name not in existing
        ]
        User.objects.bulk_create(new_users, batch_size=500)
        users = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
        have_person = set(
            Person.objects.filter(user_id__in=users.values()).values_list("user_id", flat=True)
        )
        people = []
        for username, user_id in users.items():
            if user_id in have_person:
                continue
            owner = wanted[username]
            name = (
                f"Former member of {self.site.slug}.stackexchange.com"
                if owner == UNKNOWN_AUTHOR
                else self.names[owner] or username
            )
            people.append(
                Person(
                    user_id=user_id,
                    name=name[:150],
                    about=f"{self.site.url}/users/{owner}" if owner != UNKNOWN_AUTHOR else "",
                    last_seen_at=self.last_access.get(owner),
                )
            )
        Person.objects.bulk_create(people, batch_size=500)
        index_people(p.pk for p in people)  # bulk_create sends no signals
        self.written[Person].update(p.pk for p in people)
        self.report.created["people"] += len(people)
        self.people = {
            wanted[u]: pk
            for u, pk in Person.objects.filter(user__username__in=wanted).values_list(
                "user__username", "pk"
            )
        }

    def _person(self, owner: str) -> int:
        return self.people.get(owner) or self.people[UNKNOWN_AUTHOR]

    def _source(self, path: str, owner: str, fallback: str) -> dict:
        return {
            "source_name": self.site.name,
            "source_url": f"{self.site.url}/{path}",
            "source_author": self._author_name(owner, fallback)[:200],
        }

    def write_questions(
        self, questions: dict[str, dict], tag_ids: dict[str, int]
    ) -> dict[str, int]:
        """New questions as posts with tags; returns every imported question's id by dump id."""
        keys = {self.site.key("q", i): i for i in questions}
        done = set(
            Question.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
        )
        todo = [questions[i] for k, i in keys.items() if k not in done]
        posts = [
            Post(
                author_id=self._person(q["owner"]),
                board_owner_id=self._person(q["owner"]),
                audience=Audience.ORGANISATION,
                body=_text(q["body"]) or q["title"],
                body_html=_safe_html(q["body"]),
                created_at=q["created_at"],
                last_activity_at=q["created_at"],
                **self._source(f"q/{q['id']}", q["owner"], q["owner_name"]),
            )
            for q in todo
        ]
        Post.objects.bulk_create(posts, batch_size=500)
        created = Question.objects.bulk_create(
            [
                Question(
                    post=post,
                    title=q["title"][:200],
                    asked_at=q["created_at"],
                    score=q["score"],
                    source_key=self.site.key("q", q["id"]),
                )
                for post, q in zip(posts, todo, strict=True)
            ],
            batch_size=500,
        )
        through = Post.tags.through
        links = [
            through(post_id=post.pk, tag_id=tag_ids[name])
            for post, q in zip(posts, todo, strict=True)
            for name in {self._tag(t) for t in q["tags"]}
            if name in tag_ids
        ]
        through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
        self.written[Question].update(q.pk for q in created)
        self.report.created["questions"] += len(todo)
        return {
            key.rsplit(":", 1)[1]: pk
            for key, pk in Question.objects.filter(source_key__in=keys).values_list(
                "source_key", "pk"
            )
        }

    @staticmethod
    def _tag(raw: str) -> str:
        try:
            return normalise_tag(raw)
        except ValidationError:
            return ""

    def write_answers(
        self, answers: list[dict], question_ids: dict[str, int], up: dict
    ) -> dict[str, int]:
        keys = {self.site.key("a", a["id"]): a for a in answers}
        done = set(Answer.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
        rows = [
            Answer(
                question_id=question_ids[a["parent"]],
                author_id=self._person(a["owner"]),
                body=_text(a["body"]),
                body_html=_safe_html(a["body"]),
                created_at=a["created_at"],
                score=a["score"],
                up_votes=up.get(a["id"], 0),
                source_key=key,
                **self._source(f"a/{a['id']}", a["owner"], a["owner_name"]),
            )
            for key, a in keys.items()
            if key not in done
        ]
        Answer.objects.bulk_create(rows, batch_size=500)
        self.written[Answer].update(row.pk for row in rows)
        self.report.created["answers"] += len(rows)
        self.touched = {row.question_id for row in rows}
        return {
            key.rsplit(":", 1)[1]: pk
            for key, pk in Answer.objects.filter(source_key__in=keys).values_list(
                "source_key", "pk"
            )
        }

    def settle_questions(self, questions, question_ids, answer_ids, accepted_on) -> None:
        """State, counts, timings and the accepted answer of questions that changed."""
        touched = Question.objects.filter(pk__in=self.touched).select_related("post")
        dump_id = {pk: i for i, pk in question_ids.items()}
        answers = defaultdict(list)
        for qid, aid, created in Answer.objects.filter(question__in=touched).values_list(
            "question_id", "pk", "created_at"
        ):
            answers[qid].append((created, aid))
        by_pk = {pk: i for i, pk in answer_ids.items()}
        settled = []
        for question in touched:
            rows = sorted(answers[question.pk])
            source = questions.get(dump_id[question.pk], {})
            accepted = answer_ids.get(source.get("accepted", ""))
            question.answer_count = len(rows)
            question.first_answered_at = rows[0][0] if rows else None
            question.status = QuestionStatus.ANSWERED if rows else QuestionStatus.OPEN
            created = next((c for c, a in rows if a == accepted), None)
            if accepted and created is not None:
                vote = accepted_on.get(by_pk[accepted])
                question.accepted_answer_id = accepted
                question.accepted_at = max(created, vote) if vote else created
                question.status = QuestionStatus.ACCEPTED
            question.post.last_activity_at = max([question.asked_at] + [c for c, _a in rows])
            settled.append(question)
        self.written[Question].update(q.pk for q in settled)
        Question.objects.bulk_update(
            settled,
            ["answer_count", "first_answered_at", "status", "accepted_answer", "accepted_at"],
            batch_size=500,
        )
        Post.objects.bulk_update([q.post for q in settled], ["last_activity_at"], batch_size=500)

    def write_comments(self, comments: list[dict], question_ids: dict, answer_ids: dict) -> None:
        on_questions = [c for c in comments if c["post"] in question_ids]
        on_answers = [c for c in comments if c["post"] in answer_ids]
        for c in comments:
            if c["post"] not in question_ids and c["post"] not in answer_ids:
                self.report.problem(
                    "Comments.xml",
                    c["line"],
                    f"comment {c['id']} skipped: post {c['post']} was not imported",
                )
        self._question_comments(on_questions, question_ids)
        self._answer_comments(on_answers, answer_ids)

    def _comment_fields(self, c: dict, path: str) -> dict:
        text = defuse_mentions_and_tags(c["text"])
        return {
            "author_id": self._person(c["owner"]),
            "body": text,
            "body_html": markup.render(text, known_handles=set()).html,
            "created_at": c["created_at"],
            **self._source(
                f"{path}/{c['post']}#comment{c['id']}_{c['post']}", c["owner"], c["owner_name"]
            ),
        }

    def _question_comments(self, comments: list[dict], question_ids: dict) -> None:
        keys = {self.site.key("c", c["id"]): c for c in comments}
        done = set(
            ImportedComment.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
        )
        todo = [(k, c) for k, c in keys.items() if k not in done]
        post_of = dict(
            Question.objects.filter(pk__in=question_ids.values()).values_list("pk", "post_id")
        )
        rows = [
            Comment(post_id=post_of[question_ids[c["post"]]], **self._comment_fields(c, "q"))
            for _k, c in todo
        ]
        Comment.objects.bulk_create(rows, batch_size=500)
        ImportedComment.objects.bulk_create(
            [
                ImportedComment(comment=row, source_key=k)
                for row, (k, _c) in zip(rows, todo, strict=True)
            ],
            batch_size=500,
        )
        per_post = defaultdict(list)
        for row in rows:
            per_post[row.post_id].append(row.created_at)
        posts = list(Post.objects.filter(pk__in=per_post))
        for post in posts:
            post.comment_count += len(per_post[post.pk])
            post.last_activity_at = max([post.last_activity_at, *per_post[post.pk]])
        Post.objects.bulk_update(posts, ["comment_count", "last_activity_at"], batch_size=500)
        self.written[Comment].update(row.pk for row in rows)
        self.report.created["comments"] += len(rows)

    def _answer_comments(self, comments: list[dict], answer_ids: dict) -> None:
        keys = {self.site.key("c", c["id"]): c for c in comments}
        done = set(
            AnswerComment.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
        )
        rows = [
            AnswerComment(
                answer_id=answer_ids[c["post"]], source_key=k, **self._comment_fields(c, "a")
            )
            for k, c in keys.items()
            if k not in done
        ]
        AnswerComment.objects.bulk_create(rows, batch_size=500)
        self.written[AnswerComment].update(row.pk for row in rows)
        self.report.created["comments"] += len(rows)

    def run(self) -> ImportReport:
        self.read_users()
        tag_names = self.read_tags()
        questions, answers = self.read_posts()
        comments = self.read_comments()
        up, accepted_on = self.read_votes()
        for q in questions.values():
            tag_names.update(t for t in (self._tag(r) for r in q["tags"]) if t)
        owners = {p["owner"] for p in [*questions.values(), *answers, *comments]}
        with transaction.atomic():
            self.ensure_people(owners)
            Tag.objects.bulk_create([Tag(name=n) for n in sorted(tag_names)], ignore_conflicts=True)
            tag_ids = dict(Tag.objects.filter(name__in=tag_names).values_list("name", "pk"))
            question_ids = self.write_questions(questions, tag_ids)
            answer_ids = self.write_answers(answers, question_ids, up)
            self.settle_questions(questions, question_ids, answer_ids, accepted_on)
            self.write_comments(comments, question_ids, answer_ids)
            # Bulk writes send no signals: the index learns of them here, in the same
            # transaction, as it would of the same content written one by one.
            for model, pks in self.written.items():
                index_objects(model, pks, tqdm_progress if self.progress else None)
        return self.report


def import_stackexchange(
    folder: Path, site: str | None = None, progress: bool = True
) -> ImportReport:
    """Import the dump in `folder` (idempotent); returns what was created and what was wrong."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"{folder} is not a folder.")
    return StackExchangeImport(folder, Site.from_folder(folder, site), progress).run()
