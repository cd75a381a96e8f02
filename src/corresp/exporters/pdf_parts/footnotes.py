"""Page-bottom footnotes for reportlab, which has none of its own.

How it works, in one pass over the story:

* A marker (`markers.Mark`) is a superscript label linking to the note; it leaves the named
  destination `mk-KEY` where it is printed. Any piece of a split paragraph knows which
  notes it carries (`note_keys`) -- the note follows its marker, not its paragraph.
* `FootnoteFrame` is the body frame of a page. Before it places a flowable that carries
  markers, it asks `FootnoteArea.need` how much room the new notes take at the foot and
  places the flowable only if text and notes fit together; the bottom of the text area then
  rises by the notes' height, so text and notes never overlap. When a paragraph does not fit,
  it is split so that the lines that stay on the page fit together with *their* notes.
* Only the first lines of the last note of a page must fit (two lines, or the whole note if
  it has three or fewer); the rest of that note is queued and continues at the foot of the
  next page (at most `max_continued_fraction` of it, so long notes cannot starve the text;
  after the last flowable the queue is emptied onto further pages).
* `FootnoteArea.draw` prints the page's notes under a short rule when the page ends (a full
  rule when the page begins with a continued note, as in LaTeX) and puts the named
  destination `fn-KEY` at the start of each note.

If a note cannot start on its marker's page (only possible for a run of notes longer than
a page that are still queued), it starts on the next page and a warning says so.
"""
from __future__ import annotations

from typing import Optional

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.pdfdoc import PDFObjectReference, PDFPage
from reportlab.platypus import Frame, KeepTogether, PageBreak
from reportlab.platypus.doctemplate import (ActionFlowable, BaseDocTemplate, FrameActionFlowable, FrameBreak,
                                            LayoutError, NextPageTemplate, PageBegin, _addGeneratedContent, _fSizeString,
                                            _ktAllow)
from reportlab.platypus.flowables import DDIndenter, PageBreakIfNotEmpty, SlowPageBreak
from reportlab.platypus.frames import _FUZZ

from .markers import MARK_PREFIX, NOTE_PREFIX, Mark, marker, note_key, note_keys
from .note_area import FootnoteArea, NoteLook, NoteSpec, Piece
from .textblock import TextParagraph

__all__ = ["MARK_PREFIX", "NOTE_PREFIX", "Mark", "TextParagraph", "marker",
           "note_key", "note_keys", "FootnoteArea", "NoteLook", "NoteSpec", "Piece",
           "FootnoteFrame", "KeepWithNextGroup", "RecordingCanvas", "FootnotesDocMixin"]



def _wrap_in_frame(fd: dict, flowable, y: float, p: float, aW: float, s: float, trySplit) -> tuple[float, float, bool]:
    """Frame._add's measure (both ways of adding to our frame): the flowable wrapped in the
    height left above the frame's bottom `p`, its space before `s` added. Returns its width,
    the y it would be drawn at, and whether it fits (raising reportlab's error where
    reportlab does). `fd`: the frame's __dict__."""
    w, h = flowable.wrap(aW, y - p - s)
    h += s
    y -= h
    if y < p - _FUZZ:
        if not rl_config.allowTableBoundsErrors and ((h > fd["_aH"] or w > aW) and not trySplit):
            raise _too_large(flowable, w, h, aW, fd["_aH"])
        return w, y, False
    return w, y, True


def _draw_and_advance(fd: dict, flowable, canv, y: float, slack: float, space_after: float) -> None:
    """Frame._add's last step (both ways of adding to our frame): the flowable drawn at y,
    the frame's top moved below it and its space after. `fd`: the frame's __dict__."""
    flowable.drawOn(canv, fd["_x"], y, _sW=slack)
    y -= space_after
    if fd["_oASpace"]:
        fd["_prevASpace"] = space_after
    if y != fd["_y"]:
        fd["_atTop"] = 0
    fd["_y"] = y


def _too_large(flowable, w, h, aW, aH) -> LayoutError:
    """reportlab's Frame._add error, as it words it (both ways of adding to our frame)."""
    return LayoutError("Flowable %s (%sx%s points) too large for frame (%sx%s points)." % (
        flowable.__class__, w, h, aW, aH))

