"""Words of a paragraph: cut from its text and markers, measured, and cut again where a line
breaks inside one (hyphenation, or a word wider than the line).

A token is one word: (width in points, preceded by a space?, its parts -- strings and
marks --, the no-break spaces inside it (word spacing widens them too), and how it was cut
from the word that follows: NOT_CUT, HYPHENATED (a hyphen is drawn at the break) or CUT).
Widths come from a cache shared by the whole book: an edition repeats its words endlessly.
A newline in the text (a note of several paragraphs) becomes BREAK, which ends a line.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from operator import itemgetter
from typing import Sequence, Union

from reportlab.pdfbase.pdfmetrics import getFont

from .markers import Mark

Item = Union[str, Mark]
Token = tuple
NOT_CUT, HYPHENATED, CUT = 0, 1, 2
# A newline in the text (a note of several paragraphs) ends a line: a token with no parts.
BREAK: Token = (0.0, False, (), 0, NOT_CUT)
_WIDTH = itemgetter(0)

_SPACES = re.compile(r"[ \t\r\n]+")
# Format characters (Unicode category Cf: soft hyphen, zero-width space, direction marks and
# overrides, word joiner, BOM ...) are invisible where text is shaped; the PDF draws glyphs
# without shaping, and would print a hyphen or a box for them. They stay in the model and
# the other formats; the PDF leaves them out.
_INVISIBLE_BMP = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
                  "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb")
_INVISIBLE = re.compile("[" + _INVISIBLE_BMP + "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
                        "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
# A quick first look for them: with astral ranges in a character class the regex engine
# tests the ranges one by one for every character (and a long edition's text is searched
# twice over); this class, the same BMP part and every astral character in one range, is
# a table lookup, four times faster. Only a text it finds something in is searched again.
_MAYBE_INVISIBLE = re.compile("[" + _INVISIBLE_BMP + "\U00010000-\U0010ffff]")


# Characters the book's faces commonly lack, drawn as one that looks the same: the
# non-breaking hyphen as U+2010 HYPHEN (never a break point: lines break at spaces, and
# hyphenation only after U+002D).
_LOOKALIKES = str.maketrans({"\u2011": "\u2010"})


def printable(text: str) -> str:
    """`text` as the PDF draws it: without the format characters it cannot show, and with
    look-alikes for characters the faces lack."""
    if _MAYBE_INVISIBLE.search(text) and _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    return text.translate(_LOOKALIKES) if "\u2011" in text else text
EPS = 1e-6

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


def sup_size(size: float) -> float:
    """A marker's size; reportlab's <super> sizes and raises the same way."""
    return size - min(2.0, 0.2 * size)


# (font, size) -> word -> its token after a space: a token is a tuple, the same for every
# occurrence of a word in a face and size (an edition repeats its words endlessly).
_tokens: dict[tuple[str, float], dict[str, Token]] = {}


def _word_tokens(font: str, size: float) -> dict[str, Token]:
    d = _tokens.get((font, size))
    if d is None:
        d = _tokens[(font, size)] = {}
    return d


def _word_token(word: str, font: str, size: float, cache: dict[str, Token]) -> Token:
    """The token of `word` after a space (kept in `cache`, `_word_tokens(font, size)`)."""
    tok = cache[word] = (text_width(font, word) * size, True, (word,), word.count("\u00a0"), NOT_CUT)
    return tok


def tokenize(items: Sequence[Item], font: str, size: float) -> list[Token]:
    if len(items) == 1 and type(items[0]) is str:  # the usual paragraph: one string
        text = printable(items[0])
        if "\n" not in text:
            return _plain_tokens(text, font, size)
        items = [text]
    else:
        items = [printable(i) if type(i) is str else i for i in items]
    if any(type(i) is str and "\n" in i for i in items):
        items = [piece for i in items for piece in _with_breaks(i)]
    ssize = sup_size(size)
    cache = _word_tokens(font, size)
    get = cache.get
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
        if item is BREAK:
            tokens.append(BREAK)
            glue = False
            continue
        if not item:
            continue
        words = _words(item)
        k = 0
        if glue and tokens and words[0]:  # the item goes on with the word before it
            word = words[0]
            tok = get(word) or _word_token(word, font, size, cache)
            t = tokens[-1]
            tokens[-1] = (t[0] + tok[0], t[1], t[2] + (word,), t[3] + tok[3], NOT_CUT)
            k = 1
        new = list(map(get, words[k:]))  # (in C, as in _plain_tokens)
        if None in new:
            new = [get(w) or _word_token(w, font, size, cache) for w in words[k:] if w]
        if new and not tokens:  # the paragraph's first word: no space before it
            first = new[0]
            new[0] = (first[0], False, first[2], first[3], NOT_CUT)
        tokens += new
        glue = bool(words[-1])
    return tokens


def _words(text: str) -> list[str]:
    """`text` cut at its spaces, tabs and line ends, as `_SPACES.split` cuts it but for more
    empty strings between spaces in a row (the callers skip empty strings, and look only
    whether the first and the last are empty). str.split(" ") is several times faster than
    the regex, and a text rarely holds a tab or a line end."""
    if "\t" in text or "\r" in text or "\n" in text:
        return _SPACES.split(text)
    return text.split(" ")


def _with_breaks(item: Item) -> list:
    """A string split at its newlines, with BREAK between the pieces."""
    if type(item) is not str or "\n" not in item:
        return [item]
    out: list = []
    for k, piece in enumerate(item.split("\n")):
        if k:
            out.append(BREAK)
        out.append(piece)
    return out


def _plain_tokens(text: str, font: str, size: float) -> list[Token]:
    """tokenize() for the usual paragraph: one string, no markers, no newlines. Its words'
    tokens come from the cache; the first one stands after no space."""
    cache = _word_tokens(font, size)
    words = _words(text)
    # Every word's token looked up in C; only a paragraph with a word new to this face and
    # size, or with spaces in a row (empty strings), takes the loop in Python.
    tokens = list(map(cache.get, words))
    if None in tokens:
        get = cache.get
        tokens = [get(w) or _word_token(w, font, size, cache) for w in words if w]
    if tokens:
        first = tokens[0]
        tokens[0] = (first[0], False, first[2], first[3], NOT_CUT)
    return tokens


def split_wide(tokens: list[Token], room: float, font: str, size: float) -> list[Token]:
    """The tokens with every word wider than `room` cut into pieces that each fit it (the
    first piece keeps the word's space; the others follow without one, marked CUT). One pass
    over the characters with cumulative widths, so a word of millions of characters costs
    what its length does (measuring the rest again for every line was quadratic)."""
    if not tokens or max(map(_WIDTH, tokens)) <= room + EPS:  # the usual case, in one C loop
        return tokens
    out: list[Token] = []
    for t in tokens:
        if t[0] <= room + EPS or not t[2]:
            out.append(t)
        else:
            out.extend(_pieces(t, room, font, size))
    return out


def _pieces(token: Token, room: float, font: str, size: float) -> list[Token]:
    d = widths(font)
    ssize = sup_size(size)
    pieces: list[Token] = []
    parts: list = []  # the piece being filled
    used = 0.0

    def emit():
        nonlocal parts, used
        nb = sum(p.count("\u00a0") for p in parts if type(p) is str)
        pieces.append((used, not pieces and token[1], tuple(parts), nb, CUT))
        parts, used = [], 0.0

    for p in token[2]:
        if type(p) is not str:  # a marker: never split, stays with what precedes it if it fits
            w = text_width(font, p.label) * ssize
            if parts and used + w > room + EPS:
                emit()
            parts.append(p)
            used += w
            continue
        for ch in set(p) - d.keys():
            text_width(font, ch)
        cum = list(accumulate([d[ch] * size for ch in p]))
        k, base = 0, 0.0  # p[:k] is placed; base = its width
        while k < len(p):
            # the longest run p[k:m] that fits the room left (at least one character on an empty piece)
            m = bisect_right(cum, base + room - used + EPS, k)
            if m == k:
                if parts:
                    emit()
                    continue
                m = k + 1
            parts.append(p[k:m])
            used += cum[m - 1] - base
            base, k = cum[m - 1], m
            if k < len(p):
                emit()
    if parts:
        emit()
    last = pieces[-1]
    pieces[-1] = last[:4] + (token[4],)
    return pieces


def rejoin(tokens: list[Token]) -> list[Token]:
    """The tokens with every cut word made whole again (a cut word's last part follows
    it without a space). Linear: a word cut into many pieces is joined once."""
    if all(t[4] == NOT_CUT for t in tokens):
        return tokens
    out: list[Token] = []
    group: list[Token] = []  # the pieces of one cut word so far

    def close():
        if len(group) == 1:
            out.append(group[0])
        else:
            parts: list = []
            run: list[str] = []
            for g in group:
                for p in g[2]:
                    if type(p) is str:
                        run.append(p)
                    else:
                        if run:
                            parts.append("".join(run))
                            run = []
                        parts.append(p)
            if run:
                parts.append("".join(run))
            out.append((sum(g[0] for g in group), group[0][1], tuple(parts), sum(g[3] for g in group),
                        group[-1][4]))
        group.clear()

    for t in tokens:
        if group and group[-1][4] != NOT_CUT and not t[1] and t[2]:
            group.append(t)
            continue
        if group:
            close()
        group.append(t)
    if group:
        close()
    return out

from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
