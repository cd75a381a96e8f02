"""The edition model: the one document tree every reader fills and every exporter reads.

Like pandoc's AST, it is plain data with a schema version. Validators hold the invariants
the exporters rely on, so an exporter never has to second-guess its input:
document ids are unique, every footnote is referenced exactly once, notes are numbered
1..n in the order of their markers, ISO dates are real dates.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Iterator, Literal, Optional, Union

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_serializer,
                      model_validator)

SCHEMA_VERSION = "1.0"


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- inline content -------------------------------------------------------------------

class Text(Node):
    type: Literal["text"] = "text"
    text: str


class NoteRef(Node):
    """A footnote marker. `number` is the model's number of the note in its container
    (document or chapter intro); what a reader sees is decided by `corresp.numbering`."""
    type: Literal["noteref"] = "noteref"
    number: int


Inline = Annotated[Union[Text, NoteRef], Field(discriminator="type")]


class Paragraph(Node):
    """A line or paragraph of the source: inline runs plus the source line it came from."""
    type: Literal["paragraph"] = "paragraph"
    content: list[Inline] = Field(default_factory=list)
    line: Optional[int] = None

    @property
    def text(self) -> str:
        """The paragraph's text without note markers."""
        return "".join([i.text for i in self.content if isinstance(i, Text)])  # (a list joins faster)

    def noterefs(self) -> list[int]:
        return [i.number for i in self.content if isinstance(i, NoteRef)]


class Enclosure(Node):
    """Quoted material inside a document: a telegram within a letter, a quoted decision."""
    type: Literal["enclosure"] = "enclosure"
    paragraphs: list[Paragraph] = Field(default_factory=list)
    line: Optional[int] = None


Block = Annotated[Union[Paragraph, Enclosure], Field(discriminator="type")]


# --- document header parts ------------------------------------------------------------

class Person(Node):
    name: str  # as printed: `Сталину` in a Russian heading's dative
    # The nominative (`Сталин`), by `corresp.names`; what indexes and metadata file under.
    nominative: Optional[str] = None

    @property
    def display_name(self) -> str:
        return self.nominative or self.name


_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class DocDate(Node):
    text: str  # verbatim, brackets included
    iso: Optional[str] = None  # 1935-08-14, 1933-09 or 1935: the precision the source gives
    supplied: bool = False  # the editors bracketed (part of) the date
    qualifier: Optional[str] = None  # "later", "previously", "not earlier than", ...

    @field_validator("iso")
    @classmethod
    def _real_date(cls, v: Optional[str]) -> Optional[str]:
        if v is None:
            return v
        if not _ISO_DATE.match(v):
            raise ValueError(f"not an ISO 8601 date: {v!r}")
        parts = [int(p) for p in v.split("-")]
        try:
            _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ValueError(f"not a real date: {v!r} ({exc})") from None
        return v


class ArchiveRef(Node):
    """One archival reference, fields as the source writes them (OCR errors kept)."""
    text: str
    repository: Optional[str] = None
    fond: Optional[str] = None
    opis: Optional[str] = None
    delo: Optional[str] = None
    folios: Optional[str] = None
    form: Optional[str] = None


class Dispatch(Paragraph):
    """`From Moscow 14/VIII - 35 at 22 o'clock. 57 min. In. No. 2.` and its kin."""
    type: Literal["dispatch"] = "dispatch"  # type: ignore[assignment]
    kind: str = "from"  # from | sent | entered | received
    place: Optional[str] = None
    date: Optional[str] = None
    time: Optional[str] = None
    number: Optional[str] = None


class SecretaryAnnotation(Paragraph):
    """Number, time and date entered by Stalin's secretary (`No. 5.`, `14–45.`, `17/VIII - 35`)."""
    type: Literal["secretary"] = "secretary"  # type: ignore[assignment]
    number: Optional[str] = None
    time: Optional[str] = None
    date: Optional[str] = None


MarkerPlacement = Literal["explicit", "inferred", "unplaced"]


class Footnote(Node):
    number: int  # 1..n in the order of the markers in its container
    text: str
    marker: MarkerPlacement = "explicit"
    printed_number: Optional[int] = None  # what the source printed, if anything
    line: Optional[int] = None


class Debris(Node):
    """Source text deliberately left out of the edition, and why."""
    line: int
    text: str
    reason: str


# --- documents, chapters, edition -----------------------------------------------------

