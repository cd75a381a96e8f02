"""Paragraphs that corresp sets itself: measuring, line breaking and drawing.

reportlab's Paragraph parses markup, then breaks and draws its lines fragment by fragment;
in a 2,000-page edition that was most of the PDF's cost (bench/results.md). Our paragraphs
need far less: one face and size per paragraph, plain text (never markup, so `<`, `&`
and `[` print as they are), and note markers (`markers.Mark`). So:

* text is cut into words once (`words.py`); a word's width comes from a cache shared by the
  whole book (an edition repeats its words endlessly);
* lines are broken greedily, as reportlab does, once per width; when a paragraph is split
  at a page end, both pieces keep their lines (re-breaking the rest on every page would be
  quadratic in a long paragraph);
* a line is drawn as a handful of PDF text operators (`pdfops.py`); justification is word
  spacing (`Tw`), which applies to code 32 -- reportlab's TrueType subsets keep code 32 a
  space in every subset, and map the no-break space to it.

Orphans and widows follow reportlab's rules (`allowOrphans`, `allowWidows` of the style).
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import islice
from operator import itemgetter
from typing import Optional, Sequence

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.platypus.flowables import Flowable

from .bidi import actual_text, has_rtl, visual
from .hyphenate import ADDED_HYPHEN, nbsp_count
from .linebreak import EMERGENCY_STRETCH, LAST_RESORT_TRACKING, MAX_SHRINK, MAX_STRETCH, TRACKING, total_fit
from .markers import MARK_PREFIX, Mark
from .pdfops import encoder, link, num
from .words import CUT, EPS, HYPHENATED, Item, Token, rejoin, split_wide, sup_size, text_width, tokenize

# The line breaker's passes, until one sets every line: word spaces, and letter spacing
# where they alone cannot (at a cost); then hyphenating capitalised words and the
# paragraph's last word too; then more letter spacing; then lines beyond the limits, as few
# and as little beyond as the paragraph allows (re-broken as a whole: the other lines stay
# within).  (max stretch, tracking, last resort, overflow)
PASSES = ((MAX_STRETCH, TRACKING, False, 0.0), (MAX_STRETCH, TRACKING, True, 0.0),
          (MAX_STRETCH, LAST_RESORT_TRACKING, True, 0.0),
          (MAX_STRETCH, LAST_RESORT_TRACKING, True, EMERGENCY_STRETCH - MAX_STRETCH))

# What the layout marks on a flowable as a whole (reportlab's _postponed count, our
# _force_notes, its frame) and a split piece must not inherit.
_LAYOUT_STATE = frozenset({"_postponed", "_force_notes", "_frame", "canv", "_splitpara"})
_FLAG, _PARTS = itemgetter(1), itemgetter(2)


class TextParagraph(Flowable):
    """A paragraph of one style: `items` are strings and markers."""

    # Set on a note, a table's header cells and an index's continuation line: text that never
    # opens a printed page's text (epub_parts.page_list). A class default, as paint asks
    # every paragraph (a getattr that misses costs an exception).
    is_note = False
    # (prebreak.PreBreaker, key) where this paragraph's lines are being broken ahead
    _pre = None

    def __init__(self, items: Sequence[Item], style, tokens: Optional[list[Token]] = None):
        super().__init__()
        if isinstance(items, str):
            raise TypeError("TextParagraph takes a list of strings and marks, not a string")
        self.style = style
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self.tokens = tokens if tokens is not None else tokenize(items, style.fontName, style.fontSize)
        # Looked for once in the items (a few strings), not word by word, and inherited by
        # a piece split off: right-to-left letters anywhere (only then does `paint` look
        # for them in each word), and whether the paragraph is `plain` -- no markers and no
        # right-to-left words, so nothing needs to know where a word stands when drawn.
        if tokens is None:
            strings = [i for i in items if type(i) is str]
            marks = len(strings) != len(items)
        else:
            strings = [p for t in tokens for p in t[2] if type(p) is str]
            marks = any(type(p) is not str for t in tokens for p in t[2])
        self.rtl = has_rtl("".join(strings))
        self.plain = not marks and not self.rtl
        self.starts = True  # holds the paragraph's first line (indented)
        self.ends = True  # holds its last line (never justified)
        self._broken: Optional[tuple[float, list]] = None  # (width, lines)
        self._note_keys: Optional[list[str]] = None
        # A piece split off at a page end shares the paragraph's tokens and indexes its lines
        # into them: (first, end) token of its own; None = all of them. (Copying the rest and
        # renumbering its lines at every page was quadratic in a long paragraph.)
        self._span: Optional[tuple[int, int]] = None
        self.tag = None  # its element of the structure tree (tagging.StructElem)
        # The part of the edition it sets (story.py's keys; the EPUB's page list marks each
        # page before the first word drawn on it) and how many words of that part come before it.
        self.page_key: Optional[tuple] = None
        self.word_offset = 0

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
        if b is None and self._pre is not None:  # broken ahead on the other core? (prebreak.py)
            got = self._pre[0].take(self._pre[1], width, self.tokens)
            if got is not None:
                self.tokens, lines = got
                self._broken = (width, lines)
                return lines
        if self._span is not None:  # a piece broken again at another width: its own tokens
            lo, hi = self._span
            self.tokens, self._span = self.tokens[lo:hi], None
        if b is not None:
            self.tokens = rejoin(self.tokens)  # cuts made for another width
        st = self.style
        font, size = st.fontName, st.fontSize
        space_w, hyphen_w = _space_and_hyphen(font, size)
        hyphenator = getattr(st, "hyphenator", None)
        rest_w = self._measure(width)
        avail = rest_w - (st.firstLineIndent if self.starts else 0.0)
        # Words wider than a line are cut into pieces first, in one pass (a cut per line
        # measured the rest of the word again each time: quadratic in its length).
        tokens = self.tokens = split_wide(self.tokens, min(avail, rest_w), font, size)
        if st.alignment == TA_JUSTIFY and len(tokens) > 1:
            fitted = self._total_fit(avail, rest_w, space_w, hyphen_w, hyphenator)
            if fitted is not None:
                self.tokens, lines = fitted
                self._broken = (width, lines)
                return lines
        # Greedy: the tokens are copied to `out` as lines fill, a word hyphenated at a line's
        # end becoming two (never inserted into the list: that would be quadratic).
        lines = []
        out: list[Token] = []
        n = len(tokens)
        start, i, used, gaps = 0, 0, 0.0, 0
        pending: Optional[Token] = None  # the tail of a word hyphenated at the last line's end
        while pending is not None or i < n:
            if pending is not None:
                tok, nxt = pending, i
            else:
                tok, nxt = tokens[i], i + 1
            if not tok[2]:  # BREAK: the line ends; the next one starts a paragraph (indented)
                out.append(tok)
                pending, i = None, nxt
                lines.append((start, len(out), used, gaps))
                start = len(out)
                used, gaps, avail = 0.0, 0, rest_w - st.firstLineIndent
                continue
            if len(out) == start:
                out.append(tok)
                pending, i = None, nxt
                used, gaps = tok[0] + (hyphen_w if tok[4] == HYPHENATED else 0.0), tok[3]
                continue
            if tok[1]:
                add = tok[0] + space_w
                if used + add <= avail + EPS:
                    out.append(tok)
                    pending, i = None, nxt
                    used += add
                    gaps += 1 + tok[3]
                    continue
            elif used + tok[0] <= avail + EPS:
                out.append(tok)
                pending, i = None, nxt
                used += tok[0]
                gaps += tok[3]
                continue
            # The word does not fit: break it if the line can take a first part of it
            # (never the paragraph's last word, whose rest would stand alone).
            if (hyphenator is not None and len(tok[2]) == 1 and type(tok[2][0]) is str and out[-1][4] != CUT
                    and nxt < n and tokens[nxt][2]):  # not before a BREAK either
                room = avail - used - (space_w if tok[1] else 0.0)
                for head, tail, adds in hyphenator.splits(tok[2][0]):
                    head_w = text_width(font, head) * size
                    if head_w + (hyphen_w if adds else 0.0) <= room + EPS:
                        # the head holds the no-break spaces before the break, the tail the rest
                        hnb = nbsp_count(head)
                        out.append((head_w, tok[1], (head,), hnb, HYPHENATED if adds else CUT))
                        pending, i = (tok[0] - head_w, False, (tail,), tok[3] - hnb, tok[4]), nxt
                        used += (space_w if tok[1] else 0.0) + head_w + (hyphen_w if adds else 0.0)
                        gaps += (1 if tok[1] else 0) + hnb
                        break
            lines.append((start, len(out), used, gaps))
            start, used, avail = len(out), 0.0, rest_w
        if start < len(out):
            lines.append((start, len(out), used, gaps))
        self.tokens = out
        self._broken = (width, lines)
        return lines

    def _total_fit(self, first_avail, rest_avail, space_w, hyphen_w, hyphenator):
        """The lines by total fit (linebreak.py), segment by segment between BREAKs; None
        if some segment cannot be set within the limits even loosely (greedy then)."""
        st = self.style
        tokens = self.tokens
        font, size = st.fontName, st.fontSize
        out: list = []
        lines: list[tuple[int, int, float, int]] = []
        seg_start, avail = 0, first_avail
        indent_rest = rest_avail - st.firstLineIndent
        n = len(tokens)
        # Where the BREAKs (tokens without parts) are: most paragraphs have none, which
        # one look in C tells.
        if () not in map(_PARTS, tokens):  # one segment: its tokens and lines as they come
            return _fit_segment(tokens, first_avail, rest_avail, font, size, space_w, hyphen_w, hyphenator)
        ends = [k for k, t in enumerate(tokens) if not t[2]]
        ends.append(n)
        for k in ends:
            # tokens[seg_start:k] is a segment; tokens[k] (if any) is a BREAK
            seg = tokens[seg_start:k]
            last_segment = k >= n
            got = _fit_segment(seg, avail, rest_avail, font, size, space_w, hyphen_w, hyphenator)
            if got is None:
                return None
            seg_tokens, seg_lines = got
            base = len(out)
            out.extend(seg_tokens)
            lines.extend((base + a, base + b, w, g) for a, b, w, g in seg_lines)
            if not last_segment:
                out.append(tokens[k])  # the BREAK ends the segment's last line
                if seg_lines:
                    a, _, w, g = lines[-1]
                    lines[-1] = (a, len(out), w, g)
                else:
                    lines.append((len(out) - 1, len(out), 0.0, 0))
            seg_start, avail = k + 1, indent_rest
        return out, lines

    # --- the flowable --------------------------------------------------------------

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        st = self.style
        lines = self.lines(availWidth)
        n = len(lines)
        s = int((availHeight + EPS) / st.leading)
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
        lo, hi = self._span or (0, len(self.tokens))
        keys = self.note_keys()
        first = self._piece((lo, cut), availWidth, lines[:s], starts=self.starts, ends=False)
        # The rest starts a paragraph (indented) if the cut falls after a BREAK.
        rest = self._piece((cut, hi), availWidth, lines[s:], starts=not self.tokens[cut - 1][2], ends=self.ends)
        rest._note_keys = keys[len(first.note_keys()):]  # the first piece's markers come first
        first.spaceAfter = 0
        rest.spaceBefore = 0
        rest.word_offset = self.word_offset + _word_starts(self.tokens, cut)
        return [first, rest]

    def _piece(self, span, width, lines, starts, ends) -> "TextParagraph":
        piece = object.__new__(type(self))
        # The style and what subclasses add carry over; the layout's marks on the whole
        # (reportlab's _postponed count, our _force_notes, its frame) do not.
        piece.__dict__.update((k, v) for k, v in self.__dict__.items() if k not in _LAYOUT_STATE)
        piece._span, piece.starts, piece.ends = span, starts, ends
        piece._broken, piece._note_keys = (width, lines), None
        piece.width, piece.height = width, len(lines) * self.style.leading
        piece._splitpara = 1
        return piece

    def note_keys(self) -> list[str]:
        """The notes whose markers this paragraph (or piece) prints, in order."""
        if self._note_keys is None:
            if self.plain:  # no markers (most paragraphs): no need to look at every word
                self._note_keys = []
                return self._note_keys
            tokens = self.tokens if self._span is None else self.tokens[self._span[0]:self._span[1]]
            self._note_keys = [p.note for t in tokens for p in t[2] if type(p) is Mark and p.note is not None]
        return self._note_keys

    def last_line_end(self) -> float:
        """Where the text of the last line ends, from the left edge (after a wrap)."""
        lines = self.lines(self.width)
        if not lines:
            return self.style.leftIndent
        st = self.style
        x = st.leftIndent + (st.firstLineIndent if self.starts and len(lines) == 1 else 0.0)
        natural = lines[-1][2]
        return x + self._offset(natural, self.starts and len(lines) == 1, True) + natural

    def _offset(self, natural: float, first: bool, last: bool) -> float:
        st = self.style
        extra = self._measure(self.width) - (st.firstLineIndent if first else 0.0) - natural
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
        _paint(self, self.canv, x0, y0)


def _paint(para: TextParagraph, canv, x0: float, y0: float):
    """TextParagraph.paint: its lines drawn on `canv` with its lower left corner at (x0, y0).
    (A module function, so that the .pxd can give its locals C types where it is compiled.)"""
    starts = getattr(canv, "text_starts", None)
    if starts is not None and not para.is_note:
        # The page's first text: where the EPUB's marker of this page goes.
        starts.setdefault(canv.getPageNumber(), (para.page_key, para.word_offset))
    st = para.style
    font_name, size, leading = st.fontName, st.fontSize, st.leading
    lines = para.lines(para.width)
    if not lines:
        return
    cache, encode, ones_of, space_w, ssize, rise, fs, fss, frise = _pen(canv, font_name, size)
    tokens = para.tokens
    plain, rtl = para.plain, para.rtl
    out = ["q BT"]
    put = out.append
    cur_font, cur_tw, cur_tc = None, 0.0, 0.0
    # Tagging: the paragraph's text is marked content of its element; a marker closes
    # it, is marked content of its own (Link, or Lbl for a note's label) and the text
    # goes on in new marked content, opened when text comes (`_tj`).
    tagger = getattr(canv, "tagger", None)
    elem = para.tag if tagger is not None else None
    is_open = False
    y = y0 + para.height - size
    justify = st.alignment == TA_JUSTIFY
    offsets = st.alignment == TA_CENTER or st.alignment == TA_RIGHT
    last_index = len(lines) - 1
    measure = para._measure(para.width)
    buf: list[str] = []  # escaped text not yet shown, in cur_font
    add = buf.append

    # The tokens that hold a marker (or are no single word) in a paragraph that has
    # markers: a line without any is drawn as a plain paragraph's line is.
    marked = [] if plain or rtl else [
        i for i in range(lines[0][0], lines[-1][1]) if len(tokens[i][2]) != 1 or type(tokens[i][2][0]) is not str]
    opens, closes = para.starts, para.ends  # the paragraph's first line, its last
    left, indent = x0 + st.leftIndent, st.firstLineIndent
    x_was, x_num = _NAN, ""  # the last line's x and its number (most lines share it; NaN equals none)
    for li, (a, b, natural, gaps) in enumerate(lines):
        first = (li == 0 and opens) or (a > 0 and not tokens[a - 1][2])  # after a BREAK
        x = left + (indent if first else 0.0)
        last = (li == last_index and closes) or not tokens[b - 1][2]  # ends a paragraph
        tw = tc = 0.0
        if justify and not last:
            if gaps:
                slack = measure - (indent if first else 0.0) - natural
                tw = slack / gaps
                if tw > MAX_STRETCH + EPS or tw < -MAX_SHRINK - EPS:
                    # Spaces at their widest (narrowest): the letters take up some of the
                    # rest (Tc), so that no space changes by more than the limits.
                    # The gap between two words changes by Tw + Tc (the space) and Tc
                    # (after the word's last letter): Tw + 2 Tc stays at the limit.
                    glyphs = _glyphs(tokens, a, b) + gaps - sum(tokens[i][3] for i in range(a, b))
                    if glyphs - 1 - 2 * gaps > 0:
                        # (a hair inside the limit: the stream rounds to 3 decimals)
                        limit = MAX_STRETCH - 0.002 if tw > 0 else -MAX_SHRINK + 0.002
                        tc = (slack - limit * gaps) / (glyphs - 1 - 2 * gaps)
                        tc = max(-LAST_RESORT_TRACKING, min(LAST_RESORT_TRACKING, tc))
                        tw = (slack - (glyphs - 1) * tc) / gaps
        else:
            x += para._offset(natural, first, last) if offsets else 0.0
        if x != x_was or not x:  # (the same value prints the same, but for the sign of 0)
            x_was, x_num = x, num(x)
        put(f"1 0 0 1 {x_num} {num(y)} Tm")
        if tw != cur_tw:
            put(f"{num(tw)} Tw")
            cur_tw = tw
        if tc != cur_tc:
            put(f"{num(tc)} Tc")
            cur_tc = tc
        if plain or (not rtl and _none_within(marked, a, b)):
            # Nothing on the line needs to know where a word stands (no markers, no
            # right-to-left words): its words' encoded text and spaces, nothing more.
            # `ones`: the words drawn before in one piece of the current subset font,
            # which go straight into the buffer (the usual case); any other word is
            # encoded and shown, changing the font if need be.
            ones = ones_of.get(cur_font, _NO_WORDS)
            for i in range(a, b):
                tok = tokens[i]
                if tok[1] and i > a:
                    add(" ")
                for p in tok[2]:
                    esc = ones.get(p)
                    if esc is not None:
                        add(esc)
                        continue
                    enc = cache.get(p) or encode(p)
                    if len(enc) == 1:
                        ones_of.setdefault(enc[0][0], {})[p] = enc[0][1]
                    cur_font, is_open = _show(enc, cur_font, is_open, out, buf, fs, tagger, elem, canv)
                    ones = ones_of.get(cur_font, _NO_WORDS)
            if tokens[b - 1][4] == HYPHENATED:
                cur_font, is_open = _show(encode(ADDED_HYPHEN), cur_font, is_open, out, buf, fs, tagger, elem, canv)
            if buf:  # _tj, inline: once a line
                if elem is not None and not is_open:
                    put(tagger.open(elem, canv))
                    is_open = True
                put(f"({''.join(buf)}) Tj")
                buf.clear()
            y -= leading
            continue
        for i in range(a, b):
            tok = tokens[i]
            if tok[1] and i > a:
                add(" ")
                x += space_w + tw + tc
            for p in tok[2]:
                if type(p) is str:
                    if rtl and has_rtl(p):  # right to left: visual glyphs, the logical text as ActualText
                        if buf or elem is not None:
                            is_open = _tj(is_open, out, buf, tagger, elem, canv)
                        put(f"/Span <</ActualText {actual_text(p)}>> BDC")
                        cur_font, is_open = _show(encode(visual(p)), cur_font, is_open, out, buf, fs, tagger, elem, canv)
                        is_open = _tj(is_open, out, buf, tagger, elem, canv)
                        put("EMC")
                        if len(tok[2]) > 1:
                            x += text_width(font_name, p) * size + p.count("\u00a0") * tw + len(p) * tc
                        continue
                    enc = cache.get(p) or encode(p)
                    if len(enc) == 1 and enc[0][0] == cur_font:  # the usual case
                        add(enc[0][1])
                    else:
                        cur_font, is_open = _show(enc, cur_font, is_open, out, buf, fs, tagger, elem, canv)
                    if len(tok[2]) > 1:  # only a marker needs to know where it stands
                        x += text_width(font_name, p) * size + p.count("\u00a0") * tw + len(p) * tc
                    continue
                if buf:
                    is_open = _tj(is_open, out, buf, tagger, elem, canv)
                mark_elem = None
                if elem is not None:
                    if is_open:
                        put("EMC")
                        is_open = False
                    if p.note is not None:  # a marker: a link to its note
                        mark_elem = elem.add("Link" if tagger.links else "Reference")
                    else:  # a note's label, linking back to its marker
                        mark_elem = elem.add("Lbl")
                        if tagger.links:
                            mark_elem = mark_elem.add("Link")
                    put(tagger.open(mark_elem, canv))
                w = text_width(font_name, p.label) * ssize
                for sub, esc in encode(p.label):
                    put(f"{sub} {fss} Tf {frise} Ts ({esc}) Tj")
                put("0 Ts")
                cur_font = None
                if mark_elem is not None:
                    put("EMC")
                if tagger is None or tagger.links:
                    what = (tagger.marker_text if p.note is not None else tagger.back_text) if tagger else ""
                    ann = link(canv, p.link, (x, y - 0.2 * size, x + w, y + rise + ssize),
                               what.format(p.label))
                    if mark_elem is not None:
                        tagger.annotation(mark_elem, canv, ann)
                if p.note is not None:
                    canv.bookmarkHorizontal(MARK_PREFIX + p.note, x, y + leading)
                x += w + len(p.label) * tc
            if len(tok[2]) == 1:
                x += tok[0] + tok[3] * tw
                if tc:
                    x += len(tok[2][0]) * tc
        if tokens[b - 1][4] == HYPHENATED:
            cur_font, is_open = _show(encode(ADDED_HYPHEN), cur_font, is_open, out, buf, fs, tagger, elem, canv)
        if buf:
            is_open = _tj(is_open, out, buf, tagger, elem, canv)
        y -= leading
    if is_open:
        put("EMC")
    put("ET Q")  # Q restores the word spacing, rise and font of the text state too
    canv._code.append("\n".join(out))


def _tj(is_open: bool, out: list[str], buf: list[str], tagger, elem, canv) -> bool:
    """Show the buffered text (inside the element's marked content, opened if need be);
    whether that is open now."""
    if elem is not None and not is_open:
        out.append(tagger.open(elem, canv))
        is_open = True
    out.append(f"({''.join(buf)}) Tj")
    buf.clear()
    return is_open


def _show(enc, cur_font, is_open: bool, out: list[str], buf: list[str], fs: str, tagger, elem, canv):
    """Add encoded text, changing the subset font where it changes: (the font now, whether
    the element's marked content is open now)."""
    for sub, esc in enc:
        if sub != cur_font:
            if buf:
                is_open = _tj(is_open, out, buf, tagger, elem, canv)
            out.append(f"{sub} {fs} Tf")
            cur_font = sub
        buf.append(esc)
    return cur_font, is_open


_NO_WORDS: dict = {}
_NAN = float("nan")
_SPACE_AND_HYPHEN: dict[tuple[str, float], tuple[float, float]] = {}


def _space_and_hyphen(font: str, size: float) -> tuple[float, float]:
    """The widths of a space and of the hyphen hyphenation adds, in a face and size."""
    got = _SPACE_AND_HYPHEN.get((font, size))
    if got is None:
        got = _SPACE_AND_HYPHEN[(font, size)] = (text_width(font, " ") * size, text_width(font, ADDED_HYPHEN) * size)
    return got


def _none_within(sorted_ints: list[int], a: int, b: int) -> bool:
    """No number of `sorted_ints` in a..b-1."""
    k = bisect_left(sorted_ints, a)
    return k == len(sorted_ints) or sorted_ints[k] >= b


def _pen(canv, font_name: str, size: float) -> tuple:
    """What drawing in a face and size needs, made once per canvas (the book has a few):
    (word cache, encode, subset font -> word -> its bytes when drawn in one piece of that
    subset, the space's width, marker size, marker rise, and the size, marker size and rise
    as content-stream numbers)."""
    pens = canv.__dict__.get("_corresp_pens")
    if pens is None:
        pens = canv.__dict__["_corresp_pens"] = {}
    got = pens.get((font_name, size))
    if got is None:
        cache, encode = encoder(canv, font_name)
        ones_of = canv.__dict__.setdefault("_corresp_ones", {}).setdefault(font_name, {})
        ssize, rise = sup_size(size), 0.5 * size
        got = pens[(font_name, size)] = (cache, encode, ones_of, text_width(font_name, " ") * size, ssize, rise,
                                         num(size), num(ssize), num(rise))
    return got


def _fit_segment(seg, first_avail, rest_avail, font, size, space_w, hyphen_w, hyphenator):
    """total_fit of one segment, pass after pass until one sets it (None if none does)."""
    for stretch, tracking, last_resort, overflow in PASSES:
        got = total_fit(seg, first_avail, rest_avail, font, size, space_w, hyphen_w, hyphenator,
                        max_stretch=stretch, tracking=tracking, capitalised=last_resort,
                        last_may_hyphenate=last_resort, overflow=overflow)
        if got is not None:
            return got
    return None


def _glyphs(tokens, a: int, b: int) -> int:
    """Glyphs drawn by tokens[a:b], spaces between them not counted (an added hyphen is)."""
    n = sum(len(p) if type(p) is str else len(p.label) for i in range(a, b) for p in tokens[i][2])
    return n + (1 if tokens[b - 1][4] == HYPHENATED else 0)


def _word_starts(tokens, cut: int) -> int:
    """Words of tokens[:cut] as a reader counts them (whitespace-separated; a word cut by
    hyphenation counts once, with the part it began in)."""
    if cut > 0 and () not in map(_PARTS, islice(tokens, cut)):
        # No BREAK: a word starts at the first token and at every token after a space
        # (the flags are bools), counted in C.
        n = 1 + sum(map(_FLAG, islice(tokens, 1, cut)))
    else:
        n = sum(1 for j in range(cut) if tokens[j][2] and (j == 0 or tokens[j][1] or not tokens[j - 1][2]))
    if 0 < cut < len(tokens) and not tokens[cut][1] and tokens[cut - 1][2]:
        n -= 1  # the next piece begins inside a word: count it there
    return n


def word_count(tokens) -> int:
    """The words of a whole paragraph, as `_word_starts` counts them."""
    return _word_starts(tokens, len(tokens))

from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
