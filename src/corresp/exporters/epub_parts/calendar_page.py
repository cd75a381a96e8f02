"""The calendar of documents as a page of the e-book: a table, one row per document, its
number linking to the document."""
from __future__ import annotations

from ...calendar import Row, calendar_title, unbroken
from ...i18n import words
from ...model import Edition
from .page_list import BACK, CALENDAR
from .xhtml import EPUB_TYPE, block_break, el, new_page, serialize

CALENDAR_FILE = "calendar.xhtml"
CALENDAR_ANCHOR = "calendar"
HEADS = ("calendar_no", "calendar_date", "calendar_correspondents", "calendar_archive")  # corresp.i18n keys


def calendar_page(edition: Edition, rows: list[Row], file_of: dict[str, str], css_href: str,
                  breaks=None) -> bytes:
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
    for key in HEADS:
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
        el(tr, "td", unbroken(row.archive), cls="source")  # never broken inside a citation
    return serialize(html)
