"""The index of correspondents: each person (or body) who wrote or received a document,
with those documents in edition order. Built here once; the PDF prints it with page
numbers, the EPUB and the DOCX with links to the documents.

Each person is filed under the nominative of the name the heading prints (`corresp.names`):
Russian headings put the recipients in the dative (`Молотов — Сталину`), and Сталину joins
Сталин.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Document, Edition

# "the Politburo" and "members of the Politburo" are filed under P.
_ARTICLE = re.compile(r"^(?:(?:all\s+)?members\s+of\s+)?the\s+", re.IGNORECASE)


@dataclass
class Entry:
    name: str
    documents: list[Document] = field(default_factory=list)
    wrote: set[str] = field(default_factory=set)  # ids of the documents this correspondent sent


def _clean(name: str) -> str:
    return " ".join(name.split()).strip(" .,;:")


def correspondents(edition: Edition) -> list[Entry]:
    """Every sender and recipient, alphabetically (case-insensitive), each with the
    documents they wrote or received, in the order of the edition."""
    entries: dict[str, Entry] = {}
    for doc in edition.documents:
        people = [(_clean(p.display_name), True) for p in doc.senders]
        people += [(_clean(p.display_name), False) for p in doc.recipients]
        for name, sent in people:
            if not name:
                continue
            entry = entries.setdefault(name, Entry(name))
            if not entry.documents or entry.documents[-1] is not doc:
                entry.documents.append(doc)
            if sent:
                entry.wrote.add(doc.id)
    return sorted(entries.values(), key=lambda e: (_ARTICLE.sub("", e.name).casefold(), e.name))


def locator(doc: Document) -> str:
    """How the index names a document without page numbers: its date as printed, or its
    heading if it has none."""
    return doc.date.text if doc.date and doc.date.text else doc.heading


LABELS = {"en": "Index of correspondents", "ru": "Указатель корреспондентов"}


def index_title(language: str) -> str:
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])
