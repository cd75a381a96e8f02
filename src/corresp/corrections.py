"""Corrections files: an editor's durable fixes to what the parser made of a text source.

`<source>.corrections.toml` beside a source (`seeds/1935-08.txt` → `seeds/1935-08.corrections.toml`)
corrects that source's chapter; files named in edition.toml (`corrections = [...]`) correct
the whole edition. They are applied to the model after every parse, in file order, so a
re-scraped or re-parsed month keeps its fixes: a transformation of the model (docutils'
transforms), not of the text.

Each correction names what it fixes by something that survives a re-parse — the document's
id or heading, a paragraph's text or a phrase in it, a note's number or a phrase of its
text — never by a line number alone:

    [[correction]]
    name = "ps-of-august-15"          # optional; messages name it (default: kind and position)
    kind = "role"                      # role | marker | heading | archive | note | split | join
    document = "stalin-to-kaganovich-1935-08-15"   # or: heading = "Stalin to Kaganovich August 15, 1935"
    line = "P.S. Send the draft"       # the paragraph: its text, or a phrase only it holds
    role = "postscript"                # body | postscript | signature | address | secretary |
                                       # transmission | dispatch | dateline | salutation

Kinds and their keys (besides `document` or `heading`):
- `role`: `line`, `role`.
- `marker`: `note` (its number) or `note_text` (a phrase of it); `after` (the phrase the
  marker follows); optionally `line` (the paragraph holding the phrase). With `chapter`
  (a chapter's title) instead of `document`: a note of the chapter's intro.
- `heading`: any of `senders`, `recipients` (lists of names), `date` (ISO), `date_text`,
  `text` (the heading as printed). The document keeps its id.
- `archive`: `field` (repository, fond, opis, delo, folios, form), `value`; `reference`
  (which reference, from 1; default 1).
- `note`: `note` or `note_text`; `text` (the note's new text); `chapter` as for `marker`.
- `split`: `at` (the body paragraph that begins the new document); `new_heading` (its
  heading; default: the `at` paragraph itself, removed from the text); optionally `id`.
- `join`: the document is joined to the one before it in its chapter (its heading becomes
  a paragraph).

Every applied correction is an info diagnostic `source:line: info: corrected … [correction]`.
A correction that matches nothing, or matches more than one thing, is an error naming it
(`CorrectionError`, exit code 2): stale fixes never pass silently, and nothing is built.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

from pydantic import ValidationError

from .diagnostics import Diagnostic
from .errors import InputError
from .model import (Chapter, Dispatch, DocDate, Document, Edition, Enclosure, Footnote, NoteRef,
                    Paragraph, Person, SecretaryAnnotation, Text)

SUFFIX = ".corrections.toml"
ROLES = ("body", "postscript", "signature", "address", "secretary", "transmission", "dispatch", "dateline",
         "salutation")
ARCHIVE_FIELDS = ("repository", "fond", "opis", "delo", "folios", "form")
_TARGET = {"name", "kind", "document", "heading", "chapter"}
KEYS: dict[str, tuple[set[str], set[str]]] = {  # kind → (required, optional) keys besides the target
    "role": ({"line", "role"}, set()),
    "marker": ({"after"}, {"note", "note_text", "line"}),
    "heading": (set(), {"senders", "recipients", "date", "date_text", "text"}),
    "archive": ({"field", "value"}, {"reference"}),
    "note": ({"text"}, {"note", "note_text"}),
    "split": ({"at"}, {"new_heading", "id"}),
    "join": (set(), set()),
}


class CorrectionError(InputError):
    """A corrections file that cannot be read, or a correction that matches nothing."""


@dataclass
class Correction:
    data: dict[str, Any]
    file: str
    line: Optional[int]  # of its [[correction]] header in the file
    position: int  # from 1, in its file

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def name(self) -> str:
        return str(self.data.get("name") or f"{self.kind} #{self.position}")

    def fail(self, message: str):
        raise CorrectionError(f"correction {self.name!r}: {message}", self.file, self.line)


# --- finding and loading the files -----------------------------------------------------------

def beside(source: Path) -> Optional[Path]:
    """The corrections file of a source, if it has one: `<stem>.corrections.toml`, or
    `<name>.corrections.toml` (`1935-08.txt.corrections.toml`)."""
    source = Path(source)
    for candidate in (source.with_name(source.stem + SUFFIX), source.with_name(source.name + SUFFIX)):
        if candidate.exists():  # a folder or a FIFO by that name: load() says what it is
            return candidate
    return None


def load(path: Path) -> list[Correction]:
    from .files import load_toml
    name = str(path)
    text, data = load_toml(path, "corrections", CorrectionError, name)
    unknown = set(data) - {"correction"}
    if unknown:
        raise CorrectionError(f"unknown top-level key(s) {', '.join(sorted(unknown))} "
                              "(corrections are [[correction]] tables)", name)
    items = data.get("correction", [])
    if not isinstance(items, list):
        raise CorrectionError("`correction` must be an array of tables ([[correction]])", name)
    headers = _table_headers(text)
    found = []
    for i, item in enumerate(items):
        c = Correction(item if isinstance(item, dict) else {}, name, headers[i] if i < len(headers) else None, i + 1)
        if not isinstance(item, dict):
            c.data = {"kind": "?"}
            c.fail("must be a table")
        _check_keys(c)
        found.append(c)
    return found


def _table_headers(text: str) -> list[int]:
    """The lines (1-based) of the `[[correction]]` headers TOML sees: not one inside a
    multi-line string or after a comment's `#` (a line-by-line match shifted every reported
    line after such a string). A small scanner of TOML's strings and comments."""
    headers, line, i, n = [], 1, 0, len(text)
    at_line_start = True
    header = re.compile(r"[ \t]*\[\[[ \t]*correction[ \t]*\]\]")
    while i < n:
        if at_line_start:
            at_line_start = False
            if header.match(text, i):
                headers.append(line)
        ch = text[i]
        if ch == "\n":
            line, at_line_start = line + 1, True
            i += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i:i + 3]
            j = i + 3
            while True:
                j = text.find(quote, j)
                if j < 0:
                    j = n
                    break
                if quote == '"""' and _escaped(text, j):
                    j += 1
                    continue
                j += 3
                while j < n and text[j] == quote[0]:  # up to two quotes may end the string's text
                    j += 1
                break
            line += text.count("\n", i, j)
            i = j
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if ch == '"' and text[j] == "\\" else 1
            i = j + 1 if j < n and text[j] == ch else j
        else:
            i += 1
    return headers


