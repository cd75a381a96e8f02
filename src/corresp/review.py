"""The review list (`corresp check --review`): the parser's guesses an editor should look at.

Each item is a diagnostic of a kind that records a guess (a marker placed where a lost
superscript was, a note paired by position, a heading of unusual shape, an archive field
that is not a number, a letter that stops mid-sentence), with the document it is in and the
source line, so the editor can decide without opening the source. `--format toml` prints
the same items as a corrections-file skeleton: one commented-out [[correction]] per item,
its kind and target filled in and its current value shown, for the editor to uncomment and
complete (`corresp.corrections`). Items that a corrections file already covers say so and
are left out of the skeleton.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .corrections import Correction, beside, load, skeleton_entry
from .diagnostics import Diagnostic
from .model import Chapter, Document, Edition, NoteRef, Text

# The diagnostics that are guesses, and the kind of correction that settles each.
REVIEW_CODES = {
    "marker-inferred": "marker", "marker-unplaced": "marker", "marker-glued": "marker",
    "marker-without-note": "marker", "note-unnumbered": "marker", "note-number-mismatch": "marker",
    "note-renumbered": "marker", "note-missing": "marker", "note-continued": "note",
    "heading-loose": "heading", "heading-no-date": "heading", "heading-bad-date": "heading",
    "archive-unparsed": "archive", "archive-ocr": "archive", "no-archive": "archive",
    "cut-off": "join",
    # the page's structure (readers/text/layout.py): a heading chosen among candidates, or
    # read from two lines; a line set aside as a contents entry; a sender the heading lacks
    "contents-entry": "heading", "heading-joined": "heading", "sender-supplied": "heading",
    "sender-missing": "heading", "notes-at-foot": "note", "source-number": "heading",
    "marker-orphan": "marker", "notes-earlier-leaf": "note",
}


@dataclass
class Item:
    diagnostic: Diagnostic
    kind: str  # of the correction that settles it
    document: Optional[Document]
    source_line: Optional[str]
    note: Optional[int] = None
    corrected_by: list[str] = field(default_factory=list)
    next_document: Optional[Document] = None  # for a cut-off letter: the one a join would take in
    intro_of: Optional[Chapter] = None  # the chapter, when the guess is in its intro


def review(edition: Edition, diagnostics: Sequence[Diagnostic], sources: Sequence[Path]) -> list[Item]:
    from .readers.text.source import read_lines
    by_file = {str(p): (ci, Path(p)) for ci, p in enumerate(sources)}
    lines: dict[str, dict[int, str]] = {}
    corrections: dict[str, list[Correction]] = {}
    items = []
    for d in diagnostics:
        if d.code not in REVIEW_CODES or d.file not in by_file:
            continue
        ci, path = by_file[d.file]
        if d.file not in lines:
            lines[d.file] = {l.number: l.text for l in read_lines(path)}
            found = beside(path)
            corrections[d.file] = load(found) if found else []
        chapter = edition.chapters[ci] if ci < len(edition.chapters) else None
        doc, nxt = _document_at(chapter.documents if chapter else [], d.line)
        item = Item(d, REVIEW_CODES[d.code], doc, lines[d.file].get(d.line or 0), next_document=nxt)
        if doc is None and chapter is not None and item.kind in ("marker", "note"):
            item.intro_of = chapter
            doc = _intro(chapter)
        if doc is not None and item.kind in ("marker", "note"):
            item.note = _note_at(doc, d.line)
        item.corrected_by = [c.name for c in corrections[d.file] if _covers(c, item)]
        items.append(item)
    return items


def _intro(chapter: Chapter) -> Document:
    """A chapter's intro as a stand-in document (its paragraphs the body), to look notes up in."""
    return Document.model_construct(id=chapter.title, heading=chapter.title, body=chapter.intro,
                                    footnotes=chapter.notes)


def _document_at(documents: list[Document], line: Optional[int]):
    """The document whose lines hold `line` (from its heading to the next one), and the next."""
    if line is None:
        return None, None
    here = [k for k, d in enumerate(documents) if d.line is not None and d.line <= line]
    if not here:
        return None, documents[0] if documents else None
    k = here[-1]
    return documents[k], documents[k + 1] if k + 1 < len(documents) else None


def _note_at(doc: Document, line: Optional[int]) -> Optional[int]:
    for n in doc.footnotes:
        if n.line == line:
            return n.number
    for _, p in doc.iter_parts():
        if p.line == line and p.noterefs():
            return p.noterefs()[0]
    return None


def _covers(c: Correction, item: Item) -> bool:
    if item.intro_of is not None:
        return c.kind == item.kind and " ".join(str(c.data.get("chapter", "")).split()) == \
            " ".join(item.intro_of.title.split()) and c.data.get("note", item.note) == item.note
    doc = item.document if item.kind != "join" else item.next_document
    if doc is None or c.kind != item.kind:
        return False
    if c.data.get("document", None) not in (None, doc.id) or \
            ("heading" in c.data and " ".join(c.data["heading"].split()) != " ".join(doc.heading.split())):
        return False
    return item.note is None or c.data.get("note", item.note) == item.note


