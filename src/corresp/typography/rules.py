"""House typography of one string, by language: quotes, dashes, ellipses, non-breaking spaces.

The rules are the press's, not the source's: a scraped text writes `"Pravda"`, `opinion -
Pyatnitsky` and `15-20 days`; a printed book writes “Pravda”, opinion—Pyatnitsky and
15–20 days. English and Russian have rules of their own (`RULES`); another language gets
only what is the same everywhere (ellipsis, number ranges).

Every rule is a regular expression without nested quantifiers (linear time on any input),
and the quote pass is one walk over the text. A note marker inside the text stands as
`MARKER` (a private-use character the exporters never see): it counts as part of the
word it is glued to, so `word"¹` still closes its quotation.
"""
from __future__ import annotations

import re
import re._parser as sre_parse  # a pattern's width (the stdlib's sre_parse, renamed in 3.11)
from dataclasses import dataclass
from typing import Callable, Optional

NBSP = "\u00a0"
MARKER = "\ue000"  # a note marker's place while a paragraph is set as one string

DOUBLE_QUOTES = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb"  # " “ ” „ ‟ « »
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"  # ' ‘ ’ ‚ ‛
_OPENING_HINT = "\u00ab\u201e"  # « „ open in every language
_CLOSING_HINT = "\u00bb\u201d"  # » ” close in every language (“ opens in English, closes in Russian)
_BEFORE_OPENING = " \t\u00a0\u202f\u2009([{\u2014\u2013-/"  # what an opening quote follows
_AFTER_CLOSING = " \t\u00a0\u202f\u2009.,;:!?)]}\u2026-\u2013\u2014/" + MARKER  # what a closing quote precedes


@dataclass(frozen=True)
class Quotes:
    outer: tuple[str, str]
    inner: tuple[str, str]


ENGLISH_QUOTES = Quotes(("\u201c", "\u201d"), ("\u2018", "\u2019"))  # “ ” ‘ ’
RUSSIAN_QUOTES = Quotes(("\u00ab", "\u00bb"), ("\u201e", "\u201c"))  # « » „ “


_QUOTE = re.compile(f"[{re.escape(DOUBLE_QUOTES + SINGLE_QUOTES)}]")


def educate_quotes(text: str, quotes: Quotes) -> str:
    """Every double quote, straight or curly, set again by where it stands: after a space
    or at the start it opens, before a space or punctuation it closes; where both or
    neither hold, « „ open, » ” close, and otherwise an open quotation is closed. Nested
    quotations alternate outer and inner marks. Single quotes: an apostrophe inside or at
    the end of a word (’), an opening ‘ before a letter after a space."""
    found = list(_QUOTE.finditer(text))
    if not found:
        return text
    out: list[str] = []
    depth = 0
    n = len(text)
    last = 0
    previous: Optional[tuple[int, bool]] = None  # (position, opened) of the last double quote
    for m in found:
        i = m.start()
        ch = text[i]
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if ch in DOUBLE_QUOTES:
            if previous is not None and previous[0] == i - 1:
                opens_left = previous[1]  # `""word`: the second opens too; `word""`: it closes
            else:
                opens_left = before in _BEFORE_OPENING
            closes_right = after in _AFTER_CLOSING or after in DOUBLE_QUOTES or after in SINGLE_QUOTES
            if opens_left and not closes_right:
                # `Writers ”(Ibid.`: a closing mark standing loose still closes what is open
                opening = not (ch in _CLOSING_HINT and depth > 0)
            elif closes_right and not opens_left:
                opening = False
            elif ch in _OPENING_HINT:
                opening = True
            elif ch in _CLOSING_HINT:
                opening = False
            else:
                opening = depth == 0
            if opening:
                depth += 1
                mark = (quotes.outer if depth % 2 else quotes.inner)[0]
            else:
                mark = (quotes.outer if max(depth, 1) % 2 else quotes.inner)[1]
                depth = max(depth - 1, 0)
            previous = (i, opening)
        elif before in _BEFORE_OPENING and after.isalpha():
            mark = "\u2018"
        else:
            mark = "\u2019"
        out.append(text[last:i])
        out.append(mark)
        last = i + 1
    out.append(text[last:])
    return "".join(out)


