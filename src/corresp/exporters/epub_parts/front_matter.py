"""The title page and the navigation document (contents and landmarks)."""
from __future__ import annotations

from typing import Mapping

from ... import imprint
from ...calendar import calendar_title, sentence
from ...correspondents import index_title
from ...metadata import publication
from ...i18n import words
from ...model import Edition
from .calendar_page import CALENDAR_ANCHOR, CALENDAR_FILE
from .chapter_page import chapter_anchor
from .index_page import INDEX_ANCHOR, INDEX_FILE
from .page_list import CONTENTS, COPYRIGHT, FRONT, add_page_list
from .script_language import differing_language
from .xhtml import EPUB_TYPE, block_break, el, new_page, serialize, set_lang

TITLE_FILE = "title.xhtml"
COVER_FILE = "cover.xhtml"


def cover_page(edition: Edition, image_href: str, css_href: str) -> bytes:
    """The cover image on a page of its own, with a text alternative."""
    html, body = new_page(edition.title, edition.language, css_href)
    body.set(EPUB_TYPE, "frontmatter")
    section = block_break(el(body, "section", cls="cover"))
    section.set(EPUB_TYPE, "cover")
    alt = words(edition.language)["cover_alt"].format(title=edition.title)
    if edition.subtitle:  # a title that ends in a full stop (`1931–1936 гг.`) takes no second one
        alt = f"{sentence(alt)} {edition.subtitle}"
    el(section, "img", src=image_href, alt=alt)
    return serialize(html)
NAV_FILE = "nav.xhtml"


def title_page(edition: Edition, labels: Mapping[str, str], css_href: str, breaks=None) -> bytes:
    """Series, title, subtitle, the credits (editors, translators) and the imprint; then the
    copyright page, in the words every format prints (corresp.imprint)."""
    pub = publication(edition)
    html, body = new_page(edition.title, edition.language, css_href)
    body.set(EPUB_TYPE, "frontmatter")
    section = block_break(el(body, "section", cls="titlepage"))
    section.set(EPUB_TYPE, "titlepage")
    section.text = "\n"
    if breaks is not None:  # the print edition's front matter (page_list)
        breaks.mark(section, FRONT, TITLE_FILE)
    if pub.series:
        block_break(el(section, "p", pub.series, cls="series"))
    block_break(el(section, "h1", edition.title, cls="title"))
    if edition.subtitle:
        block_break(el(section, "p", edition.subtitle, cls="subtitle"))
    for caption, names in imprint.credits(edition):
        block_break(el(section, "p", f"{caption} {', '.join(names)}", cls="editors"))
    line = imprint.imprint(edition)
    if line:
        block_break(el(section, "p", line, cls="imprint"))
    rights = block_break(el(body, "section", cls="copyright"))
    rights.set(EPUB_TYPE, "copyright-page")
    rights.text = "\n"
    if breaks is not None:
        breaks.mark(rights, COPYRIGHT, TITLE_FILE)
    for item in imprint.copyright_lines(edition):
        p = block_break(el(rights, "p", cls=item.kind))
        if item.href:
            el(p, "a", item.text, href=item.href)
        else:
            p.text = item.text
    return serialize(html, breaks)


def nav_page(edition: Edition, chapter_files: list[str], labels: dict[str, str], css_href: str,
             has_index: bool = False, numbers=None, breaks=None, has_cover: bool = False) -> bytes:
    """Chapters, and under each its documents by heading, then the index of correspondents
    (if the book has one); then the (hidden) landmarks."""
    lang = edition.language
    html, body = new_page(labels["contents"], lang, css_href)
    body.set(EPUB_TYPE, "frontmatter")
    if breaks is not None:  # the printed contents' first page (page_list)
        breaks.mark(body, (CONTENTS, -1), NAV_FILE)
    toc = block_break(el(body, "nav", id="toc", role="doc-toc"))
    toc.set(EPUB_TYPE, "toc")
    toc.text = "\n"
    block_break(el(toc, "h1", labels["contents"]))
    entry = 0  # the contents' entries in the printed order, for the printed pages (page_list)

    def mark_entry(a, entry: int) -> int:
        if breaks is not None:
            breaks.mark_start(a, (CONTENTS, entry), NAV_FILE)
        return entry + 1
    chapters_ol = block_break(el(toc, "ol", cls="toc"))
    chapters_ol.text = "\n"
    for ci, (chapter, file) in enumerate(zip(edition.chapters, chapter_files)):
        li = block_break(el(chapters_ol, "li", cls="toc-chapter"))
        a = el(li, "a", chapter.title, href=f"{file}#{chapter_anchor(ci)}")
        _mark_language(a, chapter.title, lang)
        entry = mark_entry(a, entry)
        if not chapter.documents:
            continue
        docs_ol = el(li, "ol")
        docs_ol.text = "\n"
        for doc in chapter.documents:
            doc_li = block_break(el(docs_ol, "li"))
            a = el(doc_li, "a", numbers.heading(doc) if numbers else doc.heading, href=f"{file}#{doc.id}")
            _mark_language(a, doc.heading, lang)
            entry = mark_entry(a, entry)
    if edition.documents:
        li = block_break(el(chapters_ol, "li", cls="toc-chapter"))
        entry = mark_entry(el(li, "a", calendar_title(lang), href=f"{CALENDAR_FILE}#{CALENDAR_ANCHOR}"), entry)
    if has_index:
        li = block_break(el(chapters_ol, "li", cls="toc-chapter"))
        entry = mark_entry(el(li, "a", index_title(lang), href=f"{INDEX_FILE}#{INDEX_ANCHOR}"), entry)
    if breaks is not None:
        add_page_list(body, breaks, labels["page_list"])
    landmarks = block_break(el(body, "nav", hidden="hidden"))
    landmarks.set(EPUB_TYPE, "landmarks")
    landmarks.text = "\n"
    block_break(el(landmarks, "h2", labels["landmarks"]))
    ol = block_break(el(landmarks, "ol"))
    marks = [("cover", COVER_FILE, labels["cover"])] if has_cover else []
    marks += [("titlepage", TITLE_FILE, labels["title_page"]), ("toc", f"{NAV_FILE}#toc", labels["contents"])]
    if chapter_files:
        marks.append(("bodymatter", chapter_files[0], labels["start"]))
    if has_index:
        marks.append(("index", INDEX_FILE, index_title(lang)))
    for kind, href, text in marks:
        a = el(block_break(el(ol, "li")), "a", text, href=href)
        a.set(EPUB_TYPE, kind)
    return serialize(html, breaks)


def _mark_language(element, text: str, page_lang: str) -> None:
    lang = differing_language(text, page_lang)
    if lang:
        set_lang(element, lang)
