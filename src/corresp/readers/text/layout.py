"""The page's structure: which lines open documents, and which are the page's furniture.

Decided by the page, in one place, not by the first rule that matches. Each line gets its
features (heading-shaped alone; the parties half of a heading whose date is on the next
line; a date alone; a kind of document naming only recipients, as collected works print
it; a document number; a pager row; a bare page number; site chrome; a running title);
then one pass over the page (a small document grammar) chooses what each candidate is:

    page      := preamble (entry | furniture | document)*
    document  := [number] heading text
    heading   := line-heading | parties-line date-line | kind-recipients [date-line]
    entry     := [number] heading            -- followed by furniture, another heading, or the end

A heading is a heading because a document follows it: a heading-shaped line followed by
site chrome, a pager row or another heading is a table-of-contents entry, set aside as
debris and reported. A number on its own line right above a heading, or glued in front of
it (`№312`, `655`, `301 Каганович — Сталину …`), is the source's document number; a bare
number anywhere else is a page number. Furniture is never body text: it is listed as debris.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .archive import archive_line
from .dates import DATE_AT_END, date_from_heading_match
from .heading import Heading, names, parse_heading, split_parties
from .source import Line

# `1   ...   40   41   42 ...   90`: three numbers or more, with ellipses between some.
# With arrows at its ends (`<< 1 ... 52 53 ... 120 >>`), or as words (`Page 86 of 120`, `Стр. 3 из 40`).
_PAGER = re.compile(r"^(?:(?:<<|«|‹|←|<)\s*+)?\d{1,4}(?:\s++(?:\d{1,4}|\.\.\.|…))++(?:\s*+(?:>>|»|›|→|>))?$"
                    r"|^(?:Page|Страница|Стр\.)\s*+\d{1,4}\s++(?:of|из)\s++\d{1,4}$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\[?\d{1,4}\]?$")
# A page number printed with its dashes or its word: `— 215 —`, `- 87 -`, `стр. 214`, `p. 87`.
_PAGE_NUMBER_DRESSED = re.compile(r"^[—–-]\s*+\d{1,4}\s*+[—–-]$|^(?:стр\.|с\.|p\.|page)\s*+\d{1,4}$",
                                  re.IGNORECASE)
# A document number alone on its line: `№312`, `№ 23`, `No. 7`, `Document 12`, `Документ 5`.
# How a pager row or a page number may begin: a line that begins otherwise is neither, and
# is spared the three patterns (every line of the page is asked).
_FURNITURE_START = re.compile(r"[\d\[<«‹←—–-]|(?i:page|стр|с\.|p\.)")
_NUMBER_LINE = re.compile(r"^(?:№\s*+|No\.\s*+|Document\s++|Документ\s++)(\d{1,4})\.?$", re.IGNORECASE)
# A number glued in front of a heading: `№312 Сталин — …`, `301 Каганович — …`, `12. Stalin to …`.
_GLUED_NUMBER = re.compile(r"^(?:№\s*+|No\.\s*+|Document\s++|Документ\s++)?(\d{1,4})\.?\s++(?=[^\W\d_])",
                           re.IGNORECASE)
# Site chrome: a line made of cells (`Следующаяпубликация |`, `| Home | Next |`).
_CHROME = re.compile(r"^[^|]{0,60}\|\s*+$|^\s*+\|[^|]{0,60}$|\|[^|]{0,40}\|")
# The kind of a document in a collected works' title, which names only its recipients:
# `Телеграмма В.М. Молотову 14 июня 1932 года`, `Letter to L. M. Kaganovich, 9 June 1932`.
_KIND_TITLE = re.compile(r"^(?P<kind>Телеграмма|Письмо|Записка|Шифровка|Letter|Telegram|Cable|Note)\s++"
                         r"(?:to\s++)?(?P<rest>\S.{0,200})$")
_NAVIGATION = re.compile(r"\|[^|]*+\|")  # `Marx-Engels | Lenin | Stalin | Home Page`
_MAX_HEADING = 300
_DANGLING_ENDS = ("—", "–", "-", " to")  # a cheap test before the pattern
_DANGLING_DASH = re.compile(r"[^\W\d_]\s[—–-]$| to$")  # a parties line broken after its dash
_PARTIES_SEPARATOR = re.compile(r" [—–-] | to ")  # a cheap test before the names are read
_CHROME_REASONS = ("site chrome", "navigation line", "pager")


@dataclass
class Candidate:
    index: int  # the line the heading starts on
    heading: Heading
    end: int  # the line after the heading's last line
    joined: bool = False  # the heading spans two lines
    recipients_only: bool = False  # a collected works' title: the sender is the edition's author
    number: Optional[str] = None  # the source's document number
    number_line: Optional[int] = None  # its own line's index (None when glued to the heading)
    glued: Optional[str] = None  # the number's text glued before the heading
    loose: bool = False  # of unusual shape, a heading only because an archive line follows it


@dataclass
class Layout:
    headings: list[Candidate]
    contents: list[Candidate]  # heading-shaped lines without a document: contents entries
    furniture: dict[int, str] = field(default_factory=dict)  # line index → why it is debris


def is_chrome(text: str) -> bool:
    return bool(_CHROME.search(text)) and archive_line(text) is None


def _date_alone(text: str):
    """The date when the line holds a date and nothing else (`2 сентября 1934 г.`)."""
    if len(text) > 60 or not text[-1:].isdigit() and not text.endswith(("г.", "г", "года", "]", ".")):
        return None
    m = DATE_AT_END.search(text)
    return m if m and m.start() == 0 else None


def _parties_alone(text: str) -> Optional[tuple[str, str]]:
    if len(text) > 120 or not _PARTIES_SEPARATOR.search(text):
        return None
    return split_parties(text.rstrip(" .:"))


def _kind_title(text: str) -> Optional[tuple[Heading, bool]]:
    """A collected works' title: (heading without senders, whether its date is missing)."""
    m = _KIND_TITLE.match(text)
    if not m:
        return None
    rest = m.group("rest")
    d = DATE_AT_END.search(rest)
    recipients_text = (rest[: d.start()] if d else rest).strip().rstrip(",.")
    recipients = names(recipients_text)
    if not recipients or not all(p.name[:1].isupper() for p in recipients):
        return None
    from .heading import _names_ok
    if not _names_ok(recipients_text):
        return None
    date = date_from_heading_match(d) if d else None
    return Heading(text=text, senders=[], recipients=recipients, date=date, archive_rest=None), d is None


