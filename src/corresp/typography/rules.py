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


def educate_quotes(text: str, quotes: Quotes) -> str:
    """Every double quote, straight or curly, set again by where it stands: after a space
    or at the start it opens, before a space or punctuation it closes; where both or
    neither hold, « „ open, » ” close, and otherwise an open quotation is closed. Nested
    quotations alternate outer and inner marks. Single quotes: an apostrophe inside or at
    the end of a word (’), an opening ‘ before a letter after a space."""
    out: list[str] = []
    depth = 0
    n = len(text)
    roles: list[Optional[str]] = []  # per output position of a quote: "open" / "close"
    for i, ch in enumerate(text):
        if ch in DOUBLE_QUOTES:
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            if before in DOUBLE_QUOTES and roles:
                opens_left = roles[-1] == "open"  # `""word`: the second opens too
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
                roles.append("open")
            else:
                level = max(depth, 1)
                mark = (quotes.outer if level % 2 else quotes.inner)[1]
                depth = max(depth - 1, 0)
                roles.append("close")
            out.append(mark)
        elif ch in SINGLE_QUOTES:
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            if before in _BEFORE_OPENING and after.isalpha():
                out.append("\u2018")
            else:
                out.append("\u2019")
        else:
            out.append(ch)
    return "".join(out)


Rule = tuple[re.Pattern, object]  # (pattern, replacement string or function)


def _rules(*pairs) -> list[Rule]:
    return [(re.compile(p), r) for p, r in pairs]


# --- rules every language shares --------------------------------------------------------

COMMON = _rules(
    # An ellipsis: three full stops, closed or spaced (a fourth is the sentence's).
    (r"\.\.\.|\. \. \.", "\u2026"),
    # A date of the secretaries' kind, `14/VIII - 35`: day/month and year joined by a hyphen,
    # never a dash (it is no pause) and never split.
    # (A source's em dash there is its editors' choice, and kept.) Roman numerals OCR'd as
    # Cyrillic look-alikes (`IХ`) count.
    (r"(?<![\d/])(\d{1,2}/[IVX\u0406\u0425]{1,4}) ?[-\u2013] ?(\d\d(?:\d\d)?)(?![\d\-\u2013])", "\\1-\\2"),
    # A range of numbers, `15-20`, `1905 - 1910`: an en dash, closed; a chain of numbers
    # (`1935-08-14`, a date or shelfmark) is left alone.
    (r"(?<![\d\-\u2013./])(\d+) ?- ?(\d+)(?![\d\-\u2013]|\.\d)", "\\1\u2013\\2"),
)
# A hyphen, two or three, or a dash, with spaces on both sides between words: a dash.
SPACED_DASH = re.compile(r"(?<=\S)[ \u00a0]+(?:-{1,3}|\u2013|\u2014)[ \u00a0]+(?=\S)")
# A paragraph that opens with a hyphen and a space: a dialogue's or a list's dash.
LEADING_DASH = re.compile(r"^(?:-{1,2}|\u2013) (?=\S)")


# --- English ---------------------------------------------------------------------------

_EN_UNITS = (r"%|per cent|percent|kg|g|t|km|m|cm|mm|ha|h|min|sec|rubles?|roubles?|kopecks?|tons?|tonnes?|"
             r"kilometers?|kilometres?|meters?|metres?|hours?|minutes?|seconds?|days?|weeks?|months?|years?|"
             r"o['\u2019]clock|thousand|million|billion|mil|poods?|puds?|wagons?|versts?")
_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"

ENGLISH = _rules(
    # `No. 30`, `p. 106`, `F. 558. Op. 11. D. 88. L. 80`, `T. XVIII`: a label and its number.
    (r"(?<!\w)(No|Nos|no|nos|p|P|pp|S|vol|Vol|vols|F|f|Op|op|D|d|L|l|LL|ll|T|Art|art|ch|Ch|fig|Fig|Sec|sec)\. "
     r"(?=\d|[IVXLC]+\b)", "\\1.\u00a0"),
    (r"(?<=[\u2116\u00a7#]) (?=\d)", NBSP),  # № 98, § 3
    # Initials: `L. P. Kosheleva`, `V.G. Knorin`: never apart, nor from the surname.
    (r"(?<!\w)([A-Z]\.) (?=[A-Z])", "\\1\u00a0"),
    (r"(?<!\w)(Mr|Mrs|Ms|Dr|St|Messrs|Gen|Col|Prof|Tov)\. (?=[A-Z])", "\\1.\u00a0"),
    (r"(?<!\w)(Comrade|comrade) (?=[A-Z])", "\\1\u00a0"),  # `Comrade Stalin`, as Russian `т. Сталин`
    # A number and its unit: `30 kg`, `15–20 days`, `22 o’clock`; `23 (13)`.
    (rf"(?<=\d) (?=(?:{_EN_UNITS})\b)", NBSP),
    (r"(?<=\d) (?=\(\d+\))", NBSP),
    # A date: `August 14, 1935` never breaks before the day or the year.
    (rf"\b({_EN_MONTHS}) (?=\d)", "\\1\u00a0"),
    (r"(?<=\d,) (?=\d{4}\b)", NBSP),
)