def _escaped(text: str, j: int) -> bool:
    k = j - 1
    while k >= 0 and text[k] == "\\":
        k -= 1
    return (j - 1 - k) % 2 == 1


def _check_keys(c: Correction) -> None:
    kind = c.data.get("kind")
    if not isinstance(kind, str) or kind not in KEYS:
        c.data = {**c.data, "kind": str(kind)}
        c.fail(f"kind must be one of {', '.join(KEYS)}, not {kind!r}")
    required, optional = KEYS[kind]
    keys = set(c.data)
    if unknown := keys - required - optional - _TARGET:
        c.fail(f"unknown key(s) for a {kind} correction: {', '.join(sorted(unknown))}")
    if missing := required - keys:
        c.fail(f"missing key(s): {', '.join(sorted(missing))}")
    if len(keys & {"document", "heading", "chapter"}) != 1:
        c.fail("name the document by `document` (its id) or `heading`, one of them"
               + (" (or a chapter's intro by `chapter`, its title)" if kind in ("marker", "note") else ""))
    if "chapter" in keys and kind not in ("marker", "note"):
        c.fail("a chapter's intro takes marker and note corrections only")
    if kind in ("marker", "note") and ("note" in keys) == ("note_text" in keys):
        c.fail("name the note by `note` (its number) or `note_text` (a phrase of it), one of them")
    if kind == "heading" and not keys & optional:
        c.fail("says nothing to correct (senders, recipients, date, date_text or text)")
    for key, value in c.data.items():
        want = (list if key in ("senders", "recipients") else int if key in ("note", "reference") else str)
        if not isinstance(value, want) or isinstance(value, bool) or \
                (want is list and not all(isinstance(v, str) and v.strip() for v in value)):
            c.fail(f"{key} must be {'a list of names' if want is list else 'a whole number' if want is int else 'a string'}")
        if want is str and not value.strip() and key != "name":
            c.fail(f"{key} is empty")
    if kind == "role" and c.data["role"] not in ROLES:
        c.fail(f"role must be one of {', '.join(ROLES)}, not {c.data['role']!r}")
    if kind == "archive" and c.data["field"] not in ARCHIVE_FIELDS:
        c.fail(f"field must be one of {', '.join(ARCHIVE_FIELDS)}, not {c.data['field']!r}")


