"""EPUB → chapters and documents with their text and notes, as a reader sees them, in spine
order: each chapter's title with its intro's paragraphs and notes, each document section's
heading, paragraphs (markers in place; a marker must lead to its own note in the section,
whose backlink leads back) and notes (the aside's visible number, its text). Every noteref
must show its note's number and resolve to it; every backlink must resolve."""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from . import INTRO, DocNotes, broken_marker, marker, norm

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"


def _text(el) -> str:
    return norm("".join(el.itertext()))


def _read_notes(section, ids: dict, doc: DocNotes) -> None:
    """The asides of `section` (a document, or a chapter's intro) into doc.notes, and its
    noterefs checked against them."""
    for aside in section.iterfind(".//x:aside", NS):
        if "footnote" not in (aside.get(OPS_TYPE) or ""):
            continue
        label_el = aside.find(".//x:a", NS)
        label = _text(label_el) if label_el is not None else ""
        # A note of several paragraphs: one <p> each, read with a space between.
        paras = aside.findall("x:p", NS)
        text = norm(" ".join(_text(p) for p in paras)) if paras else _text(aside)
        if text.startswith(label):
            text = text[len(label):].strip()
        doc.notes.append((label, text))
        back = (label_el.get("href") or "").lstrip("#") if label_el is not None else ""
        if back not in ids:
            doc.notes[-1] = (label, text + " [backlink does not resolve]")
    refs = [a for a in section.iterfind(".//x:a", NS) if "noteref" in (a.get(OPS_TYPE) or "")]
    if len(refs) != len(doc.notes):
        doc.notes.append(("?", f"[{len(refs)} noterefs for {len(doc.notes)} notes]"))
    for a in refs:
        target = ids.get((a.get("href") or "").split("#")[-1])
        if target is None:
            doc.notes.append((_text(a), "[noteref does not resolve]"))
            continue
        shown = target.find(".//x:a", NS)
        if shown is None or _text(shown) != _text(a):
            doc.notes.append((_text(a), "[noteref number differs from its note's]"))


def _leads_to_its_note(a, section, ids: dict) -> bool:
    """The noteref's target is a footnote of the same section showing the same number,
    whose backlink comes back to this noteref."""
    target = ids.get((a.get("href") or "").split("#")[-1])
    if target is None or "footnote" not in (target.get(OPS_TYPE) or ""):
        return False
    if not any(anc is section for anc in target.iterancestors()):
        return False
    shown = target.find(".//x:a", NS)
    return shown is not None and _text(shown) == _text(a) and \
        (shown.get("href") or "").lstrip("#") == (a.get("id") or "")


def _paragraph_text(p, section, ids: dict) -> str:
    """A paragraph as read, each noteref as marker(its number) in place."""
    out = [p.text or ""]
    for child in p:
        if child.tag == f"{{{NS['x']}}}a" and "noteref" in (child.get(OPS_TYPE) or ""):
            label = _text(child)
            out.append(marker(label) if _leads_to_its_note(child, section, ids) else broken_marker(label))
        elif isinstance(child.tag, str):
            out.append("".join(child.itertext()))
        out.append(child.tail or "")
    return norm("".join(out))


def _paragraphs(section, ids: dict, skip=("source",)) -> list[str]:
    """The section's paragraphs, a quotation's one by one; not the notes nor the source line."""
    found = []
    for child in section:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{{{NS['x']}}}p" and not set(_classes(child)) & set(skip):
            found.append(_paragraph_text(child, section, ids))
        elif tag == f"{{{NS['x']}}}blockquote":
            found += [_paragraph_text(q, section, ids) for q in child.iterfind("x:p", NS)]
    return found


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)  # a paragraph of 10 MB too


def read(path: Path) -> list[DocNotes]:
    """Each chapter (title and intro notes, kind INTRO) and its documents, in spine order."""
    from ..files import read_member
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(read_member(z, "META-INF/container.xml"), _PARSER)
        opf_path = container.find(".//c:rootfile", NS).get("full-path")
        opf = etree.fromstring(read_member(z, opf_path), _PARSER)
        base = posixpath.dirname(opf_path)
        manifest = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
        docs: list[DocNotes] = []
        for ref in opf.iterfind(".//opf:spine/opf:itemref", NS):
            href = posixpath.join(base, manifest[ref.get("idref")])
            page = etree.fromstring(read_member(z, href), _PARSER)
            ids = {el.get("id"): el for el in page.iter() if el.get("id")}
            for section in page.iterfind(".//x:section", NS):
                if "chapter" in _classes(section):
                    title = section.find("x:h1", NS)
                    chapter = DocNotes(section.get("id"), _text(title) if title is not None else "", kind=INTRO)
                    intro = next((s for s in section.iterfind("x:section", NS) if "intro" in _classes(s)), None)
                    chapter.paragraphs = []
                    if intro is not None:
                        _read_notes(intro, ids, chapter)
                        chapter.paragraphs = _paragraphs(intro, ids)
                    docs.append(chapter)
                    continue
                if "document" not in _classes(section):
                    continue
                heading = section.find(".//x:h1", NS)
                for tag in ("h2", "h3", "h4"):
                    heading = heading if heading is not None else section.find(f".//x:{tag}", NS)
                doc = DocNotes(section.get("id"), _text(heading) if heading is not None else "")
                _read_notes(section, ids, doc)
                doc.paragraphs = _paragraphs(section, ids)
                docs.append(doc)
    return docs
