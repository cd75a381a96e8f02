"""Parts of the DOCX body written here as pandoc writes them, so pandoc does not have to:
the plain paragraphs of letters and introductions, the calendar's rows, the index's entries.

Why: at 100x pandoc spent 1.4 of its 3.4 s CPU on the calendar (a table row per document)
and the index (links and page fields by the thousand), and 0.75 s of the rest on styled
paragraphs without notes: WordprocessingML of a handful of fixed shapes, which
docx_parts.openxml writes as pandoc's docx writer does.

- Plain paragraphs (`Paragraphs`) reach pandoc as raw openxml blocks. They take none of
  pandoc's ids (bookmarks and notes stay with pandoc), so nothing else it writes changes.
- The calendar reaches pandoc with its first row only and the index with its first entry
  only (`cut`); the rest is inserted into pandoc's document.xml (`insert`) before it is parsed.

The check (`check`): pandoc also writes one paragraph per style and language written raw
(the witnesses, under a heading of their own at the end, then removed), the calendar's first
row and the index's first entry; each must equal ours, element for element, or the caller
runs pandoc again on the whole AST (another pandoc, a reference.docx with other style ids).
Texts pandoc treats specially (CJK runs, soft hyphens, characters XML cannot carry, carriage
returns) are left to pandoc. The bytes are the same either way (tests/test_docx_splice.py).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Optional

from lxml import etree

from .openxml import Json, Unsupported, bookmark_name, paragraph, styled_paragraphs, table_rows

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CALENDAR_TABLE_ID = "calendar-table"  # pandoc_ast.calendar_blocks
INDEX_ID = "index"  # pandoc_ast.index_blocks


class Mismatch(Exception):
    """pandoc's first row or entry differs from ours: the caller runs pandoc on the whole AST."""


WITNESS_ID = "corresp-witnesses"  # the heading pandoc writes the witnesses under (removed)


class Paragraphs:
    """The body's styled paragraphs without notes or bookmarks (most of a letter), given to
    pandoc as raw openxml blocks written here: 0.75 of pandoc's 2.1 s at 100x went to them.
    For each style and language written so, one paragraph is also given to pandoc as it
    was (a witness, under a heading of its own at the end of the AST); `check` compares
    pandoc's writing of each witness with ours and removes them. Raw blocks take no ids of
    pandoc's (bookmarks, notes), so everything else pandoc writes is unchanged."""

    def __init__(self):
        self.witnesses: dict[tuple[str, Optional[str]], tuple[Json, str]] = {}

    def raw(self, block: Json, lang: Optional[str]) -> Json:
        """`block` (pandoc_ast.div of one Para) as a raw block, or as it is."""
        (ident, classes, attrs), inner = block["c"]
        if ident or classes or len(attrs) != 1 or attrs[0][0] != "custom-style" or len(inner) != 1 \
                or inner[0]["t"] != "Para":
            return block
        style = attrs[0][1]
        try:
            xml = paragraph(style, inner[0]["c"], lang)
        except Unsupported:
            return block
        if (style, lang) not in self.witnesses:
            self.witnesses[(style, lang)] = (block, xml)
        return {"t": "RawBlock", "c": ["openxml", xml]}

    def witness_blocks(self) -> list[Json]:
        if not self.witnesses:
            return []
        blocks = [{"t": "Header", "c": [1, [WITNESS_ID, [], []], [{"t": "Str", "c": "witnesses"}]]}]
        for (_, lang), (block, _) in self.witnesses.items():
            blocks.append({"t": "Div", "c": [["", [], [["lang", lang]]], [block]]} if lang else block)
        return blocks

    def xml(self) -> list[str]:
        return [xml for _, xml in self.witnesses.values()]


@dataclass
class Cut:
    """What pandoc was not given: the XML of the calendar's body rows and of the index's
    entries, each list starting with the one pandoc did write (the check)."""
    calendar_rows: Optional[list[str]] = None
    index_entries: Optional[list[str]] = None
    witnesses: Optional[list[str]] = None  # Paragraphs.xml(): pandoc wrote these too, at the end


def _table_body_rows(table: Json) -> list[Json]:
    bodies = table["c"][4]
    if len(bodies) != 1 or bodies[0][1] != 0 or bodies[0][2]:
        raise Unsupported("table bodies")
    return bodies[0][3]


def cut(blocks: list[Json], witnesses: Optional[list[str]] = None) -> Optional[Cut]:
    """Shorten the calendar's table to its first row and the index to its first entry, in
    `blocks` (the AST's), and return their XML (with `witnesses`, Paragraphs.xml()); the
    calendar and the index untouched when a text or a node is one this writer leaves to
    pandoc; None when there is nothing to splice or check."""
    table = next((i for i, b in enumerate(blocks) if b["t"] == "Table" and b["c"][0][0] == CALENDAR_TABLE_ID), None)
    index = next((i for i, b in enumerate(blocks) if b["t"] == "Header" and b["c"][1][0] == INDEX_ID), None)
    result = Cut()
    try:
        if table is not None:
            rows = _table_body_rows(blocks[table])
            if len(rows) > 1:
                result.calendar_rows = table_rows(rows, blocks[table]["c"][2])
        entries = []
        if index is not None:  # heading, explanation, then the entries to the end of the index
            end = index + 2
            while end < len(blocks) and blocks[end]["t"] == "Div" and not blocks[end]["c"][0][0]:
                end += 1
            entries = blocks[index + 2:end]
            if len(entries) > 1:
                result.index_entries = styled_paragraphs(entries)
                if not result.index_entries[0]:  # pandoc writes nothing to check against
                    raise Unsupported("empty first entry")
    except Unsupported:
        result = Cut()
    result.witnesses = witnesses or None
    if result.calendar_rows is None and result.index_entries is None and result.witnesses is None:
        return None
    if result.calendar_rows is not None:
        shortened = copy.copy(blocks[table])
        c = list(shortened["c"])
        body = list(c[4][0])
        body[3] = body[3][:1]
        c[4] = [body]
        shortened["c"] = c
        blocks[table] = shortened
    if result.index_entries is not None:
        del blocks[index + 3:index + 2 + len(entries)]
    return result


