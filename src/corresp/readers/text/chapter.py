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
from .heading import ARCHIVE_LABEL, names, parse_heading, parse_loose_heading
from .layout import Candidate, Layout, page_layout
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
    author: Optional[tuple[str, int]] = None  # the page's author line (name, line number)


def find_headings(lines: list[Line]) -> Layout:
    """The page's layout (`layout.page_layout`): its headings, contents entries and
    furniture. A line of unusual shape is a (loose) heading too when an archive line
    follows it. The lines of a requisites block (labels and their values) are never
    headings, whatever they look like."""
    metadata = _requisites_lines(lines)
    found = page_layout(lines, metadata)
    taken = {i for c in found.headings + found.contents for i in range(c.index, c.end)}
    for i, line in enumerate(lines):
        if not line.text or i in metadata or i in taken or i in found.furniture:  # (not text: blank)
            continue
        if _archive_follows(lines, i) and not _LABELLED.match(line.text) and parse_heading(line.text) is None:
            found.headings.append(Candidate(i, parse_loose_heading(line.text), i + 1, loose=True))
    found.headings.sort(key=lambda c: c.index)
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
    for k in range(i + 1, min(i + 3, len(lines))):  # (no slice: asked of most lines)
        text = lines[k].text
        if text:  # not blank
            m = ARCHIVE_LABEL.match(text)
            return bool(m) and m.end() < len(text)
    return False


