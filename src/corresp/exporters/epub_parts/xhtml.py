"""The XHTML skeleton every page of the book shares, built with lxml and serialized to bytes.

Pages are handed to ebooklib as finished bytes: ebooklib's own EpubHtml re-parses content with
an HTML parser and rebuilds the page from a template, which drops attributes on <body> and the
<head> we write. Text goes in through lxml, so `<`, `&` and `]]>` in the source are escaped
by the serializer, never by us.
"""
from __future__ import annotations

import re
from typing import Optional

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}

EPUB_TYPE = f"{{{EPUB_NS}}}type"
XML_LANG = f"{{{XML_NS}}}lang"

# Characters XML 1.0 cannot hold at all (C0 controls other than tab/newline/CR, lone
# surrogates, U+FFFE/U+FFFF). lxml refuses them; we replace them so one stray byte of OCR
# noise cannot sink the whole book, and the exporter reports that it did.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub("\ufffd", text)


def has_unsafe_characters(text: str) -> bool:
    return _NOT_XML.search(text) is not None


def el(parent: etree._Element, tag: str, text: Optional[str] = None, cls: Optional[str] = None,
       **attrs: str) -> etree._Element:
    """A child element in the XHTML namespace; `cls` becomes the class attribute."""
    child = etree.SubElement(parent, f"{{{XHTML_NS}}}{tag}")
    if cls:
        child.set("class", cls)
    for name, value in attrs.items():
        child.set(name.replace("_", "-"), value)
    if text is not None:
        child.text = xml_safe(text)
    return child


def set_lang(element: etree._Element, lang: str) -> None:
    """EPUB reading systems look at xml:lang, browsers and screen readers at lang: set both."""
    element.set("lang", lang)
    element.set(XML_LANG, lang)


def new_page(title: str, lang: str, css_href: str) -> tuple[etree._Element, etree._Element]:
    """An empty page: returns (html, body)."""
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap=NSMAP)
    set_lang(html, lang)
    head = el(html, "head")
    el(head, "meta", charset="utf-8")
    el(head, "title", title)
    el(head, "link", rel="stylesheet", type="text/css", href=css_href)
    body = el(html, "body")
    return html, body


def block_break(element: etree._Element) -> etree._Element:
    """A newline after a block element: keeps the files readable in a text editor and
    changes nothing a reader sees (whitespace between blocks is not rendered)."""
    element.tail = "\n"
    return element


def serialize(html: etree._Element, breaks=None) -> bytes:
    """`breaks`: the printed pages (page_list.PageBreaks) the page was marked with, if any:
    markers due inside a paragraph go to their word first."""
    if breaks is not None:
        from .page_list import settle
        settle(html, breaks.take_pending(html))
    return etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")
