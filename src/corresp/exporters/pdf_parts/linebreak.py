"""Total-fit line breaking (Knuth–Plass) for justified paragraphs, with hyphenation.

The greedy breaker fills each line as far as it goes and leaves the rest to the next, so
one long word can open a hole in a line no later choice can mend. Here the breaks of a
whole paragraph are chosen together: among all ways of breaking it at spaces and at the
hyphenation points pyphen allows, the one with the least total demerits, where a line's
demerits grow with the cube of how far its word spaces stretch or shrink, and a hyphen
costs extra (two in a row more).

A line is feasible when its word spaces stretch by at most `MAX_STRETCH` points or shrink by
at most `MAX_SHRINK` (justification changes each space by the same amount, `Tw`); only if
no such breaking exists are looser lines allowed (`overflow`: up to `EMERGENCY_STRETCH`, each
costing more than any line within the limits, so the paragraph is re-broken to keep as few
of them as it can; then the greedy breaker, which never fails).

The search is a shortest path over break positions in the order of the text. From a
break, the candidate ends of the next line lie in a window around where the measure runs
out (found by bisection on the cumulative widths): a few spaces and the hyphenation points
of the word that straddles the measure. So the work grows with the number of lines times
that window, not with words times open breaks as in the textbook formulation.
"""
from __future__ import annotations

import heapq
from bisect import bisect_right
from itertools import accumulate
from itertools import repeat
from operator import add, itemgetter, mul, sub
from typing import Optional

from .hyphenate import nbsp_count
from .words import CUT, EPS, HYPHENATED, NOT_CUT, Token, text_width

MAX_STRETCH = 1.5  # points per word space
MAX_SHRINK = 0.5
EMERGENCY_STRETCH = 12.0
LINE_PENALTY = 10
GOOD_BADNESS = 12.5  # a line this good (a quarter of the stretch or less) needs no hyphen
HYPHEN_PENALTY = 50
DOUBLE_HYPHEN_DEMERITS = 3000
TRACKING = 0.15  # points a glyph may widen (or narrow) by when the spaces alone cannot fill a line
LAST_RESORT_TRACKING = 0.3  # ... when not even that and hyphenating names does
OVER = 3.0  # the ratio from which a line's spaces stretch beyond the limits (see `ratio`)
OVER_BADNESS = 1e4  # such a line's least badness: its demerits outweigh any line's within


# (font, size, capitalised, ties, language) -> word -> its break points with the head's
# width: an edition repeats its words endlessly. (The hyphenator is the edition's: one per
# process run.)
_HEADS: dict = {}


