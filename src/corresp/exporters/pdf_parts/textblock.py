"""Paragraphs that corresp sets itself: measuring, line breaking and drawing.

reportlab's Paragraph parses markup, then breaks and draws its lines fragment by fragment;
in a 2,000-page edition that was most of the PDF's cost (bench/results.md). Our paragraphs
need far less: one face and size per paragraph, plain text (never markup, so `<`, `&`
and `[` print as they are), and note markers (`markers.Mark`). So:

* text is cut into words once; a word's width comes from a cache shared by the whole book
  (an edition repeats its words endlessly);
* lines are broken greedily, as reportlab does, once per width; when a paragraph is split
  at a page end, both pieces keep their lines (re-breaking the rest on every page would be
  quadratic in a long paragraph);
* a line is drawn as a handful of PDF text operators; justification is word spacing (`Tw`),
  which applies to code 32 -- reportlab's TrueType subsets keep code 32 a space in every
  subset, and map the no-break space to it.

Orphans and widows follow reportlab's rules (`allowOrphans`, `allowWidows` of the style).
"""
from __future__ import annotations

import re
from typing import Optional, Sequence, Union

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfdoc import LinkAnnotation
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus.flowables import Flowable

from .hyphenate import ADDED_HYPHEN
from .markers import MARK_PREFIX, Mark

Item = Union[str, Mark]
# A word: (width in points, preceded by a space?, its parts: strings and marks,
# no-break spaces inside it (word spacing widens them too), and how it was cut from the
# word that follows: NOT_CUT, HYPHENATED (a hyphen is drawn at the break) or CUT).
Token = tuple
NOT_CUT, HYPHENATED, CUT = 0, 1, 2

_LAYOUT_STATE = frozenset({"_postponed", "_force_notes", "_frame", "canv", "_splitpara"})
_SPACES = re.compile(r"[ \t\r\n]+")
_EPS = 1e-6

_widths: dict[str, dict[str, float]] = {}  # font -> text -> width at 1 pt


def widths(font: str) -> dict[str, float]:
    """The width cache of one face (a dict, so hot loops can .get() from it directly)."""
    d = _widths.get(font)
    if d is None:
        d = _widths[font] = {}
    return d


def text_width(font: str, text: str) -> float:
    """Width of `text` at 1 pt, cached for the life of the process."""
    d = widths(font)
    w = d.get(text)
    if w is None:
        w = d[text] = getFont(font).stringWidth(text, 1.0)
    return w


def num(x: float) -> str:
    """A coordinate for a content stream: a thousandth of a point is finer than any device."""
    return ("%.3f" % x).rstrip("0").rstrip(".") or "0"


def sup_size(size: float) -> float:
    """A marker's size; reportlab's <super> sizes and raises the same way."""
    return size - min(2.0, 0.2 * size)


def tokenize(items: Sequence[Item], font: str, size: float) -> list[Token]:
    if len(items) == 1 and type(items[0]) is str and "\u00a0" not in items[0]:
        return _plain_tokens(items[0], font, size)
    d = widths(font)
    ssize = sup_size(size)
    tokens: list[Token] = []
    glue = False  # did the last item end inside a word (what follows joins that word)?
    for item in items:
        if type(item) is Mark:
            w = text_width(font, item.label) * ssize
            if glue and tokens:
                t = tokens[-1]
                tokens[-1] = (t[0] + w, t[1], t[2] + (item,), t[3], NOT_CUT)
            else:
                tokens.append((w, bool(tokens), (item,), 0, NOT_CUT))
            glue = True
            continue
        if not item:
            continue
        words = _SPACES.split(item)
        has_nbsp = "\u00a0" in item
        for k, word in enumerate(words):
            if not word:
                continue
            w = d.get(word)
            if w is None:
                w = text_width(font, word)
            w *= size
            nb = word.count("\u00a0") if has_nbsp else 0
            if k == 0 and glue and tokens:
                t = tokens[-1]
                tokens[-1] = (t[0] + w, t[1], t[2] + (word,), t[3] + nb, NOT_CUT)
            else:
                tokens.append((w, bool(tokens), (word,), nb, NOT_CUT))
        glue = bool(words[-1])
    return tokens


def _plain_tokens(text: str, font: str, size: float) -> list[Token]:
    """tokenize() for the usual paragraph: one string, no markers, no no-break spaces."""
    d = widths(font)
    words = [w for w in _SPACES.split(text) if w]
    missing = [w for w in words if w not in d]
    for w in missing:
        text_width(font, w)
    tokens = [(d[w] * size, True, (w,), 0, NOT_CUT) for w in words]
    if tokens:
        tokens[0] = (tokens[0][0], False, tokens[0][2], 0, NOT_CUT)
    return tokens


