"""The calendar of documents: the register a letter edition closes with. One row per
document, in edition order: its number (corresp.numbering), its date as printed (editors'
brackets kept), sender → recipient, and its archive reference (with the number the source
gave the document, where it printed one that differs from the edition's). Built once here; the PDF
adds the page, the EPUB and the DOCX a link."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import word
from .model import Document, Edition
from .numbering import document_numbers


@dataclass(frozen=True)
class Row:
    number: int
    doc: Document
    date: str
    parties: str
    archive: str


def _names(people) -> str:
    return ", ".join(p.display_name for p in people)


def calendar(edition: Edition) -> list[Row]:
    numbers = document_numbers(edition)
    rows = []
    for doc in edition.documents:
        date = doc.date.text if doc.date and doc.date.text else ""
        senders, recipients = _names(doc.senders), _names(doc.recipients)
        parties = f"{senders} → {recipients}" if senders and recipients else (senders or recipients or doc.heading)
        archive = doc.archive_text or "; ".join(a.text for a in doc.archive)
        if doc.source_number and doc.source_number != str(numbers[doc.id]):
            # the source's own number (a book's `№312`) beside the edition's, where they differ
            shown = word(edition.language, "source_number").format(number=doc.source_number)
            archive = f"{archive} ({shown})" if archive else shown
        rows.append(Row(numbers[doc.id], doc, date, parties, archive))
    return rows


def calendar_title(language: str) -> str:
    return word(language, "calendar")


_CLOSED = (".", "?", "!", "…")
# A label and its number in a shelfmark (`F. 558`, `Op. 11`, `Л. 3`, `No. 2`): held together.
# A single letter closed by a full stop stands for a number too: an opis misread by OCR
# (`Оп. П.` for `Оп. 11.`, kept as written) must not break from its label either.
_LABEL_NUMBER = re.compile(r"(?<!\S)([^\W\d]\w{0,3}\.) (?=\d|\[|[IVXLC]+(?![\w.])|[^\W\d_]\.)")


# A range of numbers (`Л. 1–3`, `L. 21–22`): LibreOffice and browsers break after its dash.
_RANGE_DASH = re.compile(r"(?<=\d)([–-])(?=\d)")


def unbroken(shelfmark: str, ranges: bool = False) -> str:
    """The shelfmark with a no-break space between each label and its number (`F.\u00a0558.
    Op.\u00a011`): a calendar's column may wrap between the parts of a citation, never inside one.
    `ranges`: a word joiner (U+2060, invisible) after the dash of a range, which word
    processors and browsers would otherwise break after (`Л. 1– / 3.`); for formats that
    honour it (DOCX, XHTML)."""
    held = _LABEL_NUMBER.sub("\\1\u00a0", shelfmark)
    return _RANGE_DASH.sub("\\1\u2060", held) if ranges else held


def sentence(text: str) -> str:
    """`text` closed with a full stop, unless it already ends with one (`1935 г.`, `Sept.`)
    or with another closing mark: never `1935 г..`."""
    text = text.rstrip()
    if not text or text.endswith(_CLOSED):
        return text
    return text + "."
