"""The publisher's pages, one text for every format: the copyright lines and the imprint.

The PDF sets these lines at the foot of its copyright page, the EPUB on its copyright page,
the DOCX on its own: all call `copyright_lines`, so the formats never word them apart. No
source file's name and no date nobody gave: the build is not the book.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .i18n import words
from .metadata import ISBN_FORMATS, publication
from .model import Edition


@dataclass(frozen=True)
class Line:
    text: str
    kind: str  # "rights", "licence", "isbn", "made-with": a class name for the EPUB, a role elsewhere
    href: Optional[str] = None  # the licence's address, linked where the format can


def copyright_lines(edition: Edition) -> list[Line]:
    """Rights, the licence, each format's ISBN, and how the book was made; in the edition's
    language."""
    pub = publication(edition)
    w = words(edition.language)
    lines = []
    if pub.rights:
        lines.append(Line(pub.rights, "rights"))
    if pub.license:
        lines.append(Line(pub.license, "licence", pub.license if "://" in pub.license else None))
    for fmt in ISBN_FORMATS:
        if fmt in pub.isbn:
            lines.append(Line(w["isbn_line"].format(isbn=pub.isbn[fmt], format=w["isbn_" + fmt]), "isbn"))
    lines.append(Line(w["made_with"], "made-with"))
    return lines


def imprint(edition: Edition) -> str:
    """`Publisher, Place, Year` for the foot of the title page; the year only if edition.toml
    gives a date (never the build's)."""
    pub = publication(edition)
    return ", ".join(x for x in (pub.publisher, pub.place, (pub.date or "")[:4]) if x)


def credits(edition: Edition) -> list[tuple[str, list[str]]]:
    """The title page's credits in order: (caption, names) for the editors and translators."""
    w = words(edition.language)
    out = []
    if edition.editors:
        out.append((w["edited_by"], list(edition.editors)))
    translators = publication(edition).translators
    if translators:
        out.append((w["translated_by"], list(translators)))
    return out