# --- Russian ---------------------------------------------------------------------------

_RU_UNITS = (r"%|кг|г|т|ц|км|м|см|мм|га|ч|час|мин|сек|руб|коп|тыс|млн|млрд|пуд|пудов|дн|дней|дня|лет|"
             r"год|года|вагонов|вагона|человек|верст")
_RU_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"

RUSSIAN = _rules(
    # `1935 г.`, `1931–1936 гг.`: the year's abbreviation never starts a line.
    (r"(?<=\d) (?=гг?\.)", NBSP),
    (r"(?<=[\u2116\u00a7]) (?=\d)", NBSP),  # № 98, § 3
    (r"(?<=\u2116\u2116) (?=\d)", NBSP),  # №№ 5
    # `т. Сталин`, `тов. Молотов`: the form of address and the name.
    (r"(?<!\w)(т|тов|тт)\. (?=[А-ЯЁ])", "\\1.\u00a0"),
    (r"(?<!\w)т\. (?=т\.[ \u00a0][А-ЯЁ])", "т.\u00a0"),  # `т. т. Андреев и Чернов` (comrades)
    # `ф. 558. оп. 11. д. 88. л. 80`, `т. XVIII`, `с. 106`: a label and its number.
    (r"(?<!\w)(ф|Ф|оп|Оп|д|Д|л|Л|лл|Лл|т|Т|с|С|стр|п|ч|ст|гл|вып|кн|No|N)\. (?=\d|[IVXLC]+\b)", "\\1.\u00a0"),
    # Initials: `Л. М. Каганович`, `Л.М. Каганович`.
    (r"(?<!\w)([А-ЯЁ]\.) (?=[А-ЯЁ])", "\\1\u00a0"),
    # `т. е.`, `т. д.`, `т. п.`, `т. к.`: one abbreviation.
    (r"(?<!\w)т\. (?=[едпкн]\.)", "т.\u00a0"),
    # A number and its unit, a day and its month: `30 кг`, `5 млн`, `14 сентября`.
    (rf"(?<=\d) (?=(?:{_RU_UNITS})\b)", NBSP),
    (rf"(?<=\d) (?=(?:{_RU_MONTHS})\b)", NBSP),
    (r"(?<=\d) (?=\(\d+\))", NBSP),
    # A one-letter preposition or conjunction stays with the next word.
    (r"(?<![\w-])([вксуоиаВКСУОИА]) (?=\S)", "\\1\u00a0"),
)


@dataclass(frozen=True)
class Language:
    quotes: Optional[Quotes]
    rules: list[Rule]
    dash: str  # what a spaced hyphen becomes


def language_rules(language: str, english_dash: str = "closed") -> Language:
    """The rules of `language` (a BCP 47 tag): English, Russian (also Ukrainian and
    Belarusian, which share its quotes and dashes), or the shared rules alone."""
    lang = (language or "en").split("-")[0].lower()
    if lang == "en":
        dash = "\u2014" if english_dash == "closed" else "\u00a0\u2014 "
        return Language(ENGLISH_QUOTES, ENGLISH, dash)
    if lang in ("ru", "uk", "be"):
        return Language(RUSSIAN_QUOTES, RUSSIAN, "\u00a0\u2014 ")
    return Language(None, [], "\u00a0\u2013 ")


def apply(text: str, lang: Language) -> str:
    """`text` in house style (`lang` from `language_rules`)."""
    if not text:
        return text
    if lang.quotes is not None:
        text = educate_quotes(text, lang.quotes)
    for pattern, replacement in COMMON:
        text = pattern.sub(replacement, text)
    text = SPACED_DASH.sub(lang.dash, text)
    text = LEADING_DASH.sub("\u2014\u00a0", text)
    for pattern, replacement in lang.rules:
        text = pattern.sub(replacement, text)
    return text


# --- what `verify` compares -------------------------------------------------------------

_FOLD = str.maketrans({**{q: '"' for q in DOUBLE_QUOTES + SINGLE_QUOTES},
                       **{d: "-" for d in "\u2010\u2011\u2012\u2013\u2014\u2015"},
                       "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2026": "..."})
_FOLD_DASH = re.compile(r"\s*-+\s*")
_FOLD_DOTS = re.compile(r"\. \. \.")


def fold(text: str) -> str:
    """`text` with the differences house typography makes folded away: every quote mark is
    `"`, every dash one hyphen without spaces around it, a non-breaking space a space, an
    ellipsis three full stops. A source and its typeset copy fold to the same text; two
    texts that differ in a letter, a digit or a word still differ."""
    text = text.translate(_FOLD)
    text = _FOLD_DOTS.sub("...", text)
    return _FOLD_DASH.sub("-", text)


def fold_char(ch: str) -> str:
    """What one character folds to (the PDF's reader asks this of each glyph it has)."""
    return ch.translate(_FOLD)


Transform = Callable[[str], str]
