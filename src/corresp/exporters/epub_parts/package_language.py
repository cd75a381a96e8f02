"""Give the OPF <package> element the book's language (xml:lang).

DAISY Ace requires it ("epub-lang") so assistive technology knows the language of the
metadata; ebooklib does not write it, so we set it on the OPF ebooklib produced.
"""
from __future__ import annotations

from lxml import etree

from .xhtml import XML_LANG


def opf_with_language(opf: bytes, language: str) -> bytes:
    root = etree.fromstring(opf)
    root.set(XML_LANG, language)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)
