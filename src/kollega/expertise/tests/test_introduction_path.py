import re

import pytest

from kollega.network.services import connect
from kollega.people.services import tag_person
from kollega.people.tests.factories import signed_in

pytestmark = pytest.mark.django_db


# English last: a request in Swedish leaves Swedish active for the tests after it.
@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_introduction_path_names_each_introducer_once(anna, bjorn, carla, dag, language):
    tag_person(anna, dag, ["storage"])
    connect(anna, bjorn)
    connect(bjorn, carla)
    connect(carla, dag)  # anna reaches dag through bjorn, then carla
    page = (
        signed_in(anna)
        .get("/experts/", {"q": "storage"}, HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    path = re.search(r'<p class="path">(.*?)</p>', page, re.S)[1]
    text = " ".join(re.sub(r"<[^>]+>", "", path).split())
    intro = {"en": "introduction through", "sv": "presentation via"}[language]
    assert text == f"{intro} Bjørn Hansen → Carla Smith"
    assert path.count(">Bjørn Hansen</a>") == 1 and path.count(">Carla Smith</a>") == 1