def parse_chapter(lines: list[Line], reporter: Reporter, ids: IdMaker, source_name: str,
                  edition_author: Optional[str] = None) -> ParsedChapter:
    """`edition_author` (edition.toml's `author`) is the sender of a collected works'
    letters whose titles name only their recipients, unless the page names its author."""
    for line in lines:
        if line.dropped:
            codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(line.dropped))
            reporter.warning("forbidden-character", f"dropped {len(line.dropped)} control character(s) "
                             f"that no output format can hold ({codes})", line.number)
        for change in line.changes:
            reporter.warning("source-normalised", change, line.number)
    layout = find_headings(lines)
    headings = layout.headings
    if not headings:
        first = next((l.number for l in lines if not l.blank), 1)
        if layout.contents:
            raise InputError("no documents found: every heading-shaped line is followed by another heading, "
                             "site chrome or the end of the page (a table of contents?)", reporter.file,
                             lines[layout.contents[0].index].number)
        raise InputError("no documents found (no line looks like `Sender to Recipient Date`)", reporter.file, first)
    debris: list[Debris] = []
    # A heading with nothing under it before the next heading is the page's title shaped
    # like one (`Stalin to Kaganovich July, 1934` over the month's first letter).
    # So is one above the page's preamble (its navigation line or the month's title).
    first = min(headings + layout.contents, key=lambda c: c.index)
    later = [c.index for c in headings + layout.contents if c.index > first.index]
    if later and (first not in headings or len(headings) > 1) and _is_page_title(lines[first.index + 1: min(later)]):
        debris.append(Debris(line=lines[first.index].number, text=lines[first.index].text, reason="page title"))
        if first in headings:
            headings = [c for c in headings if c is not first]
        else:
            layout.contents.remove(first)
    set_aside: set[int] = set()  # lines recorded as debris here, kept out of every document
    for c in layout.contents:
        for i in range(c.index, c.end):
            if not lines[i].blank:
                debris.append(Debris(line=lines[i].number, text=lines[i].text, reason="contents entry"))
                set_aside.add(i)
        reporter.warning("contents-entry", f"heading-shaped line set aside as a table-of-contents entry (no "
                         f"document follows it): {lines[c.index].text!r}", lines[c.index].number)
    # A line is accounted for once: the page's title may repeat as a running title, and a
    # document's heading printed twice beside a page number looks like one too (it is the
    # heading, not furniture).
    recorded = {d.line for d in debris}
    heading_lines = {i for c in headings for i in range(c.index, c.end)}
    for i, reason in layout.furniture.items():
        if i in heading_lines:
            continue
        set_aside.add(i)
        if lines[i].number in recorded:
            continue
        debris.append(Debris(line=lines[i].number, text=lines[i].text, reason=reason))
        if i > headings[0].index:  # within the letters: said (`check --all`), a bare number may be one
            reporter.info("furniture", f"set aside as page furniture ({reason}): {lines[i].text[:60]!r}",
                          lines[i].number)
    for c in headings:
        if c.loose:
            reporter.warning("heading-loose", f"heading of unusual shape, kept verbatim: {lines[c.index].text!r}",
                             lines[c.index].number)
        if c.joined:
            reporter.warning("heading-joined", f"heading read from two lines: {c.heading.text!r}",
                             lines[c.index].number)
        if c.number_line is not None:
            debris.append(Debris(line=lines[c.number_line].number, text=lines[c.number_line].text,
                                 reason="document number (kept as the document's source number)"))
            set_aside.add(c.number_line)
        if c.number is not None:  # a bare `655` or a glued `301` could be a page number too
            where = lines[c.number_line if c.number_line is not None else c.index]
            said = f"line {where.number}, " if c.number_line is not None else ""
            reporter.warning("source-number", f"{where.text.strip()[:40]!r} ({said}before the heading) taken as "
                             f"the source's number of the document ({c.number})", lines[c.index].number)
    _earlier_leaf_notes(lines, headings[0].index, layout.furniture, set_aside, debris, reporter)
    author = _author_line(lines[: headings[0].index], debris)
    page_ends = _page_ends(lines, layout.furniture)
    untitled_line = next((l.number for l in lines if not l.blank), 1)
    title, edition_title, intro, notes = _preamble(
        [l for k, l in enumerate(lines[: headings[0].index])
         if k not in set_aside and not any(d.line == l.number for d in debris)],
        reporter, debris, source_name)
    documents = []
    bounds = [c.index for c in headings] + [len(lines)]
    for k, c in enumerate(headings):
        body = [l for j, l in enumerate(lines[c.end: bounds[k + 1]], start=c.end) if j not in set_aside]
        if c.recipients_only:
            _supply_sender(c, author or ((edition_author, None) if edition_author else None), reporter,
                           lines[c.index].number)
        if c.glued:
            debris.append(Debris(line=lines[c.index].number, text=c.glued,
                                 reason="document number (kept as the document's source number)"))
        doc = parse_document(c.heading, lines[c.index], body, reporter, ids, debris, page_ends)
        if c.number is not None:
            doc.source_number = c.number
        documents.append(doc)
    chapter = Chapter(title=title or "-", source=source_name, intro=intro, notes=notes, documents=documents,
                      debris=sorted(debris, key=lambda d: d.line))
    return ParsedChapter(chapter, edition_title, None if title else untitled_line, author)


# A note's first line at the foot of a printed page (`2 Не публикуется.`), and the rest of
# one broken off on the leaf before (it opens with a small letter: `ведет к …`).
_NOTE_LINE = re.compile(r"^\d{1,2}\s++[^\W\d_]")
_CONTINUED = re.compile(r"^[^\W\d_A-ZА-ЯЁ]")


def _earlier_leaf_notes(lines: list[Line], first_heading: int, furniture: dict[int, str], set_aside: set[int],
                        debris: list[Debris], reporter: Reporter) -> None:
    """A leaf may open in the foot notes of a document printed on the leaf before it: the rest
    of a broken note, further notes, then the page number. Those lines belong to that
    document, not to this page's preamble: set aside as debris and said, never the intro.
    Only before the first page number above the first heading (a printed page's foot)."""
    page_number = next((i for i in sorted(furniture) if i < first_heading and furniture[i] == "page number"), None)
    if page_number is None:
        return
    free = [i for i in range(page_number) if not lines[i].blank and i not in set_aside and i not in furniture]
    start = next((k for k, i in enumerate(free) if _CONTINUED.match(lines[i].text) or _NOTE_LINE.match(lines[i].text)),
                 None)
    if start is None or not any(_NOTE_LINE.match(lines[i].text) for i in free[start:]):
        return
    run = free[start:]
    for i in run:
        debris.append(Debris(line=lines[i].number, text=lines[i].text, reason="notes of a document on an earlier leaf"))
        set_aside.add(i)
    reporter.warning("notes-earlier-leaf", f"the leaf opens in the foot notes of a document printed before it "
                     f"({len(run)} line(s) up to the page number, line {lines[page_number].number}): set aside, "
                     f"not this page's text", lines[run[0]].number)


