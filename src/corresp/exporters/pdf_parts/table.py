"""The calendar of documents as a table: number, date, correspondents, shelfmark, page.

A row is one flowable (`TableRow`), the table another (`Table`: the header at the head of
each page it runs on, drawn again there as a pagination artifact): each cell a `TextParagraph` wrapped to its column, the
row as high as its tallest cell, never split (a shelfmark wraps inside its own cell, between its parts --
`calendar.unbroken` -- and never runs on into the next row or page). Numbers and pages stand right-aligned in columns
of their own. The header row (`TH` cells) opens the table; every row is a `TR` of the
structure tree.
"""
from __future__ import annotations

from typing import Optional, Sequence

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.flowables import Flowable

from .tagging import ARTIFACT_LAYOUT, ARTIFACT_PAGE
from .textblock import TextParagraph, word_count
from .words import printable, text_width

GAP = 6.0  # between columns, points

def column_widths(total: float, size: float, dates: Sequence[str] = (), font: str = "") -> list[float]:
    """No., date, correspondents, shelfmark, page: the number and page columns sized by the
    type, the date's by the widest date (a date holds together; at most a quarter of the
    measure), the two texts sharing the rest (the shelfmark a little more)."""
    number, page = 2.6 * size, 2.8 * size
    date = 8.0 * size
    if dates and font:
        date = min(max(text_width(font, printable(d)) * size for d in dates) + 1, total / 4)
    rest = total - number - date - page - 4 * GAP
    return [number, date, rest * 0.45, rest * 0.55, page]


# (id of the row style, bold face) -> (the row style, its cells' styles): made once per table,
# not per row (reportlab copies every attribute into each new style).
_CELL_STYLES: dict[tuple, tuple] = {}


def _cell_styles(style: ParagraphStyle, bold: Optional[str]) -> list[ParagraphStyle]:
    """The styles of a row's five cells: number and page to the right, the rest to the left."""
    got = _CELL_STYLES.get((id(style), bold))
    if got is None or got[0] is not style:
        left = ParagraphStyle("cell", parent=style, alignment=TA_LEFT, firstLineIndent=0, leftIndent=0,
                              rightIndent=0, spaceBefore=0, spaceAfter=0)
        if bold:
            left = ParagraphStyle("cell-head", parent=left, fontName=bold)
        right = ParagraphStyle("cell-right", parent=left, alignment=TA_RIGHT)
        if len(_CELL_STYLES) > 64:  # (the styles of earlier builds in this process)
            _CELL_STYLES.clear()
        got = _CELL_STYLES[(id(style), bold)] = (style, [right, left, left, left, right])
    return got[1]


class TableRow(Flowable):
    def __init__(self, texts: Sequence[str], style: ParagraphStyle, widths: Sequence[float],
                 header: bool = False, bold: Optional[str] = None):
        super().__init__()
        self.widths = list(widths)
        self.header = header
        aligns = _cell_styles(style, bold)
        self.cells = [TextParagraph([t], aligns[i]) for i, t in enumerate(texts)]
        for cell in self.cells if header else ():
            cell.is_note = True  # the header never opens a printed page's text (epub_parts.page_list)
        self.style = style
        self.spaceBefore = 0
        self.spaceAfter = style.spaceAfter
        self.tag = None  # the row's TR element

    def set_page_key(self, key: tuple) -> None:
        """The row as one part (epub_parts.page_list), its cells counting words on."""
        offset = 0
        for cell in self.cells:
            cell.page_key, cell.word_offset = key, offset
            offset += word_count(cell.tokens)

    def set_tags(self, table) -> None:
        """The row as a `TR` of `table`, its cells as `TH` (header) or `TD`."""
        self.tag = table.add("TR")
        for cell in self.cells:
            cell.tag = self.tag.add("TH" if self.header else "TD")

    def wrap(self, availWidth, availHeight):
        # A row's height depends on its fixed column widths only: measured once (the table
        # asks for every row's height each time it is wrapped or split, once per page).
        self.width = availWidth
        if getattr(self, "_measured", None) is None:
            self._measured = max(c.wrap(w, 1e9)[1] for c, w in zip(self.cells, self.widths))
        self.height = self._measured
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return []  # a row stays whole

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        x0 = x
        repeat = self.header and getattr(self, "drawn", False)
        tagged = getattr(canvas, "tagger", None) is not None
        if repeat and tagged:  # the header again on a later page: a pagination artifact
            canvas._code.append(ARTIFACT_PAGE)
        for cell, w in zip(self.cells, self.widths):
            if cell.tokens:
                tag = cell.tag
                if repeat:
                    cell.tag = None
                cell.drawOn(canvas, x, top - cell.height)
                cell.tag = tag
            x += w + GAP
        if repeat and tagged:
            canvas._code.append("EMC")
        self.drawn = True
        if self.header:  # a hairline under the header row (a layout artifact)
            line = f"q 0.4 w {x0:.2f} {y - 2:.2f} m {x0 + self.width:.2f} {y - 2:.2f} l S Q"
            canvas._code.append(f"{ARTIFACT_LAYOUT} {line} EMC" if tagged else line)


