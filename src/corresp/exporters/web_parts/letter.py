"""One page per letter, at `letters/<id>/`: the heading (the editors' supplied parts marked),
a panel of what is known about it, the text with all its parts styled as in the EPUB (the
same classes, the same stylesheet source), the notes as a numbered list with links to and
from their markers, the letters before and after it by date and within its correspondence,
"Cite this letter", and its TEI and JSON to download.

The search index (Pagefind) reads only the element marked `data-pagefind-body`: the
heading, panel, text and notes; its filters (sender, recipient, year, kind) and sort key
(date) are attributes there.
"""
from __future__ import annotations

import re
from typing import Optional

from lxml import etree

from ...model import Document, Enclosure, Paragraph
from .site import differing_language  # cached: headings and names recur on many pages
from ..tei_parts.corresp_desc import document_number
from ..epub_parts.chapter_page import write_inlines
from .html import Head, Page, el, new_page, nl, safe, url_segment
from .site import Site, letter_href, letter_path

ENCLOSURE_CLASSES = {"enclosure": "enclosure", "postscript-enclosure": "enclosure postscript-enclosure"}
_SUPPLIED = re.compile(r"\[[^\[\]]*\]")  # the editors' brackets in a heading
LEMMAS = "\u2042"  # ⁂: where the index's lemmas begin (assets/search.js shows the text before it)
KIND_KEYS = ("kind", "type", "document type", "тип документа", "вид документа", "вид")


# The kinds of document a transmission line names (its first words), and the filter value
# each one files under: "Шифром." and "Шифровка." are one kind.
KINDS = {"шифровка": "Шифровка", "шифром": "Шифровка", "шифротелеграмма": "Шифротелеграмма",
         "телеграмма": "Телеграмма", "телефонограмма": "Телефонограмма", "записка": "Записка",
         "письмо": "Письмо", "encryption": "Encryption", "encrypted": "Encryption", "cipher": "Cipher",
         "ciphered telegram": "Cipher", "telegram": "Telegram", "telephone message": "Telephone message",
         "telephonogram": "Telephone message", "note": "Note", "letter": "Letter"}


def kind_of(doc: Document, labels: dict[str, str]) -> str:
    """The kind of document, for the search filter: the source's own (its requisites' type),
    else what its transmission lines call it ("Encryption", "Шифровка"; a secrecy stamp or
    "Copy" is no kind), else "letter"."""
    for key, value in doc.requisites.items():
        if key.strip().lower() in KIND_KEYS and value.strip():
            return value.strip().rstrip(".")
    for p in doc.transmission:
        text = " ".join(p.text.lower().split()).rstrip(".")
        for words, kind in KINDS.items():
            if text == words or text.startswith(words + " "):
                return kind
    return labels["letter"][:1].upper() + labels["letter"][1:]


def year_of(doc: Document) -> Optional[str]:
    return doc.date.iso[:4] if doc.date and doc.date.iso else None


def heading_with_supplied(parent: etree._Element, heading: str) -> None:
    """The heading's text (after what `parent` holds), each bracketed (supplied) part in a
    span of its own."""
    last = parent[-1] if len(parent) else None
    pos = 0
    for m in _SUPPLIED.finditer(heading):
        before = safe(heading[pos:m.start()])
        if last is None:
            parent.text = (parent.text or "") + before
        else:
            last.tail = before
        last = el(parent, "span", m.group(0), cls="supplied")
        pos = m.end()
    rest = safe(heading[pos:])
    if last is None:
        parent.text = (parent.text or "") + rest
    else:
        last.tail = rest


class Notes:
    """The markers and notes of one page (a letter, or a chapter's introduction)."""

    def __init__(self, labels: dict[int, str], words: dict[str, str], prefix: str = ""):
        self.labels = labels
        self.words = words  # "Note {0}", "Back to the reference to note {0}" (corresp.i18n)
        self.prefix = prefix

    def note_id(self, n: int) -> str:
        return f"{self.prefix}note-{n}"

    def ref_id(self, n: int) -> str:
        return f"{self.prefix}ref-{n}"

    def marker(self, parent: etree._Element, n: int) -> etree._Element:
        label = self.labels[n]
        a = el(parent, "a", label, cls="noteref", id=self.ref_id(n), href=f"#{self.note_id(n)}",
               role="doc-noteref")
        a.set("aria-label", self.words["note_link"].format(label))
        return a

    def inlines(self, p: etree._Element, paragraph: Paragraph) -> None:
        write_inlines(p, paragraph, self.marker)

    def paragraph(self, parent: etree._Element, paragraph: Paragraph, cls: str, lang: str) -> etree._Element:
        p = nl(el(parent, "p", cls=cls))
        own = differing_language(paragraph.text, lang)
        if own:
            p.set("lang", own)
        self.inlines(p, paragraph)
        return p

    def list(self, parent: etree._Element, notes, heading: str, heading_id: str) -> None:
        """The notes as a numbered list, each with a link back to its marker."""
        if not notes:
            return
        section = nl(el(parent, "section", cls="notes", aria_labelledby=heading_id))
        section.text = "\n"
        nl(el(section, "h2", heading, id=heading_id))
        ol = nl(el(section, "ol", cls="notes"))
        ol.text = "\n"
        for note in notes:
            li = nl(el(ol, "li", cls="footnote", id=self.note_id(note.number)))
            first, *more = note.text.split("\n")
            p = el(li, "p")
            back = el(p, "a", self.labels[note.number], cls="note-label", href=f"#{self.ref_id(note.number)}",
                      role="doc-backlink")
            back.set("aria-label", self.words["note_back"].format(self.labels[note.number]))
            back.tail = " " + safe(first)
            for more_text in more:
                el(li, "p", more_text)


