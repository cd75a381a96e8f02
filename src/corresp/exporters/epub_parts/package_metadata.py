"""Package metadata: a stable identifier, and the accessibility properties Ace looks for."""
from __future__ import annotations

import uuid

from ebooklib import epub

from ... import __version__
from ...metadata import isbn_urn, publication
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


# EN 301 549, the standard the European Accessibility Act points to, asks WCAG 2.1 AA.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def add_metadata(book: epub.EpubBook, edition: Edition, summary: str, epoch: int,
                 page_list: bool = False) -> None:
    """Dublin Core from the edition and its publisher (the EPUB's ISBN as the identifier),
    then the accessibility properties and the conformance claim."""
    pub = publication(edition)
    book.set_identifier(isbn_urn(edition, "epub") or edition_identifier(edition))
    book.set_title(edition.title)
    book.set_language(edition.language)
    if edition.subtitle:
        book.add_metadata("DC", "title", edition.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    for i, editor in enumerate(edition.editors, start=1):
        book.add_metadata("DC", "creator", editor, {"id": f"editor-{i}"})
        book.add_metadata(None, "meta", "edt", {"refines": f"#editor-{i}", "property": "role",
                                                "scheme": "marc:relators"})
    for i, translator in enumerate(pub.translators, start=1):
        book.add_metadata("DC", "contributor", translator, {"id": f"translator-{i}"})
        book.add_metadata(None, "meta", "trl", {"refines": f"#translator-{i}", "property": "role",
                                                "scheme": "marc:relators"})
    if pub.publisher:
        book.add_metadata("DC", "publisher", pub.publisher)
    if pub.rights:
        book.add_metadata("DC", "rights", pub.rights)
    if pub.date:  # optional in EPUB 3: no date is printed that nobody gave (the build's is dcterms:modified)
        book.add_metadata("DC", "date", pub.date)
    if pub.series:
        book.add_metadata(None, "meta", pub.series, {"property": "belongs-to-collection", "id": "series"})
        book.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
    features = ACCESSIBILITY + ([("schema:accessibilityFeature", "pageBreakMarkers"),
                                 ("schema:accessibilityFeature", "pageNavigation")] if page_list else [])
    for prop, value in features:
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata(None, "meta", summary, {"property": "schema:accessibilitySummary"})
    print_isbn = isbn_urn(edition, "print")
    if page_list and print_isbn:
        book.add_metadata(None, "meta", print_isbn, {"property": "pageBreakSource"})
    book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo", "id": "conformance"})
    # Who evaluated the claim above: the edition's certifier when it names one; else the
    # tool whose checks (structure, text alternatives, page list, language) made it -- never
    # the publisher, who has certified nothing unless edition.toml says so.
    book.add_metadata(None, "meta", pub.certified_by or f"corresp {__version__} (automated checks)",
                      {"property": "a11y:certifiedBy", "refines": "#conformance"})
