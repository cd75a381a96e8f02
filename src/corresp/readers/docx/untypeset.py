"""House typography undone inside a paragraph the editor changed, where that is safe.

A paragraph the editor left alone takes its source's characters whole (`restore`). One the
editor changed keeps the editor's text, but the typography the DOCX printed around the edit
(curly quotes, dashes, no-break spaces, ellipses) need not stay: both texts are cut into
tokens (words, a dash with the spaces around it, runs of dots, runs of spaces, any other
character, note markers) and aligned by their typographic fold (`typography.fold`, what
`verify` and `corresp diff` compare); every token that is the same through the fold takes
the source's characters, every other token (what the editor typed or removed) stays as the
editor left it. So the result differs from the editor's text only in what the fold ignores,
which is checked: if it ever did not, the editor's text is kept whole. Typography an editor
applied on purpose to an unchanged word (a straight quote made curly) is typography, not an
edit — as for an unchanged paragraph, and as `corresp diff` sees it.
"""
from __future__ import annotations

import difflib
import re
from typing import Optional

from ...typography import fold

# A dash with the spaces around it first (so ` - ` and `\u00a0— ` are one token each), then dots
# (`...`, `. . .`, `…`), words, spaces, and any other single character.
_TOKEN = re.compile(r"\s*[-\u2010-\u2015]+[-\s\u2010-\u2015]*|(?:\.\s?){2,}\.?|\u2026|\w+|\s+|.", re.DOTALL)
MARKER = "\x00"  # a note marker's place in a paragraph's string (the reader never gives this character)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _key(token: str) -> str:
    # A word has nothing to fold (quotes, dashes, spaces and dots are not word characters).
    return token if token == MARKER or token[0].isalnum() else fold(token)


def untypeset_text(source: str, edited: str) -> str:
    """`edited` with the source's characters wherever the two agree through the fold."""
    a, b = _tokens(source), _tokens(edited)
    ka, kb = [_key(t) for t in a], [_key(t) for t in b]
    # The same tokens before the first edit and after the last are taken as they are, so only
    # what lies between is aligned (difflib is slow on long runs of common tokens).
    head = 0
    while head < min(len(ka), len(kb)) and ka[head] == kb[head]:
        head += 1
    tail = 0
    while tail < min(len(ka), len(kb)) - head and ka[-1 - tail] == kb[-1 - tail]:
        tail += 1
    out: list[str] = a[:head]
    matcher = difflib.SequenceMatcher(a=ka[head:len(ka) - tail], b=kb[head:len(kb) - tail])
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        out += a[head + a0:head + a1] if op == "equal" else b[head + b0:head + b1] if op != "delete" else []
    out += a[len(a) - tail:]
    result = "".join(out)
    # What the fold ignores is all that may differ from the editor's text, markers included.
    if fold(result) != fold(edited) or result.count(MARKER) != edited.count(MARKER):
        return edited
    return result


_WORD = re.compile(r"\w+")


def similar(a: str, b: str, cutoff: float = 0.6) -> bool:
    """Most of the words the same, in the same order."""
    m = difflib.SequenceMatcher(a=_WORD.findall(a), b=_WORD.findall(b))
    return m.real_quick_ratio() >= cutoff and m.quick_ratio() >= cutoff and m.ratio() >= cutoff


def pair_edited(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """(old index, new index) of an edited text and the text it most likely was, each used
    once, in order, when they are similar enough (most of the fold the same)."""
    pairs, used = [], -1
    for j, text in enumerate(new):
        best: Optional[int] = None
        for i in range(used + 1, len(old)):
            if similar(old[i], text):
                best = i
                break
        if best is not None:
            pairs.append((best, j))
            used = best
    return pairs
