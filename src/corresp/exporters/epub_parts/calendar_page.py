"""The calendar of documents as a page of the e-book: a table, one row per document, its
number linking to the document; with a print edition, a page column linking to the printed
page the letter begins on (its marker in the page list)."""
from __future__ import annotations

from typing import Optional

from lxml import etree

from ...calendar import Row, calendar_title, unbroken
from ...i18n import words
from ...model import Edition
from .page_list import BACK, CALENDAR
from .xhtml import EPUB_TYPE, XHTML_NS, block_break, el, new_page, serialize

CALENDAR_FILE = "calendar.xhtml"
CALENDAR_ANCHOR = "calendar"
HEADS = ("calendar_no", "calendar_date", "calendar_correspondents", "calendar_archive")  # corresp.i18n keys


# Only elements with an id (page-break markers, documents) and headings can matter: found by
# XPath (in C), not by visiting every element of the book in Python. (A union, in document
# order: a third faster than one predicate calling local-name() on every element; every
# element of a page is XHTML.)
_MARKS_AND_HEADINGS = etree.XPath("//*[@id] | //x:h2", namespaces={"x": XHTML_NS})


class HeadingPages:
    """Document id -> (href of the print page's marker, its printed number) for the page its
    heading stands on: the last page-break marker before the heading in reading order.

    Each chapter page is read, in reading order, right after it is serialised (`read`): its
    markers are settled where readers find them, and the page need not be parsed back."""

    def __init__(self, ids: set[str]):
        self.ids = ids
        self.found: dict[str, tuple[str, str]] = {}
        self._current: Optional[tuple[str, str]] = None  # the last marker read, across pages

    def read(self, name: str, root: etree._Element) -> None:
        pending = None
        for node in _MARKS_AND_HEADINGS(root):
            node_id = node.get("id")
            if node_id and node.get(EPUB_TYPE) == "pagebreak":
                self._current = (f"{name}#{node_id}", node.get("aria-label") or "")
            elif node_id in self.ids:
                pending = node_id
            elif pending and node.tag.endswith("}h2") and self._current is not None:
                self.found[pending], pending = self._current, None


def calendar_page(edition: Edition, rows: list[Row], file_of: dict[str, str], css_href: str,
                  breaks=None, print_pages: Optional[dict[str, tuple[str, str]]] = None) -> bytes:
    """`print_pages`: document id -> (link, printed page) when the book has a print edition;
    the table then has a page column linking to that page's marker."""
    lang = edition.language
    title = calendar_title(lang)
    html, body = new_page(title, lang, css_href)
    body.set(EPUB_TYPE, "backmatter")
    section = block_break(el(body, "section", id=CALENDAR_ANCHOR, cls="calendar"))
    section.set(EPUB_TYPE, "appendix")
    section.set("role", "doc-appendix")
    section.text = "\n"
    if breaks is not None:  # the print edition's back matter (page_list)
        breaks.mark(section, BACK, CALENDAR_FILE)
    block_break(el(section, "h1", title))
    table = block_break(el(section, "table", cls="calendar"))
    table.text = "\n"
    head = el(el(table, "thead"), "tr")
    w = words(lang)
    for key in HEADS + (("calendar_page",) if print_pages else ()):
        el(head, "th", w[key], scope="col")
    tbody = block_break(el(table, "tbody"))
    tbody.text = "\n"
    for row in rows:
        tr = block_break(el(tbody, "tr", id=f"cal-{row.number}"))
        th = el(tr, "th", scope="row")
        if breaks is not None:  # a printed page that opens with this row (page_list)
            breaks.mark(th, (CALENDAR, row.number), CALENDAR_FILE)
        el(th, "a", str(row.number), href=f"{file_of[row.doc.id]}#{row.doc.id}")
        el(tr, "td", row.date)
        el(tr, "td", row.parties)
        el(tr, "td", unbroken(row.archive, ranges=True), cls="source")  # never broken inside a citation
        if print_pages:
            page = el(tr, "td", cls="page")
            if row.doc.id in print_pages:
                href, label = print_pages[row.doc.id]
                el(page, "a", label, href=href)
    return serialize(html, breaks)
