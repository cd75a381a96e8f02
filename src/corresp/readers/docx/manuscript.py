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

import re
from typing import Optional

from ...diagnostics import Diagnostic, Reporter
from ...errors import InputError
from ...model import Edition
from . import rules
from .package import Package
from .wordml import NoteRef as WordNoteRef, WordParagraph

_DIGITS_AND_SPACES = re.compile(r"[\d\s]+")
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
    for k, p in enumerate(kept):  # the editor's formatting says "heading" where the rules do not
        styled = next((n for n in p.style_names if n.startswith("heading ") and n != "heading 1"), None)
        if k not in starts and (styled or (p.bold and p.centred)) and len(p.text) < 300 and not p.notes:
            reporter.warning("docx-heading-hint", f"{'in ' + styled.title() if styled else 'bold and centred'} "
                             f"but not read as a letter's heading: {p.text.strip()!r} (a heading names the "
                             "parties and ends with the date: `Kaganovich to Stalin August 16, 1935`)", p.index)
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

    pieces_at: dict[int, list] = {}  # source line number -> its pieces: text, and note texts as ("note", text)
    for k, p in enumerate(kept):
        if k in starts:
            flush()
        paragraph_lines: list[list] = [[]]
        for piece in p.pieces:
            if isinstance(piece, WordNoteRef):
                key = (piece.kind, piece.id)
                if key not in notes:
                    raise InputError(f"paragraph {p.index}: a {piece.kind} reference to no {piece.kind} "
                                     f"(id {piece.id!r})", name)
                if key in used:
                    raise InputError(f"paragraph {p.index}: a second reference to one {piece.kind}", name)
                used.add(key)
                paragraph_lines[-1].append(("note", notes[key]))
            else:
                first, *more = piece.split("\n")
                paragraph_lines[-1].append(first)
                paragraph_lines += [[m] for m in more]
        for pieces in paragraph_lines:
            last = max((i for i, x in enumerate(pieces) if not isinstance(x, str) or x.strip()), default=-1)
            text = []
            for at, piece in enumerate(pieces):
                if isinstance(piece, str):
                    text.append(piece)
                    continue
                pending.append(f"{_superscript(len(pending) + 1)} {' '.join(piece[1].split())}")
                # A marker that ends the line stands apart, as the text sources print a
                # secretary's line's (`No. 12 15/X-32 y. ²`): glued, it would read as part of a date.
                text.append((" " if at == last and at > 0 else "") + _superscript(len(pending)))
            line = "".join(text).strip()
            if line:
                lines.append((line, p.index))
                pieces_at[len(lines)] = pieces
        lines.append(("", None))
    flush()
    from .edition import unreferenced
    unreferenced(notes, used, reporter)
    source = "\n".join(t for t, _ in lines) + "\n"
    paragraph_of = {n: idx for n, (_, idx) in enumerate(lines, start=1)}
    stem = name.rsplit("/", 1)[-1]
    edition, diagnostics = rules.read_text(source, name=name)
    exact: set[int] = set()  # the lines whose markers are Word's own
    edition = _renumber(_exact_notes(edition, pieces_at, exact), paragraph_of, stem)
    # What the parser said about markers on those lines no longer holds (a number it took for
    # a lost marker is text again).
    moved = [Diagnostic(d.file, paragraph_of.get(d.line) if d.line else None, d.severity, d.code, d.message)
             for d in diagnostics if not (d.line in exact and d.code.startswith(("marker-", "note-")))]
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


# --- the footnotes where Word has them ----------------------------------------------------

def _paragraphs(doc: dict):
    """A document's (or an intro's) paragraph dicts in the model's reading order."""
    for key in ("transmission", "dispatch", "address", "dateline", "salutation", "body", "signature", "postscript",
                "secretary", "intro"):
        value = doc.get(key)
        for block in (value if isinstance(value, list) else [value] if value else []):
            yield from (block["paragraphs"] if block.get("type") == "enclosure" else [block])


def _exact(container: dict, notes_key: str, pieces_at: dict, exact: set[int]) -> None:
    """The container's markers and notes taken from Word's own footnotes, when every one of
    its paragraphs is a line of the manuscript whole: the parser reads scraped text, where a
    number that ends a line (`in Heading 2`) may be a lost marker; here no marker is guessed,
    and no number of the text is taken for one."""
    paragraphs = list(_paragraphs(container))
    rebuilt, footnotes = [], []
    for p in paragraphs:
        pieces = pieces_at.get(p.get("line"))
        text = "".join(c["text"] for c in p["content"] if c["type"] == "text")
        mine = "".join(x for x in pieces if isinstance(x, str)) if pieces is not None else None
        # The same line, but for digits the parser took for markers without a note and removed.
        if mine is None or _DIGITS_AND_SPACES.sub("", mine) != _DIGITS_AND_SPACES.sub("", text):
            return  # the parser split or rewrote this line: its own reading stands
        content: list = []
        for i, piece in enumerate(pieces):
            if isinstance(piece, str):
                piece = piece.lstrip() if not content else piece
                piece = piece.rstrip() if all(not isinstance(x, str) or not x.strip() for x in pieces[i + 1:]) \
                    else piece
                if not piece:
                    continue
                if content and content[-1]["type"] == "text":
                    content[-1]["text"] += piece
                else:
                    content.append({"type": "text", "text": piece})
            else:
                footnotes.append({"number": len(footnotes) + 1, "text": piece[1], "marker": "explicit"})
                content.append({"type": "noteref", "number": len(footnotes)})
        rebuilt.append(content)
    if len(footnotes) != len(container[notes_key]):
        return  # a note the parser placed elsewhere (a heading, an archive line): its reading stands
    for p, content in zip(paragraphs, rebuilt):
        p["content"] = content
        exact.add(p["line"])
    container[notes_key] = footnotes


def _exact_notes(edition: Edition, pieces_at: dict, exact: set[int]) -> Edition:
    data = edition.model_dump()
    for chapter in data["chapters"]:
        _exact(chapter, "notes", pieces_at, exact)
        for doc in chapter["documents"]:
            _exact(doc, "footnotes", pieces_at, exact)
        chapter["debris"] = [d for d in chapter["debris"]
                             if not (d["line"] in exact and d["reason"] == "note marker without a note")]
    return Edition.model_validate(data)
