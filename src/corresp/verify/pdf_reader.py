"""PDF → check each document's notes against the page text.

The outline gives each document's first page. Every note must appear, label first, on a
page from its document's first page to the next document's first page (a note may run on
to the page after), its text in order; the whole text must be there, in one piece or split
across a page break."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from pypdf import PdfReader

from . import INTRO, DocNotes, _counts


def _comparable(ch: str) -> bool:
    """Characters whose extraction from a PDF is reliable. Left out of the comparison:
    spaces (line breaks), characters the book's fonts cannot show (the exporter warns about
    each, and extraction gives U+0000 for them), combining marks, right-to-left scripts
    (extracted reordered), U+2010 HYPHEN, which hyphenation adds at line ends, and U+2011,
    which the PDF draws as U+2010 (its faces lack it)."""
    if ch.isspace() or ord(ch) > 0xFFFF or ch in "\x00\u2010\u2011":
        return False
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Co", "Cs", "Cn", "Mn", "Me", "So"):
        return False
    return unicodedata.bidirectional(ch) not in ("R", "AL", "AN")


def _squeeze(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if _comparable(ch))


def _outline(reader: PdfReader, chapters: set[str]) -> list[tuple[str, str, int]]:
    """(kind, title, page) of the outline's chapters (top level; other top-level entries,
    such as the index, are left out) and documents (under them)."""
    found: list[tuple[str, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            title = " ".join(item.title.split())
            if depth >= 1 or title in chapters:
                found.append((INTRO if depth == 0 else "document", title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


def check(reference: list[DocNotes], path: Path) -> list[str]:
    """Each chapter's intro notes on the pages from the chapter's to its first document's,
    each document's on the pages from its own to the next one's."""
    reader = PdfReader(str(path))
    pages = [_squeeze(p.extract_text() or "") for p in reader.pages]
    outline = _outline(reader, {" ".join(r.heading.split()) for r in reference if r.kind == INTRO})
    if not any(kind == INTRO for kind, _, _ in outline):  # an outline of documents alone
        reference = [r for r in reference if r.kind != INTRO]
    problems = []
    if len(outline) != len(reference):
        problems.append(f"{path}: outline lists {_counts([DocNotes(None, t, kind=k) for k, t, _ in outline])}, "
                        f"the JSON edition has {_counts(reference)}")
    for k, (ref, (_, title, first)) in enumerate(zip(reference, outline)):
        where = f"{path}: {ref.id}"
        if title != " ".join(ref.heading.split()):
            problems.append(f"{where}: outline entry {title!r} where the JSON edition has {ref.heading!r}")
            continue
        last = outline[k + 1][2] + 1 if k + 1 < len(outline) else len(pages) - 1
        text = "".join(pages[first: last + 1])
        pos = 0
        for label, note in ref.notes:
            body = _squeeze(note)
            head = body[:40]
            hit = text.find(label + head, pos)
            if hit < 0:
                problems.append(f"{where}: note {label}: not found with that number on pages {first + 1}–{last + 1}")
                continue
            rest = text[hit + len(label):]
            if not rest.startswith(body) and not _split_ok(rest, body):
                problems.append(f"{where}: note {label}: text differs from the JSON edition")
            pos = hit + len(label)
    return problems


def _split_ok(rest: str, body: str) -> bool:
    """A note continued over one or more page breaks: its text is there in pieces, in
    order, with only the next pages' running heads and body text in between."""
    pos, remaining = 0, body
    for _ in range(64):  # at most 64 pieces: a note of many pages
        k = 0
        while k < len(remaining) and pos + k < len(rest) and rest[pos + k] == remaining[k]:
            k += 1
        if k == len(remaining):
            return True
        if k < 10:
            return False
        remaining = remaining[k:]
        nxt = rest.find(remaining[:30], pos + k)
        if nxt < 0:
            return False
        pos = nxt
    return False
