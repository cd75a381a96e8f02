"""The pages of the edition as a whole: home (title, editors, the chapters with their
introductions), one page per chapter (its introduction, editorial notes and letters), the
calendar by year and month, the register of correspondents (each with the letters sent
and received), the about page (edition.toml), the search page, and redirect pages for
letters that moved (redirects.toml)."""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from lxml import etree

from ...correspondents import correspondents, sent_and_received
from ...model import Document
from .site import differing_language  # cached: headings and names recur on many pages
from .html import Head, Page, el, new_page, nl, url_segment
from .labels import month_name
from .letter import Notes
from .site import Site, letter_href
from .search import BUNDLE

NAV = (("home", ""), ("calendar", "calendar/"), ("register", "correspondents/"), ("search", "search/"),
       ("about", "about/"))


def nav_of(site: Site) -> list[tuple[str, str]]:
    return [(site.labels[key], target) for key, target in NAV]


def _page(site: Site, path: str, title: str, current: Optional[str], scripts=(), robots=None) -> Page:
    href = path.removesuffix("index.html")
    head = Head(title if not href else f"{title} — {site.edition.title}", canonical=site.absolute(href),
                robots=robots, meta=[("description", f"{title}. {site.edition.title}")])
    return new_page(path, site.edition.language, head, site.edition.title, nav_of(site), site.labels["nav"],
                    current, scripts)


def _letter_link(parent: etree._Element, site: Site, page: Page, doc: Document, text: Optional[str] = None):
    a = el(parent, "a", text or f"{site.number(doc)}. {doc.heading}", href=page.root + letter_href(doc.id))
    lang = differing_language(doc.heading, site.edition.language) if text is None else None
    if lang:
        a.set("lang", lang)
    return a


def chapter_path(ci: int) -> str:
    return f"chapters/{ci + 1}/index.html"


def home_page(site: Site) -> Page:
    e = site.edition
    page = _page(site, "index.html", e.title, "")
    h1 = nl(el(page.main, "h1", e.title))
    if differing_language(e.title, e.language):
        h1.set("lang", differing_language(e.title, e.language))
    if e.subtitle:
        nl(el(page.main, "p", e.subtitle, cls="subtitle"))
    if e.editors:
        nl(el(page.main, "p", f"{site.labels['editors']} {', '.join(e.editors)}", cls="editors"))
    nl(el(page.main, "h2", site.labels["chapters"]))
    for ci, chapter in enumerate(e.chapters):
        section = nl(el(page.main, "section", cls="chapter-summary"))
        h3 = el(section, "h3")
        el(h3, "a", chapter.title, href=chapter_path(ci).removesuffix("index.html"))
        for p in chapter.intro:
            nl(el(section, "p", p.text, cls="intro"))
        nl(el(section, "p", site.labels["count_letters"].format(n=len(chapter.documents)), cls="count"))
    return page


def chapter_page(site: Site, ci: int) -> Page:
    chapter = site.edition.chapters[ci]
    page = _page(site, chapter_path(ci), chapter.title, None)
    nl(el(page.main, "h1", chapter.title))
    notes = Notes(site.numbers.for_intro(ci, chapter), site.labels)
    if chapter.intro:
        intro = nl(el(page.main, "section", cls="intro"))
        intro.text = "\n"
        for p in chapter.intro:
            notes.paragraph(intro, p, "intro", site.edition.language)
        notes.list(page.main, chapter.notes, site.labels["chapter_notes"], "notes-h")
    nl(el(page.main, "h2", site.labels["letters"]))
    ol = nl(el(page.main, "ol", cls="letters"))
    for doc in chapter.documents:
        _letter_link(el(ol, "li"), site, page, doc)
    return page


def _months(docs: list[Document]):
    """(year, month or None, letters) in date order; undated letters under (None, None)."""
    groups: dict[tuple, list[Document]] = defaultdict(list)
    for d in docs:
        iso = d.date.iso if d.date and d.date.iso else None
        year = iso[:4] if iso else None
        month = int(iso[5:7]) if iso and len(iso) >= 7 else None
        groups[(year, month)].append(d)
    return sorted(groups.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or "", kv[0][1] or 0))


def calendar_pages(site: Site) -> list[Page]:
    """calendar/: the years and months, linked; calendar/<year>/: its letters by month."""
    labels = site.labels
    groups = _months(site.by_date)
    years: dict[Optional[str], list] = defaultdict(list)
    for (year, month), docs in groups:
        years[year].append((month, docs))
    index = _page(site, "calendar/index.html", labels["calendar"], "calendar/")
    nl(el(index.main, "h1", labels["calendar"]))
    ul = nl(el(index.main, "ul", cls="years"))
    pages = [index]
    for year, months in years.items():
        folder = year or "undated"
        li = el(ul, "li")
        el(li, "a", year or labels["undated"], href=f"{folder}/", cls="year")
        li[-1].tail = ": "
        for k, (month, docs) in enumerate(months):
            name = month_name(labels, month) if month else (labels["undated"] if year is None else year)
            a = el(li, "a", f"{name} ({len(docs)})", href=f"{folder}/#{_month_id(month)}")
            a.tail = ", " if k + 1 < len(months) else None
        page = _page(site, f"calendar/{folder}/index.html", f"{labels['calendar']}: {year or labels['undated']}",
                     None)
        nl(el(page.main, "h1", f"{labels['calendar']}: {year or labels['undated']}"))
        for month, docs in months:
            name = month_name(labels, month) if month else (labels["undated"] if year is None else year)
            nl(el(page.main, "h2", name, id=_month_id(month)))
            table = nl(el(page.main, "table", cls="calendar"))
            head = el(el(table, "thead"), "tr")
            for text in (labels["no"], labels["date"], labels["letters"]):
                el(head, "th", text, scope="col")
            body = el(table, "tbody")
            for d in docs:
                tr = nl(el(body, "tr"))
                el(tr, "td", str(site.number(d)))
                el(tr, "td", d.date.text if d.date else "")
                _letter_link(el(tr, "td"), site, page, d, d.heading)
        pages.append(page)
    return pages


