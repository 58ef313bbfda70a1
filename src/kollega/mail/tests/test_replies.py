"""Answer by replying: notification mails carry a signed reply address, and a reply fed
through `kollega mail receive` becomes an answer or a comment, or comes back as a bounce
that arrives at the real SMTP server."""

import re

import pytest

from kollega.mail.models import Delivery, InboundMail
from kollega.mail.replies import ReplySigner, _today, read_reply_token
from kollega.mail.tasks import send_mail
from kollega.mail.tests.replying import REPLY_ADDRESS, burst_ends, receive, reply
from kollega.notifications.services import set_mail_choices
from kollega.people.tests.factories import deactivate, signed_in
from kollega.posts.models import Comment
from kollega.posts.services import delete_post, post_on_board
from kollega.qa.models import Answer, AnswerComment
from kollega.qa.services import answer_question, ask_question, send_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def replies(settings, smtp_server):
    settings.KOLLEGA_REPLY_ADDRESS = REPLY_ADDRESS
    return smtp_server


def question_mail(smtp_server, anna, bjorn):
    """Anna sends Bjørn a question; the mail that reaches him."""
    question = ask_question(anna, "Which yeast for a saison?", "Dry and peppery, please.")
    send_question(anna, question, [bjorn])
    burst_ends()
    [mail] = smtp_server.to("bjorn@example.org")
    return question, mail


def bounces_to(smtp_server, address):
    send_mail.enqueue()
    return [m for m in smtp_server.to(address) if m["Auto-Submitted"] == "auto-replied"]


def test_a_question_mail_has_a_signed_reply_address_for_its_recipient_and_thread(
    replies, anna, bjorn
):
    question, mail = question_mail(replies, anna, bjorn)
    address = mail["Reply-To"].strip()
    assert re.fullmatch(r"reply\+[0-9a-z.]+@intranet\.example\.com", address), address
    token = read_reply_token(address.split("+", 1)[1].split("@")[0])
    assert (token.person_id, token.post_id) == (bjorn.pk, question.post_id)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Reply to this mail to answer the question" in text


def test_a_mail_about_two_threads_has_no_reply_address_and_says_so(replies, anna, bjorn):
    for title in ("Which yeast for a saison?", "Which hops for a pale ale?"):
        send_question(anna, ask_question(anna, title), [bjorn])
    burst_ends()
    [mail] = replies.to("bjorn@example.org")
    assert mail["Reply-To"] is None
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Replies to this mail are not read" in text


def test_without_a_reply_address_setting_a_mail_says_replies_are_not_read(smtp_server, anna, bjorn):
    _question, mail = question_mail(smtp_server, anna, bjorn)
    assert mail["Reply-To"] is None
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Replies to this mail are not read" in text


def test_a_reply_becomes_the_answer_without_the_quote_signature_or_phone_line(replies, anna, bjorn):
    question, mail = question_mail(replies, anna, bjorn)
    raw = reply(
        mail,
        "Use Wyeast 3724.\n\nIt is peppery.\n\nSent from my iPhone\n-- \nBjørn Hansen\nBrewer",
        sender="Bjørn Hansen <bjorn@example.org>",
    )
    assert receive(raw).startswith("answer ")
    [answer] = Answer.objects.filter(question=question)
    assert answer.author == bjorn
    assert answer.body == "Use Wyeast 3724.\n\nIt is peppery."
    page = signed_in(anna).get(question.get_absolute_url())
    assert "Use Wyeast 3724." in page.content.decode()
    assert bounces_to(replies, "bjorn@example.org") == []


def test_a_reply_to_a_mail_about_an_answer_comments_on_that_answer(replies, anna, bjorn):
    set_mail_choices(anna, {"question_answered": "at_once"})
    question = ask_question(anna, "Which yeast for a saison?")
    answer = answer_question(bjorn, question, "Wyeast 3724.")
    burst_ends()
    [mail] = replies.to("anna@example.org")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Reply to this mail to comment on the answer" in text
    receive(reply(mail, "Thanks, ordered it.", sender="anna@example.org"))
    [comment] = AnswerComment.objects.filter(answer=answer)
    assert (comment.author, comment.body) == (anna, "Thanks, ordered it.")
    assert Answer.objects.filter(question=question).count() == 1
    page = signed_in(bjorn).get(question.get_absolute_url())
    assert "Thanks, ordered it." in page.content.decode()


