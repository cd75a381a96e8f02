"""Helpers for the docx reader's tests: edit a DOCX's XML as Word would (lxml), and write an
editor's own Word manuscript (Normal paragraphs, real footnotes) from a parsed edition."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable, Optional

from lxml import etree

from corresp.model import Edition, NoteRef, Text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NS = {"w": W_NS}


def rewrite(src: Path, dst: Path, edits: dict[str, Callable[[etree._Element], None]],
            add: Optional[dict[str, bytes]] = None) -> Path:
    """A copy of `src` with each named part edited in place by its function."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in (add or {}):
                continue  # replaced whole
            data = zin.read(info.filename)
            if info.filename in edits:
                root = etree.fromstring(data)
                edits[info.filename](root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def w(tag: str, **attrs) -> etree._Element:
    el = etree.Element(W + tag)
    for k, v in attrs.items():
        el.set(W + k, v)
    return el


def run(text: str) -> etree._Element:
    r = w("r")
    t = etree.SubElement(r, W + "t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def paragraph(style: Optional[str], *children) -> etree._Element:
    p = w("p")
    if style:
        ppr = etree.SubElement(p, W + "pPr")
        etree.SubElement(ppr, W + "pStyle").set(W + "val", style)
    for c in children:
        p.append(run(c) if isinstance(c, str) else c)
    return p


def note_reference(note_id: str) -> etree._Element:
    """A reference as Word writes one: automatic number, Footnote Reference style."""
    r = w("r")
    rpr = etree.SubElement(r, W + "rPr")
    etree.SubElement(rpr, W + "rStyle").set(W + "val", "FootnoteReference")
    etree.SubElement(r, W + "footnoteReference").set(W + "id", note_id)
    return r


def footnote(note_id: str, text: str) -> etree._Element:
    fn = w("footnote", id=note_id)
    p = etree.SubElement(fn, W + "p")
    ppr = etree.SubElement(p, W + "pPr")
    etree.SubElement(ppr, W + "pStyle").set(W + "val", "FootnoteText")
    mark = w("r")
    etree.SubElement(etree.SubElement(mark, W + "rPr"), W + "rStyle").set(W + "val", "FootnoteReference")
    etree.SubElement(mark, W + "footnoteRef")
    p.append(mark)
    p.append(run(" " + text))
    return fn


def paragraphs(document: etree._Element) -> list[etree._Element]:
    return list(document.iter(W + "p"))


def style_of(p: etree._Element) -> Optional[str]:
    s = p.find("w:pPr/w:pStyle", NS)
    return s.get(W + "val") if s is not None else None


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def find(document: etree._Element, style: str, contains: str = "") -> etree._Element:
    for p in paragraphs(document):
        if style_of(p) == style and contains in text_of(p):
            return p
    raise LookupError(f"no {style} paragraph with {contains!r}")


def set_text(p: etree._Element, text: str) -> None:
    """The paragraph's text replaced, its note references kept at the end."""
    refs = [r for r in p.iterfind("w:r", NS) if r.find("w:footnoteReference", NS) is not None]
    for r in p.iterfind("w:r", NS):
        p.remove(r)
    p.append(run(text))
    for r in refs:
        p.append(r)


def set_style(p: etree._Element, style: str) -> None:
    ppr = p.find("w:pPr", NS)
    if ppr is None:
        ppr = etree.SubElement(p, W + "pPr")
        p.insert(0, ppr)
    s = ppr.find("w:pStyle", NS)
    if s is None:
        s = etree.Element(W + "pStyle")
        ppr.insert(0, s)
    s.set(W + "val", style)


# --- an editor's own manuscript --------------------------------------------------------

_CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
</Types>"""
_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOC_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
</Relationships>"""
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>""".encode()


def manuscript(edition: Edition, path: Path, heading2: int = 1) -> Path:
    """The edition as an editor types it in Word: every line a Normal paragraph (the heading
    of document `heading2` in Heading 2), each note a real footnote at its marker."""
    body = w("body")
    notes = etree.Element(W + "footnotes", nsmap={"w": W_NS})
    for k, kind in ((-1, "separator"), (0, "continuationSeparator")):
        sep = w("footnote", id=str(k), type=kind)
        etree.SubElement(etree.SubElement(etree.SubElement(sep, W + "p"), W + "r"), W + kind)
        notes.append(sep)
    next_id = [1]

    def add(texts_and_refs, style=None, note_texts=None):
        p = paragraph(style)
        for item in texts_and_refs:
            if isinstance(item, Text):
                p.append(run(item.text))
            elif isinstance(item, NoteRef):
                nid = str(next_id[0])
                next_id[0] += 1
                p.append(note_reference(nid))
                notes.append(footnote(nid, note_texts[item.number]))
            else:
                p.append(run(item))
        body.append(p)

    position = 0
    for chapter in edition.chapters:
        add([chapter.title])
        intro_notes = {n.number: n.text for n in chapter.notes}
        for p in chapter.intro:
            add(p.content, note_texts=intro_notes)
        for doc in chapter.documents:
            position += 1
            add([doc.heading], "Heading2" if position == heading2 else None)
            if doc.archive_text:
                add([f"Archive: {doc.archive_text}"])
            texts = {n.number: n.text for n in doc.footnotes}
            for _, part in doc.iter_parts():
                add(part.content, note_texts=texts)
    document = etree.Element(W + "document", nsmap={"w": W_NS})
    document.append(body)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/styles.xml", _STYLES)
        z.writestr("word/document.xml", etree.tostring(document, xml_declaration=True, encoding="UTF-8"))
        z.writestr("word/footnotes.xml", etree.tostring(notes, xml_declaration=True, encoding="UTF-8"))
    return path
