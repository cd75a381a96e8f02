"""The HTML5 skeleton every page of the web edition shares, built with lxml.

Pages are trees of plain (namespace-less) lxml elements, serialized as HTML with a doctype:
text goes in through lxml, so `<` and `&` in the source are escaped by the serializer. Every
page records the ids it holds and the links it makes, so the site can be checked for links
that lead nowhere before anything is published (web_parts/links.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import quote

from lxml import etree

# What HTML cannot hold (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) is
# replaced as in the EPUB, by the same function, so one stray byte cannot sink the site.
from ..epub_parts.xhtml import xml_safe as safe


def el(parent: Optional[etree._Element], tag: str, text: Optional[str] = None, cls: Optional[str] = None,
       **attrs: Optional[str]) -> etree._Element:
    """A child element (or a root when `parent` is None); `cls` becomes the class, `data_x`
    becomes `data-x`; attributes given None are left out."""
    child = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    if cls:
        child.set("class", cls)
    for name, value in attrs.items():
        if value is not None:
            child.set(name.rstrip("_").replace("_", "-"), safe(value))
    if text is not None:
        child.text = safe(text)
    return child


def nl(element: etree._Element) -> etree._Element:
    """A newline after a block: the files stay readable in an editor; nothing changes on screen."""
    element.tail = "\n"
    return element


def url_segment(name: str) -> str:
    """A folder name as it appears in a link (percent-encoded UTF-8)."""
    return quote(name, safe="-._~")


@dataclass
class Head:
    """What a page says about itself to machines: title, description, meta tags, canonical."""
    title: str
    meta: list[tuple[str, str]] = field(default_factory=list)  # (name, content), in order
    canonical: Optional[str] = None
    dublin_core: bool = False
    robots: Optional[str] = None
    refresh: Optional[str] = None  # a redirect page: the URL to go to


@dataclass
class Page:
    """One page of the site: its path inside the site (`letters/x/index.html`) and its tree."""
    path: str
    html: etree._Element
    body: etree._Element
    main: etree._Element

    @property
    def root(self) -> str:
        """The relative way from this page up to the site's root ("" or "../../")."""
        return "../" * self.path.count("/")

    def serialize(self) -> bytes:
        return b"<!DOCTYPE html>\n" + etree.tostring(self.html, encoding="utf-8", method="html") + b"\n"


def new_page(path: str, lang: str, head: Head, site_title: str, nav: list[tuple[str, str]], nav_label: str,
             current: Optional[str] = None, scripts: tuple[str, ...] = ()) -> Page:
    """An empty page with the site's header, navigation and footer; returns the Page, whose
    `main` the caller fills. `nav`: (label, path from the root) for each edition page."""
    root = "../" * path.count("/")
    html = el(None, "html", lang=lang)
    html.text = "\n"
    h = nl(el(html, "head"))
    h.text = "\n"
    nl(el(h, "meta", charset="utf-8"))
    nl(el(h, "meta", name="viewport", content="width=device-width, initial-scale=1"))
    nl(el(h, "title", head.title))
    nl(el(h, "link", rel="icon", href="data:,"))  # no favicon.ico to ask the host for
    if head.refresh is not None:
        nl(el(h, "meta", http_equiv="refresh", content=f"0; url={head.refresh}"))
    if head.robots:
        nl(el(h, "meta", name="robots", content=head.robots))
    if head.canonical:
        nl(el(h, "link", rel="canonical", href=head.canonical))
    if head.dublin_core:
        nl(el(h, "link", rel="schema.DC", href="http://purl.org/dc/elements/1.1/"))
    for name, content in head.meta:
        nl(el(h, "meta", name=name, content=content))
    nl(el(h, "link", rel="stylesheet", href=f"{root}assets/edition.css"))
    nl(el(h, "link", rel="stylesheet", href=f"{root}assets/site.css"))
    for src in scripts:
        nl(el(h, "script", "", src=f"{root}{src}", defer="defer"))
    body = nl(el(html, "body"))
    body.text = "\n"
    header = nl(el(body, "header", cls="site"))
    el(header, "a", site_title, cls="site-title", href=root or "./")
    navigation = el(header, "nav", aria_label=nav_label)
    ul = el(navigation, "ul")
    for label, target in nav:
        li = el(ul, "li")
        a = el(li, "a", label, href=f"{root}{target}" or "./")
        if target == current:
            a.set("aria-current", "page")
    main = nl(el(body, "main", id="main"))
    main.text = "\n"
    return Page(path, html, body, main)


def footer(page: Page, text: str) -> None:
    f = nl(el(page.body, "footer", cls="site"))
    el(f, "p", text)
