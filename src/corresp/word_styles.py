"""The named Word styles of the DOCX edition: one per part of a document.

These names are the contract between the exporter (which applies them through pandoc's
`custom-style`), styles/reference.docx (which defines how they look, and which a publisher
may restyle in Word) and the `docx` reader (which reads each paragraph's role back from its
style name). A neutral module, so the reader need not import the writer.
tools/make_reference_docx.py defines every name listed here.
"""
from __future__ import annotations

# Document.iter_parts() role -> paragraph style name.
ROLE_STYLES: dict[str, str] = {
    "transmission": "Transmission",
    "dispatch": "Dispatch",
    "address": "Address",
    "dateline": "Dateline",
    "salutation": "Salutation",
    "body": "Body Text",
    "enclosure": "Enclosure",
    "signature": "Signature",
    "postscript": "Postscript",
    "postscript-enclosure": "Postscript Enclosure",
    "secretary": "Secretary Annotation",
}

DOCUMENT_HEADING = "Document Heading"  # based on "heading 2": Word's navigation pane lists it
ARCHIVE_LINE = "Archive Line"
CHAPTER_INTRO = "Chapter Introduction"
FOOTNOTE_TEXT = "Footnote Text"  # pandoc applies it to every note paragraph itself
INDEX_ENTRY = "Index Entry"  # a correspondent and links to their documents
CALENDAR_ENTRY = "Calendar Entry"  # a row of the calendar of documents

# Every paragraph style the exporter applies by name (headings 1 and the title are built in).
NAMED_STYLES: tuple[str, ...] = (
    DOCUMENT_HEADING, ARCHIVE_LINE, CHAPTER_INTRO, *dict.fromkeys(ROLE_STYLES.values()), FOOTNOTE_TEXT,
    INDEX_ENTRY, CALENDAR_ENTRY)


def style_id(name: str) -> str:
    """The w:styleId pandoc gives a style name: the name without spaces."""
    return name.replace(" ", "")