class FootnoteFrame(Frame):
    """A page's text frame that keeps room at its foot for the notes of what it holds."""

    def __init__(self, footnotes: FootnoteArea, *args, **kw):
        self.footnotes = None  # Frame.__init__ resets the frame; no page has begun yet
        super().__init__(*args, **kw)
        self.footnotes = footnotes
        self.page = 0
        self.ink_bottom = self._y  # lowest point text reached on this page

    # Frame.__setattr__ is a Python call on every write (it watches the geometry's names,
    # none of which the writes below touch): they go to the instance's dict, as it would.

    def _reset(self):
        super()._reset()
        fd = self.__dict__
        # Frame._reset leaves _y1p alone, and we raise it as notes accumulate: lower it again.
        fd["text_bottom"] = fd["_y1p"] = self._y1 + self._bottomPadding
        if self.footnotes is not None:
            self.footnotes.begin_page(self._aW, self._y - self.text_bottom)
            fd["_y1p"] = self.text_bottom + self.footnotes.height
        fd["ink_bottom"] = self._y
        fd["closing"] = 0

    def _space_before(self, flowable) -> float:
        # As Frame.split computes it, so our sums agree with the frame's own.
        if self._atTop:
            return 0.0
        s = flowable.getSpaceBefore()
        return max(s - self._prevASpace, 0) if self._oASpace else s

    # The baseline grid: every line set in the body's leading stands on one grid, counted
    # from the first baseline of the text block (top minus the body's size). A flowable in
    # that leading starts on the next grid line at or below where it would start; what
    # comes between (headings, archive lines, enclosures in their own leading, spaces) is
    # made up for by that drop, so the text after it is back on the grid. (grid: (leading,
    # size) of the body; None: no grid.)
    grid = None

    def grid_drop(self, flowable) -> float:
        """How far below the current position `flowable` must start so that its first
        baseline falls on the grid (0 for flowables in another leading)."""
        if self.grid is None:
            return 0.0
        leading, size = self.grid
        st = getattr(flowable, "style", None)
        if st is None or abs(getattr(st, "leading", 0) - leading) > 0.01:
            return 0.0
        base = self._y - self._space_before(flowable) - st.fontSize
        first = self._y2 - self._topPadding - size
        drop = (base - first) % leading
        return 0.0 if drop < 0.01 or drop > leading - 0.01 else drop

    # reportlab's build asks every frame for this after each flowable (getattr with a
    # default); Frame.__getattr__ answers a missing attribute by raising, which costs more
    # than the question. None is what the default gives.
    _generated_content = None

    # A page ended early (a chapter's tail): 1 while the first part of the split is still to
    # be added, then 2: the page takes nothing more.
    closing = 0

    def _add(self, flowable, canv, trySplit=0):
        fd = self.__dict__
        if self.closing == 2:
            return 0
        if self.closing == 1:
            fd["closing"] = 2
        drop = self.grid_drop(flowable)
        if drop:
            fd["_y"] -= drop
        ok = self._add_with_notes(flowable, canv, trySplit)
        if not ok:
            if drop:
                fd["_y"] += drop
            return ok
        if self._y < self.ink_bottom:
            fd["ink_bottom"] = min(self.ink_bottom, self._y + flowable.getSpaceAfter())
        return ok

    add = _add  # Frame binds `add` to its own _add at class creation

    def add_plain(self, flowable, canv, trySplit=1) -> int:
        """`_add(flowable, canv, trySplit)` for a flowable of PLAIN_FLOWABLES that calls
        no notes (most of a book), in one function: the grid drop, `_add_with_notes` and
        `_place` inlined, the same arithmetic in the same order and the same writes to the
        frame (a drop taken back is added back, as `_add` does, not forgotten: x - d + d
        need not be x). Anything else goes to `_add`."""
        fd, d = self.__dict__, flowable.__dict__
        if (fd.get("_frameBGs") or fd["_leftExtraIndent"] or fd["_rightExtraIndent"] or "frameAction" in d
                or (self.footnotes is not None and flowable.note_keys())):
            return self._add(flowable, canv, trySplit)
        closing = fd.get("closing", 0)
        if closing == 2:
            return 0
        if closing == 1:
            fd["closing"] = 2
        st = flowable.style
        # The space above it, as Flowable.getSpaceBefore and Frame._add have it (plain
        # flowables have no class attribute of that name).
        if fd["_atTop"]:
            s = 0
        else:
            s = d["spaceBefore"] if "spaceBefore" in d else getattr(st, "spaceBefore", 0)
            if fd["_oASpace"]:
                s = max(s - fd["_prevASpace"], 0)
        drop = 0.0  # grid_drop
        grid = self.grid
        if grid is not None:
            leading = grid[0]
            if abs(getattr(st, "leading", 0) - leading) <= 0.01:
                base = fd["_y"] - (s or 0.0) - st.fontSize
                first = fd["_y2"] - fd["_topPadding"] - grid[1]
                drop = (base - first) % leading
                if drop < 0.01 or drop > leading - 0.01:
                    drop = 0.0
        if drop:
            fd["_y"] -= drop
        d["_frame"], d["canv"] = self, canv
        ok = 0
        try:
            y, p, aW = fd["_y"], fd["_y1p"], fd["_aW"]
            h = y - p - s
            if h > 0:
                w, y, fits = _wrap_in_frame(fd, flowable, y, p, aW, s, trySplit)
                if fits:
                    sa = d["spaceAfter"] if "spaceAfter" in d else getattr(st, "spaceAfter", 0)
                    _draw_and_advance(fd, flowable, canv, y, aW - w, sa)
                    ok = 1
        finally:
            d.pop("canv", None)
            d.pop("_frame", None)
        if not ok:
            if drop:
                fd["_y"] += drop
            return 0
        if y < fd["ink_bottom"]:
            sa = d["spaceAfter"] if "spaceAfter" in d else getattr(st, "spaceAfter", 0)
            fd["ink_bottom"] = min(fd["ink_bottom"], y + sa)
        return 1

    def _add_with_notes(self, flowable, canv, trySplit):
        fn = self.footnotes
        keys = note_keys(flowable)  # (most flowables have none: no list of the unplaced made)
        if keys and fn is not None:
            keys = fn.unplaced(keys)
        if not keys or fn is None:
            return self._place(flowable, canv, trySplit)
        fd = self.__dict__
        if fn.queue and self._atTop:
            # A long continued note holds back the notes of this page's first flowable.
            # Give the page to that note; the flowable tries again on the next page (so
            # reportlab must not count this as a failure at the top of a frame).
            fn.drain()
            fd["_y1p"] = max(self._y1p, self.text_bottom + fn.height)
            flowable.__dict__.pop("_postponed", None)
        # Forcing (see FootnoteArea.need) is decided by split_with_notes, which tries
        # every honest split first; it marks the piece it could only place by force.
        for forced in ((False, True) if self._atTop and getattr(flowable, "_force_notes", False) else (False,)):
            need = fn.need(keys, forced)
            if need is None:
                continue
            bottom = self._y1p
            fd["_y1p"] = bottom + need
            try:
                ok = self._place(flowable, canv, trySplit)
            finally:
                fd["_y1p"] = bottom
            if ok:
                full = fn.commit(keys, self._y - bottom, self.page)
                fd["_y1p"] = self.text_bottom + fn.height
                if full:
                    fd["_y1p"] = max(self._y1p, self._y)
                return 1
        return 0

    def _place(self, flowable, canv, trySplit):
        """Frame._add of reportlab 5.1, without what no flowable of a book uses: frame
        actions, zero-size and space-transfer flowables (a class attribute where reportlab
        has them), frame backgrounds, extra indents (those go to Frame._add). The same
        positions, without the generic checks and Frame's __setattr__ on every write:
        they cost more than placing a paragraph whose lines are already broken."""
        fd = self.__dict__
        simple = _SIMPLE_TYPES.get(type(flowable))
        if simple is None:
            simple = _SIMPLE_TYPES[type(flowable)] = not (
                getattr(type(flowable), "frameAction", None) or getattr(type(flowable), "_ZEROSIZE", False)
                or getattr(type(flowable), "_SPACETRANSFER", False))
        if (not simple or fd.get("_frameBGs") or fd["_leftExtraIndent"] or fd["_rightExtraIndent"]
                or "frameAction" in flowable.__dict__):
            return Frame._add(self, flowable, canv, trySplit)
        d = flowable.__dict__
        d["_frame"], d["canv"] = self, canv
        try:
            y, p, aW = fd["_y"], fd["_y1p"], fd["_aW"]
            s = 0
            if not fd["_atTop"]:
                s = flowable.getSpaceBefore()
                if fd["_oASpace"]:
                    s = max(s - fd["_prevASpace"], 0)
            h = y - p - s
            if h <= 0:
                return 0
            w, y, fits = _wrap_in_frame(fd, flowable, y, p, aW, s, trySplit)
            if not fits:
                return 0
            _draw_and_advance(fd, flowable, canv, y, aW - w, flowable.getSpaceAfter())
            return 1
        finally:
            d.pop("canv", None)
            d.pop("_frame", None)

    def split(self, flowable, canv):
        if self.closing == 2:
            return []
        flowable._frame = self  # as reportlab's own split does: a flowable may ask whether it is at the top
        fd = self.__dict__
        drop = self.grid_drop(flowable)
        fd["_y"] -= drop  # measured from where it would start: on the grid
        try:
            parts = self._split(flowable, canv)
            need = self.CHAPTER_TAIL_LINES * self.grid[0] if self.grid else 0.0
            tail = self._chapter_tail(parts, canv)
            short = 0.0
            while tail is not None and tail < need - 0.01 and short < need:
                # The chapter would end on a page of a few lines: this page gives it some
                # of its own (the paragraph split a line higher, and again), if it can.
                short += self.grid[0]
                fd["_y1p"] += short
                try:
                    fewer = self._split(flowable, canv)
                finally:
                    fd["_y1p"] -= short
                if len(fewer) != 2:
                    break
                parts, tail = fewer, self._chapter_tail(fewer, canv)
                fd["closing"] = 1  # the page ends after this first part (added next)
            return parts
        finally:
            fd["_y"] += drop

    def _split(self, flowable, canv):
        if self.footnotes is None or not self.footnotes.unplaced(note_keys(flowable)):
            return super().split(flowable, canv)
        avail = self._y - self._y1p - self._space_before(flowable)
        return self.split_with_notes(flowable, avail, allow_forced=bool(self._atTop))

    # A chapter's last page holds at least this many lines when the page before can give
    # them (the rest of a paragraph split at that page's foot; a tail of fewer lines looks
    # like a mistake). In lines of the body's leading.
    CHAPTER_TAIL_LINES = 5

    def _chapter_tail(self, parts, canv):
        """The height of what is left of the chapter after `parts[0]`, if the chapter ends
        on the next page; None if it does not (or this is no split)."""
        doc = getattr(canv, "_doctemplate", None)
        rest = getattr(doc, "remaining", None)
        if self.grid is None or rest is None or len(parts) != 2:
            return None
        tail = parts[1].wrap(self._aW, 1e9)[1]
        for f in rest:
            if tail > self._aH:
                return None
            if isinstance(f, PageBreak):
                return tail
            _, h = f.wrap(self._aW, 1e9)
            tail += h + f.getSpaceBefore()
        return None  # the story's end (a page of queued notes may follow): leave it

    def split_with_notes(self, flowable, avail: float, allow_forced: bool = False) -> list:
        """Split `flowable` so that its first part and that part's notes fit in `avail`.

        The first part's notes are known only after splitting. More lines never carry
        fewer notes, so "the first n lines fit with their notes" holds up to some n and
        fails beyond it: try all the room first (the usual case), then search for that n."""
        fn = self.footnotes

        def attempt(height: float, forced: bool):
            """The parts, if the first fits with its notes; [] if `height` is too little
            for a first part at all (orphan control); None if the first part is too big."""
            parts = flowable.split(self._aW, height) if height > _FUZZ else []
            if not parts:
                return []
            need = fn.need(fn.unplaced(note_keys(parts[0])), forced)
            first = parts[0]
            h = first.height if getattr(first, "_splitpara", 0) else first.wrap(self._aW, height)[1]
            return parts if need is not None and h + need <= avail + _FUZZ else None

        leading = getattr(getattr(flowable, "style", None), "leading", 0) or 12.0
        for forced in ((False, True) if allow_forced else (False,)):
            parts = attempt(avail, forced)
            if parts:
                parts[0]._force_notes = forced
                return parts
            if parts == []:
                continue  # not even the least first part fits
            lo, hi, best = 1, int(avail / leading), None
            while lo <= hi:  # the largest line count whose lines and notes fit
                mid = (lo + hi) // 2
                found = attempt((mid + 0.5) * leading, forced)
                if found:
                    best, lo = found, mid + 1
                elif found == []:
                    lo = mid + 1  # too few lines to split off: try more
                else:
                    hi = mid - 1
            if best:
                best[0]._force_notes = forced
                return best
        return []

    def can_start(self, flowable, avail: float) -> bool:
        """Would `flowable` (or a first part of it) fit in `avail` together with its notes?"""
        keys = self.footnotes.unplaced(note_keys(flowable))
        _, h = flowable.wrap(self._aW, avail)
        need = self.footnotes.need(keys)
        if need is not None and h + need <= avail + _FUZZ:
            return True
        return bool(self.split_with_notes(flowable, avail))


