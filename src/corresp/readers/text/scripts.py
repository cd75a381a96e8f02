"""Words of two alphabets: a Cyrillic letter inside an English word (`i.е.` typed with a
Cyrillic `е`) looks right on the page but is wrong for every search, index and spelling
check. The text is kept as written (it is the source's) and each such word is reported
with its line, so the editor can correct the source.

Only files written mainly in the Latin alphabet are checked: a Russian page's Latin
look-alikes (`Oп.`, `IХ`, `HP`) are the scrape's habit, read as such by the archive, date
and dispatch rules.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from ...diagnostics import Diagnostic

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
# A word, abbreviations with their inner full stops included (`i.е.`, `U.S.S.R.`).
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?")


def mixed_script_words(lines: Iterable, file: str) -> list[Diagnostic]:
    """A warning for each word mixing Latin and Cyrillic letters, on the lines that hold a
    Cyrillic letter at all (most English lines are passed over by one search)."""
    found = []
    for line in lines:
        text = line.text
        if not text or not _CYRILLIC.search(text):  # (a blank line: no search)
            continue
        for m in _WORD.finditer(text):
            word = m.group()
            if not (_CYRILLIC.search(word) and _LATIN.search(word)):
                continue
            odd = [c for c in dict.fromkeys(word) if _CYRILLIC.match(c)]
            names = ", ".join(f"{c} ({unicodedata.name(c, 'U+%04X' % ord(c)).title()}, U+{ord(c):04X})"
                              for c in odd[:3])
            found.append(Diagnostic(file, line.number, "warning", "mixed-script",
                                    f"{word!r} mixes Cyrillic letters into a Latin word: {names}; a typing or "
                                    "OCR slip? (kept as written: correct the source)"))
    return found


def mainly_latin(letters: int, cyrillic: int) -> bool:
    return letters > 0 and cyrillic * 2 < letters