def _before_marker(doc: Document, number: int, width: int = 40) -> Optional[str]:
    """The words the marker of note `number` follows now (the `after` of a marker correction)."""
    for _, p in doc.iter_parts():
        for k, run in enumerate(p.content):
            if isinstance(run, NoteRef) and run.number == number:
                text = "".join(r.text for r in p.content[:k] if isinstance(r, Text))
                tail = text[-width:]
                cut = tail.find(" ") if len(text) > width else -1
                return (tail[cut + 1:] if cut >= 0 else tail).strip() or None
    return None


def format_text(items: list[Item]) -> str:
    out = []
    for it in items:
        d = it.diagnostic
        out.append(f"{d.file}:{d.line or ''}: {d.code}: {d.message}".replace(":: ", ": "))
        doc = it.document if it.intro_of is None else _intro(it.intro_of)
        if it.intro_of is not None:
            out.append(f"    in the intro of {it.intro_of.title}")
        elif doc is not None:
            out.append(f"    in {doc.id} ({doc.heading})")
        if it.source_line is not None:
            out.append(f"    {d.line} | {_clip(it.source_line)}")
        if doc is not None and it.note is not None:
            note = next((n for n in doc.footnotes if n.number == it.note), None)
            after = _before_marker(doc, it.note)
            if note is not None:
                out.append(f"    note {it.note}: {_clip(note.text, 70)}" + (f"; marker after {after!r}" if after else ""))
        out.append(f"    corrected by {', '.join(repr(n) for n in it.corrected_by)}" if it.corrected_by else
                   f"    fix: kind = {it.kind!r} in {Path(d.file).stem}.corrections.toml (--format toml: a skeleton)")
    return "\n".join(out) + ("\n" if out else "")


def format_toml(items: list[Item], sources: Sequence[Path]) -> str:
    """A corrections-file skeleton: every entry commented out, so the file as printed applies
    nothing; the editor uncomments the ones to fix and fills in the values."""
    head = ["# Corrections skeleton written by `corresp check --review --format toml`.",
            f"# Save it beside the source as {', '.join(Path(s).stem + '.corrections.toml' for s in sources)},",
            "# uncomment each correction to make and complete it; leave out the others.", ""]
    out = head
    for it in items:
        d = it.diagnostic
        if it.corrected_by:
            continue
        entry = _entry(it)
        out.append(f"# {d.file}:{d.line or ''}: {d.code}: {_clip(d.message, 200)}")
        if it.source_line is not None:
            out.append(f"#   {d.line} | {_clip(it.source_line, 200)}")
        if entry is None:
            out.append("#   (not in a document: correct the source)")
        else:
            out += ["# " + line for line in entry.splitlines()]
        out.append("")
    # TOML allows no control character (but tab) even in a comment: a source line holding
    # U+007F would make the skeleton invalid. Written as \uXXXX: text in a comment, the
    # character itself in a string once uncommented.
    return _TOML_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", "\n".join(out).rstrip("\n")) + "\n"


_TOML_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _entry(it: Item) -> Optional[str]:
    doc = it.document
    if it.kind == "join":
        if it.next_document is None:
            return None
        return skeleton_entry("join", it.next_document.id) + f"# (if {it.next_document.heading!r} continues it)"
    target = {"chapter": it.intro_of.title} if it.intro_of is not None else {}
    if doc is None and not target:
        return None
    doc_id = doc.id if doc is not None and not target else None
    if it.kind in ("marker", "note"):
        doc = doc if doc is not None else _intro(it.intro_of)
    if it.kind == "marker":
        keys = {"note": it.note} if it.note is not None else {"note_text": "a phrase of the note"}
        after = _before_marker(doc, it.note) if it.note is not None else None
        return skeleton_entry("marker", doc_id, **target, **keys, after=after or "the words the marker follows")
    if it.kind == "note":
        return skeleton_entry("note", doc_id, **target, **({"note": it.note} if it.note else {"note_text": "…"}),
                              text="the note's right text")
    if doc is None:
        return None
    if it.kind == "heading":
        return skeleton_entry("heading", doc.id, senders=[p.name for p in doc.senders] or ["Sender"],
                              recipients=[p.name for p in doc.recipients] or ["Recipient"],
                              date=(doc.date.iso if doc.date and doc.date.iso else "YYYY-MM-DD"))
    if it.kind == "archive":
        ref = doc.archive[0] if doc.archive else None
        field_name = next((f for f in ("opis", "fond", "delo", "folios") if ref and getattr(ref, f)
                           and not getattr(ref, f).isdigit()), "opis")
        current = getattr(ref, field_name) if ref else None
        return skeleton_entry("archive", doc.id, field=field_name, value=current or "") + \
            f"# (now {current!r})"
    return None


def _clip(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
