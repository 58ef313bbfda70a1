"""What people write becomes safe HTML: Markdown yes, markup of their own never."""

from html.parser import HTMLParser

import pytest

from kollega.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, find_mentions_and_tags, render


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def assert_inert(html: str) -> None:
    """Only allow-listed elements and attributes, no event handlers, only safe links."""
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, html
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, html
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("http://", "https://", "mailto:", "/")), html


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="http://example.com">x</a>',
    '<iframe src="http://example.com"></iframe>',
    "<svg onload=alert(1)>",
    "![x](http://example.com/x.png)",
    '[x](http://example.com "a\\" onmouseover=\\"alert(1)")',
    "<div>\n<script>alert(1)</script>\n</div>",
    "[x][r]\n\n[r]: javascript:alert(1)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_reaches_the_page_as_markup(text):
    html = render(text).html
    assert_inert(html)
    lowered = html.lower()
    for banned in ("<script", "<img", "<iframe", "<svg", "<div"):
        assert banned not in lowered


def test_raw_html_is_shown_as_text():
    html = render("<script>alert(1)</script> and <a href=x>y</a>").html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;a href=x&gt;y&lt;/a&gt;" in html
    assert elements(html) == [("p", {})]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("**bold** and *em*", "<strong>bold</strong> and <em>em</em>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("use `print()`", "<code>print()</code>"),
        ("```\nx < 1\n```", "<pre><code>x &lt; 1\n</code></pre>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("~~gone~~", "~~gone~~"),
    ],
)
def test_markdown_renders(text, fragment):
    html = render(text).html
    assert fragment in html
    assert_inert(html)


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[docs](http://example.com/a?b=1)", "http://example.com/a?b=1"),
        ("[docs](https://example.com)", "https://example.com"),
        ("<https://example.com>", "https://example.com"),
        ("[mail](mailto:anna@example.org)", "mailto:anna@example.org"),
        ("[docs][r]\n\n[r]: https://example.com/r", "https://example.com/r"),
    ],
)
def test_web_links_render_and_open_without_referrer(text, href):
    ((tag, attrs),) = [e for e in elements(render(text).html) if e[0] == "a"]
    assert attrs["href"] == href
    assert attrs["rel"] == "noopener noreferrer nofollow"


def test_a_bare_address_is_not_turned_into_a_link():
    assert "<a" not in render("see https://example.com").html


def test_known_mentions_and_tags_become_links():
    rendered = render("Ask @Anna about #Wine", known_handles={"anna"})
    assert '<a href="/people/anna/" class="mention"' in rendered.html
    assert '<a href="/tags/wine/" class="hashtag"' in rendered.html
    assert rendered.mentions == ["anna"]
    assert rendered.tags == ["wine"]


def test_an_unknown_handle_stays_plain_text():
    rendered = render("Ask @ghost", known_handles={"anna"})
    assert "<a" not in rendered.html
    assert rendered.mentions == []


@pytest.mark.parametrize(
    "text",
    [
        "[ask @anna](https://example.com)",
        "[link](https://example.com/@anna)",
        "`@anna`",
        "```\n@anna #wine\n```",
        "    @anna #wine",
    ],
)
def test_a_mention_inside_a_link_or_code_is_not_relinked_nor_a_mention(text):
    rendered = render(text, known_handles={"anna"})
    assert "/people/anna/" not in rendered.html
    assert "/tags/wine/" not in rendered.html
    assert rendered.mentions == []
    assert rendered.tags == []
    assert find_mentions_and_tags(text) == ([], [])


def test_code_may_contain_at_signs_and_hashes_of_any_kind():
    text = "```python\n#include <stdio.h>\n@decorator\ndef f(): ...\n```\nand `@Override`"
    assert find_mentions_and_tags(text) == ([], [])


@pytest.mark.parametrize(
    "text", ["mail a@b.se", "write to anna@example.org", "see http://x.se/@anna"]
)
def test_emails_and_addresses_are_not_mentions(text):
    assert find_mentions_and_tags(text) == ([], [])
    assert "/people/" not in render(text, known_handles={"anna", "b"}).html


def test_mentions_and_tags_are_found_in_order_without_repeats():
    text = "@bjorn and @Anna, @bjorn again: #Wine #cheese #wine"
    assert find_mentions_and_tags(text) == (["bjorn", "anna"], ["wine", "cheese"])


def test_a_sentence_ending_after_a_mention_or_tag_keeps_its_full_stop():
    assert find_mentions_and_tags("Thanks @anna. Love #wine.") == (["anna"], ["wine"])
    assert find_mentions_and_tags("Ask @anna.lindqvist") == (["anna.lindqvist"], [])


def test_numbers_after_a_hash_are_tags_because_tags_may_start_with_a_digit():
    """`#1` becomes the tag "1": TAG_PATTERN lets a tag start with a letter or a digit."""
    rendered = render("Fixed in #1, see #2024-plan")
    assert rendered.tags == ["1", "2024-plan"]
    assert '<a href="/tags/1/" class="hashtag"' in rendered.html


def test_html_entities_and_anchors_are_not_tags():
    assert find_mentions_and_tags("&#39; and page/#top and a#b") == ([], [])


def test_a_direction_override_is_not_rendered_so_no_text_shows_reversed():
    html = render("\u202eevil \u2067isolated\u2069 and \u202bembedded\u202c").html
    assert html == "<p>evil isolated and embedded</p>\n"
    assert "\u200f" in render("mark \u200f kept").html  # a mark cannot reverse text


def test_a_decomposed_tag_in_the_text_is_one_tag_with_its_composed_spelling():
    decomposed = "#no\u0308rm and #Stra\u00dfe"
    assert find_mentions_and_tags(decomposed) == ([], ["n\u00f6rm", "strasse"])
    assert 'href="/tags/n%C3%B6rm/"' in render(decomposed).html
