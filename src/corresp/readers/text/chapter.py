"""One source file (one month) → a Chapter.

The lines before the first heading are the page's preamble: the page title and navigation
line (site debris, recorded), the edition's title, the chapter title (`1935 August`), the
chapter intro and, after a `Note:` line or a rule, the intro's notes. Then documents follow,
each from its heading to the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ...diagnostics import Reporter
from ...errors import InputError
from ...model import Chapter, Debris
from .dates import EN_MONTHS, RU_MONTHS_NOM
from .document import parse_document
from .heading import ARCHIVE_LABEL, parse_heading, parse_loose_heading
from .ids import IdMaker
from .markers import Part, reconcile
from .notes import is_separator, parse_notes
from . import requisites
from .source import Line

_MONTH = "|".join([m for m in EN_MONTHS] + RU_MONTHS_NOM)
_COMMA_OR_SPACE = r"(?:\s*+,\s*+|\s++)"  # one way to read any run of spaces: linear
CHAPTER_TITLE = re.compile(rf"^(?:\d{{4}}{_COMMA_OR_SPACE}(?:{_MONTH})|(?:{_MONTH}){_COMMA_OR_SPACE}\d{{4}}(?:\s*+г\.?)?)$",
                           re.IGNORECASE)
NAVIGATION = re.compile(r"\|[^|]*+\|")
_LABELLED = re.compile(r"^[^:]{1,30}:\s")  # "Archive: ...", "A source: ..." (a requisite) are not headings


@dataclass
class ParsedChapter:
    chapter: Chapter
    edition_title: Optional[str]
    untitled_line: Optional[int] = None  # the chapter has no title line: titled from its dates later


def find_headings(lines: list[Line]) -> list[tuple[int, object, bool]]:
    """(index, Heading, loose) for each heading line; loose: of unusual shape, recognised
    only because an archive line follows it. The lines of a requisites block (labels and
    their values) are never headings, whatever they look like."""
    metadata = _requisites_lines(lines)
    found = []
    for i, line in enumerate(lines):
        if line.blank or i in metadata:
            continue
        h = parse_heading(line.text)
        if h is not None:
            found.append((i, h, False))
        elif _archive_follows(lines, i) and not _LABELLED.match(line.text):
            found.append((i, parse_loose_heading(line.text), True))
    return found


def _requisites_lines(lines: list[Line]) -> set[int]:
    """Indices of the lines of every requisites block: one with its header line, or of two
    labels or more (a lone `Archive: …` line is the English pages' archive line)."""
    inside: set[int] = set()
    i = 0
    while i < len(lines):
        text = lines[i].text
        if text and (":" in text and requisites.opens_block(lines, i) or requisites.HEADER.match(text)):
            block = requisites.find(lines, i, limit=1)
            if block is not None:
                labels = sum(1 for l in lines[block.start:block.end] if requisites.label_of(l.text, known_only=False))
                if labels >= 2 or requisites.HEADER.match(lines[block.start].text):
                    inside.update(range(block.start, block.end))
                i = max(i + 1, block.end)
                continue
        i += 1
    return inside


def _is_page_title(under: list[Line]) -> bool:
    texts = [l.text for l in under if not l.blank]
    return not texts or any(CHAPTER_TITLE.match(t) or NAVIGATION.search(t) for t in texts[:4])


def _archive_follows(lines: list[Line], i: int) -> bool:
    """An archive line with its reference on it follows (a bare `Архив:` label is a
    requisite whose value is on the next line)."""
    for line in lines[i + 1: i + 3]:
        if not line.blank:
            m = ARCHIVE_LABEL.match(line.text)
            return bool(m) and m.end() < len(line.text)
    return False


def parse_chapter(lines: list[Line], reporter: Reporter, ids: IdMaker, source_name: str) -> ParsedChapter:
    for line in lines:
        if line.dropped:
            codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(line.dropped))
            reporter.warning("forbidden-character", f"dropped {len(line.dropped)} control character(s) "
                             f"that no output format can hold ({codes})", line.number)
        for change in line.changes:
            reporter.warning("source-normalised", change, line.number)
    headings = find_headings(lines)
    if not headings:
        first = next((l.number for l in lines if not l.blank), 1)
        raise InputError("no documents found (no line looks like `Sender to Recipient Date`)", reporter.file, first)
    debris: list[Debris] = []
    # A heading with nothing under it before the next heading is the page's title shaped
    # like one (`Stalin to Kaganovich July, 1934` over the month's first letter).
    # So is one above the page's preamble (its navigation line or the month's title).
    if len(headings) > 1 and _is_page_title(lines[headings[0][0] + 1: headings[1][0]]):
        i = headings[0][0]
        debris.append(Debris(line=lines[i].number, text=lines[i].text, reason="page title"))
        headings = headings[1:]
    for i, h, loose in headings:
        if loose:
            reporter.warning("heading-loose", f"heading of unusual shape, kept verbatim: {lines[i].text!r}",
                             lines[i].number)
    untitled_line = next((l.number for l in lines if not l.blank), 1)
    title, edition_title, intro, notes = _preamble(
        [l for l in lines[: headings[0][0]] if not any(d.line == l.number for d in debris)],
        reporter, debris, source_name)
    documents = []
    bounds = [i for i, _, _ in headings] + [len(lines)]
    for k, (i, heading, _) in enumerate(headings):
        documents.append(parse_document(heading, lines[i], lines[i + 1: bounds[k + 1]], reporter, ids, debris))
    chapter = Chapter(title=title or "-", source=source_name, intro=intro, notes=notes, documents=documents,
                      debris=sorted(debris, key=lambda d: d.line))
    return ParsedChapter(chapter, edition_title, None if title else untitled_line)


def _preamble(lines: list[Line], reporter: Reporter, debris: list[Debris], source_name: str):
    texts = [l for l in lines if not l.blank]
    nav = [l for l in texts if NAVIGATION.search(l.text)]
    for l in nav:
        debris.append(Debris(line=l.number, text=l.text, reason="navigation line"))
    texts = [l for l in texts if l not in nav]
    title_idx = next((k for k, l in enumerate(texts) if CHAPTER_TITLE.match(l.text)), None)
    edition_title = None
    if title_idx is None:
        title = ""  # never the file's name: the parser (parser.py) titles it from its documents' dates
        intro_lines = texts
    else:
        title = texts[title_idx].text
        before = texts[:title_idx]
        # The edition's title is the last line above the chapter title that has a word in
        # it (a stray "." is not a title); the lines above it are the page's own title.
        named = [k for k, l in enumerate(before) if re.search(r"\w", l.text)]
        if named:
            edition_title = before[named[-1]].text.strip(" .")
        for k, l in enumerate(before):
            if not named or k != named[-1]:
                debris.append(Debris(line=l.number, text=l.text, reason="page title"))
        intro_lines = texts[title_idx + 1:]
    note_lines: list[Line] = []
    for k, l in enumerate(intro_lines):
        if is_separator(l.text):
            debris.append(Debris(line=l.number, text=l.text, reason="notes label"))
            intro_lines, note_lines = intro_lines[:k], intro_lines[k + 1:]
            break
    parts = [Part("intro", l.text, l.number) for l in intro_lines]
    raw = parse_notes(note_lines, debris)
    intro, notes, removed = reconcile(parts, raw, lambda c, m, ln: reporter.warning(c, m, ln), {})
    debris += [Debris(line=ln, text=t, reason="note marker without a note") for ln, t in removed if ln]
    return title, edition_title, intro, notes
