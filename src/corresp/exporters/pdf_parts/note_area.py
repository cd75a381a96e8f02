"""The foot of the page: which notes stand there, how much room they take, and what
waits for the next page (the rest of a split note)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.frames import _FUZZ

from .markers import NOTE_PREFIX, back_label
from .pdfops import draw_string
from .tagging import ARTIFACT_LAYOUT
from .textblock import TextParagraph




@dataclass
class NoteSpec:
    key: str
    label: str
    text: str
    tag: object = None  # its `Note` element of the structure tree
    group: Optional[str] = None  # "No.\u00a012": the document it belongs to (corresp.numbering, corresp.i18n)


@dataclass
class Piece:
    """A note, or the part of one, placed or waiting to be placed at a page's foot."""
    key: str
    flowable: TextParagraph
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
        self._measured: dict[str, tuple[TextParagraph, float, float]] = {}
        self._width = 0.0
        self.queue: list[Piece] = []
        self.pieces: list[Piece] = []
        self.placed: set[str] = set()
        self.height = 0.0  # of this page's note area, rule and spacing included
        self.prebroken = None  # prebreak.PreBreaker: the notes' lines broken ahead, if any

    # --- notes ---------------------------------------------------------------------

    def add(self, key: str, label: str, text: str, group: Optional[str] = None) -> None:
        if key in self.specs:
            raise ValueError(f"note key {key!r} used twice")
        self.specs[key] = NoteSpec(key, label, text, group=group)

    def _measure(self, key: str) -> tuple[TextParagraph, float, float]:
        """The note as a flowable, its full height and the least of it that may stand
        alone at a page foot (two lines; all of it if it has three lines or fewer)."""
        m = self._measured.get(key)
        if m is None:
            fl = self.note_paragraph(key)
            if self.prebroken is not None:  # its lines may have been broken ahead (prebreak.py)
                fl._pre = (self.prebroken, key)
            _, h = fl.wrap(self._width, 1e9)
            lines = len(fl.lines(self._width))
            least = h if lines <= 3 else 2 * self.look.style.leading
            m = self._measured[key] = (fl, h, least)
        return m

    def note_paragraph(self, key: str) -> TextParagraph:
        """The note `key` as a flowable, not yet broken into lines."""
        spec = self.specs.get(key)
        if spec is None:
            raise KeyError(f"a marker refers to note {key!r}, which was never added")
        # The label links back to the marker, so a reader can jump both ways.
        fl = TextParagraph([back_label(key, spec.label), "\u00a0" + spec.text], self.look.style)
        fl.tag = spec.tag
        fl.is_note = True  # not the page's text (epub_parts.page_list)
        return fl

    def unplaced(self, keys: list[str]) -> list[str]:
        return [k for k in keys if k not in self.placed]

    # --- pages ---------------------------------------------------------------------

    def _lead(self) -> float:
        """Space a new piece adds above itself: the rule block, or the gap between notes."""
        look = self.look
        return look.space_between if self.pieces else look.space_above_rule + look.space_below_rule

    def _place(self, piece: Piece) -> None:
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

    def _draw_group(self, canv, x: float, y: float, group: str, tagged: bool, recto: bool) -> None:
        """The document's number beside its first note, in the outer margin: right of the
        text block on a recto (odd page), left of it on a verso; never in the gutter."""
        style = self.look.style
        size = style.fontSize * 0.85
        if tagged:
            canv._code.append(ARTIFACT_LAYOUT)
        canv.saveState()
        canv.setFont(style.fontName, size)
        base = y - style.leading + (style.leading - size) / 2 + 1
        if recto:
            draw_string(canv, x + self._width + 4, base, group)
        else:
            draw_string(canv, x - 4, base, group, 1.0)
        canv.restoreState()
        if tagged:
            canv._code.append("EMC")

    def draw(self, canv, x: float, text_bottom: float, page: int) -> None:
        """Print the page's notes, growing up from the bottom of the text block."""
        if not self.pieces:
            return
        look = self.look
        y = text_bottom + self.height - look.space_above_rule
        tagged = getattr(canv, "tagger", None) is not None
        if tagged:
            canv._code.append(ARTIFACT_LAYOUT)
        canv.saveState()
        canv.setLineWidth(look.rule_thickness)
        canv.line(x, y, x + (look.rule_length if self.pieces[0].first else self._width), y)
        canv.restoreState()
        if tagged:
            canv._code.append("EMC")
        y -= look.space_below_rule
        # Notes of more than one document on the page (numbered per document, "1" may stand
        # twice): the first note of each document's group gets that document's number in the
        # margin, "No. 12", a pagination artifact (the structure tree already puts every Note
        # in its document's Sect).
        groups = [self.specs[p.key].group if p.key in self.specs else None for p in self.pieces]
        show = len({g for g in groups if g}) > 1
        for i, piece in enumerate(self.pieces):
            if i:
                y -= look.space_between
            if show and groups[i] and (i == 0 or groups[i] != groups[i - 1]):
                self._draw_group(canv, x, y, groups[i], tagged, page % 2 == 1)
            if piece.first:
                canv.bookmarkHorizontal(NOTE_PREFIX + piece.key, x, y)
                self.note_pages[piece.key] = page
            piece.flowable.drawOn(canv, x, y - piece.height)
            y -= piece.height

from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
