"""Rules that recognise one kind of line each: the document's header lines (transmission,
dispatch, address, dateline, salutation) and its tail (signature, secretary annotations).

Each rule looks at one line of text; `document.py` decides where in a document to ask.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from .dates import ROMAN_DATE, ROMAN_MONTH
from .notes import SUPERSCRIPTS

# How a document travelled. Vocabulary of the edition, English and Russian; a short line in
# parentheses is a channel line too: "(By telegraph)".
_TRANSMISSION = re.compile(
    r"^\(?\s*(?:encryption|in cipher|by cipher|in code|cipher|copy|strictly secret|top secret|s\. secret|secret|"
    r"series\s+[\"“«]?\w+[\"”»]?|telegram|on a straight line|by direct wire|direct wire|"
    r"by telegraph|by telephone|by phone|personally|urgent|"
    r"шифровкой|шифровка|шифр|шифром|шифротелеграмма|копия|строго секретно|совершенно секретно|сов\.\s?секретно|"
    r"[сc]\.\s?секретно|секретно|"
    r"серия\s+[\"“«]?\w+[\"”»]?|телеграмма|по прямому проводу|по телеграфу|лично|срочно)"
    r"\s*+\.?\s*+\)?\s*+\.?$", re.IGNORECASE)
_CHANNEL = re.compile(r"^\([^()]{1,60}\)\.?$")

_DISPATCH = re.compile(
    r"^(?P<kind>From|Sent|Entered for decoding|Entered|Received|Dispatched|"
    r"Из|Отправлена?|Поступила?|Принята?|Передана?)\b\s*(?P<rest>.*)$", re.IGNORECASE)
_PLACE = re.compile(r"^(?:from\s+|из\s+)?(?P<place>[A-ZА-ЯЁ][\w\-]+)", re.IGNORECASE)
# Minutes may be typed with a Cyrillic О for the zero (`14 час. О5 мин.`). Bounded
# repetitions only: a line of spaces must not make the pattern backtrack (ReDoS).
_MINUTES = r"(?:\d[\dОO]?|[ОO]\d)"
_TWO_DIGITS = r"(?:\d[\dОO]|[ОO]\d)"
_TIME = (rf"\d{{1,2}}\s{{0,2}}(?:o'clock|hours?|h\.|час(?:ов|а)?\.?|ч\.)\s{{0,2}}\.?\s{{0,2}}"
         rf"(?:{_MINUTES}\s{{0,2}}(?:min(?:utes?)?|мин|м(?![^\W\d_]))?\.?)?"
         rf"|\d{{1,2}}\s?[:\-–.]\s?{_TWO_DIGITS}\b")
# `HP` / `НР` (outgoing number) in Latin or Cyrillic letters, or a mix of both.
_NUMBER = r"(?:No|N|#|№|[HН][PР]|Nr)\.?\s{0,2}(?P<num>\d+(?:/\w+)?)"
# The patterns above, compiled once (re.search(pattern, …) looks them up in re's cache per call).
_TIME_RE = re.compile(_TIME)
_NUMBER_RE = re.compile(_NUMBER)
_ROMAN_DATE = re.compile(ROMAN_DATE)
_CAPITAL = re.compile(r"[A-ZА-ЯЁ]")
_FROM_PLACE = re.compile(r"\bfrom\s+(?P<place>[A-Z][\w\-]+)")
_SEGMENT_END = re.compile(r"\.\s+|\.$")  # an address's parts: `Москва. ЦК ВКП(б). Кагановичу.`
_BODY_END = re.compile(r"[.!?»”\"]$")
# A line that is only the incoming number: `Вх. № 12.`, `In. No. 5.`
_INCOMING = re.compile(rf"^(?:In|Inc|Incoming|Вх|Вход)\.?\s{{0,2}}{_NUMBER}\.?$", re.IGNORECASE)

SALUTATION = re.compile(r"^(?=.{1,80}$)(?:(?:\S+\s+){0,7}\S*!"
                        r"|(?:Dear|Comrades?|Товарищи?|Дорогой|Дорогие|Уважаемый|Уважаемые)\s[^.!?,]{1,60},)$")
_DATELINE = re.compile(rf"^{ROMAN_DATE}$")


# A run of spaces after a non-space, before `.`, `,`, `;` or `:` and a space or the end. It
# opens with the space (the look-behind after it: the search jumps from space to space; a
# leading look-behind is tried at every position, a third slower).
_SPACE_BEFORE_PUNCT = re.compile(r"\s(?<=\S\s)\s*+(?=[.,;:](?:\s|$))")
# What every match above contains, a plain scan: most texts have neither, and are returned
# as they are.
_SPACE_PUNCT = re.compile(r"\s[.,;:]")


def tidy_spaces(text: str) -> str:
    """`Yezhov .` → `Yezhov.`: the space is what is left of a lost superscript."""
    if not _SPACE_PUNCT.search(text):
        return text
    return _SPACE_BEFORE_PUNCT.sub("", text)


_SERIES = re.compile(r"^\(?\s*+(?:series|серия)\s++[\"“«]?\w++[\"”»]?\s*+\.?\s*+\)?\s*+\.?$", re.IGNORECASE)


def is_series(text: str) -> bool:
    return bool(_SERIES.match(text))


def is_transmission(text: str) -> bool:
    return bool(_TRANSMISSION.match(text) or _CHANNEL.match(text))


def parse_dispatch(text: str) -> Optional[dict]:
    """Fields of a dispatch line, or None if `text` is not one."""
    m = _DISPATCH.match(text)
    if not m:
        incoming = _INCOMING.match(text)
        if incoming:
            return {"kind": "incoming", "place": None, "date": None, "time": None, "number": incoming.group("num")}
        return None
    kind = m.group("kind").lower()
    kind = {"from": "from", "из": "from"}.get(kind, kind.split()[0])
    rest = m.group("rest")
    if kind == "from" and not _CAPITAL.match(rest):
        return None
    place = None
    pm = _PLACE.match(rest) if kind == "from" else _FROM_PLACE.search(rest)
    if pm:
        place = pm.group("place")
    date = _ROMAN_DATE.search(rest)
    time = _TIME_RE.search(rest[date.end():] if date else rest)
    number = _NUMBER_RE.search(rest)
    if kind != "from" and not (date or time or number):
        return None  # "Received your letter." is a sentence, not a dispatch line
    return {"kind": kind, "place": place,
            "date": _date_text(date.group(0)) if date else None,
            "time": time.group(0).strip() if time else None,
            "number": number.group("num") if number else None}


def _date_text(text: str) -> str:
    """A date as the line prints it, less the sentence's full stop (`г.` keeps its own)."""
    text = text.strip()
    return text if text.endswith("г.") else text.rstrip(".").strip()


