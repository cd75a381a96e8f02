"""The `docx` reader: a Word file as a source, chosen by content (a zip holding
word/document.xml).

Two kinds of file: a DOCX corresp wrote and an editor corrected (its paragraph styles name
every part: `edition.py`), and an editor's own Word manuscript with no corresp styles, read
with the text reader's rules and its real footnotes as the markers (`manuscript.py`).
Tracked changes are refused with a list unless `accept_changes` (Word's "Accept All");
comments come back as review items (code `docx-comment`) with the text they are on.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Optional, Sequence

from ...diagnostics import Diagnostic, Reporter, plural
from ...errors import InputError
from ...model import Edition
from .package import open_package
from .wordml import W, Styles, accept_changes as accept_all, body_paragraphs, notes_of, tracked_changes

REVIEW_CODES = ("docx-comment", "docx-note-unreferenced", "docx-heading-hint")
_CORE_NS = {"dc": "http://purl.org/dc/elements/1.1/"}


class DocxReader:
    name = "docx"
    description = "Word document: one corresp wrote and an editor corrected, or an editor's own manuscript"

    def recognises(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in (".docx", ".docm", ".dotx"):
            return True  # not a zip, or a damaged one: this reader says so, not the text parser
        if not head.startswith(b"PK\x03\x04"):
            return False
        if b"word/" in head:
            return True
        try:
            with zipfile.ZipFile(path) as z:
                return "word/document.xml" in z.namelist()
        except Exception:
            return False

    def read(self, paths: Sequence[Path], accept_changes: bool = False, original: Optional[Path] = None,
             **edition_fields) -> tuple[Edition, list[Diagnostic]]:
        (path,) = paths
        # The source's characters come back from the edition the writer embedded (source.py);
        # an --original given by the user wins over it.
        edition, diagnostics = read_docx(Path(path), accept_changes, embedded_source=original is None)
        if original is not None:  # the edition the DOCX was built from: its characters back
            from .. import read_sources
            from .restore import restore
            edition = restore(edition, read_sources([Path(original)])[0])
        if edition_fields:
            from .. import override_fields
            edition = override_fields(edition, edition_fields)
        return edition, diagnostics


def read_docx(path: Path, accept_changes: bool = False,
              embedded_source: bool = True) -> tuple[Edition, list[Diagnostic]]:
    """`embedded_source`: give back the source's characters from the edition the writer
    embedded in the file (readers/docx/source.py), where the editor changed nothing."""
    package = open_package(path)
    name = package.name
    changes = tracked_changes(package.document, package.footnotes, package.endnotes)
    if changes and not accept_changes:
        first = next((c for c in changes if c[0] is not None), changes[0])
        where = f"paragraph {first[0]}: " if first[0] is not None else ""
        raise InputError(f"{plural(len(changes), 'tracked change')} ({where}{first[1]} by \"{first[2]}\") — "
                         "accept or reject them first (or build with --accept-changes)", name)
    if changes:
        accept_all(package.document, package.footnotes, package.endnotes, package.comments)
    styles = Styles(package.styles)
    reporter = Reporter(name)
    pairs = list(body_paragraphs(package.document, styles))
    paragraphs = [p for p, _ in pairs]
    notes = {**{("footnote", k): v for k, v in notes_of(package.footnotes, "footnote", styles).items()},
             **{("endnote", k): v for k, v in notes_of(package.endnotes, "endnote", styles).items()}}
    if changes:
        reporter.info("docx-changes-accepted", f"{plural(len(changes), 'tracked change')} accepted")
    _comments(package, pairs, styles, reporter)
    from .edition import EditionReader, is_corresp_docx
    if is_corresp_docx(paragraphs):
        front, chapters = EditionReader(package, paragraphs, notes, reporter).read()
        if not chapters:
            raise InputError("no letters found (no paragraph in the Document Heading style)", name)
        # The core properties corresp writes whole (title, subject, creator, language) first:
        # the title page also names translators in pandoc's Author style.
        title = _core(package, "title") or front.get("title") or "Correspondence"
        subtitle = _core(package, "subject") or front.get("subtitle")
        creator = _core(package, "creator")
        editors = [e.strip() for e in creator.split(";") if e.strip()] if creator else front["editors"]
        language = _core(package, "language") or styles.language or "en"
        try:
            edition = Edition(title=title, subtitle=subtitle, editors=editors, language=language, chapters=chapters)
        except ValueError as exc:
            raise InputError(f"the edition cannot be read: {exc}", name) from None
        if embedded_source:
            edition = _restored(package, edition, reporter)
        return edition, reporter.messages
    from .manuscript import read_manuscript
    edition, diagnostics = read_manuscript(package, paragraphs, notes, reporter)
    return edition, reporter.messages + diagnostics


def _restored(package, edition: Edition, reporter: Reporter) -> Edition:
    from .restore import restore
    from .source import IGNORED, embedded_source
    found = embedded_source(package, reporter)
    if found is None:
        return edition
    part, source = found
    ids = {d.id for d in source.documents}
    if ids and not any(d.id in ids for d in edition.documents):
        reporter.warning(IGNORED, f"{part}: the embedded source is another edition (none of its letters is in "
                         "the file); the text is read as printed, in house typography")
        return edition
    try:
        return restore(edition, source)
    except (ValueError, KeyError, TypeError, IndexError, StopIteration) as exc:  # a valid edition, but not this one's
        message = " ".join(str(exc).split())[:200]
        reporter.warning(IGNORED, f"{part}: the embedded source does not fit the document ({type(exc).__name__}: "
                         f"{message}); the text is read as printed, in house typography")
        return edition


def _core(package, field: str):
    if package.core is None:
        return None
    el = package.core.find(f"dc:{field}", _CORE_NS)
    return (el.text or "").strip() or None if el is not None else None


def _comments(package, pairs, styles, reporter: Reporter) -> None:
    """Each comment as a review item: who wrote it, what it says and the text it is on."""
    if package.comments is None:
        return
    texts = {}
    for c in package.comments.iterfind(W + "comment"):
        paragraphs = []
        for p in c.iterfind(W + "p"):
            from .wordml import _Walker
            walker = _Walker(styles)
            walker.walk(p)
            paragraphs.append("".join(x for x in walker.pieces if isinstance(x, str)))
        texts[c.get(W + "id")] = (c.get(W + "author") or "unknown", " ".join(t.strip() for t in paragraphs).strip())
    starts, ends = {}, {}
    for k, (p, walker) in enumerate(pairs):
        for cid, offset in walker.comment_starts:
            starts.setdefault(cid, (k, offset))
        for cid, offset in walker.comment_ends:
            ends[cid] = (k, offset)
    for cid, (author, text) in texts.items():
        if cid not in starts:
            continue
        (k0, o0), (k1, o1) = starts[cid], ends.get(cid, starts[cid])
        pieces = []
        for k in range(k0, k1 + 1):
            t = pairs[k][0].text
            pieces.append(t[(o0 if k == k0 else 0):(o1 if k == k1 else len(t))])
        on = " ".join(" ".join(pieces).split())
        reporter.warning("docx-comment", f"comment by \"{author}\" on \"{on}\": {text}", pairs[k0][0].index)


def format_review(diagnostics: Sequence[Diagnostic]) -> str:
    """The review items of a DOCX (`check --review`), one a line: its comments, notes left
    without a reference, and for a manuscript the parser's guesses (by paragraph)."""
    from ...review import REVIEW_CODES as GUESSES
    return "".join(f"{d.file}:{d.line or ''}: {d.code}: {d.message}\n".replace(":: ", ": ")
                   for d in diagnostics if d.code in REVIEW_CODES or d.code in GUESSES)
