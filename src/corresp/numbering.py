"""The one place where the numbers a reader sees are assigned to notes.

The model numbers each document's notes 1..n. A numbering scheme turns those into the
labels every exporter prints: `per-document` keeps them (as the printed book does),
`continuous` runs one counter through the edition (chapter intro notes included, in
reading order). Exporters ask here and never count notes themselves.
"""
from __future__ import annotations

from typing import Literal

from .model import Chapter, Document, Edition

Scheme = Literal["per-document", "continuous"]
SCHEMES: tuple[str, ...] = ("per-document", "continuous")


def intro_key(chapter_index: int) -> str:
    """The key under which a chapter intro's notes are numbered (documents use their id)."""
    return f"chapter-{chapter_index + 1}-intro"


class NoteNumbers:
    def __init__(self, edition: Edition, scheme: Scheme = "per-document"):
        if scheme not in SCHEMES:
            raise ValueError(f"unknown numbering scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
        self.scheme = scheme
        self._labels: dict[tuple[str, int], str] = {}
        running = 0
        for ci, chapter in enumerate(edition.chapters):
            containers: list[tuple[str, list]] = [(intro_key(ci), chapter.notes)]
            containers += [(d.id, d.footnotes) for d in chapter.documents]
            for key, notes in containers:
                for note in notes:
                    running += 1
                    label = note.number if scheme == "per-document" else running
                    self._labels[(key, note.number)] = str(label)

    def label(self, key: str, number: int) -> str:
        """The label of note `number` of the document with id `key` (or an intro key)."""
        return self._labels[(key, number)]

    def for_document(self, doc: Document) -> dict[int, str]:
        return {n.number: self.label(doc.id, n.number) for n in doc.footnotes}

    def for_intro(self, chapter_index: int, chapter: Chapter) -> dict[int, str]:
        return {n.number: self.label(intro_key(chapter_index), n.number) for n in chapter.notes}
