"""What is kept of a reply: the new text, not the quoted mail, signature or phone line,
as mail clients in English, Swedish and Norwegian write them."""

from email.message import EmailMessage

import pytest

from kollega.mail.reply_text import html_to_markdown, reply_text, strip_quoted


@pytest.mark.parametrize(
    "reply",
    [
        # Gmail, English, the attribution wrapped onto two lines
        "Use 2 kg.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Kollega <kollega@example.com>\nwrote:\n> Q",
        # Gmail, Swedish
        "Use 2 kg.\n\nDen mån 7 dec. 2026 kl 10:00 skrev Kollega <kollega@example.com>:\n> Q",
        # Gmail, Norwegian
        "Use 2 kg.\n\ntir. 7. des. 2026 kl. 10:00 skrev Kollega <kollega@example.com>:\n> Q",
        # Outlook, Swedish header block under a line
        "Use 2 kg.\n\n________________________________\nFrån: Kollega <k@example.com>\n"
        "Skickat: den 7 december 2026 10:00\nTill: Anna\nÄmne: Q\n\nQ",
        # Outlook, Norwegian, bold labels as some clients write them
        "Use 2 kg.\n\n*Fra:* Kollega <k@example.com>\n*Sendt:* 7. desember 2026\n\nQ",
        # Outlook, English
        "Use 2 kg.\n\nFrom: Kollega <k@example.com>\nSent: Monday, December 7, 2026\n\nQ",
        "Use 2 kg.\n\n-----Original Message-----\nFrom: Kollega\n\nQ",
        # a signature and phone lines
        "Use 2 kg.\n\nSkickat från min iPhone",
        "Use 2 kg.\n\nSendt fra min iPhone\n-- \nAnna\n+46 70 000 00 00",
        # interleaved quoting keeps the person's own lines
        "> Which yeast?\nUse 2 kg.\n> Thanks",
    ],
)
def test_the_quoted_mail_and_signature_are_taken_out(reply):
    assert strip_quoted(reply) == "Use 2 kg."


def test_a_line_that_only_mentions_writing_is_kept():
    text = "From: the brewery, as Anna said.\nWe wrote: to them."
    assert strip_quoted(text) == text


def test_html_becomes_the_markdown_subset_without_scripts_styles_or_the_quote():
    html = (
        "<html><head><title>x</title><style>p{}</style></head><body>"
        "<h2>Plan</h2><p>Brew <strong>Friday</strong>,<br>bring <em>hops</em>.</p>"
        "<ol><li>mash</li><li>boil</li></ol><pre>62 °C\n60 min</pre>"
        "<p><a href='javascript:alert(1)'>bad</a> <a href='https://example.org'>good</a></p>"
        "<script>alert(1)</script><hr>"
        '<div id="divRplyFwdMsg"><b>From:</b> Kollega</div><div>the question</div></body></html>'
    )
    assert html_to_markdown(html) == (
        "**Plan**\n\nBrew **Friday**,\nbring *hops*.\n\n1. mash\n2. boil\n\n"
        "```\n62 °C\n60 min\n```\n\nbad [good](https://example.org)"
    )


def test_an_empty_plain_part_falls_back_to_the_html_part():
    message = EmailMessage()
    message["From"] = "anna@example.org"
    message.set_content("\n")
    message.add_alternative("<p>Only <b>here</b>.</p>", subtype="html")
    assert reply_text(message) == "Only **here**."
