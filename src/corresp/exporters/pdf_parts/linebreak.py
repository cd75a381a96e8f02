"""Total-fit line breaking (Knuth–Plass) for justified paragraphs, with hyphenation.

The greedy breaker fills each line as far as it goes and leaves the rest to the next, so
one long word can open a hole in a line no later choice can mend. Here the breaks of a
whole paragraph are chosen together: among all ways of breaking it at spaces and at the
hyphenation points pyphen allows, the one with the least total demerits, where a line's
demerits grow with the cube of how far its word spaces stretch or shrink, and a hyphen
costs extra (two in a row more).

A line is feasible when its word spaces stretch by at most `MAX_STRETCH` points or shrink by
at most `MAX_SHRINK` (justification changes each space by the same amount, `Tw`); only if
no such breaking exists are looser lines allowed (`EMERGENCY_STRETCH`, then the greedy
breaker, which never fails).

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
from typing import Optional

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


def total_fit(tokens: list[Token], first_avail: float, rest_avail: float, font: str, size: float,
              space_w: float, hyphen_w: float, hyphenator, last_may_hyphenate: bool = False,
              max_stretch: float = MAX_STRETCH, tracking: float = 0.0, capitalised: bool = False
              ) -> Optional[tuple[list[Token], list[tuple[int, int, float, int]]]]:
    """Break `tokens` (one paragraph segment: no BREAK inside) into lines. Returns the tokens
    (hyphenated words cut in two) and each line's (first, end) token indices, natural width
    and stretchable spaces; None if no breaking keeps every line within the limits (the
    caller tries looser ones)."""
    n = len(tokens)
    if n == 0:
        return tokens, []
    # Prefix sums: where each token starts and ends on one endless line, the spaces before
    # tokens 1..j (`spaces[j]`) and the no-break spaces in tokens before j (`nbsp[j]`).
    flags = [t[1] for t in tokens]
    flags[0] = False
    widths = [t[0] for t in tokens]
    end = list(accumulate(w + space_w if f else w for w, f in zip(widths, flags)))
    if end[-1] <= first_avail + EPS:
        return tokens, [(0, n, end[-1], flags.count(True) + sum(t[3] for t in tokens))]
    start = [e - w for e, w in zip(end, widths)]
    spaces = list(accumulate(flags))
    spaces.append(spaces[-1])
    nbsp = [0]
    nbsp.extend(accumulate(t[3] for t in tokens))
    glyphs = None  # prefix glyph counts, for letter spacing (`tracking`)
    if tracking:
        glyphs = [0]
        glyphs.extend(accumulate(sum(len(q) if type(q) is str else len(q.label) for q in t[2]) for t in tokens))
    widest = max(t[0] for t in tokens)
    if widest > min(first_avail, rest_avail) + EPS:
        return None  # a word wider than a line: the greedy breaker cuts it
    d = {}  # font width cache for heads
    splits_of = hyphenator.splits if hyphenator is not None else None

    def heads(t: int):
        """(head length, head width, adds a hyphen) of the places token t may break."""
        tok = tokens[t]
        parts = tok[2]
        # A word, or a word with a note marker after it (which stays on the tail).
        if splits_of is None or type(parts[0]) is not str or tok[3] or tok[4] != NOT_CUT:
            return ()
        if t == n - 1 and not last_may_hyphenate:
            return ()
        got = d.get(t)
        if got is None:
            got = d[t] = [(len(h), text_width(font, h) * size, adds)
                          for h, _, adds in splits_of(parts[0], capitalised)]
        return got

    # A node is a line start: (token, head length already on the line before; 0 = whole).
    # best[node] = (demerits, previous node, ends with a hyphen)
    best: dict[tuple[int, int], tuple[float, Optional[tuple[int, int]], bool, float]] = {(0, 0): (0.0, None, False, 0.0)}
    heap = [(0, 0)]
    final = None
    final_dem = float("inf")
    shrink = MAX_SHRINK

    def ratio(slack: float, gaps: int, nglyphs: int) -> Optional[float]:
        """How far the line stretches (0..1) or shrinks (0..-1) of what it may; None if
        beyond. With `tracking`, the glyphs other than spaces may each widen by that much
        once the spaces have reached `max_stretch`."""
        if slack >= 0:
            flex = gaps * max_stretch
            if tracking and nglyphs - 1 - gaps > 0:
                flex += (nglyphs - 1 - gaps) * tracking
            if slack > flex + EPS:
                return None
            return slack / flex if flex else 0.0
        flex = gaps * shrink
        if tracking and nglyphs - 1 - gaps > 0:
            flex += (nglyphs - 1 - gaps) * tracking
        if slack < -flex - EPS:
            return None
        return slack / flex
    while heap:
        node = heapq.heappop(heap)
        dem0, _, hyph0, head_w = best[node]
        j, hlen = node
        x0 = start[j] + head_w
        avail = first_avail if node == (0, 0) else rest_avail
        limit = x0 + avail
        # The paragraph's end, if the rest fits on this line (the last line is not justified).
        if end[-1] <= limit + EPS:
            if dem0 + LINE_PENALTY ** 2 < final_dem:
                final_dem, final = dem0 + LINE_PENALTY ** 2, node
            continue
        # Glue ends: the line holds tokens j..e, the next starts at e+1 (which follows a space).
        e0 = bisect_right(end, limit + EPS) - 1  # the last token ending within the measure
        cands = []
        best_badness = 1e9
        sj, nj0 = spaces[j], nbsp[j]
        gj = (glyphs[j] + hlen) if glyphs else 0
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
                    r = ratio(slack, gaps, glyphs[e + 1] - gj + spaces[e] - sj if glyphs else 0)
                    if r is None:
                        if forward:
                            break
                        forward, e = True, e0 + 1
                        continue
                    badness = 100.0 * abs(r * r * r)
                    if badness < best_badness:
                        best_badness = badness
                    cands.append((e + 1, 0, 0.0, False, badness))
            e += 1 if forward else -1
        # Hyphen ends in the word(s) that straddle the measure, unless a space already makes
        # a good line here (TeX's pretolerance, node by node).
        if best_badness > GOOD_BADNESS:
            for t in (e0 + 1, e0, e0 + 2):
                if t <= j or t >= n:
                    continue
                hs = heads(t)
                if not hs:
                    continue
                gaps_before = spaces[t] - sj + nbsp[t] - nj0
                if gaps_before <= 0:
                    continue
                for hl, hw, adds in hs:
                    slack = limit - (start[t] + hw + (hyphen_w if adds else 0.0))
                    r = ratio(slack, gaps_before, glyphs[t] - gj + hl + (1 if adds else 0)
                              + spaces[t] - sj if glyphs else 0)
                    if r is not None:
                        cands.append((t, hl, hw, adds, 100.0 * abs(r * r * r)))
        for nj, nh, nhw, adds, badness in cands:
            dem = dem0 + (LINE_PENALTY + badness) ** 2
            if adds:
                dem += HYPHEN_PENALTY ** 2
                if hyph0:
                    dem += DOUBLE_HYPHEN_DEMERITS
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
            out.append((hw, tok[1], (word[:hl],), 0, HYPHENATED if adds else CUT))
            natural = start[j] + hw + (hyphen_w if adds else 0.0) - x0
            gaps = spaces[j] - spaces[pj] + nbsp[j] - nbsp[pj]
            lines.append((line_start, len(out), natural, gaps))
            line_start = len(out)
            out.append((tok[0] - hw, False, (word[hl:],) + tuple(tok[2][1:]), 0, tok[4]))
            pos = j + 1
        else:
            natural = end[j - 1] - x0
            gaps = spaces[j - 1] - spaces[pj] + nbsp[j] - nbsp[pj]
            lines.append((line_start, len(out), natural, gaps))
            line_start = len(out)
            pos = j
        prev = (j, hl)
    out.extend(tokens[pos:])
    pj, _ = prev
    x0 = start[pj] + best[prev][3]
    lines.append((line_start, len(out), end[-1] - x0, spaces[n - 1] - spaces[pj] + nbsp[n] - nbsp[pj]))
    return out, lines