def _cut(token: Token, room: float, font: str, size: float) -> tuple[Token, Token]:
    """A word wider than a whole line, cut after as many characters as fit in `room` (at
    least one). The second half follows the first without a space."""
    units = []
    for p in token[2]:
        if type(p) is str:
            units += [(text_width(font, ch) * size, ch) for ch in p]
        else:
            units.append((text_width(font, p.label) * sup_size(size), p))
    used, n = 0.0, 0
    while n < len(units) and (n == 0 or used + units[n][0] <= room + _EPS):
        used += units[n][0]
        n += 1

    def token_of(us, space, cut):
        parts: list = []
        for _, u in us:
            if type(u) is str and parts and type(parts[-1]) is str:
                parts[-1] += u
            else:
                parts.append(u)
        return (sum(w for w, _ in us), space, tuple(parts),
                sum(p.count("\u00a0") for p in parts if type(p) is str), cut)

    return token_of(units[:n], token[1], CUT), token_of(units[n:], False, token[4])


class TextParagraph(Flowable):
    """A paragraph of one style: `items` are strings and markers."""

    def __init__(self, items: Sequence[Item], style, tokens: Optional[list[Token]] = None):
        super().__init__()
        if isinstance(items, str):
            raise TypeError("TextParagraph takes a list of strings and marks, not a string")
        self.style = style
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self.tokens = tokens if tokens is not None else tokenize(items, style.fontName, style.fontSize)
        self.starts = True  # holds the paragraph's first line (indented)
        self.ends = True  # holds its last line (never justified)
        self._broken: Optional[tuple[float, list]] = None  # (width, lines)
        self._note_keys: Optional[list[str]] = None

    # --- lines ---------------------------------------------------------------------

    def _measure(self, width: float) -> float:
        st = self.style
        return width - st.leftIndent - st.rightIndent

    def lines(self, width: float) -> list[tuple[int, int, float, int]]:
        """The lines at `width`: (first token, end token, natural width, the number of
        spaces word spacing widens)."""
        b = self._broken
        if b is not None and b[0] == width:
            return b[1]
        if b is not None:
            self.tokens = _rejoin(self.tokens)  # cuts made for another width
        st = self.style
        font, size = st.fontName, st.fontSize
        space_w = text_width(font, " ") * size
        hyphenator = getattr(st, "hyphenator", None)
        hyphen_w = text_width(font, ADDED_HYPHEN) * size
        tokens = self.tokens
        rest_w = self._measure(width)
        avail = rest_w - (st.firstLineIndent if self.starts else 0.0)
        lines = []
        start, i, used, gaps = 0, 0, 0.0, 0
        while i < len(tokens):
            tok = tokens[i]
            if i == start:
                if tok[0] > avail + _EPS and (len(tok[2]) > 1 or type(tok[2][0]) is str and len(tok[2][0]) > 1):
                    tokens[i:i + 1] = _cut(tok, avail, font, size)
                    tok = tokens[i]
                used, gaps = tok[0] + (hyphen_w if tok[4] == HYPHENATED else 0.0), tok[3]
                i += 1
                continue
            if tok[1]:
                add = tok[0] + space_w
                if used + add <= avail + _EPS:
                    used += add
                    gaps += 1 + tok[3]
                    i += 1
                    continue
            elif used + tok[0] <= avail + _EPS:
                used += tok[0]
                gaps += tok[3]
                i += 1
                continue
            # The word does not fit: break it if the line can take a first part of it
            # (never the paragraph's last word, whose rest would stand alone).
            if hyphenator is not None and len(tok[2]) == 1 and type(tok[2][0]) is str and i + 1 < len(tokens):
                room = avail - used - (space_w if tok[1] else 0.0)
                for head, tail, adds in hyphenator.splits(tok[2][0]):
                    head_w = text_width(font, head) * size
                    if head_w + (hyphen_w if adds else 0.0) <= room + _EPS:
                        tokens[i:i + 1] = [(head_w, tok[1], (head,), 0, HYPHENATED if adds else CUT),
                                           (tok[0] - head_w, False, (tail,), 0, tok[4])]
                        used += (space_w if tok[1] else 0.0) + head_w + (hyphen_w if adds else 0.0)
                        gaps += 1 if tok[1] else 0
                        i += 1
                        break
            lines.append((start, i, used, gaps))
            start, used, avail = i, 0.0, rest_w
        if start < len(tokens):
            lines.append((start, len(tokens), used, gaps))
        self._broken = (width, lines)
        return lines

    # --- the flowable --------------------------------------------------------------

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        st = self.style
        lines = self.lines(availWidth)
        n = len(lines)
        s = int((availHeight + _EPS) / st.leading)
        allow_orphans = getattr(st, "allowOrphans", 0)
        if s == 0 or (not allow_orphans and s <= 1):
            return []
        if n <= s:
            return [self]
        if not getattr(st, "allowWidows", 1) and n == s + 1:
            if (allow_orphans and n == 3) or n > 3:
                s -= 1
            else:
                return []
        cut = lines[s][0]
        first = self._piece(self.tokens[:cut], availWidth, lines[:s], starts=self.starts, ends=False)
        rest = self._piece(self.tokens[cut:], availWidth, [(a - cut, b - cut, w, g) for a, b, w, g in lines[s:]],
                           starts=False, ends=self.ends)
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def _piece(self, tokens, width, lines, starts, ends) -> "TextParagraph":
        piece = object.__new__(type(self))
        # The style and what subclasses add carry over; the layout's marks on the whole
        # (reportlab's _postponed count, our _force_notes, its frame) do not.
        piece.__dict__.update((k, v) for k, v in self.__dict__.items() if k not in _LAYOUT_STATE)
        piece.tokens, piece.starts, piece.ends = tokens, starts, ends
        piece._broken, piece._note_keys = (width, lines), None
        piece.width, piece.height = width, len(lines) * self.style.leading
        piece._splitpara = 1
        return piece

    def note_keys(self) -> list[str]:
        """The notes whose markers this paragraph (or piece) prints, in order."""
        if self._note_keys is None:
            self._note_keys = [p.note for t in self.tokens for p in t[2]
                               if type(p) is Mark and p.note is not None]
        return self._note_keys

    def last_line_end(self) -> float:
        """Where the text of the last line ends, from the left edge (after a wrap)."""
        lines = self.lines(self.width)
        if not lines:
            return self.style.leftIndent
        st = self.style
        x = st.leftIndent + (st.firstLineIndent if self.starts and len(lines) == 1 else 0.0)
        natural = lines[-1][2]
        return x + self._offset(natural, len(lines) == 1, True) + natural

    def _offset(self, natural: float, first: bool, last: bool) -> float:
        st = self.style
        extra = self._measure(self.width) - (st.firstLineIndent if first and self.starts else 0.0) - natural
        if st.alignment == TA_CENTER:
            return extra / 2
        if st.alignment == TA_RIGHT:
            return extra
        return 0.0

    # --- drawing -------------------------------------------------------------------

    def drawOn(self, canvas, x, y, _sW=0):
        # Flowable.drawOn saves the canvas state and translates, then draws; at tens of
        # thousands of paragraphs that bookkeeping costs more than the text. We write
        # positioned text in a q/Q of our own and leave the canvas's state alone.
        self.canv = canvas
        try:
            self.paint(x, y)
        finally:
            del self.canv

    def draw(self):
        self.paint(0.0, 0.0)

    def paint(self, x0: float, y0: float):
        """Draw the lines with the paragraph's lower left corner at (x0, y0)."""
        canv = self.canv
        st = self.style
        font_name, size, leading = st.fontName, st.fontSize, st.leading
        lines = self.lines(self.width)
        if not lines:
            return
        cache, encode = _encoder(canv, font_name)
        space_w = text_width(font_name, " ") * size
        ssize, rise = sup_size(size), 0.5 * size
        fs, fss, frise = num(size), num(ssize), num(rise)
        tokens = self.tokens
        out = ["q BT"]
        put = out.append
        cur_font, cur_tw = None, 0.0
        y = y0 + self.height - size
        justify = st.alignment == TA_JUSTIFY
        last_index = len(lines) - 1
        buf: list[str] = []  # escaped text not yet shown, in cur_font

        def show(enc):
            """Add encoded text, changing the subset font where it changes."""
            nonlocal buf, cur_font
            for sub, esc in enc:
                if sub != cur_font:
                    if buf:
                        put(f"({''.join(buf)}) Tj")
                        buf = []
                    put(f"{sub} {fs} Tf")
                    cur_font = sub
                buf.append(esc)

        for li, (a, b, natural, gaps) in enumerate(lines):
            first = li == 0 and self.starts
            x = x0 + st.leftIndent + (st.firstLineIndent if first else 0.0)
            last = li == last_index and self.ends
            tw = 0.0
            if justify and not last:
                if gaps:
                    tw = (self._measure(self.width) - (st.firstLineIndent if first else 0.0) - natural) / gaps
            else:
                x += self._offset(natural, first, last)
            put(f"1 0 0 1 {num(x)} {num(y)} Tm")
            if tw != cur_tw:
                put(f"{num(tw)} Tw")
                cur_tw = tw
            buf = []
            for i in range(a, b):
                tok = tokens[i]
                if tok[1] and i > a:
                    buf.append(" ")
                    x += space_w + tw
                for p in tok[2]:
                    if type(p) is str:
                        enc = cache.get(p) or encode(p)
                        if len(enc) == 1 and enc[0][0] == cur_font:  # the usual case
                            buf.append(enc[0][1])
                        else:
                            show(enc)
                        if len(tok[2]) > 1:  # only a marker needs to know where it stands
                            x += text_width(font_name, p) * size + p.count("\u00a0") * tw
                        continue
                    if buf:
                        put(f"({''.join(buf)}) Tj")
                        buf = []
                    w = text_width(font_name, p.label) * ssize
                    for sub, esc in encode(p.label):
                        put(f"{sub} {fss} Tf {frise} Ts ({esc}) Tj")
                    put("0 Ts")
                    cur_font = None
                    link(canv, p.link, (x, y - 0.2 * size, x + w, y + rise + ssize))
                    if p.note is not None:
                        canv.bookmarkHorizontal(MARK_PREFIX + p.note, x, y + leading)
                    x += w
                if len(tok[2]) == 1:
                    x += tok[0] + tok[3] * tw
            if tokens[b - 1][4] == HYPHENATED:
                show(encode(ADDED_HYPHEN))
            if buf:
                put(f"({''.join(buf)}) Tj")
            y -= leading
        put("ET Q")  # Q restores the word spacing, rise and font of the text state too
        canv._code.append("\n".join(out))


