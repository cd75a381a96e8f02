"""The DOCX's contents, filled when the file is built: one entry per chapter, document,
calendar and index, each a link to its heading with the page as a PAGEREF field.

Why no TOC field: LibreOffice shows a TOC field's cached entries as they are written (an
empty field: an empty page; cached page numbers: those numbers), while it computes every
PAGEREF field from its own layout. So the entries are plain paragraphs in Word's own "toc 1"
and "toc 2" styles, each holding a hyperlink and a PAGEREF to a hidden bookmark (`_Toc…`) at
its heading: LibreOffice prints the true pages; Word shows the page estimated here until the
fields are updated (select all, F9; or on printing), and never asks to update on opening.

The estimate lays the text out roughly (characters per line and lines per page by style, the
notes at the foot of their reference's page, a page break before each heading 1): close, not
exact. It is a cached value only; both word processors replace it with the real page.
"""
from __future__ import annotations

import copy
import math
import re
from typing import Optional

from lxml import etree

from ...errors import ExportError
from ...word_styles import CONTENTS_LEVELS, DOCUMENT_HEADING, style_id
from .front_matter import CONTENTS_PLACEHOLDER

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
HEADING_1 = "Heading1"
DOC_HEADING = style_id(DOCUMENT_HEADING)
LEVEL_IDS = tuple(CONTENTS_LEVELS.values())  # TOC1 (chapters, calendar, index), TOC2 (documents)


def document_bookmark(number: int) -> str:
    """The hidden bookmark at document `number`'s heading (the calendar's page column uses it)."""
    return f"_TocDoc{number}"


def part_bookmark(index: int) -> str:
    """The hidden bookmark at the `index`-th heading 1 (chapters, then calendar and index), from 1."""
    return f"_TocPart{index}"


P, PPR, PSTYLE, VAL, ANCHOR = W + "p", W + "pPr", W + "pStyle", W + "val", W + "anchor"
T, BR, NOTE_REF, BOOKMARK = W + "t", W + "br", W + "footnoteReference", W + "bookmarkStart"
INSTR, FLD_CHAR, FLD_CHAR_TYPE = W + "instrText", W + "fldChar", W + "fldCharType"


def _style(p) -> str:
    s = p.find(f"{W}pPr/{W}pStyle")
    return s.get(W + "val") if s is not None else ""


class Styles(dict):
    """Paragraph -> its style id ("" without one), for every paragraph of `body`, read in one
    pass over the pStyle elements: the contents, its page estimate and the sections ask
    113,000 times at 100x, and a path lookup per paragraph cost a third of a second.
    A paragraph added later (the contents' entries) is looked up when asked."""

    def __init__(self, body):
        super().__init__()
        for s in body.iter(PSTYLE):
            ppr = s.getparent()
            p = ppr.getparent() if ppr.tag == PPR else None
            if p is not None and p.tag == P and p not in self:  # the first, as find() gives
                self[p] = s.get(VAL)

    def of(self, p) -> str:
        try:
            return self[p]
        except KeyError:
            return _style(p)


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def _el(tag: str, parent=None, **attrs):
    el = etree.Element(W + tag) if parent is None else etree.SubElement(parent, W + tag)
    for k, v in attrs.items():
        el.set(W + k, v)
    return el


def _run(parent, text: Optional[str] = None, **child):
    r = _el("r", parent)
    if text is not None:
        t = _el("t", r)
        t.text = text
        t.set(XML_SPACE, "preserve")
    for tag, attrs in child.items():
        _el(tag, r, **attrs)
    return r


def pageref(parent, bookmark: str, cached: str) -> None:
    """A PAGEREF field to `bookmark` showing `cached` until a word processor computes it."""
    _run(parent, fldChar={"fldCharType": "begin"})
    r = _el("r", parent)
    instr = _el("instrText", r)
    instr.text = f" PAGEREF {bookmark} \\h "
    instr.set(XML_SPACE, "preserve")
    _run(parent, fldChar={"fldCharType": "separate"})
    _run(parent, cached)
    _run(parent, fldChar={"fldCharType": "end"})


