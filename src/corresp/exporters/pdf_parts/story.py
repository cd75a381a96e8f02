"""The edition as a reportlab story: title page, contents, chapters and their documents.

Every printable part of a document comes from `Document.iter_blocks()`, so no role is
dropped; each role has its own paragraph style. Text goes into paragraphs as it is (they
parse no markup); markers are `markers.marker`s, note texts registered with the
FootnoteArea under keys from `markers.note_key` and labels from corresp.numbering.
"""
from __future__ import annotations

import re
from operator import itemgetter
from typing import Optional

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Spacer

from ... import imprint
from ...i18n import words
from ...metadata import publication
from ...model import Chapter, Document, Edition, Enclosure, NoteRef, Paragraph
from ...calendar import calendar, calendar_title, sentence, unbroken
from ...correspondents import correspondents, index_explanation, index_title
from ...numbering import NoteNumbers, intro_key
from .footnotes import FootnoteArea, TextParagraph, marker, note_key
from .textblock import word_count
from .fonts import FontSet
from .columns import TwoColumns
from .index import Deferred, index_entries
from .table import Table, TableRow, column_widths
from .keep import AtFoot, WithTail
from .layout import Landmark, LandmarkParagraph, PageKind, TocEntry, ToRecto, roman
from .markers import NOTE_PREFIX
from .style import PdfStyle
from .tagging import StructElem, StructTree, span_language

_PARTS, _FIRST = itemgetter(2), itemgetter(0)

# Page keys (epub_parts.page_list) of the parts that are not a chapter's or a document's.
ARCHIVE = "archive"  # (doc id, ARCHIVE): a document's archive line
TITLE_PAGE, COPYRIGHT = ("front", "title"), ("front", "copyright")
CONTENTS_KEY, CALENDAR_KEY, INDEX_KEY = "contents", "calendar", "index"  # (CONTENTS_KEY, entry), …


def keyed(flowable, key: tuple, offset: int = 0):
    """`flowable` with its page key (the part of the edition it sets)."""
    flowable.page_key, flowable.word_offset = key, offset
    return flowable


def copyright_lines(edition: Edition) -> list[str]:
    """The copyright page: the one text every format prints (corresp.imprint)."""
    return [line.text for line in imprint.copyright_lines(edition)]


# Each of these matches at a run of spaces: `(?= )` says so first, so that the engine tries
# the lookbehinds only there, not at every character of every heading.
_YEAR = re.compile(r"(?= )(?<=\S) +(?=[\[(]?\d{4}[\])]?(?:\s|$|[.,;]))")
_LAST_SPACE = re.compile(r" +(?=\S+$)")
# A day and its month stay together: "3 октября", "August 31".
_DAY_MONTH = re.compile(r"(?= )(?:(?:(?<=\W\d)|(?<=^\d)|(?<=\W\d\d)|(?<=^\d\d)) +(?=[^\W\d_]{3,})"
                        r"|(?<=[^\W\d_]{3}) +(?=\d{1,2}(?:,|\s\[?\d{4})))")


def heading_text(text: str) -> str:
    """A heading as set: never broken before a year (`… August 31, / 1935`), and never
    with a single word alone on its last line (the last two words held by a no-break
    space; the line breaker treats U+00A0 and U+202F as parts of a word)."""
    text = _YEAR.sub("\u00a0", text)
    text = _DAY_MONTH.sub("\u00a0", text)
    if len(text.split()) > 2:
        text = _LAST_SPACE.sub("\u00a0", text)
    return text


def contents_label(style: PdfStyle, language: str) -> str:
    return style.labels.contents or words(language)["contents"]


