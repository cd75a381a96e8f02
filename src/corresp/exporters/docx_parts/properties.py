"""The DOCX's core properties (File > Properties in Word and LibreOffice): title, subject,
authors, language, description, written whole (pandoc would take the title from the title
block it writes; the DOCX's title page is ours, docx_parts.front_matter)."""
from __future__ import annotations

import datetime as dt

from lxml import etree

from ...metadata import publication
from ...model import Edition

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def edition_properties(edition: Edition) -> dict[str, str]:
    pub = publication(edition)
    return {"title": edition.title, "subject": edition.subtitle or "", "creator": "; ".join(edition.editors),
            "language": edition.language, "description": pub.series or "",
            "publisher": pub.publisher or ""}


def core_properties(props: dict[str, str], epoch: int) -> bytes:
    root = etree.Element(f"{{{CP}}}coreProperties", nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI})
    for ns, name in ((DC, "title"), (DC, "subject"), (DC, "creator"), (DC, "description"), (DC, "language")):
        if props.get(name):
            etree.SubElement(root, f"{{{ns}}}{name}").text = props[name]
    moment = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("created", "modified"):
        el = etree.SubElement(root, f"{{{DCTERMS}}}{name}")
        el.set(f"{{{XSI}}}type", "dcterms:W3CDTF")
        el.text = moment
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
