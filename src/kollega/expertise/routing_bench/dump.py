"""A Stack Exchange dump as events in time order: questions, answers, comments, votes.

Only what the replay needs is kept. Votes carry a day, not a time, so a vote
counts from the end of its day: a ranking never sees a vote cast after the
question it ranks for.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kollega.qa.importers.stackexchange import ImportReport, read_rows

QUESTION, ANSWER = "1", "2"
VOTE_ACCEPTED, VOTE_UP = "1", "2"
TAG = re.compile(r"<([^<>]+)>|\|([^|]+)")
MARKUP = re.compile(r"<[^>]+>")


@dataclass
class Question:
    id: str
    at: datetime
    asker: str
    title: str
    text: str
    tags: list[str]
    answerers: set[str] = field(default_factory=set)
    accepted_answerer: str | None = None


@dataclass
class Answer:
    id: str
    at: datetime
    author: str
    question: str
    text: str


@dataclass
class Comment:
    at: datetime
    author: str
    post: str
    text: str


@dataclass
class Vote:
    at: datetime
    post: str
    kind: str  # VOTE_UP or VOTE_ACCEPTED


@dataclass
class Dump:
    questions: dict[str, Question]
    answers: dict[str, Answer]
    events: list  # every Question, Answer, Comment and Vote, in time order


def _date(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def plain(body: str) -> str:
    """Text of an HTML body (markup dropped, entities decoded)."""
    return html.unescape(MARKUP.sub(" ", body))


def _tags(raw: str) -> list[str]:
    return [a or b for a, b in TAG.findall(raw or "")]


def read_dump(folder: Path, progress: bool = False) -> Dump:
    """Read Posts.xml, Comments.xml and Votes.xml of `folder` into a `Dump`.

    Posts without an owner (deleted accounts) still count as questions to
    route, but their answers cannot be anyone's evidence or truth.
    """
    folder = Path(folder)
    if not (folder / "Posts.xml").is_file():
        raise FileNotFoundError(f"{folder} has no Posts.xml: not a Stack Exchange dump folder")
    report = ImportReport()
    questions: dict[str, Question] = {}
    answers: dict[str, Answer] = {}
    accepted_id: dict[str, str] = {}
    for row in read_rows(folder / "Posts.xml", report, progress):
        a = row.attrs
        try:
            at = _date(a["CreationDate"])
        except (KeyError, ValueError):
            continue
        if a.get("PostTypeId") == QUESTION:
            title = " ".join(html.unescape(a.get("Title", "")).split())
            questions[a["Id"]] = Question(
                a["Id"], at, a.get("OwnerUserId", ""), title, plain(a.get("Body", "")),
                _tags(a.get("Tags", "")),
            )  # fmt: skip
            if a.get("AcceptedAnswerId"):
                accepted_id[a["Id"]] = a["AcceptedAnswerId"]
        elif a.get("PostTypeId") == ANSWER and a.get("ParentId"):
            answers[a["Id"]] = Answer(
                a["Id"], at, a.get("OwnerUserId", ""), a["ParentId"], plain(a.get("Body", ""))
            )
    answers = {k: v for k, v in answers.items() if v.question in questions}
    for answer in answers.values():
        question = questions[answer.question]
        if answer.author and answer.author != question.asker:
            question.answerers.add(answer.author)
    for qid, aid in accepted_id.items():
        author = answers[aid].author if aid in answers else ""
        if author and author != questions[qid].asker:
            questions[qid].accepted_answerer = author
    events: list = [*questions.values(), *answers.values()]
    for row in read_rows(folder / "Comments.xml", report, progress):
        a = row.attrs
        if a.get("UserId") and a.get("PostId") and a.get("CreationDate"):
            events.append(Comment(_date(a["CreationDate"]), a["UserId"], a["PostId"], a["Text"]))
    for row in read_rows(folder / "Votes.xml", report, progress):
        a = row.attrs
        if a.get("VoteTypeId") in (VOTE_UP, VOTE_ACCEPTED) and a.get("CreationDate"):
            day_end = _date(a["CreationDate"]) + timedelta(days=1)
            events.append(Vote(day_end, a.get("PostId", ""), a["VoteTypeId"]))
    # Questions before answers before comments before votes at the same instant.
    order = {Question: 0, Answer: 1, Comment: 2, Vote: 3}
    events.sort(key=lambda e: (e.at, order[type(e)]))
    return Dump(questions, answers, events)
