"""The index of correspondents as a page of the e-book: each name, then links to the
documents they wrote or received (by date, in the order of the edition)."""
from __future__ import annotations

from ...correspondents import Entry, index_title, locator
from ...model import Edition
from .script_language import differing_language
from .xhtml import EPUB_TYPE, block_break, el, new_page, serialize, set_lang

INDEX_FILE = "index.xhtml"
INDEX_ANCHOR = "index"


def index_page(edition: Edition, entries: list[Entry], file_of: dict[str, str], css_href: str) -> bytes:
    """`file_of` maps a document id to the page that holds it."""
    title = index_title(edition.language)
    html, body = new_page(title, edition.language, css_href)
    body.set(EPUB_TYPE, "backmatter")
    section = block_break(el(body, "section", id=INDEX_ANCHOR, cls="index", role="doc-index"))
    section.set(EPUB_TYPE, "index")
    section.text = "\n"
    block_break(el(section, "h1", title))
    ul = block_break(el(section, "ul", cls="index"))
    ul.text = "\n"
    for entry in entries:
        li = block_break(el(ul, "li", cls="index-entry"))
        name = el(li, "span", entry.name, cls="index-term")
        lang = differing_language(entry.name, edition.language)
        if lang:
            set_lang(name, lang)
        name.tail = " "
        for k, doc in enumerate(entry.documents):
            a = el(li, "a", locator(doc), href=f"{file_of[doc.id]}#{doc.id}")
            if doc.id in entry.wrote:
                a.set("class", "wrote")
            a.tail = ", " if k + 1 < len(entry.documents) else None
    return serialize(html)