def total_fit(tokens: list[Token], first_avail: float, rest_avail: float, font: str, size: float,
              space_w: float, hyphen_w: float, hyphenator, last_may_hyphenate: bool = False,
              max_stretch: float = MAX_STRETCH, tracking: float = 0.0, capitalised: bool = False,
              overflow: float = 0.0) -> Optional[tuple[list[Token], list[tuple[int, int, float, int]]]]:
    """Break `tokens` (one paragraph segment: no BREAK inside) into lines. Returns the tokens
    (hyphenated words cut in two) and each line's (first, end) token indices, natural width
    and stretchable spaces; None if no breaking keeps every line within the limits (the
    caller tries looser ones).

    `overflow` (points a word space may stretch by beyond the limits, the last resort): a
    line beyond the limits is then allowed but costs more than any number of lines within
    them, so the breaking keeps as few lines as it can (and those as little) beyond the
    limits, rather than spreading loose lines through the paragraph; and a unit of words bound
    by no-break spaces may break inside any of its words (`Com-rade\u00a0N.N.\u00a0On`)."""
    n = len(tokens)
    if n == 0:
        return tokens, []
    # Prefix sums: where each token starts and ends on one endless line, the spaces before
    # tokens 1..j (`spaces[j]`) and the no-break spaces in tokens before j (`nbsp[j]`).
    widths, flags, _, nbs, _ = zip(*tokens)
    flags = (False,) + flags[1:]
    # (a flag times the space's width: the space or 0.0, in one C loop)
    end = list(accumulate(map(add, widths, map(mul, flags, repeat(space_w)))))
    if end[-1] <= first_avail + EPS:
        return tokens, [(0, n, end[-1], flags.count(True) + sum(nbs))]
    start = list(map(sub, end, widths))
    spaces = list(accumulate(flags))
    spaces.append(spaces[-1])
    nbsp = [0]
    nbsp.extend(accumulate(nbs))
    glyphs = None  # prefix glyph counts, for letter spacing (`tracking`): made when needed
    widest = max(widths)
    if widest > min(first_avail, rest_avail) + EPS:
        return None  # a word wider than a line: the greedy breaker cuts it
    splits_of = hyphenator.splits if hyphenator is not None else None
    ties = overflow > 0  # the last resort breaks inside any word bound by no-break spaces
    # This face's, size's and pass's word -> heads, looked up once per paragraph, not per word
    heads_of = _HEADS.setdefault((font, size, capitalised, ties, hyphenator.language), {}) if splits_of else None
    heads_at: list = [None] * n  # token -> heads(token), as asked

    # A node is a line start: (token, head length already on the line before; 0 = whole).
    # best[node] = (demerits, previous node, ends with a hyphen)
    best: dict[tuple[int, int], tuple[float, Optional[tuple[int, int]], bool, float]] = {(0, 0): (0.0, None, False, 0.0)}
    heap = [(0, 0)]
    final = None
    final_dem = float("inf")
    shrink = MAX_SHRINK
    # (the constants as locals: C numbers where this is compiled, setup.py)
    line_penalty, good_badness = LINE_PENALTY, GOOD_BADNESS
    hyphen_demerits, double_hyphen_demerits = HYPHEN_PENALTY ** 2, DOUBLE_HYPHEN_DEMERITS

    while heap:
        node = heapq.heappop(heap)
        dem0, _, hyph0, head_w = best[node]
        j, hlen = node
        x0 = start[j] + head_w
        avail = first_avail if node == (0, 0) else rest_avail
        limit = x0 + avail
        # The paragraph's end, if the rest fits on this line (the last line is not justified).
        if end[-1] <= limit + EPS:
            if dem0 + line_penalty ** 2 < final_dem:
                final_dem, final = dem0 + line_penalty ** 2, node
            continue
        # Glue ends: the line holds tokens j..e, the next starts at e+1 (which follows a space).
        e0 = bisect_right(end, limit + EPS) - 1  # the last token ending within the measure
        cands = []
        best_badness = 1e9
        # After a hyphen end the line starts with a word's tail: the no-break spaces of its
        # head stand before the break, so they do not count here.
        sj, nj0 = spaces[j], _nbsp_from(tokens, nbsp, j, hlen)
        # Looser lines going back from where the measure runs out, tighter ones forward.
        e = min(e0, n - 2)
        forward = False
        while True:
            if forward:
                if e >= n - 1:
                    break
            elif e < j:
                forward, e = True, e0 + 1
                continue
            if flags[e + 1]:  # a space follows token e: a break
                slack = limit - end[e]
                gaps = spaces[e] - sj + nbsp[e + 1] - nj0
                if gaps <= 0:  # one word alone on the line
                    if -EPS <= slack <= 4 * avail / 5:
                        cands.append((e + 1, 0, 0.0, False, 1e4))
                    elif forward:
                        break
                    else:
                        forward, e = True, e0 + 1
                        continue
                else:
                    # The usual cases inline (ratio and _badness: |r| <= 1 here)
                    if 0.0 <= slack <= gaps * max_stretch:
                        r = slack / (gaps * max_stretch)
                        badness = 100.0 * abs(r * r * r)
                    elif 0.0 > slack >= -gaps * shrink:
                        r = slack / (gaps * shrink)
                        badness = 100.0 * abs(r * r * r)
                    else:
                        if cands and not overflow:  # a line that needs letter spacing never beats one that does not
                            beyond = None
                        else:
                            if tracking and glyphs is None:
                                glyphs = _glyph_prefix(tokens)
                            beyond = _ratio(slack, gaps, glyphs[e + 1] - glyphs[j] - hlen + spaces[e] - sj if glyphs else 0,
                                            max_stretch, shrink, tracking, overflow)
                        if beyond is None:
                            if forward:
                                break
                            forward, e = True, e0 + 1
                            continue
                        badness = _badness(beyond)
                    if badness < best_badness:
                        best_badness = badness
                    cands.append((e + 1, 0, 0.0, False, badness))
            e += 1 if forward else -1
        # Hyphen ends in the word(s) that straddle the measure, unless a space already makes
        # a good line here (TeX's pretolerance, node by node).
        if best_badness > good_badness:
            for t in (e0 + 1, e0, e0 + 2):
                if t <= j or t >= n:
                    continue
                hs = heads_at[t]  # (nodes near each other look at the same words)
                if hs is None:
                    hs = heads_at[t] = (() if heads_of is None or (t == n - 1 and not last_may_hyphenate)
                                        else _heads(tokens[t], heads_of, splits_of, font, size, capitalised, ties))
                if not hs:
                    continue
                gaps_to = spaces[t] - sj + nbsp[t] - nj0
                for hl, hw, adds, hnb in hs:
                    gaps_before = gaps_to + hnb  # the head's own no-break spaces too
                    if gaps_before <= 0:
                        continue
                    slack = limit - (start[t] + hw + (hyphen_w if adds else 0.0))
                    if not -gaps_before * shrink <= slack <= gaps_before * max_stretch:
                        if cands and not overflow:
                            continue
                        if tracking and glyphs is None:
                            glyphs = _glyph_prefix(tokens)
                    beyond = _ratio(slack, gaps_before, glyphs[t] - glyphs[j] - hlen + hl + (1 if adds else 0)
                                    + spaces[t] - sj if glyphs else 0, max_stretch, shrink, tracking, overflow)
                    if beyond is not None:
                        cands.append((t, hl, hw, adds, _badness(beyond)))
        for nj, nh, nhw, adds, badness in cands:
            dem = dem0 + (line_penalty + badness) ** 2
            if adds:
                dem += hyphen_demerits
                if hyph0:
                    dem += double_hyphen_demerits
            key = (nj, nh)
            old = best.get(key)
            if old is None:
                best[key] = (dem, node, bool(adds), nhw)
                heapq.heappush(heap, key)
            elif dem < old[0]:
                best[key] = (dem, node, bool(adds), nhw)
    if final is None:
        return None
    # The path, from the last line's start back to the first.
    path = []
    node = final
    while node is not None:
        path.append(node)
        node = best[node][1]
    path.reverse()
    # Cut the hyphenated words and index the lines in the new token list, each with its
    # natural width and the spaces justification widens (as the drawing counts them).
    out: list[Token] = []
    lines: list[tuple[int, int, float, int]] = []
    line_start = 0
    pos = 0  # next token of the input to copy
    prev = path[0]
    for j, hl in path[1:]:
        pj, ph = prev
        x0 = start[pj] + best[prev][3]
        out.extend(tokens[pos:j])
        if hl:
            tok = tokens[j]
            word = tok[2][0]
            _, _, adds, hw = best[(j, hl)]
            hnb = nbsp_count(word[:hl])
            out.append((hw, tok[1], (word[:hl],), hnb, HYPHENATED if adds else CUT))
            natural = start[j] + hw + (hyphen_w if adds else 0.0) - x0
            gaps = spaces[j] - spaces[pj] + nbsp[j] + hnb - _nbsp_from(tokens, nbsp, pj, ph)
            lines.append((line_start, len(out), natural, gaps))
            line_start = len(out)
            out.append((tok[0] - hw, False, (word[hl:],) + tuple(tok[2][1:]), tok[3] - hnb, tok[4]))
            pos = j + 1
        else:
            natural = end[j - 1] - x0
            gaps = spaces[j - 1] - spaces[pj] + nbsp[j] - _nbsp_from(tokens, nbsp, pj, ph)
            lines.append((line_start, len(out), natural, gaps))
            line_start = len(out)
            pos = j
        prev = (j, hl)
    out.extend(tokens[pos:])
    pj, _ = prev
    x0 = start[pj] + best[prev][3]
    lines.append((line_start, len(out), end[-1] - x0, spaces[n - 1] - spaces[pj] + nbsp[n] - _nbsp_from(tokens, nbsp, pj, prev[1])))
    return out, lines