# Flowable classes with none of the attributes that make Frame._add go another way
# (FootnoteFrame._place): class -> bool.
_SIMPLE_TYPES: dict[type, bool] = {}


class KeepWithNextGroup(KeepTogether):
    """reportlab's group for keepWithNext flowables (a heading and what follows), taught
    about notes: the heading stays on this page only if the first lines after it fit here
    together with their notes; otherwise the group moves to the next page.

    The group is never drawn: it always asks to be split and hands its flowables back.
    (reportlab's own wrap measures them on a deep copy of the frame, which would copy every
    note of the book along with our frame.)"""

    # The frame asks a flowable for these with getattr and a default (a miss costs an
    # exception): the answers the defaults give.
    style = None

    def note_keys(self) -> list[str]:
        return []

    def wrap(self, aW, aH):
        return aW, 0xFFFFFF

    def split(self, aW, aH):
        frame = getattr(self, "_frame", None)
        content = self._content[:]
        if not isinstance(frame, FootnoteFrame) or frame._atTop or len(content) < 2:
            return content  # at the top of a page, moving on would not help
        fn = frame.footnotes
        used = 0.0
        for i, f in enumerate(content[:-1]):
            _, h = f.wrap(aW, aH)
            used += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0.0)
            used += fn.full_height(fn.unplaced(note_keys(f)))
        last = content[-1]
        avail = aH - used - last.getSpaceBefore()
        if avail > 0 and frame.can_start(last, avail):
            return content
        return [FrameBreak()] + content