def make_styles(style: PdfStyle, fonts: FontSet, hyphenator=None) -> dict[str, ParagraphStyle]:
    """The paragraph style of each role; justified ones hyphenate with `hyphenator`."""
    t, h, n = style.text, style.headings, style.notes
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=t.size, leading=t.leading,
                          alignment=TA_JUSTIFY, firstLineIndent=t.indent,
                          allowWidows=0, allowOrphans=0, splitLongWords=1)
    small = ParagraphStyle("small", parent=body, fontSize=t.small_size, leading=t.small_leading,
                           firstLineIndent=0, alignment=TA_LEFT)
    head = dict(keepWithNext=1, firstLineIndent=0)
    s = {
        "body": body,
        "intro": body,
        "title": ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=h.title_size,
                                leading=h.title_size * 1.25, alignment=TA_CENTER, firstLineIndent=0),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontName=fonts.italic,
                                   fontSize=h.subtitle_size, leading=h.subtitle_size * 1.3,
                                   alignment=TA_CENTER, firstLineIndent=0, spaceBefore=14),
        "editors": ParagraphStyle("editors", parent=body, alignment=TA_CENTER, firstLineIndent=0),
        "contents-title": ParagraphStyle("contents-title", parent=body, fontName=fonts.bold,
                                         fontSize=h.chapter_size, leading=h.chapter_size * 1.3,
                                         alignment=TA_CENTER, firstLineIndent=0, spaceAfter=18),
        "toc-chapter": ParagraphStyle("toc-chapter", parent=body, fontName=fonts.bold, alignment=TA_LEFT,
                                      firstLineIndent=0, spaceBefore=8, spaceAfter=3),
        "toc-document": ParagraphStyle("toc-document", parent=body, alignment=TA_LEFT, firstLineIndent=0,
                                       leftIndent=16, spaceAfter=1.5,
                                       fontSize=t.size - 0.5, leading=t.leading - 1),
        "chapter": ParagraphStyle("chapter", parent=body, fontName=fonts.bold, fontSize=h.chapter_size,
                                  leading=h.chapter_size * 1.3, alignment=TA_CENTER, spaceBefore=36,
                                  spaceAfter=20, **head),
        "heading": ParagraphStyle("heading", parent=body, fontName=fonts.bold, fontSize=h.document_size,
                                  leading=h.document_size * 1.25, alignment=TA_CENTER,
                                  spaceBefore=t.document_space, spaceAfter=3, **head),
        "archive": ParagraphStyle("archive", parent=small, alignment=TA_CENTER, spaceAfter=6, **head),
        "transmission": ParagraphStyle("transmission", parent=small, fontName=fonts.italic, **head),
        "dispatch": ParagraphStyle("dispatch", parent=small, fontName=fonts.italic, **head),
        # Lines in the body's leading stand on the baseline grid (footnotes.FootnoteFrame):
        # their spaces are none or whole lines, else each would cost a line's drop.
        "address": ParagraphStyle("address", parent=body, fontName=fonts.italic, alignment=TA_LEFT, **head),
        "dateline": ParagraphStyle("dateline", parent=body, alignment=TA_RIGHT, **head),
        "salutation": ParagraphStyle("salutation", parent=body, **head),
        "enclosure": ParagraphStyle("enclosure", parent=body, fontSize=t.enclosure_size,
                                    leading=t.enclosure_leading, leftIndent=t.enclosure_indent,
                                    rightIndent=t.enclosure_indent),
        "signature": ParagraphStyle("signature", parent=body, alignment=TA_RIGHT, firstLineIndent=0,
                                    fontName=fonts.italic),
        "postscript": ParagraphStyle("postscript", parent=body),
        "secretary": ParagraphStyle("secretary", parent=small, fontName=fonts.italic,
                                    spaceBefore=1),
        "note": ParagraphStyle("note", parent=body, fontSize=n.size, leading=n.leading,
                               firstLineIndent=n.indent),
    }
    s["index-entry"] = ParagraphStyle("index-entry", parent=body, alignment=TA_LEFT, firstLineIndent=-12,
                                      leftIndent=12, spaceAfter=1.5)
    s["half-title"] = ParagraphStyle("half-title", parent=body, fontSize=h.subtitle_size,
                                     leading=h.subtitle_size * 1.3, alignment=TA_CENTER, firstLineIndent=0)
    s["copyright"] = ParagraphStyle("copyright", parent=small, spaceAfter=4)
    s["index-note"] = ParagraphStyle("index-note", parent=small, fontName=fonts.italic, spaceAfter=8)
    # The back matter in smaller type: the calendar's table, the index's two columns.
    s["calendar"] = ParagraphStyle("calendar", parent=small, spaceAfter=3)
    s["calendar-head"] = ParagraphStyle("calendar-head", parent=small, fontName=fonts.bold, spaceAfter=5)
    s["index-name"] = ParagraphStyle("index-name", parent=small, spaceBefore=3)
    s["index-refs"] = ParagraphStyle("index-refs", parent=small, leftIndent=16, firstLineIndent=-8)
    s["index-cont"] = ParagraphStyle("index-cont", parent=small, fontName=fonts.italic)
    s["postscript-enclosure"] = s["enclosure"]
    for st in s.values():
        st.hyphenator = hyphenator if st.alignment == TA_JUSTIFY else None
    return s