class Document(Node):
    # Ids double as anchors (EPUB, DOCX, PDF): no spaces, no `#`, never empty.
    id: str = Field(pattern=r"^[^\s#]+$")
    heading: str
    line: Optional[int] = None
    senders: list[Person] = Field(default_factory=list)
    recipients: list[Person] = Field(default_factory=list)
    date: Optional[DocDate] = None
    requisites: dict[str, str] = Field(default_factory=dict)
    archive: list[ArchiveRef] = Field(default_factory=list)
    archive_text: Optional[str] = None  # the archive line after "Archive:", verbatim
    archive_line: Optional[int] = None
    transmission: list[Paragraph] = Field(default_factory=list)
    dispatch: list[Dispatch] = Field(default_factory=list)
    address: list[Paragraph] = Field(default_factory=list)
    dateline: Optional[Paragraph] = None  # "16/VIII" heading a letter
    salutation: Optional[Paragraph] = None
    body: list[Block] = Field(default_factory=list)
    signature: Optional[Paragraph] = None
    postscript: list[Block] = Field(default_factory=list)
    secretary: list[SecretaryAnnotation] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    # The number the source printed for the document (`№312`, a bare `655` above its
    # heading), when it printed one: kept beside the edition's own numbering. Not written
    # when not set.
    source_number: Optional[str] = None

    @model_serializer(mode="wrap")
    def _without_unset_source_number(self, handler):
        data = handler(self)
        if isinstance(data, dict) and data.get("source_number", 0) is None:
            del data["source_number"]
        return data

    def iter_blocks(self) -> Iterator[tuple[str, Union[Paragraph, Enclosure]]]:
        """Every printable block in reading order, with its role; an enclosure comes whole
        (role "enclosure" or "postscript-enclosure"), for exporters that set it as one block.

        Roles: transmission, dispatch, address, dateline, salutation, body, enclosure,
        signature, postscript, postscript-enclosure, secretary. Exporters map roles to
        styles; walking this one iterator is how they avoid dropping a part.
        """
        for p in self.transmission:
            yield "transmission", p
        for p in self.dispatch:
            yield "dispatch", p
        for p in self.address:
            yield "address", p
        if self.dateline:
            yield "dateline", self.dateline
        if self.salutation:
            yield "salutation", self.salutation
        for b in self.body:
            yield ("enclosure" if isinstance(b, Enclosure) else "body"), b
        if self.signature:
            yield "signature", self.signature
        for b in self.postscript:
            yield ("postscript-enclosure" if isinstance(b, Enclosure) else "postscript"), b
        for p in self.secretary:
            yield "secretary", p

    def iter_parts(self) -> Iterator[tuple[str, Paragraph]]:
        """Every printable paragraph in reading order, with its role (see iter_blocks);
        an enclosure's paragraphs come one by one."""
        for role, block in self.iter_blocks():
            if isinstance(block, Enclosure):
                for p in block.paragraphs:
                    yield role, p
            else:
                yield role, block

    def all_paragraphs(self) -> list[Paragraph]:
        """iter_parts' paragraphs, as a list made without generators: asked for once or twice
        per document in a parse (the notes check below, the repeated-letters key)."""
        blocks = [*self.transmission, *self.dispatch, *self.address]
        blocks += [b for b in (self.dateline, self.salutation) if b]
        blocks += self.body
        if self.signature:
            blocks.append(self.signature)
        blocks += self.postscript
        blocks += self.secretary
        return [p for block in blocks for p in (block.paragraphs if isinstance(block, Enclosure) else (block,))]

    def noteref_order(self) -> list[int]:
        return [i.number for p in self.all_paragraphs() for i in p.content if isinstance(i, NoteRef)]

    # pydantic re-runs "after" validators when a validated Document is placed in a Chapter;
    # the flag keeps the (costly) notes check to once per instance.
    _notes_checked: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _notes_consistent(self) -> "Document":
        # The flag read and written in the private-attribute dict itself: through the
        # attribute, each access is a Python-level __getattr__/__setattr__ of pydantic's.
        private = self.__pydantic_private__
        if not private["_notes_checked"]:
            _check_notes(self.noteref_order(), self.footnotes, f"document {self.id}")
            private["_notes_checked"] = True
        return self


def _check_notes(refs: list[int], notes: list[Footnote], where: str) -> None:
    numbers = [n.number for n in notes]
    if numbers != list(range(1, len(notes) + 1)):
        raise ValueError(f"{where}: footnotes must be numbered 1..{len(notes)} without gaps, got {numbers}")
    if refs != numbers:
        raise ValueError(
            f"{where}: each footnote must be referenced exactly once, in order; "
            f"markers {refs}, notes {numbers}")


class Chapter(Node):
    title: str
    source: Optional[str] = None  # the source file's name
    intro: list[Paragraph] = Field(default_factory=list)
    notes: list[Footnote] = Field(default_factory=list)  # notes of the intro
    documents: list[Document] = Field(default_factory=list)
    debris: list[Debris] = Field(default_factory=list)

    @model_validator(mode="after")
    def _intro_notes_consistent(self) -> "Chapter":
        _check_notes([n for p in self.intro for n in p.noterefs()], self.notes,
                     f"chapter {self.title!r} intro")
        return self


class Publication(Node):
    """What a publisher says about the edition (edition.toml): the imprint, the rights and an
    ISBN per format (`epub`, `pdf`, `print`). Checked in `corresp.metadata`."""
    publisher: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = None  # ISO 8601, the publication date
    rights: Optional[str] = None
    license: Optional[str] = None  # a URL
    series: Optional[str] = None
    translators: list[str] = Field(default_factory=list)
    isbn: dict[str, str] = Field(default_factory=dict)
    certified_by: Optional[str] = None  # who checked the EPUB's accessibility
    cover: Optional[str] = None  # a JPEG or PNG file (checked in corresp.metadata)


class Edition(Node):
    schema_version: str = SCHEMA_VERSION
    title: str
    subtitle: Optional[str] = None
    editors: list[str] = Field(default_factory=list)
    language: str = "en"
    chapters: list[Chapter] = Field(default_factory=list)
    publication: Optional[Publication] = None  # not written when not set

    @model_serializer(mode="wrap")
    def _without_unset_publication(self, handler):
        data = handler(self)
        if isinstance(data, dict) and data.get("publication", 0) is None:
            del data["publication"]
        return data

    @property
    def documents(self) -> list[Document]:
        return [d for c in self.chapters for d in c.documents]

    @model_validator(mode="after")
    def _ids_unique(self) -> "Edition":
        seen: set[str] = set()
        for d in self.documents:
            if d.id in seen:
                raise ValueError(f"duplicate document id {d.id!r}")
            seen.add(d.id)
        return self