class RecordingCanvas(Canvas):
    """Notes the page of every named destination: the markers' `mk-` anchors and the
    notes' `fn-` starts, so the build can check that each note begins beside its marker."""

    tagger = None  # the structure tree (tagging.StructTree) when the PDF is tagged
    ahead = None  # ahead.DeflateAhead: each page's stream posted to be deflated as it is shown

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.destination_pages: dict[str, int] = {}
        self.before_save: list = []  # callables run when the drawing is over, before writing
        # page -> (page_key, word offset) of the first text drawn on it (textblock.paint)
        self.text_starts: dict[int, tuple] = {}

    def bookmarkPage(self, key, *args, **kw):
        dest = super().bookmarkPage(key, *args, **kw)
        self.__dict__.setdefault("dest_log", []).append(dest)
        return dest

    def _setAnnotations(self, page):
        super()._setAnnotations(page)  # (reportlab's last step before a page or form is done)
        if self.tagger is not None:
            self.tagger.end_page(self, page)
        if self.ahead is not None and type(page) is PDFPage:
            self.ahead.post(self, page)

    page_offset = None  # (dx, dy): every page's drawing is shifted so (the print variant's bleed)

    def _startPage(self):
        super()._startPage()
        if self.page_offset:
            self.translate(*self.page_offset)

    def save(self):
        for finish in self.before_save:
            finish(self)
        if self.page_offset and len(self._code) == 1 and self._code[0].endswith(" cm"):
            self._code = []  # only the shift of a page that never came: no page
        super().save()

    def bookmarkHorizontal(self, key, relativeX, relativeY, **kw):
        self.destination_pages.setdefault(key, self._pageNumber)
        if kw:
            return super().bookmarkHorizontal(key, relativeX, relativeY, **kw)
        # What reportlab's bookmarkHorizontal → bookmarkHorizontalAbsolute → bookmarkPage
        # (this class's) do, inline: a note makes two of these.
        a, b, c, d, e, f = self._currentMatrix
        dest = self._destinations.get(key)
        if dest is None:
            dest = self._bookmarkReference(key)
        doc = self._doc
        doc.inPage()
        dest.xyz(a * relativeX + c * relativeY + e, b * relativeX + d * relativeY + f, 0)
        dest.setPage(PDFObjectReference("Page" + repr(doc.pageCounter)))
        self.__dict__.setdefault("dest_log", []).append(dest)


