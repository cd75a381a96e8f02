"""Guess whether a piece of text is Russian or English from its alphabet.

An English edition can hold a Russian document (and the reverse). Marking it with its own
lang lets screen readers and hyphenation use the right rules. Only the alphabet is looked at:
Cyrillic letters mean Russian, Latin letters mean English.
"""
from __future__ import annotations

from typing import Optional

from ...scripts import letter_counts


def script_language(text: str) -> Optional[str]:
    cyrillic, latin = letter_counts(text)
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
