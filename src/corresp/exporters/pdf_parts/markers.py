"""Note markers: superscript labels that link to their note and leave a named destination.

A marker in a body paragraph links to `fn-KEY` (the start of the note) and leaves `mk-KEY`
where it is printed; the note's own label links back to `mk-KEY`. A piece of a split
paragraph knows the markers it holds (`note_keys`), so a note follows its marker, not
its paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

MARK_PREFIX = "mk-"  # named destination at a marker
NOTE_PREFIX = "fn-"  # named destination at the start of a note

_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")


@dataclass(frozen=True)
class Mark:
    """A superscript label inside a paragraph's text."""
    label: str
    link: str  # the destination the label links to
    note: Optional[str] = None  # the note this marker calls (leaves `mk-NOTE` where printed)


def note_key(container: str, number: int) -> str:
    """The key of note `number` of a document (its id) or chapter intro (numbering.intro_key).
    Keys become PDF destination names, so other characters are written as _XXXX (which
    keeps distinct ids distinct); the number is always the part after the last dot."""
    return f"{_UNSAFE.sub(lambda m: f'_{ord(m.group()):04x}', container)}.{number}"


def marker(key: str, label: str) -> Mark:
    """The marker of note `key` in the text."""
    return Mark(label, NOTE_PREFIX + key, key)


def back_label(key: str, label: str) -> Mark:
    """The label at the start of a note, linking back to its marker."""
    return Mark(label, MARK_PREFIX + key)


def note_keys(flowable) -> list[str]:
    get = getattr(flowable, "note_keys", None)
    return get() if get else []
