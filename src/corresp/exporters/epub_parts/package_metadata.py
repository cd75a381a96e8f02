"""Package metadata: a stable identifier, and the accessibility properties Ace looks for."""
from __future__ import annotations

import uuid

from ebooklib import epub

from ...model import Edition

# Our own namespace for edition identifiers, so they cannot collide with other uuid5 users.
EDITION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://corresp.invalid/edition")


def edition_identifier(edition: Edition) -> str:
    """Same title and documents → same identifier, build after build (a uuid4 would make every
    build a new book to a reading system, losing the reader's place and notes)."""
    key = "\n".join([edition.title, *(d.id for d in edition.documents)])
    return f"urn:uuid:{uuid.uuid5(EDITION_NAMESPACE, key)}"


ACCESSIBILITY = [
    ("schema:accessMode", "textual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
]


def add_metadata(book: epub.EpubBook, edition: Edition, summary: str) -> None:
    book.set_identifier(edition_identifier(edition))
    book.set_title(edition.title)
    book.set_language(edition.language)
    for i, editor in enumerate(edition.editors, start=1):
        book.add_metadata("DC", "contributor", editor, {"id": f"editor-{i}"})
    for prop, value in ACCESSIBILITY:
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
