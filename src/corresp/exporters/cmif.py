"""CMIF: the Correspondence Metadata Interchange Format file correspSearch harvests.

One TEI header: the file's title, editor, publisher, `idno type="url"`, the date of the
build (SOURCE_DATE_EPOCH), the CC-BY 4.0 licence CMIF requires, one `sourceDesc/bibl` for
the edition with a stable UUID as its xml:id (tei_parts.identity), and one `correspDesc`
per document pointing to it (`@source`). Dates are YYYY, YYYY-MM or YYYY-MM-DD attributes
only; names come with authority URIs from `persons.toml` where it gives one, and the build
says how many correspondents have one. Valid against CMIF's RNG and Schematron (tests).

The file's URL is not known to corresp until the edition says where it will be published
(edition.toml's `base_url`): then `idno type="url"` is the web edition's copy
(`BASE/cmif.xml`) and each correspDesc's `@ref` its letter's page (`BASE/letters/<id>/`);
until then `idno type="url"` carries the edition's `urn:uuid:`.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..model import Edition
from . import ExportOptions
from .tei import GENERATOR, build_date, write_edition
from .tei_parts.corresp_desc import cmif_corresp_desc
from .tei_parts.identity import edition_uuid
from .tei_parts.persons import load_authorities, report_coverage
from ..tei_xml import NSMAP, block, sub, tei
from .web_parts.site import letter_href

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = "This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0"


def _bibliography(edition: Edition) -> str:
    parts = [", ".join(edition.editors)] if edition.editors else []
    parts.append(edition.title + (f". {edition.subtitle}" if edition.subtitle else ""))
    sources = [c.source for c in edition.chapters if c.source]
    if sources:
        parts.append("Plain-text sources: " + ", ".join(sources))
    return ". ".join(p.rstrip(".") for p in parts) + "."


def build_tree(edition: Edition, options: ExportOptions) -> etree._Element:
    authorities = load_authorities(options)
    uuid = edition_uuid(edition)
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.text = "\n"
    header = block(sub(root, "teiHeader"))
    header.text = "\n"
    desc = block(sub(header, "fileDesc"))
    titles = block(sub(desc, "titleStmt"))
    sub(titles, "title", f"Correspondence metadata: {edition.title}")
    sub(titles, "editor", ", ".join(edition.editors) or GENERATOR)
    publication = block(sub(desc, "publicationStmt"))
    sub(publication, "publisher", ", ".join(edition.editors) or GENERATOR)
    base = options.base_url
    sub(publication, "idno", f"{base}cmif.xml" if base else f"urn:uuid:{uuid}", type="url")
    sub(publication, "date", when=build_date(options))
    sub(sub(publication, "availability"), "licence", LICENCE, target=CC_BY)
    source = block(sub(desc, "sourceDesc"))
    sub(source, "bibl", _bibliography(edition), type="print", xml_id=uuid)
    profile = block(sub(header, "profileDesc"))
    profile.text = "\n"
    for doc in edition.documents:
        desc = block(cmif_corresp_desc(profile, doc, uuid, authorities))
        if base:
            desc.set("ref", base + letter_href(doc.id))
    body = sub(block(sub(root, "text")), "body")
    sub(body, "p")
    report_coverage("cmif", authorities, edition, options)
    return root


class CmifExporter:
    name = "cmif"
    extension = ".cmif.xml"
    description = "CMIF letter metadata for correspSearch: correspDesc per letter, stable edition UUID"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        write_edition(build_tree, edition, path, options, self.name, "CMIF")