def test_the_same_reply_delivered_twice_is_posted_once(replies, anna, bjorn):
    question, mail = question_mail(replies, anna, bjorn)
    raw = reply(mail, "Wyeast 3724.", sender="bjorn@example.org")
    receive(raw)
    assert receive(raw).startswith("duplicate")
    assert Answer.objects.filter(question=question).count() == 1
    # Without a Message-ID the message itself is recognised.
    raw = reply(mail, "And keep it warm.", sender="bjorn@example.org", message_id=False)
    receive(raw)
    receive(raw)
    assert Answer.objects.filter(question=question).count() == 2
    assert bounces_to(replies, "bjorn@example.org") == []


def test_an_html_only_reply_to_a_comment_mail_becomes_a_markdown_comment(replies, anna, bjorn):
    set_mail_choices(anna, {"comment": "at_once"})
    post = post_on_board(anna, "Brewing on Friday, who joins?")
    from kollega.posts.services import comment_on_post

    comment_on_post(bjorn, post, "I do!")
    burst_ends()
    [mail] = replies.to("anna@example.org")
    assert (
        "Reply to this mail to comment on the post"
        in mail.get_body(preferencelist=("plain",)).get_content()
    )
    html = (
        '<html><head><style>p {color: red}</style></head><body><div dir="ltr">'
        "<p><b>Great</b>, bring the <i>saison</i> <a href='https://example.org/r'>recipe</a>."
        "</p><ul><li>malt</li><li>hops</li></ul><script>alert(1)</script></div>"
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, Kollega wrote:</div>'
        "<blockquote>Bjørn Hansen commented on your post</blockquote></div></body></html>"
    )
    receive(reply(mail, None, html=html, sender="anna@example.org"))
    comment = Comment.objects.get(post=post, author=anna)
    assert comment.body == (
        "**Great**, bring the *saison* [recipe](https://example.org/r).\n\n- malt\n- hops"
    )
    assert "<strong>Great</strong>" in comment.body_html and "alert" not in comment.body_html


def test_a_forged_from_posts_nothing_and_bounces_to_the_sender(replies, anna, bjorn, carla):
    question, mail = question_mail(replies, anna, bjorn)
    receive(reply(mail, "Buy the cheapest.", sender="Bjørn Hansen <carla@example.org>"))
    assert not Answer.objects.filter(question=question).exists()
    [bounce] = bounces_to(replies, "carla@example.org")
    assert bounce["Subject"].strip().startswith("Your reply was not posted")
    text = bounce.get_body(preferencelist=("plain",)).get_content()
    assert "belongs to someone else" in text and "Buy the cheapest." in text
    assert bounces_to(replies, "bjorn@example.org") == []


def test_an_expired_reply_address_bounces_in_the_persons_language(replies, anna, bjorn):
    bjorn.language = "sv"
    bjorn.save(update_fields=["language"])
    question, mail = question_mail(replies, anna, bjorn)
    old = ReplySigner().sign(f"{bjorn.pk}.{question.post_id}.{_today() - 91:x}")
    receive(reply(mail, "Sent late.", sender="bjorn@example.org", to=f"reply+{old}@x.example"))
    assert not Answer.objects.filter(question=question).exists()
    [bounce] = bounces_to(replies, "bjorn@example.org")
    assert bounce["Subject"].strip().startswith("Ditt svar publicerades inte")
    assert "90 dagar" in bounce.get_body(preferencelist=("plain",)).get_content()