def _rejoin(tokens: list[Token]) -> list[Token]:
    """The tokens with every cut word made whole again (a cut word's last part follows
    it without a space)."""
    if all(t[4] == NOT_CUT for t in tokens):
        return tokens
    out: list[Token] = []
    for t in tokens:
        prev = out[-1] if out else None
        if prev is not None and prev[4] != NOT_CUT and not t[1]:
            parts = list(prev[2])
            for p in t[2]:
                if type(p) is str and parts and type(parts[-1]) is str:
                    parts[-1] += p
                else:
                    parts.append(p)
            out[-1] = (prev[0] + t[0], prev[1], tuple(parts), prev[3] + t[3], t[4])
        else:
            out.append(t)
    return out


def text_ops(canv, font_name: str, size: float, x: float, y: float, text: str, char_space: float = 0.0) -> str:
    """A one-line text object: `text` at (x, y), in the canvas's current coordinates."""
    _, encode = _encoder(canv, font_name)
    out = [f"BT 1 0 0 1 {num(x)} {num(y)} Tm"]
    if char_space:
        out.append(f"{num(char_space)} Tc")
    for sub, esc in encode(text):
        out.append(f"{sub} {num(size)} Tf ({esc}) Tj")
    if char_space:
        out.append("0 Tc")  # the text state outlives the text object
    out.append("ET")
    return " ".join(out)


