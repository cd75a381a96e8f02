"""The `text` reader: plain-text editions of correspondence (the parser), then the editors'
corrections files.

The parser is this package, one small module per rule: `source` (decoding, BOM, CRLF, odd
spaces), `heading`, `dates`, `archive`, `requisites`, `lines` (transmission, dispatch,
address, salutation, signature, secretary lines), `notes`, `markers` (reconciling markers
with notes), `document`, `chapter`, and `parser` (`read_edition`, `read_text`,
`read_bytes`: sources → the edition model plus diagnostics). It is imported when a text
source is read, not when the readers are listed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ...diagnostics import Diagnostic
from ...model import Edition


class TextReader:
    name = "text"
    description = "plain-text edition of correspondence (the parser), with its .corrections.toml files"

    def recognises(self, path: Path, head: bytes) -> bool:
        return True  # the fallback: whatever no other reader claims

    def parse(self, paths: Sequence[Path], **edition_fields) -> tuple[Edition, list[Diagnostic]]:
        """The edition as the parser reads the sources, before any correction: what
        `corresp check` reviews and measures against the source's characters."""
        from .parser import read_edition
        return read_edition(list(paths), **edition_fields)

    def correct(self, edition: Edition, diagnostics: list[Diagnostic], paths: Sequence[Path],
                corrections: Sequence[Path] = ()) -> tuple[Edition, list[Diagnostic]]:
        """The parsed edition with each source's corrections file and those `corrections`
        (named in edition.toml) applied."""
        from ...corrections import apply_corrections_files
        return apply_corrections_files(edition, diagnostics, list(paths), list(corrections))

    def read(self, paths: Sequence[Path], corrections: Sequence[Path] = (),
             **edition_fields) -> tuple[Edition, list[Diagnostic]]:
        edition, diagnostics = self.parse(paths, **edition_fields)
        return self.correct(edition, diagnostics, paths, corrections)