def _next_text(lines: list[Line], i: int) -> Optional[int]:
    for k in range(i, min(len(lines), i + 4)):
        if not lines[k].blank:
            return k
    return None


def candidates(lines: list[Line], skip: set[int]) -> list[Candidate]:
    """Every heading-shaped line or pair of lines, in page order (one pass, each line
    tried a fixed number of ways)."""
    found: list[Candidate] = []
    taken_until = 0
    for i, line in enumerate(lines):
        text = line.text
        if i < taken_until or not text or i in skip or len(text) > _MAX_HEADING:  # (not text: blank)
            continue
        cand = None
        h = parse_heading(text)
        if h is not None:
            cand = Candidate(i, h, i + 1)
        else:
            glued = _GLUED_NUMBER.match(text)
            if glued:
                h = parse_heading(text[glued.end():])
                if h is not None:
                    cand = Candidate(i, h, i + 1, number=glued.group(1), glued=text[: glued.end()].strip())
                    h.text = text[glued.end():]
            kind = _kind_title(text) if cand is None else None
            # The parties may follow a number (`№ 12. Сталин – Кагановичу`), and a parties
            # line broken after its dash goes on on the next line (`Каганович, Молотов —` /
            # `Сталину`); the date stands on the line after them.
            number = glued.group(1) if glued and cand is None else None
            own = text[glued.end():] if number else text
            tail = None
            if cand is None and kind is None and own.endswith(_DANGLING_ENDS) and _DANGLING_DASH.search(own[-40:]):
                tail = _next_text(lines, i + 1)
                if tail is not None and tail not in skip and len(lines[tail].text) <= 80:
                    own = f"{own} {lines[tail].text}"
                else:
                    tail = None
            parties = cand is None and kind is None and _parties_alone(own)
            if kind is not None or parties:  # the date may stand on the next line
                nxt = _next_text(lines, (tail if tail is not None else i) + 1)
                date_next = _date_alone(lines[nxt].text) if nxt is not None and nxt not in skip else None
                if kind is not None:
                    heading, undated = kind
                    if undated and date_next is not None:
                        heading.date = date_from_heading_match(date_next)
                        heading.text = f"{text} {lines[nxt].text}"
                        cand = Candidate(i, heading, nxt + 1, joined=True, recipients_only=True)
                    elif not undated:
                        cand = Candidate(i, heading, i + 1, recipients_only=True)
                elif date_next is not None:
                    joined = parse_heading(f"{own.rstrip(' .:')} {lines[nxt].text}")
                    if joined is not None and joined.archive_rest is None:
                        joined.text = f"{own} {lines[nxt].text}"
                        cand = Candidate(i, joined, nxt + 1, joined=True, number=number,
                                         glued=text[: glued.end()].strip() if number else None)
        if cand is not None:
            found.append(cand)
            taken_until = cand.end
    return found