class _Link(LinkAnnotation):
    """A link annotation written straight to bytes: the generic dictionary formatting of
    reportlab costs more than the page text when every note has two links."""

    def format(self, document):
        r = self.Rect
        return (b"<<\n/Border [ 0 0 0 ] /Contents () /Dest " + self.Destination.format(document)
                + (" /Rect [ %s %s %s %s ] /Subtype /Link /Type /Annot\n>>" % tuple(num(v) for v in r)).encode())


def link(canv, destination: str, rect: tuple) -> None:
    """A link from `rect` (in the canvas's current coordinates) to a named destination."""
    ann = _Link(canv._absRect(rect, 1), "", canv._bookmarkReference(destination))
    canv._addAnnotation(ann)


def _encoder(canv, font_name: str):
    """(cache, encode): word -> [(subset font resource, escaped bytes)], per canvas and face
    (the subsets belong to one PDF document)."""
    caches = canv.__dict__.setdefault("_corresp_words", {})
    got = caches.get(font_name)
    if got is None:
        font = getFont(font_name)
        doc = canv._doc
        cache: dict[str, list] = {}

        def encode(word: str):
            enc = cache.get(word)
            if enc is None:
                enc = cache[word] = [(font.getSubsetInternalName(sub, doc), escapePDF(chunk))
                                     for sub, chunk in font.splitString(word, doc)]
            return enc

        got = caches[font_name] = (cache, encode)
    return got
