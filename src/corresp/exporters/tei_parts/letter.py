"""The text: a `div type="chapter"` per chapter (title, intro with its notes, letters), a
`div type="letter"` per document, every part of it in reading order:

    head · note type="archive" (msDesc per reference) · opener (seg type="transmission",
    seg type="dispatch", address/addrLine, dateline, salute) · p and quote type="enclosure"
    · closer/signed · postscript · note type="secretary" hand="#secretary" · footnotes as
    note place="foot" n="label" at their markers

Labels come from `corresp.numbering`. Structured fields of dispatch and secretary lines
(place, date, time, number) are marked where they stand in the printed line; the line's
text stays as printed. A part this module does not know is an error, never dropped.
"""
from __future__ import annotations

from typing import Iterable, Optional, Union

from lxml import etree

from ...model import (ArchiveRef, Chapter, Dispatch, Document, Enclosure, Footnote, NoteRef, Paragraph,
                      SecretaryAnnotation, Text)
from ...numbering import NoteNumbers, intro_key
from .dates import clock, dispatch_when
from ...tei_xml import add_text, block, sub, xml_id

SECRETARY_HAND = "secretary"
NO_TEXT = "no-text"  # the placeholder of a letter that has a signature but no text
Field = tuple[str, str, dict]  # (printed value, TEI tag, attributes)


class Notes:
    """The footnotes of one container (a document or a chapter intro), written at their markers."""

    def __init__(self, key: str, notes: list[Footnote], labels: dict[int, str]):
        self.key = xml_id(key)
        self.by_number = {n.number: n for n in notes}
        self.labels = labels

    def add(self, parent: etree._Element, number: int) -> None:
        note = self.by_number[number]
        el = sub(parent, "note", place="foot", n=self.labels[number], xml_id=f"{self.key}-note-{number}",
                 type=None if note.marker == "explicit" else f"{note.marker}-marker")
        paragraphs = note.text.split("\n")
        if len(paragraphs) == 1:
            add_text(el, note.text)
        else:  # a note of several paragraphs
            for text in paragraphs:
                sub(el, "p", text)


def inline(parent: etree._Element, content: Iterable[Union[Text, NoteRef]], notes: Notes,
           fields: Optional[list[Field]] = None) -> etree._Element:
    if fields:
        fields = [f for f in fields if f[0]]
    for item in content:
        if isinstance(item, Text):
            if fields:
                _marked_text(parent, item.text, fields)
            else:  # most lines: nothing to mark
                add_text(parent, item.text)
        elif isinstance(item, NoteRef):
            notes.add(parent, item.number)
        else:
            raise TypeError(f"tei: unknown inline node {type(item).__name__}")
    return parent


def _marked_text(parent: etree._Element, text: str, fields: list[Field]) -> None:
    """Add `text`, wrapping the first occurrence of each field's printed value in its element."""
    while fields:
        # The earliest; of two at the same place the longer (a date, not the digit it starts with).
        hits = [(text.find(value), -len(value), k) for k, (value, _, _) in enumerate(fields) if value in text]
        if not hits:
            break
        start, _, k = min(hits)
        value, tag, attrs = fields.pop(k)
        add_text(parent, text[:start])
        sub(parent, tag, value, **attrs)
        text = text[start + len(value):]
    add_text(parent, text)


def _dispatch_fields(line: Dispatch, year: Optional[str]) -> list[Field]:
    when = dispatch_when(line.date, line.time, year)
    return [(line.place or "", "placeName", {}),
            (line.date or "", "date", {"when": when[:10] if when else None}),
            (line.time or "", "time", {"when": when[11:] if when and "T" in when else None}),
            (line.number or "", "num", {})]


def _secretary_fields(line: SecretaryAnnotation, year: Optional[str]) -> list[Field]:
    when = dispatch_when(line.date, None, year)
    return [(line.number or "", "num", {"type": "entry"}),
            (line.time or "", "time", {"when": clock(line.time)}),
            (line.date or "", "date", {"when": when})]


