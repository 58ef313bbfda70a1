from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from kollega.people.models import Person
from kollega.people.services import find_people
from kollega.posts.models import Comment
from kollega.qa.importers.stackexchange import import_stackexchange
from kollega.qa.models import Answer, AnswerComment, Question, QuestionStatus

pytestmark = pytest.mark.django_db

BROKEN = Path(__file__).parent / "fixtures" / "stackexchange-broken"
BEER = Path(__file__).resolve().parents[5] / "shared" / "data" / "stackexchange-beer"


def test_malformed_rows_are_reported_with_file_and_line_and_the_rest_is_imported():
    report = import_stackexchange(BROKEN, progress=False)
    where = {f"{p.file}:{p.line}" for p in report.problems}
    assert {
        "Users.xml:4",
        "Users.xml:5",
        "Tags.xml:5",
        "Posts.xml:5",
        "Posts.xml:6",
        "Posts.xml:7",
        "Comments.xml:5",
        "Comments.xml:6",
        "Votes.xml:6",
    } <= where
    assert any("its question 99 is not in the dump" in str(p) for p in report.problems)
    assert Question.objects.count() == 2 and Answer.objects.count() == 2
    question = Question.objects.get(source_key="se:broken:q:1")
    assert question.status == QuestionStatus.ACCEPTED
    assert question.accepted_answer.source_key == "se:broken:a:3"
    assert str(question.time_to_first_answer) == "4:10:00"
    assert question.answer_count == 2 and question.score == 5
    assert sorted(t.name for t in question.post.tags.all()) == ["storage", "wine"]
    assert question.accepted_answer.up_votes == 2 and question.accepted_answer.score == 7
    assert Question.objects.get(source_key="se:broken:q:8").status == QuestionStatus.OPEN


def test_imported_text_is_safe_and_never_mentions_or_tags_anyone():
    import_stackexchange(BROKEN, progress=False)
    post = Question.objects.get(source_key="se:broken:q:1").post
    assert "<script" not in post.body_html and "someone" in post.body
    assert "@someone" not in post.body and "#here" not in post.body
    assert "<strong>five</strong>" in Answer.objects.get(source_key="se:broken:a:3").body_html


def test_every_imported_item_carries_its_source_and_a_link():
    import_stackexchange(BROKEN, progress=False)
    question = Question.objects.get(source_key="se:broken:q:1")
    assert question.post.source_url == "https://broken.stackexchange.com/q/1"
    assert question.post.source_author == "Alice Brewer"
    answers = {a.source_key: a for a in Answer.objects.all()}
    assert answers["se:broken:a:3"].source_url == "https://broken.stackexchange.com/a/3"
    assert answers["se:broken:a:7"].source_author == "Gone User"
    items = [question.post, *answers.values(), *Comment.objects.all(), *AnswerComment.objects.all()]
    assert all(i.source_name and i.source_url.startswith("https://") for i in items)
    assert Comment.objects.get().post == question.post and question.post.comment_count == 1
    assert AnswerComment.objects.get().answer == answers["se:broken:a:3"]


def test_authors_become_people_named_after_the_site_and_their_id():
    import_stackexchange(BROKEN, progress=False)
    alice = Person.objects.get(user__username="se-broken-1")
    assert alice.name == "Alice Brewer" and not alice.user.has_usable_password()
    # Their last visit to the site is when they were last seen; a date that is
    # no date is reported (Users.xml:4) and leaves Bob never seen.
    assert alice.last_seen_at == datetime(2014, 2, 3, 10, tzinfo=UTC)
    assert Person.objects.get(user__username="se-broken-2").last_seen_at is None
    assert list(find_people("alice brew")) == [alice]  # in the directory at once
    assert Answer.objects.get(source_key="se:broken:a:7").author.user.username == (
        "se-broken-unknown"
    )


def test_a_second_run_adds_nothing():
    import_stackexchange(BROKEN, progress=False)
    counts = [m.objects.count() for m in (Person, Question, Answer, Comment, AnswerComment)]
    report = import_stackexchange(BROKEN, progress=False)
    assert [m.objects.count() for m in (Person, Question, Answer, Comment, AnswerComment)] == counts
    assert sum(report.created.values()) == 0


def test_the_command_prints_problems_and_a_summary(capsys):
    call_command("import", "stackexchange", str(BROKEN), "--no-progress")
    out, err = capsys.readouterr()
    assert "Imported 3 people, 2 questions, 2 answers, 2 comments" in out
    assert "Posts.xml:5: not a readable row" in err


@pytest.mark.skipif(not BEER.is_dir(), reason="the shared Stack Exchange dump is not here")
def test_the_beer_dump_imports_every_question_answer_and_accepted_answer_once():
    import_stackexchange(BEER, progress=False)
    assert Question.objects.count() == 1029
    assert Answer.objects.count() == 2277
    assert Question.objects.filter(accepted_answer__isnull=False).count() == 619
    assert Question.objects.filter(status=QuestionStatus.ACCEPTED).count() == 619
    report = import_stackexchange(BEER, progress=False)
    assert sum(report.created.values()) == 0 and report.problems == []
    assert Question.objects.count() == 1029


def test_imported_questions_answers_comments_and_authors_are_found_at_once(make_person):
    import_stackexchange(BROKEN, progress=False)
    from kollega.search.services import search

    reader = make_person("Reader Rask", "reader")

    def found(text):
        return {(h.document.kind, h.context) for h in search(reader, text).hits}

    question = Question.objects.get(source_key="se:broken:q:1")
    assert ("question", "Accepted") in found("opened bottle")
    assert ("answer", question.title) in found("five days")
    assert ("comment", question.title) in found("red white")
    assert ("answer_comment", question.title) in found("fridge")
    # Settling answers after the questions were written is seen too: the status is current.
    assert ("question", "Open") in found("still open")
