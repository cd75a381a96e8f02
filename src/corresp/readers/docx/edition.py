"""A DOCX corresp wrote (and an editor changed) → the edition model.

Each paragraph's role comes from its style's name (corresp.word_styles): a Heading 1 starts a
chapter, a Document Heading (or a plain Heading 2) a letter, an Archive Line gives its
references, every other part its named style; paragraphs in Normal or Body Text are body
text in a letter and introduction before a chapter's first letter. The heading is read again
with the text reader's rules, so an edited heading changes the parties, the date and (for a
letter without the bookmark corresp put on its heading) the id. Notes come from the real
footnotes at their references, numbered 1..n in each letter's reading order, whatever labels
the file shows.

What corresp generates is left out, to be made again: the title block, the contents (a
table-of-contents control, TOC field or TOC styles), the calendar and the index (sections
whose heading carries corresp's bookmark, or that hold only their entry styles), and
anything before the first chapter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ...diagnostics import Reporter
from ...errors import InputError
from ...model import Chapter, Dispatch, Document, Enclosure, Footnote, NoteRef, Paragraph, \
    SecretaryAnnotation, Text
from ...word_styles import (ARCHIVE_LINE, CALENDAR_ENTRY, CALENDAR_TABLE_HEAD, CHAPTER_INTRO, CONTENTS_LEVELS,
                            COPYRIGHT, CREDIT_CAPTION, DOCUMENT_HEADING, IMPRINT, INDEX_ENTRY, ROLE_STYLES, SERIES)
from ...typography import reading_form
from . import rules
from .package import Package
from .wordml import NoteRef as WordNoteRef, WordParagraph

ROLE_OF = {name.lower(): role for role, name in ROLE_STYLES.items()}
CLASS_OF: dict[str, str] = {
    **ROLE_OF, DOCUMENT_HEADING.lower(): "heading", "heading 2": "heading", "heading 1": "chapter",
    CHAPTER_INTRO.lower(): "intro", ARCHIVE_LINE.lower(): "archive",
    # What the writer generates: made again on every build, never read.
    **{name.lower(): "generated" for name in (CALENDAR_ENTRY, CALENDAR_TABLE_HEAD, INDEX_ENTRY, SERIES,
                                              CREDIT_CAPTION, IMPRINT, COPYRIGHT, *CONTENTS_LEVELS)},
    "toc heading": "generated", "contents heading": "generated", "index heading": "generated",
    "title": "title", "subtitle": "subtitle", "author": "author",
    "date": "generated", "abstract": "generated", "abstract title": "generated",
    "footnote text": "plain", "normal": "plain", "first paragraph": "plain", "compact": "plain",
}
_TOC_STYLE = re.compile(r"^(?:toc|contents) \d$")
GENERATED_SECTIONS = frozenset({"calendar", "index", "contents", "toc"})  # pandoc's bookmarks on their headings
# The number every format prints before a letter's heading ("12. ", "No. 12 "), not part of it.
_NUMBER_LABEL = re.compile(r"^\s*(?:(?:No\.?|№)\s*)?\d{1,6}[.:]?\s+(?=\S)")
_PANDOC_HASHED_ID = re.compile(r"^X[0-9a-f]{39}$")  # what pandoc makes of an id longer than 40 characters
MULTIPLE = {"dateline", "salutation", "signature"}


def classify(p: WordParagraph) -> str:
    """The role a paragraph's style gives it: its own style's name first, then the styles it
    is based on; an unknown style everywhere along the chain reads as plain text."""
    for name in p.style_names:
        if name in CLASS_OF:
            return CLASS_OF[name]
        if _TOC_STYLE.match(name):
            return "generated"
    return "plain"


def is_corresp_docx(paragraphs: list[WordParagraph]) -> bool:
    heading = DOCUMENT_HEADING.lower()
    return any(heading in p.style_names for p in paragraphs)


@dataclass
class _Letter:
    heading: WordParagraph
    archive: list[WordParagraph] = field(default_factory=list)
    parts: list[tuple[str, WordParagraph]] = field(default_factory=list)


@dataclass
class _Chapter:
    title: str
    index: int
    bookmarks: list[str]
    intro: list[WordParagraph] = field(default_factory=list)
    letters: list[_Letter] = field(default_factory=list)
    others: int = 0  # paragraphs of generated sections that were not in generated styles


class EditionReader:
    def __init__(self, package: Package, paragraphs: list[WordParagraph], notes: dict, reporter: Reporter):
        self.package = package
        self.paragraphs = paragraphs
        self.notes = notes  # (kind, id) -> text
        self.reporter = reporter
        self.used: dict[tuple[str, str], int] = {}

    def fail(self, message: str, p: Optional[WordParagraph] = None):
        where = f"paragraph {p.index}: " if p is not None else ""
        raise InputError(where + message, self.package.name)

    # --- paragraphs to inline content -------------------------------------------------

    def content(self, p: WordParagraph, numbering: list) -> list:
        """Inline runs with NoteRefs numbered by `numbering` (the container's notes so far)."""
        out: list = []
        for piece in p.pieces:
            if isinstance(piece, WordNoteRef):
                key = (piece.kind, piece.id)
                if key not in self.notes:
                    self.fail(f"a {piece.kind} reference to no {piece.kind} (id {piece.id!r})", p)
                if key in self.used:
                    self.fail(f"a second reference to the {piece.kind} of paragraph {self.used[key]}: "
                              "each note is referenced once", p)
                self.used[key] = p.index
                numbering.append(Footnote(number=len(numbering) + 1, text=self.notes[key]))
                out.append(NoteRef(number=len(numbering)))
            elif out and isinstance(out[-1], Text):
                out[-1] = Text(text=out[-1].text + piece)
            elif piece:
                out.append(Text(text=piece))
        return out

    def no_notes(self, p: WordParagraph, what: str) -> None:
        if p.notes:
            self.fail(f"a footnote in a {what}: the edition has no notes there; move it into the text", p)

    # --- structure --------------------------------------------------------------------

    def read(self) -> tuple[dict, list[Chapter]]:
        front: dict = {"editors": []}
        chapters: list[_Chapter] = []
        for p in self.paragraphs:
            kind = classify(p)
            if p.in_toc or kind == "generated":
                continue
            if not p.text.strip() and not p.notes:
                continue  # empty paragraphs: Enter pressed twice, LibreOffice's section breaks
            if kind == "chapter":
                self.no_notes(p, "chapter title")
                chapters.append(_Chapter(p.text.strip(), p.index, p.bookmarks))
                continue
            chapter = chapters[-1] if chapters else None
            letter = chapter.letters[-1] if chapter and chapter.letters else None
            if kind == "heading":
                if chapter is None:
                    self.reporter.warning("docx-no-chapter", "a letter before the first chapter heading "
                                          "(Heading 1): read into a chapter of its own", p.index)
                    chapters.append(_Chapter(self.package.name.rsplit("/", 1)[-1], p.index, []))
                self.no_notes(p, "Document Heading")
                chapters[-1].letters.append(_Letter(p))
            elif chapter is None:
                if kind in ("title", "subtitle", "author"):  # pandoc's title block
                    if kind == "author":
                        front["editors"].append(p.text.strip())
                    else:
                        front.setdefault(kind, p.text.strip())
                continue  # front matter before the first chapter is made again
            elif letter is None:
                if kind in ("intro", "plain", "body"):
                    chapter.intro.append(p)
                else:
                    chapter.others += 1
                    if kind not in ("title", "subtitle", "author"):
                        self.reporter.warning("docx-outside-letter", f"a {kind} paragraph before the chapter's "
                                              "first letter: read as the chapter's introduction", p.index)
                    chapter.intro.append(p)
            elif kind == "archive":
                self.no_notes(p, "archive line")
                letter.archive.append(p)
            else:
                role = kind if kind in ROLE_STYLES else "body"
                if kind == "intro":
                    self.reporter.warning("docx-intro-in-letter", "a Chapter Introduction paragraph inside a "
                                          "letter: read as its body", p.index)
                letter.parts.append((role, p))
        out = self.chapters(chapters)
        unreferenced(self.notes, self.used, self.reporter)
        return front, out

    def chapters(self, found: list[_Chapter]) -> list[Chapter]:
        ids = rules.IdMaker()
        taken: set[str] = set()
        out = []
        for ch in found:
            generated = bool(GENERATED_SECTIONS.intersection(ch.bookmarks))
            if not ch.letters and (generated or not ch.intro):
                if ch.intro and not generated:
                    self.reporter.warning("docx-generated", f"the section {ch.title!r} has no letters and is "
                                          "left out as generated matter", ch.index)
                continue
            notes: list[Footnote] = []
            intro = [Paragraph(content=self.content(p, notes)) for p in ch.intro]
            documents = [self.document(letter, ids, taken) for letter in ch.letters]
            out.append(Chapter(title=ch.title, source=self.package.name.rsplit("/", 1)[-1], intro=intro,
                               notes=notes, documents=documents))
        return out

    def document(self, letter: _Letter, ids, taken: set[str]) -> Document:
        hp = letter.heading
        # The DOCX corresp wrote is in house typography (`Yezhov—Stalin August 14, 1935`):
        # the text reader's rules read its reading form.
        text = reading_form(_NUMBER_LABEL.sub("", hp.text.strip(), count=1).strip())
        heading = rules.parse_heading(text) or rules.parse_loose_heading(text)
        if heading.date is None:
            self.reporter.warning("heading-no-date", f"heading has no date: {heading.text!r}", hp.index)
        senders = [x.name for x in heading.senders]
        recipients = [x.name for x in heading.recipients]
        derived = ids.make(senders, recipients, heading.date.iso if heading.date else None, heading.text)
        doc_id = next((b for b in hp.bookmarks if not _PANDOC_HASHED_ID.match(b) and b not in taken
                       and re.fullmatch(r"[^\s#]+", b)), None)
        if doc_id is None:
            doc_id = derived
            while doc_id in taken:
                doc_id = ids.unique(derived)
        taken.add(doc_id)

        archive_text = "; ".join(p.text.strip() for p in letter.archive) or heading.archive_rest
        archive = []
        if archive_text:
            line = letter.archive[0].index if letter.archive else hp.index
            archive = rules.parse_archive(reading_form(archive_text), lambda c, m: self.reporter.warning(c, m, line))
        else:
            self.reporter.warning("no-archive", f"document has no archive line: {heading.text!r}", hp.index)

        by_role: dict[str, list[WordParagraph]] = {}
        for role, p in letter.parts:
            by_role.setdefault(role, []).append(p)
        for role in MULTIPLE:
            extra = by_role.get(role, [])[1:]
            if extra:  # the model holds one; the others are text the editor meant, kept
                target = "postscript" if role == "signature" else "body"
                self.reporter.warning("docx-second-part", f"a second {ROLE_STYLES[role]} paragraph in "
                                      f"{heading.text!r}: read as {ROLE_STYLES[target]}", extra[0].index)
                del by_role[role][1:]
                for p in extra:
                    letter.parts[[q for _, q in letter.parts].index(p)] = (target, p)
        notes: list[Footnote] = []

        def para(p: WordParagraph) -> Paragraph:
            return Paragraph(content=self.content(p, notes))

        def blocks(plain: str, quoted: str) -> list:
            out: list = []
            previous = None
            for role, p in letter.parts:
                if role not in (plain, quoted):
                    continue
                if role == quoted:
                    if previous == quoted:
                        out[-1].paragraphs.append(para(p))
                    else:
                        out.append(Enclosure(paragraphs=[para(p)]))
                else:
                    out.append(para(p))
                previous = role
            return out

        # Built in the model's reading order (Document.iter_blocks), so notes number by it.
        fields: dict = {"transmission": [para(p) for p in by_role.get("transmission", [])]}
        fields["dispatch"] = []
        for p in by_role.get("dispatch", []):
            content = self.content(p, notes)
            plain = "".join(x.text for x in content if isinstance(x, Text))
            found = rules.parse_dispatch(reading_form(plain)) or {"kind": "series"}
            fields["dispatch"].append(Dispatch(content=content, **found))
        fields["address"] = [para(p) for p in by_role.get("address", [])]
        for role in ("dateline", "salutation"):
            fields[role] = para(by_role[role][0]) if by_role.get(role) else None
        fields["body"] = [b for b in blocks("body", "enclosure")]
        fields["signature"] = para(by_role["signature"][0]) if by_role.get("signature") else None
        fields["postscript"] = blocks("postscript", "postscript-enclosure")
        fields["secretary"] = []
        for p in by_role.get("secretary", []):
            content = self.content(p, notes)
            plain = "".join(x.text for x in content if isinstance(x, Text))
            found = rules.parse_secretary(reading_form(plain)) or {}
            fields["secretary"].append(SecretaryAnnotation(content=content, number=found.get("number"),
                                                           time=found.get("time"), date=found.get("date")))
        try:
            return Document(id=doc_id, heading=heading.text, senders=heading.senders, recipients=heading.recipients,
                            date=heading.date, archive=archive, archive_text=archive_text or None,
                            footnotes=notes, **fields)
        except ValueError as exc:
            self.fail(f"the letter {heading.text!r} cannot be read: {exc}", hp)


def unreferenced(notes: dict, used, reporter: Reporter) -> None:
    """A note no reference leads to (Word removes a note with its reference; another tool
    may not) is not in the edition: say so, with its words, so no text goes unnoticed."""
    for (kind, note_id), text in notes.items():
        if (kind, note_id) not in used and text:
            shown = text if len(text) <= 60 else text[:59] + "…"
            reporter.warning("docx-note-unreferenced", f"the {kind} {note_id} has no reference in the text and "
                             f"is left out: {shown!r}")
