"""Page-bottom footnotes for reportlab, which has none of its own.

How it works, in one pass over the story:

* A marker is a superscript label linking to the note, followed by an invisible anchor
  `<a name="mk-KEY"/>`. reportlab keeps that zero-width anchor fragment with its line when
  it splits a paragraph, so the layout can ask any piece of a paragraph which notes it
  carries (`note_keys`) -- the note follows its marker, not its paragraph.
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

import re
from dataclasses import dataclass
from typing import Iterable, Optional
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepTogether, Paragraph
from reportlab.platypus.doctemplate import FrameBreak, PageBegin
from reportlab.platypus.frames import _FUZZ

MARK_PREFIX = "mk-"  # named destination at a marker
NOTE_PREFIX = "fn-"  # named destination at the start of a note

_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")


def note_key(container: str, number: int) -> str:
    """The key of note `number` of a document (its id) or chapter intro (numbering.intro_key).
    Keys become PDF destination names, so other characters are written as _XXXX (which
    keeps distinct ids distinct); the number is always the part after the last dot."""
    return f"{_UNSAFE.sub(lambda m: f'_{ord(m.group()):04x}', container)}.{number}"


def marker_markup(key: str, label: str) -> str:
    return (f'<a href={quoteattr("#" + NOTE_PREFIX + key)}><super>{escape(label)}</super></a>'
            f'<a name={quoteattr(MARK_PREFIX + key)}/>')


_SPACES = re.compile(r"[ \t\r\n]+")
_PLAIN_FRAGS: dict[tuple, object] = {}


class CachedParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width. reportlab re-breaks on every wrap,
    and a paragraph at a page end is wrapped several times; line breaking is the cost."""

    _wrapped: Optional[tuple[float, float, float]] = None

    @classmethod
    def plain(cls, text: str, style: ParagraphStyle) -> "CachedParagraph":
        """A paragraph of plain text (no markup, no escaping needed), built from one
        fragment without reportlab's markup parser, which costs as much as line breaking."""
        text = _SPACES.sub(" ", text).strip()
        if not text:
            return cls("", style)
        key = (style.fontName, style.fontSize, repr(style.textColor))
        template = _PLAIN_FRAGS.get(key)
        if template is None:
            template = _PLAIN_FRAGS[key] = Paragraph("x", style).frags[0]
        return cls(text, style, frags=[template.clone(text=text)])

    def wrap(self, availWidth, availHeight):
        w = self._wrapped
        if w is not None and w[0] == availWidth and "blPara" in self.__dict__:
            self.width, self.height = w[1], w[2]
            return w[1], w[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height


class NotedParagraph(CachedParagraph):
    """A paragraph that may carry note markers; every piece of it knows its own."""

    def note_keys(self) -> list[str]:
        keys = self.__dict__.get("_note_keys")
        if keys is None:
            keys = self._note_keys = list(_marker_keys(self.frags))
        return keys


def _marker_keys(frags) -> Iterable[str]:
    # Two shapes: parsed fragments, or (after reportlab's line breaking) words that are
    # lists [width, (frag, text), (frag, text), ...].
    for f in frags:
        for g in ([item[0] for item in f[1:]] if isinstance(f, list) else (f,)):
            cb = getattr(g, "cbDefn", None)
            if cb is not None and getattr(cb, "kind", None) == "anchor":
                name = getattr(cb, "name", "")
                if name.startswith(MARK_PREFIX):
                    yield name[len(MARK_PREFIX):]


def note_keys(flowable) -> list[str]:
    get = getattr(flowable, "note_keys", None)
    return get() if get else []


@dataclass
class NoteSpec:
    key: str
    label: str
    text: str


@dataclass
class Piece:
    """A note, or the part of one, placed or waiting to be placed at a page's foot."""
    key: str
    flowable: Paragraph
    height: float
    first: bool  # begins the note (False: continues it from an earlier page)


@dataclass
class NoteLook:
    style: ParagraphStyle
    rule_length: float
    rule_thickness: float
    space_above_rule: float
    space_below_rule: float
    space_between: float
    max_continued_fraction: float


class FootnoteArea:
    """What stands at the foot of the current page, and what waits for the next one."""

    def __init__(self, look: NoteLook):
        self.look = look
        self.specs: dict[str, NoteSpec] = {}
        self.note_pages: dict[str, int] = {}  # key -> page on which the note begins
        self.warnings: list[str] = []
        self.flushing = False  # the story is over: queued notes may fill whole pages
        self._measured: dict[str, tuple[Paragraph, float, float]] = {}
        self._width = 0.0
        self.queue: list[Piece] = []
        self.pieces: list[Piece] = []
        self.placed: set[str] = set()
        self.height = 0.0  # of this page's note area, rule and spacing included

    # --- notes ---------------------------------------------------------------------

    def add(self, key: str, label: str, text: str) -> None:
        if key in self.specs:
            raise ValueError(f"note key {key!r} used twice")
        self.specs[key] = NoteSpec(key, label, text)

    def _markup(self, spec: NoteSpec) -> str:
        # The label links back to the marker, so a reader can jump both ways.
        return (f'<a href={quoteattr("#" + MARK_PREFIX + spec.key)}><super>{escape(spec.label)}</super></a>'
                f'\u00a0{escape(spec.text)}')

    def _measure(self, key: str) -> tuple[Paragraph, float, float]:
        """The note as a flowable, its full height and the least of it that may stand
        alone at a page foot (two lines; all of it if it has three lines or fewer)."""
        m = self._measured.get(key)
        if m is None:
            spec = self.specs.get(key)
            if spec is None:
                raise KeyError(f"a marker refers to note {key!r}, which was never added")
            fl = Paragraph(self._markup(spec), self.look.style)
            _, h = fl.wrap(self._width, 1e9)
            lines = len(fl.blPara.lines)
            least = h if lines <= 3 else 2 * self.look.style.leading
            m = self._measured[key] = (fl, h, least)
        return m

    def unplaced(self, keys: list[str]) -> list[str]:
        return [k for k in keys if k not in self.placed]

    # --- pages ---------------------------------------------------------------------

    def _lead(self) -> float:
        """Space a new piece adds above itself: the rule block, or the gap between notes."""
        look = self.look
        return look.space_between if self.pieces else look.space_above_rule + look.space_below_rule

    def _place(self, piece: Piece) -> None:
        if not hasattr(piece.flowable, "blPara"):  # a failed Paragraph.split drops it
            piece.flowable.wrap(self._width, 1e9)
        self.height += self._lead() + piece.height
        self.pieces.append(piece)

    def begin_page(self, width: float, text_height: float) -> None:
        """Start a page whose text block is `text_height` high: queued notes go first."""
        if width != self._width:
            self._width, self._measured = width, {}
        self.pieces, self.height = [], 0.0
        self._text_height = text_height
        self._take_queue(text_height if self.flushing else text_height * self.look.max_continued_fraction)

    def drain(self) -> None:
        """Let the queued notes take the whole page. For a page whose text cannot go on:
        its first flowable carries markers, and their notes must wait behind a long
        continued note. Filling the page with that note is what gets the layout moving."""
        self._take_queue(self._text_height)

    def _take_queue(self, limit: float) -> None:
        width, text_height = self._width, self._text_height
        while self.queue:
            piece = self.queue[0]
            room = limit - self.height - self._lead()
            if piece.height <= room + _FUZZ:
                self._place(self.queue.pop(0))
                continue
            parts = piece.flowable.split(width, room) if room > 0 else []
            if len(parts) != 2 and not self.pieces:
                # Nothing placed yet and the piece will not split at the limit: use the whole
                # page rather than stall (this is what guarantees the layout ends).
                room = text_height - self._lead()
                parts = piece.flowable.split(width, room)
                if len(parts) != 2:
                    self._place(self.queue.pop(0))
                    break
            if len(parts) == 2:
                head, rest = parts
                head.wrap(width, room)
                rest_h = rest.wrap(width, 1e9)[1]
                self._place(Piece(piece.key, head, head.height, piece.first))
                self.queue[0] = Piece(piece.key, rest, rest_h, False)
            break

    def need(self, keys: list[str], forced: bool = False) -> Optional[float]:
        """Room the notes `keys` (not yet placed, in marker order) need at this page's foot
        if their markers are printed here; None if they cannot start on this page.

        `forced` is for a frame with no text on it yet, where refusing would stall the
        layout: then only the first note's first lines must fit and the others wait for
        the next page. (While a continued note is queued, nothing is forced: see drain.)"""
        if not keys:
            return 0.0
        if self.queue:
            return None
        look = self.look
        if forced:
            return self._lead() + self._measure(keys[0])[2]
        total = self._lead() + look.space_between * (len(keys) - 1)
        for k in keys[:-1]:
            total += self._measure(k)[1]
        return total + self._measure(keys[-1])[2]

    def full_height(self, keys: list[str]) -> float:
        """A generous estimate of the room `keys` take in full (for look-ahead)."""
        if not keys:
            return 0.0
        look = self.look
        return (look.space_above_rule + look.space_below_rule + look.space_between * len(keys)
                + sum(self._measure(k)[1] for k in keys))

    def commit(self, keys: list[str], room: float, page: int) -> bool:
        """The markers of `keys` were printed on this page, and `room` is left between the
        text and the notes. Place the notes, splitting the last one if need be. Returns True
        when a note was split (the page is then full)."""
        split = False
        for k in keys:
            fl, h, _ = self._measure(k)
            self.placed.add(k)
            if self.queue:
                self.queue.append(Piece(k, fl, h, True))
                self.warnings.append(f"note {self.specs[k].label} ({k}) could not start on page {page}, "
                                     "where its marker is; it starts on the next page")
                continue
            lead = self._lead()
            if lead + h <= room + _FUZZ:
                self._place(Piece(k, fl, h, True))
                room -= lead + h
                continue
            parts = fl.split(self._width, room - lead) if room - lead > 0 else []
            if len(parts) == 2:
                head, rest = parts
                head.wrap(self._width, room - lead)
                self._place(Piece(k, head, head.height, True))
                self.queue.append(Piece(k, rest, rest.wrap(self._width, 1e9)[1], False))
                room, split = 0.0, True
            else:
                self.queue.append(Piece(k, fl, h, True))
                self.warnings.append(f"note {self.specs[k].label} ({k}) could not start on page {page}, "
                                     "where its marker is; it starts on the next page")
        return split

    def draw(self, canv, x: float, text_bottom: float, page: int) -> None:
        """Print the page's notes, growing up from the bottom of the text block."""
        if not self.pieces:
            return
        look = self.look
        y = text_bottom + self.height - look.space_above_rule
        canv.saveState()
        canv.setLineWidth(look.rule_thickness)
        canv.line(x, y, x + (look.rule_length if self.pieces[0].first else self._width), y)
        canv.restoreState()
        y -= look.space_below_rule
        for i, piece in enumerate(self.pieces):
            if i:
                y -= look.space_between
            if piece.first:
                canv.bookmarkHorizontal(NOTE_PREFIX + piece.key, x, y)
                self.note_pages[piece.key] = page
            piece.flowable.drawOn(canv, x, y - piece.height)
            y -= piece.height


class FootnoteFrame(Frame):
    """A page's text frame that keeps room at its foot for the notes of what it holds."""

    def __init__(self, footnotes: FootnoteArea, *args, **kw):
        self.footnotes = None  # Frame.__init__ resets the frame; no page has begun yet
        super().__init__(*args, **kw)
        self.footnotes = footnotes
        self.page = 0
        self.ink_bottom = self._y  # lowest point text reached on this page

    def _reset(self):
        super()._reset()
        # Frame._reset leaves _y1p alone, and we raise it as notes accumulate: lower it again.
        self.text_bottom = self._y1p = self._y1 + self._bottomPadding
        if self.footnotes is not None:
            self.footnotes.begin_page(self._aW, self._y - self.text_bottom)
            self._y1p = self.text_bottom + self.footnotes.height
        self.ink_bottom = self._y

    def _space_before(self, flowable) -> float:
        # As Frame.split computes it, so our sums agree with the frame's own.
        if self._atTop:
            return 0.0
        s = flowable.getSpaceBefore()
        return max(s - self._prevASpace, 0) if self._oASpace else s

    def _add(self, flowable, canv, trySplit=0):
        ok = self._add_with_notes(flowable, canv, trySplit)
        if ok and self._y < self.ink_bottom:
            self.ink_bottom = min(self.ink_bottom, self._y + flowable.getSpaceAfter())
        return ok

    add = _add  # Frame binds `add` to its own _add at class creation

    def _add_with_notes(self, flowable, canv, trySplit):
        fn = self.footnotes
        keys = fn.unplaced(note_keys(flowable)) if fn is not None else []
        if not keys:
            return Frame._add(self, flowable, canv, trySplit)
        if fn.queue and self._atTop:
            # A long continued note holds back the notes of this page's first flowable.
            # Give the page to that note; the flowable tries again on the next page (so
            # reportlab must not count this as a failure at the top of a frame).
            fn.drain()
            self._y1p = max(self._y1p, self.text_bottom + fn.height)
            flowable.__dict__.pop("_postponed", None)
        # Forcing (see FootnoteArea.need) is decided by split_with_notes, which tries
        # every honest split first; it marks the piece it could only place by force.
        for forced in ((False, True) if self._atTop and getattr(flowable, "_force_notes", False) else (False,)):
            need = fn.need(keys, forced)
            if need is None:
                continue
            bottom = self._y1p
            self._y1p = bottom + need
            try:
                ok = Frame._add(self, flowable, canv, trySplit)
            finally:
                self._y1p = bottom
            if ok:
                full = fn.commit(keys, self._y - bottom, self.page)
                self._y1p = self.text_bottom + fn.height
                if full:
                    self._y1p = max(self._y1p, self._y)
                return 1
        return 0

    def split(self, flowable, canv):
        if self.footnotes is None or not self.footnotes.unplaced(note_keys(flowable)):
            return super().split(flowable, canv)
        avail = self._y - self._y1p - self._space_before(flowable)
        return self.split_with_notes(flowable, avail, allow_forced=bool(self._atTop))

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


class KeepWithNextGroup(KeepTogether):
    """reportlab's group for keepWithNext flowables (a heading and what follows), taught
    about notes: the heading stays on this page only if the first lines after it fit here
    together with their notes; otherwise the group moves to the next page.

    The group is never drawn: it always asks to be split and hands its flowables back.
    (reportlab's own wrap measures them on a deep copy of the frame, which would copy every
    note of the book along with our frame.)"""

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

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.destination_pages: dict[str, int] = {}

    def bookmarkHorizontal(self, key, relativeX, relativeY, **kw):
        self.destination_pages.setdefault(key, self.getPageNumber())
        return super().bookmarkHorizontal(key, relativeX, relativeY, **kw)


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

    def build(self, flowables, filename=None, canvasmaker=RecordingCanvas):
        super().build(flowables, filename, canvasmaker)

    def _startBuild(self, filename=None, canvasmaker=RecordingCanvas):
        super()._startBuild(filename, canvasmaker)
        self.destination_pages = getattr(self.canv, "destination_pages", {})

    def handle_pageBegin(self):
        for template in self.pageTemplates:
            for frame in template.frames:
                frame.page = self.page + 1
        super().handle_pageBegin()

    def handle_pageEnd(self):
        frame = self.frame
        if self.footnotes.pieces:  # a page of continued notes is not an empty page
            self._curPageFlowableCount = max(self._curPageFlowableCount, 1)
        if isinstance(frame, FootnoteFrame):
            if frame.ink_bottom < frame.text_bottom + self.footnotes.height - 0.01:
                self.overlaps.append(self.page)
            self.footnotes.draw(self.canv, frame._x1 + frame._leftPadding, frame.text_bottom, self.page)
        super().handle_pageEnd()

    def _endBuild(self):
        # Notes still queued after the last flowable continue on pages of their own.
        fn = self.footnotes
        fn.flushing = True
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
