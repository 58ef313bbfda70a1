"""quick_url's {% url %} gives exactly what Django's gives, or leaves the work to it."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from kollega.web.templatetags.quick_url import quick_reverse

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load quick_url %}" + source).render(Context(context))


@pytest.mark.parametrize("pk", [0, 1, 42, 2**40])
def test_an_id_route_is_what_reverse_gives(pk):
    for name in ("post", "recommend", "add_comment"):
        assert quick_reverse(name, [pk]) == reverse(name, args=[pk])


@pytest.mark.parametrize(
    "username", ["anna", "anna.berg", "a+b@example.com", "åsa_ö-ü", "50%", "x y", "a&b<c>"]
)
def test_a_name_route_is_quoted_as_reverse_quotes_it(username):
    assert quick_reverse("profile", [username]) == reverse("profile", args=[username])
    assert quick_reverse("avatar", [username]) == reverse("avatar", args=[username])


def test_a_route_without_arguments_is_what_reverse_gives():
    for name in ("home", "directory", "stream_more", "logout"):
        assert quick_reverse(name, []) == reverse(name)


@pytest.mark.parametrize(
    "name, args",
    [
        ("post", [-1]),  # the int converter refuses it: reverse() raises
        ("post", ["12"]),  # reverse() accepts the text; leave it to reverse()
        ("post", [True]),
        ("profile", [""]),
        ("profile", ["a/b"]),
        ("profile", [7]),
        ("home", [1]),
        ("post", []),
        ("no-such-route", [1]),
        ("admin:index", []),
    ],
)
def test_anything_unusual_is_left_to_reverse(name, args):
    assert quick_reverse(name, args) is None


def test_the_tag_renders_escapes_and_assigns_as_djangos_does():
    assert render("{% url 'post' pk %}", pk=5) == reverse("post", args=[5])
    assert render("{% url 'profile' name %}", name="a&b") == reverse(
        "profile", args=["a&b"]
    ).replace("&", "&amp;")
    assert (
        render("{% url 'post' pk as link %}[{{ link }}]", pk=5) == f"[{reverse('post', args=[5])}]"
    )
    assert render("{% url 'post' '12' %}") == reverse("post", args=["12"])
    assert render("{% url 'home' %}") == reverse("home")


def test_an_unknown_route_fails_as_djangos_tag_fails():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-route' 1 %}")
    with pytest.raises(NoReverseMatch):
        render("{% url 'post' -1 %}")
    assert render("{% url 'no-such-route' 1 as link %}[{{ link }}]") == "[]"


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_every_language_gets_what_reverse_gives(language):
    with translation.override(language):
        assert quick_reverse("profile", ["anna"]) == reverse("profile", args=["anna"])
        assert quick_reverse("home", []) == reverse("home")
