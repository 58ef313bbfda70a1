"""What the demo is built from: an organisation's shape and the conversations in it.

Both the real public data (`email-eu-core/`, `stackexchange-beer/`) and the
generated fallback produce the same two structures, so one builder writes
either to the database.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from kollega import markup

SE_SOURCE_NAME = "Beer, Wine & Spirits Stack Exchange (CC BY-SA)"
SE_SITE = "https://beer.stackexchange.com"
# Source keys as `qa.importers.stackexchange` writes them for this dump (`se:beer:a:12`),
# so importing the dump into a demo database later adds no second copy of a thread.
SE_KEY_PREFIX = "se:beer"
EXCERPT_LENGTH = 600


@dataclass
class OrganisationShape:
    """Who is in which department and who talks to whom; people are numbered 0…n-1."""

    department_of: list[int]
    pairs: set[tuple[int, int]]  # undirected, smaller number first
    origin: str


@dataclass
class Message:
    """A question or an answer, ready to become a post or a comment."""

    author_key: str
    text: str
    created_at: datetime
    title: str = ""
    tags: list[str] = field(default_factory=list)
    score: int = 0
    source: dict = field(default_factory=dict)
    key: str = ""  # the source key of an imported message, "" for generated ones
    up_votes: int = 0


@dataclass
class Thread:
    question: Message
    answers: list[Message]
    accepted: str = ""  # the key of the accepted answer, if the source has one
    accepted_on: datetime | None = None  # when it was accepted, if the source says
    comments: list[Message] = field(default_factory=list)  # on the question itself


@dataclass
class Conversations:
    """The threads to post, and tag names with how popular each is."""

    threads: list[Thread]
    tag_weights: dict[str, int]
    origin: str


# --- the e-mail network ---------------------------------------------------------------

EMAIL_DIR = "email-eu-core"
EMAIL_EDGES = "email-Eu-core.txt"
EMAIL_LABELS = "email-Eu-core-department-labels.txt"


def has_email_network(data_dir: Path) -> bool:
    """True if the e-mail network files are in `data_dir`."""
    folder = data_dir / EMAIL_DIR
    return (folder / EMAIL_EDGES).is_file() and (folder / EMAIL_LABELS).is_file()


def read_email_network(data_dir: Path) -> OrganisationShape:
    """The 1,005 members, their 42 departments and every e-mail pair, either direction."""
    folder = data_dir / EMAIL_DIR
    labels = dict(_int_pairs(folder / EMAIL_LABELS))
    department_of = [labels[n] for n in range(len(labels))]
    pairs = {(min(a, b), max(a, b)) for a, b in _int_pairs(folder / EMAIL_EDGES) if a != b}
    return OrganisationShape(department_of, pairs, origin="email-eu-core (SNAP)")


def _int_pairs(path: Path) -> Iterator[tuple[int, int]]:
    """The two numbers on each line of a SNAP text file."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2:
                yield int(parts[0]), int(parts[1])


# --- the Stack Exchange dump ------------------------------------------------------------

SE_DIR = "stackexchange-beer"
SE_FILES = ("Posts.xml", "Users.xml", "Tags.xml")
SE_VOTES = "Votes.xml"  # optional: up-votes and when an answer was accepted
SE_COMMENTS = "Comments.xml"  # optional: comments on the questions
VOTE_ACCEPTED, VOTE_UP = "1", "2"


def has_stack_exchange(data_dir: Path) -> bool:
    """True if the Stack Exchange dump files are in `data_dir`."""
    return all((data_dir / SE_DIR / name).is_file() for name in SE_FILES)


def read_stack_exchange(data_dir: Path) -> Conversations:
    """Questions with their answers, in the order they were asked, with attribution.

    Each thread knows its accepted answer; with Votes.xml, also when it was
    accepted and each message's up-votes; with Comments.xml, the comments on
    its question.
    """
    folder = data_dir / SE_DIR
    names = {row["Id"]: row.get("DisplayName", "") for row in xml_rows(folder / "Users.xml")}
    up, accepted_on = _votes(folder / SE_VOTES)
    questions: dict[str, Thread] = {}
    answers: list[tuple[str, Message]] = []
    for row in xml_rows(folder / "Posts.xml"):
        kind = row.get("PostTypeId")
        if kind == "1":
            accepted = row.get("AcceptedAnswerId", "")
            questions[row["Id"]] = Thread(
                _se_message(row, names, "q", up),
                [],
                accepted=f"{SE_KEY_PREFIX}:a:{accepted}" if accepted else "",
                accepted_on=accepted_on.get(accepted),
            )
        elif kind == "2":
            answers.append((row.get("ParentId", ""), _se_message(row, names, "a", up)))
    for parent, answer in answers:
        if parent in questions:
            questions[parent].answers.append(answer)
    _add_comments(folder / SE_COMMENTS, questions, names)
    threads = sorted(questions.values(), key=lambda t: t.question.created_at)
    for thread in threads:
        thread.answers.sort(key=lambda m: m.created_at)
        thread.comments.sort(key=lambda m: m.created_at)
    tag_weights = {
        row["TagName"]: int(row.get("Count", "0")) for row in xml_rows(folder / "Tags.xml")
    }
    return Conversations(threads, tag_weights, origin="Beer, Wine & Spirits Stack Exchange")


