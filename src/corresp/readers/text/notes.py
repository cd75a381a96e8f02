"""The notes block after a `_____` rule (or a `Note:` line): one note per line.

The scrape loses or garbles note numbers: the first note often has none, numbers may be
glued to the text (`2Later, ...`) or not match the markers. Here we only record what is
printed; `markers.reconcile` decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .dates import month_number
from .source import Line

# Superscript digits: a scrape that kept the edition's superscripts prints markers and note
# numbers with them ("harvest¹.", "¹ The PB decision ...").
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPTS, "0123456789")


def number_of(digits: str) -> int:
    """The value of a marker or note number, in plain or superscript digits."""
    return int(digits.translate(_FROM_SUPERSCRIPT))


RULE = re.compile(r"^_{3,}+[_\s]*+$")  # possessive: a long run of `_` then `x` fails at once
NOTES_LABEL = re.compile(r"^(?:Notes?|Примечани[ея])\s*+:?\s*+$", re.IGNORECASE)  # `Notes`, `Примечания:`
_NUMBERED = re.compile(r"^(?:(?P<n>\d{1,4})(?:\s+|(?=[^\d\s.,:;)\]\-–—/]))|(?P<sup>[%s]{1,4})\s*)(?P<text>\S.*)$"
                       % SUPERSCRIPTS)

_DOTTED = re.compile(r"^(?P<n>\d{1,3})[.)]\s++(?P<text>[^\W\d_].*)$")  # `1. …`, `1) …`


@dataclass
class RawNote:
    printed: Optional[int]
    text: str
    line: int


# The two in one pattern: a document's every line is asked whether it is one.
_SEPARATOR = re.compile(rf"{RULE.pattern}|(?i:{NOTES_LABEL.pattern})")


def is_separator(text: str) -> bool:
    return bool(_SEPARATOR.match(text))


def parse_notes(lines: list[Line], debris: Optional[list] = None) -> list[RawNote]:
    """One note per non-blank line; further rules are recorded in `debris`."""
    from ...model import Debris
    notes: list[RawNote] = []
    for line in lines:
        if line.blank:
            continue
        if RULE.match(line.text):
            if debris is not None:
                debris.append(Debris(line=line.number, text=line.text, reason="notes rule"))
            continue
        m = _NUMBERED.match(line.text)
        dotted = None if m else _DOTTED.match(line.text)
        if m:
            notes.append(RawNote(number_of(m.group("n") or m.group("sup")), m.group("text").strip(), line.number))
        elif dotted:  # `1. По данным …`, `1) …` under `Примечания:` (selections number their notes so)
            notes.append(RawNote(int(dotted.group("n")), dotted.group("text").strip(), line.number))
        else:
            notes.append(RawNote(None, line.text, line.number))
    return [_unnumbered_if_implausible(n, len(notes)) for n in notes]


# How far a printed number may run past the count of notes and still be one (the scrape
# garbles numbers: a page of three notes may print 4 and 5).
_NUMBER_SLACK = 3


def _unnumbered_if_implausible(note: RawNote, count: int) -> RawNote:
    """A note that lost its number and opens with a number of its own is not note 12 (or
    1935) of a page of three: `12 августа 1935 г. ПБ …` opens with the date's day,
    `1935 г. …` with a year. A number the page cannot have is the note's text."""
    if note.printed is None:
        return note
    word = note.text.split(None, 1)[0].strip(",.").lower() if note.text.strip() else ""
    if note.printed <= count + 1 or (note.printed <= count + _NUMBER_SLACK and not month_number(word)):
        return note
    line_text = f"{note.printed} {note.text}"
    return RawNote(None, line_text, note.line)