def _names(doc_people) -> list[str]:
    return [" ".join(p.display_name.split()) for p in doc_people]


def _row(dl: etree._Element, term: str) -> etree._Element:
    el(dl, "dt", term)
    return nl(el(dl, "dd"))


def metadata_panel(parent: etree._Element, doc: Document, site: Site) -> None:
    labels = site.labels
    section = nl(el(parent, "section", cls="letter-meta", aria_labelledby="meta-h"))
    el(section, "h2", labels["details"], id="meta-h", cls="visually-hidden")
    dl = el(section, "dl", cls="letter-meta")
    dl.text = "\n"
    for key, people in (("senders", doc.senders), ("recipients", doc.recipients)):
        filter_name = labels[key]
        names = _names(people)
        if not names:
            continue
        dd = _row(dl, labels[key])
        for k, name in enumerate(names):
            span = el(dd, "span", name, data_pagefind_filter=filter_name)
            if differing_language(name, site.edition.language):
                span.set("lang", differing_language(name, site.edition.language))
            span.tail = ", " if k + 1 < len(names) else None
    if doc.date is not None:
        dd = _row(dl, labels["date"])
        time = el(dd, "time", doc.date.text, datetime=doc.date.iso) if doc.date.iso else None
        if time is None:
            dd.text = safe(doc.date.text)
        notes = [q for q in (doc.date.qualifier,) if q]
        if doc.date.supplied:
            notes.append(labels["date_supplied"])
        if notes:
            el(dd, "span", f" ({'; '.join(notes)})", cls="certainty")
    place = next((d.place for d in doc.dispatch if d.place), None)
    if place:
        _row(dl, labels["place"]).text = safe(place)
    dd = _row(dl, labels["kind"])
    dd.text = safe(kind_of(doc, labels))
    dd.set("data-pagefind-filter", labels["kind"])
    forms = [a.form for a in doc.archive if a.form]
    if forms:
        _row(dl, labels["form"]).text = safe("; ".join(forms))
    if doc.transmission:
        _row(dl, labels["transmission"]).text = safe(" ".join(p.text for p in doc.transmission))
    if doc.dispatch:
        _row(dl, labels["dispatch"]).text = safe(" / ".join(p.text for p in doc.dispatch))
    for ref in doc.archive:
        dd = _row(dl, labels["archive"])
        fields = [(labels[k], getattr(ref, k)) for k in ("repository", "fond", "opis", "delo", "folios")
                  if getattr(ref, k)]
        if fields:
            for k, (name, value) in enumerate(fields):
                span = el(dd, "span", f"{name} {value}", cls="shelfmark")
                span.tail = ", " if k + 1 < len(fields) else None
        else:
            dd.text = safe(ref.text)
    if not doc.archive and doc.archive_text:
        _row(dl, labels["archive"]).text = safe(doc.archive_text)
    number = document_number(doc)
    if number:
        _row(dl, labels["doc_number"]).text = safe(number)


def letter_text(parent: etree._Element, doc: Document, notes: Notes, lang: str) -> etree._Element:
    """The document's parts in reading order, with the EPUB's classes."""
    section = nl(el(parent, "section", cls="document letter-text"))
    section.text = "\n"
    for role, block in doc.iter_blocks():
        if isinstance(block, Enclosure):
            quote = nl(el(section, "blockquote", cls=ENCLOSURE_CLASSES[role]))
            quote.text = "\n"
            for p in block.paragraphs:
                notes.paragraph(quote, p, "enclosure-line", lang)
        else:
            notes.paragraph(section, block, role, lang)
    return section


def _neighbour(li_parent: etree._Element, site: Site, page: Page, doc: Optional[Document], label: str,
               rel: str) -> None:
    li = el(li_parent, "li", cls=rel)
    if doc is None:
        return
    el(li, "span", label, cls="nav-label")
    li[-1].tail = " "
    a = el(li, "a", f"{site.number(doc)}. {doc.heading}", href=page.root + letter_href(doc.id), rel=rel)
    if differing_language(doc.heading, site.edition.language):
        a.set("lang", differing_language(doc.heading, site.edition.language))