def test_an_altered_or_unknown_reply_address_bounces(replies, anna, bjorn):
    question, mail = question_mail(replies, anna, bjorn)
    address = mail["Reply-To"].strip()
    local, domain = address.split("@")
    tampered = local[:-1] + ("a" if local[-1] != "a" else "b") + "@" + domain
    other_thread = address.replace(f".{question.post_id}.", f".{question.post_id + 1}.", 1)
    for to in (tampered, other_thread, "someone@intranet.example.com"):
        receive(reply(mail, "Hello.", sender="bjorn@example.org", to=to))
    assert not Answer.objects.exists()
    bounces = bounces_to(replies, "bjorn@example.org")
    assert len(bounces) == 3
    assert all("not posted" in b["Subject"] for b in bounces)


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_auto_replies_are_never_posted_and_never_bounced(replies, anna, bjorn, headers):
    question, mail = question_mail(replies, anna, bjorn)
    raw = reply(
        mail, "I am out of office until Monday.", sender="bjorn@example.org", headers=headers
    )
    assert receive(raw).startswith("ignored")
    assert not Answer.objects.filter(question=question).exists()
    assert bounces_to(replies, "bjorn@example.org") == []
    assert not Delivery.objects.filter(kind="bounce").exists()


def test_our_own_mail_coming_back_is_never_posted_nor_bounced(replies, anna, bjorn):
    _question, mail = question_mail(replies, anna, bjorn)
    for sender in ("Kollega <kollega@intranet.example.com>", REPLY_ADDRESS, mail["Reply-To"]):
        assert receive(reply(mail, "Loop.", sender=sender.strip())).startswith("ignored")
    assert not Answer.objects.exists() and not Delivery.objects.filter(kind="bounce").exists()


def test_a_reply_with_only_the_quote_bounces_and_saves_nothing(replies, anna, bjorn):
    question, mail = question_mail(replies, anna, bjorn)
    receive(reply(mail, "", sender="bjorn@example.org"))
    assert not Answer.objects.filter(question=question).exists()
    [bounce] = bounces_to(replies, "bjorn@example.org")
    assert "Nothing was left to post" in bounce.get_body(preferencelist=("plain",)).get_content()


def test_a_person_no_longer_allowed_or_a_removed_thread_bounces(replies, anna, bjorn, carla):
    question, mail = question_mail(replies, anna, bjorn)
    deactivate(bjorn)
    receive(reply(mail, "Still here?", sender="bjorn@example.org"))
    assert not Answer.objects.exists()
    set_mail_choices(anna, {"comment": "at_once"})
    post = post_on_board(anna, "Brewing on Friday.")
    from kollega.posts.services import comment_on_post

    comment_on_post(carla, post, "Count me in.")
    burst_ends()
    [comment_mail] = replies.to("anna@example.org")
    delete_post(anna, post)
    receive(reply(comment_mail, "Cancelled after all.", sender="anna@example.org"))
    assert not Comment.objects.filter(author=anna).exists()
    assert len(bounces_to(replies, "bjorn@example.org")) == 1
    [bounce] = bounces_to(replies, "anna@example.org")
    assert "no longer take part" in bounce.get_body(preferencelist=("plain",)).get_content()


def test_a_reply_the_share_guard_blocks_bounces_with_its_reason(replies, anna, bjorn):
    question, mail = question_mail(replies, anna, bjorn)
    receive(reply(mail, "Use my key AKIAIOSFODNN7EXAMPLE.", sender="bjorn@example.org"))
    assert not Answer.objects.filter(question=question).exists()
    [bounce] = bounces_to(replies, "bjorn@example.org")
    assert "cannot be shared" in bounce.get_body(preferencelist=("plain",)).get_content()
    assert InboundMail.objects.get().outcome == InboundMail.Outcome.BOUNCED


@pytest.mark.parametrize(
    "address", ["reply", "+x@intranet.example.com", "@example.com", "reply@localhost"]
)
def test_kollega_check_refuses_a_reply_address_that_cannot_take_replies(settings, address):
    from django.core.checks import run_checks

    settings.KOLLEGA_REPLY_ADDRESS = address
    assert "kollega.E102" in {message.id for message in run_checks()}
    settings.KOLLEGA_REPLY_ADDRESS = REPLY_ADDRESS
    assert "kollega.E102" not in {message.id for message in run_checks()}


def test_kollega_check_takes_a_reply_address_with_a_plus_suffix_as_replies_do(settings):
    from django.core.checks import run_checks

    from kollega.mail.replies import reply_address

    settings.KOLLEGA_REPLY_ADDRESS = "Reply+old@intranet.example.com"
    assert "kollega.E102" not in {message.id for message in run_checks()}
    assert reply_address(1, 2).startswith("reply+1.2.")
    assert reply_address(1, 2).endswith("@intranet.example.com")