class Story:
    """The flowables still to place, for reportlab's build loop, which takes them from the
    front of a list (`del flowables[0]`) and puts pieces back there (`insert(0, …)`,
    `flowables[0:0] = …`): on a list each of those moves every flowable behind it, which
    is quadratic in the length of the book (0.12 s at 100x the sample, 42,000 flowables;
    a hundred times that at ten times the length). Kept in reverse order, the front is
    the end of the list. Takes the flowables over from the list it is given, emptying it
    as reportlab's build would (a flowable placed is not held any longer)."""

    def __init__(self, flowables: list):
        self._back = flowables[::-1]  # the last flowable first
        flowables.clear()

    def __len__(self) -> int:
        return len(self._back)

    def __iter__(self):
        return reversed(self._back)

    # Flowable i from the front is _back[~i] (~i == -1 - i), for any i a list takes, negative
    # ones too; reportlab asks for flowables[0] and its neighbours several times a flowable.

    def __getitem__(self, i):
        if type(i) is slice:
            return [self._back[~k] for k in range(*i.indices(len(self._back)))]
        return self._back[~i]

    def __delitem__(self, i) -> None:
        if type(i) is slice:
            start, stop, step = i.indices(len(self._back))
            if step != 1:
                raise ValueError("a story is cut in runs only")
            if stop > start:
                n = len(self._back)
                del self._back[n - stop:n - start]
            return
        del self._back[~i]

    def __setitem__(self, i, flowables) -> None:
        if not isinstance(i, slice) or i.indices(len(self._back)) != (0, 0, 1):
            raise ValueError("a story takes flowables back at its front only")
        self._back.extend(reversed(list(flowables)))

    def insert(self, i: int, flowable) -> None:
        n = len(self._back)
        i = max(0, min(n, i + n if i < 0 else i))
        self._back.insert(n - i, flowable)