def machine_metadata(doc: Document, site: Site, href: str) -> Head:
    """citation_* tags (Zotero, Google Scholar), Dublin Core and the canonical link."""
    e = site.edition
    title = f"{site.number(doc)}. {doc.heading}"
    meta = [("description", f"{doc.heading}. {e.title}")]
    meta.append(("citation_title", doc.heading))
    for name in _names(doc.senders):
        meta.append(("citation_author", name))
    if doc.date and doc.date.iso:
        meta.append(("citation_date", doc.date.iso.replace("-", "/")))
    meta.append(("citation_inbook_title", e.title))
    for editor in e.editors:
        meta.append(("citation_editor", editor))
    pub = e.publication
    if pub and pub.publisher:
        meta.append(("citation_publisher", pub.publisher))
    meta.append(("citation_online_date", site.build_date.replace("-", "/")))
    meta.append(("citation_language", e.language))
    url = site.absolute(href)
    if url:
        meta.append(("citation_public_url", url))
        meta.append(("citation_fulltext_html_url", url))
    meta.append(("DC.title", doc.heading))
    for name in _names(doc.senders):
        meta.append(("DC.creator", name))
    for name in _names(doc.recipients):
        meta.append(("DC.contributor", name))
    if doc.date and doc.date.iso:
        meta.append(("DC.date", doc.date.iso))
    meta.append(("DC.type", "Text"))
    meta.append(("DC.language", e.language))
    meta.append(("DC.relation.isPartOf", e.title))
    if doc.archive_text or doc.archive:
        meta.append(("DC.source", doc.archive_text or "; ".join(a.text for a in doc.archive)))
    if pub and pub.rights:
        meta.append(("DC.rights", pub.rights))
    meta.append(("DC.identifier", url or href))
    return Head(f"{title} — {e.title}", meta, canonical=url, dublin_core=True)


def letter_page(doc: Document, site: Site, nav, index_words, downloads: tuple[str, str]) -> Page:
    """`index_words`: the extra words the search should find the letter by (search.py), or
    None; `downloads`: the file names of its TEI and JSON, beside the page."""
    labels = site.labels
    lang = site.edition.language
    href = letter_href(doc.id)
    page = new_page(letter_path(doc.id), lang, machine_metadata(doc, site, href), site.edition.title, nav,
                    labels["nav"], scripts=("assets/notes.js",))
    article = nl(el(page.main, "article", cls="letter", data_pagefind_body=""))
    article.text = "\n"
    date = doc.date.iso if doc.date and doc.date.iso else "9999"
    article.set("data-pagefind-sort", f"date:{date}")
    year = year_of(doc)
    if year:
        article.set("data-pagefind-filter", f"{labels['year']}:{year}")
    doc_lang = differing_language(" ".join([doc.heading] + [p.text for _, p in doc.iter_parts()][:3]), lang)
    if doc_lang:
        article.set("lang", doc_lang)
    h1 = nl(el(article, "h1"))
    el(h1, "span", f"{site.number(doc)}. ", cls="doc-number")
    heading_with_supplied(h1, doc.heading)
    metadata_panel(article, doc, site)
    notes = Notes(site.numbers.for_document(doc), labels)
    letter_text(article, doc, notes, doc_lang or lang)
    notes.list(article, doc.footnotes, labels["notes"], "notes-h")
    if index_words:
        hidden = nl(el(article, "div", f"{LEMMAS} {index_words}", hidden="hidden", data_pagefind_weight="0.1"))
        hidden.set("aria-hidden", "true")

    n = site.neighbours[doc.id]
    nav_el = nl(el(page.main, "nav", cls="letter-nav", aria_label=labels["letter_nav"]))
    ul = el(nav_el, "ul")
    _neighbour(ul, site, page, n.prev_date, labels["prev_date"], "prev")
    _neighbour(ul, site, page, n.next_date, labels["next_date"], "next")
    ul2 = el(nav_el, "ul", cls="pair")
    between = " — ".join(sorted(_names(doc.senders) + _names(doc.recipients)))
    _neighbour(ul2, site, page, n.prev_pair, f"{labels['prev_pair']} {between}:", "prev")
    _neighbour(ul2, site, page, n.next_pair, f"{labels['next_pair']} {between}:", "next")

    cite = nl(el(page.main, "details", cls="cite", id="cite"))
    el(cite, "summary", labels["cite"])
    el(cite, "p", site.citation(doc, href), cls="citation")
    url = site.absolute(href)
    if url:
        p = el(cite, "p", cls="permalink")
        el(p, "a", url, href=url)
    dl = nl(el(page.main, "section", cls="downloads", aria_labelledby="downloads-h"))
    el(dl, "h2", labels["downloads"], id="downloads-h")
    ul = el(dl, "ul")
    for label, name in zip((labels["tei"], labels["json"]), downloads):
        el(el(ul, "li"), "a", label, href=url_segment(name), download="")
    return page
