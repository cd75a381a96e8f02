"""Reconciling note markers in the text with the notes of a document (or chapter intro).

The scrape turned superscript markers into ` 1 .`, ` 3` at the end of a line, or lost the
number and left ` .`. Notes may be unnumbered or numbered differently from the markers.
Steps: find marker candidates; align them with the notes (an order-preserving alignment
that prefers equal numbers); place notes that found no marker at a lost-superscript trace
(` .`) between their neighbours' markers, else at the end of the body; drop markers that
have no note. Every repair is reported. The result: each note has exactly one marker, and
notes are numbered 1..n in the order of their markers.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from .dates import month_number
from .lines import tidy_spaces
from .notes import SUPERSCRIPTS, RawNote, number_of

# Parts where a lost superscript may be inferred (not headers: their ` .` is layout debris).
TEXT_ROLES = ("body", "enclosure", "postscript", "postscript-enclosure", "intro")

# A superscript number is a marker wherever it stands (with the spaces before it, if any).
# Every pattern here starts a match only where its first repeat starts (`(?<!\s)`) and
# repeats possessively (`++`): tried inside a run of 100,000 spaces, a plain `\s+` would
# scan to the run's end from each position in it (tests/test_redos.py).
_SUPERSCRIPT_CANDIDATE = re.compile(r"(?:(?<!\s)\s++)?(?P<n>[%s]{1,4})" % SUPERSCRIPTS)
_ANY_SUPERSCRIPT = re.compile("[%s]" % SUPERSCRIPTS)
# `_CANDIDATE` opens with a space (the look-behind after it asks for the same start as
# `(?<!\s)`): a pattern that opens with a character class is scanned for in C, one that
# opens with a look-behind is tried at every position of the paragraph.
_CANDIDATE = re.compile(r"(?P<ws>\s(?<!\s\s)\s*+)(?P<n>\d{1,4})(?=(?P<after>\s+[.,;:!?](?=\s|$)|[.,;:!?](?=\s|$)|\s*$|\s+\S))")
_STOP_WORDS = {"no", "n", "hp", "#", "№", "l", "d", "op", "f", "t", "s", "p", "pp", "vol", "art", "page",
               "pages", "nos", "item", "point", "paragraph", "section", "chapter", "part", "number",
               "article", "group", "c", "с", "стр", "л", "д", "оп", "ф", "т", "№№"}
_PREPOSITIONS = {"in", "by", "of", "to", "for", "at", "from", "on", "with", "about", "than", "over", "under",
                 "up", "after", "before", "within", "until", "into", "per", "and", "or", "nearly", "almost",
                 "only", "some", "first", "last", "the", "a", "every", "each", "all", "these", "those",
                 "approximately", "another", "other", "next", "than", "в", "на", "по", "до", "с", "из", "за",
                 "к", "о", "от", "около", "и", "или", "через", "после"}
# Digits glued to a word, a closing bracket or quote, or an abbreviation's full stop:
# `статей1.`, `(проект прилагается)2.`, `Сталину1.`, `мин.1`.
# Found as runs of digits first, then judged by the characters around them: a pattern that
# opens with look-behinds is tried at every position of every paragraph (bench/).
_DIGIT_RUN = re.compile(r"\d+")
# A run of one or two digits after a letter, a closing bracket or quote, or a full stop: the
# runs `_glued_to_word` may accept (and a few it does not), found without a Python test of
# every run of digits in the paragraph.
_GLUED_DIGITS = re.compile(r"\d(?<=[^\W\d]\d|[)»”\"’.]\d)\d?(?!\d)")
_GLUED_AFTER = re.compile(r"[.,;:!?)»]|\s|$")
# The last digit of a short number before punctuation: `вагонов 52.` is five wagons and
# marker 2 when the notes ask for a 2 and nothing else offers one.
# (Its look-behind stands after the first digit, for the reason given at `_CANDIDATE`.)
_SPLIT = re.compile(r"(?P<head>\d(?<![\d.,/\-–]\d)\d?)(?P<n>\d)(?=[.,;:!?](?:\s|$)|$)")
# What pairing such digits with a note costs in the alignment (an exact number costs 0, a
# marker left without a note 1): enough that a printed marker always wins.
OPTIONAL_PENALTY = {"glued": 0.3, "split": 0.6, "exponent": 0.3}
# A superscript right after a number or a unit is a power (`10³`, `km²`, `м³`) unless a
# note asks for that number.
_UNITS = {"km", "m", "cm", "mm", "dm", "ft", "sq", "км", "м", "см", "мм", "дм"}
# Words whose inflected forms number what follows ("пункты 1, 3", "items 2 and 4").
_NUMBERING_WORDS = ("пункт", "стать", "параграф", "глав", "раздел", "item", "point", "paragraph", "clause",
                    "section", "article")
# A number that opens a list of numbers ("1, 3 и 4", "2 and 5") belongs to the text.
_ENUMERATION = re.compile(r"\s?(?:,|\s(?:и|или|and|or|–|-))\s?\d")
_ENDS_WITH_DIGIT = re.compile(r"\d$")
_ENDS_WITH_LETTER = re.compile(r"[^\W\d_]$")
_SPACED_PUNCT = re.compile(r"\s+[.,;:!?]")
_PUNCT = re.compile(r"[.,;:!?]")
_ARTIFACT = re.compile(r"\s(?<=[\w)\]»”\"'’]\s)\s*+(?=[.,](?:\s|$))")  # (see `_CANDIDATE`)


@dataclass
class Part:
    """A printable paragraph before markers are resolved."""
    role: str
    text: str
    line: Optional[int]
    marker_spans: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, note index)


@dataclass
class Candidate:
    part: int
    start: int
    end: int
    n: int
    strength: str  # strong | medium | weak | glued | split
    source: Optional[str] = None  # the marker as printed, where it is not text[start:end]

    @property
    def optional(self) -> bool:
        """Digits that are a marker only if a note asks for them (`статей1.`, `вагонов 52.`):
        left alone, unreported, when none does."""
        return self.strength in OPTIONAL_PENALTY

    @property
    def pos(self) -> tuple[int, int]:
        return (self.part, self.start)


def find_candidates(parts: list[Part], bound: int, note_keys: set[int], gap_keys: frozenset = frozenset()
                    ) -> list[Candidate]:
    found: list[Candidate] = []
    for pi, part in enumerate(parts):
        if part.role == "secretary":
            continue  # secretary lines carry their marker in a field of their own
        text = part.text
        if _ANY_SUPERSCRIPT.search(text):
            for m in _SUPERSCRIPT_CANDIDATE.finditer(text):
                n = number_of(m.group("n"))
                if 0 < n <= bound + 3:
                    found.append(Candidate(pi, m.start(), m.end(), n,
                                           "exponent" if _is_exponent(text, m.start("n")) else "strong"))
        for m in (_CANDIDATE.finditer(text) if _DIGIT_RUN.search(text) else ()):
            n = int(m.group("n"))
            prev = text[max(0, m.start() - 60): m.start()].split()  # a window: never quadratic
            prev_tok = prev[-1] if prev else ""
            bare = prev_tok.rstrip(".:").lower()
            if not prev_tok or bare in _STOP_WORDS or n == 0 or month_number(bare.strip("[(")) \
                    or bare.startswith(_NUMBERING_WORDS) or _ENUMERATION.match(text, m.end("n")):
                continue  # "No. 5", "L. 9", "September 5,", "пункты 1, 3 и 4": numbers of the text
            after = m.group("after")
            numeric_prev = bool(_ENDS_WITH_DIGIT.search(prev_tok))
            start, end = m.start(), m.end("n")
            if after.strip() == "" and m.end() + len(after) >= len(text.rstrip()):
                strength = "strong"
            elif _SPACED_PUNCT.match(after):
                strength = "strong"
            elif _PUNCT.match(after):
                strength = "medium"
            else:
                nxt = after.strip()[:1]
                if numeric_prev or bare in _PREPOSITIONS or not _ENDS_WITH_LETTER.search(prev_tok) or not nxt.islower():
                    continue
                strength = "weak"
            if strength != "strong" and numeric_prev:
                continue
            limit = bound + 3 if strength == "strong" else bound
            if n > limit:
                continue
            found.append(Candidate(pi, start, end, n, strength))
    # Glued digits are looked for only for the numbers no printed marker offers: they
    # cannot beat one of the same number, and most pages have a marker for every note.
    wanted = (note_keys - {c.n for c in found if c.strength != "weak"}) | gap_keys
    if wanted:
        for pi, part in enumerate(parts):
            if part.role != "secretary" and _DIGIT_RUN.search(part.text):
                found += _optional_candidates(pi, part.text, wanted)
    found.sort(key=lambda c: c.pos)
    # A weak candidate ("KO 5 meeting") counts only where a note expects that number and no
    # stronger candidate claims it, and only in increasing order.
    strong_ns = {c.n for c in found if c.strength != "weak"}
    kept, last = [], 0
    for c in found:
        if c.strength == "weak" and (c.n <= last or c.n not in note_keys or c.n in strong_ns):
            continue
        kept.append(c)
        last = max(last, c.n)
    return kept


def _is_exponent(text: str, start: int) -> bool:
    before = text[max(0, start - 8):start]
    word = before.split()[-1] if before.split() and not before[-1:].isspace() else ""
    if word.isdigit():
        return len(word) <= 3  # `10³`; after a year (`1934⁴`) it is a marker
    return word.lower().strip("(") in _UNITS


def _glued_to_word(text: str, start: int) -> bool:
    """Do the digits at `start` touch a word, a closing bracket or quote, or the full stop of
    an abbreviation (`мин.1`)?"""
    before = text[start - 1:start]
    if not before:
        return False
    if before.isalpha() or before in ")»”\"’":
        return True
    return before == "." and text[start - 2:start - 1].isalpha()


def _optional_candidates(pi: int, text: str, note_keys: set[int]) -> list[Candidate]:
    found = []
    for m in _GLUED_DIGITS.finditer(text):
        start, end = m.span()
        if not _GLUED_AFTER.match(text, end) or not _glued_to_word(text, start):
            continue
        n = int(m.group(0))
        if n in note_keys:
            found.append(Candidate(pi, start, end, n, "glued"))
    for m in _SPLIT.finditer(text):
        n = int(m.group("n"))
        prev = text[max(0, m.start() - 40): m.start()].split()
        bare = prev[-1].rstrip(".:").lower() if prev else ""
        if n in note_keys and n > 0 and bare and bare not in _STOP_WORDS and not month_number(bare):
            found.append(Candidate(pi, m.start("n"), m.end("n"), n, "split"))
    return found


SECRETARY_NOTE = re.compile(r"entered by (?:the )?secretary|(?:внесен|проставлен)\w* секретар", re.IGNORECASE)


def _about_secretary(text: str) -> bool:
    # A case-insensitive pattern that starts with an alternation is tried at every position;
    # the casefolded text must contain one of the words (each character that IGNORECASE
    # matches to them casefolds to it), and rarely does.
    folded = text.casefold()
    if "secretary" not in folded and "секретар" not in folded:
        return False
    return bool(SECRETARY_NOTE.search(text))


ALIGN_BAND = 64  # how far from the diagonal the alignment looks (notes lost or added in a row)


def align(note_keys: list[int], marker_ns: list[int], penalty=None, skip_cost=None) -> list[tuple[int, int]]:
    """Order-preserving alignment of notes with markers: equal numbers cost 0, unequal 1,
    leaving a note unpaired costs 1 and a marker `skip_cost[j]` (default 1), plus
    `penalty(i, j)` for an unlikely pair. Ties prefer pairing earlier.

    The table is banded: for note i only the markers within ALIGN_BAND of where the
    diagonal from (0, 0) to (n, m) crosses its row are considered, so time and memory grow
    with n + m (a letter of 8,000 notes took 29 s and 2.4 GB with the whole n × m table).
    A document of fewer than ALIGN_BAND notes and markers is aligned exactly as before. Only
    the decisions are kept per cell (a byte); the costs of two rows at a time."""
    n, m = len(note_keys), len(marker_ns)
    if not n or not m:
        return []
    extra = penalty or (lambda i, j: 0)
    skip = skip_cost or [1] * m
    INF = float("inf")
    band = ALIGN_BAND

    def centre(i: int) -> int:
        return i * m // n if i <= n else m

    lo = [max(0, min(centre(i), centre(i + 1)) - band) for i in range(n + 1)]
    hi = [min(m, max(centre(i), centre(i + 1)) + band) for i in range(n + 1)]
    lo[0], hi[n] = 0, m
    MATCH, NOTE, MARKER = 0, 1, 2
    choice: list[bytearray] = [bytearray(hi[i] - lo[i] + 1) for i in range(n + 1)]
    below_lo, below_row = 0, []  # the costs of row i + 1, from its lo
    for i in range(n, -1, -1):
        row_lo, row_hi = lo[i], hi[i]
        row = [INF] * (row_hi - row_lo + 1)
        pick = choice[i]
        for j in range(row_hi, row_lo - 1, -1):
            if i == n and j == m:
                row[j - row_lo] = 0
                continue
            best, how = INF, MARKER
            if i < n:
                k = j + 1 - below_lo
                if j < m and 0 <= k < len(below_row):
                    best = (0 if note_keys[i] == marker_ns[j] else 1) + extra(i, j) + below_row[k]
                    how = MATCH
                k = j - below_lo
                if 0 <= k < len(below_row) and 1 + below_row[k] < best:
                    best, how = 1 + below_row[k], NOTE
            if j < row_hi and skip[j] + row[j + 1 - row_lo] < best:
                best, how = skip[j] + row[j + 1 - row_lo], MARKER
            row[j - row_lo] = best
            pick[j - row_lo] = how
        below_lo, below_row = row_lo, row
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        how = choice[i][j - lo[i]]
        if how == MATCH:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif how == NOTE:
            i += 1
        else:
            j += 1
    return pairs


Report = Callable[[str, str, Optional[int]], None]  # (code, message, line)


def reconcile(parts: list[Part], notes: list[RawNote], report: Report, secretary_markers: dict[int, tuple]
              ) -> tuple[list[dict], list[dict], list[tuple[Optional[int], str]]]:
    """Resolve markers in `parts` against `notes`; return the parts as paragraph data (same
    order), the notes (as footnote data) numbered in marker order, and the markers removed
    for want of a note as (line, text). `secretary_markers` maps a part index
    (role "secretary") to the trailing marker its line carried, as printed."""
    keys = [n.printed if n.printed is not None else i + 1 for i, n in enumerate(notes)]
    bound = max([len(notes)] + [k for k in keys])
    missing = _gaps(notes)
    cands = find_candidates(parts, bound, set(keys), frozenset(missing))
    for pi, (start, end, printed, glued) in secretary_markers.items():
        cands.append(Candidate(pi, start, end, number_of(printed), "glued" if glued else "strong", printed))
    cands.sort(key=lambda c: c.pos)

    # A note on what the secretary entered belongs with a marker on a secretary line.
    about_secretary = [_about_secretary(n.text) for n in notes]
    on_secretary = [parts[c.part].role == "secretary" for c in cands]

    # An unnumbered note's number is only its place in the list: where a numbered note can
    # take the same marker, that one should (an unnumbered line between notes k and k+1 may
    # be the second paragraph of note k).
    unnumbered = [n.printed is None for n in notes]

    extra = [OPTIONAL_PENALTY.get(c.strength, 0) for c in cands]

    def penalty(i: int, j: int) -> float:
        return (0.5 if about_secretary[i] != on_secretary[j] else 0) + (0.1 if unnumbered[i] else 0) + extra[j]
    pairs = align(keys, [c.n for c in cands], penalty, [0 if c.optional else 1 for c in cands])
    note_pos: dict[int, tuple[int, int]] = {}  # note index -> (part, offset) of its marker
    placement: dict[int, str] = {}
    used = set()
    for ni, ci in pairs:
        c = cands[ci]
        note_pos[ni] = c.pos
        placement[ni] = "explicit"
        used.add(ci)
        parts[c.part].marker_spans.append((c.start, c.end, ni))
        if notes[ni].printed is None:
            report("note-unnumbered", f"note without a number ({_quote(notes[ni].text)}) paired with marker {c.n}",
                   notes[ni].line)
        elif notes[ni].printed != c.n:
            report("note-number-mismatch", f"note printed as {notes[ni].printed} paired with marker {c.n} "
                   f"({_quote(notes[ni].text)})", notes[ni].line)
    # A page that lost a note (notes 1 and 3, markers 1, 2 and 3) is told, not silently
    # renumbered; a gap with no marker of its number is a garbled numbering (told above).
    lost = set()
    for ci, c in enumerate(cands):
        if ci not in used and c.n in missing:
            lost.add(ci)
    for k in sorted({cands[ci].n for ci in lost}):
        report("note-missing", f"marker {k} has no note: the page's notes jump over {k}; "
               "the notes after the gap are numbered by their markers", missing[k])
    for ci, c in enumerate(cands):
        if ci not in used and (not c.optional or ci in lost):
            parts[c.part].marker_spans.append((c.start, c.end, -1))
            report("marker-without-note", f"marker {c.n} after {_before(parts[c.part].text, c.start)} "
                   "has no note; removed", parts[c.part].line)

    continued = _infer_missing(parts, notes, note_pos, placement, report)
    paragraphs_of: dict[int, list[str]] = {}
    for ni, owner in sorted(continued.items()):
        paragraphs_of.setdefault(owner, []).append(tidy_spaces(notes[ni].text))

    removed = [(parts[c.part].line, c.source or parts[c.part].text[c.start:c.end].strip())
               for ci, c in enumerate(cands) if ci not in used and (not c.optional or ci in lost)]
    for ci in used:
        c = cands[ci]
        if c.optional:
            report("marker-glued", f"digits {parts[c.part].text[c.start:c.end].strip()!r} after "
                   f"{_before(parts[c.part].text, c.start)} taken as the marker of note {c.n}",
                   parts[c.part].line)
    order = sorted(note_pos, key=lambda ni: note_pos[ni])
    new_number = {ni: k + 1 for k, ni in enumerate(order)}
    footnotes = []
    for ni in order:
        raw = notes[ni]
        if raw.printed is not None and raw.printed != new_number[ni]:
            report("note-renumbered", f"note printed as {raw.printed} is note {new_number[ni]} "
                   "in the order of the markers", raw.line)
        # A note of several paragraphs keeps them apart with a newline.
        text = "\n".join([tidy_spaces(raw.text), *paragraphs_of.get(ni, [])])
        footnotes.append(dict(number=new_number[ni], text=text, marker=placement[ni],
                              printed_number=raw.printed, line=raw.line))
    paragraphs = [_build(p, new_number) for p in parts]
    return paragraphs, footnotes, removed


def _gaps(notes: list[RawNote]) -> dict[int, Optional[int]]:
    """Numbers missing from the printed sequence (notes 1 and 3 only: {2: line of note 3}).
    Unnumbered notes between two numbered ones fill the gap (they lost only the number)."""
    missing: dict[int, Optional[int]] = {}
    last, unnumbered = 0, 0
    for n in notes:
        if n.printed is None:
            unnumbered += 1
            continue
        for k in range(last + 1 + unnumbered, n.printed):
            missing[k] = n.line
        last, unnumbered = max(last, n.printed), 0
    return missing


def _continued_note(notes: list[RawNote], ni: int, note_pos: dict, continued: dict[int, int]) -> Optional[int]:
    """The note that an unplaced line `ni` continues, or None. A note may run to several
    lines; the scrape prints each as a line of its own, without a number. Such a line follows
    a note that has its marker and comes before the next numbered note (or ends the list)."""
    if ni == 0 or notes[ni].printed is not None:
        return None
    if ni + 1 < len(notes) and notes[ni + 1].printed is None:
        return None
    prev = continued.get(ni - 1, ni - 1)
    return prev if prev in note_pos else None


def _infer_missing(parts, notes, note_pos, placement, report) -> dict[int, int]:
    """Place the notes that found no marker; returns the lines taken as a further paragraph
    of an earlier note (line index -> that note's index)."""
    continued: dict[int, int] = {}
    if len(note_pos) == len(notes):
        return continued  # every note found its marker: the usual case
    taken = {(pi, s) for pi, p in enumerate(parts) for s, _, _ in p.marker_spans}
    artifacts = []
    for pi, p in enumerate(parts):
        if p.role not in TEXT_ROLES:
            continue
        spans = [(s, e) for s, e, _ in p.marker_spans]
        for m in _ARTIFACT.finditer(p.text):
            if any(s <= m.start() <= e + 1 for s, e in spans):
                continue
            artifacts.append((pi, m.start(), m.end()))
    artifacts.sort(key=lambda a: (a[0], a[1]))
    # The markers around note ni: the last before it (a running maximum: the notes are
    # placed in order) and the first after it (a suffix minimum of the markers the
    # alignment found). Linear in the notes, however many lost their markers.
    after_of: list = [(len(parts), 0)] * (len(notes) + 1)
    for k in range(len(notes) - 1, -1, -1):
        after_of[k] = min(after_of[k + 1], note_pos[k]) if k in note_pos else after_of[k + 1]
    before = (-1, -1)
    last_text = _last_text_part(parts)
    for ni, raw in enumerate(notes):
        if ni in note_pos:
            before = max(before, note_pos[ni])
            continue
        after = after_of[ni + 1]
        spot = _trace_for(artifacts, parts, taken, before, after)
        if spot:
            pi, s, e = spot
            taken.add((pi, s))
            parts[pi].marker_spans.append((s, e, ni))
            note_pos[ni] = (pi, s)
            before = max(before, note_pos[ni])
            placement[ni] = "inferred"
            report("marker-inferred", f"note {_quote(raw.text)} had no marker; placed at the lost superscript "
                   f"after {_before(parts[pi].text, s)}", parts[pi].line)
            continue
        owner = _continued_note(notes, ni, note_pos, continued)
        if owner is not None:
            continued[ni] = owner
            report("note-continued", f"unnumbered line {_quote(raw.text)} has no marker and no trace of one; "
                   f"taken as a further paragraph of the note before it", raw.line)
            continue
        if last_text is None:
            parts.append(Part("body", "", None))
            last_text = len(parts) - 1
        pi = last_text
        end = len(parts[pi].text)
        parts[pi].marker_spans.append((end, end, ni))
        note_pos[ni] = (pi, end + 0.5 + ni / 1000)  # after any marker already at the end
        before = max(before, note_pos[ni])
        placement[ni] = "unplaced"
        report("marker-unplaced", f"note {_quote(raw.text)} has no marker and no trace of one; "
               "marker put at the end of the text", raw.line)
    return continued


_TRACE_LOOKAHEAD = 64  # traces looked at for one note: enough, and never quadratic


def _trace_for(artifacts, parts, taken, before, after):
    """The lost-superscript trace for a note between the markers at `before` and `after`:
    the first free one in a paragraph that has no marker yet, else the first free one. A
    paragraph that already has its marker (`… under construction 4 still have not been
    built .`) rarely hides a second: the ` .` there is the first one's spacing.
    `artifacts` is sorted by position."""
    first = bisect.bisect_right(artifacts, (before[0], before[1], float("inf")))
    free = []
    for a in artifacts[first: first + _TRACE_LOOKAHEAD]:
        if (a[0], a[1]) >= after:
            break
        if before < (a[0], a[1]) and (a[0], a[1]) not in taken:
            free.append(a)
    unmarked = [a for a in free if not any(ni >= 0 for _, _, ni in parts[a[0]].marker_spans)]
    return (unmarked or free or [None])[0]


def _last_text_part(parts: list[Part]) -> Optional[int]:
    for roles in (("body", "enclosure"), TEXT_ROLES):
        for pi in range(len(parts) - 1, -1, -1):
            if parts[pi].role in roles:
                return pi
    return len(parts) - 1 if parts else None


def _build(part: Part, new_number: dict[int, int]) -> dict:
    """The paragraph as plain data: the Document is validated once, as a whole, which
    pydantic does far faster than node by node."""
    text = part.text
    if not part.marker_spans:  # most paragraphs: one run of text
        tidy = tidy_spaces(text)
        return {"type": "paragraph", "content": [{"type": "text", "text": tidy}] if tidy else [], "line": part.line}
    content: list = []  # text runs as lists of pieces, joined once: linear in the length
    pos = 0
    for start, end, ni in sorted(part.marker_spans, key=lambda s: (s[0], s[2])):
        chunk = text[pos:start]
        # A marker followed by a word keeps one space after it: "construction 4 still".
        if not (text[end:end + 1].isspace() and not _PUNCT_AFTER.match(text, end)):
            end = _SPACE_RUN.match(text, end).end()
        _add_text(content, chunk)
        if ni >= 0:
            content.append({"type": "noteref", "number": new_number[ni]})
        pos = max(pos, end)
    if pos < len(text):
        _add_text(content, text[pos:])
    for k, item in enumerate(content):
        if isinstance(item, list):
            content[k] = {"type": "text", "text": tidy_spaces("".join(item))}
    return {"type": "paragraph", "content": [i for i in content if i["type"] != "text" or i["text"]],
            "line": part.line}


_PUNCT_AFTER = re.compile(r"\s*+[.,;:!?](\s|$)")
_SPACE_RUN = re.compile(r"\s*+")


def _add_text(content: list, text: str) -> None:
    if not text:
        return
    if content and isinstance(content[-1], list):
        content[-1].append(text)
    else:
        content.append([text])


def _before(text: str, pos: int, width: int = 40) -> str:
    """The text before `pos`, quoted as `_quote(…, tail=True)` would, without copying the
    whole paragraph up to it (once per marker, that is quadratic in a long paragraph)."""
    return _quote(text[max(0, pos - 4 * width):pos], tail=True, width=width)


def _quote(text: str, tail: bool = False, width: int = 40) -> str:
    # Only the end (or the start) that is shown is tidied: a message about a marker in a
    # paragraph of 10 MB must not copy the paragraph once per marker.
    text = text[-4 * width:] if tail else text[: 4 * width]
    text = " ".join(text.split())
    if len(text) > width:
        text = ("…" + text[-width:]) if tail else (text[:width] + "…")
    return f"“{text}”"
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