# A page's author line, as collected works print it: `Сталин И.В.`, `Stalin J. V.`.
# With a label (`Автор: Сталин И.В.`, `Author: J. V. Stalin`) the initials may come first.
_AUTHOR_LINE = re.compile(r"^([A-ZА-ЯЁ][a-zа-яё\-]{2,30})\s++(?:[A-ZА-ЯЁ]\.\s?){1,3}$"
                          r"|^(?:Автор|Author|By)\s*+:?\s++(?:([A-ZА-ЯЁ][a-zа-яё\-]{2,30})\s++(?:[A-ZА-ЯЁ]\.\s?){1,3}"
                          r"|(?:[A-ZА-ЯЁ]\.\s?){1,3}([A-ZА-ЯЁ][a-zа-яё\-]{2,30})\.?)$")


_PAGE_BREAK = ("page number", "running title", "pager")


def _page_ends(lines: list[Line], furniture: dict[int, str]) -> frozenset[int]:
    """The source lines a printed page ends on: the last line of text before its page
    number, running title or pager."""
    ends = set()
    last_text = None  # one pass: the last line of text seen so far
    for i, line in enumerate(lines):
        if i in furniture:
            if furniture[i] in _PAGE_BREAK and last_text is not None:
                ends.add(last_text)
        elif line.text:  # not blank
            last_text = line.number
    return frozenset(ends)


def _supply_sender(c: Candidate, author: Optional[tuple[str, Optional[int]]], reporter: Reporter,
                   line: int) -> None:
    """The sender of a title naming only recipients: the page's author line, else the
    edition's author; said either way (the editor checks it), an error-free gap when neither."""
    if author is None:
        reporter.warning("sender-missing", f"the heading names only its recipients and neither the page (an "
                         f"author line like `Сталин И.В.`) nor edition.toml (`author`) names the sender: "
                         f"{c.heading.text!r}", line)
        return
    name, where = author
    c.heading.senders = names(name)
    source = f"the page's author line (line {where})" if where else "edition.toml's author"
    reporter.warning("sender-supplied", f"sender {name!r} supplied from {source}: the heading names only its "
                     f"recipients: {c.heading.text!r}", line)


def _author_line(lines: list[Line], debris: list[Debris]) -> Optional[tuple[str, int]]:
    """The author a page names above its first document (the sender of a collected works'
    letters, whose titles name only the recipients): (name, line number)."""
    for line in lines:
        m = _AUTHOR_LINE.match(line.text)
        if m:
            debris.append(Debris(line=line.number, text=line.text, reason="author line"))
            return next(g for g in m.groups() if g), line.number
    return None


# A title's last word that is an abbreviation (`1931–1936 гг.`, `вв.`, `etc.`): a short
# lower-case word, whose full stop is its own, not the sentence's.
_ABBREVIATED_END = re.compile(r"(?<!\w)([^\W\d_]{1,3})\.$")


def _title_text(line: str) -> str:
    """The book title as the line gives it, less a closing full stop — but an abbreviation
    keeps its own (`Переписка. 1931–1936 гг.`, which read `… гг` on every title page)."""
    text = line.strip()
    end = _ABBREVIATED_END.search(text)
    if end and end.group(1).islower():
        return text
    return text.strip(" .")


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
            edition_title = _title_text(before[named[-1]].text)
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
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
