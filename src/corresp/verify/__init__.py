"""Reading a build back: does every format carry the same text and notes as the JSON edition?

Each reader turns one format into the same shape — documents in order, each with its
heading, its paragraphs (transmission, dispatch, address, dateline, salutation, body,
enclosures, signature, postscript, secretary lines; a chapter's intro) with each note
marker in its place, and its notes as (label, text) — read from what a reader of that
format sees: the EPUB's pages, the DOCX's document and footnotes parts, the PDF's
structure tree and page text, the TEI's letters. The JSON edition is the reference.
Mismatches read `file: document: what differs`, quoting the first differing words.
Text is normalised only where a format cannot hold a character (`fold`), and, for the
formats a reader reads (EPUB, DOCX, PDF), by house typography's fold (`present`: quotes,
dashes, non-breaking spaces and ellipses are not compared; letters, digits and words are).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ..errors import VerifyError


INTRO = "intro"  # DocNotes.kind of a chapter's title and intro (the notes of the intro)


@dataclass
class DocNotes:
    id: Optional[str]
    heading: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    kind: str = "document"  # or INTRO: a chapter, its heading the chapter title
    paragraphs: Optional[list[str]] = None  # with marker(label) in place; None: not read
    source: Optional[str] = None  # the archive line (the JSON's): not part of the text


def norm(text: str) -> str:
    return " ".join(text.split())


def marker(label: str) -> str:
    """A note marker in a paragraph's text: `choice⟨1⟩.`; a marker that does not lead to
    its note (and back) reads `⟨1?⟩`."""
    return f"\u27e8{label}\u27e9"


def broken_marker(label: str) -> str:
    return f"\u27e8{label}?\u27e9"


# Characters XML 1.0 cannot hold: the XML formats write U+FFFD for each (and warn).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_fold(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _json_error(path: Path, what: str) -> VerifyError:
    return VerifyError(f"not a JSON edition corresp can read back: {what}", str(path))


def _inline_text(paragraph: dict, labels: dict) -> str:
    out = []
    for inline in paragraph.get("content") or []:
        if inline.get("type") == "noteref":
            out.append(marker(labels.get(inline.get("number"), str(inline.get("number")))))
        else:
            out.append(str(inline.get("text", "")))
    return norm("".join(out))


def _parts(doc: dict) -> list[dict]:
    """A document's paragraphs in `Document.iter_parts` order, from its JSON."""
    out: list[dict] = []

    def blocks(value):
        for b in value or []:
            if isinstance(b, dict) and b.get("type") == "enclosure":
                out.extend(b.get("paragraphs") or [])
            elif isinstance(b, dict):
                out.append(b)
    blocks(doc.get("transmission"))
    blocks(doc.get("dispatch"))
    blocks(doc.get("address"))
    for one in ("dateline", "salutation"):
        if doc.get(one):
            out.append(doc[one])
    blocks(doc.get("body"))
    if doc.get("signature"):
        out.append(doc["signature"])
    blocks(doc.get("postscript"))
    blocks(doc.get("secretary"))
    return out


def _entry(key, heading, notes, paragraphs, kind="document", source=None) -> DocNotes:
    labels = {n["number"]: str(n.get("label", n["number"])) for n in notes}
    return DocNotes(key, heading, [(str(n.get("label", n["number"])), norm(n["text"])) for n in notes], kind,
                    [_inline_text(p, labels) for p in paragraphs], source)


def _source(doc: dict) -> Optional[str]:
    return doc.get("archive_text") or "; ".join(a.get("text", "") for a in doc.get("archive") or []) or None


