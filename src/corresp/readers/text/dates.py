"""Dates as the edition prints them, English and Russian, with editorial brackets.

`August 14, 1935`, `August 16 [1935]`, `[later August 22, 1935]`, `October, 1932`,
`July 9 1934`, `12 August 1935`, `[between August 10 and 15, 1935]`, `5 августа 1933 г.`,
`[позднее 22 августа 1935 г.]`. ISO output keeps the precision the source gives (day, month
or year); a span of days gives its first day (the text keeps the whole span).
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Optional

from ...model import DocDate

EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december"]
RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря"]
RU_MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                 "сентябрь", "октябрь", "ноябрь", "декабрь"]
ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

QUALIFIERS_EN = ("not earlier than", "not later than", "no earlier than", "no later than",
                 "later", "earlier", "previously", "before", "after", "about", "circa",
                 "between", "end of", "beginning of", "early", "late", "mid")
QUALIFIERS_RU = ("не ранее", "не позднее", "позднее", "ранее", "до", "после", "около",
                 "конец", "начало", "не позже", "не раньше")

# Abbreviated months ("Aug. 14, 1935"); "May" needs none.
EN_MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                          "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_EN_M = ("|".join(m.capitalize() for m in EN_MONTHS) + "|"
         + "|".join(rf"{a.capitalize()}\." for a in sorted(EN_MONTH_ABBREVIATIONS, key=len, reverse=True)))
_RU_M = "|".join(RU_MONTHS_GEN + RU_MONTHS_NOM + [m.capitalize() for m in RU_MONTHS_NOM])
# Capitalised too: a date alone on its line opens with its qualifier (`[Не позднее 5 сентября …]`).
_QUAL = "|".join(sorted({q2 for q in QUALIFIERS_EN + QUALIFIERS_RU for q2 in (q, q.capitalize())},
                        key=lambda q: (-len(q), q)))

# The date at the end of a heading. Brackets may enclose any part; `on` may precede it.
_ORD = r"(?:st|nd|rd|th)?"
EN_DATE = (rf"\[?(?:(?P<qual>{_QUAL})\s+)?\[?"
           rf"(?:(?P<dday>\d{{1,2}}){_ORD}\s+)?"  # the day first: "12 August 1935"
           rf"(?P<month>{_EN_M})\]?"
           rf"(?:\s+\[?(?P<day>\d{{1,2}}){_ORD}\]?"
           rf"(?:\s*(?:[-–—]|and|to)\s*\[?(?P<until>\d{{1,2}}){_ORD}\]?)?)?"  # a span: "August 10–15", "between August 10 and 15"
           rf",?\s*\[?(?P<year>\d{{4}})\]?\]?")
RU_DATE = (rf"\[?(?:(?P<rqual>{_QUAL})\s+)?\[?(?:(?P<rday>\d{{1,2}})\s+)?(?P<rmonth>{_RU_M})\]?,?"
           rf"\s+\[?(?P<ryear>\d{{4}})\]?\s*(?:г\.|гг\.|г|года)?\s*\]?")
DATE_AT_END = re.compile(rf"(?:(?<=\s)|^)(?:on\s+|от\s+)?(?P<date>{EN_DATE}|{RU_DATE})\s*\.?$")


_MONTH_NUMBERS = {name: k + 1 for table in (EN_MONTHS, RU_MONTHS_GEN, RU_MONTHS_NOM) for k, name in enumerate(table)}


def month_number(word: str) -> Optional[int]:
    w = word.lower()
    found = _MONTH_NUMBERS.get(w)
    if found is None and w.endswith("."):
        return EN_MONTH_ABBREVIATIONS.get(w[:-1])
    return found


def parse_date(text: str) -> Optional[DocDate]:
    """A DocDate for a date written alone (`August 16 [1935]`), or None."""
    m = re.fullmatch(rf"\s*(?:{EN_DATE}|{RU_DATE})\s*\.?\s*", text)
    return _from_match(m, text.strip()) if m else None


def date_from_heading_match(m: re.Match) -> DocDate:
    return _from_match(m, m.group("date"))


def _from_match(m: re.Match, text: str) -> DocDate:
    g = m.groupdict()
    month = g.get("month") or g.get("rmonth")
    day = g.get("day") or g.get("dday") or g.get("rday")
    year = g.get("year") or g.get("ryear")
    qual = g.get("qual") or g.get("rqual")
    iso = None
    mn = month_number(month) if month else None
    if year and mn:
        iso = f"{int(year):04d}-{mn:02d}" + (f"-{int(day):02d}" if day else "")
    elif year:
        iso = f"{int(year):04d}"
    text = text.strip()
    return DocDate(text=text, iso=_valid_or_none(iso), supplied="[" in text, qualifier=qual.lower() if qual else None)


def _valid_or_none(iso: Optional[str]) -> Optional[str]:
    if iso is None:
        return None
    parts = [int(p) for p in iso.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None  # e.g. "February 30": keep the text, give no ISO date
    return iso


# Numeric dates the secretaries and telegraph offices wrote: 14/VIII - 35, 19.VIII.35, 25/VIII,
# 3/Х — 35 г. The Roman month may be typed with Cyrillic look-alikes (Х, І). Every
# quantifier is bounded: no line of spaces or digits makes the match backtrack for long.
ROMAN_MONTH = r"(?:[XХ][IІ]{1,2}|[IІ][XХ]|[XХ]|V[IІ]{1,3}|[IІ]V|V|[IІ]{1,3})"
ROMAN_DATE = (rf"\d{{1,2}}\s?[/.]\s?{ROMAN_MONTH}\b"
              r"(?:\s{0,2}[-–—.]?\s{0,2}\d{2,4}\b(?:\s?г\.?)?)?\.?")
