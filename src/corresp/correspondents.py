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

from .i18n import words
from .model import Document, Edition
from .names import nominative

# "the Politburo" and "members of the Politburo" are filed under P.
_ARTICLE = re.compile(r"^(?:(?:all\s+)?members\s+of\s+)?the\s+", re.IGNORECASE)


@dataclass
class Entry:
    name: str  # as the headings print it (the nominative): what the entry is filed under
    documents: list[Document] = field(default_factory=list)
    wrote: set[str] = field(default_factory=set)  # ids of the documents this correspondent sent
    full_name: str = ""  # "Каганович Л. М.": the surname with the initials some source gives

    @property
    def shown(self) -> str:
        """What the index prints: the full name where a source gives initials, else the name."""
        return self.full_name or self.name


# Initials before a surname, as the requisites give them (`Л. М. Каганович, В. Я. Чубарь —
# И. В. Сталину`, `L. M. Kaganovich`).
_INITIALS_NAME = re.compile(r"((?:[A-ZА-ЯЁ]\.\s?){1,3})([A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?)")
_INITIAL = re.compile(r"[A-ZА-ЯЁ]\.")


def initials(edition: Edition) -> dict[str, str]:
    """Surname (in the nominative) -> its initials ("Л. М."), from any document's requisites;
    the first source that gives them wins (one correspondent, one name in the index)."""
    found: dict[str, str] = {}
    for doc in edition.documents:
        for value in doc.requisites.values():
            for m in _INITIALS_NAME.finditer(value):
                found.setdefault(nominative(m.group(2)), " ".join(_INITIAL.findall(m.group(1))))
    return found


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
    known = initials(edition)
    pattern = words(edition.language)["index_name"]
    for entry in entries.values():
        if entry.name in known:  # a bare surname some source gives initials for
            entry.full_name = pattern.format(surname=entry.name, initials=known[entry.name])
    return sorted(entries.values(), key=lambda e: (_ARTICLE.sub("", e.name).casefold(), e.name))


def locator(doc: Document, number: int | None = None, language: str = "en") -> str:
    """How the index names a document without page numbers: its number (corresp.numbering)
    and its date as printed ("No. 12, August 20, 1935"), or its heading if it has no date.
    Without a number, the date alone."""
    date = doc.date.text if doc.date and doc.date.text else doc.heading
    if number is None:
        return date
    return f"{index_labels(language)['no']}\u00a0{number}, {date}"  # never `№` / `5` across lines


def sent_and_received(entry: Entry) -> tuple[list[Document], list[Document]]:
    """The entry's documents it sent, and those it received, each in edition order."""
    return ([d for d in entry.documents if d.id in entry.wrote],
            [d for d in entry.documents if d.id not in entry.wrote])


def index_labels(language: str) -> dict[str, str]:
    """The index's words: `sent`, `received`, `no` (`No.`, `№`), `continued`."""
    w = words(language)
    return {"sent": w["sent"], "received": w["received"], "no": w["no"], "continued": w["continued"]}


def index_explanation(language: str, pages: bool = False) -> str:
    w = words(language)
    return w["index_explain"].format(pages=w["index_pages"] if pages else "")


def index_title(language: str) -> str:
    return words(language)["index"]
