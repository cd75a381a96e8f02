"""EPUB → documents and notes, as a reader sees them: each document section in spine order,
its heading, and its notes (the aside's visible number, its text). Every noteref must show
its note's number and resolve to it; every backlink must resolve."""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from . import DocNotes, norm

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container"}


def _text(el) -> str:
    return norm("".join(el.itertext()))


def read(path: Path) -> list[DocNotes]:
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(".//c:rootfile", NS).get("full-path")
        opf = etree.fromstring(z.read(opf_path))
        base = posixpath.dirname(opf_path)
        manifest = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
        docs: list[DocNotes] = []
        for ref in opf.iterfind(".//opf:spine/opf:itemref", NS):
            href = posixpath.join(base, manifest[ref.get("idref")])
            page = etree.fromstring(z.read(href))
            ids = {el.get("id"): el for el in page.iter() if el.get("id")}
            for section in page.iterfind(".//x:section", NS):
                if "document" not in (section.get("class") or "").split():
                    continue
                heading = section.find(".//x:h1", NS)
                for tag in ("h2", "h3", "h4"):
                    heading = heading if heading is not None else section.find(f".//x:{tag}", NS)
                doc = DocNotes(section.get("id"), _text(heading) if heading is not None else "")
                for aside in section.iterfind(".//x:aside", NS):
                    if "footnote" not in (aside.get("{http://www.idpf.org/2007/ops}type") or ""):
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
                refs = [a for a in section.iterfind(".//x:a", NS)
                        if "noteref" in (a.get("{http://www.idpf.org/2007/ops}type") or "")]
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
                docs.append(doc)
    return docs