def is_dateline(text: str) -> bool:
    return bool(_DATELINE.match(text))


def _bare(word: str) -> str:
    """A word without trailing punctuation: `Kaganovich.` → `Kaganovich`."""
    return _TRAILING_PUNCT.sub("", word)


_TRAILING_PUNCT = re.compile(r"(?<![\W_])[\W_]++$")  # from a run's start only: linear


def same_name(a: str, b: str) -> bool:
    """Names compared across Russian case endings: Молотов ~ Молотову, Сталин ~ Сталину."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    short = min(len(a), len(b))
    return short >= 5 and abs(len(a) - len(b)) <= 2 and a[: short - 1] == b[: short - 1]


_TRAILING_MARKER = re.compile(r"(?:(?<=[^\W\d_])|(?<!\s)\s++)\d{1,2}(?=\s*+\.?$)")
_CONNECTORS = {"of", "the", "for", "and", "to", "on", "in", "(b)", "и", "для", "по", "на", "при", "—", "–", "-",
               "тов.", "т.", "tov.", "comrade", "товарищу", "копия", "copy", "to"}


def is_address(text: str, recipients: Iterable[str]) -> bool:
    """`Sochi. Tov. Stalin.`, `Kaganovich. Yezhov .`, `Central Committee of the CPSU. Molotov.`,
    `Москва. ЦК ВКП(б). Кагановичу.`; a note marker at its end (`Сталину1.`) is no part of it."""
    text = tidy_spaces(text)
    if text[-3:-1].strip(".")[-1:].isdigit() or text[-1:].isdigit():
        text = _TRAILING_MARKER.sub("", text)
    words = text.split(None, 12)  # (13 pieces: more than 12 words; a long paragraph is not split whole)
    if not words or len(words) > 12 or text.endswith(("!", "?", ":")):
        return False
    # A short line ending in a recipient's name is one (`T[ovari] shu Kaganovich .`,
    # "Stalin." when he is the recipient); a sentence that ends in it is not.
    last = _bare(words[-1])
    if len(words) <= 4 and any(last and same_name(last, r.split()[-1]) for r in recipients if r):
        return True
    if len(words) < 2:
        return False  # "Agree." is a reply, not an address
    segments = [s for s in _SEGMENT_END.split(text) if s.strip()]
    for seg in segments:
        seg_words = seg.split()
        if sum(1 for w in seg_words if w.lower() not in _CONNECTORS) > 6:
            return False
        for w in seg_words:
            if w.lower() in _CONNECTORS:
                continue
            if not (w[0].isupper() or w[0] in "([\"“«"):
                return False
    return True


_PLACE_ALONE = re.compile(r"^[A-ZА-ЯЁ][^\W\d_]{1,30}(?:-[^\W\d_]{1,30})?\.$")


def is_place(text: str) -> bool:
    """A place name alone on its line (`Сочи.`, `Москва.`): the first line of a two-line
    address, or the sender's place among his date and time lines after the signature."""
    return bool(_PLACE_ALONE.match(text))