def _archive(parent: etree._Element, doc: Document) -> None:
    if not doc.archive and not doc.archive_text:
        return
    note = block(sub(parent, "note", type="archive"))
    if not doc.archive:
        add_text(note, doc.archive_text or "")
        return
    if doc.archive_text and doc.archive_text != "; ".join(ref.text for ref in doc.archive):
        sub(note, "bibl", doc.archive_text, type="printed")  # the line as printed, when the parts differ
    for ref in doc.archive:
        _ms_desc(note, ref, doc.heading)


def _ms_desc(parent: etree._Element, ref: ArchiveRef, title: str) -> None:
    ms = sub(parent, "msDesc")
    ident = sub(ms, "msIdentifier")
    if ref.repository:
        sub(ident, "repository", ref.repository)
    for kind in ("fond", "opis", "delo"):
        value = getattr(ref, kind)
        if value:
            sub(ident, "idno", value, type=kind)
    if len(ident) == 0:  # nothing parsed: the reference as printed is the identifier
        sub(ident, "idno", ref.text, type="printed")
    sub(ms, "head", ref.text)
    if ref.folios:
        item = sub(sub(ms, "msContents"), "msItem")  # the letter, on these folios
        sub(item, "locus", ref.folios)
        sub(item, "title", title)
    if ref.form:
        sub(sub(ms, "physDesc"), "p", ref.form)


def _blocks(parent: etree._Element, blocks: list, notes: Notes) -> None:
    for b in blocks:
        if isinstance(b, Enclosure):
            quote = block(sub(parent, "quote", type="enclosure"))
            for p in b.paragraphs:
                block(inline(sub(quote, "p"), p.content, notes))
        elif isinstance(b, Paragraph):
            block(inline(sub(parent, "p"), b.content, notes))
        else:
            raise TypeError(f"tei: unknown block {type(b).__name__}")


def letter(parent: etree._Element, doc: Document, numbers: NoteNumbers) -> etree._Element:
    # @n is the document's number (corresp.numbering), as every format prints it: "No. 13";
    # the id is the xml:id (`from_xml_id` gives it back when it had to be encoded).
    div = block(sub(parent, "div", type="letter", xml_id=xml_id(doc.id), n=str(numbers.document(doc))))
    div.text = "\n"
    notes = Notes(doc.id, doc.footnotes, numbers.for_document(doc))
    year = doc.date.iso[:4] if doc.date and doc.date.iso else None
    block(sub(div, "head", doc.heading))
    _archive(div, doc)
    if doc.transmission or doc.dispatch or doc.address or doc.dateline or doc.salutation:
        opener = block(sub(div, "opener"))
        for p in doc.transmission:
            inline(sub(opener, "seg", type="transmission"), p.content, notes)
        for line in doc.dispatch:
            inline(sub(opener, "seg", type="dispatch", subtype=line.kind), line.content, notes,
                   _dispatch_fields(line, year))
        if doc.address:
            address = sub(opener, "address")
            for p in doc.address:
                inline(sub(address, "addrLine"), p.content, notes)
        if doc.dateline:
            inline(sub(opener, "dateline"), doc.dateline.content, notes)
        if doc.salutation:
            inline(sub(opener, "salute"), doc.salutation.content, notes)
    _blocks(div, doc.body, notes)
    if not doc.body and (doc.signature or doc.postscript):
        block(sub(div, "ab", type=NO_TEXT))  # TEI puts a closer or postscript only after some text
    if doc.signature:
        inline(sub(block(sub(div, "closer")), "signed"), doc.signature.content, notes)
    if doc.postscript:
        postscript = block(sub(div, "postscript"))
        postscript.text = "\n"
        _blocks(postscript, doc.postscript, notes)
    for line in doc.secretary:
        inline(block(sub(div, "note", type="secretary", hand=f"#{SECRETARY_HAND}")), line.content, notes,
               _secretary_fields(line, year))
    return div


def chapter(parent: etree._Element, ci: int, ch: Chapter, numbers: NoteNumbers) -> etree._Element:
    div = block(sub(parent, "div", type="chapter", xml_id=f"chapter-{ci + 1}"))
    div.text = "\n"
    block(sub(div, "head", ch.title))
    notes = Notes(intro_key(ci), ch.notes, numbers.for_intro(ci, ch))
    for p in ch.intro:
        block(inline(sub(div, "p"), p.content, notes))
    for doc in ch.documents:
        letter(div, doc, numbers)
    return div