class StoryBuilder:
    def __init__(self, edition: Edition, numbers: NoteNumbers, styles: dict[str, ParagraphStyle],
                 footnotes: FootnoteArea, contents: str, number_width: float, pages: dict[str, int],
                 tree: Optional[StructTree] = None, text_width: float = 312.0):
        """`pages` is filled by the layout (landmark key -> page); the index reads it.
        `tree` receives the structure elements, in reading order, as the story is made."""
        self.edition, self.numbers, self.styles = edition, numbers, styles
        self.footnotes, self.contents, self.number_width = footnotes, contents, number_width
        self.pages = pages
        self.text_width = text_width  # of the page's text block (the calendar's columns)
        self.tree = tree if tree is not None else StructTree(edition.language)
        self.parent: StructElem = self.tree.root  # where new elements go
        self.document_keys: dict[str, str] = {}
        self._variants: dict[tuple, ParagraphStyle] = {}  # (role, *extra) -> its style
        self.entries = correspondents(edition)

    # --- inline markup -------------------------------------------------------------

    def items(self, para: Paragraph, container: str, labels: dict[int, str]) -> list:
        return [marker(note_key(container, i.number), labels[i.number])
                if isinstance(i, NoteRef) else i.text for i in para.content]

    def para(self, para: Paragraph, role: str, container: str, labels: dict[int, str], parent=None, **extra):
        style = self.styles[role]
        if extra:
            # One style per variant (a first paragraph without indent, an enclosure's
            # spacing), not a new one per paragraph: reportlab copies every attribute.
            key = (role, *sorted(extra.items()))
            style = self._variants.get(key)
            if style is None:
                style = self._variants[key] = ParagraphStyle(f"{role}-x", parent=self.styles[role], **extra)
        items = self.items(para, container, labels)
        one = items[0] if len(items) == 1 and type(items[0]) is str else None
        return self.tagged(TextParagraph(items, style), "P", parent, text=one)

    def tagged(self, flowable: TextParagraph, kind: str, parent=None, text: Optional[str] = None) -> TextParagraph:
        """`flowable` as a new element `kind` of `parent` (the current part); the notes its
        markers call follow it as `Note` elements. `text`: the paragraph's one string, if it
        is made of one. Its language is told by counting its letters, and the string holds
        the same letters as its words joined again (what the paragraph drops from it are
        spaces and invisible format characters, never a letter), so they need not be joined."""
        parent = parent or self.parent
        if text is None:
            tokens = flowable.tokens
            parts = list(map(_PARTS, tokens))
            if getattr(flowable, "plain", False) and set(map(len, parts)) == {1}:  # words only, one part each
                text = " ".join(map(_FIRST, parts))
            elif len(tokens) == 1 or all(len(p) == 1 for p in parts):  # (a marker may stand alone)
                text = " ".join([p[0] for p in parts if type(p[0]) is str])
            else:
                text = " ".join([p for t in tokens for p in t[2] if type(p) is str])
        flowable.tag = parent.add(kind, lang=span_language(text, self.edition.language))
        if not flowable.note_keys():
            return flowable
        for key in flowable.note_keys():
            spec = self.footnotes.specs.get(key)
            if spec is not None and spec.tag is None:
                spec.tag = parent.add("Note", ident=NOTE_PREFIX + key,
                                      lang=span_language(spec.text, self.edition.language))
        return flowable

    def register_notes(self, container: str, notes, labels: dict[int, str]) -> None:
        number = self.numbers.documents.get(container)  # None for a chapter's intro
        group = f"{words(self.edition.language)['no']}\u00a0{number}" if number else None
        for note in notes:
            self.footnotes.add(note_key(container, note.number), labels[note.number], note.text, group=group)

    # --- the book ------------------------------------------------------------------

    def build(self) -> list:
        ed = self.edition
        root = self.tree.root
        pub = publication(ed)
        w = words(ed.language)
        # i: half-title; ii: blank; iii: title page; iv: copyright; v: contents (a recto)
        story: list = [PageKind("title"), Spacer(1, 160),
                       keyed(self.tagged(TextParagraph([ed.title], self.styles["half-title"]), "P", root), TITLE_PAGE),
                       PageBreak(), ToRecto(), PageKind("title"), Spacer(1, 100)]
        if pub.series:
            story.append(keyed(self.tagged(TextParagraph([pub.series], self.styles["editors"]), "P", root), TITLE_PAGE))
        story.append(keyed(self.tagged(TextParagraph([ed.title], self.styles["title"]), "H1", root), TITLE_PAGE))
        if ed.subtitle:
            story.append(self.tagged(TextParagraph([ed.subtitle], self.styles["subtitle"]), "P", root))
        if ed.editors:
            story.append(Spacer(1, 40))
            story.append(self.tagged(TextParagraph([w["edited_by"]], self.styles["editors"]),
                                     "P", root))
            story += [self.tagged(TextParagraph([e], self.styles["editors"]), "P", root) for e in ed.editors]
        if pub.translators:
            story.append(Spacer(1, 12))
            story.append(self.tagged(TextParagraph([w["translated_by"]], self.styles["editors"]),
                                     "P", root))
            story += [self.tagged(TextParagraph([t], self.styles["editors"]), "P", root) for t in pub.translators]
        # The imprint at the foot of the title page, the copyright lines at the foot of theirs.
        if imprint.imprint(ed):
            story += [AtFoot([self.tagged(TextParagraph([imprint.imprint(ed)], self.styles["editors"]), "P", root)])]
        story += [PageBreak(), PageKind("title"),
                  AtFoot([keyed(self.tagged(TextParagraph([line], self.styles["copyright"]), "P", root), COPYRIGHT)
                          for line in copyright_lines(ed)])]
        toc_part = root.add("Sect", title=self.contents)
        story += [PageBreak(), ToRecto(), PageKind("contents", self.contents),
                  keyed(self.tagged(TextParagraph([self.contents], self.styles["contents-title"]), "H1", toc_part),
                        (CONTENTS_KEY, -1))]
        marks = self.landmarks()
        toc = toc_part.add("TOC")
        sub = toc
        for i, lm in enumerate(marks):
            role = "toc-chapter" if lm.kind == "chapter" else "toc-document"
            entry = TocEntry(lm.shown, self.styles[role], lm.toc_form, self.number_width)
            entry.para.page_key = (CONTENTS_KEY, i)
            if lm.kind == "chapter":  # a chapter's documents are a contents list of its own
                entry.set_tag(toc.add("TOCI"))
                sub = toc.add("TOC")
            else:
                entry.set_tag(sub.add("TOCI"))
            story.append(entry)
        it = iter(marks)
        for ci, chapter in enumerate(ed.chapters):
            story += [PageBreak(), ToRecto(), PageKind("chapter")]
            self.parent = root.add("Part", title=chapter.title)
            story += self.chapter(ci, chapter, it)
        if ed.documents:  # the calendar of documents (corresp.calendar), with the pages found by then
            part = root.add("Part", title=calendar_title(ed.language))
            title = self.tagged(LandmarkParagraph([calendar_title(ed.language)], self.styles["chapter"]), "H1", part)
            title.page_key = (CALENDAR_KEY, -1)
            title.landmark = next(it)
            title.keepWithNext = 0
            rows = calendar(ed)
            style = self.styles["calendar"]
            dates = [heading_text(r.date) for r in rows]  # (once: the widths and the rows use them)
            widths = column_widths(self.text_width, style.fontSize, dates, style.fontName)
            table = part.add("Table")
            w = words(ed.language)
            header = TableRow([w["calendar_no"], w["calendar_date"], w["calendar_correspondents"],
                               w["calendar_archive"], w["calendar_page"]], style, widths, header=True,
                              bold=self.styles["calendar-head"].fontName)

            def calendar_rows(rows=rows, style=style, widths=widths, table=table, header=header):
                header.set_tags(table)
                out = []
                for row, date in zip(rows, dates):
                    cells = [f"{row.number}.", date, row.parties, unbroken(row.archive),
                             self.page_of_document(row.doc.id)]
                    out.append(TableRow(cells, style, widths))
                    out[-1].set_tags(table)
                    out[-1].set_page_key((CALENDAR_KEY, row.number))
                return [Table(header, out)]
            story += [PageBreak(), ToRecto(), PageKind("chapter"), title, Deferred(calendar_rows)]
        if self.entries:
            part = root.add("Part", title=index_title(ed.language))
            title = self.tagged(LandmarkParagraph([index_title(ed.language)], self.styles["chapter"]), "H1", part)
            title.page_key = (INDEX_KEY, -1)
            title.landmark = next(it)
            title.keepWithNext = 0  # what follows is made later, and never apart from it
            style = self.styles["index-entry"]
            explain = self.tagged(TextParagraph([index_explanation(ed.language, pages=True)],
                                                self.styles["index-note"]), "P", part)
            explain.page_key = (INDEX_KEY, "explain")
            index = part.add("Index")

            def entries():
                items = index_entries(self.entries, self.page_of_document, self.styles,
                                      self.numbers.documents, ed.language)
                for item in items:
                    self.tagged(item, "P", index)
                    item.page_key = (INDEX_KEY, item.entry_index)  # an entry as a whole
                return [TwoColumns(items, 14, self.styles["index-cont"], words(ed.language)["continued"])]
            story += [PageBreak(), ToRecto(), PageKind("chapter"), title, explain, Deferred(entries)]
        return story

    def landmarks(self) -> list[Landmark]:
        out = []
        for ci, chapter in enumerate(self.edition.chapters):
            out.append(Landmark("chapter", chapter.title, f"ch-{ci + 1}", 0, f"toc-{len(out)}"))
            for di, doc in enumerate(chapter.documents):
                key = f"doc-{ci + 1}-{di + 1}"
                self.document_keys[doc.id] = key
                # Numbered as the body prints it ("13. Kaganovich, Molotov to Stalin …"): two
                # letters of one day are two different contents lines, outline entries, heads.
                out.append(Landmark("document", self.numbers.heading(doc), key, 1, f"toc-{len(out)}",
                                    date=doc.date.text if doc.date and doc.date.text else ""))
        if self.edition.documents:
            out.append(Landmark("chapter", calendar_title(self.edition.language), "calendar", 0, f"toc-{len(out)}"))
        if self.entries:
            out.append(Landmark("chapter", index_title(self.edition.language), "index", 0, f"toc-{len(out)}"))
        for lm in out:  # set once for the contents and the heading both
            lm.shown = heading_text(lm.title)
        return out

    def page_of_document(self, doc_id: str) -> str:
        """The printed page number of a document's heading (known once the layout has placed
        it): arabic from the first chapter's page, which is 1."""
        page = self.pages.get(self.document_keys.get(doc_id, ""), 0)
        start = self.pages.get("ch-1")
        if not page:
            return ""
        return str(page - start + 1) if start and page >= start else roman(page)

    def chapter(self, ci: int, chapter: Chapter, marks) -> list:
        landmark = next(marks)  # (its title is the chapter's)
        title = self.tagged(LandmarkParagraph([landmark.shown], self.styles["chapter"]), "H1")
        title.landmark = landmark
        key = intro_key(ci)
        title.page_key = (key, -1)  # where each part lands: the EPUB's page list (epub_parts.page_list)
        out: list = [title]
        labels = self.numbers.for_intro(ci, chapter)
        self.register_notes(key, chapter.notes, labels)
        for i, p in enumerate(chapter.intro):
            out.append(self.para(p, "intro", key, labels, **({"firstLineIndent": 0} if i == 0 else {})))
            out[-1].page_key = (key, i)
        part = self.parent
        for doc in chapter.documents:
            self.parent = part.add("Sect", title=doc.heading)
            out += self.document(doc, next(marks))
            self.parent = part
        return out

    def document(self, doc: Document, landmark: Landmark) -> list:
        labels = self.numbers.for_document(doc)
        self.register_notes(doc.id, doc.footnotes, labels)
        heading = self.tagged(LandmarkParagraph([landmark.shown], self.styles["heading"]), "H2")  # numbers.heading(doc)
        heading.landmark = landmark
        heading.page_key = (doc.id, -1)
        out: list = [heading]
        archive = doc.archive_text or "; ".join(a.text for a in doc.archive)
        if archive:
            out.append(self.tagged(TextParagraph([archive], self.styles["archive"]), "P"))
            out[-1].page_key = (doc.id, ARCHIVE)
        for bi, (role, block) in enumerate(doc.iter_blocks()):
            key = (doc.id, bi)  # every paragraph knows its part (epub_parts.page_list)
            if isinstance(block, Enclosure):
                last = len(block.paragraphs) - 1
                quote = self.parent.add("BlockQuote")
                words_before = 0  # an enclosure is one part: its paragraphs count on
                for i, p in enumerate(block.paragraphs):
                    extra = {}
                    if i == 0:
                        extra["spaceBefore"] = 4
                    if i == last:
                        extra["spaceAfter"] = 4
                    out.append(self.para(p, "enclosure", doc.id, labels, parent=quote, **extra))
                    out[-1].page_key, out[-1].word_offset = key, words_before
                    words_before += word_count(out[-1].tokens)
                continue
            para = self.para(block, role, doc.id, labels)
            para.page_key = key
            if role == "signature" and isinstance(out[-1], TextParagraph) and not out[-1].keepWithNext:
                # The signature (and the secretary's lines right under it) take the last
                # lines of the text before them along to a new page: never alone there.
                out[-1] = WithTail(out[-1], [para])
            elif role == "secretary" and isinstance(out[-1], WithTail):
                out[-1].tail.append(para)
                out[-1].spaceAfter = out[-1].tail[-1].getSpaceAfter()
            else:
                out.append(para)
        # A document with nothing but a heading must not leave it dangling as a group head.
        out[-1].keepWithNext = 0
        for note in doc.footnotes:  # a note no marker calls (the model forbids it) still reads
            spec = self.footnotes.specs.get(note_key(doc.id, note.number))
            if spec is not None and spec.tag is None:
                spec.tag = self.parent.add("Note", ident=NOTE_PREFIX + spec.key)
        return out