# --- applying them ---------------------------------------------------------------------------

def apply_corrections_files(edition: Edition, diagnostics: list[Diagnostic], sources: Sequence[Path],
                            named: Sequence[Path] = ()) -> tuple[Edition, list[Diagnostic]]:
    """The edition with every corrections file applied: each source's own (to its chapter),
    then those `named` in edition.toml (to the whole edition)."""
    work: list[tuple[Correction, Optional[int]]] = []  # (correction, its chapter's index or None: all)
    for ci, source in enumerate(sources):
        path = beside(Path(source))
        if path is not None:
            work += [(c, ci) for c in load(path)]
    for path in named:
        work += [(c, None) for c in load(Path(path))]
    if not work:
        return edition, diagnostics
    diagnostics = list(diagnostics)
    edition = edition.model_copy(deep=True)  # the parser's edition is not changed in place
    _TOUCHED.clear()
    for c, ci in work:
        chapters = [edition.chapters[ci]] if ci is not None else edition.chapters
        message, line, chapter = _apply(c, chapters, edition)
        source = sources[edition.chapters.index(chapter)] if len(sources) == len(edition.chapters) else c.file
        diagnostics.append(Diagnostic(str(source), line, "info", "correction",
                                      f"corrected {message} ({c.name}, {Path(c.file).name})"))
    try:
        edition = Edition.model_validate(edition.model_dump())
    except ValidationError as exc:
        raise CorrectionError(f"the corrected edition is inconsistent: {exc.errors()[0]['msg']}",
                              work[-1][0].file) from None
    return edition, diagnostics


def _apply(c: Correction, chapters: list[Chapter], edition: Edition) -> tuple[str, Optional[int], Chapter]:
    if "chapter" in c.data:
        return _apply_to_intro(c, chapters, edition)
    chapter, doc = _document(c, chapters)
    message, line = _KINDS[c.kind](c, chapter, doc, edition)
    for other in chapter.documents:  # a split or a join changes two documents
        _renumber(other, c)
        try:
            Document.model_validate(other.model_dump())
        except ValidationError as exc:
            c.fail(f"leaves document {other.id!r} inconsistent: {exc.errors()[0]['msg']}")
    return message, line if line is not None else doc.line, chapter


def _apply_to_intro(c: Correction, chapters: list[Chapter], edition: Edition):
    """A marker or note correction in a chapter's intro: the intro is corrected as the body
    of a stand-in document, then put back."""
    title = _norm(c.data["chapter"])
    found = [ch for ch in chapters if _norm(ch.title) == title]
    if len(found) != 1:
        c.fail(f"matches nothing: no chapter titled {c.data['chapter']!r}" if not found else
               f"{len(found)} chapters are titled {c.data['chapter']!r}")
    chapter = found[0]
    intro = Document.model_construct(id=f"the intro of {chapter.title}", heading=chapter.title,
                                     body=list(chapter.intro), footnotes=list(chapter.notes),
                                     line=chapter.intro[0].line if chapter.intro else None)
    message, line = _KINDS[c.kind](c, chapter, intro, edition)
    _renumber(intro, c)
    chapter.intro, chapter.notes = list(intro.body), list(intro.footnotes)
    try:
        Chapter.model_validate({**chapter.model_dump(exclude={"documents"}), "documents": []})
    except ValidationError as exc:
        c.fail(f"leaves the intro of {chapter.title!r} inconsistent: {exc.errors()[0]['msg']}")
    return message, line if line is not None else intro.line, chapter


