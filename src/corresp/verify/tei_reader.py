"""TEI → chapters, documents and notes, as a TEI tool sees them: each `div type="chapter"`
(its `head` and the notes of its intro) and each `div type="letter"` in document order, its
`head`, and its notes (`note place="foot"`: `@n`, text). The header must agree
with the text: every letter has its one `correspDesc` and every `correspDesc` points to a
letter; a breach shows as a pseudo-note, as the EPUB reader reports an unresolved link."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..tei_xml import XML_ID, letter_id, tei, text_of
from . import INTRO, DocNotes, marker, norm

FOOT = tei("note")


def _note_text(note: etree._Element) -> str:
    paragraphs = note.findall(tei("p"))
    if paragraphs:  # a note of several paragraphs
        return "\n".join(text_of(p) for p in paragraphs)
    return text_of(note)


def read(path: Path) -> list[DocNotes]:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, huge_tree=True)).getroot()
    refs: dict[str, int] = {}
    for desc in root.iterfind(f"{tei('teiHeader')}/{tei('profileDesc')}/{tei('correspDesc')}"):
        target = (desc.get("ref") or "").lstrip("#")
        refs[target] = refs.get(target, 0) + 1
    docs: list[DocNotes] = []
    letters = set()
    body = root.find(f"{tei('text')}/{tei('body')}")
    chapters = 0
    for div in (body.iter(tei("div")) if body is not None else ()):
        if div.get("type") == "chapter":  # its title, and the notes of its intro
            chapters += 1
            head = div.find(tei("head"))
            intro = DocNotes(f"chapter-{chapters}-intro", norm(text_of(head)) if head is not None else "",
                             kind=INTRO)
            for p in div.iterfind(tei("p")):
                intro.notes += [(n.get("n") or "", norm(_note_text(n))) for n in p.iter(FOOT)
                                if n.get("place") == "foot"]
            docs.append(intro)
            continue
        if div.get("type") != "letter":
            continue
        letters.add(div.get(XML_ID))
        head = div.find(tei("head"))
        doc = DocNotes(letter_id(div), norm(text_of(head)) if head is not None else "")
        for note in div.iter(FOOT):
            if note.get("place") == "foot":
                doc.notes.append((note.get("n") or "", norm(_note_text(note))))
        count = refs.get(div.get(XML_ID) or "", 0)
        if count != 1:
            doc.notes.append(("?", f"[{count} correspDesc for this letter in the teiHeader]"))
        docs.append(doc)
    _add_paragraphs(path, docs)
    stray = sorted(t for t in refs if t not in letters)
    if stray and docs:
        docs[-1].notes.append(("?", f"[correspDesc pointing to no letter: {', '.join(stray)}]"))
    return docs


def _inline(paragraph, labels: list[str]) -> str:
    from ..model import NoteRef
    out = []
    for inline in paragraph.content:
        if isinstance(inline, NoteRef):
            k = inline.number - 1
            out.append(marker(labels[k] if 0 <= k < len(labels) else f"#{inline.number}"))
        else:
            out.append(inline.text)
    return norm("".join(out))


def _add_paragraphs(path: Path, docs: list[DocNotes]) -> None:
    """Each entry's paragraphs, as the TEI reader (`readers.tei_edition`) reads the letters'
    openers, paragraphs, quotations, closers, postscripts and secretary notes; a marker is
    the `@n` of the note standing there."""
    from ..readers.tei_edition import edition_from_tei
    edition = edition_from_tei(Path(path))
    entries = iter(docs)
    for chapter in edition.chapters:
        entry = next(entries, None)
        if entry is None or entry.kind != INTRO:
            return  # the structure differs: the comparison of entries says how
        entry.paragraphs = [_inline(p, [label for label, _ in entry.notes]) for p in chapter.intro]
        for doc in chapter.documents:
            entry = next(entries, None)
            if entry is None or entry.kind == INTRO:
                return
            entry.paragraphs = [_inline(p, [label for label, _ in entry.notes]) for _, p in doc.iter_parts()]