def furniture(lines: list[Line], running: set[str]) -> dict[int, str]:
    """The page's furniture by line: pager rows, bare page numbers, site chrome and running
    titles (a line of the page's preamble printed again further down)."""
    out: dict[int, str] = {}
    for i, line in enumerate(lines):
        text = line.text
        if not text:  # blank
            continue
        numbered = _FURNITURE_START.match(text)  # else neither a pager row nor a page number
        if numbered and _PAGER.match(text) and len(text.split()) >= 3:
            out[i] = "pager"
        elif numbered and (_PAGE_NUMBER.match(text) or _PAGE_NUMBER_DRESSED.match(text)):
            out[i] = "page number"  # (a dressed one is never a document's number, a bare one may be: below)
        elif "|" in text and is_chrome(text):
            out[i] = "navigation line" if _NAVIGATION.search(text) else "site chrome"
        elif text in running:
            out[i] = "running title"
    # A leaf's running title also shows itself beside the page number, printed on every leaf
    # (a line that stands beside a page number and is printed more than once on the page).
    numbers = [k for k, reason in out.items() if reason == "page number"]
    seen: dict[str, int] = {}
    for line in lines if numbers else ():  # (the web edition's pages have none: no cost)
        if not line.blank and len(line.text) <= 100:
            seen[line.text] = seen.get(line.text, 0) + 1
    for i in numbers:
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and j not in out and not lines[j].blank and seen.get(lines[j].text, 0) >= 2:
                out[j] = "running title"
    return out


def page_layout(lines: list[Line], skip: set[int]) -> Layout:
    cands = candidates(lines, skip)
    first = cands[0].index if cands else len(lines)
    # A running title is printed at the top of the page (before any heading) and again on
    # later leaves; a line that repeats only further down (`Сталин.`) is not one.
    top = {l.text for l in lines[:first] if not l.blank and len(l.text) >= 12}
    running = {l.text for l in lines[first:] if l.text in top}
    furn = furniture(lines, running)
    for c in cands:
        # A number on the line above (blank lines between) is the document's number.
        above = next((j for j in range(c.index - 1, max(-1, c.index - 4), -1) if not lines[j].blank), None)
        if above is not None and c.number is None:
            m = _NUMBER_LINE.match(lines[above].text) or (_PAGE_NUMBER.match(lines[above].text)
                                                          if furn.get(above) == "page number" else None)
            if m:
                c.number = re.sub(r"\D", "", lines[above].text)
                c.number_line = above
                furn.pop(above, None)
    # Where a document begins: its heading, or the number printed above it.
    starts = {c.index for c in cands} | {c.number_line for c in cands if c.number_line is not None}
    headings, contents = [], []
    for c in cands:
        after = _next_text(lines, c.end)
        followed_by_heading = after is not None and after in starts
        followed_by_furniture = after is not None and after in furn and furn[after] in _CHROME_REASONS
        if after is None and c.end < len(lines) and all(l.blank for l in lines[c.end:]):
            after_nothing = True
        else:
            after_nothing = c.end >= len(lines)
        if followed_by_heading or followed_by_furniture or after_nothing:
            contents.append(c)
        else:
            headings.append(c)
    return Layout(headings, contents, furn)
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
