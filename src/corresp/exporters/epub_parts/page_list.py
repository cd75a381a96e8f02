"""The printed book's pages in the e-book: `epub:type="pagebreak"` markers and the nav's
page list, so a reader of the EPUB can cite the page of the PDF.

The EPUB and the PDF come from the same layout: when the edition names a print edition (an
ISBN for `print` or `pdf`), the EPUB takes the printed pages from the build's PDF layout
(`exporters.pdf_shared`: a build that writes the PDF too lays the book out once, for
both), or lays the book out itself without writing it (`exporters.pdf.lay_out_pdf`), and
reads back the first text drawn on each page: the part of the edition it belongs to
(`pdf_parts.story`'s page keys: a chapter title, an intro paragraph, a document's heading,
archive line or block, an enclosure counting as one block, a contents entry, a calendar row,
an index entry) and how many words of that part came before it on earlier pages
(`BookTemplate.text_starts`). Page N's marker stands right before that word: before the
part when the page opens with it, inside it when the page opens inside a paragraph
(`settle`, run when a page is serialised, moves it to its word). Pages with no text of
their own (a blank verso, a page of notes run on) are marked where the next page's text
begins. Each page is named as it is printed (roman in the front matter, arabic from the
first chapter). Without a print edition there is no page list.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

from lxml import etree

from ...metadata import publication
from ...model import Edition
from .xhtml import EPUB_TYPE, el

# The page keys of pdf_parts.story for the parts other pages mark (the title page; the
# calendar's title): the EPUB's pages call `mark` with them.
FRONT, COPYRIGHT = ("front", "title"), ("front", "copyright")
CONTENTS, CALENDAR, INDEX = "contents", "calendar", "index"
BACK = (CALENDAR, -1)
_PENDING = "data-corresp-page-offset"  # a marker waiting to move into the part after it (settle)


@dataclasses.dataclass
class PageBreaks:
    # part key -> [(word offset, the pages whose markers stand before that word)]
    at: dict[tuple, list[tuple[int, list[int]]]]
    pages: int
    labels: dict[int, str] = dataclasses.field(default_factory=dict)  # page -> its printed number (iv, 12)
    files: dict[int, str] = dataclasses.field(default_factory=dict)  # page -> the EPUB file holding it
    # The markers waiting to move into their part (`settle`), in the order they were made.
    pending: list = dataclasses.field(default_factory=list)

    def mark(self, parent: etree._Element, key: tuple, file: str) -> None:
        """The markers due in the part `key`, appended to `parent` (before the part); those
        due inside it wait there until the page is serialised (`settle`)."""
        for offset, pages in self.at.get(key, ()):
            for page in pages:
                span = el(parent, "span", id=page_id(page), role="doc-pagebreak")
                span.set(EPUB_TYPE, "pagebreak")
                span.set("aria-label", self.label(page))
                span.tail = "\n"
                if offset:
                    span.set(_PENDING, str(offset))
                    self.pending.append(span)
                self.files[page] = file

    def mark_start(self, element: etree._Element, key: tuple, file: str) -> None:
        """The markers due before the part `key`, put first inside `element` (which holds
        the part's text: a contents entry's link, a table cell)."""
        text, element.text = element.text, None
        first = len(element)
        self.mark(element, key, file)
        spans = list(element)[first:]
        for span in spans:
            element.remove(span)
        for i, span in enumerate(spans):
            element.insert(i, span)
            span.tail = None
        if spans:
            spans[-1].tail = text
        else:
            element.text = text

    def take_pending(self, root: etree._Element) -> list:
        """The waiting markers of the page `root` (each page is built, then serialised)."""
        mine = [span for span in self.pending if span.getroottree().getroot() is root]
        if len(mine) < len(self.pending):
            self.pending = [span for span in self.pending if span.getroottree().getroot() is not root]
        else:
            self.pending = []
        return mine

    def label(self, page: int) -> str:
        return self.labels.get(page, str(page))


def page_id(page: int) -> str:
    return f"page-{page}"


def assign(text_starts: dict[int, tuple], pages: int) -> dict[tuple, list[tuple[int, list[int]]]]:
    """Each page's marker at the first text drawn on it; pages without text of their own
    with the next page that has some; the first part's earlier pages in the front matter."""
    at: dict[tuple, list[tuple[int, list[int]]]] = {}
    waiting: list[int] = []
    for page in range(1, pages + 1):
        key, offset = text_starts.get(page, (None, 0))
        if key is None:
            waiting.append(page)
            continue
        at.setdefault(key, []).append((offset, waiting + [page]))
        waiting = []
    if waiting and at:  # pages after the last text (notes run on): where the last page begins
        last = max(at, key=lambda k: max(at[k][-1][1]))
        at[last].append((at[last][-1][0], waiting))
    elif waiting:
        at[BACK] = [(0, waiting)]
    return at