def _document(c: Correction, chapters: list[Chapter]) -> tuple[Chapter, Document]:
    if "document" in c.data:
        key, value = "id", c.data["document"]
        found = [(ch, d) for ch in chapters for d in ch.documents if d.id == value]
    else:
        key, value = "heading", _norm(c.data["heading"])
        found = [(ch, d) for ch in chapters for d in ch.documents if _norm(d.heading) == value]
    if not found:
        c.fail(f"matches nothing: no document with the {key} {value!r}")
    if len(found) > 1:
        c.fail(f"the heading {value!r} is that of {len(found)} documents "
               f"({', '.join(d.id for _, d in found)}): name one by `document`")
    return found[0]


def _norm(text: str) -> str:
    return " ".join(text.split())


# The Document fields that hold one paragraph (the others hold lists), and all in reading order.
_SINGLE = ("dateline", "salutation", "signature")
_ORDER = ("transmission", "dispatch", "address", "dateline", "salutation", "body", "signature", "postscript",
          "secretary")


@dataclass
class _Found:
    paragraph: Paragraph
    role: str  # the Document field holding it
    enclosure: Optional[Enclosure] = None


def _paragraphs(doc: Document) -> list[_Found]:
    out = []
    for role in _ORDER:
        value = getattr(doc, role)
        for block in (value if isinstance(value, list) else [value] if value is not None else []):
            if isinstance(block, Enclosure):
                out += [_Found(p, role, block) for p in block.paragraphs]
            else:
                out.append(_Found(block, role))
    return out


def _find_paragraph(c: Correction, doc: Document, key: str = "line",
                    only: Optional[Callable[[_Found], bool]] = None) -> _Found:
    phrase = _norm(c.data[key])
    candidates = [f for f in _paragraphs(doc) if only is None or only(f)]
    exact = [f for f in candidates if _norm(f.paragraph.text) == phrase]
    found = exact or [f for f in candidates if phrase in _norm(f.paragraph.text)]
    if not found:
        c.fail(f"matches nothing: no paragraph of document {doc.id!r} reads or holds {c.data[key]!r}")
    if len(found) > 1:
        c.fail(f"{key} {c.data[key]!r} is in {len(found)} paragraphs of document {doc.id!r}: quote more of it")
    return found[0]


def _remove(doc: Document, f: _Found) -> None:
    if f.enclosure is not None:
        f.enclosure.paragraphs.remove(f.paragraph)
        if not f.enclosure.paragraphs:
            getattr(doc, f.role).remove(f.enclosure)
    elif f.role in _SINGLE:
        setattr(doc, f.role, None)
    else:
        getattr(doc, f.role).remove(f.paragraph)


def _as(role: str, p: Paragraph) -> Paragraph:
    """The paragraph as the kind the role holds (a dispatch, a secretary line or plain)."""
    content, line = p.content, p.line
    if role == "secretary":
        from .readers.text.lines import parse_secretary
        fields = parse_secretary(p.text) or {}
        return SecretaryAnnotation(content=content, line=line, number=fields.get("number"),
                                   time=fields.get("time"), date=fields.get("date"))
    if role == "dispatch":
        from .readers.text.lines import parse_dispatch
        fields = parse_dispatch(p.text) or {"kind": "series"}
        return Dispatch(content=content, line=line, **fields)
    return Paragraph(content=content, line=line)


def _insert(doc: Document, role: str, p: Paragraph) -> None:
    """Put `p` into `role`, among the role's blocks in source-line order."""
    p = _as(role, p)
    if role in _SINGLE:
        old = getattr(doc, role)
        setattr(doc, role, p)
        if old is not None:  # the one it replaces stays in the text: before it or after it
            _insert(doc, "body" if (old.line or 0) <= (p.line or 0) or role != "signature" else "postscript", old)
        return
    blocks = getattr(doc, role)
    at = next((k for k, b in enumerate(blocks) if p.line is not None and b.line is not None and b.line > p.line),
              len(blocks))
    blocks.insert(at, p)


