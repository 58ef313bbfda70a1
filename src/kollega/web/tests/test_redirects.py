"""A form's `next` can only send a colleague back to one of our own pages.

An attacker who gets a colleague to submit a crafted form (or follow a crafted
link into one) must not be able to bounce them to another site that looks like
the intranet: a foreign `next` falls back to the page the action belongs to.
"""

import pytest

from kollega.communities.services import create_community
from kollega.network.services import send_invitation
from kollega.people.tests.factories import signed_in

FOREIGN = [
    "https://evil.example/login",
    "//evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("foreign", FOREIGN)
def test_a_community_action_never_redirects_to_another_site(anna, bjorn, foreign):
    community = create_community(anna, "Wine")
    response = signed_in(bjorn).post(f"/communities/{community.slug}/join/", {"next": foreign})
    assert response.status_code == 302
    assert response["Location"] == community.get_absolute_url()
    # The action itself was done: only where it leads was refused.
    assert community.memberships.filter(person=bjorn).exists()


@pytest.mark.parametrize("foreign", FOREIGN)
def test_answering_an_invitation_never_redirects_to_another_site(anna, bjorn, foreign):
    invitation = send_invitation(anna, bjorn, "Shall we?")
    response = signed_in(bjorn).post(f"/invitations/{invitation.pk}/accept/", {"next": foreign})
    assert response.status_code == 302
    assert response["Location"] == "/network/"


def test_a_next_on_our_own_site_is_followed(anna, bjorn):
    community = create_community(anna, "Wine")
    response = signed_in(bjorn).post(
        f"/communities/{community.slug}/follow/", {"next": "/communities/?q=wine"}
    )
    assert response["Location"] == "/communities/?q=wine"