def read_json(path: Path) -> list[DocNotes]:
    """Each chapter (its title, intro and the notes of its intro), then its documents, in
    order. A file that is not such an edition is a VerifyError (one line), not a crash."""
    from ..files import read_regular
    try:
        data = json.loads(read_regular(path, "output", VerifyError).decode("utf-8"))
    except RecursionError:
        raise _json_error(path, "nested too deeply") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _json_error(path, str(exc)) from None
    try:
        documents = {d["id"]: _entry(d["id"], d["heading"], d["footnotes"], _parts(d), source=_source(d))
                     for d in data["documents"]}
        out: list[DocNotes] = []
        for ci, ch in enumerate(data.get("chapters", [])):
            out.append(_entry(f"chapter-{ci + 1}-intro", ch["title"], ch.get("notes", []), ch.get("intro", []),
                              INTRO))
            out += [documents.pop(i) for i in ch.get("documents", []) if i in documents]
    except KeyError as exc:
        raise _json_error(path, f"a document or note lacks {exc}") from None
    except (TypeError, AttributeError, ValueError) as exc:
        raise _json_error(path, f"its structure is not an edition's ({type(exc).__name__}: {exc})") from None
    return out + list(documents.values())  # documents no chapter lists: still compared


def _counts(entries: list[DocNotes]) -> str:
    from ..diagnostics import plural
    chapters = sum(1 for e in entries if e.kind == INTRO)
    return f"{plural(len(entries) - chapters, 'document')} in {plural(chapters, 'chapter')}"


_DOC_NUMBER = re.compile(r"^\s*\d+\.\s+")  # the document's number the formats print before its heading


def unnumbered(heading: str) -> str:
    """A document's heading without the number the formats print before it ("12. ")."""
    return _DOC_NUMBER.sub("", heading, count=1)


def _same(text: str) -> str:
    return text


def compare(reference: list[DocNotes], other: list[DocNotes], file: str,
            fold: Callable[[str], str] = xml_fold, key: Callable[[str], str] = _same,
            present: Callable[[str], str] = _same) -> list[str]:
    """A reader that reads chapters gives an INTRO entry for each (those it finds beyond
    the JSON's chapters without notes, such as an index heading, are not chapters); one
    that does not is compared on the documents alone. `fold` turns the reference's text
    into what the format can hold; `key` is what is compared (the PDF's: its letters
    without spaces, as a line break drops them); `present` is applied to both sides (the
    typographic fold of a presentation format, `corresp.typography.fold`)."""
    def title(heading: str) -> str:  # as headings are compared below (a typeset title differs)
        return key(norm(present(fold(heading))))
    titles = {title(r.heading) for r in reference if r.kind == INTRO}
    if any(o.kind == INTRO for o in other):
        other = [o for o in other if o.kind != INTRO or o.notes or title(o.heading) in titles]
    else:
        reference = [r for r in reference if r.kind != INTRO]
    problems = []
    if len(other) != len(reference):
        problems.append(f"{file}: {_counts(other)}, the JSON edition has {_counts(reference)}")
    for ref, got in zip(reference, other):
        where = f"{file}: {ref.id or ref.heading}"
        if ref.kind != INTRO and not _DOC_NUMBER.match(ref.heading):
            got.heading = unnumbered(got.heading)
        if key(norm(present(fold(got.heading)))) != key(norm(present(fold(ref.heading)))):
            what = "chapter title" if ref.kind == INTRO else "heading"
            problems.append(f"{where}: {what} {got.heading!r} where the JSON edition has {ref.heading!r} "
                            "(documents out of order?)")
            continue
        if got.paragraphs is not None and ref.paragraphs is not None:
            problems += compare_paragraphs(where, [norm(present(fold(p))) for p in ref.paragraphs],
                                           [norm(present(p)) for p in got.paragraphs], key)
        for k, ((label, text), (glabel, gtext)) in enumerate(zip(ref.notes, got.notes)):
            if glabel != label:
                problems.append(f"{where}: note {label}: numbered {glabel!r}")
            want, gtext = norm(present(fold(text))), norm(present(gtext))
            if key(want) != key(gtext):
                problems.append(f"{where}: note {label}: text differs: {word_diff(want, gtext, key)}")
        for label, _ in ref.notes[len(got.notes):]:
            problems.append(f"{where}: note {label}: missing")
        for glabel, _ in got.notes[len(ref.notes):]:
            problems.append(f"{where}: note {glabel}: extra note not in the JSON edition")
    return problems


