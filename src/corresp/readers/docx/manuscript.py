"""An editor's own Word manuscript → the edition, by the text reader's rules.

A DOCX with no corresp styles (Normal paragraphs, perhaps Word's Heading styles, real
footnotes) is written out as the plain text the parser reads: one line per paragraph, each
letter's notes after a rule at its end. Each footnote reference becomes a superscript marker
numbered in its letter and its note is given the same number, so the parser pairs them
exactly: no marker is guessed. Heading styles, bold and centring are only hints; the
parser's own rules decide what is a heading. Line numbers in the result are paragraph
numbers of the DOCX.
"""
from __future__ import annotations

from typing import Optional

from ...diagnostics import Diagnostic, Reporter
from ...errors import InputError
from ...model import Edition
from . import rules
from .package import Package
from .wordml import NoteRef as WordNoteRef, WordParagraph

_SUPER = str.maketrans("0123456789", rules.SUPERSCRIPTS)


def _superscript(n: int) -> str:
    return str(n).translate(_SUPER)


def read_manuscript(package: Package, paragraphs: list[WordParagraph], notes: dict,
                    reporter: Reporter) -> tuple[Edition, list[Diagnostic]]:
    name = package.name
    kept = [p for p in paragraphs if not p.in_toc and (p.text.strip() or p.notes)]
    if not kept:
        raise InputError("no text: the document has no paragraphs", name)
    # Where letters start, by the parser's own rules applied to the paragraphs as lines.
    probe = [rules.Line(k + 1, " ".join(p.text.split())) for k, p in enumerate(kept)]
    starts = {c.index for c in rules.find_headings(probe).headings}
    lines: list[tuple[str, Optional[int]]] = []  # (text, paragraph number)
    pending: list[str] = []  # this letter's notes, numbered
    used: set = set()

    def flush() -> None:
        if pending:
            lines.append(("", None))
            lines.append(("_____", None))
            lines.extend((n, None) for n in pending)
            lines.append(("", None))
            pending.clear()

    for k, p in enumerate(kept):
        if k in starts:
            flush()
        text = []
        last = max((k for k, piece in enumerate(p.pieces) if not isinstance(piece, str) or piece.strip()), default=-1)
        for at, piece in enumerate(p.pieces):
            if isinstance(piece, WordNoteRef):
                key = (piece.kind, piece.id)
                if key not in notes:
                    raise InputError(f"paragraph {p.index}: a {piece.kind} reference to no {piece.kind} "
                                     f"(id {piece.id!r})", name)
                if key in used:
                    raise InputError(f"paragraph {p.index}: a second reference to one {piece.kind}", name)
                used.add(key)
                pending.append(f"{_superscript(len(pending) + 1)} {' '.join(notes[key].split())}")
                # A marker that ends the paragraph stands apart, as the text sources print a
                # secretary's line's (`No. 12 15/X-32 y. ²`): glued, it would read as part of a date.
                text.append((" " if at == last and at > 0 else "") + _superscript(len(pending)))
            else:
                text.append(piece)
        for line in "".join(text).split("\n"):
            if line.strip():
                lines.append((line.strip(), p.index))
        lines.append(("", None))
    flush()
    from .edition import unreferenced
    unreferenced(notes, used, reporter)
    source = "\n".join(t for t, _ in lines) + "\n"
    paragraph_of = {n: idx for n, (_, idx) in enumerate(lines, start=1)}
    stem = name.rsplit("/", 1)[-1]
    edition, diagnostics = rules.read_text(source, name=name)
    edition = _renumber(edition, paragraph_of, stem)
    moved = [Diagnostic(d.file, paragraph_of.get(d.line) if d.line else None, d.severity, d.code, d.message)
             for d in diagnostics]
    return edition, moved


def _renumber(edition: Edition, paragraph_of: dict, stem: str) -> Edition:
    """Source line numbers become paragraph numbers of the DOCX (None for the notes, which
    stand in footnotes.xml)."""
    def walk(x):
        if isinstance(x, dict):
            return {k: (paragraph_of.get(v) if k in ("line", "archive_line") and isinstance(v, int) else
                        stem if k == "source" and isinstance(v, str) else walk(v)) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x
    data = walk(edition.model_dump())
    for chapter in data["chapters"]:  # debris lines are required ints: keep what maps, else the line
        chapter["debris"] = [d for d in chapter["debris"] if d["line"] is not None]
    return Edition.model_validate(data)
