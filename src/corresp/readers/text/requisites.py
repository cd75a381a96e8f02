"""The requisites block of a document page: the web edition's metadata table, scraped.

Two shapes, both seen on real pages, in either language:

    Реквизиты                          Requisites
    Направление: Правительство         Направление:
    Датировка: 1933.08.05              Правительство
    Архив: РГАСПИ Ф. 558. …            Метки:
                                       Источник:
                                       Сталин и Каганович. Переписка. … Стр. 512
                                       Архив:
                                       РГАСПИ Ф. 558. Оп. 11. Д. 87. Л. 14. Подлинник.

A label ends in `:` and its value stands after it or alone on the next line; a label
followed by another label (or by the end of the block) has no value. The header line
(`Реквизиты`, `Hide Requisites`) may be missing: a known label opens the block then. The
block ends at the blank line after it, unless a known label follows. A value line is
never a heading and never body text, which is why the block is found before either.
The `Архив`/`Archive` value is the document's archive line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .source import Line

HEADER = re.compile(r"^(?:Hide\s*Requisites|Show\s*Requisites|Requisites|Скрыть\s*реквизиты|Показать\s*реквизиты"
                    r"|Реквизиты)\s*:?$", re.IGNORECASE)
# The labels of the web edition's table, Russian and English.
KNOWN_LABELS = {
    "направление", "тип документа", "государство", "датировка", "метки", "источник", "архив",
    "direction", "type of document", "document type", "state", "country", "dating", "tags", "labels",
    "source", "archive",
}
ARCHIVE_KEYS = {"архив", "archive"}
_ENDS_WITH_PAGE = re.compile(r"\b(?:С|Стр|P|pp?)\.\s?\d{1,4}(?:\s?[–-]\s?\d{1,4})?\.?\s*+$")
_LABEL = re.compile(r"^(?P<key>[^:\d][^:]{0,29}):(?:\s+(?P<value>.*)|)$")


@dataclass
class Requisites:
    start: int  # index of the block's first line in the list it was found in
    end: int  # index after its last line
    fields: dict[str, str] = field(default_factory=dict)  # the archive excepted
    archive: Optional[tuple[str, int]] = None  # (value, source line) of `Архив:`
    archive_label_line: Optional[int] = None
    # Lines that are metadata (labels, values), for the debris list: every character is
    # accounted for. The archive value is not among them: it becomes the archive line.
    metadata_lines: list[Line] = field(default_factory=list)


def label_of(text: str, known_only: bool) -> Optional[tuple[str, str]]:
    """(key, value) of a `Label: value` line, or None."""
    m = _LABEL.match(text)
    if not m:
        return None
    key = " ".join(m.group("key").split())
    if known_only and key.casefold() not in KNOWN_LABELS:
        return None
    return key, (m.group("value") or "").strip()


def opens_block(lines: list[Line], i: int) -> bool:
    """Does a block of two labels or more (or a label with its value on the next line)
    begin at line i? The cheap test that spares the English pages' lone `Archive: …`
    lines a block reading."""
    if HEADER.match(lines[i].text):
        return True
    found = ":" in lines[i].text and label_of(lines[i].text, known_only=True)
    if not found:
        return False
    following = lines[i + 1].text if i + 1 < len(lines) else ""
    return not found[1] or (":" in following and label_of(following, known_only=False) is not None)


def find_after_notes(lines: list[Line]) -> Optional[Requisites]:
    """A requisites block standing after the notes (some pages print it last)."""
    for i, line in enumerate(lines):
        if line.text and opens_block(lines, i):
            return _read(lines, i, i + 1 if HEADER.match(line.text) else i)
    return None


def find(lines: list[Line], start: int, limit: int = 6) -> Optional[Requisites]:
    """The block beginning within the first `limit` non-blank lines from `start`, or None."""
    seen = 0
    for i in range(start, len(lines)):
        if lines[i].blank:
            continue
        text = lines[i].text
        if ":" in text and label_of(text, known_only=True):
            return _read(lines, i, i)
        if HEADER.match(text):
            return _read(lines, i, i + 1)
        seen += 1
        if seen >= limit:
            return None
    return None


def _read(lines: list[Line], begin: int, i: int) -> Requisites:
    block = Requisites(begin, begin)
    if i > begin:
        block.metadata_lines.append(lines[begin])
    n = len(lines)
    end = i
    while i < n:
        if lines[i].blank:
            j = i
            while j < n and lines[j].blank:
                j += 1
            # A blank line ends the block, unless a known label follows it (a page that
            # sets each field as a paragraph of its own).
            if j < n and label_of(lines[j].text, known_only=True):
                i = j
                continue
            break
        found = label_of(lines[i].text, known_only=False)
        if found is None:
            break
        key, value = found
        if key.casefold() in ARCHIVE_KEYS and block.archive is not None:
            break  # a second archive line is no requisite of this block: the text keeps it
        label_line = lines[i]
        i += 1
        value_line = label_line
        if not value:
            if i < n and not lines[i].blank and not label_of(lines[i].text, known_only=False):
                value, value_line = lines[i].text, lines[i]
                i += 1
        else:
            # A long value may run on to lines of its own (no label, no blank between).
            # A source that ends with its page (`… Т. 15. С. 214.`) is whole: the lines
            # after it are the letter (a collected works' `Источник:` line over its text).
            while i < n and not lines[i].blank and not label_of(lines[i].text, known_only=False) \
                    and key.casefold() not in ARCHIVE_KEYS and not HEADER.match(lines[i].text) \
                    and not _ENDS_WITH_PAGE.search(value):
                value += " " + lines[i].text
                block.metadata_lines.append(lines[i])
                i += 1
        if key.casefold() in ARCHIVE_KEYS:
            if value:
                block.archive = (value, value_line.number)
            if value_line is not label_line or not value:
                block.metadata_lines.append(label_line)
                block.archive_label_line = label_line.number
        else:
            block.fields[key] = value
            block.metadata_lines.append(label_line)
            if value_line is not label_line:
                block.metadata_lines.append(value_line)
        end = i
    block.end = max(end, begin + 1)
    return block
