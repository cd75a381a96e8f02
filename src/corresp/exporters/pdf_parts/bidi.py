"""Right-to-left words (Hebrew, Arabic) in the PDF: drawn in visual order, read in logical order.

The PDF draws glyphs left to right as given; a Hebrew word in logical order would come out
backwards (`שלום` read as `םולש`). Such a word is drawn in the visual order that the
Unicode bidirectional algorithm gives (python-bidi) and wrapped in a `/Span` with
`/ActualText` holding the logical text, which text extraction, screen readers and
`corresp verify` read instead of the glyphs. Words are reordered one by one: the order of
several right-to-left words within a line stays the logical one.
"""
from __future__ import annotations

import re

_RTL = re.compile("[\u0590-\u05ff\u0600-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


# A first look: the same BMP ranges, and every character beyond the BMP in one range (two
# astral ranges make the regex engine test ranges one by one for every character; this is
# a table lookup, twice as fast). Only a text it finds something in is searched again.
_MAYBE_RTL = re.compile("[\u0590-\u05ff\u0600-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010000-\U0010ffff]")


def has_rtl(text: str) -> bool:
    return _MAYBE_RTL.search(text) is not None and _RTL.search(text) is not None


def visual(text: str) -> str:
    from bidi import get_display
    return get_display(text, base_dir="L")  # in a left-to-right paragraph: `שלום,` keeps its comma after it


def actual_text(text: str) -> str:
    """A PDF text string (UTF-16BE with its byte order mark, in hex) for /ActualText."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
