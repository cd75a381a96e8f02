"""Document headings: `Senders to|- Recipients Date`, possibly glued to `Archive:`.

`Kaganovich, Yezhov - Stalin August 14, 1935`, `Stalin to Kaganovich [later August 22, 1935]`,
`Kaganovich, Molotov - to Stalin on August 31, 1935`, `Молотов — Сталину 5 августа 1933 г.`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ...model import DocDate, Person
from ...names import nominative
from .dates import DATE_AT_END, date_from_heading_match

_ENDS_WITH_YEAR = re.compile(r"\d{4}\]?\s*(?:г\.?|гг\.|года)?\s*\]?\s*\.?$")
_MAYBE_LABEL = re.compile(r"rchive|рхив", re.IGNORECASE)
ARCHIVE_LABEL = re.compile(r"(?:Archive|Архив)\s*:\s*", re.IGNORECASE)

_NAME_WORD = r"[A-ZА-ЯЁ][\w'’\-]*(?:\[[\w.]*\][\w'’\-]*)?(?:\([a-zа-я]\))?"
# A person ("L.M. Kaganovich", "Alexei Tolstoy") or a body ("the Politburo", "members of the
# Politburo", "the Central Committee of the VKP(b)").
_BODY = (rf"(?:(?:the|members\s+of\s+the|all\s+members\s+of\s+the)\s+)?{_NAME_WORD}"
         rf"(?:\s+(?:of\s+the\s+|of\s+)?{_NAME_WORD}){{0,5}}")
_NAME = rf"(?:(?:[A-ZА-ЯЁ]\.\s?){{0,3}}{_NAME_WORD}(?:\s+{_NAME_WORD})?|{_BODY})"
_ONE_NAME = re.compile(_NAME)
# The parties: "A, B - C", "A to B", "A - to B", "A — B" (Russian dative recipients).
# A note on the kind of document may stand after them: "(telegram)". Then a comma or full
# stop may separate them from the date. The line is cut at its separators first and each
# name is matched alone: one pattern for the whole list of names (a repeated group of
# alternatives that can each match the same words) backtracks exponentially on a line
# of thirty names that is not a heading after all.
_NAME_SEPARATOR = re.compile(r"\s*+,\s*+|(?<!\s)\s++(?:and|и)\s++")
_PARTY_SEPARATOR = re.compile(r"(?<!\s)\s*+(?:(?<=\s)[-–—]\s*+(?:to\s++)?|(?<=\s)to\s++)")
_KIND_NOTE = re.compile(r"\s*+\([^()]{1,40}\)$")
_MAX_SEPARATORS = 8
# Lines of a letter that look like "X to Y Date" but are not headings: "Sent to Moscow.
# August 14, 1935", "From Moscow to Sochi August 14, 1935".
_NOT_SENDERS = {"from", "sent", "handed", "received", "transmitted", "forwarded", "delivered", "passed",
                "reported", "given", "addressed", "returned", "written", "copy", "copied",
                "отправлено", "передано", "получено", "из", "от",
                # the kind of a collected works' document, which names only its recipients
                "letter", "telegram", "cable", "note", "письмо", "телеграмма", "записка", "шифровка"}
# Or after the date: "August 14, 1935 (2)", "August 14, 1935 (telegram)".
_TRAILING_NOTE = re.compile(r"\s*\([^()]{1,40}\)\s*$")


@dataclass
class Heading:
    text: str
    senders: list[Person]
    recipients: list[Person]
    date: Optional[DocDate]
    archive_rest: Optional[str]  # text after a glued "Archive:"


def split_glued_archive(text: str) -> tuple[str, Optional[str]]:
    """`... 1935 Archive: RGASPI ...` → (heading, archive text)."""
    m = ARCHIVE_LABEL.search(text)
    if m and m.start() > 0:
        return text[: m.start()].rstrip(), text[m.end():].strip()
    return text, None


def _names_ok(text: str) -> bool:
    return bool(text) and all(_ONE_NAME.fullmatch(p) for p in _NAME_SEPARATOR.split(text))


def split_parties(text: str) -> Optional[tuple[str, str]]:
    """(senders, recipients) of `Kaganovich, Yezhov - Stalin`, or None."""
    for k, m in enumerate(_PARTY_SEPARATOR.finditer(text)):
        if k == _MAX_SEPARATORS:
            break
        senders, recipients = text[: m.start()], text[m.end():].rstrip()
        if not _names_ok(senders):
            continue
        if recipients.endswith((",", ".")):
            recipients = recipients[:-1].rstrip()
        if _names_ok(recipients):
            return senders, recipients
        kind = _KIND_NOTE.search(recipients)
        if kind and _names_ok(recipients[: kind.start()]):
            return senders, recipients[: kind.start()]
    return None


def names(text: str) -> list[Person]:
    parts = _NAME_SEPARATOR.split(text.strip())
    return [Person(name=p.strip(), nominative=nominative(p.strip())) for p in parts if p.strip()]


def parse_heading(text: str) -> Optional[Heading]:
    """A Heading if `text` is a document heading, else None."""
    if len(text) > 300:
        return None
    if text.endswith(")") and not _ENDS_WITH_YEAR.search(text[-16:]):
        trailing = _TRAILING_NOTE.search(text)
        if trailing:
            found = parse_heading(text[:trailing.start()])
            if found is not None and found.archive_rest is None:
                found.text = text
                return found
        return None
    if _ENDS_WITH_YEAR.search(text[-16:]):
        head, archive_rest = text, None
    elif ":" in text and _MAYBE_LABEL.search(text):  # "… 1932 Archive: RGASPI …", glued
        head, archive_rest = split_glued_archive(text)
    else:
        return None  # every heading ends with its date's year: most lines stop here, cheaply
    if not _ENDS_WITH_YEAR.search(head[-16:]):
        return None  # every heading ends with its date's year: most lines stop here, cheaply
    m = DATE_AT_END.search(head)
    if not m:
        return None
    parties = split_parties(head[: m.start()].strip())
    if not parties or parties[0].split(None, 1)[0].lower() in _NOT_SENDERS:
        return None
    return Heading(text=head, senders=names(parties[0]),
                   recipients=names(parties[1]),
                   date=date_from_heading_match(m), archive_rest=archive_rest)


def parse_loose_heading(text: str) -> Heading:
    """For a line that stands where a heading must be (right before `Archive:`) but does
    not have the usual shape: keep it verbatim, take what can be taken."""
    head, archive_rest = split_glued_archive(text)
    m = DATE_AT_END.search(head)
    date = date_from_heading_match(m) if m else None
    rest = head[: m.start()].strip() if m else head
    split = re.split(r"\s[-–—]\s*(?:to\s+)?|\s+to\s+", rest, maxsplit=1)
    senders = names(split[0]) if len(split) == 2 else []
    recipients = names(split[1]) if len(split) == 2 else []
    return Heading(text=head, senders=senders, recipients=recipients, date=date, archive_rest=archive_rest)
