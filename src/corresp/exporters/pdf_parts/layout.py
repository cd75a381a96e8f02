"""The book: mirrored pages, running heads, folios, outline, contents page numbers.

One layout pass. The contents list needs page numbers that are known only later, so each
number is a PDF form XObject (`toc-N`) that the contents page *uses* at once and that is
*defined* when the heading it points to is placed; PDF allows the forward reference, and the
contents' length does not depend on the numbers, so nothing is laid out twice.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from .footnotes import PLAIN_FLOWABLES, FootnoteArea, FootnoteFrame, FootnotesDocMixin, RecordingCanvas
from .pdfops import draw_string, text_ops
from .textblock import TextParagraph
from .words import printable, text_width
from .fonts import FontSet
from .style import PdfStyle
from .tagging import ARTIFACT_FOOT, ARTIFACT_LAYOUT, ARTIFACT_PAGE, StructTree


@dataclass
class Landmark:
    """A place the outline, the contents and the running heads point to."""
    kind: str  # "chapter" or "document"
    title: str
    key: str  # PDF destination name
    level: int  # outline level
    toc_form: Optional[str] = None  # name of the page-number form the contents uses
    date: str = ""  # a document's date as printed: the running head keeps it when it shortens the title
    shown: str = ""  # the title as the contents and the heading set it (story.heading_text)


class LandmarkParagraph(TextParagraph):
    """A heading that bookmarks itself where it is drawn (only its first piece, if split)."""

    landmark: Optional[Landmark] = None

    def split(self, aW, aH):
        parts = super().split(aW, aH)
        if len(parts) == 2:
            parts[1].landmark = None
        return parts

    def paint(self, x0, y0):
        super().paint(x0, y0)
        lm = self.landmark
        if lm is not None:
            self.canv.bookmarkHorizontal(lm.key, x0, y0 + self.height + 4)
            self.canv.addOutlineEntry(lm.title, lm.key, level=lm.level, closed=False)




class PageKind(Flowable):
    """Zero-size mark: the page it lands on opens a part of the book ("title", "contents",
    "chapter"); opening pages carry no running head."""

    def __init__(self, kind: str, head: str = ""):
        super().__init__()
        self.kind, self.head = kind, head

    def wrap(self, aW, aH):
        return 0, 0

    def draw(self):
        pass


class ToRecto(Flowable):
    """Zero-size mark: what follows starts on a right-hand (odd) page. Placed right after a
    PageBreak: on a verso it does not fit, so the frame moves on and leaves that verso blank
    (a blank page carries no running head or folio: `_decorate`)."""

    def wrap(self, aW, aH):
        doc = getattr(getattr(self, "canv", None), "_doctemplate", None)  # wrapOn sets canv
        if doc is not None and doc.page % 2 == 0:
            return aW, aH + 1
        return 0, 0

    def split(self, aW, aH):
        return []

    def draw(self):
        pass


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


class TocEntry(Flowable):
    """A contents line: the title, and at the right margin the page-number form."""

    def __init__(self, title: str, style, form: str, number_width: float):
        super().__init__()
        self.para = TextParagraph([title], style)
        self.form, self.number_width = form, number_width
        self.style = style
        self.number_tag = None  # the structure element of the page number (a Reference)
        # What getKeepWithNext would read from the style, on the entry, as a plain flowable
        # has it (footnotes.PLAIN_FLOWABLES).
        self.keepWithNext = getattr(style, "keepWithNext", 0)

    def note_keys(self) -> list[str]:
        return []  # a contents line calls no notes

    def set_tag(self, item) -> None:
        """Tag as a contents item `item` (TOCI): the title a P, the page number a Reference."""
        self.para.tag = item.add("P")
        self.number_tag = item.add("Reference")

    def wrap(self, aW, aH):
        self.width = aW
        _, self.height = self.para.wrap(aW - self.number_width, aH)
        return aW, self.height

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def split(self, aW, aH):
        return []  # a line or two: keep it whole

    DOT_SPACING = 4.5  # leader dots sit on a grid, so they line up from entry to entry

    def draw(self):
        canv, st = self.canv, self.style
        self.para.drawOn(canv, 0, 0)
        lines = self.para.lines(self.para.width)
        baseline = self.height - st.fontSize - (len(lines) - 1) * st.leading
        text_end = self.para.last_line_end()
        first_dot = (int((text_end + 4) / self.DOT_SPACING) + 1) * self.DOT_SPACING
        dots = int((self.width - self.number_width + 4 - first_dot) / self.DOT_SPACING)
        tagger = getattr(canv, "tagger", None)
        if dots > 1:
            ops = text_ops(canv, st.fontName, st.fontSize, first_dot, baseline, "." * dots,
                           self.DOT_SPACING - text_width(st.fontName, ".") * st.fontSize)
            canv._code.append(f"{ARTIFACT_LAYOUT} {ops} EMC" if tagger is not None else ops)
        number = tagger is not None and self.number_tag is not None
        if number:
            canv._code.append(tagger.open(self.number_tag, canv))
        canv.saveState()
        canv.translate(self.width, baseline)
        canv.doForm(self.form)
        canv.restoreState()
        if number:
            canv._code.append("EMC")


PLAIN_FLOWABLES.update((LandmarkParagraph, TocEntry))


class _FixedTimeStamp:
    """What reportlab's PDF writer reads for CreationDate/ModDate: SOURCE_DATE_EPOCH, in UTC."""

    def __init__(self, epoch: int):
        lt = time.gmtime(epoch)
        self.t = float(epoch)
        self.lt = tuple(lt)
        self.YMDhms = tuple(lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


class BookTemplate(FootnotesDocMixin, BaseDocTemplate):
    def __init__(self, path: str, style: PdfStyle, fonts: FontSet, footnotes: FootnoteArea, *,
                 title: str, author: str, subject: str, lang: str, epoch: int, contents_label: str,
                 tree: Optional[StructTree] = None, finishers: Sequence[Callable] = (),
                 canvas_setup: Optional[Callable] = None, producer: str = "corresp (reportlab)"):
        page = style.page
        super().__init__(
            path, pagesize=(page.width, page.height), invariant=1,
            leftMargin=page.inner_margin, rightMargin=page.outer_margin,
            topMargin=page.top_margin, bottomMargin=page.bottom_margin,
            title=title, author=author, subject=subject, creator="corresp",
            producer=producer, lang=lang,
            initialFontName=fonts.regular, initialFontSize=style.text.size,
            initialLeading=style.text.leading)
        self.style, self.fonts, self.footnotes, self.epoch = style, fonts, footnotes, epoch
        self.tree, self.finishers, self.canvas_setup = tree, list(finishers), canvas_setup
        self.contents_label = contents_label
        self.text_width = page.width - page.inner_margin - page.outer_margin
        self.text_height = page.height - page.top_margin - page.bottom_margin
        frames = {}
        for name, left in (("recto", page.inner_margin), ("verso", page.outer_margin)):
            frames[name] = FootnoteFrame(footnotes, left, page.bottom_margin, self.text_width,
                                         self.text_height, leftPadding=0, rightPadding=0,
                                         topPadding=0, bottomPadding=0, id=name)
            # Body lines on one baseline grid; a page that ends short ends short (no
            # vertical justification: the leading never changes from page to page).
            frames[name].grid = (style.text.leading, style.text.size)
        # The running head and folio are drawn by onPageEnd, after the page's notes.
        self.addPageTemplates([PageTemplate(id=n, frames=[f], onPageEnd=self._decorate)
                               for n, f in frames.items()])
        self._init_footnotes(footnotes)
        # Running-head state.
        self.kind, self.head = "title", ""
        self.chapter: str = ""
        self.document: tuple[str, str] = ("", "")  # the current document's (title, date)
        self.page_document: tuple[str, str] = ("", "")
        self.page_opening = False
        self.page_empty = True
        self.pages_of: dict[str, int] = {}  # landmark key -> page
        # story.py's `page_key` of a paragraph -> the page its first line lands on (the
        # EPUB's page list follows these)
        self.pages_of_parts: dict[tuple, int] = {}
        self.body_start: Optional[int] = None  # the first chapter's page: arabic 1 (front matter: roman)

    # --- build hooks ---------------------------------------------------------------

    def _startBuild(self, filename=None, canvasmaker=RecordingCanvas):
        super()._startBuild(filename, canvasmaker)
        # invariant=1 fixes the document ID; the dates come from SOURCE_DATE_EPOCH.
        self.canv._doc._timeStamp = _FixedTimeStamp(self.epoch)
        # Tagged PDF (structure tree, marked content) is PDF 1.7 (ISO 32000-1, on which
        # PDF/UA-1 rests); finishers may lower it (PDF/X-4 is PDF 1.6).
        self.canv._doc._pdfVersion = (1, 7)
        if self.tree is not None:
            self.canv.tagger = self.tree
            self.canv.before_save.append(lambda canv: self.tree.finish(canv, self.title))
        self.canv.before_save.extend(self.finishers)
        self.text_starts = self.canv.text_starts  # page -> (part key, word offset): the EPUB's page list
        self.canv.ahead = self.ahead
        if self.canvas_setup is not None:
            self.canvas_setup(self.canv, self)

    ahead = None  # ahead.DeflateAhead: the pages' streams deflated as they are shown, if any
    look_ahead = True  # the frame looks ahead in the story to a chapter's end (`remaining`)

    def handle_pageBegin(self):
        # Odd pages are rectos (spine on the left), even pages versos.
        self.pageTemplate = self.pageTemplates[0 if (self.page + 1) % 2 else 1]
        self.page_document = self.document
        self.page_opening = False
        self.page_empty = True
        super().handle_pageBegin()

    def afterFlowable(self, flowable):
        if isinstance(flowable, PageKind):
            self.kind, self.head, self.page_opening = flowable.kind, flowable.head, True
            if flowable.kind == "chapter" and self.body_start is None:
                self.body_start = self.page
                self.canv.addPageLabel(0, "ROMAN_LOWER")  # /PageLabels: what the viewer shows is what is printed
                self.canv.addPageLabel(self.page - 1, "ARABIC", 1)
            return
        # page_key is only ever an instance's attribute, landmark that or LandmarkParagraph's
        # None: read from the instance, no getattr that misses (an exception each) is asked.
        d = flowable.__dict__
        part = d.get("page_key")
        if part is not None and part not in self.pages_of_parts:
            self.pages_of_parts[part] = self.page
        lm = d.get("landmark")
        if lm is not None:
            self.pages_of[lm.key] = self.page
            if lm.toc_form:
                self._define_number_form(lm.toc_form, self.page)
            if lm.kind == "chapter":
                self.chapter, self.document = lm.title, ("", "")
            else:
                self.document = (lm.title, lm.date)
                if self.page_empty:
                    self.page_document = self.document
        if getattr(flowable, "height", 0):
            self.page_empty = False

    # --- drawing -------------------------------------------------------------------

    def folio(self, page: int) -> str:
        """The page number as printed: roman in the front matter, arabic from the first chapter."""
        if self.body_start is None or page < self.body_start:
            return roman(page)
        return str(page - self.body_start + 1)

    def _define_number_form(self, name: str, page: int) -> None:
        canv = self.canv
        size = self.style.text.size
        canv.beginForm(name, lowerx=-72, lowery=-size, upperx=0, uppery=2 * size)
        number = self.folio(page)
        canv._code.append(text_ops(canv, self.fonts.regular, size,
                                   -text_width(self.fonts.regular, number) * size, 0, number))
        canv.endForm()

    def _decorate(self, canv, doc) -> None:
        """Running head and folio. Nothing on the title page; on a part's opening page only
        the folio, centred under the text; elsewhere the folio at the outer corner of the
        head line, the chapter on versos and the document on rectos."""
        if self.kind == "title" or self.page_empty:  # the title pages, and blank versos
            return
        page = self.page
        st = self.style
        recto = page % 2 == 1
        left = st.page.inner_margin if recto else st.page.outer_margin
        right = left + self.text_width
        size = st.headings.running_head_size
        tagged = getattr(canv, "tagger", None) is not None
        if tagged:  # running heads and folios are pagination artifacts, not text
            canv._code.append(ARTIFACT_FOOT if self.page_opening else ARTIFACT_PAGE)
        canv.saveState()
        if self.page_opening:
            canv.setFont(self.fonts.regular, size)
            draw_string(canv, (left + right) / 2, st.page.bottom_margin - st.page.folio_gap, self.folio(page), 0.5)
            canv.restoreState()
            if tagged:
                canv._code.append("EMC")
            return
        y = st.page.height - st.page.top_margin + st.page.head_gap
        folio = self.folio(page)
        canv.setFont(self.fonts.regular, size + 0.5)
        if recto:
            draw_string(canv, right, y, folio, 1.0)
        else:
            draw_string(canv, left, y, folio)
        date = ""
        if self.kind == "contents":
            head = self.head
        elif recto and (self.page_document[0] or self.document[0]):
            head, date = self.page_document if self.page_document[0] else self.document
        else:
            head = self.chapter
        room = self.text_width - 2 * (stringWidth(folio, self.fonts.regular, size + 0.5) + 12)
        head = running_head(printable(head), printable(date), self.fonts.italic, size, room)
        canv.setFont(self.fonts.italic, size)
        draw_string(canv, (left + right) / 2, y, head, 0.5)
        canv.setLineWidth(0.3)
        canv.line(left, y - 3.5, right, y - 3.5)
        canv.restoreState()
        if tagged:
            canv._code.append("EMC")


def running_head(title: str, date: str, font: str, size: float, width: float) -> str:
    """A document's head: its numbered title, shortened to `width` at a word boundary
    before the date, which stays ("13. Kaganovich, Molotov … August 21, 1935")."""
    if stringWidth(title, font, size) <= width or not date or not title.endswith(date):
        return _fit(title, font, size, width)
    lead = title[:-len(date)].rstrip(" ,;")
    words = lead.split()
    while len(words) > 1 and stringWidth(" ".join(words) + " … " + date, font, size) > width:
        words.pop()
    return _fit(" ".join(words).rstrip(",;") + " … " + date, font, size, width)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis at a word boundary if it is wider than `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    words = text.split()
    while words and stringWidth(" ".join(words) + " …", font, size) > width:
        words.pop()
    return (" ".join(words) + " …") if words else "…"
