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


@dataclass
class DocNotes:
    id: Optional[str]
    heading: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text)


def norm(text: str) -> str:
    return " ".join(text.split())


def read_json(path: Path) -> list[DocNotes]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [DocNotes(d["id"], d["heading"], [(n["label"], norm(n["text"])) for n in d["footnotes"]])
            for d in data["documents"]]


def compare(reference: list[DocNotes], other: list[DocNotes], file: str) -> list[str]:
    problems = []
    if len(other) != len(reference):
        problems.append(f"{file}: {len(other)} documents, the JSON edition has {len(reference)}")
    for ref, got in zip(reference, other):
        where = f"{file}: {ref.id or ref.heading}"
        if norm(got.heading) != norm(ref.heading):
            problems.append(f"{where}: heading {got.heading!r} where the JSON edition has {ref.heading!r} "
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
    return problems, checked
