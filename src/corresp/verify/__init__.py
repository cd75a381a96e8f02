"""Reading a build back: does every format carry the same notes as the JSON edition?

Each reader turns one format into the same shape — documents in order, each with its
heading and its notes as (label, text) — read from what a reader of that format sees:
the EPUB's pages, the DOCX's footnotes part, the PDF's page text, the TEI's letters. The
JSON edition is the reference. Mismatches read `file: document: note N: what differs`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import VerifyError


INTRO = "intro"  # DocNotes.kind of a chapter's title and intro (the notes of the intro)


@dataclass
class DocNotes:
    id: Optional[str]
    heading: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    kind: str = "document"  # or INTRO: a chapter, its heading the chapter title


def norm(text: str) -> str:
    return " ".join(text.split())


def read_json(path: Path) -> list[DocNotes]:
    """Each chapter (its title and the notes of its intro), then its documents, in order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    documents = {d["id"]: DocNotes(d["id"], d["heading"], [(n["label"], norm(n["text"])) for n in d["footnotes"]])
                 for d in data["documents"]}
    out: list[DocNotes] = []
    for ci, ch in enumerate(data.get("chapters", [])):
        out.append(DocNotes(f"chapter-{ci + 1}-intro", ch["title"],
                            [(n["label"], norm(n["text"])) for n in ch.get("notes", [])], INTRO))
        out += [documents.pop(i) for i in ch.get("documents", []) if i in documents]
    return out + list(documents.values())  # documents no chapter lists: still compared


def _counts(entries: list[DocNotes]) -> str:
    from ..diagnostics import plural
    chapters = sum(1 for e in entries if e.kind == INTRO)
    return f"{plural(len(entries) - chapters, 'document')} in {plural(chapters, 'chapter')}"


def compare(reference: list[DocNotes], other: list[DocNotes], file: str) -> list[str]:
    """A reader that reads chapters gives an INTRO entry for each (those it finds beyond
    the JSON's chapters without notes, such as an index heading, are not chapters); one
    that does not is compared on the documents alone."""
    titles = {norm(r.heading) for r in reference if r.kind == INTRO}
    if any(o.kind == INTRO for o in other):
        other = [o for o in other if o.kind != INTRO or o.notes or norm(o.heading) in titles]
    else:
        reference = [r for r in reference if r.kind != INTRO]
    problems = []
    if len(other) != len(reference):
        problems.append(f"{file}: {_counts(other)}, the JSON edition has {_counts(reference)}")
    for ref, got in zip(reference, other):
        where = f"{file}: {ref.id or ref.heading}"
        if norm(got.heading) != norm(ref.heading):
            what = "chapter title" if ref.kind == INTRO else "heading"
            problems.append(f"{where}: {what} {got.heading!r} where the JSON edition has {ref.heading!r} "
                            "(documents out of order?)")
            continue
        for k, ((label, text), (glabel, gtext)) in enumerate(zip(ref.notes, got.notes)):
            if glabel != label:
                problems.append(f"{where}: note {label}: numbered {glabel!r}")
            if gtext != text:
                problems.append(f"{where}: note {label}: text differs: {_diff(text, gtext)}")
        for label, _ in ref.notes[len(got.notes):]:
            problems.append(f"{where}: note {label}: missing")
        for glabel, _ in got.notes[len(ref.notes):]:
            problems.append(f"{where}: note {glabel}: extra note not in the JSON edition")
    return problems


def _diff(want: str, got: str) -> str:
    i = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return f"expected …{want[max(0, i - 20): i + 30]!r}, found …{got[max(0, i - 20): i + 30]!r}"


def _is_edition(path: Path) -> bool:
    """A JSON edition, not some other JSON lying in the folder (a validator's report, say)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "documents" in data and "schema_version" in data


def verify_dir(out_dir: Path, name: Optional[str] = None) -> tuple[list[str], list[Path]]:
    """Compare every format found in `out_dir` (for base name `name`) with its JSON edition.
    Returns (problems, files checked)."""
    from . import docx_reader, epub_reader, pdf_reader, tei_reader

    out_dir = Path(out_dir)
    jsons = [out_dir / f"{name}.json"] if name else sorted(out_dir.glob("*.json"))
    jsons = [j for j in jsons if j.exists() and _is_edition(j)]
    if not jsons:
        raise VerifyError("no JSON edition to verify against (build with -f json too)", str(out_dir))
    problems: list[str] = []
    checked: list[Path] = []
    readers = {".epub": epub_reader.read, ".docx": docx_reader.read, ".tei.xml": tei_reader.read}
    for j in jsons:
        reference = read_json(j)
        checked.append(j)
        for ext, read in readers.items():
            path = j.with_suffix(ext)
            if path.exists():
                checked.append(path)
                try:
                    problems += compare(reference, read(path), str(path))
                except Exception as exc:  # a corrupt file is a finding, not a crash
                    problems.append(f"{path}: cannot be read back: {type(exc).__name__}: {exc}")
        pdf = j.with_suffix(".pdf")
        if pdf.exists():
            checked.append(pdf)
            try:
                problems += pdf_reader.check(reference, pdf)
            except Exception as exc:
                problems.append(f"{pdf}: cannot be read back: {type(exc).__name__}: {exc}")
        # Both PDFs must pass the preflight: tagged (PDF/UA-1), and the print one PDF/X-4.
        for pdf in (j.with_suffix(".pdf"), j.with_suffix(".print.pdf")):
            if pdf.exists():
                if pdf not in checked:
                    checked.append(pdf)
                problems += preflight_problems(pdf, sum(len(d.notes) for d in reference))
    return problems, checked


def preflight_problems(pdf: Path, notes: Optional[int] = None) -> list[str]:
    """The preflight's findings on `pdf` as verify problems (`corresp.verify.preflight`)."""
    from .preflight import preflight
    try:
        report = preflight(pdf, notes=notes)
    except Exception as exc:
        return [f"{pdf}: preflight cannot read it: {type(exc).__name__}: {exc}"]
    return [f"{pdf}: preflight: {f}" for f in report.findings]