def _end_of(xml: bytes, start: int, closing: bytes, count: int) -> int:
    """The offset after the `count`-th `closing` tag from `start`; -1 if there are fewer."""
    at = start
    for _ in range(count):
        at = xml.find(closing, at)
        if at < 0:
            return -1
        at += len(closing)
    return at


def insert(xml: bytes, done: Cut) -> bytes:
    """pandoc's document.xml with our rows after its first calendar row and our entries
    after its first index entry, inserted as text so that the document is parsed once
    (moving 300,000 parsed elements between trees cost more than pandoc's writing them).
    Where they went is checked on the parsed tree (`check`). Mismatch if a place is not found."""
    pieces = []
    if done.calendar_rows is not None:  # the table's head row, then its first body row
        mark = xml.find(b' w:name="%s"' % bookmark_name(CALENDAR_TABLE_ID).encode())
        end = _end_of(xml, mark, b"</w:tr>", 2) if mark >= 0 else -1
        if end < 0 or not xml.startswith(b"</w:tbl>", end):
            raise Mismatch("the calendar's table")
        pieces.append((end, "".join(done.calendar_rows[1:]).encode("utf-8")))
    if done.index_entries is not None:  # the heading, the explanation, the first entry
        mark = xml.find(b' w:name="%s"' % bookmark_name(INDEX_ID).encode())
        end = _end_of(xml, mark, b"</w:p>", 3) if mark >= 0 else -1
        indent = xml[end:xml.find(b"<", end)] if end >= 0 else b"x"
        if indent.strip():
            raise Mismatch("the index")
        pieces.append((end, b"".join(indent + e.encode("utf-8") for e in done.index_entries[1:] if e)))
    out, at = [], 0
    for end, text in sorted(pieces):
        out += [xml[at:end], text]
        at = end
    out.append(xml[at:])
    return b"".join(out)


def _bookmarked(body: etree._Element, name: str) -> Optional[etree._Element]:
    """The body-level element after the bookmarkStart named `name` (pandoc puts a
    section's and a table's bookmarks before them); searched from the end, where the
    calendar and the index stand."""
    for child in reversed(body):
        if child.tag == W + "bookmarkStart" and child.get(W + "name") == name:
            return child.getnext()
    return None


def _serialised(element: etree._Element) -> bytes:
    return etree.tostring(element, with_tail=False)


def _like(xml: str, document: etree._Element) -> bytes:
    """Our XML parsed under the document's namespace declarations, serialised as lxml
    serialises the document's own elements (so equal trees give equal bytes)."""
    decls = "".join(f' xmlns:{p}="{u}"' for p, u in document.nsmap.items())
    root = etree.fromstring(f"<w:body{decls}>{xml}</w:body>", etree.XMLParser(huge_tree=True))
    return _serialised(root[0])


def _check_witnesses(body: etree._Element, witnesses: list[str], document: etree._Element) -> bool:
    """pandoc's paragraphs under the witnesses' heading equal ours; then the heading, its
    bookmark and them are removed, leaving the document as pandoc writes it without them."""
    start = next((c for c in reversed(body) if c.tag == W + "bookmarkStart"
                  and c.get(W + "name") == bookmark_name(WITNESS_ID)), None)
    if start is None:
        return False
    section = [start]
    for el in start.itersiblings():
        section.append(el)
        if el.tag == W + "bookmarkEnd" and el.get(W + "id") == start.get(W + "id"):
            break
    else:
        return False
    written = section[2:-1]  # after the heading paragraph, before the bookmark's end
    if len(written) != len(witnesses) or any(_serialised(p) != _like(x, document) for p, x in zip(written, witnesses)):
        return False
    for el in section:
        body.remove(el)
    return True


def check(document: etree._Element, done: Cut) -> bool:
    """The witnesses, the first row and the first entry pandoc wrote equal ours, and our
    rows and entries follow them: then the rest, written the same way, is what pandoc
    would have written. The witnesses are removed."""
    body = document.find(W + "body")
    if done.witnesses is not None and not _check_witnesses(body, done.witnesses, document):
        return False
    if done.calendar_rows is not None:
        table = _bookmarked(body, bookmark_name(CALENDAR_TABLE_ID))
        rows = table.findall(W + "tr") if table is not None and table.tag == W + "tbl" else []
        if len(rows) != len(done.calendar_rows) + 1 or _serialised(rows[1]) != _like(done.calendar_rows[0], document):
            return False
    if done.index_entries is not None:
        heading = _bookmarked(body, bookmark_name(INDEX_ID))
        explanation = heading.getnext() if heading is not None else None
        first = explanation.getnext() if explanation is not None else None
        if first is None or _serialised(first) != _like(done.index_entries[0], document):
            return False
        last = first
        for _ in filter(None, done.index_entries[1:]):
            last = last.getnext() if last is not None else None
        if last is None or last.tag != W + "p" or (last.getnext() is not None and last.getnext().tag == W + "p"):
            return False
    return True
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