def calendar_line(row, page: int) -> str:
    """12. August 20, 1935. Stalin → Molotov, Voroshilov. RGASPI F. 558 … — 14"""
    parts = [f"{row.number}.", sentence(row.date), sentence(row.parties),
             row.archive, f"— {page}" if page else ""]
    return " ".join(p for p in parts if p)


CALENDAR_CHARACTERS = "0123456789. →—"  # the numbers, the calendar's arrow and dash


def front_texts(edition: Edition):
    """The strings the PDF prints outside the chapters: title page, imprint."""
    yield edition.title
    yield from copyright_lines(edition)
    yield from publication(edition).translators
    yield publication(edition).series or ""
    yield edition.subtitle or ""
    yield from edition.editors


def chapter_texts(chapter):
    """The strings a chapter prints (the build's check of the faces reads them too)."""
    yield chapter.title
    for p in chapter.intro:
        yield p.text
    for n in chapter.notes:
        yield n.text
    for doc in chapter.documents:
        yield doc.heading
        yield doc.archive_text or ""
        for a in doc.archive:
            yield a.text
        for _, p in doc.iter_parts():
            yield p.text
        for n in doc.footnotes:
            yield n.text


def printed_characters(edition: Edition, chapter_sets=None) -> set[str]:
    """Every character the PDF prints, for the glyph check. `chapter_sets`: each chapter's
    characters, if the build has them already (build.check_faces: the same edition)."""
    chars: set[str] = set()
    for text in front_texts(edition):
        chars.update(text)
    if chapter_sets is None:
        for chapter in edition.chapters:
            for text in chapter_texts(chapter):
                chars.update(text)
    else:
        chars.update(*chapter_sets)
    if any(chapter.documents for chapter in edition.chapters):
        chars.update(CALENDAR_CHARACTERS)
    return chars
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