# --- the tail ----------------------------------------------------------------------------

# A secretary annotation is a run of tokens: numbers (`No. 5.`, `№98`, `НР 23.`), dates
# (`17/VIII - 35`, `12/Х-33 г.`), times (`14–45.`, `12 h. 15 min.`) and the scrape's stray
# `y.`/`g.`/`г.`. The line is read token by token, each a match at a known position, so its
# cost is linear in its length (one pattern with a repeated group of alternatives is not).
_SEC_NUMBER = re.compile(rf"{_NUMBER.replace('?P<num>', '?:')}\.?")
# A year has two digits or four: a third digit glued to it is a note marker (`27/VIII.352`),
# and so is one glued to a time's two minutes (`16–402`).
_SEC_DATE = re.compile(rf"\d{{1,2}}\s?[/.]\s?{ROMAN_MONTH}\b(?:\s{{0,2}}[-–—.]?\s{{0,2}}(?:\d{{4}}(?!\d)|\d{{2}}))?"
                       r"(?:\s?г\.?)?\.?")
_SEC_TIME = re.compile(rf"(?:\d{{1,2}}\s{{0,2}}(?:o'clock|hours?|h\.|час(?:ов|а)?\.?|ч\.)\s{{0,2}}\.?\s{{0,2}}"
                       rf"(?:{_MINUTES}\s{{0,2}}(?:min(?:utes?)?|мин|м(?![^\W\d_]))?\.?)?|\d{{1,2}}\s?[:\-–.]\s?{_TWO_DIGITS})\.?")
_SEC_STRAY = re.compile(r"(?:y\.|g\.?|г\.?)(?![^\W\d_])")
_SEC_TOKENS = (_SEC_NUMBER, _SEC_DATE, _SEC_TIME)
_SEC_FIRST = set("N#№HНn")
_SPACES = re.compile(r"\s*")
# What may follow the tokens: a note marker, apart (`No. 1 2`, `17/VIII - 35 1`), glued to
# the last token (`21/VIII. 32.1`, `12/Х-33 г.2`, `16–402`), or in superscript digits.
_SEC_MARKER = re.compile(rf"(?P<sep>\s+|\.?)(?P<marker>\d{{1,2}}|[{SUPERSCRIPTS}]{{1,2}})\.?$")


