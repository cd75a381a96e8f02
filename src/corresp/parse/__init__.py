"""Readers: plain-text sources → the edition model, plus diagnostics.

`read_edition(paths)` is the entry point: one chapter per source file, in the given order.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Sequence

from pydantic import ValidationError

from ..diagnostics import Diagnostic, Reporter
from ..errors import InputError
from ..gcpause import gc_paused
from ..model import Edition
from .chapter import parse_chapter
from .ids import IdMaker
from .source import read_lines, split_lines, decode

DEFAULT_TITLE = "Correspondence"


def read_edition(paths: Sequence[Path], title: Optional[str] = None, language: Optional[str] = None,
                 **edition_fields) -> tuple[Edition, list[Diagnostic]]:
    with gc_paused():
        return _assemble([(Path(p), read_lines(Path(p))) for p in paths], title, language, edition_fields)


def read_text(text: str, name: str = "<string>", **kwargs) -> tuple[Edition, list[Diagnostic]]:
    """Parse source text already in memory (tests, fuzzing)."""
    return _assemble([(Path(name), split_lines(text))], kwargs.pop("title", None), kwargs.pop("language", None), kwargs)


def read_bytes(data: bytes, name: str = "<bytes>", **kwargs) -> tuple[Edition, list[Diagnostic]]:
    return read_text(decode(data, name), name, **kwargs)


def _assemble(sources, title, language, edition_fields) -> tuple[Edition, list[Diagnostic]]:
    if not sources:
        raise InputError("no source files given")
    ids = IdMaker()
    chapters, messages, titles = [], [], []
    all_text = []
    for path, lines in sources:
        reporter = Reporter(str(path))
        parsed = parse_chapter(lines, reporter, ids, path.name)
        chapters.append(parsed.chapter)
        titles.append(parsed.edition_title)
        messages += reporter.messages
        all_text.append(" ".join(l.text for l in lines[:200])[:20000])  # a sample is enough
    title = title or next((t for t in titles if t), None) or DEFAULT_TITLE
    language = language or detect_language(" ".join(all_text))
    try:
        edition = Edition(title=title, language=language, chapters=chapters, **edition_fields)
    except ValidationError as exc:  # a parser bug, not bad input: say so plainly
        raise InputError(f"internal error: the parsed edition is inconsistent: {exc.errors()[0]['msg']}",
                         str(sources[0][0])) from None
    return edition, messages


def detect_language(text: str) -> str:
    letters = re.findall(r"[^\W\d_]", text)
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return "ru" if letters and cyrillic / len(letters) > 0.5 else "en"