def _month_id(month: Optional[int]) -> str:
    return f"m{month:02d}" if month else "m00"


def _person_folder(name: str, taken: set[str]) -> str:
    base = "-".join(name.replace("/", " ").replace("\\", " ").split()) or "person"
    base = base if base not in (".", "..") else "person"
    folder, k = base, 2
    while folder.lower() in taken:
        folder, k = f"{base}-{k}", k + 1
    taken.add(folder.lower())
    return folder


def register_pages(site: Site) -> list[Page]:
    """correspondents/: every person (nominative names), with counts; one page each with
    the letters they sent and those they received."""
    labels = site.labels
    entries = correspondents(site.edition)
    index = _page(site, "correspondents/index.html", labels["register"], "correspondents/")
    nl(el(index.main, "h1", labels["register"]))
    ul = nl(el(index.main, "ul", cls="register"))
    ul.text = "\n"
    pages = [index]
    taken: set[str] = set()
    for entry in entries:
        folder = _person_folder(entry.name, taken)
        sent, received = sent_and_received(entry)
        li = nl(el(ul, "li"))
        a = el(li, "a", entry.name, href=f"{url_segment(folder)}/")
        if differing_language(entry.name, site.edition.language):
            a.set("lang", differing_language(entry.name, site.edition.language))
        a.tail = f" — {labels['sent']} {len(sent)}, {labels['received']} {len(received)}"
        page = _page(site, f"correspondents/{folder}/index.html", entry.name, None)
        nl(el(page.main, "h1", entry.name))
        for word, docs in ((labels["sent"], sent), (labels["received"], received)):
            if not docs:
                continue
            nl(el(page.main, "h2", f"{word[:1].upper()}{word[1:]} ({len(docs)})"))
            ol = nl(el(page.main, "ul", cls="letters"))
            for d in docs:
                _letter_link(el(ol, "li"), site, page, d)
        pages.append(page)
    return pages


def about_page(site: Site, has_cmif: bool) -> Page:
    e, labels = site.edition, site.labels
    page = _page(site, "about/index.html", labels["about"], "about/")
    nl(el(page.main, "h1", labels["about"]))
    dl = nl(el(page.main, "dl", cls="about"))
    pub = e.publication

    def row(term: str, value: Optional[str]):
        if value:
            el(dl, "dt", term)
            nl(el(dl, "dd", value))
    row(labels["home"], e.title + (f". {e.subtitle}" if e.subtitle else ""))
    row(labels["editors"], ", ".join(e.editors))
    if pub is not None:
        row(labels["translators"], ", ".join(pub.translators))
        row(labels["series"], pub.series)
        row(labels["publisher"], ", ".join(x for x in (pub.publisher, pub.place) if x))
        row(labels["published"], pub.date)
        row(labels["rights"], pub.rights)
        if pub.license:
            el(dl, "dt", labels["license"])
            el(nl(el(dl, "dd")), "a", pub.license, href=pub.license)
        for fmt, isbn in pub.isbn.items():
            row(f"{labels['isbn']} ({fmt})", isbn)
    row(labels["sources"], ", ".join(c.source for c in e.chapters if c.source))
    row(labels["version"], site.build_date)
    nl(el(page.main, "h2", labels["cite_page"]))
    nl(el(page.main, "p", site.citation(None, ""), cls="citation"))
    if has_cmif:
        nl(el(page.main, "h2", labels["downloads"]))
        el(el(nl(el(page.main, "ul")), "li"), "a", labels["cmif"], href="../cmif.xml")
    return page


def search_page(site: Site) -> Page:
    labels = site.labels
    page = _page(site, "search/index.html", labels["search"], "search/",
                 scripts=(f"{BUNDLE}/pagefind-ui.js", "assets/search.js"))
    link = el(page.html.find("head"), "link", rel="stylesheet", href=f"{page.root}{BUNDLE}/pagefind-ui.css")
    link.tail = "\n"
    nl(el(page.main, "h1", labels["search"]))
    nl(el(page.main, "div", "", id="search", data_bundle=f"{page.root}{BUNDLE}/"))
    noscript = nl(el(page.main, "noscript"))
    el(noscript, "p", labels["search_needs_js"], cls="no-js")
    return page


def redirect_page(site: Site, old_id: str, new: Document) -> Page:
    from .site import LETTERS, letter_folder
    path = f"{LETTERS}/{letter_folder(old_id)}/index.html"
    target = "../../" + letter_href(new.id)
    head = Head(f"{site.number(new)}. {new.heading} — {site.edition.title}", refresh=target,
                canonical=site.absolute(letter_href(new.id)), robots="noindex")
    page = new_page(path, site.edition.language, head, site.edition.title, nav_of(site), site.labels["nav"])
    nl(el(page.main, "h1", f"{site.number(new)}. {new.heading}"))
    p = nl(el(page.main, "p", f"{site.labels['moved']} "))
    el(p, "a", letter_href(new.id), href=target)
    return page
