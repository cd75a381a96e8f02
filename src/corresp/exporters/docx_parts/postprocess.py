"""What pandoc cannot write, added to its DOCX with lxml in one pass over each part.

Note labels. Word's and LibreOffice's automatic footnote numbers cannot both be made to
restart per document: LibreOffice (7.4) ignores w:numRestart="eachSect". So every reference
becomes a custom mark, `<w:footnoteReference w:customMarkFollows="1"/>` followed by the label
from corresp.numbering, and the note keeps its `<w:footnoteRef/>`: LibreOffice shows the
custom mark there too. (A literal label in the note instead would print twice in LibreOffice.)

Sections. With per-document numbering each chapter introduction and each document ends a
continuous section whose footnote numbering restarts, so Word's own counter agrees with the
labels; with continuous numbering the whole edition is one section numbered straight through.
Before them, the front matter (title page, copyright page, contents) is a section of its own
with no footer, so no folio; the body's folios start at 1; the index's entries stand in a
two-column section.

Letters' notes. The first note of each document begins with the document's number ("No. 12",
character style "Note Document Label"), so the notes of several letters on one page can be
told apart (LibreOffice shows every custom mark as typed: four notes "1").

Contents (docx_parts.contents): filled here, with hidden bookmarks at the headings and PAGEREF
fields. Core properties (docx_parts.properties): title, creator, subject, language.

The archive is then written canonically (pandoc's member order, timestamps from
SOURCE_DATE_EPOCH, fixed permissions), so equal input gives equal bytes.
"""
from __future__ import annotations

import copy
import datetime as dt
import zipfile
from pathlib import Path
from typing import Optional

from lxml import etree

from ...errors import ExportError
from ...word_styles import NOTE_DOCUMENT_LABEL
from .contents import Styles, check_no_placeholder, fill_contents
from .properties import core_properties
from .source_part import embed_source
from . import splice
from .splice import Cut
from .styles import DOCUMENT_HEADING, style_id

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CONTAINER_STARTS = frozenset({"Heading1", style_id(DOCUMENT_HEADING)})
# Children of w:sectPr that precede w:footnotePr / w:type / w:pgNumType / w:cols in the schema's sequence.
_BEFORE_FOOTNOTE_PR = frozenset({W + "headerReference", W + "footerReference"})
_BEFORE_TYPE = _BEFORE_FOOTNOTE_PR | {W + "footnotePr", W + "endnotePr"}
_BEFORE_PG_NUM = _BEFORE_TYPE | {W + t for t in ("type", "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType")}
_BEFORE_COLS = _BEFORE_PG_NUM | {W + "pgNumType"}
INDEX_ID = "index"  # the index heading's identifier (pandoc_ast.index_blocks): its bookmark
NOTE_LABEL_ID = style_id(NOTE_DOCUMENT_LABEL)


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


def _end_section_at(paragraph: etree._Element, sect: etree._Element) -> None:
    ppr = paragraph.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        paragraph.insert(0, ppr)
    old = ppr.find(W + "sectPr")
    if old is not None:
        ppr.remove(old)
    ppr.append(sect)  # the schema puts sectPr last in pPr (pandoc writes no pPrChange)


def _index_entries_start(body: etree._Element) -> Optional[etree._Element]:
    """The paragraph before the index's entries (its explanation), where one column ends."""
    marks = [b for b in body.iter(W + "bookmarkStart") if b.get(W + "name") == INDEX_ID]  # one walk, not two
    heading = next((b.getparent() for b in marks if b.getparent() is not None and b.getparent().tag == W + "p"), None)
    if heading is None and marks:  # pandoc puts the bookmark before the heading paragraph
        heading = marks[0].getnext()
    return heading.getnext() if heading is not None else None


def split_sections(document: etree._Element, per_document: bool, front_end: Optional[etree._Element] = None,
                   two_column_index: bool = True, styles: Optional[Styles] = None) -> None:
    """Sections: the front matter (title, copyright, contents) ends with a page break into a
    section without folio; the body's first section restarts the folios at 1; with
    per-document notes each chapter introduction and each document is a continuous section
    whose note numbers restart; the index's entries stand in two columns."""
    body = document.find(W + "body")
    final = body.find(W + "sectPr")
    if final is None:
        final = etree.SubElement(body, W + "sectPr")
    # Continuous: a document's notes follow the previous one on the same page.
    _set_child(final, "type", _BEFORE_TYPE).set(W + "val", "continuous")
    _footnote_restart(final, "eachSect" if per_document else "continuous")
    template = copy.deepcopy(final)
    if front_end is not None:
        front = copy.deepcopy(template)
        for ref in front.findall(W + "footerReference") + front.findall(W + "headerReference"):
            front.remove(ref)  # no folio in the front matter (the first section inherits none)
        front.find(W + "type").set(W + "val", "nextPage")
        _end_section_at(front_end, front)
    if per_document:
        styles = Styles(body) if styles is None else styles
        previous, style_of = None, styles.of
        for child in body.iterchildren(W + "p"):  # top-level paragraphs only
            if style_of(child) in CONTAINER_STARTS and previous is not None and previous is not front_end:
                _end_section_at(previous, copy.deepcopy(template))
            previous = child
    explanation = _index_entries_start(body) if two_column_index else None
    last = next((c for c in reversed(body) if c.tag == W + "p"), None)
    if explanation is not None and last is not None and last is not explanation:
        _end_section_at(explanation, copy.deepcopy(template))
        # The entries' section ends at the index's last paragraph and a one-column section
        # (the body's last) follows it: word processors balance the columns of a section
        # closed by a continuous break, and fill the left column alone of the document's last.
        columns = copy.deepcopy(template)
        cols = _set_child(columns, "cols", _BEFORE_COLS)
        cols.set(W + "num", "2")
        cols.set(W + "space", "454")
        _end_section_at(last, columns)
    # The folios start at 1 with the first section after the front matter.
    started = front_end is None
    for child in body:  # top-level paragraphs end sections, and the body's last sectPr
        if child is front_end:
            started = True
            continue
        sect = child if child.tag == W + "sectPr" else child.find(f"{W}pPr/{W}sectPr")
        if started and sect is not None:  # a section's w:type says how IT starts: on a new page
            _set_child(sect, "type", _BEFORE_TYPE).set(W + "val", "nextPage")
            _set_child(sect, "pgNumType", _BEFORE_PG_NUM).set(W + "start", "1")
            break