def add_bookmarks(body, styles: Styles) -> list[tuple[int, str, str, etree._Element]]:
    """A hidden bookmark around each heading 1 and document heading: (level, text, name, paragraph)."""
    ids = [int(b.get(W + "id")) for b in body.iter(W + "bookmarkStart") if (b.get(W + "id") or "").isdigit()]
    next_id = max(ids, default=0) + 1
    heads = []
    parts = docs = 0
    for p, style in styles.items():  # document order: built by one walk of the body
        if style == HEADING_1:
            parts += 1
            level, name = 0, part_bookmark(parts)
        elif style == DOC_HEADING:
            docs += 1
            level, name = 1, document_bookmark(docs)
        else:
            continue
        start = _el("bookmarkStart", id=str(next_id), name=name)
        ppr = p.find(W + "pPr")
        (ppr.addnext(start) if ppr is not None else p.insert(0, start))
        _el("bookmarkEnd", p, id=str(next_id))
        next_id += 1
        heads.append((level, _text(p), name, p))
    return heads


_PAGEREF = re.compile(r"\s*PAGEREF\s+(\S+)")


def fill_cached_pages(body, pages: dict[str, int]) -> None:
    """The calendar's and the index's PAGEREF fields (written empty by pandoc_ast) show the
    estimated page until the word processor updates them: Word shows a field's cached
    result, so an empty one left blank page columns and `1 ()` in the index."""
    match, page_of = _PAGEREF.match, pages.get  # 11,000 fields at 100x: each lookup once
    for instr in body.iter(INSTR):
        m = match(instr.text or "")
        page = page_of(m.group(1)) if m else None
        if page is None:
            continue
        run = instr.getparent().getnext()
        char = run.find(FLD_CHAR) if run is not None else None
        while run is not None and char is None:
            run = run.getnext()
            char = run.find(FLD_CHAR) if run is not None else None
        if char is None or char.get(FLD_CHAR_TYPE) != "separate":
            continue
        result = run.getnext()
        t = result.find(T) if result is not None else None
        if t is not None and not t.text:
            t.text = str(page)


def _entry():
    """A contents entry (its values set by fill_contents): style, link, text, tab, PAGEREF."""
    p = _el("p")
    _el("pStyle", _el("pPr", p), val="")
    link = _el("hyperlink", p, anchor="", history="1")
    _run(link, "")
    _run(link, tab={})
    pageref(link, "", "")
    return p


def fill_contents(body, note_lengths: dict[str, int], styles: Optional[Styles] = None) -> Optional[etree._Element]:
    """Bookmark the headings and put their entries where the placeholder stands; returns the
    last paragraph of the front matter (the section ends there), None without a placeholder.
    (check_no_placeholder, on the serialised document, checks that no other was left.)"""
    placeholder = next((p for p in body.iter(W + "p") if _text(p) == CONTENTS_PLACEHOLDER), None)
    if placeholder is None:
        return None
    styles = Styles(body) if styles is None else styles
    heads = add_bookmarks(body, styles)
    pages = estimate_pages(body, note_lengths, placeholder, styles)
    fill_cached_pages(body, pages)
    last = placeholder
    template = _entry()
    for level, text, name, _ in heads:
        # A copy of one entry made in C, its five values set: 5x faster than building each.
        p = copy.deepcopy(template)
        p[0][0].set(VAL, LEVEL_IDS[level])
        link = p[1]
        link.set(ANCHOR, name)
        link[0][0].text = text
        link[3][0].text = f" PAGEREF {name} \\h "
        link[5][0].text = str(pages.get(name, ""))
        last.addnext(p)
        last = p
    if heads:
        body.remove(placeholder)
    else:
        placeholder.find(f".//{W}t").text = ""
        last = placeholder
    return last


def check_no_placeholder(document_xml: bytes) -> None:
    """The serialised document holds no contents placeholder (one more than we filled):
    a search of its bytes, 6x cheaper than a walk of its 130,000 runs' texts at 100x."""
    if CONTENTS_PLACEHOLDER.encode("utf-8") in document_xml:
        raise ExportError("the DOCX contents placeholder was left in the document")


# --- the estimate -------------------------------------------------------------------------
TEXT_HEIGHT = 700.0  # pt: A4 less the reference's top and bottom margins (2.5 cm each)
TEXT_WIDTH = 482.0  # pt: A4 less 2 cm each side
EM = 0.48  # the mean advance of a serif letter, in ems
# style id -> (size pt, line factor, space before + after pt)
LOOK = {"Heading1": (16, 1.15, 24), DOC_HEADING: (13, 1.15, 30), "ArchiveLine": (10, 1.15, 8),
        "IndexEntry": (10, 1.15, 2), "CalendarEntry": (9, 1.15, 4), "FootnoteText": (10, 1.15, 3),
        "Transmission": (10, 1.15, 0), "Dispatch": (10, 1.15, 0), "SecretaryAnnotation": (10, 1.15, 0),
        "Enclosure": (11, 1.15, 6)}