class Table(Flowable):
    """The rows under their header, the header repeated at the head of every page the
    table runs on to. Splits between rows only.

    The pieces of a table split over pages share one list of rows and its running heights
    (`_Rows`) and differ in the range they hold, so a calendar of 10,000 rows is not summed
    again, nor copied, on each of its pages."""

    def __init__(self, header: TableRow, rows: list[TableRow], _shared: Optional["_Rows"] = None,
                 _start: int = 0, _end: Optional[int] = None):
        super().__init__()
        self.header = header
        self._shared = _shared or _Rows(rows)
        self._start = _start
        self._end = len(self._shared.rows) if _end is None else _end
        self.spaceBefore = 0
        self.spaceAfter = 0

    @property
    def rows(self) -> list[TableRow]:
        return self._shared.rows[self._start:self._end]

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        h = self.header.wrap(availWidth, 1e9)[1] + self.header.getSpaceAfter()
        self.height = h + self._shared.height(availWidth, self._start, self._end)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        used = self.header.wrap(availWidth, 1e9)[1] + self.header.getSpaceAfter()
        end = self._shared.fit(availWidth, self._start, self._end, availHeight - used)
        if end == self._start:
            return []
        return [Table(self.header, [], self._shared, self._start, end),
                Table(self.header, [], self._shared, end, self._end)]

    def drawOn(self, canvas, x, y, _sW=0):
        cursor = y + self.height
        above = None
        for row in [self.header] + self.rows:
            if above is not None:
                cursor -= above.getSpaceAfter()
            cursor -= row.height
            row.drawOn(canvas, x, cursor)
            above = row


class _Rows:
    """The rows of one table and their running heights: `ends[i]` is the height of rows
    0..i-1 with the space after each, so any range's height is two look-ups."""

    def __init__(self, rows: list[TableRow]):
        self.rows = rows
        self._width: Optional[float] = None
        self.ends: list[float] = []

    def _measure(self, aW: float) -> None:
        if self._width == aW:
            return
        self._width, total, self.ends = aW, 0.0, [0.0]
        for r in self.rows:
            total += r.wrap(aW, 1e9)[1] + r.getSpaceAfter()
            self.ends.append(total)

    def height(self, aW: float, start: int, end: int) -> float:
        """Rows start..end-1, without the space after the last one."""
        if end <= start:
            return 0.0
        self._measure(aW)
        return self.ends[end] - self.ends[start] - self.rows[end - 1].getSpaceAfter()

    def fit(self, aW: float, start: int, end: int, room: float) -> int:
        """The end of the longest run of rows from `start` that fits in `room` (a row needs
        its own height; the space after it counts only under a following row)."""
        self._measure(aW)
        lo, hi = start, end  # rows start..lo-1 fit; find the largest such lo by bisection
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.height(aW, start, mid) <= room + 1e-6:
                lo = mid
            else:
                hi = mid - 1
        return lo
