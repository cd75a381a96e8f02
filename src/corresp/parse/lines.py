"""Rules that recognise one kind of line each: the document's header lines (transmission,
dispatch, address, dateline, salutation) and its tail (signature, secretary annotations).

Each rule looks at one line of text; `document.py` decides where in a document to ask.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from .dates import ROMAN_DATE
from .notes import SUPERSCRIPTS

# How a document travelled. Vocabulary of the edition, English and Russian; a short line in
# parentheses is a channel line too: "(By telegraph)".
_TRANSMISSION = re.compile(
    r"^\(?\s*(?:encryption|cipher|copy|strictly secret|top secret|s\. secret|secret|"
    r"series\s+[\"“«]?\w+[\"”»]?|telegram|on a straight line|by direct wire|direct wire|"
    r"by telegraph|by telephone|by phone|personally|urgent|"
    r"шифровка|шифр|шифром|копия|строго секретно|совершенно секретно|секретно|"
    r"серия\s+[\"“«]?\w+[\"”»]?|телеграмма|по прямому проводу|по телеграфу|лично|срочно)"
    r"\s*\.?\s*\)?\s*\.?$", re.IGNORECASE)
_CHANNEL = re.compile(r"^\([^()]{1,60}\)\.?$")

_DISPATCH = re.compile(
    r"^(?P<kind>From|Sent|Entered for decoding|Entered|Received|Dispatched|"
    r"Из|Отправлена?|Поступила?|Принята?|Передана?)\b\s*(?P<rest>.*)$", re.IGNORECASE)
_PLACE = re.compile(r"^(?:from\s+|из\s+)?(?P<place>[A-ZА-ЯЁ][\w\-]+)", re.IGNORECASE)
_TIME = (r"\d{1,2}\s*(?:o'clock|hours?|h\.|час(?:ов|а)?\.?|ч\.)\s*\.?\s*(?:\d{1,2}\s*(?:min(?:utes?)?|мин)?\.?)?"
         r"|\d{1,2}\s?[:\-–.]\s?\d{2}\b")
_NUMBER = r"(?:No|N|#|№|HP|Nr)\.?\s*(?P<num>\d+(?:/\w+)?)"

SALUTATION = re.compile(r"^(?=.{1,80}$)(?:\S+\s+){0,7}\S*!$")
_DATELINE = re.compile(rf"^{ROMAN_DATE}$")


_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S)\s+(?=[.,;:](?:\s|$))")
# What every match above contains; the pattern's leading look-behind is tried at every
# position, this one is a plain scan. Most texts have neither, and are returned as they are.
_SPACE_PUNCT = re.compile(r"\s[.,;:]")


def tidy_spaces(text: str) -> str:
    """`Yezhov .` → `Yezhov.`: the space is what is left of a lost superscript."""
    if not _SPACE_PUNCT.search(text):
        return text
    return _SPACE_BEFORE_PUNCT.sub("", text)


def is_transmission(text: str) -> bool:
    return bool(_TRANSMISSION.match(text) or _CHANNEL.match(text))


def parse_dispatch(text: str) -> Optional[dict]:
    """Fields of a dispatch line, or None if `text` is not one."""
    m = _DISPATCH.match(text)
    if not m:
        return None
    kind = m.group("kind").lower()
    kind = {"from": "from", "из": "from"}.get(kind, kind.split()[0])
    rest = m.group("rest")
    if kind == "from" and not re.match(r"[A-ZА-ЯЁ]", rest):
        return None
    place = None
    pm = _PLACE.match(rest) if kind == "from" else re.search(r"\bfrom\s+(?P<place>[A-Z][\w\-]+)", rest)
    if pm:
        place = pm.group("place")
    date = re.search(ROMAN_DATE, rest)
    time = re.search(_TIME, rest[date.end():] if date else rest)
    number = re.search(_NUMBER, rest)
    if kind != "from" and not (date or time or number):
        return None  # "Received your letter." is a sentence, not a dispatch line
    return {"kind": kind, "place": place,
            "date": date.group(0).rstrip(".").strip() if date else None,
            "time": time.group(0).strip() if time else None,
            "number": number.group("num") if number else None}


def is_dateline(text: str) -> bool:
    return bool(_DATELINE.match(text))


def _bare(word: str) -> str:
    """A word without trailing punctuation: `Kaganovich.` → `Kaganovich`."""
    return _TRAILING_PUNCT.sub("", word)


_TRAILING_PUNCT = re.compile(r"[\W_]+$")


def same_name(a: str, b: str) -> bool:
    """Names compared across Russian case endings: Молотов ~ Молотову, Сталин ~ Сталину."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    short = min(len(a), len(b))
    return short >= 5 and abs(len(a) - len(b)) <= 2 and a[: short - 1] == b[: short - 1]