def _role(c: Correction, chapter, doc: Document, edition):
    f = _find_paragraph(c, doc)
    role = c.data["role"]
    if f.role == role and f.enclosure is None:
        c.fail(f"matches nothing to change: {c.data['line']!r} is already {role}")
    _remove(doc, f)
    _insert(doc, role, f.paragraph)
    was = f.role if f.enclosure is None else ("enclosure" if f.role == "body" else f"{f.role} enclosure")
    return f"the role of {_quote(f.paragraph.text)}: {was} → {role}", f.paragraph.line


_TOUCHED: dict = {}  # (note object, kind) -> the correction that changed it (in one apply)


def _note(c: Correction, doc: Document) -> Footnote:
    note = _find_note(c, doc)
    key = (id(note), c.kind)
    other = _TOUCHED.get(key)
    if other is not None and other[0] is not c:
        c.fail(f"changes the {'marker' if c.kind == 'marker' else 'text'} of note {note.number} of document "
               f"{doc.id!r}, as correction {other[0].name!r} (line {other[0].line}) does: keep one")
    _TOUCHED[key] = (c, note)  # the note is kept alive with its id
    return note


def _find_note(c: Correction, doc: Document) -> Footnote:
    if "note" in c.data:
        found = [n for n in doc.footnotes if n.number == c.data["note"]]
        if not found:
            c.fail(f"matches nothing: document {doc.id!r} has no note {c.data['note']} "
                   f"(notes: {', '.join(str(n.number) for n in doc.footnotes) or 'none'})")
        return found[0]
    phrase = _norm(c.data["note_text"])
    found = [n for n in doc.footnotes if phrase in _norm(n.text)]
    if not found:
        c.fail(f"matches nothing: no note of document {doc.id!r} holds {c.data['note_text']!r}")
    if len(found) > 1:
        c.fail(f"note_text {c.data['note_text']!r} is in notes {', '.join(str(n.number) for n in found)}: quote more")
    return found[0]


def _marker(c: Correction, chapter, doc: Document, edition):
    note = _note(c, doc)
    phrase = c.data["after"]
    for f in _paragraphs(doc):  # already there: a correction that changes nothing is an error
        content = f.paragraph.content
        if "line" in c.data and _norm(c.data["line"]) not in _norm(f.paragraph.text):
            continue
        for k, i in enumerate(content):
            if isinstance(i, NoteRef) and i.number == note.number and k and isinstance(content[k - 1], Text) \
                    and content[k - 1].text.endswith(phrase):
                c.fail(f"matches nothing to change: the marker of note {note.number} already follows {phrase!r}")
    # The old marker out first (the phrase may be found across it once it is gone).
    for f in _paragraphs(doc):
        if note.number in f.paragraph.noterefs():
            f.paragraph.content = _merge([i for i in f.paragraph.content
                                          if not (isinstance(i, NoteRef) and i.number == note.number)])
    holders = [f for f in _paragraphs(doc) if ("line" not in c.data or _norm(c.data["line"]) in _norm(f.paragraph.text))
               and any(isinstance(i, Text) and phrase in i.text for i in f.paragraph.content)]
    if not holders:
        c.fail(f"matches nothing: no paragraph of document {doc.id!r} holds {phrase!r}"
               + (f" (in {c.data['line']!r})" if "line" in c.data else ""))
    runs = [(f, k) for f in holders for k, i in enumerate(f.paragraph.content)
            if isinstance(i, Text) and i.text.count(phrase)]
    if len(runs) > 1 or runs[0][0].paragraph.content[runs[0][1]].text.count(phrase) > 1:
        c.fail(f"after {phrase!r} is in more than one place of document {doc.id!r}: quote more, or give `line`")
    f, k = runs[0]
    text = f.paragraph.content[k].text
    cut = text.index(phrase) + len(phrase)
    pieces = [Text(text=text[:cut]), NoteRef(number=note.number)] + ([Text(text=text[cut:])] if text[cut:] else [])
    f.paragraph.content[k:k + 1] = pieces
    _drop_empty(doc)
    was = note.marker
    note.marker = "explicit"
    return f"the marker of note {note.number} ({was}): after {phrase!r}", f.paragraph.line


