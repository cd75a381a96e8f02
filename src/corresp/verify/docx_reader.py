"""DOCX → chapters, documents, their text and notes: each Heading 1 starts a chapter (the
paragraphs and notes before its first document are its intro's), each Heading 2 a document
(its paragraphs but the archive line, each footnote reference a marker in place); each
footnote reference in it contributes (the mark shown in the text, the footnote's text from footnotes.xml)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from ..word_styles import NOTE_DOCUMENT_LABEL, style_id
from . import INTRO, DocNotes, broken_marker, marker, norm

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
NOTE_LABEL = style_id(NOTE_DOCUMENT_LABEL)


def _style(p) -> str:
    s = p.find("w:pPr/w:pStyle", NS)
    return s.get(f"{{{W}}}val") if s is not None else ""


def _level_styles(styles, level: int) -> set[str]:
    """Styles that make a paragraph a heading of `level` (Word's navigation pane): Heading
    `level` itself, styles based on it, and styles with outline level `level` - 1."""
    based, direct = {}, set()
    for s in styles.iterfind("w:style", NS):
        sid = s.get(f"{{{W}}}styleId")
        b = s.find("w:basedOn", NS)
        based[sid] = b.get(f"{{{W}}}val") if b is not None else None
        name = s.find("w:name", NS)
        lvl = s.find("w:pPr/w:outlineLvl", NS)
        if (name is not None and name.get(f"{{{W}}}val", "").lower() == f"heading {level}") or \
                (lvl is not None and lvl.get(f"{{{W}}}val") == str(level - 1)):
            direct.add(sid)
    result = set()
    for sid in based:
        seen, cur = set(), sid
        while cur and cur not in seen:
            if cur in direct:
                result.add(sid)
                break
            seen.add(cur)
            cur = based.get(cur)
    return result


def _level2_styles(styles) -> set[str]:
    return _level_styles(styles, 2)


# Characters Word keeps as elements of their own rather than in w:t.
_SPECIAL = {f"{{{W}}}br": " ",  # a line break: a note of several paragraphs
            f"{{{W}}}tab": "\t", f"{{{W}}}softHyphen": "\u00ad", f"{{{W}}}noBreakHyphen": "\u2011"}


def _run_text(element) -> str:
    """The text of `element` as a reader sees it."""
    return "".join((t.text or "") if t.tag == f"{{{W}}}t" else _SPECIAL[t.tag]
                   for t in element.iter(f"{{{W}}}t", *_SPECIAL))


NOT_TEXT = {"ArchiveLine"}  # paragraphs of a document section that are not its text: the source line


def _paragraph_text(p, shared: set) -> str:
    """A paragraph as read, each footnote reference as marker(the mark it shows) in place;
    one that leads to a footnote another reference leads to as well (a retargeted
    reference) as broken_marker."""
    out, pending = [], None
    for run in p.iter(f"{{{W}}}r"):
        text = _run_text(run)
        ref = run.find("w:footnoteReference", NS)
        if ref is not None:
            show = broken_marker if ref.get(f"{{{W}}}id") in shared else marker
            if text:
                out.append(show(text.strip()))
            else:  # the mark may stand in the next run
                pending = show
            continue
        if pending and text:
            out.append(pending(text.strip()))
            pending = None
            continue
        out.append(text)
    return norm("".join(out))


def _xml(z: zipfile.ZipFile, name: str):
    from ..files import read_member
    return etree.fromstring(read_member(z, name), etree.XMLParser(resolve_entities=False, huge_tree=True))


def read(path: Path) -> list[DocNotes]:
    with zipfile.ZipFile(path) as z:
        body = _xml(z, "word/document.xml")
        notes_xml = _xml(z, "word/footnotes.xml")
        styles = _xml(z, "word/styles.xml")
    heading1, heading2 = _level_styles(styles, 1), _level_styles(styles, 2)
    note_text = {}
    for fn in notes_xml.iterfind("w:footnote", NS):
        for label in fn.xpath(".//w:r[w:rPr/w:rStyle/@w:val=$style]", namespaces=NS, style=NOTE_LABEL):
            label.getparent().remove(label)  # "No. 12" before a document's first note: not the note's text
        note_text[fn.get(f"{{{W}}}id")] = norm(_run_text(fn))
    counts: dict = {}
    for ref in body.iter(f"{{{W}}}footnoteReference"):
        counts[ref.get(f"{{{W}}}id")] = counts.get(ref.get(f"{{{W}}}id"), 0) + 1
    shared = {i for i, n in counts.items() if n > 1}
    docs: list[DocNotes] = []
    for p in body.iter(f"{{{W}}}p"):
        style = _style(p)
        if style in heading2:
            docs.append(DocNotes(None, norm(_run_text(p)), paragraphs=[]))
            continue
        if style in heading1:  # a chapter: the notes up to its first document are its intro's
            docs.append(DocNotes(None, norm(_run_text(p)), kind=INTRO, paragraphs=[]))
            continue
        if docs and style not in NOT_TEXT:
            docs[-1].paragraphs.append(_paragraph_text(p, shared))
        for ref in p.iter(f"{{{W}}}footnoteReference"):
            run = ref.getparent()
            mark = _run_text(run)
            if not mark:  # the mark may stand in the next run
                nxt = run.getnext()
                mark = _run_text(nxt) if nxt is not None else ""
            text = note_text.get(ref.get(f"{{{W}}}id"), "[footnote missing from footnotes.xml]")
            if docs:
                docs[-1].notes.append((mark.strip(), text[len(mark.strip()):].strip() if text.startswith(mark.strip() + " ") else text))
    return docs
