"""A paragraph and the signature under it, kept so the signature never opens a page alone.

A letter's signature is a short line; if it does not fit under the last paragraph, a
book takes the paragraph's last lines over to the next page with it rather than print
the signature by itself at the top of a page. `WithTail` is that pair as one flowable:
it splits only inside the paragraph, leaving at least `KEEP_LINES` of it with the tail.
"""
from __future__ import annotations

from reportlab.platypus.flowables import Flowable

from .footnotes import PLAIN_FLOWABLES
from .textblock import TextParagraph

KEEP_LINES = 2


class WithTail(Flowable):
    def __init__(self, para: TextParagraph, tail: list[Flowable]):
        super().__init__()
        self.para, self.tail = para, tail
        self.style = para.style  # spaceBefore and the frame's leading come from the paragraph
        self.spaceBefore = para.getSpaceBefore()
        self.spaceAfter = tail[-1].getSpaceAfter()
        self.keepWithNext = 0

    def note_keys(self) -> list[str]:
        keys = list(self.para.note_keys())
        for f in self.tail:
            keys += f.note_keys() if hasattr(f, "note_keys") else []
        return keys

    def _tail_height(self, aW: float, top: float | None = None) -> float:
        # Between two flowables the larger of the space after and the space before, as
        # reportlab's frames do (overlapAttachedSpace). A tail line in the body's leading
        # (a signature under an enclosure) drops to the frame's baseline grid, as it would
        # standing alone (`FootnoteFrame.grid_drop`): `top` is where the pair starts.
        frame = getattr(self, "_frame", None)
        grid = getattr(frame, "grid", None) if top is not None else None
        h, above = self.para.height, self.para
        self._drops = []
        for f in self.tail:
            h += max(above.getSpaceAfter(), f.getSpaceBefore())
            drop = 0.0
            if grid is not None and abs(getattr(f.style, "leading", 0) - grid[0]) < 0.01:
                first = frame._y2 - frame._topPadding - grid[1]
                drop = (top - h - f.style.fontSize - first) % grid[0]
                drop = 0.0 if drop < 0.01 or drop > grid[0] - 0.01 else drop
            self._drops.append(drop)
            h += drop + f.wrap(aW, 1e9)[1]
            above = f
        return h - self.para.height

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        frame = getattr(self, "_frame", None)
        top = frame._y - frame._space_before(self) if hasattr(frame, "_space_before") else None
        self.height = self.para.wrap(availWidth, availHeight)[1] + self._tail_height(availWidth, top)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        if self.wrap(availWidth, availHeight)[1] <= availHeight:
            return [self]
        lines = len(self.para.lines(availWidth))
        leading = self.para.style.leading
        # Lines of the paragraph that may stay on this page: as many as fit, but never so
        # many that fewer than KEEP_LINES go on with the tail.
        keep = min(int(availHeight / leading), lines - KEEP_LINES)
        parts = self.para.split(availWidth, keep * leading + 1e-6) if keep > 0 else []
        if len(parts) == 2:
            return [parts[0], WithTail(parts[1], self.tail)]
        frame = getattr(self, "_frame", None)
        if frame is None or not getattr(frame, "_atTop", 0):
            return []  # too few lines to split (orphan rules): all goes on together, overleaf
        # Already at the top of a page and still too tall (a wide face, notes taking the
        # foot): keeping the tail with the text cannot be had, so the text is split as any
        # paragraph is and the tail follows it, rather than failing the whole layout.
        parts = self.para.split(availWidth, availHeight)
        if len(parts) == 2:
            return [parts[0], WithTail(parts[1], self.tail)]
        return [self.para, *self.tail]

    def drawOn(self, canvas, x, y, _sW=0):
        cursor = y + self.height - self.para.height
        self.para.drawOn(canvas, x, cursor)
        above = self.para
        for f, drop in zip(self.tail, self._drops):
            _, h = f.wrap(self.width, 1e9)
            cursor -= max(above.getSpaceAfter(), f.getSpaceBefore()) + drop + h
            f.drawOn(canvas, x, cursor)
            above = f


PLAIN_FLOWABLES.add(WithTail)


class AtFoot(Flowable):
    """Flowables set at the foot of the page, under whatever space is left (the imprint of
    the title page, the copyright page's lines). Takes the rest of the page."""

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.flowables = flowables

    def _content(self, aW: float) -> float:
        h, above = 0.0, None
        for f in self.flowables:
            if above is not None:
                h += max(above.getSpaceAfter(), f.getSpaceBefore())
            h += f.wrap(aW, 1e9)[1]
            above = f
        return h

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = max(self._content(availWidth), availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return list(self.flowables)  # taller than a page: as a run of paragraphs

    def drawOn(self, canvas, x, y, _sW=0):
        cursor = y + self._content(self.width)
        above = None
        for f in self.flowables:
            if above is not None:
                cursor -= max(above.getSpaceAfter(), f.getSpaceBefore())
            cursor -= f.height
            f.drawOn(canvas, x, cursor)
            above = f

from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
