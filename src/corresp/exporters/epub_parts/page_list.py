"""The printed book's pages in the e-book: `epub:type="pagebreak"` markers and the nav's
page list, so a reader of the EPUB can cite the page of the PDF.

The EPUB and the PDF come from the same layout: when the edition names a print edition (an
ISBN for `print` or `pdf`), the EPUB takes the printed pages from the build's PDF layout
(`exporters.pdf_shared`: a build that writes the PDF too lays the book out once, for
both), or lays the book out itself without writing it (`exporters.pdf.lay_out_pdf`), and
reads back where
each chapter title, intro paragraph, document heading and document block began
(`BookTemplate.pages_of_parts`, keyed by `pdf_parts.story`'s `page_key`). Page N's marker
stands before the first of those parts that begins on page N or later: a page that opens
inside a paragraph gets its marker before the next paragraph. The front matter's pages are
marked on the title page, the back matter's (calendar, index) at the calendar's head. Each
page is named as it is printed (roman in the front matter, arabic from the first chapter).
Without a print edition there is no page list.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from lxml import etree

from ...metadata import publication
from ...model import Edition
from ...numbering import intro_key
from .xhtml import EPUB_TYPE, el

FRONT, BACK = ("front", 0), ("back", 0)


@dataclasses.dataclass
class PageBreaks:
    at: dict[tuple, list[int]]  # part key -> the pages whose markers stand before it
    pages: int
    labels: dict[int, str] = dataclasses.field(default_factory=dict)  # page -> its printed number (iv, 12)
    files: dict[int, str] = dataclasses.field(default_factory=dict)  # page -> the EPUB file holding it

    def mark(self, parent: etree._Element, key: tuple, file: str) -> None:
        """The markers due before the part `key`, appended to `parent` (before the part)."""
        for page in self.at.get(key, ()):
            span = el(parent, "span", id=page_id(page), role="doc-pagebreak")
            span.set(EPUB_TYPE, "pagebreak")
            span.set("aria-label", self.label(page))
            span.tail = "\n"
            self.files[page] = file


    def label(self, page: int) -> str:
        return self.labels.get(page, str(page))


def page_id(page: int) -> str:
    return f"page-{page}"


def reading_order(edition: Edition) -> list[tuple]:
    keys = []
    for ci, chapter in enumerate(edition.chapters):
        key = intro_key(ci)
        keys += [(key, -1), *((key, i) for i in range(len(chapter.intro)))]
        for doc in chapter.documents:
            keys += [(doc.id, -1), *((doc.id, i) for i in range(sum(1 for _ in doc.iter_blocks())))]
    return keys


def assign(keys: list[tuple], page_of: dict[tuple, int], pages: int) -> dict[tuple, list[int]]:
    at: dict[tuple, list[int]] = {}
    placed = [(k, page_of[k]) for k in keys if k in page_of]
    done = 0
    if placed:
        first = placed[0][1]
        at[FRONT] = list(range(1, first))
        done = first - 1
    for key, page in placed:
        if page > done:
            at.setdefault(key, []).extend(range(done + 1, page + 1))
            done = page
    at[BACK] = list(range(done + 1, pages + 1))
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
        pages = print_pages(lay_out_pdf(edition, layout_options))
    return PageBreaks(assign(reading_order(edition), pages.parts, pages.pages), pages.pages, dict(pages.folios))


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