# An ellipsis: three full stops, closed or spaced (a fourth is the sentence's).
ELLIPSIS = re.compile(r"\.\.\.|\. \. \.")
# A date of the secretaries' kind, `14/VIII - 35`: day/month and year joined by a hyphen,
# never a dash (it is no pause) and never split. (A source's em dash there is its editors'
# choice, and kept.) Roman numerals OCR'd as Cyrillic look-alikes (`IХ`) count.
SECRETARY_DATE = re.compile(r"(?<![\d/])(\d{1,2}/[IVX\u0406\u0425]{1,4}) ?[-\u2013] ?(\d\d(?:\d\d)?)(?![\d\-\u2013])")
# A range of numbers, `15-20`, `1905 - 1910`: an en dash, closed; a chain of numbers
# (`1935-08-14`, a date or shelfmark) is left alone.
# (Each pattern opens with what it consumes first, a digit or a space, not with a look-behind:
# the search then skips to the candidates instead of trying every character.)
NUMBER_RANGE = re.compile(r"(\d(?<![\d\-\u2013./]\d)\d*) ?- ?(\d+)(?![\d\-\u2013]|\.\d)")
# A clock time written with a hyphen, `13-45` (13:45), as the secretaries wrote it: no range,
# so no dash. Taken for a time only where a range cannot be meant: the time alone (a
# secretary's line `16-30.`), after a date (`22/VIII.35 13-45`, `1935 г. 13-05`) or after
# `at`/`в`, or with the minutes below the hour (`16-05` ranges nowhere).
CLOCK = re.compile(r"([01]?\d|2[0-3])-([0-5]\d)")
CLOCK_CONTEXT = re.compile(r"(?:(?:\d{2}|г\.|\b(?:at|в))\s+)$", re.IGNORECASE)
CLOCK_ALONE = re.compile(r"\s*[.,;]?\s*$")


def _range(m: re.Match) -> str:
    whole = m.group(0)
    clock = CLOCK.fullmatch(whole)
    if clock is not None:
        before, after = m.string[:m.start()], m.string[m.end():]
        descending = int(clock.group(2)) < int(clock.group(1))
        if descending or CLOCK_CONTEXT.search(before[-40:]) or (not before.strip() and CLOCK_ALONE.match(after)):
            return whole
    return f"{m.group(1)}\u2013{m.group(2)}"


# A hyphen, two or three, or a dash, with spaces on both sides between words: a dash.
SPACED_DASH = re.compile(r"[ \u00a0](?<=\S[ \u00a0])[ \u00a0]*(?:-{1,3}|\u2013|\u2014)[ \u00a0]+(?=\S)")
# A paragraph that ends with a spaced hyphen or dash (`на Макеевку и Енакиево —`, the
# sentence going on in the next): the dash, kept on its word's line.
TRAILING_DASH = re.compile(r"[ \u00a0](?<=\S[ \u00a0])[ \u00a0]*(?:-{1,3}|\u2013|\u2014)$")
# A paragraph that opens with a hyphen and a space: a dialogue's or a list's dash.
LEADING_DASH = re.compile(r"^(?:-{1,2}|\u2013) (?=\S)")
# How a text can end for TRAILING_DASH ($ also matches before a final newline) and begin for LEADING_DASH.
_DASH_ENDS = tuple(d + end for d in ("-", "\u2013", "\u2014") for end in ("", "\n"))
_DASH_STARTS = ("-", "\u2013")
_SPACE_DASH = tuple(space + d for space in (" ", "\u00a0") for d in ("-", "\u2013", "\u2014"))


def _spaces(*rules: tuple, guard: str = "") -> re.Pattern:
    """One pass for every rule that keeps a space from breaking: each rule is (what stands
    before the space: a fixed-width pattern or a list of them; what follows it). The pattern
    opens with the space itself, so the search jumps from space to space (a rule opening
    with a look-behind would be tried at every character: 4× slower at 100×).

    Speed only, the spaces matched are the same: `guard`, what every rule needs around the
    space (a capital or digit after it, say), is tested first and turns most spaces (those
    between two lower-case words) away at once; a list's words of one width share one
    look-behind (30 labels: 4 look-behinds, not 30). tests/test_typography.py checks the
    pattern against the same rules built without either."""
    alternatives = []
    for before, after in rules:
        if isinstance(before, str):  # one look-behind: cheap, tried first
            alternatives.append(f"(?<={before} )(?={after})")
        else:  # a list of words: what follows (a digit, a capital) rules most spaces out first
            alternatives.append(f"(?={after})(?:{_behind_any(before)})")
    guarded = f"(?:{guard})" if guard else ""
    return re.compile(" " + guarded + "(?:" + "|".join(alternatives) + ")")


