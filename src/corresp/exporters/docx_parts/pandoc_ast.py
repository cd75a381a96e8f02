"""The edition as a pandoc JSON AST, built from the model (never through Markdown text, so
`[`, `#`, `*`, `<`, `&` reach Word verbatim as Str nodes).

Layout: the edition title, subtitle and editors as pandoc metadata (Title, Subtitle, Author
paragraphs; core properties title and language); each chapter a level-1 Header followed by
its introduction; each document a "Document Heading" paragraph (based on heading 2) carrying
a bookmark named after the document id, its archive line, then every part of
Document.iter_parts() in a Div whose custom-style names the part's style. Note markers
become pandoc Notes in place, so pandoc writes real w:footnote elements in reading order;
`labels` lists the label each note must show, in that same order, for the post-processing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ...calendar import calendar, calendar_title, unbroken
from ...i18n import words
from ...correspondents import (correspondents, index_explanation, index_labels, index_title, locator,
                               sent_and_received)
from ...model import Chapter, Document, Edition, Footnote, NoteRef, Paragraph
from ...numbering import NoteNumbers
from ...scripts import letter_counts
from .contents import document_bookmark
from .front_matter import front_matter_blocks
from .splice import Paragraphs
from .styles import CALENDAR_TABLE_HEAD, ARCHIVE_LINE, CALENDAR_ENTRY, CHAPTER_INTRO, DOCUMENT_HEADING, INDEX_ENTRY, ROLE_STYLES

Json = dict[str, Any]

@dataclass
class EditionAst:
    ast: Json
    labels: list[str] = field(default_factory=list)  # one per note, in reading order
    groups: list[Optional[str]] = field(default_factory=list)  # per note: "No. 12", None in an intro
    witnesses: list[str] = field(default_factory=list)  # splice.Paragraphs.xml(): pandoc writes them last


def str_inlines(text: str) -> list[Json]:
    """Text as Str nodes; one Str per line (pandoc's writer keeps the spaces inside a Str)."""
    if "\n" not in text and not text.endswith(SOFT_HYPHEN):  # the usual case, kept fast
        return [{"t": "Str", "c": text}] if text else []
    out: list[Json] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append({"t": "LineBreak"})
        # pandoc's writer drops soft hyphens that end a text: Word's own element keeps them.
        bare = line.rstrip(SOFT_HYPHEN)
        if bare:
            out.append({"t": "Str", "c": bare})
        out += [_SOFT_HYPHEN_RUN] * (len(line) - len(bare))
    return out


SOFT_HYPHEN = "\u00ad"
_SOFT_HYPHEN_RUN: Json = {"t": "RawInline", "c": ["openxml", "<w:r><w:softHyphen/></w:r>"]}


def para(inlines: list[Json]) -> Json:
    return {"t": "Para", "c": inlines}


def div(blocks: list[Json], style: Optional[str] = None, lang: Optional[str] = None,
        ident: str = "") -> Json:
    attrs = []
    if style:
        attrs.append(["custom-style", style])
    if lang:
        attrs.append(["lang", lang])
    return {"t": "Div", "c": [[ident, [], attrs], blocks]}


def language_of(text: str, edition_language: str) -> Optional[str]:
    """The language to mark a chapter or document with: ru for mostly Cyrillic text in an
    edition of another language, en for mostly Latin text in a Russian one, else None
    (inherit). Word then spell-checks and hyphenates each document in its own language."""
    text = text[:2000]  # the heading and opening lines decide; counting whole documents costs time
    cyrillic, latin = letter_counts(text)  # (corresp.scripts: counted in C)
    lang = "ru" if cyrillic > latin else "en"
    return None if edition_language.split("-")[0].lower() == lang else lang


class _Builder:
    def __init__(self, edition: Edition, numbers: NoteNumbers, paragraphs: Optional[Paragraphs] = None):
        self.edition = edition
        self.paragraphs = paragraphs  # writes the plain paragraphs itself (raw blocks), or None
        self.numbers = numbers
        self.labels: list[str] = []
        self.groups: list[Optional[str]] = []
        self.group: Optional[str] = None  # the document whose notes are being written
        self.no = words(edition.language)["no"]

    def inlines(self, paragraph: Paragraph, notes: dict[int, Footnote], labels: dict[int, str],
                texts: Optional[list[str]] = None) -> list[Json]:
        """The paragraph's inlines; its text is also appended to `texts` (for language_of)."""
        out: list[Json] = []
        for item in paragraph.content:
            if isinstance(item, NoteRef):
                note = notes[item.number]
                self.labels.append(labels[item.number])
                self.groups.append(self.group)
                out.append({"t": "Note", "c": [para(str_inlines(note.text))]})
            else:
                out.extend(str_inlines(item.text))
                if texts is not None:
                    texts.append(item.text)
        return out

    def chapter(self, ci: int, chapter: Chapter) -> list[Json]:
        notes = {n.number: n for n in chapter.notes}
        labels = self.numbers.for_intro(ci, chapter)
        self.group = None
        head = {"t": "Header", "c": [1, [f"chapter-{ci + 1}", [], []], str_inlines(chapter.title)]}
        texts = [chapter.title]
        intro = [div([para(self.inlines(p, notes, labels, texts))], CHAPTER_INTRO) for p in chapter.intro]
        lang = language_of(" ".join(texts), self.edition.language)
        blocks = [head, *self.raw(intro, lang)]
        out = [div(blocks, lang=lang)] if lang else blocks
        for doc in chapter.documents:
            out.append(self.document(doc))
        return out

    def document(self, doc: Document) -> Json:
        notes = {n.number: n for n in doc.footnotes}
        labels = self.numbers.for_document(doc)
        self.group = f"{self.no}\u00a0{self.numbers.documents[doc.id]}"
        heading = {"t": "Span", "c": [[doc.id, [], []], str_inlines(self.numbers.heading(doc))]}
        blocks = [div([para([heading])], DOCUMENT_HEADING)]
        archive = doc.archive_text or "; ".join(a.text for a in doc.archive)
        if archive:
            blocks.append(div([para(str_inlines(archive))], ARCHIVE_LINE))
        texts = [doc.heading]
        for role, paragraph in doc.iter_parts():
            blocks.append(div([para(self.inlines(paragraph, notes, labels, texts))], ROLE_STYLES[role]))
        lang = language_of(" ".join(texts), self.edition.language)
        return div([blocks[0], *self.raw(blocks[1:], lang)], lang=lang)

    def raw(self, blocks: list[Json], lang: Optional[str]) -> list[Json]:
        """Styled paragraphs as splice.Paragraphs writes them (those it can), in `lang`."""
        if self.paragraphs is None:
            return blocks
        return [self.paragraphs.raw(b, lang) for b in blocks]


def index_blocks(edition: Edition, numbers: dict[str, int] | None = None) -> list[Json]:
    """The index of correspondents: a heading, a line saying how to read it, then each name
    with the documents it sent and those it received, as the PDF prints them: each by its
    number (a link to its heading) with its page in parentheses (a PAGEREF field the word
    processor fills), `sent: 1 (1), 3 (2)`. (Number and date pairs run on with commas read
    ambiguously: `No. 1, August 14, 1935, No. 3, …`.) Without numbers, the date links."""
    entries = correspondents(edition)
    if not entries:
        return []
    lang = edition.language
    labels = index_labels(lang)
    numbers = numbers or {}
    blocks = [{"t": "Header", "c": [1, ["index", [], []], str_inlines(index_title(lang))]},
              div([para([{"t": "Emph", "c": str_inlines(index_explanation(lang, pages=bool(numbers)))}])],
                  INDEX_ENTRY)]
    for entry in entries:
        # The name, then what they sent and what they received on lines of their own (the PDF's).
        inlines: list[Json] = [{"t": "Strong", "c": str_inlines(entry.shown)}]
        groups = [(w, d) for w, d in zip(("sent", "received"), sent_and_received(entry)) if d]
        for word, docs in groups:
            inlines += [{"t": "LineBreak"}, {"t": "Emph", "c": str_inlines(f"{labels[word]}:")}, {"t": "Space"}]
            for k, doc in enumerate(docs):
                if k:
                    inlines += [{"t": "Str", "c": ","}, {"t": "Space"}]
                number = numbers.get(doc.id)
                text = str(number) if number is not None else locator(doc, None, lang)
                inlines.append({"t": "Link", "c": [["", [], []], str_inlines(text), ["#" + doc.id, ""]]})
                if number is not None:
                    page = {"t": "RawInline", "c": ["openxml", pageref_xml(document_bookmark(number))]}
                    inlines += [{"t": "Str", "c": "\u00a0("}, page, {"t": "Str", "c": ")"}]
        blocks.append(div([para(inlines)], INDEX_ENTRY))
    return blocks


def _cell(blocks: list[Json]) -> Json:
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]