def has_print_pages(edition: Edition) -> bool:
    """The EPUB carries a page list when the edition names a print edition."""
    pub = publication(edition)
    return bool(pub.isbn.get("print") or pub.isbn.get("pdf"))


def print_page_breaks(edition: Edition, options) -> Optional[PageBreaks]:
    if not has_print_pages(edition):
        return None
    pages = options.print_pages  # the build's PDF layout (exporters.pdf_shared), if it made one
    if pages is None:  # else lay the book out, without writing it
        from ..pdf import lay_out_pdf
        from ..pdf_shared import print_pages
        layout_options = dataclasses.replace(options, warnings=[])  # the PDF's own build says them
        pages = print_pages(lay_out_pdf(edition, layout_options, prebreak=options.spare_cores > 0))
    return PageBreaks(assign(pages.starts, pages.pages), pages.pages, dict(pages.folios))


_PENDING_SPANS = etree.XPath(f"//*[@{_PENDING}]")


def settle(root: etree._Element, pending: Optional[list] = None) -> None:
    """Move each marker due inside a part (a page that opens mid-paragraph) from before the
    part to before the part's word at its offset: the part is the element that follows it.
    `pending`: the page's waiting markers in document order (`PageBreaks.take_pending`: they
    are made in reading order), else found by searching the page."""
    if pending is None:
        pending = _PENDING_SPANS(root)
    for span in pending:
        offset = int(span.get(_PENDING))
        del span.attrib[_PENDING]
        target = span.getnext()
        while target is not None and target.get(_PENDING) is not None:  # markers of several pages
            target = target.getnext()
        if target is None:
            continue
        spot = _word_position(target, offset)
        if spot is None:
            continue
        node, attr, index = spot
        span.getparent().remove(span)  # its tail is the newline between blocks: nothing lost
        _insert_at(node, attr, index, span)


# A word as the PDF counts them: a run of anything but these (a no-break space holds a
# word together).
_WORD = re.compile("[^ \t\r\n]+")


def _word_position(target: etree._Element, offset: int):
    """(element, "text" or "tail", index) of the start of word number `offset` (0-based) in
    `target`'s text, counting words as whitespace-separated runs across its descendants."""
    count = -1
    in_word = False  # the text before ended inside a word: a run at its start continues it
    for node, attr in _text_nodes(target):
        text = getattr(node, attr)
        if not text:
            continue
        for run in _WORD.finditer(text):
            if run.start() == 0 and in_word:
                continue
            count += 1
            if count == offset:
                return node, attr, run.start()
        in_word = text[-1] not in " \t\r\n"
    return None


def _text_nodes(element: etree._Element):
    """(node, "text"/"tail") in document order, inside `element` (its own tail excluded)."""
    yield element, "text"
    for child in element:
        if not isinstance(child.tag, str):
            continue
        yield from _text_nodes(child)
        yield child, "tail"


def _insert_at(node: etree._Element, attr: str, index: int, span: etree._Element) -> None:
    text = getattr(node, attr) or ""
    if attr == "text":
        node.text = text[:index]
        node.insert(0, span)
    else:
        node.tail = text[:index]
        node.addnext(span)
    span.tail = text[index:]


def add_page_list(body: etree._Element, breaks: PageBreaks, title: str) -> None:
    """The nav's `page-list`: every printed page, in order, linking to its marker."""
    nav = el(body, "nav", hidden="hidden")
    nav.set(EPUB_TYPE, "page-list")
    nav.set("role", "doc-pagelist")
    nav.text = "\n"
    el(nav, "h2", title).tail = "\n"
    ol = el(nav, "ol")
    ol.text = "\n"
    for page in range(1, breaks.pages + 1):
        if page not in breaks.files:  # an edition without documents has no calendar to hold its last pages
            continue
        li = el(ol, "li")
        li.tail = "\n"
        el(li, "a", breaks.label(page), href=f"{breaks.files[page]}#{page_id(page)}")
    nav.tail = "\n"