def _behind_any(patterns: list[str]) -> str:
    """A look-behind for each width among `patterns` (each of a fixed width, a space after
    it): Python's look-behinds take alternatives of one width only."""
    by_width: dict[int, list[str]] = {}
    for pattern in patterns:
        low, high = sre_parse.parse(pattern).getwidth()
        if low != high:
            raise ValueError(f"not of a fixed width: {pattern}")
        by_width.setdefault(low, []).append(pattern)
    return "|".join(f"(?<=(?:{'|'.join(group)}) )" for group in by_width.values())


def _words(*words: str) -> list[str]:
    return [rf"\b{w}" for w in words]


# --- English ---------------------------------------------------------------------------

_EN_UNITS = (r"%|per cent|percent|kg|g|t|km|m|cm|mm|ha|h|min|sec|rubles?|roubles?|kopecks?|tons?|tonnes?|"
             r"kilometers?|kilometres?|meters?|metres?|hours?|minutes?|seconds?|days?|weeks?|months?|years?|"
             r"o['\u2019]clock|thousand|million|billion|mil|poods?|puds?|wagons?|versts?")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_EN_LABELS = ("No", "Nos", "no", "nos", "p", "P", "pp", "S", "vol", "Vol", "vols", "F", "f", "Op", "op", "D", "d",
              "L", "l", "LL", "ll", "T", "Art", "art", "ch", "Ch", "fig", "Fig", "Sec", "sec")

ENGLISH_SPACE_RULES = (
    # `No. 30`, `p. 106`, `F. 558. Op. 11. D. 88. L. 80`, `T. XVIII`: a label and its number.
    ([rf"{w}\." for w in _words(*_EN_LABELS)], r"\d|[IVXLC]+\b"),
    (r"[\u2116\u00a7#]", r"\d"),  # № 98, § 3
    # Initials: `L. P. Kosheleva`, `V.G. Knorin`: never apart, nor from the surname.
    (r"\b[A-Z]\.", "[A-Z]"),
    ([rf"{w}\." for w in _words("Mr", "Mrs", "Ms", "Dr", "St", "Messrs", "Gen", "Col", "Prof", "Tov")], "[A-Z]"),
    (_words("Comrade", "comrade"), "[A-Z]"),  # `Comrade Stalin`, as Russian `т. Сталин`
    # A number and its unit: `30 kg`, `15–20 days`, `22 o’clock`; `23 (13)`.
    (r"\d", rf"(?:{_EN_UNITS})\b|\(\d+\)"),
    # A date: `August 14, 1935` never breaks before the day or the year.
    (_words(*_EN_MONTHS), r"\d"),
    (r"\d,", r"\d{4}\b"),
)
# Every English rule has a digit after the space or before it, or a capital after it and
# before it a full stop or the e of Comrade.
ENGLISH_SPACES = _spaces(*ENGLISH_SPACE_RULES, guard=r"(?=\d)|(?<=\d )|(?<=[.e] )(?=[A-Z])")


# --- Russian ---------------------------------------------------------------------------

_RU_UNITS = (r"%|кг|г|т|ц|км|м|см|мм|га|ч|час|мин|сек|руб|коп|тыс|млн|млрд|пуд|пудов|дн|дней|дня|лет|"
             r"год|года|вагонов|вагона|человек|верст")
_RU_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_RU_LABELS = ("ф", "Ф", "оп", "Оп", "д", "Д", "л", "Л", "лл", "Лл", "т", "Т", "с", "С", "стр", "п", "ч", "ст", "гл",
              "вып", "кн", "No", "N")

RUSSIAN_SPACE_RULES = (
    # `1935 г.`, `1931–1936 гг.`: the year's abbreviation never starts a line.
    (r"\d", r"гг?\."),
    (r"[\u2116\u00a7]", r"\d"),  # № 98, №№ 5, § 3
    # `т. Сталин`, `тов. Молотов`, `т. т. Андреев и Чернов` (comrades): the address and the name.
    ([rf"{w}\." for w in _words("т", "тов", "тт")], r"[А-ЯЁ]|т\.[ \u00a0][А-ЯЁ]"),
    # `ф. 558. оп. 11. д. 88. л. 80`, `т. XVIII`, `с. 106`: a label and its number.
    ([rf"{w}\." for w in _words(*_RU_LABELS)], r"\d|[IVXLC]+\b"),
    # Initials: `Л. М. Каганович`, `Л.М. Каганович`.
    (r"\b[А-ЯЁ]\.", "[А-ЯЁ]"),
    # `т. е.`, `т. д.`, `т. п.`, `т. к.`: one abbreviation.
    (r"\bт\.", r"[едпкн]\."),
    # A number and its unit, a day and its month: `30 кг`, `5 млн`, `14 сентября`, `23 (13)`.
    (r"\d", rf"(?:{_RU_UNITS}|{_RU_MONTHS})\b|\(\d+\)"),
    # A one-letter preposition or conjunction stays with the next word.
    (r"(?<![\w-])[вксуоиаВКСУОИА]", r"\S"),
)
# Every Russian rule has a digit after the space, or before it a digit, an abbreviation's
# full stop or a one-letter word.
RUSSIAN_SPACES = _spaces(*RUSSIAN_SPACE_RULES, guard=r"(?=\d)|(?<=[\d.вксуоиаВКСУОИА] )")