def xml_rows(path: Path) -> Iterator[dict[str, str]]:
    """The attributes of each <row/> of a Stack Exchange dump file, one at a time."""
    for _event, element in ET.iterparse(path):
        if element.tag == "row":
            yield dict(element.attrib)
            element.clear()


def _votes(path: Path) -> tuple[dict[str, int], dict[str, datetime]]:
    """Up-votes per post id, and the day each accepted answer was accepted; {} without the file."""
    up: dict[str, int] = {}
    accepted_on: dict[str, datetime] = {}
    if not path.is_file():
        return up, accepted_on
    for row in xml_rows(path):
        post, kind = row.get("PostId", ""), row.get("VoteTypeId")
        if kind == VOTE_UP:
            up[post] = up.get(post, 0) + 1
        elif kind == VOTE_ACCEPTED and row.get("CreationDate"):
            accepted_on[post] = datetime.fromisoformat(row["CreationDate"]).replace(tzinfo=UTC)
    return up, accepted_on


def _add_comments(path: Path, questions: dict[str, Thread], names: dict[str, str]) -> None:
    """The comments on questions, each credited and linked as the importer links them."""
    if not path.is_file():
        return
    for row in xml_rows(path):
        question = questions.get(row.get("PostId", ""))
        text = defuse_mentions_and_tags(" ".join(row.get("Text", "").split()))
        if question is None or not text or not row.get("CreationDate"):
            continue
        user_id, post = row.get("UserId"), row["PostId"]
        question.comments.append(
            Message(
                author_key=_author_key(user_id, "c", row["Id"]),
                text=excerpt(text),
                created_at=datetime.fromisoformat(row["CreationDate"]).replace(tzinfo=UTC),
                source=_source(
                    f"{SE_SITE}/q/{post}#comment{row['Id']}_{post}",
                    names.get(user_id or "") or row.get("UserDisplayName"),
                ),
                key=f"{SE_KEY_PREFIX}:c:{row['Id']}",
            )
        )


def _author_key(user_id: str | None, kind: str, row_id: str) -> str:
    """Whose a message is: the dump's user, or (deleted account) the message alone."""
    return f"user:{user_id}" if user_id else f"{kind}:{row_id}"


def _source(url: str, author: str | None) -> dict[str, str]:
    """Where a message comes from and whom to credit (deleted accounts: anonymous)."""
    return {
        "source_name": SE_SOURCE_NAME,
        "source_url": url,
        "source_author": author or "anonymous",
    }


def _se_message(
    row: dict[str, str], names: dict[str, str], kind: str, up: dict[str, int]
) -> Message:
    """A post row of the dump as a message, credited to its author."""
    user_id = row.get("OwnerUserId")
    return Message(
        author_key=_author_key(user_id, kind, row["Id"]),
        text=excerpt(defuse_mentions_and_tags(html_to_text(row.get("Body", "")))),
        created_at=datetime.fromisoformat(row["CreationDate"]).replace(tzinfo=UTC),
        title=defuse_mentions_and_tags(" ".join(row.get("Title", "").split())),
        tags=re.findall(r"<([^<>]+)>", row.get("Tags", "")),
        score=int(row.get("Score", "0")),
        # Deleted accounts keep only a display name on the post; credit that.
        source=_source(
            f"{SE_SITE}/{kind}/{row['Id']}",
            names.get(user_id or "") or row.get("OwnerDisplayName"),
        ),
        key=f"{SE_KEY_PREFIX}:{kind}:{row['Id']}",
        up_votes=up.get(row["Id"], 0),
    )


# --- text ------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; markup never survives, entities are decoded."""

    BREAKS = {"p", "br", "li", "blockquote", "pre", "div", "tr", "h1", "h2", "h3", "h4", "hr"}
    SKIPPED = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """`text` cut to about `limit` characters at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return f"{cut}…"


def defuse_mentions_and_tags(text: str) -> str:
    """Drop the @ and # that would make imported text mention or tag someone here.

    Imported text speaks of other people (`@JohnDoe` on Stack Exchange); the
    posting service refuses mentions of unknown handles, and a stray `#1`
    would become a tag.
    """
    return markup.MENTION_OR_TAG.sub(lambda match: match.group(0)[1:], text)