def compare_paragraphs(where: str, want: list[str], got: list[str], key: Callable[[str], str] = _same) -> list[str]:
    """The first paragraph that differs, and its first differing words; a count apart."""
    problems = []
    first = next((k for k, (w, g) in enumerate(zip(want, got)) if key(w) != key(g)), None)
    if first is not None:
        problems.append(f"{where}: paragraph {first + 1}: {word_diff(want[first], got[first], key)}")
    if len(got) != len(want):
        k = first if first is not None else min(len(want), len(got))
        which = f"first missing: {_quote(want[k])}" if len(got) < len(want) else f"first extra: {_quote(got[k])}"
        problems.append(f"{where}: {len(got)} paragraphs where the JSON edition has {len(want)} "
                        f"(from paragraph {k + 1} on; {which})")
    return problems


def _quote(text: str, words: int = 8) -> str:
    parts = text.split()
    return repr(" ".join(parts[:words]) + (" …" if len(parts) > words else ""))


def _keyed(text: str, key: Callable[[str], str]) -> tuple[str, list[int]]:
    """key(text) character by character, with the index in `text` of each character kept."""
    out, where = [], []
    for i, ch in enumerate(text):
        k = key(ch)
        out.append(k)
        where += [i] * len(k)
    return "".join(out), where


def word_diff(want: str, got: str, key: Callable[[str], str] = _same) -> str:
    """`expected '… Pyatnitsky refuses and asks …', found '… Pyatnitsky accepts and asks …'`:
    the words around the first character that differs (compared as `key` sees them)."""
    kw, iw = _keyed(want, key)
    kg, ig = _keyed(got, key)
    i = next((n for n, (a, b) in enumerate(zip(kw, kg)) if a != b), min(len(kw), len(kg)))

    def around(text: str, index: list[int]) -> str:
        at = index[i] if i < len(index) else len(text)
        start = text.rfind(" ", 0, max(0, text.rfind(" ", 0, at))) + 1 if at else 0
        end = at
        for _ in range(3):  # the differing word and two after
            nxt = text.find(" ", end + 1)
            end = len(text) if nxt < 0 else nxt
        shown = text[start:end][:120]
        return repr(("… " if start else "") + shown + (" …" if end < len(text) else ""))
    if i >= len(kg):
        return f"expected {around(want, iw)}, found the end of the text"
    if i >= len(kw):
        return f"expected the end of the text, found {around(got, ig)}"
    return f"expected {around(want, iw)}, found {around(got, ig)}"


def _diff(want: str, got: str) -> str:
    i = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return f"expected …{want[max(0, i - 20): i + 30]!r}, found …{got[max(0, i - 20): i + 30]!r}"


def _is_edition(path: Path) -> bool:
    """A JSON edition, not some other JSON lying in the folder (a validator's report, say)."""
    from ..errors import CorrespError
    from ..files import read_regular
    try:
        data = json.loads(read_regular(path, "output", VerifyError).decode("utf-8"))
    except (CorrespError, ValueError, RecursionError):  # a FIFO, a device: not an edition either
        return False
    return isinstance(data, dict) and "documents" in data and "schema_version" in data


