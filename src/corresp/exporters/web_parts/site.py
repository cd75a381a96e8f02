"""What every page of the web edition needs to know about the others: where each letter
lives (`letters/<id>/`, from its id alone, never from parse order), its number, its
neighbours by date and within its pair of correspondents, and the edition's citation."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ...errors import ExportError
from ...model import Document, Edition
from ...numbering import NoteNumbers
from ..epub_parts.script_language import differing_language as _differing_language
from .html import url_segment
from .labels import labels_for

LETTERS = "letters"


@lru_cache(maxsize=65536)
def differing_language(text: str, page_language: str) -> Optional[str]:
    """The language to mark `text` with on a page in `page_language` (None: the page's own)."""
    return _differing_language(text, page_language)


def letter_folder(doc_id: str) -> str:
    """The letter's folder name: its id, which must be one path segment."""
    if doc_id in (".", "..") or "/" in doc_id or "\\" in doc_id:
        raise ExportError(f"document id {doc_id!r} cannot be a web address's folder (it holds '/' or '\\\\', "
                          "or is '.' or '..'): rename the document")
    return doc_id


def letter_path(doc_id: str) -> str:
    """The letter page's file inside the site."""
    return f"{LETTERS}/{letter_folder(doc_id)}/index.html"


def letter_href(doc_id: str) -> str:
    """The letter's address from the site's root, as linked (`letters/<id>/`)."""
    return f"{LETTERS}/{url_segment(letter_folder(doc_id))}/"


def pair_key(doc: Document) -> frozenset[str]:
    """Who took part in a letter, whichever way it went: Stalin → Kaganovich and
    Kaganovich → Stalin belong to one correspondence."""
    return frozenset(" ".join(p.display_name.split()) for p in (*doc.senders, *doc.recipients))


def _date_key(doc: Document, position: int) -> tuple:
    iso = doc.date.iso if doc.date and doc.date.iso else None
    return (iso is None, iso or "", position)  # undated letters last, each in edition order


@dataclass
class Neighbours:
    prev_date: Optional[Document] = None
    next_date: Optional[Document] = None
    prev_pair: Optional[Document] = None
    next_pair: Optional[Document] = None


@dataclass
class Site:
    edition: Edition
    numbers: NoteNumbers
    epoch: int
    base_url: Optional[str] = None  # "https://example.org/edition/" when the edition says where it lives
    labels: dict[str, str] = field(default_factory=dict)
    neighbours: dict[str, Neighbours] = field(default_factory=dict)
    by_date: list[Document] = field(default_factory=list)

    @classmethod
    def of(cls, edition: Edition, numbers: NoteNumbers, epoch: int, base_url: Optional[str]) -> "Site":
        site = cls(edition, numbers, epoch, base_url, labels_for(edition.language))
        docs = edition.documents
        order = sorted(range(len(docs)), key=lambda k: _date_key(docs[k], k))
        site.by_date = [docs[k] for k in order]
        site.neighbours = {d.id: Neighbours() for d in docs}
        for a, b in zip(site.by_date, site.by_date[1:]):
            site.neighbours[a.id].next_date = b
            site.neighbours[b.id].prev_date = a
        last: dict[frozenset, Document] = {}
        for d in site.by_date:
            key = pair_key(d)
            if len(key) < 2:
                continue  # a letter with one named party has no correspondence to follow
            before = last.get(key)
            if before is not None:
                site.neighbours[before.id].next_pair = d
                site.neighbours[d.id].prev_pair = before
            last[key] = d
        return site

    @property
    def build_date(self) -> str:
        return dt.datetime.fromtimestamp(self.epoch, dt.timezone.utc).date().isoformat()

    def absolute(self, href: str) -> Optional[str]:
        """The permanent URL of a path inside the site, when the edition says where it lives."""
        return self.base_url + href if self.base_url else None

    def number(self, doc: Document) -> int:
        return self.numbers.document(doc)

    def citation(self, doc: Optional[Document] = None, href: str = "") -> str:
        """Editors, (the letter, its number,) the edition, the version and the permanent URL."""
        e = self.edition
        ru = e.language.split("-")[0].lower() == "ru"
        parts = []
        if e.editors:
            parts.append(", ".join(e.editors) + (" (ред.)" if ru else " (eds.)"))
        if doc is not None:
            parts.append(f"“{doc.heading}”, {self.labels['no']} {self.number(doc)}")
            parts.append(("В кн.: " if ru else "In: ") + e.title + (f". {e.subtitle}" if e.subtitle else ""))
        else:
            parts.append(e.title + (f". {e.subtitle}" if e.subtitle else ""))
        parts.append(f"{self.labels['version']} {self.build_date}")
        text = ". ".join(p.rstrip(".") for p in parts) + "."
        url = self.absolute(href)
        return f"{text} {url}" if url else text
