"""Digests as people get them: what is in them and in which order, what is left out at
send time, who gets one when, and that nobody gets one twice."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from kollega.communities.models import Community
from kollega.communities.services.creating import create_community
from kollega.communities.services.membership import (
    accept_community_invitation,
    invite_to_community,
    leave_community,
)
from kollega.digests import services
from kollega.digests.models import DigestSent
from kollega.digests.services import Outcome, build_digest, digest_choice, send_digests
from kollega.guard.classification import Level
from kollega.mail.models import Delivery
from kollega.network.services import accept_invitation, connect, remove_contact, send_invitation
from kollega.notifications.services import set_mail_choices
from kollega.posts.models import Audience
from kollega.posts.services import comment_on_post, post_on_board, recommend_post
from kollega.qa.services import answer_question, ask_question, send_question

pytestmark = pytest.mark.django_db


def tomorrow() -> datetime:
    """A moment whose daily digest covers everything made during the test."""
    return timezone.now() + timedelta(days=1)


def keys(digest) -> list[str]:
    return [section.key for section in digest.sections]


def titles(digest) -> list[str]:
    return [item.title for section in digest.sections for item in section.items]


def test_the_digest_lists_its_sections_in_the_order_of_the_issue(anna, bjorn, carla, make_person):
    dag = make_person("Dag Berg", "dag")
    connect(bjorn, carla)
    question = ask_question(anna, "Which yeast for a saison?")
    send_question(anna, question, [bjorn])  # waiting for bjorn
    mine = ask_question(bjorn, "Who has a refractometer?")
    answer_question(anna, mine, "I have one.")  # an answer to what bjorn asked
    post_on_board(dag, "Brewing day on Friday, @bjorn bring the kettle")  # a mention
    busy = post_on_board(carla, "Our new fermentation room is ready")  # carla is a contact
    comment_on_post(dag, busy, "Congratulations!")
    recommend_post(anna, busy)

    digest = build_digest(bjorn, "daily", tomorrow())

    assert keys(digest) == ["questions", "replies", "mentions", "threads"]
    assert titles(digest)[:2] == ["Which yeast for a saison?", "Who has a refractometer?"]
    assert "Brewing day on Friday, @bjorn bring the kettle" in titles(digest)
    assert titles(digest)[-1] == "Our new fermentation room is ready"


def test_notifications_chosen_for_the_digest_come_last_and_are_not_repeated(anna, bjorn):
    # anna is told "invitation accepted", a kind that goes to the digest by default
    accept_invitation(bjorn, send_invitation(anna, bjorn))
    post = post_on_board(bjorn, "Cider or perry?")
    comment_on_post(anna, post, "Perry!")  # a reply, and a "comment" notification

    digest = build_digest(anna, "daily", tomorrow())
    assert keys(digest) == ["notifications"]
    [item] = digest.sections[0].items
    assert "Bjørn Hansen" in item.title

    bjorns = build_digest(bjorn, "daily", tomorrow())
    assert keys(bjorns) == ["replies"]  # the comment once, not again as a notification


def test_a_post_in_a_restricted_community_one_left_is_not_in_the_digest(anna, bjorn):
    club = create_community(anna, "Hop club", kind=Community.Kind.RESTRICTED)
    accept_community_invitation(bjorn, invite_to_community(anna, club, bjorn))
    post_on_board(anna, "Secret recipe for @bjorn", audience=Audience.COMMUNITY, community=club)
    assert keys(build_digest(bjorn, "daily", tomorrow())) == ["mentions"]

    leave_community(bjorn, club)

    assert build_digest(bjorn, "daily", tomorrow()).is_empty


def test_a_thread_of_a_removed_contact_is_not_in_the_digest(anna, bjorn, carla):
    connect(anna, bjorn)
    post = post_on_board(bjorn, "Only for my network", audience=Audience.NETWORK)
    comment_on_post(bjorn, post, "More soon")
    assert titles(build_digest(anna, "daily", tomorrow())) == ["Only for my network"]

    remove_contact(bjorn, anna)

    assert build_digest(anna, "daily", tomorrow()).is_empty


def test_a_post_raised_to_confidential_leaves_the_digest(anna, bjorn, carla):
    connect(anna, bjorn)
    post = post_on_board(bjorn, "Quarterly figures")
    comment_on_post(carla, post, "Good numbers")
    assert titles(build_digest(anna, "daily", tomorrow())) == ["Quarterly figures"]

    type(post).objects.filter(pk=post.pk).update(classification=Level.CONFIDENTIAL)

    assert build_digest(anna, "daily", tomorrow()).is_empty


def test_an_empty_digest_is_recorded_and_not_sent(anna):
    report = send_digests("daily", tomorrow())

    assert report.counts[Outcome.EMPTY] == 1
    assert not Delivery.objects.exists()
    assert DigestSent.objects.get(person=anna).delivery is None


def test_a_digest_is_made_once_per_person_and_period(anna, bjorn):
    send_question(anna, ask_question(anna, "Saison yeast?"), [bjorn])
    later = tomorrow()

    first = send_digests("daily", later)
    again = send_digests("daily", later + timedelta(hours=1))

    assert first.counts[Outcome.SENT] == 1
    assert again.counts[Outcome.ALREADY_SENT] == 2  # bjorn's mail, anna's empty one
    assert Delivery.objects.filter(kind="digest", recipient=bjorn).count() == 1


def test_a_person_without_an_address_is_skipped_and_listed(anna, bjorn):
    bjorn.user.email = ""
    bjorn.user.save(update_fields=["email"])
    send_question(anna, ask_question(anna, "Saison yeast?"), [bjorn])

    report = send_digests("daily", tomorrow())

    assert report.no_address == ["bjorn"]
    delivery = Delivery.objects.get(recipient=bjorn)
    assert delivery.status == Delivery.Status.SKIPPED  # the administrator's list
    assert delivery in Delivery.objects.failing()


def test_the_default_is_daily_unless_nothing_goes_to_the_digest(anna):
    assert digest_choice(anna) == "daily"
    set_mail_choices(anna, {kind: "at_once" for kind in services.mail_choices(anna)})
    anna = type(anna).objects.get(pk=anna.pk)
    assert digest_choice(anna) == "weekly"


def test_the_periodic_job_sends_at_each_persons_morning(anna, bjorn, carla, settings):
    settings.KOLLEGA_DIGEST_HOUR = 7
    anna.time_zone = "Asia/Tokyo"
    anna.save(update_fields=["time_zone"])
    bjorn.time_zone = "America/New_York"
    bjorn.save(update_fields=["time_zone"])
    question = ask_question(carla, "Saison yeast?")
    send_question(carla, question, [anna, bjorn])
    # Wednesday 2030-01-02 01:00 UTC: 10:00 in Tokyo; 20:00 on Tuesday in New York, whose
    # morning is 13 hours past: too late for Tuesday's digest, too early for Wednesday's.
    services.send_due_digests(datetime(2030, 1, 2, 1, 0, tzinfo=UTC))
    assert list(DigestSent.objects.values_list("person__user__username", "period_start")) == [
        ("anna", datetime(2030, 1, 1).date())
    ]
    services.send_due_digests(datetime(2030, 1, 2, 11, 0, tzinfo=UTC))  # 06:00 in New York
    assert not DigestSent.objects.filter(person=bjorn).exists()
    services.send_due_digests(datetime(2030, 1, 2, 12, 0, tzinfo=UTC))  # 07:00 in New York
    assert DigestSent.objects.get(person=bjorn).period_start == datetime(2030, 1, 1).date()
    assert DigestSent.objects.filter(person=anna).count() == 1


def test_weekly_digests_go_out_on_monday_mornings(anna, bjorn, settings):
    settings.TIME_ZONE = "UTC"
    services.set_digest_choice(bjorn, "weekly")
    send_question(anna, ask_question(anna, "Saison yeast?"), [bjorn])
    services.send_due_digests(datetime(2030, 1, 8, 9, 0, tzinfo=UTC))  # a Tuesday
    assert not DigestSent.objects.filter(person=bjorn).exists()
    services.send_due_digests(datetime(2030, 1, 14, 7, 30, tzinfo=UTC))  # Monday 07:30
    sent = DigestSent.objects.get(person=bjorn)
    assert (sent.period, sent.period_start) == ("weekly", datetime(2030, 1, 7).date())


def test_the_weekly_digest_recommends_colleagues_with_the_reason_and_the_daily_does_not(
    anna, bjorn, carla
):
    connect(bjorn, carla)
    connect(carla, anna)  # anna is a contact of bjorn's contact
    busy = post_on_board(carla, "Our new fermentation room is ready")
    comment_on_post(anna, busy, "Congratulations!")
    monday_next_week = timezone.now() + timedelta(days=7)

    weekly = build_digest(bjorn, "weekly", monday_next_week)
    daily = build_digest(bjorn, "daily", tomorrow())

    assert keys(weekly)[-1] == "recommended"
    (anna_item,) = [item for s in weekly.sections if s.key == "recommended" for item in s.items]
    assert anna_item.title == anna.name and "You share 1 contact" in anna_item.meta
    assert "recommended" not in keys(daily)