# The office's records of a cipher's transmission, printed after the text by reposts and
# selections: `Из Москвы отправлена 16-20 3/IX–31 г.`, `Поступила на расшифрование 19-05 …`,
# `Вх. № 9/ш.`, `Нр 11/ш.`, `14 ч. – м.`, `Sent from Moscow …`, `Received for decoding …`.
_RECORD = re.compile(r"^(?:(?:Из|From)\s++[^\W\d_]++\s++(?:отправлен[аоы]?|sent)\b"
                     r"|(?:Sent|Отправлен[аоы]?)\s++(?:from|из)\s"
                     r"|(?:Поступил[аоы]?|Received)\s++(?:на\s++расшифр|for\s++(?:decod|decipher))"
                     r"|(?:Вх\.|In\.|Исх\.|Out\.)\s*+(?:№|No\.)\s*+\d"
                     r"|(?:Нр|НР|Nr)\.?\s*+\d{1,4}\s*+/\s*+[шщsh]"
                     r"|\d{1,2}\s?+(?:ч|h)\.\s*+[-–—]\s*+(?:\d{1,2}\s?+)?(?:м|min)\.)", re.IGNORECASE)


def is_transmission_record(text: str) -> bool:
    return len(text) < 200 and bool(_RECORD.match(text))


def record_fields(text: str) -> dict:
    """A transmission record as a secretary annotation: kept verbatim, no fields."""
    return {"body": text, "marker": None, "marker_span": None, "marker_glued": False, "number": None,
            "date": None, "time": None}


def parse_secretary(text: str) -> Optional[dict]:
    """Fields of a secretary annotation (`No. 5.`, `14–45.`, `17/VIII - 35 1`), or None.
    `marker` is a trailing note number as printed, `marker_span` where it stands in the
    text and `marker_glued` whether it touches the token before it (then only a note of
    that number makes it a marker: `27/VIII.352` may be a date and marker 2)."""
    if not text or not (text[0].isdigit() or text[0] in _SEC_FIRST):
        return None  # every token starts with a digit or a number sign: most lines stop here
    pos, end, tokens = 0, len(text), 0
    while pos < end:
        for pattern in _SEC_TOKENS:
            m = pattern.match(text, pos)
            if m and m.end() > pos:
                break
        else:
            m = _SEC_STRAY.match(text, pos) if tokens else None
            if not m:
                break
        tokens += 1
        pos = _SPACES.match(text, m.end()).end()
    if not tokens:
        return None
    marker = None
    if pos < end:
        marker = _SEC_MARKER.match(text, pos if text[pos - 1:pos].isspace() is False else _back_over_spaces(text, pos))
        if not marker:
            return None
    start = marker.start() if marker else end
    if marker and not marker.group("sep") and text[start - 1:start] == "." and text[start - 2:start - 1].isdigit():
        start -= 1  # `21/VIII. 32.1`: the full stop went with the superscript, as in `No. 1 2`
    body = text[:start].rstrip()
    number = _NUMBER_RE.search(body)
    date = _SEC_DATE.search(body)
    rest = body[: date.start()] + " " + body[date.end():] if date else body
    time = _TIME_RE.search(_NUMBER_RE.sub(" ", rest))
    return {"body": body, "marker": marker.group("marker") if marker else None,
            "marker_span": (start, marker.end()) if marker else None,
            # a superscript is a marker wherever it stands; glued plain digits may not be
            "marker_glued": bool(marker) and not marker.group("sep").isspace() and marker.group("marker").isascii(),
            "number": number.group("num") if number else None,
            "date": _date_text(date.group(0)) if date else None,
            "time": time.group(0).strip() if time else None}


