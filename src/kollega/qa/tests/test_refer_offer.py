import pytest

from kollega.people.tests.factories import signed_in
from kollega.qa.tests.factories import ask

pytestmark = pytest.mark.django_db


def test_the_asker_is_not_offered_to_refer_their_own_question(anna, bjorn):
    question = ask(anna, "Cork or screw cap?")
    asker_page = signed_in(anna).get(question.get_absolute_url()).content.decode()
    colleague_page = signed_in(bjorn).get(question.get_absolute_url()).content.decode()
    refer_action = f'action="/questions/{question.pk}/refer/"'
    assert 'id="refer-title"' not in asker_page and refer_action not in asker_page
    assert "Send it to people who may know" in asker_page
    assert 'id="refer-title"' in colleague_page and refer_action in colleague_page
