"""One XHTML page per chapter: its title, intro with notes, then every document as a section.

A document section reads: heading, archival source, the header lines (transmission, dispatch,
address, dateline, salutation), body with enclosures set off as quotations, signature,
postscript, the secretary's annotations, and last the document's notes. Every role that
`Document.iter_blocks` yields gets a class of its own, so styles/epub.css decides the look.
"""
from __future__ import annotations

from typing import Iterable

from lxml import etree

from ...model import Chapter, Document, Enclosure, NoteRef, Paragraph, Text
from ...numbering import NoteNumbers, intro_key
from .notes import NoteSet
from .script_language import differing_language
from .xhtml import EPUB_TYPE, block_break, el, new_page, serialize, set_lang, xml_safe

# The class of each enclosure role (iter_blocks yields an enclosure whole, as an Enclosure).
ENCLOSURE_ROLES = {"enclosure": "enclosure", "postscript-enclosure": "enclosure postscript-enclosure"}


def chapter_anchor(chapter_index: int) -> str:
    return f"chapter-{chapter_index + 1}"


def add_inlines(p: etree._Element, paragraph: Paragraph, notes: NoteSet) -> None:
    """Text runs and note markers, in order (the EPUB's markers)."""
    write_inlines(p, paragraph, notes.add_marker)


def write_inlines(p: etree._Element, paragraph: Paragraph, marker) -> None:
    """Text runs and note markers, in order; text after a marker becomes the marker's tail.
    `marker(p, number)` adds a marker to `p` and returns it (the EPUB's or the web's)."""
    last = None
    for inline in paragraph.content:
        if isinstance(inline, Text):
            text = xml_safe(inline.text)
            if last is None:
                p.text = (p.text or "") + text
            else:
                last.tail = (last.tail or "") + text
        elif isinstance(inline, NoteRef):
            last = marker(p, inline.number)


def add_paragraph(parent: etree._Element, paragraph: Paragraph, cls: str, notes: NoteSet) -> None:
    add_inlines(block_break(el(parent, "p", cls=cls)), paragraph, notes)


def archive_line(doc: Document) -> str:
    if doc.archive_text:
        return doc.archive_text
    return "; ".join(ref.text for ref in doc.archive)


def _language_sample(doc: Document) -> str:
    """Heading plus the first paragraphs: enough letters to tell the alphabet, cheaply."""
    parts = [doc.heading]
    for i, (_, p) in enumerate(doc.iter_parts()):
        if i >= 3:
            break
        parts.append(p.text)
    return " ".join(parts)


def _no_breaks(parent, key, file) -> None:
    pass


def add_document(parent: etree._Element, doc: Document, notes: NoteSet, page_lang: str,
                 heading: str | None = None, mark=_no_breaks, file: str = "") -> None:
    """`heading`: as printed, with the document's number (corresp.numbering); `mark` puts
    the printed book's page breaks before each part (epub_parts.page_list)."""
    section = block_break(el(parent, "section", cls="document", id=doc.id))
    section.text = "\n"
    lang = differing_language(_language_sample(doc), page_lang)
    if lang:
        set_lang(section, lang)
    mark(section, (doc.id, -1), file)
    block_break(el(section, "h2", heading or doc.heading))
    source = archive_line(doc)
    if source:
        block_break(el(section, "p", source, cls="source"))
    for bi, (role, block) in enumerate(doc.iter_blocks()):
        mark(section, (doc.id, bi), file)
        if isinstance(block, Enclosure):
            quote = block_break(el(section, "blockquote", cls=ENCLOSURE_ROLES[role]))
            quote.text = "\n"
            for p in block.paragraphs:
                add_paragraph(quote, p, "enclosure-line", notes)
        else:
            add_paragraph(section, block, role, notes)
    notes.add_notes(section)


def add_intro(parent: etree._Element, paragraphs: Iterable[Paragraph], notes: NoteSet,
              mark=_no_breaks, key: str = "", file: str = "") -> None:
    intro = block_break(el(parent, "section", cls="intro"))
    intro.text = "\n"
    for i, p in enumerate(paragraphs):
        mark(intro, (key, i), file)
        add_paragraph(intro, p, "intro", notes)
    notes.add_notes(intro)


def chapter_page(chapter: Chapter, chapter_index: int, numbers: NoteNumbers, lang: str,
                 css_href: str, breaks=None, file: str = "", headings=None) -> bytes:
    """`breaks`: the printed book's pages (epub_parts.page_list.PageBreaks), or None;
    `headings` (calendar_page.HeadingPages), if given, reads the serialised page."""
    mark = breaks.mark if breaks is not None else _no_breaks
    html, body = new_page(chapter.title, lang, css_href)
    body.set(EPUB_TYPE, "bodymatter")
    section = block_break(el(body, "section", cls="chapter", id=chapter_anchor(chapter_index),
                             role="doc-chapter"))
    section.set(EPUB_TYPE, "chapter")
    section.text = "\n"
    mark(section, (intro_key(chapter_index), -1), file)
    h1 = block_break(el(section, "h1", chapter.title))
    title_lang = differing_language(chapter.title, lang)
    if title_lang:
        set_lang(h1, title_lang)
    if chapter.intro:
        intro_notes = NoteSet(intro_key(chapter_index), chapter.notes,
                              numbers.for_intro(chapter_index, chapter))
        add_intro(section, chapter.intro, intro_notes, mark, intro_key(chapter_index), file)
    for doc in chapter.documents:
        add_document(section, doc, NoteSet(doc.id, doc.footnotes, numbers.for_document(doc)), lang,
                     numbers.heading(doc), mark, file)
    data = serialize(html, breaks)  # settles the page's markers in the tree too
    if headings is not None:
        headings.read(file, html)
    return data