def verify_dir(out_dir: Path, name: Optional[str] = None) -> tuple[list[str], list[Path]]:
    """Compare every format found in `out_dir` (for base name `name`) with its JSON edition.
    Returns (problems, files checked)."""
    from . import docx_reader, epub_reader, pdf_reader, tei_reader, web_reader

    from ..build import safe_name
    out_dir = Path(out_dir)
    if name is not None:
        safe_name(name)  # as `build --name`: a plain file name, never a path out of the folder
    if not out_dir.is_dir():
        raise VerifyError("no such folder", str(out_dir))
    # A JSON named with --name is read whatever it holds (a broken one is a finding);
    # among all of a folder's, only editions (not some tool's report).
    jsons = [out_dir / f"{name}.json"] if name else [j for j in sorted(out_dir.glob("*.json")) if _is_edition(j)]
    jsons = [j for j in jsons if j.exists()]
    from ..files import check_regular
    for j in jsons:  # a FIFO or /dev/zero named NAME.json: one line, not a hang
        check_regular(j, "output", VerifyError)
    if not jsons:
        raise VerifyError("no JSON edition to verify against (build with -f json too)", str(out_dir))
    problems: list[str] = []
    checked: list[Path] = []
    # Each reader, and how the reference's text is folded for it: the EPUB and DOCX cannot
    # hold XML's forbidden characters (U+FFFD for each); the TEI keeps them as <c>.
    from ..typography import fold as typographic
    readers = {".epub": (epub_reader.read, xml_fold, typographic),
               ".docx": (docx_reader.read, xml_fold, typographic),
               ".tei.xml": (tei_reader.read, lambda text: text, _same),  # the TEI keeps the source's characters
               ".web": (web_reader.read, xml_fold, typographic)}  # the web edition: a folder (index.html)
    for j in jsons:
        reference = read_json(j)
        checked.append(j)
        for ext, (read, fold, present) in readers.items():
            path = j.with_suffix(ext)
            if ext != ".web" and path.exists() and not path.is_file():  # a FIFO, a device, a folder
                checked.append(path)
                problems.append(f"{path}: not a regular file; not read")
                continue
            if path.is_file() or (ext == ".web" and (path / "index.html").is_file()):
                checked.append(path)
                try:
                    if ext != ".web":
                        check_regular(path, "output", VerifyError)
                    problems += xml_part_problems(path) if ext in (".epub", ".docx") else []
                    problems += compare(reference, read(path), str(path), fold, present=present)
                except Exception as exc:  # a corrupt file is a finding, not a crash
                    problems.append(f"{path}: cannot be read back: {type(exc).__name__}: {exc}")
        pdf = j.with_suffix(".pdf")
        if pdf.exists():
            checked.append(pdf)
            try:
                check_regular(pdf, "output", VerifyError)
                problems += pdf_reader.check_all(reference, pdf)
            except Exception as exc:
                problems.append(f"{pdf}: cannot be read back: {type(exc).__name__}: {exc}")
        # Both PDFs must pass the preflight: tagged (PDF/UA-1), and the print one PDF/X-4.
        for pdf in (j.with_suffix(".pdf"), j.with_suffix(".print.pdf")):
            if pdf.exists():
                if pdf not in checked:
                    checked.append(pdf)
                problems += preflight_problems(pdf, sum(len(d.notes) for d in reference))
    return problems, checked


XML_PARTS = (".xml", ".xhtml", ".opf", ".ncx", ".rels")


def xml_part_problems(path: Path) -> list[str]:
    """Every XML part of a zip format (EPUB, DOCX) must be well-formed: a reading system
    or Word refuses the whole file for one bad part."""
    import zipfile
    from lxml import etree
    from ..files import read_member
    parser = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)
    problems = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(XML_PARTS):
                try:
                    etree.fromstring(read_member(z, name, VerifyError), parser)
                except etree.XMLSyntaxError as exc:
                    problems.append(f"{path}: {name} is not well-formed XML: {exc}")
    return problems


def preflight_problems(pdf: Path, notes: Optional[int] = None) -> list[str]:
    """The preflight's findings on `pdf` as verify problems (`corresp.verify.preflight`)."""
    from .preflight import preflight
    try:
        report = preflight(pdf, notes=notes)
    except Exception as exc:
        return [f"{pdf}: preflight cannot read it: {type(exc).__name__}: {exc}"]
    return [f"{pdf}: preflight: {f}" for f in report.findings]