def _back_over_spaces(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def split_trailing_secretary(text: str) -> Optional[tuple[str, str]]:
    """`Kaganovich. 28/VIII - 35` → ("Kaganovich.", "28/VIII - 35"). Only a short tail is
    tried: a secretary's annotation is a few tokens, and trying every sentence of a long
    paragraph would cost its length once per sentence."""
    offset = max(0, len(text) - _MAX_SECRETARY_TAIL)
    for m in _SENTENCE_END.finditer(text, offset):
        head, tail = text[: m.start()], text[m.end():]
        if head and parse_secretary(tail):
            return head, tail
    return None


_MAX_SECRETARY_TAIL = 120
_SENTENCE_END = re.compile(r"(?<=[.!])(?<!\s)\s++")


def is_signature(text: str, senders: Iterable[str]) -> bool:
    """A short closing line ending with a sender's name: `Stalin.`, `Hey! Your L. Kaganovich.`"""
    text = tidy_spaces(text)
    words = text.split(None, 12)  # (13 pieces: more than 12 words; a long paragraph is not split whole)
    if not words or len(words) > 12:
        return False
    surnames = [s.split()[-1] for s in senders if s.split()]
    last = _bare(words[-1])
    if surnames:
        return any(same_name(last, s) for s in surnames)
    # No parsed senders: a line of one to four capitalised words ending in a full stop.
    return len(words) <= 4 and text.endswith(".") and all(w[0].isupper() for w in words)


# A line signed in a secretary's name or role: `One of the secretaries L.M. Kaganovich.`,
# `Секретарь Поскребышев.`, `За секретаря …`. The sender's name may close it (Kaganovich
# joking as "one of the secretaries"), but it is not the letter's signature.
# A secretary *of* a body (`Секретарь ЦК Сталин.`, `Secretary of the CC`) is the sender's
# own title, and his signature.
_SECRETARY_SIGNED = re.compile(
    r"(?:one\s+of\s+(?:the\s+|his\s+|her\s+)?secretaries|(?:the\s+)?secretar(?:y|ies)\b|"
    r"один\s+из\s+секретарей|секретар[ьяи]\b|за\s+секретаря)"
    r"(?!\s+(?:of\b|ЦК|ЦИК|МК|обкома|крайкома|горкома|райкома|парткома|бюро|президиума|СНК|ВЦСПС))",
    re.IGNORECASE)


def signed_as_secretary(text: str) -> bool:
    """Does the line open with a secretary's role (and so is no signature of the letter)?"""
    return bool(_SECRETARY_SIGNED.match(tidy_spaces(text)))


_WORD_SPAN = re.compile(r"\S+")
_SIGNED_NAME = re.compile(r"[A-ZА-ЯЁ][\w\-’']+\.")
_INITIALS = re.compile(r"(?:[A-ZА-ЯЁ]\.)+")
_YOURS = {"yours", "your", "ваш", "ваш,", "yours,", "your,"}
_MAX_SIGNERS = 6


_OUTGOING = re.compile(rf"(?:^|\s){_NUMBER}\.?$")


_NUMBER_SIGN = re.compile(r"(?:No|N|#|№|[HН][PР]|Nr)\.?\s{0,2}\d")


def mentions_number(text: str) -> bool:
    """A cheap first test for `has_outgoing_number` somewhere in the text."""
    return bool(_NUMBER_SIGN.search(text))


def has_outgoing_number(text: str) -> bool:
    """Does the text end in an outgoing number (`… Просим ответить. HP 27.`)?"""
    return bool(_OUTGOING.search(text))


def split_glued_signature(text: str, senders: Iterable[str]) -> Optional[tuple[str, str]]:
    """`... lower the draft age. Stalin.` → (body, "Stalin."); `… Просим дать согласие. НР 63.
    Каганович. Молотов.` → (`… НР 63.`, "Каганович. Молотов."). The names are peeled off the
    end one by one (each with its initials); when the heading names senders, each must be
    one of them, so a sentence ending in another name stays whole."""
    senders = [s for s in senders if s.split()]
    surnames = [s.split()[-1] for s in senders]
    spans = [(m.start(), m.group(0)) for m in _WORD_SPAN.finditer(text)]
    k, signers = len(spans), 0
    while k > 0 and signers < _MAX_SIGNERS:
        word = spans[k - 1][1]
        if not _SIGNED_NAME.fullmatch(word):
            break
        if surnames and not any(same_name(_bare(word), s) for s in surnames):
            break
        j = k - 1
        while j > 0 and _INITIALS.fullmatch(spans[j - 1][1]):
            j -= 1
        if j > 0 and spans[j - 1][1].lower() in _YOURS:
            j -= 1
        k, signers = j, signers + 1
    if not signers or k == 0:
        return None
    body, sig = text[: spans[k][0]].rstrip(), text[spans[k][0]:]
    if not _BODY_END.search(body) or not is_signature(sig, senders):
        return None
    return body, sig
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