def _row(cells: list[list[Json]]) -> Json:
    return [["", [], []], [_cell(c) for c in cells]]


# The calendar's columns and their shares of the measure: number, date, correspondents,
# shelfmark, page.
CALENDAR_COLUMNS = (("calendar_no", 0.07), ("calendar_date", 0.19), ("calendar_correspondents", 0.33),
                    ("calendar_archive", 0.33), ("calendar_page", 0.08))


def calendar_blocks(edition: Edition) -> list[Json]:
    """The calendar of documents (corresp.calendar) as a table: number (a link to the
    document), date, correspondents, shelfmark (never broken inside a citation), page (a
    PAGEREF field to the document's heading, computed by the word processor)."""
    rows = calendar(edition)
    if not rows:
        return []
    w = words(edition.language)
    blocks: list[Json] = [{"t": "Header", "c": [1, ["calendar", [], []], str_inlines(calendar_title(edition.language))]}]
    head = _row([[div([para(str_inlines(w[key]))], CALENDAR_TABLE_HEAD)] for key, _ in CALENDAR_COLUMNS])
    body = []
    for row in rows:
        link = {"t": "Link", "c": [["", [], []], str_inlines(str(row.number)), ["#" + row.doc.id, ""]]}
        page = {"t": "RawInline", "c": ["openxml", pageref_xml(document_bookmark(row.number))]}
        body.append(_row([[div([para(cells)], CALENDAR_ENTRY)] for cells in (
            [link], str_inlines(row.date), str_inlines(row.parties), str_inlines(unbroken(row.archive, ranges=True)), [page])]))
    specs = [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": share}] for _, share in CALENDAR_COLUMNS]
    blocks.append({"t": "Table", "c": [["calendar-table", [], []], [None, []], specs, [["", [], []], [head]],
                                       [[["", [], []], 0, [], body]], [["", [], []], []]]})
    return blocks


def pageref_xml(bookmark: str) -> str:
    """A PAGEREF field (its page computed by Word on updating, by LibreOffice on layout)."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def meta_inlines(text: str) -> Json:
    return {"t": "MetaInlines", "c": str_inlines(text)}


def edition_ast(edition: Edition, numbers: NoteNumbers, api_version: list[int],
                paragraphs: Optional[Paragraphs] = None) -> EditionAst:
    """`paragraphs`: a splice.Paragraphs to write the plain paragraphs (raw openxml blocks,
    with witnesses for pandoc at the end); None: pandoc writes every paragraph."""
    builder = _Builder(edition, numbers, paragraphs)
    # No title block from pandoc: the title page is ours (front_matter), the core properties
    # are written by postprocess (properties).
    meta: Json = {"lang": {"t": "MetaString", "c": edition.language}}
    blocks: list[Json] = front_matter_blocks(edition)
    for ci, chapter in enumerate(edition.chapters):
        blocks.extend(builder.chapter(ci, chapter))
    blocks.extend(calendar_blocks(edition))
    blocks.extend(index_blocks(edition, numbers.documents))
    if paragraphs is not None:
        blocks.extend(paragraphs.witness_blocks())
    ast = {"pandoc-api-version": api_version, "meta": meta, "blocks": blocks}
    return EditionAst(ast, builder.labels, builder.groups, paragraphs.xml() if paragraphs is not None else [])
