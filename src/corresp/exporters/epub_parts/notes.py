"""Note markers and notes for one container (a document or a chapter intro).

The marker is `<a epub:type="noteref" role="doc-noteref">label</a>` with the label as plain
text: Apple Books stops showing its pop-up when the link holds a <sup>, so the raised look
comes from CSS. The note is an `<aside epub:type="footnote" role="doc-footnote">` placed right
after its document: pop-up readers hide it from the flow, all others show the notes in order
under the text they belong to. Labels come from `corresp.numbering`; ids use the model's own
numbers under the container's key, so they are unique across the book whatever the scheme.
"""
from __future__ import annotations

from lxml import etree

from ...model import Footnote
from .xhtml import EPUB_TYPE, block_break, el, xml_safe


class NoteSet:
    def __init__(self, key: str, notes: list[Footnote], labels: dict[int, str]):
        self.key = key
        self.notes = notes
        self.labels = labels

    def note_id(self, number: int) -> str:
        return f"{self.key}-note-{number}"

    def ref_id(self, number: int) -> str:
        return f"{self.key}-ref-{number}"

    def add_marker(self, parent: etree._Element, number: int) -> etree._Element:
        a = el(parent, "a", self.labels[number], cls="noteref", id=self.ref_id(number),
               href=f"#{self.note_id(number)}", role="doc-noteref")
        a.set(EPUB_TYPE, "noteref")
        return a

    def add_notes(self, parent: etree._Element) -> None:
        """The notes as a block after the text; nothing at all when there are none."""
        if not self.notes:
            return
        block = block_break(el(parent, "div", cls="notes"))
        block.text = "\n"
        for note in self.notes:
            aside = block_break(el(block, "aside", cls="footnote", id=self.note_id(note.number),
                                   role="doc-footnote"))
            aside.set(EPUB_TYPE, "footnote")
            first, *more = note.text.split("\n")  # a note of several paragraphs
            p = el(aside, "p")
            back = el(p, "a", self.labels[note.number], cls="note-label",
                      href=f"#{self.ref_id(note.number)}", role="doc-backlink")
            back.tail = " " + xml_safe(first)
            for paragraph in more:
                el(aside, "p", paragraph)