@dataclass(frozen=True)
class Language:
    quotes: Optional[Quotes]
    spaces: Optional[re.Pattern]  # the spaces that must not break (`_spaces`)
    dash: str  # what a spaced hyphen becomes


def language_rules(language: str, english_dash: str = "closed") -> Language:
    """The rules of `language` (a BCP 47 tag): English, Russian (also Ukrainian and
    Belarusian, which share its quotes and dashes), or the shared rules alone."""
    lang = (language or "en").split("-")[0].lower()
    if lang == "en":
        dash = "\u2014" if english_dash == "closed" else "\u00a0\u2014 "
        return Language(ENGLISH_QUOTES, ENGLISH_SPACES, dash)
    if lang in ("ru", "uk", "be"):
        return Language(RUSSIAN_QUOTES, RUSSIAN_SPACES, "\u00a0\u2014 ")
    return Language(None, None, "\u00a0\u2013 ")


def apply(text: str, lang: Language) -> str:
    """`text` in house style (`lang` from `language_rules`). Each rule runs only where its
    character is in the text (a substring test costs next to nothing)."""
    if not text:
        return text
    if lang.quotes is not None:
        text = educate_quotes(text, lang.quotes)
    if ".." in text or ". ." in text:
        text = ELLIPSIS.sub("\u2026", text)
    if "/" in text and ("-" in text or "\u2013" in text):  # a day/month, then a hyphen or dash
        text = SECRETARY_DATE.sub("\\1-\\2", text)
    if "-" in text:
        text = NUMBER_RANGE.sub(_range, text)
    if "-" in text or "\u2013" in text or "\u2014" in text:
        # A spaced dash has a space right before its dash: the substring test spares most
        # texts (a hyphenated word, a range) a search that visits every space.
        if any(spaced in text for spaced in _SPACE_DASH):
            text = SPACED_DASH.sub(lang.dash, text)
        # Anchored at the end and the start: the search would still try every space.
        if text.endswith(_DASH_ENDS):
            text = TRAILING_DASH.sub(lang.dash.rstrip(" "), text)
        if text.startswith(_DASH_STARTS):
            text = LEADING_DASH.sub("\u2014\u00a0", text)
    if lang.spaces is not None and " " in text:
        text = lang.spaces.sub(NBSP, text)
    return text


# --- what `verify` compares -------------------------------------------------------------

_FOLD = str.maketrans({**{q: '"' for q in DOUBLE_QUOTES + SINGLE_QUOTES},
                       **{d: "-" for d in "\u2010\u2011\u2012\u2013\u2014\u2015"},
                       "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2026": "..."})
_FOLD_DASH = re.compile(r"\s*-[-\s]*")  # a run of hyphens and spaces: one hyphen
_FOLD_DOTS = re.compile(r"(?<=\.)\s+(?=\.)")  # spaced full stops (`. . .`) closed up


def fold(text: str) -> str:
    """`text` with the differences house typography makes folded away: every quote mark is
    `"`, every dash one hyphen without spaces around it, a non-breaking space a space, an
    ellipsis three full stops. A source and its typeset copy fold to the same text; two
    texts that differ in a letter, a digit or a word still differ."""
    text = text.translate(_FOLD)
    text = _FOLD_DOTS.sub("", text)
    return _FOLD_DASH.sub("-", text)


_READING = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2018": "'", "\u2019": "'"})
_CLOSED_DASH = re.compile(r"(?<=[^\W\d_])\u2014(?=[^\W\d_])")


def reading_form(text: str) -> str:
    """Typeset text as the text reader's rules expect a source: non-breaking spaces as
    spaces, apostrophes straight, a closed dash between words spaced (`Yezhov—Stalin` →
    `Yezhov — Stalin`). For reading a format corresp wrote (the DOCX an editor sends back),
    not for what is kept: the text itself stays as it came."""
    return _CLOSED_DASH.sub(" \u2014 ", text.translate(_READING))


def fold_char(ch: str) -> str:
    """What one character folds to (the PDF's reader asks this of each glyph it has)."""
    return ch.translate(_FOLD)


Transform = Callable[[str], str]
