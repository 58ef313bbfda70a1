"""The share guard speaks in the composer as one writes, before Post is pressed:
a secret is named as blocked, a confidentiality label as a warning that a narrower
audience or a reason will settle, and nothing is posted by the hint itself."""

import pytest
from playwright.sync_api import expect

from kollega.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_composer_warns_while_writing_and_the_audience_changes_the_word(sign_in, anna):
    page = sign_in(anna)
    page.goto("/")
    composer = page.get_by_role("textbox", name="Status update")
    composer.fill("Here is the test account: password=hunter2 for everyone")
    hint = page.locator(".guard-hint")
    expect(hint).to_have_class("guard-hint block")
    expect(hint).to_contain_text("cannot be shared")
    composer.fill("CONFIDENTIAL: the offsite is in Bergen")
    expect(hint).to_have_class("guard-hint warn")
    expect(hint).to_contain_text("confidentiality label")
    # An identity number may not go to everyone, but may, with a reason, to one's network.
    composer.fill("Book the flight on personnummer 811218-9876")
    expect(hint).to_have_class("guard-hint block")
    page.get_by_label("Audience").select_option("network")
    expect(hint).to_have_class("guard-hint warn")
    composer.fill("Fika at three in the kitchen")
    expect(page.locator(".guard-hint")).to_have_count(0)
    assert not Post.objects.exists()


def test_a_warned_post_goes_out_with_a_reason_and_a_blocked_one_keeps_its_text(sign_in, anna):
    page = sign_in(anna)
    page.goto("/")
    composer = page.get_by_role("textbox", name="Status update")
    composer.fill("CONFIDENTIAL: the offsite is in Bergen")
    page.get_by_role("button", name="Post", exact=True).click()
    reason = page.get_by_label("I have a reason to share this")
    expect(reason).to_be_visible()
    assert not Post.objects.exists()
    reason.fill("Announced at the all-hands already")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("article.post").first).to_contain_text("the offsite is in Bergen")
    assert Post.objects.get().body == "CONFIDENTIAL: the offsite is in Bergen"

    page.goto("/")
    blocked = "Deploy key: AKIAIOSFODNN7EXAMPLE, thanks!"
    page.get_by_role("textbox", name="Status update").fill(blocked)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("password, key or access token").first).to_be_visible()
    expect(page.get_by_role("textbox", name="Status update")).to_have_value(blocked)
    expect(page.get_by_label("I have a reason to share this")).to_have_count(0)
    assert Post.objects.count() == 1
