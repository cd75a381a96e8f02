"""Dates as TEI dating attributes, at the precision the source gives.

`August 14, 1935` → `when="1935-08-14"`; `October, 1932` → `when="1932-10"`;
`[later August 22, 1935]` → `notBefore="1935-08-22"`; `[not later than …]` → `notAfter`;
`[between August 10 and 15, 1935]` → `notBefore`/`notAfter`; `August 10–15, 1935` (a letter
written over days) → `from`/`to`. Editors' brackets are `evidence="conjecture"` in TEI; CMIF
allows no `@cert`/`@evidence` on dates, so `cmif` asks for the dating attributes alone.

Dispatch lines write dates the telegraph way (`14/VIII - 35`, `22 o'clock. 57 min.`): those
become `when="1935-08-14T22:57:00"` when both read cleanly, the day alone otherwise.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Optional

from ...model import DocDate

NOT_BEFORE = {"later", "after", "not earlier than", "no earlier than",
              "позднее", "после", "не ранее", "не раньше"}
NOT_AFTER = {"earlier", "before", "previously", "not later than", "no later than",
             "ранее", "до", "не позднее", "не позже"}
BETWEEN = {"between", "между"}

_SPAN = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\]?\s*(?:[-–—]|and|to|и)\s*\[?(\d{1,2})(?!\d)")
_ROMAN = {r: i + 1 for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"])}
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*/\s*([IVX]+|\d{1,2})\s*(?:[-–—.]\s*(\d{2}|\d{4}))?")
_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—:.]\s*(\d{2})(?!\d)|\D{1,12}?(\d{1,2})\s*(?:min|мин|m\b))")


def _real(iso: str) -> bool:
    parts = [int(p) for p in iso.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _span_end(date: DocDate) -> Optional[str]:
    """The last day of a span of days (`August 10–15`), as ISO; None if the date is one day."""
    if not date.iso or len(date.iso) != 10:
        return None
    m = _SPAN.search(date.text)
    if not m or int(m.group(1)) != int(date.iso[8:]):
        return None
    end = f"{date.iso[:8]}{int(m.group(2)):02d}"
    return end if end > date.iso and _real(end) else None


def date_attributes(date: Optional[DocDate]) -> dict[str, str]:
    """The W3C dating attributes of a document's date (empty when it has no ISO form)."""
    if date is None or not date.iso:
        return {}
    qualifier = (date.qualifier or "").lower()
    end = _span_end(date)
    if qualifier in NOT_BEFORE:
        return {"notBefore": date.iso}
    if qualifier in NOT_AFTER:
        return {"notAfter": date.iso}
    if qualifier in BETWEEN or (end and qualifier):
        return {"notBefore": date.iso, "notAfter": end} if end else {"notBefore": date.iso}
    if end:
        return {"from": date.iso, "to": end}
    return {"when": date.iso}


def dispatch_when(date: Optional[str], time: Optional[str], year_hint: Optional[str]) -> Optional[str]:
    """`14/VIII - 35` and `22 o'clock. 57 min.` as ISO (`1935-08-14T22:57:00`), or None."""
    m = _DAY_MONTH_YEAR.match(date or "")
    if not m:
        return None
    day, month_text, year_text = m.groups()
    month = _ROMAN.get(month_text) if not month_text.isdigit() else int(month_text)
    if year_text and len(year_text) == 4:
        year = int(year_text)
    elif year_text:
        century = int(year_hint[:2]) if year_hint else 19
        year = century * 100 + int(year_text)
    elif year_hint:
        year = int(year_hint[:4])
    else:
        return None
    if not month:
        return None
    iso = f"{year:04d}-{month:02d}-{int(day):02d}"
    if not _real(iso):
        return None
    t = _TIME.match(time or "")
    if t:
        hours, minutes = int(t.group(1)), int(t.group(2) or t.group(3))
        if hours < 24 and minutes < 60:
            return f"{iso}T{hours:02d}:{minutes:02d}:00"
    return iso


_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[-–—:.]\s*(\d{2})\s*\.?\s*$")


def clock(time: Optional[str]) -> Optional[str]:
    """A secretary's `12–15` as `12:15:00`, or None."""
    m = _CLOCK.match(time or "")
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}:00"


def qualifier_type(qualifier: Optional[str]) -> Optional[str]:
    """`not earlier than` as a TEI type (one word: `not-earlier-than`); the reader undoes it."""
    return "-".join(qualifier.split()) if qualifier else None