_CONNECTORS = {"of", "the", "for", "and", "to", "on", "in", "(b)", "и", "для", "по", "на", "при"}


def is_address(text: str, recipients: Iterable[str]) -> bool:
    """`Sochi. Tov. Stalin.`, `Kaganovich. Yezhov .`, `Central Committee of the CPSU. Molotov.`"""
    text = tidy_spaces(text)
    words = text.split()
    if not words or len(words) > 12 or text.endswith(("!", "?", ":")):
        return False
    last = _bare(words[-1])
    if any(last and same_name(last, r.split()[-1]) for r in recipients if r):
        return True
    if len(words) < 2:
        return False  # "Agree." is a reply, not an address
    segments = [s for s in re.split(r"\.\s+|\.$", text) if s.strip()]
    for seg in segments:
        seg_words = seg.split()
        if len(seg_words) > 5:
            return False
        for w in seg_words:
            if w.lower() in _CONNECTORS:
                continue
            if not (w[0].isupper() or w[0] in "([\"“«"):
                return False
    return True


# --- the tail ----------------------------------------------------------------------------

_NUMBER_PLAIN = _NUMBER.replace("?P<num>", "?:")
_SEC_TOKEN = rf"(?:{_NUMBER_PLAIN}\.?|{ROMAN_DATE}|(?:{_TIME})\.?)"
_STRAY = r"(?:y\.|g\.?|г\.?)"  # Russian "г." (year) as the scrape renders it
SECRETARY = re.compile(
    rf"^(?P<body>{_SEC_TOKEN}(?:\s*(?:{_SEC_TOKEN}|{_STRAY}))*)(?:\s+(?P<marker>\d{{1,2}}))?$")
# A superscript marker may be glued to the date ("17/VIII - 35²"), where the date's own
# word-boundary test fails (a superscript digit is a word character): it is split off first.
_SUPERSCRIPT_MARKER = re.compile(rf"\s*(?P<marker>[{SUPERSCRIPTS}]{{1,2}})$")


def parse_secretary(text: str) -> Optional[dict]:
    """Fields of a secretary annotation (`No. 5.`, `14–45.`, `17/VIII - 35 1`), or None.
    `marker` is a trailing note number."""
    sup = _SUPERSCRIPT_MARKER.search(text) if text[-1:] in SUPERSCRIPTS else None
    m = SECRETARY.match(text[:sup.start()] if sup else text)
    if not m or (sup and m.group("marker")):
        return None
    body = m.group("body")
    number = re.search(_NUMBER, body)
    date = re.search(ROMAN_DATE, body)
    rest = body[: date.start()] + " " + body[date.end():] if date else body
    time = re.search(_TIME, re.sub(_NUMBER, " ", rest))
    return {"body": body, "marker": sup.group("marker") if sup else m.group("marker"),
            "number": number.group("num") if number else None,
            "date": date.group(0).rstrip(".").strip() if date else None,
            "time": time.group(0).strip() if time else None}


def split_trailing_secretary(text: str) -> Optional[tuple[str, str]]:
    """`Kaganovich. 28/VIII - 35` → ("Kaganovich.", "28/VIII - 35")."""
    for m in re.finditer(r"(?<=[.!])\s+", text):
        head, tail = text[: m.start()], text[m.end():]
        if head and parse_secretary(tail):
            return head, tail
    return None


def is_signature(text: str, senders: Iterable[str]) -> bool:
    """A short closing line ending with a sender's name: `Stalin.`, `Hey! Your L. Kaganovich.`"""
    text = tidy_spaces(text)
    words = text.split()
    if not words or len(words) > 12:
        return False
    surnames = [s.split()[-1] for s in senders if s.split()]
    last = _bare(words[-1])
    if surnames:
        return any(same_name(last, s) for s in surnames)
    # No parsed senders: a line of one to four capitalised words ending in a full stop.
    return len(words) <= 4 and text.endswith(".") and all(w[0].isupper() for w in words)


def split_glued_signature(text: str, senders: Iterable[str]) -> Optional[tuple[str, str]]:
    """`... lower the draft age. Stalin.` → (body, "Stalin.")."""
    m = re.search(r"^(?P<body>.*[.!?»”\"])\s+(?P<sig>(?:[A-ZА-ЯЁ]\.\s?){0,3}[A-ZА-ЯЁ][\w\-]+\.)$", text)
    if m and is_signature(m.group("sig"), senders):
        return m.group("body"), m.group("sig")
    return None