def _merge(content: list) -> list:
    out: list = []
    for i in content:
        if isinstance(i, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(text=out[-1].text + i.text)
        elif not (isinstance(i, Text) and not i.text):
            out.append(i)
    return out


def _drop_empty(doc: Document) -> None:
    """A paragraph left with nothing in it (the placeholder an unplaced note was attached
    to) is no paragraph."""
    for f in _paragraphs(doc):
        if not f.paragraph.content and f.role in ("body", "postscript"):
            _remove(doc, f)


def _heading(c: Correction, chapter, doc: Document, edition):
    from .names import nominative
    changed = []
    for key in ("senders", "recipients"):
        if key in c.data:
            setattr(doc, key, [Person(name=n.strip(), nominative=nominative(n.strip())) for n in c.data[key]])
            changed.append(f"{key} {', '.join(c.data[key])}")
    if "date" in c.data or "date_text" in c.data:
        old = doc.date or DocDate(text=c.data.get("date_text") or c.data.get("date"))
        try:
            doc.date = DocDate(text=c.data.get("date_text", old.text), iso=c.data.get("date", old.iso),
                               supplied=old.supplied, qualifier=old.qualifier)
        except ValidationError as exc:
            c.fail(f"date: {exc.errors()[0]['msg'].removeprefix('Value error, ')}")
        changed.append(f"date {doc.date.iso or doc.date.text}")
    if "text" in c.data:
        doc.heading = c.data["text"].strip()
        changed.append(f"heading {doc.heading!r}")
    return f"the heading of {doc.id}: {'; '.join(changed)}", doc.line


def _archive(c: Correction, chapter, doc: Document, edition):
    k = c.data.get("reference", 1)
    if not 1 <= k <= len(doc.archive):
        c.fail(f"matches nothing: document {doc.id!r} has {len(doc.archive)} archive reference(s), not a {k}")
    ref = doc.archive[k - 1]
    field, value = c.data["field"], c.data["value"]
    old = getattr(ref, field)
    if old == value:
        c.fail(f"matches nothing to change: {field} is already {value!r}")
    setattr(ref, field, value)
    return f"archive reference {k} of {doc.id}: {field} {old!r} → {value!r}", doc.archive_line


def _note_text(c: Correction, chapter, doc: Document, edition):
    note = _note(c, doc)
    note.text = c.data["text"].strip()
    return f"the text of note {note.number} of {doc.id}", note.line


def _split(c: Correction, chapter: Chapter, doc: Document, edition: Edition):
    from .readers.text.heading import parse_heading, parse_loose_heading
    from .readers.text.ids import base_id
    f = _find_paragraph(c, doc, "at", only=lambda f: f.role == "body" and f.enclosure is None)
    at = doc.body.index(f.paragraph)
    if "new_heading" not in c.data and f.paragraph.noterefs():
        c.fail(f"{c.data['at']!r} holds note marker(s) {f.paragraph.noterefs()}: as the new heading it would lose "
               "them (give `new_heading`, and the paragraph stays in the text)")
    heading_text = _norm(c.data.get("new_heading") or f.paragraph.text)
    heading = parse_heading(heading_text) or parse_loose_heading(heading_text)
    moved_body = doc.body[at + (0 if "new_heading" in c.data else 1):]
    # Built unchecked: its notes are numbered below, and the whole document checked after.
    new = Document.model_construct(id="placeholder", heading=heading.text, line=f.paragraph.line, senders=heading.senders,
                   recipients=heading.recipients, date=heading.date, body=moved_body, signature=doc.signature,
                   postscript=doc.postscript, secretary=doc.secretary)
    doc.body, doc.signature, doc.postscript, doc.secretary = doc.body[:at], None, [], []
    moved = set(new.noteref_order())
    new.footnotes = [n for n in doc.footnotes if n.number in moved]
    doc.footnotes = [n for n in doc.footnotes if n.number not in moved]
    taken = {d.id for d in edition.documents}
    new_id = c.data.get("id") or base_id([p.name for p in heading.senders], [p.name for p in heading.recipients],
                                         heading.date.iso if heading.date else None, heading.text)
    if new_id in taken:
        if "id" in c.data:
            c.fail(f"id {new_id!r} is taken")
        new_id = next(f"{new_id}-{k}" for k in range(2, 10_000) if f"{new_id}-{k}" not in taken)
    new.id = new_id
    _renumber(new, c)
    chapter.documents.insert(chapter.documents.index(doc) + 1, new)
    return f"document {doc.id} split at {_quote(f.paragraph.text)}: new document {new.id}", f.paragraph.line


def _join(c: Correction, chapter: Chapter, doc: Document, edition: Edition):
    k = chapter.documents.index(doc)
    if k == 0:
        c.fail(f"matches nothing: document {doc.id!r} is the first of its chapter, there is none to join it to")
    first = chapter.documents[k - 1]
    offset = len(first.footnotes)
    for f in _paragraphs(doc):
        f.paragraph.content = [NoteRef(number=i.number + offset) if isinstance(i, NoteRef) else i
                               for i in f.paragraph.content]
    notes = [n.model_copy(update={"number": n.number + offset}) for n in doc.footnotes]
    # The first document's tail goes into its text; the second's heading and opening
    # lines become paragraphs; the second's tail ends the joined document.
    text: list = []
    for role in ("signature", "postscript", "secretary"):
        value = getattr(first, role)
        text += [_as("body", b) if not isinstance(b, Enclosure) else b
                 for b in (value if isinstance(value, list) else [value] if value else [])]
    text.append(Paragraph(content=[Text(text=doc.heading)], line=doc.line))
    for role in ("transmission", "dispatch", "address", "dateline", "salutation"):
        value = getattr(doc, role)
        text += [_as("body", b) for b in (value if isinstance(value, list) else [value] if value else [])]
    first.body = first.body + text + doc.body
    first.signature, first.postscript, first.secretary = doc.signature, doc.postscript, doc.secretary
    first.footnotes = first.footnotes + notes
    first.archive = first.archive + doc.archive
    first.requisites = {**doc.requisites, **first.requisites}
    chapter.documents.remove(doc)
    _renumber(first, c)
    return f"document {doc.id} joined to {first.id}", doc.line


_KINDS = {"role": _role, "marker": _marker, "heading": _heading, "archive": _archive, "note": _note_text,
          "split": _split, "join": _join}


def _renumber(doc: Document, c: Correction) -> None:
    """Notes numbered again in the order of their markers (a correction may move one)."""
    order = doc.noteref_order()
    if order == [n.number for n in doc.footnotes] == list(range(1, len(order) + 1)):
        return
    if sorted(order) != sorted(n.number for n in doc.footnotes) or len(set(order)) != len(order):
        c.fail(f"leaves document {doc.id!r} with markers {order} for notes {[n.number for n in doc.footnotes]}")
    new = {old: k + 1 for k, old in enumerate(order)}
    for f in _paragraphs(doc):
        f.paragraph.content = [NoteRef(number=new[i.number]) if isinstance(i, NoteRef) else i
                               for i in f.paragraph.content]
    doc.footnotes = sorted((n.model_copy(update={"number": new[n.number]}) for n in doc.footnotes),
                           key=lambda n: n.number)


def _quote(text: str, width: int = 50) -> str:
    text = _norm(text)
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def skeleton_entry(kind: str, document: Optional[str], chapter: Optional[str] = None,
                   **keys: Union[str, int, list]) -> str:
    """One [[correction]] table as TOML text (for `corresp check --review --format toml`)."""
    target = f"document = {_toml(document)}" if document is not None else f"chapter = {_toml(chapter)}"
    lines = ["[[correction]]", f"kind = {_toml(kind)}", target]
    lines += [f"{k} = {_toml(v)}" for k, v in keys.items()]
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    s = str(value).replace("\\", "\\\\").replace('"', '\\"')
    s = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", s)
    return f'"{s}"'