BODY = (12, 1.15, 3)


def _height(chars: int, style: str, width: float = TEXT_WIDTH) -> float:
    size, factor, space = LOOK.get(style, BODY)
    per_line = max(1, int(width / (size * EM)))
    return max(1, math.ceil(chars / per_line)) * size * factor + space


def _segments(p) -> list[int]:
    """The lengths of a paragraph's lines as written (split at its line breaks)."""
    out = [0]
    for node in p.iter(T, BR):
        if node.tag == BR:
            out.append(0)
        else:
            out[-1] += len(node.text or "")
    return out


def _paragraph_height(p, style: str, width: float) -> float:
    size, factor, space = LOOK.get(style, BODY)
    lines = sum(_height(n, style, width) - space for n in _segments(p))
    return lines + space


def _row_height(row, shares: list[float], styles: Styles) -> float:
    """A table row: as tall as its tallest cell, each cell as wide as its grid column."""
    cells = row.findall(W + "tc")
    shares = shares if len(shares) == len(cells) else [1 / max(1, len(cells))] * len(cells)
    return max((sum(_paragraph_height(p, styles.of(p) or "CalendarEntry", TEXT_WIDTH * share)
                    for p in cell.iter(P)) for cell, share in zip(cells, shares)), default=0.0)


def _two_column_ends(body) -> set:
    """The paragraphs that end a section of two columns (pPr/sectPr/cols num="2"), found
    from the few cols elements rather than by a path lookup in each of 37,000 paragraphs."""
    ends = set()
    for cols in body.iter(W + "cols"):
        sect = cols.getparent()
        ppr = sect.getparent() if sect.tag == W + "sectPr" else None
        p = ppr.getparent() if ppr is not None and ppr.tag == PPR else None
        if p is not None and p.tag == P and cols.get(W + "num") == "2":
            ends.add(p)
    return ends


def estimate_pages(body, note_lengths: dict[str, int], front_end, styles: Optional[Styles] = None) -> dict[str, int]:
    """Bookmark name -> the page it is estimated to fall on (1 = the first chapter's page)."""
    styles = Styles(body) if styles is None else styles
    pages: dict[str, int] = {}
    two_column_ends = _two_column_ends(body)
    page, used, started, columns = 0, 0.0, False, 1
    for block in body:
        if block is front_end:
            started = True
            continue
        if not started:
            continue
        if block.tag == W + "tbl":
            grid = [float(g.get(W + "w") or 0) for g in block.iter(W + "gridCol")]
            shares = [g / sum(grid) for g in grid] if sum(grid) else []
            units = [(row, _row_height(row, shares, styles)) for row in block.iter(W + "tr")]
        elif block.tag == P:
            units = [(block, None)]
        else:
            continue
        for unit, height in units:
            style = styles.of(unit) if unit.tag == P else ""
            if style == HEADING_1 or page == 0:
                page, used = page + 1, 0.0
                columns = 1
            # The unit's lines (a paragraph's), notes and bookmarks in one walk of it (each
            # summed in reading order, as before: the same floating-point sums).
            notes, marks, segments = 0, [], [0]
            for node in unit.iter(T, BR, NOTE_REF, BOOKMARK) if height is None else unit.iter(NOTE_REF, BOOKMARK):
                tag = node.tag
                if tag == T:
                    segments[-1] += len(node.text or "")
                elif tag == BR:
                    segments.append(0)
                elif tag == NOTE_REF:
                    notes += _height(note_lengths.get(node.get(W + "id"), 0), "FootnoteText")
                else:
                    marks.append(node.get(W + "name") or "")
            if height is None:  # as _paragraph_height
                width, space = TEXT_WIDTH / columns, LOOK.get(style, BODY)[2]
                height = (sum(_height(n, style, width) - space for n in segments) + space) / columns
            if used + height + notes > TEXT_HEIGHT and used > 0:
                page, used = page + 1, 0.0
            for name in marks:
                if name.startswith("_Toc"):
                    pages[name] = page
            used += height + notes
            if unit in two_column_ends:
                columns = 2
    return pages
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
