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

# The front matter (DOCX exporter's docx_parts/front_matter.py): the title page, the copyright
# page and the contents, a section of their own before the first chapter (no folio).
SERIES = "Series"
TITLE = "Title"  # pandoc's and Word's own
SUBTITLE = "Subtitle"
CREDIT_CAPTION = "Credit Caption"  # "Edited by", "Translated by"
CREDIT = "Author"  # the names under it (pandoc's style for authors)
IMPRINT = "Imprint"  # publisher, place, year at the foot of the title page
COPYRIGHT = "Copyright Notice"  # each line of the copyright page, at its foot
CONTENTS_HEADING = "TOC Heading"
CONTENTS_LEVELS = {"toc 1": "TOC1", "toc 2": "TOC2"}  # Word's built-in names and ids: chapters, documents
CALENDAR_TABLE_HEAD = "Calendar Head"  # the calendar of documents is a table: its heads, its cells
# A character style: "No. 12" before the first note of each document in footnotes.xml, so the
# notes of two letters on one page can be told apart (readers drop runs in this style).
NOTE_DOCUMENT_LABEL = "Note Document Label"

# Every paragraph style the exporter applies by name (headings 1 and the title are built in).
NAMED_STYLES: tuple[str, ...] = (
    DOCUMENT_HEADING, ARCHIVE_LINE, CHAPTER_INTRO, *dict.fromkeys(ROLE_STYLES.values()), FOOTNOTE_TEXT,
    INDEX_ENTRY, CALENDAR_ENTRY, SERIES, CREDIT_CAPTION, IMPRINT, COPYRIGHT, CALENDAR_TABLE_HEAD)


def style_id(name: str) -> str:
    """The w:styleId pandoc gives a style name: the name without spaces."""
    return name.replace(" ", "")

# Not a style, but the same kind of contract: the namespace of the Custom XML part in which
# the writer embeds the edition in its source characters (exporters/docx_parts/source_part)
# and by which the reader finds it again (readers/docx/source), whatever the part is named.
DOCX_SOURCE_NS = "urn:x-corresp:docx-source"
