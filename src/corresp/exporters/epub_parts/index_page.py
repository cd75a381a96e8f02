"""The index of correspondents as a page of the e-book: each name, then links to the
documents they wrote or received (by date, in the order of the edition)."""
from __future__ import annotations

from ...correspondents import Entry, index_explanation, index_labels, index_title, locator, sent_and_received
from ...model import Edition
from .page_list import INDEX
from .script_language import differing_language
from .xhtml import EPUB_TYPE, block_break, el, new_page, serialize, set_lang

INDEX_FILE = "index.xhtml"
INDEX_ANCHOR = "index"


def index_page(edition: Edition, entries: list[Entry], file_of: dict[str, str], css_href: str,
               numbers: dict[str, int] | None = None, breaks=None) -> bytes:
    """`file_of` maps a document id to the page that holds it; `numbers` a document id to its
    number (corresp.numbering). Each name, then the letters it sent and those it received."""
    lang = edition.language
    labels = index_labels(lang)
    numbers = numbers or {}
    title = index_title(lang)
    html, body = new_page(title, lang, css_href)
    body.set(EPUB_TYPE, "backmatter")
    section = block_break(el(body, "section", id=INDEX_ANCHOR, cls="index", role="doc-index"))
    section.set(EPUB_TYPE, "index")
    section.text = "\n"
    mark = breaks.mark if breaks is not None else (lambda *_: None)  # the printed pages (page_list)
    mark(section, (INDEX, -1), INDEX_FILE)
    block_break(el(section, "h1", title))
    mark(section, (INDEX, "explain"), INDEX_FILE)
    block_break(el(section, "p", index_explanation(lang), cls="index-note"))
    ul = block_break(el(section, "ul", cls="index"))
    ul.text = "\n"
    for ei, entry in enumerate(entries):
        li = block_break(el(ul, "li", cls="index-entry"))
        mark(li, (INDEX, ei), INDEX_FILE)
        name = el(li, "span", entry.shown, cls="index-term")
        name_lang = differing_language(entry.shown, lang)
        if name_lang:
            set_lang(name, name_lang)
        # Sent and received stand on lines of their own under the name (epub.css), as in the
        # PDF; the separators read where the style sheet is not applied.
        el(li, "span", " — ", cls="sep")
        groups = [(w, d) for w, d in zip(("sent", "received"), sent_and_received(entry)) if d]
        for g, (word, docs) in enumerate(groups):
            if g:
                el(li, "span", "; ", cls="sep")
            group = el(li, "span", f"{labels[word]}: ", cls=word)
            for k, doc in enumerate(docs):
                a = el(group, "a", locator(doc, numbers.get(doc.id), lang), href=f"{file_of[doc.id]}#{doc.id}")
                # A locator holds a comma itself (`No. 1, August 14, 1935`): semicolons between them.
                a.tail = "; " if k + 1 < len(docs) else None
    return serialize(html, breaks)
