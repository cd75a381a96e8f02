"""The web edition (`-f web`): a static site in a folder `NAME.web/` that any host serves.

    index.html                 the edition: title, editors, chapters with their introductions
    letters/<id>/index.html    one page per letter (web_parts/letter.py), its URL from its id
    letters/<id>/<id>.tei.xml  the letter's TEI, and its JSON (<id>.json) beside it
    chapters/<n>/              a chapter's introduction, editorial notes and letters
    calendar/, calendar/<year>/  the letters by year and month
    correspondents/, correspondents/<name>/  each person's letters, sent and received
    about/, search/            edition.toml's imprint; Pagefind's search (pagefind/)
    cmif.xml, sitemap.xml      for correspSearch, for search engines
    assets/                    edition.css (the style's epub.css: one stylesheet source), site.css

Every page is built in memory first; links and fragments that lead nowhere fail the build
before a byte is written. Then the files are written, and Pagefind indexes them. The pages
are byte-identical between builds (same edition, same SOURCE_DATE_EPOCH); Pagefind's index
is not guaranteed to be (README). Published whole or not at all by the pipeline (`folder`).
"""
from __future__ import annotations

import tomllib
from importlib.resources import files as package_files
from pathlib import Path
from typing import Optional

from ..errors import ConfigError, ExportError
from ..model import Edition
from . import ExportOptions
from .epub import read_style
from .web_parts import downloads
from .web_parts.edition_pages import (about_page, calendar_pages, chapter_page, home_page, nav_of,
                                      redirect_page, register_pages, search_page)
from .web_parts.html import Page, footer
from .web_parts.letter import letter_page
from .web_parts.links import check_links, page_links, sitemap
from .web_parts.search import BUNDLE, russian_index_words, run_pagefind, wants_lemmas
from .web_parts.site import LETTERS, Site, letter_folder, letter_href

REDIRECTS_FILE = "redirects.toml"
ASSETS = ("site.css", "notes.js", "search.js")


def load_redirects(options: ExportOptions, edition: Edition) -> dict[str, str]:
    """redirects.toml (in the working folder, or `options.redirects`): `"old-id" = "new-id"`
    for each letter whose id changed since a published version."""
    given = getattr(options, "redirects", None)
    path = Path(given) if given else Path.cwd() / REDIRECTS_FILE
    if not path.is_file():
        if given:
            raise ConfigError("no such file", str(path))
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", str(path)) from None
    ids = {d.id for d in edition.documents}
    out: dict[str, str] = {}
    for old, new in data.items():
        if not isinstance(new, str):
            raise ConfigError(f"{old}: the new id must be a string, not {type(new).__name__}", str(path))
        if new not in ids:
            raise ConfigError(f"{old} = {new!r}: no letter of the edition has the id {new!r}", str(path))
        if old in ids:
            raise ConfigError(f"{old}: a letter of the edition still has this id; a redirect would hide it",
                              str(path))
        try:
            letter_folder(old)
        except ExportError as exc:
            raise ConfigError(f"{old}: {exc.message}", str(path)) from None
        out[old] = new
    return out


class SiteFiles:
    """The site in memory: each page's bytes, ids and links; the other files' bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.links: dict[str, tuple[set[str], list[str]]] = {}
        self.sitemap: list[str] = []

    def add_page(self, page: Page, listed: bool = True) -> None:
        if page.path in self.files:
            raise ExportError(f"web: two pages would be written to {page.path}")
        self.links[page.path] = page_links(page.html)
        self.files[page.path] = page.serialize()
        if listed:
            self.sitemap.append(page.path)

    def add(self, path: str, data: bytes) -> None:
        if path in self.files:
            raise ExportError(f"web: two files would be written to {path}")
        self.files[path] = data


def build_site(edition: Edition, options: ExportOptions, source: Optional[Edition] = None) -> SiteFiles:
    """`edition` as the pages show it (in house typography), `source` as the downloads and
    the CMIF keep it (the source's characters; the same edition when not given)."""
    source = source or edition
    if not edition.chapters or not edition.documents:
        raise ExportError("the edition has no letters: nothing to put on a web site")
    base_url = options.base_url
    site = Site.of(edition, options.numbers(edition), options.source_date_epoch, base_url)
    redirects = load_redirects(options, edition)
    out = SiteFiles()
    note = site.labels["footer"]

    def add(page: Page, listed: bool = True) -> None:
        footer(page, note)
        out.add_page(page, listed)

    add(home_page(site))
    for ci in range(len(edition.chapters)):
        add(chapter_page(site, ci))
    for page in calendar_pages(site):
        add(page)
    for page in register_pages(site):
        add(page)
    add(about_page(site, has_cmif=True))
    add(search_page(site))
    nav = nav_of(site)
    lemmas = wants_lemmas(edition.language)
    for chapter, kept in zip(edition.chapters, source.chapters):
        for doc, original in zip(chapter.documents, kept.documents):
            folder = f"{LETTERS}/{letter_folder(doc.id)}"
            names = (f"{doc.id}.tei.xml", f"{doc.id}.json")
            words = None
            if lemmas:
                words = russian_index_words([doc.heading, *(p.text for _, p in doc.iter_parts()),
                                             *(n.text for n in doc.footnotes)])
            add(letter_page(doc, site, nav, words, names))
            out.add(f"{folder}/{names[0]}", downloads.letter_tei(original, kept, source, options, site.numbers))
            out.add(f"{folder}/{names[1]}", downloads.letter_json(original, source, site.numbers,
                                                                  site.absolute(letter_href(doc.id)) or letter_href(doc.id)))
    by_id = {d.id: d for d in edition.documents}
    for old, new in sorted(redirects.items()):
        add(redirect_page(site, old, by_id[new]), listed=False)

    out.add("assets/edition.css", read_style(options))
    here = package_files("corresp.exporters.web_parts")
    for name in ASSETS:
        out.add(f"assets/{name}", (here / name).read_bytes())
    from .cmif import build_tree as cmif_tree
    from ..tei_xml import serialize
    out.add("cmif.xml", serialize(cmif_tree(source, options)))
    out.add("sitemap.xml", sitemap(out.sitemap, base_url, site.build_date))
    if base_url is None:
        options.warnings.append("web: edition.toml has no base_url: the site has no permanent URLs, canonical "
                                "links or absolute sitemap (say where it will live: base_url = \"https://…/\")")
    check_links(out.links, out.files, later=(f"{BUNDLE}/",))
    return out


def write_site(out: SiteFiles, path: Path) -> None:
    try:
        path.mkdir()
        for name, data in sorted(out.files.items()):
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"cannot write the web edition: {exc.strerror or exc}", str(path)) from None


class WebExporter:
    name = "web"
    extension = ".web"
    folder = True  # a folder, published whole (corresp.publish)
    by_default = False  # built when asked for: it needs Pagefind (pip install 'corresp[web]')
    description = "static web edition (a folder): a page per letter, calendar, correspondents, search"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        # The pages in house typography (the copy every presentation format of the build
        # shares, corresp.typography); the letters' TEI and JSON and the CMIF as the source.
        from .. import typography
        site = build_site(typography.presented(edition, options), options, source=edition)
        write_site(site, Path(path))
        run_pagefind(Path(path))
        # The links into the search bundle, checked now that Pagefind has written it.
        bundle = {p.relative_to(path).as_posix() for p in (Path(path) / BUNDLE).rglob("*") if p.is_file()}
        check_links(site.links, set(site.files) | bundle)
