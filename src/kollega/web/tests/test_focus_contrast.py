"""The keyboard focus ring stands out against what it is drawn on (WCAG 2.2, 1.4.11: ≥ 3:1)."""

import re
from pathlib import Path

import kollega.web

CSS = (Path(kollega.web.__file__).parent / "static" / "kollega" / "kollega.css").read_text()


def colour(name: str) -> str:
    value = re.search(rf"--{name}:\s*#([0-9a-fA-F]{{6}}|[0-9a-fA-F]{{3}})\s*;", CSS)[1]
    return "#" + (value if len(value) == 6 else "".join(c * 2 for c in value))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_ring_uses_the_focus_colour():
    assert re.search(r":focus-visible\s*\{\s*outline:\s*3px solid var\(--focus\)", CSS)


def test_the_focus_ring_has_at_least_3_to_1_contrast_on_cards_and_on_the_page():
    focus = colour("focus")
    assert contrast(focus, colour("card")) >= 3
    assert contrast(focus, colour("bg")) >= 3
