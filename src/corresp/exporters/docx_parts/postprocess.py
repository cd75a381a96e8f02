"""What pandoc cannot write, added to its DOCX with lxml in one linear pass.

Note labels. Word's and LibreOffice's automatic footnote numbers cannot both be made to
restart per document: LibreOffice (7.4) ignores w:numRestart="eachSect". So every reference
becomes a custom mark, `<w:footnoteReference w:customMarkFollows="1"/>` followed by the label
from corresp.numbering, and the note keeps its `<w:footnoteRef/>`: LibreOffice shows the
custom mark there too. (A literal label in the note instead would print twice in LibreOffice.)

Sections. With per-document numbering each chapter introduction and each document ends a
continuous section whose footnote numbering restarts, so Word's own counter agrees with the
labels; with continuous numbering the whole edition is one section numbered straight through.

The archive is then written canonically (pandoc's member order, timestamps from
SOURCE_DATE_EPOCH, fixed permissions), so equal input gives equal bytes.
"""
from __future__ import annotations

import copy
import datetime as dt
import zipfile
from pathlib import Path

from lxml import etree

from ...errors import ExportError
from .styles import DOCUMENT_HEADING, style_id

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CONTAINER_STARTS = frozenset({"Heading1", style_id(DOCUMENT_HEADING)})
# Children of w:sectPr that precede w:footnotePr / w:type in the schema's sequence.
_BEFORE_FOOTNOTE_PR = frozenset({W + "headerReference", W + "footerReference"})
_BEFORE_TYPE = _BEFORE_FOOTNOTE_PR | {W + "footnotePr", W + "endnotePr"}


def _set_child(sect: etree._Element, tag: str, after: frozenset[str]) -> etree._Element:
    """The child `tag` of sectPr, created at its schema position if missing."""
    el = sect.find(W + tag)
    if el is None:
        el = etree.Element(W + tag)
        index = 0
        for i, child in enumerate(sect):
            if child.tag in after:
                index = i + 1
        sect.insert(index, el)
    return el


def _footnote_restart(sect: etree._Element, restart: str) -> None:
    pr = _set_child(sect, "footnotePr", _BEFORE_FOOTNOTE_PR)
    for old in pr.findall(W + "numRestart"):
        pr.remove(old)
    etree.SubElement(pr, W + "numRestart").set(W + "val", restart)


def mark_references(document: etree._Element, labels: list[str]) -> None:
    """Turn the n-th footnote reference into a custom mark showing labels[n]."""
    refs = list(document.iter(W + "footnoteReference"))
    if len(refs) != len(labels):
        raise ExportError(f"pandoc wrote {len(refs)} footnote references for {len(labels)} notes")
    for ref, label in zip(refs, labels):
        ref.set(W + "customMarkFollows", "1")
        mark = etree.Element(W + "t")
        mark.text = label
        ref.addnext(mark)  # in the reference's run, so it takes the Footnote Reference style


def split_sections(document: etree._Element, per_document: bool) -> None:
    body = document.find(W + "body")
    final = body.find(W + "sectPr")
    if final is None:
        final = etree.SubElement(body, W + "sectPr")
    # Continuous: a document's notes follow the previous one on the same page.
    _set_child(final, "type", _BEFORE_TYPE).set(W + "val", "continuous")
    _footnote_restart(final, "eachSect" if per_document else "continuous")
    if not per_document:
        return
    template = copy.deepcopy(final)
    previous = None
    for child in body:
        if child.tag != W + "p":
            continue
        style = child.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(W + "val") in CONTAINER_STARTS and previous is not None:
            ppr = previous.find(W + "pPr")
            if ppr is None:
                ppr = etree.Element(W + "pPr")
                previous.insert(0, ppr)
            ppr.append(copy.deepcopy(template))  # the schema puts sectPr last in pPr (pandoc writes no pPrChange)
        previous = child


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    moment = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip starts at 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def postprocess(pandoc_docx: Path, output: Path, labels: list[str], per_document: bool,
                source_date_epoch: int) -> None:
    try:
        source = zipfile.ZipFile(pandoc_docx)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ExportError(f"pandoc wrote no readable DOCX: {exc}") from None
    stamp = _zip_time(source_date_epoch)
    with source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                document = etree.fromstring(data, etree.XMLParser(huge_tree=True))
                mark_references(document, labels)
                split_sections(document, per_document)
                data = _xml(document)
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 3
            out.writestr(member, data, compresslevel=6)
