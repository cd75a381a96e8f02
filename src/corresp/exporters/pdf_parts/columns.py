"""Two columns on the page, for the index: entries run down the left column, then the
right, then on to the next page; the last page's columns are balanced.

`TwoColumns` is one flowable holding the paragraphs still to place. Asked to fit in a page's
room, it fills the left column and the right (a paragraph may break between columns, by
its own orphan and widow rules), and hands the rest on as a new `TwoColumns`. An entry that
runs over a page goes on under its name and "(cont.)" at the head of the next page's left
column (drawn as a pagination artifact: the name is already in the text). A paragraph marked
`keep_with_next` (an entry's name) never ends a column.
"""
from __future__ import annotations

from typing import Optional

from reportlab.platypus.flowables import Flowable

from .tagging import ARTIFACT_PAGE
from .textblock import TextParagraph


class TwoColumns(Flowable):
    def __init__(self, items: list[TextParagraph], gap: float, cont_style, cont_word: str,
                 first_page: bool = True):
        super().__init__()
        self.items = items
        self.gap, self.cont_style, self.cont_word = gap, cont_style, cont_word
        self.first_page = first_page  # no "(cont.)" before the first entry
        self.columns: Optional[tuple[list, list]] = None  # the columns as last measured
        self.laid = False  # a page's part, its columns fixed by split
        self.cont: Optional[TextParagraph] = None

    def _col_width(self, aW: float) -> float:
        return (aW - self.gap) / 2

    def _cont_line(self, items: list, width: float) -> Optional[TextParagraph]:
        name = getattr(items[0], "continues", None) if items and not self.first_page else None
        if not name:
            return None
        cont = TextParagraph([f"{name} {self.cont_word}"], self.cont_style)
        cont.is_note = True  # a pagination line, not the index's text (epub_parts.page_list)
        cont.wrap(width, 1e9)
        return cont

    def _fill(self, items: list, width: float, height: float, used: float = 0.0):
        """(what one column of `height` takes from `items`, the rest)."""
        placed: list = []
        i = 0
        while i < len(items):
            f = items[i]
            space = f.getSpaceBefore() if placed else 0.0
            h = f.wrap(width, 1e9)[1]
            if used + space + h <= height + 1e-6:
                placed.append(f)
                used += space + h
                i += 1
                continue
            parts = f.split(width, height - used - space)
            if len(parts) == 2:
                parts[1].continues = getattr(f, "entry", None)
                placed.append(parts[0])
                return placed, [parts[1]] + items[i + 1:]
            break
        rest = items[i:]
        while placed and rest and getattr(placed[-1], "keep_with_next", False) and len(placed) > 1:
            rest.insert(0, placed.pop())  # an entry's name goes over with its first line
        return placed, rest

    def _lay(self, aW: float, height: float):
        width = self._col_width(aW)
        cont = self._cont_line(self.items, width)
        used = cont.height if cont is not None else 0.0
        left, rest = self._fill(self.items, width, height, used)
        right, rest = self._fill(rest, width, height)
        return cont, left, right, rest

    def _used(self, col: list, cont=None) -> float:
        h = cont.height if cont is not None else 0.0
        for k, f in enumerate(col):
            h += (f.getSpaceBefore() if k else 0.0) + f.height
        return h

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        if self.laid:
            return self.width, self.height
        # All of it on this page? Then the shortest height that holds it in two columns.
        width = self._col_width(availWidth)
        total = sum(f.wrap(width, 1e9)[1] + f.getSpaceBefore() for f in self.items)
        cont, left, right, rest = self._lay(availWidth, availHeight)
        if rest:
            self.height = 0xFFFFFF  # more than a page: the frame asks for a split
            return self.width, self.height
        lo, hi = total / 2, availHeight
        lay = (cont, left, right)
        for _ in range(12):  # bisection on the columns' height
            mid = (lo + hi) / 2
            c, l, r, rest = self._lay(availWidth, mid)
            if rest:
                lo = mid
            else:
                hi, lay = mid, (c, l, r)
        self.cont, left, right = lay
        self.columns = (left, right)
        self.height = max(self._used(left, self.cont), self._used(right))
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.width = availWidth
        cont, left, right, rest = self._lay(availWidth, availHeight)
        if not left:
            return []
        page = TwoColumns([], self.gap, self.cont_style, self.cont_word, self.first_page)
        page.columns, page.cont, page.width, page.laid = (left, right), cont, availWidth, True
        page.height = max(page._used(left, cont), page._used(right))
        if not rest:
            return [page]
        return [page, TwoColumns(rest, self.gap, self.cont_style, self.cont_word, first_page=False)]

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        width = self._col_width(self.width)
        tagged = getattr(canvas, "tagger", None) is not None
        for k, col in enumerate(self.columns or ()):
            cx, cursor = x + k * (width + self.gap), top
            if k == 0 and self.cont is not None:
                cursor -= self.cont.height
                if tagged:
                    canvas._code.append(ARTIFACT_PAGE)
                self.cont.drawOn(canvas, cx, cursor)
                if tagged:
                    canvas._code.append("EMC")
            for i, f in enumerate(col):
                cursor -= (f.getSpaceBefore() if i else 0.0) + f.height
                f.drawOn(canvas, cx, cursor)