def label_first_notes(document: etree._Element, footnotes: etree._Element, groups: list[Optional[str]]) -> None:
    """After the mark of the first note of each document, in footnotes.xml, its number ("No. 12") in the
    Note Document Label character style: four notes "1" on one page then say which letter
    each belongs to, in Word and in LibreOffice alike. Readers drop runs in that style."""
    by_id = {fn.get(W + "id"): fn for fn in footnotes.iterfind(W + "footnote")}
    seen: set[str] = set()
    for ref, group in zip(document.iter(W + "footnoteReference"), groups):
        if group is None or group in seen:
            continue
        seen.add(group)
        note = by_id.get(ref.get(W + "id"))
        first = note.find(W + "p") if note is not None else None
        if first is None:
            continue
        run = etree.Element(W + "r")
        etree.SubElement(etree.SubElement(run, W + "rPr"), W + "rStyle").set(W + "val", NOTE_LABEL_ID)
        text = etree.SubElement(run, W + "t")
        text.text = group + "\u2003"  # after the note's number, which LibreOffice always sets first
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        mark = next(first.iter(W + "footnoteRef"), None)
        if mark is not None and mark.getparent().getparent() is first:
            after = mark.getparent()
            space = after.getnext()  # pandoc's space after the mark: the label follows it
            if space is not None and space.tag == W + "r" and not "".join(space.itertext()).strip():
                after = space
            after.addnext(run)
        else:
            ppr = first.find(W + "pPr")
            (ppr.addnext(run) if ppr is not None else first.insert(0, run))


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    moment = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip starts at 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def postprocess(pandoc_docx: Path, output: Path, labels: list[str], per_document: bool,
                source_date_epoch: int, groups: Optional[list[Optional[str]]] = None,
                properties: Optional[dict[str, str]] = None, source_part: Optional[bytes] = None,
                cut: Optional[Cut] = None) -> None:
    """`groups`: per note, in reading order, the label of its document ("No. 12") or None;
    `properties`: the core properties (title, creator, subject, language, description);
    `source_part`: the edition in its source characters, as a Custom XML part (source_part);
    `cut`: the calendar rows and index entries pandoc was not given (splice), put in first;
    splice.Mismatch if pandoc's own first ones are not what ours would be."""
    try:
        source = zipfile.ZipFile(pandoc_docx)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ExportError(f"pandoc wrote no readable DOCX: {exc}") from None
    stamp = _zip_time(source_date_epoch)
    parser = etree.XMLParser(huge_tree=True)
    with source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
        infos = source.infolist()
    xml = parts["word/document.xml"] if cut is None else splice.insert(parts["word/document.xml"], cut)
    document = etree.fromstring(xml, parser)
    del xml
    if cut is not None and not splice.check(document, cut):
        raise splice.Mismatch("pandoc wrote the calendar or the index otherwise than docx_parts.splice")
    footnotes = etree.fromstring(parts["word/footnotes.xml"], parser) if "word/footnotes.xml" in parts else None
    mark_references(document, labels)
    if footnotes is not None and groups:
        label_first_notes(document, footnotes, groups)
        parts["word/footnotes.xml"] = _xml(footnotes)
    note_lengths = {} if footnotes is None else {
        fn.get(W + "id"): sum(len(t.text or "") for t in fn.iter(W + "t")) for fn in footnotes.iterfind(W + "footnote")}
    styles = Styles(document.find(W + "body"))  # asked by both, read once
    front_end = fill_contents(document.find(W + "body"), note_lengths, styles)
    split_sections(document, per_document, front_end, styles=styles)
    parts["word/document.xml"] = _xml(document)
    check_no_placeholder(parts["word/document.xml"])
    if properties is not None:
        parts["docProps/core.xml"] = core_properties(properties, source_date_epoch)
    names = [info.filename for info in infos]
    if source_part is not None:
        names += [n for n in embed_source(parts, source_part) if n not in names]
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out:
        for name in names:
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 3
            out.writestr(member, parts[name], compresslevel=6)
