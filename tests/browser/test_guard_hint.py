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
