"""The one place where the numbers a reader sees are assigned to notes.

The model numbers each document's notes 1..n. A numbering scheme turns those into the
labels every exporter prints: `per-document` keeps them (as the printed book does),
`continuous` runs one counter through the edition (chapter intro notes included, in
reading order). Exporters ask here and never count notes themselves.

Documents are numbered here too: 1..n in edition order (chapters in order, documents in
order), so "doc. 12" means the same letter in every format; the model does not store it.
"""
from __future__ import annotations

from typing import Literal

from .model import Chapter, Document, Edition

Scheme = Literal["per-document", "continuous"]
SCHEMES: tuple[str, ...] = ("per-document", "continuous")


def intro_key(chapter_index: int) -> str:
    """The key under which a chapter intro's notes are numbered (documents use their id)."""
    return f"chapter-{chapter_index + 1}-intro"


def document_numbers(edition: Edition) -> dict[str, int]:
    """Each document's number, by id: 1..n in edition order."""
    return {doc.id: i for i, doc in enumerate(edition.documents, start=1)}


def numbered_heading(number: int, heading: str) -> str:
    """How every format prints a document's heading: "12. Kaganovich to Stalin …"."""
    return f"{number}. {heading}"


class NoteNumbers:
    def __init__(self, edition: Edition, scheme: Scheme = "per-document"):
        if scheme not in SCHEMES:
            raise ValueError(f"unknown numbering scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
        self.scheme = scheme
        self.documents = document_numbers(edition)
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

    def document(self, doc: Document) -> int:
        """The document's number in the edition (1..n)."""
        return self.documents[doc.id]

    def heading(self, doc: Document) -> str:
        return numbered_heading(self.documents[doc.id], doc.heading)

    def label(self, key: str, number: int) -> str:
        """The label of note `number` of the document with id `key` (or an intro key)."""
        return self._labels[(key, number)]

    def for_document(self, doc: Document) -> dict[int, str]:
        return {n.number: self.label(doc.id, n.number) for n in doc.footnotes}

    def for_intro(self, chapter_index: int, chapter: Chapter) -> dict[int, str]:
        return {n.number: self.label(intro_key(chapter_index), n.number) for n in chapter.notes}