# Flowable classes `FootnotesDocMixin._next_flowable` may hand straight to the frame
# (`FootnoteFrame.add_plain`): never a page break, an action or a frame action, a container
# or a zero-size or space-transfer flowable; never false; a `style`, a `note_keys()`, and a
# `keepWithNext` on every instance (what reportlab's getKeepWithNext reads first); space
# before and after as Flowable.getSpaceBefore/After give them (the instance's attribute, else
# the style's). Exact classes only (a subclass may differ): the modules defining them add them.
PLAIN_FLOWABLES: set[type] = {TextParagraph}


def _breaks_before(f) -> bool:
    """Whether reportlab's handle_breakBefore could do anything with `f` (a plain flowable):
    only if it or its style has one of the attributes it looks for."""
    d = f.__dict__
    if "pageBreakBefore" in d or "frameBreakBefore" in d or "_skipMeNextTime" in d:
        return True
    st = f.style
    return bool(getattr(st, "pageBreakBefore", 0) or getattr(st, "frameBreakBefore", 0))


class FootnotesDocMixin:
    """The document-template side, to mix in before BaseDocTemplate: numbers the frames'
    pages, prints each page's notes when it ends, empties the queue of continued notes
    after the story, and checks the result (`overlaps`, `misplaced_notes`)."""

    footnotes: FootnoteArea

    def _init_footnotes(self, footnotes: FootnoteArea) -> None:
        self.footnotes = footnotes
        self.keepTogetherClass = KeepWithNextGroup
        self.overlaps: list[int] = []  # pages where text ran into the notes (must stay empty)
        self.destination_pages: dict[str, int] = {}

    # True for a template whose frames look ahead in the story (FootnoteFrame._chapter_tail
    # reads `remaining`, the flowables still to place): the book's, not a test's bare one.
    look_ahead = False
    remaining: Optional["Story"] = None

    def build(self, flowables, filename=None, canvasmaker=RecordingCanvas):
        """reportlab's BaseDocTemplate.build, with its per-flowable work done once a book
        (see `_next_flowable`): the same calls, in the same order, on the same objects."""
        story = Story(flowables)
        if self.look_ahead:
            self.remaining = story
        if self._onProgress or type(self).filterFlowables is not BaseDocTemplate.filterFlowables:
            return super().build(story, filename, canvasmaker)  # hooks a book never uses
        self._startBuild(filename, canvasmaker)
        canv = self.canv
        self._savedInfo = canv._doc.info  # (as reportlab's build keeps its info dictionary)
        hanging, back = self._hanging, story._back
        try:
            canv._doctemplate = self
            while back:
                if hanging:  # a page begins (reportlab's PageBegin), or what was put off
                    if hanging[-1] is PageBegin and isinstance(back[-1], PageBreakIfNotEmpty):
                        npt = back[-1].nextTemplate
                        if npt and not self._samePT(npt):
                            NextPageTemplate(npt).apply(self)
                            self._setPageTemplate()
                        back.pop()
                        if not back:
                            break
                    self.clean_hanging()
                self._next_flowable(story, back)
        finally:
            del canv._doctemplate
        canv._doc.info = self._savedInfo
        self._endBuild()

    def _keep_with_next(self, story: "Story", back: list) -> None:
        """reportlab's handle_keepWithNext (5.1) for a story that opens with a plain flowable
        that keeps with the next: the run of flowables that keep with their next, and the one
        after it, become one group (`keepTogetherClass`) at the front of the story, all but
        the last told to keep with nothing now. Plain flowables answer getKeepWithNext with
        their attribute and are allowed in a group (`_ktAllow`); others are asked."""
        if self.__dict__.get("_multiBuildEdits"):  # (a multi-pass build records its edits)
            self.handle_keepWithNext(story)
            return
        n, i = len(back), 0
        while i < n:
            g = back[-1 - i]
            if not (g.keepWithNext if type(g) in PLAIN_FLOWABLES else (g.getKeepWithNext() and _ktAllow(g))):
                break
            i += 1
        if i < n and (type(back[-1 - i]) in PLAIN_FLOWABLES or _ktAllow(back[-1 - i])):
            i += 1
        group = self.keepTogetherClass(back[-i:][::-1])  # the story's order: the front first
        for g in group._content[:-1]:
            g.__dict__["keepWithNext"] = 0
        del back[-i:]
        back.append(group)

    def _next_flowable(self, story: "Story", back: list) -> None:
        """BaseDocTemplate.handle_flowable for the story's next flowable. For a plain one
        (PLAIN_FLOWABLES: our paragraphs, headings, contents lines) reportlab's filter and
        break-before steps and its page-break and action tests do nothing, and they cost
        more than placing a paragraph: it goes straight to the frame (`add_plain`), or, if
        it keeps with the next, into reportlab's keep-with-next group as handle_flowable
        would put it. Anything else takes reportlab's own path."""
        f = back[-1]
        if type(f) not in PLAIN_FLOWABLES or _breaks_before(f):
            self.handle_flowable(story)
            return
        frame, canv = self.frame, self.canv
        if f.keepWithNext:
            self._keep_with_next(story, back)  # the group: a KeepWithNextGroup, never plain
            f = back.pop()
            if type(f) is KeepWithNextGroup and type(frame) is FootnoteFrame:
                # It never fits (it asks to be split): all FootnoteFrame._add would do with
                # it is close a closing page.
                if frame.closing == 1:
                    frame.__dict__["closing"] = 2
                added = 0
            else:
                added = frame.add(f, canv, trySplit=self.allowSplitting)
        else:
            back.pop()
            added = (frame.add_plain(f, canv) if type(frame) is FootnoteFrame and self.allowSplitting
                     else frame.add(f, canv, trySplit=self.allowSplitting))
        if added:
            if not isinstance(f, FrameActionFlowable):
                self._curPageFlowableCount += 1
                self.afterFlowable(f)
            if frame.__dict__.get("_generated_content"):
                _addGeneratedContent(story, frame)
            return
        # What reportlab's handle_flowable does when a flowable does not fit (5.1, verbatim
        # but for names): split it, place the first part, put the rest back; or, if it will
        # not split, put it back and go on to the next frame.
        S = frame.split(f, canv) if self.allowSplitting else []
        n = len(S)
        if n:
            if not isinstance(S[0], (PageBreak, SlowPageBreak, ActionFlowable, DDIndenter)):
                first = S[0]
                if not (frame.add_plain(first, canv, 0) if type(first) in PLAIN_FLOWABLES and type(frame) is FootnoteFrame
                        else frame.add(first, canv, trySplit=0)):
                    ident = "Splitting error(n==%d) on page %d in\n%s\nS[0]=%s" % (
                        n, self.page, self._fIdent(f, 60, frame), self._fIdent(S[0], 60, frame))
                    raise LayoutError(ident)
                self._curPageFlowableCount += 1
                self.afterFlowable(S[0])
                story[0:0] = S[1:]
                _addGeneratedContent(story, frame)
            else:
                story[0:0] = S
        else:
            if hasattr(f, "_postponed"):
                ident = "Flowable %s%s too large on page %d in frame %r%s of template %r" % (
                    self._fIdent(f, 60, frame), _fSizeString(f), self.page, self.frame.id,
                    self.frame._aSpaceString(), self.pageTemplate.id)
                raise LayoutError(ident)
            f._postponed = 1
            back.append(f)  # put the flowable back
            self.handle_frameEnd()

    def _startBuild(self, filename=None, canvasmaker=RecordingCanvas):
        super()._startBuild(filename, canvasmaker)
        self.destination_pages = getattr(self.canv, "destination_pages", {})

    def handle_pageBegin(self):
        for template in self.pageTemplates:
            for frame in template.frames:
                frame.__dict__["page"] = self.page + 1  # (not through Frame.__setattr__: not geometry)
        super().handle_pageBegin()

    def handle_pageEnd(self):
        frame = self.frame
        if self.footnotes.pieces:  # a page of continued notes is not an empty page
            self._curPageFlowableCount = max(self._curPageFlowableCount, 1)
        if isinstance(frame, FootnoteFrame):
            if frame.ink_bottom < frame.text_bottom + self.footnotes.height - 0.01:
                self.overlaps.append(self.page)
        if isinstance(frame, FootnoteFrame):
            self.footnotes.draw(self.canv, frame._x1 + frame._leftPadding, frame.text_bottom, self.page)
        super().handle_pageEnd()

    def _endBuild(self):
        # Notes still queued after the last flowable continue on pages of their own.
        fn = self.footnotes
        fn.flushing = True  # (and the last page is a chapter's last: it is not justified)
        while fn.queue:
            if self._hanging and self._hanging[-1] is PageBegin:
                self.clean_hanging()  # opens the page; its foot takes queued notes
            else:
                self._curPageFlowableCount = max(self._curPageFlowableCount, 1)
                self.handle_pageBreak()
        self._curPageFlowableCount = max(self._curPageFlowableCount, 1)
        super()._endBuild()

    def misplaced_notes(self) -> list[str]:
        """Keys of notes that do not begin on the page of their marker."""
        pages = self.destination_pages
        return [k for k in self.footnotes.specs
                if pages.get(MARK_PREFIX + k) != pages.get(NOTE_PREFIX + k)]