def _nbsp_from(tokens: list[Token], nbsp: list[int], j: int, hl: int) -> int:
    """The no-break spaces before a line that starts at token j (at its tail after hl:
    those in the head stand before the break)."""
    return nbsp[j] + nbsp_count(tokens[j][2][0][:hl]) if hl else nbsp[j]


def _heads(tok: Token, heads_of: dict, splits_of, font: str, size: float, capitalised: bool, ties: bool):
    """(head length, head width, adds a hyphen, no-break spaces in the head) of the places
    token `tok` may break; `heads_of`: this face's, size's and pass's cache."""
    parts = tok[2]
    # A word, or a word with a note marker after it (which stays on the tail).
    # (Words bound by no-break spaces break inside any of them: hyphenate._splits; the
    # head holds the no-break spaces before the break, the tail the rest.)
    if type(parts[0]) is not str or tok[4] != NOT_CUT:
        return ()
    got = heads_of.get(parts[0])
    if got is None:
        got = heads_of[parts[0]] = [(len(h), text_width(font, h) * size, adds, nbsp_count(h))
                                    for h, _, adds in splits_of(parts[0], capitalised, ties)]
    return got


def _ratio(slack: float, gaps: int, nglyphs: int, max_stretch: float, shrink: float, tracking: float,
           overflow: float) -> Optional[float]:
    """How far the line's spaces stretch (0..1) or shrink (0..-1) of what they may;
    None if beyond. With `tracking`, the glyphs other than spaces may each widen (or
    narrow) by that much once the spaces are at their limit: such a line's ratio goes on
    from 1 to 2 (-1 to -2), so it costs more than any line that needs no letter spacing.
    A word space then changes by the space's own share and by the letter spacing after the
    word's last letter too (tw + 2 tc, see textblock.paint), which must stay within the
    limits: each space gives back two glyphs' tracking."""
    if slack >= 0:
        flex = gaps * max_stretch
        if slack <= flex + EPS:
            return slack / flex if flex else 0.0
        extra = max(0.0, (nglyphs - 1 - 2 * gaps) * tracking) if tracking else 0.0
        if slack > flex + extra + EPS:
            if overflow and slack <= flex + extra + gaps * overflow + EPS:
                return OVER + (slack - flex - extra) / gaps  # points beyond, a space
            return None
        if extra <= 0:
            return None
        return 1.0 + (slack - flex) / extra
    flex = gaps * shrink
    if slack >= -flex - EPS:
        return slack / flex
    extra = (nglyphs - 1 - 2 * gaps) * tracking if tracking else 0.0
    if extra <= 0 or slack < -flex - extra - EPS:
        return None
    return -1.0 + (slack + flex) / extra


def _badness(r: float) -> float:
    """A line's badness from its ratio; beyond the limits (r >= OVER, the last resort) more
    than any line within them, growing with the points beyond."""
    if r >= OVER:
        return OVER_BADNESS * (1.0 + r - OVER)
    return 100.0 * abs(r * r * r)


_PARTS, _FIRST = itemgetter(2), itemgetter(0)


def _glyph_prefix(tokens: list[Token]) -> list[int]:
    """glyphs[j]: the glyphs of tokens before j (marker labels included, spaces not)."""
    out = [0]
    parts = list(map(_PARTS, tokens))
    if max(map(len, parts)) == 1:  # every token one word (or one marker): counted in C
        try:
            out.extend(accumulate(map(len, map(_FIRST, parts))))
            return out
        except TypeError:  # a marker alone (it has no len()): counted below
            del out[1:]
    out.extend(accumulate([len(p[0]) if len(p) == 1 and type(p[0]) is str
                           else sum(len(q) if type(q) is str else len(q.label) for q in p)
                           for p in parts]))
    return out

from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
