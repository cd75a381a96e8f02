"""The TEI P5 edition: one TEI document for the whole edition, valid against tei_all.

    teiHeader  fileDesc (title, editors, publication, the source files), profileDesc
               (language, the secretary's hand, one correspDesc per document)
    text/body  a div type="chapter" per chapter, a div type="letter" per document
               (see tei_parts.letter), notes as note place="foot" at their markers

Written with lxml; the same edition and SOURCE_DATE_EPOCH give the same bytes. `corresp
verify` reads it back (verify/tei_reader.py).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from ..errors import ExportError
from ..model import Edition, Text
from . import ExportOptions
from .tei_parts.corresp_desc import tei_corresp_desc
from .tei_parts.identity import edition_uuid
from .tei_parts.letter import SECRETARY_HAND, chapter
from .tei_parts.persons import load_authorities
from ..tei_xml import NSMAP, XML_LANG, XML_NS, block, has_unsafe, serialize, sub, tei, xml_id

GENERATOR = "corresp"


def build_date(options: ExportOptions) -> str:
    return dt.datetime.fromtimestamp(options.source_date_epoch, dt.timezone.utc).date().isoformat()


def file_desc(header: etree._Element, edition: Edition, options: ExportOptions) -> None:
    desc = block(sub(header, "fileDesc"))
    titles = block(sub(desc, "titleStmt"))
    sub(titles, "title", edition.title, type="main")
    if edition.subtitle:
        sub(titles, "title", edition.subtitle, type="sub")
    for editor in edition.editors:
        sub(titles, "editor", editor)
    resp = sub(titles, "respStmt")
    sub(resp, "resp", "TEI encoding generated from the plain-text edition by")
    sub(resp, "name", GENERATOR)
    publication = block(sub(desc, "publicationStmt"))
    sub(publication, "publisher", ", ".join(edition.editors) or GENERATOR)
    sub(publication, "idno", edition_uuid(edition), type="UUID")
    sub(publication, "date", build_date(options), when=build_date(options))
    source = block(sub(desc, "sourceDesc"))
    sources = sub(source, "listBibl")
    for ch in edition.chapters:
        bibl = sub(sources, "bibl", type="source")
        sub(bibl, "title", ch.title)
        if ch.source:
            sub(bibl, "idno", ch.source, type="file")


def profile_desc(header: etree._Element, edition: Edition, options: ExportOptions, authorities) -> None:
    profile = block(sub(header, "profileDesc"))
    profile.text = "\n"
    sub(block(sub(profile, "langUsage")), "language", edition.language, ident=edition.language)
    if any(doc.secretary for doc in edition.documents):
        hands = block(sub(profile, "handNotes"))
        sub(hands, "handNote", "Numbers, times and dates entered by the recipient's secretary",
            xml_id=SECRETARY_HAND)
    for doc in edition.documents:
        block(tei_corresp_desc(profile, doc, xml_id(doc.id), authorities))


def build_tree(edition: Edition, options: ExportOptions) -> etree._Element:
    numbers = options.numbers(edition)
    authorities = load_authorities(options)
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(XML_LANG, edition.language)
    root.text = "\n"
    header = block(sub(root, "teiHeader"))
    header.text = "\n"
    file_desc(header, edition, options)
    profile_desc(header, edition, options, authorities)
    text = block(sub(root, "text"))
    body = sub(text, "body")
    body.text = "\n"
    for ci, ch in enumerate(edition.chapters):
        chapter(body, ci, ch, numbers)
    if not edition.chapters:
        sub(body, "p")  # a body must hold something
    _check_ids(root)
    return root


# Every xml:id of the tree, in document order, gathered by XPath in C rather than by
# visiting each element in Python.
_XML_IDS = etree.XPath("//@xml:id", namespaces={"xml": XML_NS}, smart_strings=False)


def _check_ids(root: etree._Element) -> None:
    ids = _XML_IDS(root)
    if len(set(ids)) == len(ids):
        return
    seen: set[str] = set()
    for value in ids:  # the first one seen twice, as the reader of the file meets it
        if value in seen:
            raise ExportError(f"tei: two elements would share the xml:id {value!r}: rename a document")
        seen.add(value)


def warn_unsafe(edition: Edition, options: ExportOptions, fmt: str) -> None:
    # Each container's texts are searched joined, one regex search for all: what is looked
    # for is single characters, so the join holds one exactly when a piece does.
    for ch in edition.chapters:
        texts = [ch.title, *(p.text for p in ch.intro), *(n.text for n in ch.notes)]
        if has_unsafe("".join(filter(None, texts))):
            options.warnings.append(f"{fmt}: chapter {ch.title!r} holds control characters XML cannot carry; "
                                    'kept as <c type="control" n="U+…">')
        for doc in ch.documents:
            texts = [doc.heading, doc.archive_text, *(a.text for a in doc.archive),
                     *(i.text for _, p in doc.iter_parts() for i in p.content if isinstance(i, Text)),
                     *(n.text for n in doc.footnotes),
                     *doc.requisites, *doc.requisites.values(), *(x.number for x in doc.dispatch),
                     *(x.name for x in (*doc.senders, *doc.recipients))]
            if has_unsafe("".join(filter(None, texts))):
                options.warnings.append(f"{fmt}: document {doc.id} holds control characters XML cannot carry; "
                                        'kept as <c type="control" n="U+…"> (U+FFFD in attributes)')


def write_edition(make_tree, edition: Edition, path: Path, options: ExportOptions, fmt: str, what: str) -> None:
    """The one way the TEI and the CMIF file are written: warn of what XML cannot carry,
    build the tree, write its bytes."""
    warn_unsafe(edition, options, fmt)
    data = serialize(make_tree(edition, options))
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ExportError(f"cannot write the {what} file {path}: {exc.strerror or exc}") from None


class TeiExporter:
    name = "tei"
    extension = ".tei.xml"
    description = "TEI P5 edition: correspDesc per letter, letters as divs, notes at their markers"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        write_edition(build_tree, edition, path, options, self.name, "TEI")
